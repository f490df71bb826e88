"""Tamper evidence: edit the SQLite file behind sopctl's back and see `verify` catch it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from sopctl.audit import Auditor
from sopctl.engine import Engine
from sopctl.events import Event
from sopctl.loader import Catalog
from sopctl.store import open_store
from tests.conftest import Cli, Clock

PDK = "pengelolaan-data-kepegawaian"
ID = "PDK-2026-0001"


@pytest.fixture
def engine(db_path: Path, catalog: Catalog, clock: Clock) -> Engine:
    """These tests edit the SQLite file directly, as someone with access to it could."""
    return Engine(open_store(db_path), catalog, clock)


@pytest.fixture
def walked(engine: Engine, clock: Clock) -> Engine:
    """PDK-2026-0001 with five events, PDK-2026-0002 with one."""
    iid = engine.start(PDK, "Mutasi a.n. Siti Aminah").state.id
    for _ in range(3):
        clock.advance(minutes=10)
        engine.done(iid, by="siti")
    clock.advance(minutes=10)
    engine.decide(iid, "tidak", by="budi")
    engine.start(PDK, "Kasus kedua")
    return engine


def sql(db: Path, *statements: str) -> None:
    with sqlite3.connect(db) as conn:
        for statement in statements:
            conn.execute(statement)


def event_row(db: Path, seq: int) -> dict:  # type: ignore[type-arg]
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return dict(
            conn.execute("SELECT * FROM events WHERE instance_id = ? AND seq = ?", (ID, seq)).fetchone()
        )


def kinds(engine: Engine) -> set[tuple[str, str]]:
    return {(f.instance_id, f.kind) for f in Auditor(engine).verify_all()}


def test_an_untouched_store_verifies_clean(walked: Engine) -> None:
    assert list(Auditor(walked).verify_all()) == []


def rehash(db: Path, seq: int, change: Callable[[Event], Event]) -> None:
    """Change an event and recompute its own hash, as a careful forger would."""
    event = change(Event.from_row(event_row(db, seq)))
    forged = replace(event, hash=event.computed_hash()).to_row()
    sql(
        db,
        f"UPDATE events SET data = '{forged['data']}', hash = '{forged['hash']}' "
        f"WHERE instance_id = '{ID}' AND seq = {seq}",
    )


TAMPERING: dict[str, tuple[Callable[[Path], None], set[str]]] = {
    "edited content": (
        lambda db: sql(
            db, f"UPDATE events SET actor = replace(actor, 'siti', 'sita') WHERE instance_id = '{ID}'"
        ),
        {"edited"},
    ),
    "edited with its hash recomputed": (
        lambda db: rehash(db, 2, lambda e: replace(e, data={**e.data, "note": "ditambahkan kemudian"})),
        {"inserted"},
    ),
    "deleted in the middle": (
        lambda db: sql(db, f"DELETE FROM events WHERE instance_id = '{ID}' AND seq = 3"),
        {"deleted"},
    ),
    "deleted at the end": (
        lambda db: sql(db, f"DELETE FROM events WHERE instance_id = '{ID}' AND seq = 5"),
        {"truncated", "projection"},
    ),
    "reordered": (
        lambda db: sql(
            db,
            f"UPDATE events SET seq = 99 WHERE instance_id = '{ID}' AND seq = 2",
            f"UPDATE events SET seq = 2 WHERE instance_id = '{ID}' AND seq = 3",
            f"UPDATE events SET seq = 3 WHERE instance_id = '{ID}' AND seq = 99",
        ),
        {"edited", "reordered"},
    ),
    "projection edited": (
        lambda db: sql(
            db,
            f"UPDATE instances SET state = 'done' WHERE id = '{ID}'",
            f"DELETE FROM current_steps WHERE instance_id = '{ID}'",
        ),
        {"projection"},
    ),
    "whole instance removed": (
        lambda db: sql(
            db,
            f"DELETE FROM events WHERE instance_id = '{ID}'",
            f"DELETE FROM step_runs WHERE instance_id = '{ID}'",
            f"DELETE FROM current_steps WHERE instance_id = '{ID}'",
            f"DELETE FROM instances WHERE id = '{ID}'",
        ),
        {"missing"},
    ),
}


@pytest.mark.parametrize("name", list(TAMPERING))
def test_verify_catches_each_kind_of_tampering(walked: Engine, db_path: Path, name: str) -> None:
    tamper, expected = TAMPERING[name]
    walked.store.close()
    tamper(db_path)
    engine = Engine(open_store(db_path), walked._catalog, walked.clock)
    found = kinds(engine)
    assert {kind for instance, kind in found if instance == ID} >= expected, found
    assert not any(instance == "PDK-2026-0002" for instance, _ in found)  # the other one is intact


def test_a_forged_insertion_in_the_middle_is_caught(walked: Engine, db_path: Path) -> None:
    walked.store.close()
    rows = [event_row(db_path, seq) for seq in range(1, 6)]
    fake = replace(Event.from_row(rows[1]), data={"note": "palsu"}).sealed(3, rows[1]["hash"]).to_row()
    sql(
        db_path,
        f"UPDATE events SET seq = seq + 10 WHERE instance_id = '{ID}' AND seq >= 3",
        f"UPDATE events SET seq = seq - 9 WHERE instance_id = '{ID}' AND seq >= 13",
    )
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            f"INSERT INTO events ({', '.join(fake)}) VALUES ({', '.join('?' * len(fake))})",
            tuple(fake.values()),
        )
    engine = Engine(open_store(db_path), walked._catalog, walked.clock)
    found = {kind for instance, kind in kinds(engine) if instance == ID}
    # The renumbered event no longer matches its hash, and no longer chains to its predecessor.
    assert "edited" in found
    assert found & {"inserted", "reordered"}


def test_verify_command_exit_codes(cli: Cli) -> None:
    assert cli("start", PDK, "--title", "Kasus").exit_code == 0
    clean = cli("verify", "--all")
    assert (clean.exit_code, clean.stdout, clean.stderr) == (0, "", "1 instance(s) checked: all intact\n")
    assert cli("verify", ID).exit_code == 0
    sql(cli.db, "UPDATE events SET data = replace(data, 'Kasus', 'Kasus lain')")
    bad = cli("verify", ID)
    assert bad.exit_code == 1
    assert bad.stdout.startswith("PDK-2026-0001: edited: event 1 (started) was changed after it was recorded")
    assert cli("verify", "--all", "--json").exit_code == 1
    assert cli("verify").exit_code == 2
    assert cli("verify", "PDK-2026-0404").exit_code == 2


def test_a_step_on_a_record_that_disagrees_with_its_log_is_refused_not_retried(cli: Cli) -> None:
    assert cli("start", PDK, "--title", "Kasus").exit_code == 0
    assert cli("done", ID, "--by", "siti").exit_code == 0
    sql(cli.db, f"DELETE FROM events WHERE instance_id = '{ID}' AND seq = 2")  # behind sopctl's back
    result = cli("done", ID, "--by", "siti")
    # Not "changed while this command ran … try again" (exit 3): trying again cannot help.
    assert result.exit_code == 5
    assert result.stderr == (
        f"Error: the record of {ID} does not agree with its log (changed outside sopctl?): "
        f"run `sopctl verify {ID}`; nothing was written\n"
    )
    assert cli("verify", ID).exit_code == 1


def test_no_event_is_chained_onto_an_edited_log(cli: Cli) -> None:
    # A new event after an edited one would carry the forgery forward as if vouched for.
    assert cli("start", PDK, "--title", "Kasus").exit_code == 0
    assert cli("done", ID, "--by", "siti", "--note", "NIP salah").exit_code == 0
    sql(cli.db, "UPDATE events SET data = replace(data, 'NIP salah', 'NIP benar')")
    before = cli("log", ID, "--json").stdout
    for args in (
        ["done", ID, "--by", "siti"],
        ["hold", ID, "--reason", "x"],
        ["cancel", ID, "--reason", "x"],
    ):
        result = cli(*args)
        assert (result.exit_code, result.stderr) == (
            5,
            f"Error: the log of {ID} was changed outside sopctl: run `sopctl verify {ID}` and restore "
            "the store from a backup; nothing was written\n",
        )
    assert cli("log", ID, "--json").stdout == before  # nothing was appended
    assert cli("status", ID).exit_code == 0  # it can still be looked at
