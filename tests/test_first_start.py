"""A refused first start never removes a store someone else uses, and first starts at once
on a new store all succeed (issue: "a start never erases another")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sopctl.store import open_store
from sopctl.store.sqlite import SqliteStore
from tests.conftest import SOPS

PDK = "pengelolaan-data-kepegawaian"
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")


def test_an_empty_new_store_is_kept_while_another_has_it_open(tmp_path: Path) -> None:
    path = tmp_path / "n.db"
    refused = SqliteStore.open(path, create=True)  # the refused start made it
    racer = SqliteStore.open(path, create=True)  # a racing start opened it meanwhile
    assert refused.remove_if_unused(keep_file=False) is False
    assert path.exists()
    racer.close()
    refused.close()


def test_an_empty_new_store_nobody_else_opened_is_removed(tmp_path: Path) -> None:
    path = tmp_path / "n.db"
    store = SqliteStore.open(path, create=True)
    assert store.remove_if_unused(keep_file=False) is True
    store.close()
    assert not any(tmp_path.iterdir())  # nor its -wal and -shm


def test_an_empty_file_given_is_put_back_empty(tmp_path: Path) -> None:
    path = tmp_path / "n.db"
    path.touch()
    store = SqliteStore.open(path, create=True)
    assert store.remove_if_unused(keep_file=True) is True
    store.close()
    assert path.exists() and path.stat().st_size == 0


def _sopctl(db: Path | str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "SOPCTL_DB": str(db), "SOPCTL_SOPS": str(SOPS)}
    return subprocess.Popen(
        [sys.executable, "-m", "sopctl", "start", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_refused_first_start_racing_a_good_one_loses_nothing(tmp_path: Path) -> None:
    for trial in range(6):
        db = tmp_path / f"n{trial}.db"
        racers = [_sopctl(db, "no-such-sop", "--title", "a"), _sopctl(db, PDK, "--title", "b")]
        codes = [racer.wait(timeout=60) for racer in racers]
        assert codes == [2, 0], [racer.stderr.read() for racer in racers if racer.stderr]
        store = open_store(str(db), create=False)
        assert store.counts()["instances"] == 1  # the good start is there
        store.close()


def test_first_starts_at_once_on_a_new_store_all_succeed(store_location: str) -> None:
    # Before, SQLite said "table meta already exists" (exit 5) and PostgreSQL a duplicate
    # pg_type key (exit 3): each created the tables without waiting for the other.
    db = store_location
    racers = [_sopctl(db, PDK, "--title", f"Kasus {n}") for n in range(4)]
    errors = [(racer.wait(timeout=60), racer.stderr.read() if racer.stderr else "") for racer in racers]
    assert errors == [(0, "")] * 4
    store = open_store(db, create=False)
    assert store.counts()["instances"] == 4
    store.close()
