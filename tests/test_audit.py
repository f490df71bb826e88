"""Tamper evidence: edit the SQLite file behind sopctl's back and see `verify` catch it."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from sopctl.audit import Auditor
from sopctl.errors import LogError, StoreError
from sopctl.run.engine import Engine
from sopctl.run.events import Event
from sopctl.sop.loader import Catalog
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


def swapped(first: int, second: int) -> list[str]:
    return [
        f"UPDATE events SET seq = 99 WHERE instance_id = '{ID}' AND seq = {first}",
        f"UPDATE events SET seq = {first} WHERE instance_id = '{ID}' AND seq = {second}",
        f"UPDATE events SET seq = {second} WHERE instance_id = '{ID}' AND seq = 99",
    ]


def changed(seq: int, assignment: str) -> list[str]:
    return [f"UPDATE events SET {assignment} WHERE instance_id = '{ID}' AND seq = {seq}"]


#: A log that can no longer be replayed, and the reason `verify` gives for it: which event
#: could not be applied and why, never a bare exception text (a KeyError's "2").
UNREPLAYABLE: dict[str, tuple[list[str], str]] = {
    "reordered": (swapped(2, 3), "event 2 (done) completes step 2, which was not current then (step 1 was)"),
    "deleted": (
        [f"DELETE FROM events WHERE instance_id = '{ID}' AND seq = 3"],
        "event 4 (done) completes step 3, which was not current then (step 2 was)",
    ),
    "start deleted": (
        [f"DELETE FROM events WHERE instance_id = '{ID}' AND seq = 1"],
        "it begins with event 2 (done), not with the instance's start",
    ),
    "type changed to decided": (
        changed(2, "type = 'decided'"),
        "event 2 (decided) records no branch of step 1",
    ),
    "type changed to started": (
        changed(2, "type = 'started'"),
        "event 2 (started) starts the instance a second time",
    ),
    "type unknown": (changed(2, "type = 'approved'"), "event 2 has an unknown type 'approved'"),
    "branch changed": (
        changed(5, """data = replace(data, '"Tidak"', '"Mungkin"')"""),
        "event 5 (decided) takes the branch 'Mungkin', which step 4 does not have",
    ),
    "step changed": (changed(2, "step = 99"), f"event 2 (done) names step 99, which {PDK} does not have"),
    "step removed": (changed(2, "step = NULL"), "event 2 (done) names no step"),
    "activation removed": (
        changed(2, "data = json_remove(data, '$.activated')"),
        "event 2 (done) leads to step 2, but its record does not open that step",
    ),
    "data of another shape": (changed(2, "data = '[]'"), "event 2 (done) holds data that sopctl cannot read"),
    "SOP version removed": (
        changed(1, "data = json_remove(data, '$.sop_hash')"),
        "event 1 (started) does not record the SOP version it started on",
    ),
}


@pytest.mark.parametrize("name", list(UNREPLAYABLE))
def test_a_log_that_cannot_be_replayed_says_which_event_and_why(
    walked: Engine, db_path: Path, name: str
) -> None:
    statements, reason = UNREPLAYABLE[name]
    walked.store.close()
    sql(db_path, *statements)
    engine = Engine(open_store(db_path), walked._catalog, walked.clock)
    replays = [f.message for f in Auditor(engine).verify(ID) if f.message.startswith("the log cannot")]
    assert replays == [f"the log cannot be replayed: {reason}"]
    with pytest.raises(LogError) as caught:  # any other command stops on it (exit 5)
        engine.status(ID)
    assert caught.value.exit_code == 5
    assert str(caught.value) == f"the log of {ID} cannot be replayed: {reason}; run `sopctl verify {ID}`"


#: A row that no longer holds an event sopctl can read: `verify` reports it (it used to stop
#: on it as an internal error, exit 70), naming the event and the column.
UNREADABLE: dict[str, tuple[list[str], str]] = {
    "time not a time": (changed(2, "at = 'kemarin'"), "its time is 'kemarin'"),
    "time without its offset": (
        changed(2, "at = '2026-03-02 08:10:00'"),
        "its time is '2026-03-02 08:10:00'",
    ),
    "data not JSON": (
        changed(2, """data = '{"note": "berkas lengkap, tetapi belum ditandatangani'"""),
        """its data is '{"note": "berkas lengkap, tetapi belum…""",
    ),
    "actor not an actor": (
        changed(2, """actor = '{"oleh": "siti"}'"""),
        """its actor is '{"oleh": "siti"}'""",
    ),
}


@pytest.mark.parametrize("name", list(UNREADABLE))
def test_an_event_that_cannot_be_read_is_a_finding(walked: Engine, db_path: Path, name: str) -> None:
    statements, reason = UNREADABLE[name]
    walked.store.close()
    sql(db_path, *statements)
    engine = Engine(open_store(db_path), walked._catalog, walked.clock)
    findings = list(Auditor(engine).verify_all())  # and goes on to the next instance
    assert [str(f) for f in findings] == [f"{ID}: edited: event 2 (done) cannot be read: {reason}"]
    with pytest.raises(LogError) as caught:
        engine.status(ID)
    assert str(caught.value) == (
        f"the log of {ID} cannot be replayed: event 2 (done) cannot be read: {reason}; "
        f"run `sopctl verify {ID}`"
    )


def test_a_pinned_sop_that_cannot_be_read_is_a_finding(walked: Engine, db_path: Path) -> None:
    walked.store.close()
    sql(db_path, "UPDATE sops SET definition = 'bukan JSON'")
    engine = Engine(open_store(db_path), walked._catalog, walked.clock)
    sop_hash = (engine.store.instance(ID) or {})["sop_hash"]
    reason = f"the SOP version {sop_hash[:12]} in {db_path} cannot be read: it was changed outside sopctl"
    assert [str(f) for f in Auditor(engine).verify_all()] == [
        f"{i}: edited: the log cannot be replayed: {reason}" for i in (ID, "PDK-2026-0002")
    ]
    with pytest.raises(StoreError) as caught:
        engine.status(ID)
    assert str(caught.value) == reason


ALTERED = (
    "the pinned copy of SOP pengelolaan-data-kepegawaian (version {sha}) in {db} was changed outside "
    "sopctl: run `sopctl verify --all`, and restore the store from a backup (`sopctl db restore`)"
)


@pytest.mark.parametrize(
    "edit",
    [
        "UPDATE sops SET definition = '{}'",
        # Readable, and one limit longer: what a quiet edit of the mutu baku would look like.
        "UPDATE sops SET definition = replace(definition, '30 Menit', '5 hari')",
        "UPDATE sops SET source = replace(source, '30 Menit', '5 hari')",
    ],
)
def test_a_pinned_copy_changed_in_the_store_is_caught_by_verify_and_before_use(
    walked: Engine, db_path: Path, edit: str
) -> None:
    walked.store.close()
    sql(db_path, edit)
    engine = Engine(open_store(db_path), walked._catalog, walked.clock)
    sop_hash = (engine.store.instance(ID) or {})["sop_hash"]
    reason = ALTERED.format(sha=sop_hash[:12], db=db_path)
    found = [str(f) for f in Auditor(engine).verify_all()]
    assert [f for f in found if f.startswith("PDK")] == [
        f"{i}: pinned: {reason}" for i in (ID, "PDK-2026-0002")
    ]
    for command in (lambda: engine.status(ID), lambda: engine.done(ID, by="siti")):
        with pytest.raises(StoreError) as caught:
            command()
        assert str(caught.value) == reason
    # A new case is not started on the edited copy either.
    with pytest.raises(StoreError) as caught:
        engine.start(PDK, "Kasus baru")
    assert str(caught.value) == reason


def test_verify_and_status_on_a_reordered_log(cli: Cli) -> None:
    assert cli("start", PDK, "--title", "Kasus").exit_code == 0
    assert cli("done", ID, "--by", "siti").exit_code == 0
    assert cli("done", ID, "--by", "siti").exit_code == 0
    sql(cli.db, *swapped(2, 3))
    result = cli("verify", "--all")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        f"{ID}: edited: event 2 (done) was changed after it was recorded: "
        "its hash does not match its content\n"
        f"{ID}: reordered: event 2 follows event 3 in the chain, not event 1\n"
        f"{ID}: edited: event 3 (done) was changed after it was recorded: "
        "its hash does not match its content\n"
        f"{ID}: reordered: event 3 follows event 1 in the chain, not event 2\n"
        f"{ID}: edited: the log cannot be replayed: event 2 (done) completes step 2, which was not current "
        "then (step 1 was)\n",
        "1 instance(s) checked: 1 tampered\n",
    )
    status = cli("status", ID)  # not an internal error (exit 70): the store disagrees with itself
    assert (status.exit_code, status.stdout, status.stderr) == (
        5,
        "",
        f"Error: the log of {ID} cannot be replayed: event 2 (done) completes step 2, which was not current "
        f"then (step 1 was); run `sopctl verify {ID}`\n",
    )


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
    # Before the command's own checks, which would answer from the cut log ("step 2 is not
    # current", exit 2).
    for args in (["done", ID, "--by", "siti", "--step", "2"], ["decide", ID, "ya", "--by", "siti"]):
        assert cli(*args).exit_code == 5
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
    # It can still be looked at, with a warning; but no summary to sign is printed from it.
    status = cli("status", ID)
    assert status.exit_code == 0
    warning = f"PERINGATAN: log instans ini diubah di luar sopctl; jalankan `sopctl verify {ID}`"
    assert warning in " ".join(status.stdout.split())
    assert json.loads(cli("status", ID, "--json").stdout)["intact"] is False
    assert cli("log", ID).stderr.startswith("PERINGATAN: log instans ini diubah di luar sopctl")
    laporan = cli("export", "instance", ID, "-f", "md", "-o", "-")
    assert (laporan.exit_code, laporan.stdout) == (5, "")
    assert laporan.stderr == (
        f"Error: the log of {ID} was changed outside sopctl: no summary is printed from it; "
        f"run `sopctl verify {ID}`\n"
    )
