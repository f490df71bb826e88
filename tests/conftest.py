"""Shared fixtures: an isolated environment, a fixed clock, a store and an engine.

No test touches the user's home: the default store location raises, logs go
to a temporary folder, and every SOPCTL_* variable is cleared.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import shutil
import signal
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from sopctl.run.engine import Engine
from sopctl.sop.loader import Catalog, load_catalog
from sopctl.store import Store, open_store

#: A PostgreSQL server for the store tests (read before the isolation fixture clears SOPCTL_*).
POSTGRES_URL = os.environ.get("SOPCTL_TEST_POSTGRES")

ROOT = Path(__file__).resolve().parent.parent
SOPS = ROOT / "sops"
WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    for name in list(os.environ):
        if name.startswith("SOPCTL_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SOPCTL_LOG_DIR", str(tmp_path_factory.mktemp("logs")))
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")

    def no_default_store() -> Path:
        raise AssertionError("a test used the default store location (the user's data folder)")

    monkeypatch.setattr("sopctl.store.default_location", no_default_store)


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail, rather than hang the suite or exhaust the machine's memory, if a read blocks (as it
    did on a FIFO) or has no end (as on /dev/zero): a MemoryError then, not the OOM killer."""

    def stuck(signum: int, frame: object) -> None:
        raise AssertionError("the read blocked")

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(5)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    in_use = int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
    limit = min(x for x in (in_use + 1024**3, soft, hard) if x != resource.RLIM_INFINITY)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def utc_server(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """This computer's clock set to UTC, as servers often are."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def pontianak_catalogue(tmp_path: Path) -> dict[str, str]:
    """The catalogue with a copy of the personnel SOP for an office in Pontianak (WIB too)."""
    sops = tmp_path / "sops"
    shutil.copytree(SOPS, sops)
    text = (SOPS / "pengelolaan-data-kepegawaian.yaml").read_text(encoding="utf-8")
    for old, new in (
        ("id: pengelolaan-data-kepegawaian\n", "id: pdk-pontianak\n"),
        ("code: PDK\n", "code: PDKP\n"),
        ("timezone: Asia/Jakarta ", "timezone: Asia/Pontianak "),
    ):
        assert old in text, old
        text = text.replace(old, new)
    (sops / "pdk-pontianak.yaml").write_text(text, encoding="utf-8")
    return {"SOPCTL_SOPS": str(sops)}


@dataclass
class Clock:
    """A clock the test moves by hand."""

    now: dt.datetime

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, text: str, tz: ZoneInfo = WIB) -> dt.datetime:
        self.now = dt.datetime.fromisoformat(text).replace(tzinfo=tz)
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 3, 2, 8, 0, tzinfo=WIB))  # a Monday, office open


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    loaded = load_catalog([SOPS])
    assert not loaded.problems, loaded.problems
    return loaded


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "sopctl.db"


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    """A new, empty store: every test that uses it runs on SQLite and on PostgreSQL."""
    opened = open_store(store_location)
    yield opened
    opened.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a store lives, once per backend: the store tests run on both."""
    if request.param == "sqlite":
        yield str(tmp_path / "sopctl.db")
        return
    if not POSTGRES_URL:
        pytest.skip(
            "PostgreSQL tests need SOPCTL_TEST_POSTGRES=postgresql://user@host/db "
            "(.ci/run starts a throwaway server; see README, Development)"
        )
    from tests.pg import fresh_database

    with fresh_database(POSTGRES_URL) as url:
        yield url


def back_to_schema_1(store_location: str) -> None:
    """Undo migrations 2 and 1 by hand: what a store written by sopctl with schema 1 holds."""
    store = open_store(store_location)
    with store.transaction():
        store._execute("DROP TABLE configs")
        store._execute("DELETE FROM meta WHERE key LIKE ?", ("served.%",))
        store._execute("DROP INDEX current_steps_due")
        for column in ("sop_id", "sop_hash", "title", "ref", "state"):
            store._execute(f"ALTER TABLE current_steps DROP COLUMN {column}")
        store._execute("CREATE INDEX current_steps_due ON current_steps (due_at)")
        store._execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    store.close()


@pytest.fixture
def engine(store: Store, catalog: Catalog, clock: Clock) -> Engine:
    return Engine(store, catalog, clock, sops_dir=SOPS, os_user="tester")


@dataclass
class Cli:
    """Runs ``sopctl`` in-process against a temporary store, with a fixed clock."""

    db: Path
    clock: Clock
    monkeypatch: pytest.MonkeyPatch

    def __call__(self, *args: str, env: dict[str, str] | None = None, input: str | None = None):  # type: ignore[no-untyped-def]
        from sopctl.cli import app

        self.monkeypatch.setattr("sopctl.cli.env.utcnow", self.clock)
        full_env = {"SOPCTL_DB": str(self.db), "SOPCTL_SOPS": str(SOPS), **(env or {})}
        return CliRunner().invoke(app, list(args), env=full_env, input=input, catch_exceptions=False)


@pytest.fixture
def cli(db_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(db_path, clock, monkeypatch)


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "sock.yaml"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    yield path
    server.close()
