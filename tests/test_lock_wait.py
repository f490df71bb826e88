"""Waiting for another user's change is visible and bounded: after a second the command says
it is waiting, and after the lock timeout it gives up with exit 3, nothing written."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL, SOPS

PDK = "pengelolaan-data-kepegawaian"


def sopctl(db: str, *args: str, timeout: str = "2") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOPCTL_")}
    env |= {"SOPCTL_DB": db, "SOPCTL_SOPS": str(SOPS), "SOPCTL_LOCK_TIMEOUT": timeout, "NO_COLOR": "1"}
    env["SOPCTL_LOG_DIR"] = str(Path(db).parent) if "://" not in db else "/tmp"
    return subprocess.run(
        [sys.executable, "-m", "sopctl", *args], capture_output=True, text=True, env=env, timeout=60
    )


@pytest.fixture
def store(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield str(tmp_path / "sopctl.db")
        return
    if not POSTGRES_URL:
        pytest.skip("needs SOPCTL_TEST_POSTGRES (see README, Development)")
    from tests.pg import fresh_database

    with fresh_database(POSTGRES_URL) as url:
        yield url


def hold_lock(db: str):  # type: ignore[no-untyped-def]
    """Another session in the middle of a change: SQLite's write lock, or the instance's row."""
    if "://" in db:
        import psycopg

        conn = psycopg.connect(db)
        conn.execute("SELECT * FROM instances FOR UPDATE")
        return conn
    conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    return conn


@pytest.mark.parametrize("store", ["sqlite", "postgresql"], indirect=True)
def test_a_held_lock_is_told_after_a_second_and_given_up_after_the_timeout(store: str) -> None:
    assert sopctl(store, "start", PDK, "--title", "Kasus").returncode == 0
    other = hold_lock(store)
    try:
        began = time.monotonic()
        result = sopctl(store, "done", "PDK-2026-0001", "--by", "siti", "--step", "1")
        took = time.monotonic() - began
    finally:
        other.rollback() if "://" in store else other.execute("ROLLBACK")
        other.close()
    from sopctl.store.postgres import redact

    shown = redact(store) if "://" in store else store
    assert result.returncode == 3, result.stderr
    assert result.stderr.splitlines() == [
        f"waiting for another user's change to {shown} to finish (at most 2 s)",
        f"Error: {shown} is busy: another user's change held it for 2 s, and this command gave up; "
        "nothing was written: try again (SOPCTL_LOCK_TIMEOUT sets the wait)",
    ]
    assert took < 20  # bounded: not 30 s of silence, not forever
    status = sopctl(store, "status", "PDK-2026-0001", "--json")
    assert '"history": []' in status.stdout  # nothing was written


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_lock_released_in_time_lets_the_change_through(store: str) -> None:
    assert sopctl(store, "start", PDK, "--title", "Kasus").returncode == 0
    other = hold_lock(store)
    release = threading.Timer(1.5, lambda: other.execute("ROLLBACK"))
    release.start()
    try:
        result = sopctl(store, "done", "PDK-2026-0001", "--by", "siti", "--step", "1", timeout="10")
    finally:
        release.join()
        other.close()
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("waiting for another user's change to ")
