"""A forged or edited row never reaches a report: every reader of the instance says so, every
writer refuses and leaves the evidence, until an admin repairs it with `verify --repair`,
which the log itself records."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from sopctl.run.engine import Engine
from sopctl.sop.loader import load_catalog
from sopctl.store import open_store
from tests.conftest import SOPS, Cli

PDK = "pengelolaan-data-kepegawaian"
ID = "PDK-2026-0001"


def sql(db: Path, *statements: str) -> None:
    with sqlite3.connect(db) as conn:
        for statement in statements:
            conn.execute(statement)


def forge_event(db: Path) -> None:
    """Append step 2's completion as sopctl would write it, hash and all, but leave the
    tables as they were before it: an event smuggled into the log."""
    tables = ("instances", "current_steps", "step_runs")
    with sqlite3.connect(db) as conn:
        before = {t: conn.execute(f"SELECT * FROM {t}").fetchall() for t in tables}
    engine = Engine(
        open_store(db), load_catalog([SOPS]), lambda: dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    )
    engine.done(ID, by="palsu")
    engine.store.close()
    with sqlite3.connect(db) as conn:
        for table, rows in before.items():
            conn.execute(f"DELETE FROM {table}")
            for row in rows:
                conn.execute(f"INSERT INTO {table} VALUES ({', '.join('?' for _ in row)})", row)


TAMPERS = {
    "an event without its rows": forge_event,
    "a due time moved to 2099": lambda db: sql(
        db, "UPDATE current_steps SET due_at = '2099-01-01T00:00:00Z'"
    ),
    "a current step deleted": lambda db: sql(db, "DELETE FROM current_steps"),
    "the state changed": lambda db: sql(db, "UPDATE instances SET state = 'done'"),
    "a step run forged": lambda db: sql(db, "UPDATE step_runs SET working_s = 60, within = 1"),
}


@pytest.fixture
def walked(cli: Cli) -> Cli:
    assert cli("start", PDK, "--title", "Mutasi").exit_code == 0
    cli.clock.advance(minutes=40)  # step 1 is late: 40 menit against 15
    assert cli("done", ID, "--by", "siti").exit_code == 0
    return cli


@pytest.mark.parametrize("tamper", list(TAMPERS), ids=list(TAMPERS))
def test_every_reader_says_so_and_every_writer_refuses(walked: Cli, db_path: Path, tamper: str) -> None:
    cli = walked
    TAMPERS[tamper](db_path)
    status = cli("status", ID)
    assert "PERINGATAN: log instans ini diubah di luar sopctl" in status.stdout
    assert json.loads(cli("status", ID, "--json").stdout)["intact"] is False
    log = cli("log", ID)
    assert f"jalankan `sopctl verify {ID}`" in log.stderr
    exported = cli("export", "instance", ID, "-f", "md", "-o", str(db_path.parent / "laporan.md"))
    assert exported.exit_code == 5 and not (db_path.parent / "laporan.md").exists()
    events_before = sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM events").fetchone()[0]
    refused = cli("done", ID, "--by", "rina")
    assert refused.exit_code == 5, refused.stderr
    assert "nothing was written" in refused.stderr
    assert sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM events").fetchone()[0] == events_before
    assert cli("verify", ID).exit_code == 1  # the evidence is still there


def test_verify_repair_rebuilds_the_tables_and_records_it(walked: Cli, db_path: Path) -> None:
    cli = walked
    sql(db_path, "UPDATE current_steps SET due_at = '2099-01-01T00:00:00Z'")
    repaired = cli("verify", ID, "--repair", "--by", "admin")
    assert repaired.exit_code == 0, repaired.stderr
    assert (
        repaired.stdout.splitlines()[0] == f"{ID}: repaired: 1 difference(s) between its tables and its log"
    )
    assert "current_steps.due_at is '2099-01-01T00:00:00Z'" in repaired.stdout
    assert cli("verify", "--all").exit_code == 0
    events = json.loads(cli("log", ID, "--json").stdout)
    assert events[-1]["type"] == "repaired" and events[-1]["data"]["count"] == 1
    assert json.loads(cli("status", ID, "--json").stdout)["intact"] is True
    assert cli("done", ID, "--by", "siti").exit_code == 0  # work goes on
    again = cli("verify", ID, "--repair")
    assert (again.exit_code, again.stdout) == (0, "")
    assert again.stderr == f"{ID}: its tables agree with its log; nothing to repair\n"


def test_an_edited_log_is_not_repaired(walked: Cli, db_path: Path) -> None:
    cli = walked
    sql(db_path, "UPDATE events SET data = replace(data, 'timing', 'waktu') WHERE seq = 2")
    refused = cli("verify", ID, "--repair")
    assert refused.exit_code == 5
    assert refused.stderr.startswith(f"Error: the log of {ID} itself was changed")
