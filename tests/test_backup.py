"""Backups that restore: a consistent copy of a live store, on SQLite and PostgreSQL, and back.

Real SQLite files and a real PostgreSQL server (SOPCTL_TEST_POSTGRES) throughout; the
busy office is another process writing through the engine (tests/busy_writer.py).
"""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sopctl.audit import Auditor
from sopctl.errors import StoreError, UsageError
from sopctl.run.engine import Engine
from sopctl.sop.loader import Catalog
from sopctl.store import Store, open_store
from sopctl.store.backup import backup_store, restore_store
from sopctl.store.copies import sha256
from sopctl.store.schema import SCHEMA_VERSION, tables_at
from tests.conftest import POSTGRES_URL, ROOT, Clock, back_to_schema_1

PDK = "pengelolaan-data-kepegawaian"
needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="needs SOPCTL_TEST_POSTGRES (README, Development)"
)


def contents(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the store's schema, in a comparable order."""
    version = store.schema_version()
    assert version is not None
    return {
        table: sorted((tuple(sorted(row.items())) for row in store._rows(f"SELECT * FROM {table}")), key=repr)
        for table in tables_at(version)
    }


def office(store: Store, catalog: Catalog, clock: Clock) -> Engine:
    """A store with a bit of everything: running, held and cancelled cases, a step done,
    what the store serves, a pinned site config, the holiday cache."""
    engine = Engine(store, catalog, clock)
    first = engine.start(PDK, "Mutasi a.n. Siti", ref="800/123").state.id
    clock.advance(minutes=20)
    engine.done(first, by="siti", note="berkas lengkap")
    held = engine.start("pemeliharaan-simpeg", "Server mati").state.id
    engine.hold(held, reason="menunggu teknisi")
    cancelled = engine.start(PDK, "Salah input").state.id
    engine.cancel(cancelled, reason="dobel")
    store.remember({"catalogue": "/srv/sopctl/sops", "org": "/srv/sopctl/org.yaml"})
    config = "clocks: {}\n"
    with store.transaction():
        store.pin_config(sha256(config), "site", "/srv/sopctl/sopctl.yaml", config, clock.now)
    store.remember({"site_config": "/srv/sopctl/sopctl.yaml", "site_config_hash": sha256(config)})
    return engine


def backed_up(tmp_path: Path, catalog: Catalog, clock: Clock) -> Path:
    """An office's store (``kantor.db``) and its backup (``cadangan.db``), closed."""
    source = open_store(tmp_path / "kantor.db")
    office(source, catalog, clock)
    backup_store(source, tmp_path / "cadangan.db")
    source.close()
    return tmp_path / "cadangan.db"


def intact(store: Store, catalog: Catalog, clock: Clock) -> None:
    """`verify --all` passes and every instance's log replays into what the store holds."""
    engine = Engine(store, catalog, clock)
    assert list(Auditor(engine).verify_all()) == []
    for instance_id in store.instance_ids():
        loaded = engine.load(instance_id)
        assert loaded.intact and loaded.agrees, instance_id


@pytest.fixture
def postgres() -> Iterator[str]:
    """A fresh, empty PostgreSQL database (beside the store_location one, when both are used)."""
    if not POSTGRES_URL:
        pytest.skip("needs SOPCTL_TEST_POSTGRES (README, Development)")
    from tests.pg import fresh_database

    with fresh_database(POSTGRES_URL) as url:
        yield url


def test_a_backup_is_a_private_store_file_holding_every_table(
    store_location: str, tmp_path: Path, catalog: Catalog, clock: Clock
) -> None:
    store = open_store(store_location)
    office(store, catalog, clock)
    copied = backup_store(store, tmp_path / "cadangan.db")
    backup = tmp_path / "cadangan.db"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert (copied.source, copied.target, copied.schema_version) == (store.url, str(backup), SCHEMA_VERSION)
    assert copied.counts == store.counts()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no leftovers
    with sqlite3.connect(backup) as conn:  # one file: no -wal needed beside it
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    as_store = open_store(backup, create=False)  # an ordinary store file: readable where it lies
    assert contents(as_store) == contents(store)
    assert {"served.catalogue", "served.site_config_hash"} <= {
        row[0][1] for row in contents(as_store)["meta"]
    }
    assert contents(as_store)["configs"] and contents(as_store)["cache"]
    intact(as_store, catalog, clock)
    as_store.close()
    store.close()


def test_backup_and_restore_round_trip_sqlite_to_sqlite(
    tmp_path: Path, catalog: Catalog, clock: Clock
) -> None:
    store = open_store(tmp_path / "kantor.db")
    office(store, catalog, clock)
    backup_store(store, tmp_path / "cadangan.db")
    copied = restore_store(tmp_path / "cadangan.db", tmp_path / "pulih.db")
    assert (copied.target, copied.counts) == (str(tmp_path / "pulih.db"), store.counts())
    restored = open_store(tmp_path / "pulih.db", create=False)
    assert contents(restored) == contents(store)
    intact(restored, catalog, clock)
    # New ids go on where the office left off; the served files are the office's.
    assert Engine(restored, catalog, clock).start(PDK, "Baru").state.id == "PDK-2026-0003"
    assert restored.served()["site_config"] == "/srv/sopctl/sopctl.yaml"
    restored.close()
    store.close()


@needs_postgres
def test_postgresql_to_a_file_and_back_into_postgresql(
    tmp_path: Path, catalog: Catalog, clock: Clock, postgres: str
) -> None:
    from tests.pg import fresh_database

    assert POSTGRES_URL is not None
    store = open_store(postgres)
    office(store, catalog, clock)
    backup_store(store, tmp_path / "cadangan.db")
    as_file = open_store(tmp_path / "cadangan.db", create=False)
    assert contents(as_file) == contents(store)
    # The file's indexes are an SQLite store's own (check's covering index).
    assert [
        r[0] for r in as_file.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'current_steps_due'")
    ] == [
        "CREATE INDEX current_steps_due ON current_steps (state, due_at, instance_id, step, pass, "
        "activated_at, sop_id, sop_hash, title, ref)"
    ]
    as_file.close()
    with fresh_database(POSTGRES_URL) as other:
        restore_store(tmp_path / "cadangan.db", other)
        restored = open_store(other, create=False)
        assert contents(restored) == contents(store)
        intact(restored, catalog, clock)
        restored.close()
    restore_store(tmp_path / "cadangan.db", tmp_path / "arsip.db")  # and into SQLite
    archive = open_store(tmp_path / "arsip.db", create=False)
    assert contents(archive) == contents(store)
    intact(archive, catalog, clock)
    archive.close()
    store.close()


def test_a_backup_of_an_older_schema_is_migrated_when_restored(
    store_location: str, tmp_path: Path, catalog: Catalog, clock: Clock
) -> None:
    store = open_store(store_location)
    Engine(store, catalog, clock).start(PDK, "Kasus lama")
    store.close()
    back_to_schema_1(store_location)
    old = open_store(store_location, create=False, any_schema=True)
    copied = backup_store(old, tmp_path / "lama.db")  # back it up, then migrate: the advice
    assert copied.schema_version == 1
    old.close()
    restored_copy = restore_store(tmp_path / "lama.db", tmp_path / "baru.db")
    assert restored_copy.schema_version == 1
    restored = open_store(tmp_path / "baru.db", create=False)  # current: no migrate needed
    assert restored.schema_version() == SCHEMA_VERSION
    assert restored.current_steps("PDK-2026-0001")[0]["title"] == "Kasus lama"  # migration 1's columns
    intact(restored, catalog, clock)
    restored.close()


def test_a_store_of_a_newer_schema_is_not_backed_up(tmp_path: Path, catalog: Catalog, clock: Clock) -> None:
    store = open_store(tmp_path / "kantor.db")
    Engine(store, catalog, clock).start(PDK, "Kasus")
    store._execute("UPDATE meta SET value = '9' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="written by a newer sopctl"):
        backup_store(store, tmp_path / "cadangan.db")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kantor.db", "kantor.db-shm", "kantor.db-wal"]
    store.close()


def test_restore_refuses_a_target_that_holds_a_store(
    store_location: str, tmp_path: Path, catalog: Catalog, clock: Clock
) -> None:
    backed_up(tmp_path, catalog, clock)
    target = open_store(store_location)  # a store, still without instances
    before = contents(target)
    with pytest.raises(UsageError) as refused:
        restore_store(tmp_path / "cadangan.db", store_location)
    assert str(refused.value) == (
        f"{target.url} already holds a sopctl store (0 instance(s)): restore into a new file or an "
        "empty database; nothing was written"
    )
    Engine(target, catalog, clock).start(PDK, "Kasus sendiri")
    with pytest.raises(UsageError, match=r"already holds a sopctl store \(1 instance\(s\)\)"):
        restore_store(tmp_path / "cadangan.db", store_location)
    assert contents(target)["events"] != before["events"]  # its own case, nothing of the backup's
    assert [r["title"] for r in target.instances()] == ["Kasus sendiri"]
    target.close()


def test_a_backup_that_breaks_the_rules_restores_nothing(
    store_location: str, tmp_path: Path, catalog: Catalog, clock: Clock
) -> None:
    backed_up(tmp_path, catalog, clock)
    with sqlite3.connect(tmp_path / "cadangan.db") as conn:  # an instance without its SOP version
        conn.execute("DELETE FROM sops WHERE sop_id = 'pemeliharaan-simpeg'")
    with pytest.raises(UsageError) as refused:
        restore_store(tmp_path / "cadangan.db", store_location)
    assert str(refused.value) == (
        f"{tmp_path / 'cadangan.db'} cannot be restored: it breaks the store's rules (changed outside "
        "sopctl?); nothing was written"
    )
    if store_location.startswith("postgresql"):
        empty = open_store(store_location, create=False, migrate=True)
        assert empty.schema_version() is None  # not a table was left
        empty.close()
    else:
        assert not Path(store_location).exists()  # the file made for the restore is gone too


def test_a_failed_restore_into_an_empty_file_leaves_it_empty(
    tmp_path: Path, catalog: Catalog, clock: Clock
) -> None:
    backed_up(tmp_path, catalog, clock)
    with sqlite3.connect(tmp_path / "cadangan.db") as conn:
        conn.execute("DELETE FROM sops WHERE sop_id = 'pemeliharaan-simpeg'")
    (tmp_path / "kosong.db").touch()  # `: > kosong.db`, as for a first start
    with pytest.raises(UsageError, match="cannot be restored"):
        restore_store(tmp_path / "cadangan.db", tmp_path / "kosong.db")
    assert (tmp_path / "kosong.db").read_bytes() == b""
    assert not list(tmp_path.glob("kosong.db-*"))


def test_restore_into_a_database_of_something_else_is_refused(
    tmp_path: Path, catalog: Catalog, clock: Clock
) -> None:
    backed_up(tmp_path, catalog, clock)
    other = tmp_path / "arsip-surat.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE surat (nomor TEXT)")
    before = other.read_bytes()
    with pytest.raises(StoreError) as refused:
        restore_store(tmp_path / "cadangan.db", other)
    assert (str(refused.value), refused.value.exit_code) == (
        f"{other} is not a sopctl database (it has other tables)",
        5,
    )
    assert other.read_bytes() == before
    folder = tmp_path / "tidak-ada"
    with pytest.raises(StoreError) as nowhere:
        restore_store(tmp_path / "cadangan.db", folder / "pulih.db")
    assert str(nowhere.value) == f"cannot create {folder / 'pulih.db'}: the folder {folder} does not exist"


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "it is empty"),
        (bytes(range(256)) * 40, "it is not an SQLite database file"),
        (b"Laporan bulanan\nMaret 2026\n", "it is not an SQLite database file"),
    ],
    ids=["empty", "random bytes", "text"],
)
def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path, content: bytes, why: str) -> None:
    bad = tmp_path / "bukan-cadangan.db"
    bad.write_bytes(content)
    with pytest.raises(UsageError) as refused:
        restore_store(bad, tmp_path / "pulih.db")
    assert str(refused.value) == f"{bad} is not a sopctl backup: {why}"
    assert refused.value.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bukan-cadangan.db"]  # no target was made
    assert bad.read_bytes() == content


def test_other_sqlite_files_are_not_backups_either(tmp_path: Path, catalog: Catalog, clock: Clock) -> None:
    def refused(path: Path) -> str:
        with pytest.raises(UsageError) as caught:
            restore_store(path, tmp_path / "pulih.db")
        assert not (tmp_path / "pulih.db").exists()
        return str(caught.value)

    other = tmp_path / "lain.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE surat (nomor TEXT)")
    assert refused(other) == f"{other} is not a sopctl backup: it holds other tables than sopctl's"
    empty = tmp_path / "kosong.db"
    sqlite3.connect(empty).execute("VACUUM")  # a database with no tables at all
    assert empty.stat().st_size > 0
    assert refused(empty) == f"{empty} is not a sopctl backup: it is an empty database"
    store = open_store(tmp_path / "kantor.db")
    Engine(store, catalog, clock).start(PDK, "Kasus")
    backup_store(store, tmp_path / "cadangan.db")
    store.close()
    with sqlite3.connect(tmp_path / "cadangan.db") as conn:
        conn.execute("UPDATE meta SET value = '9' WHERE key = 'schema_version'")
    assert refused(tmp_path / "cadangan.db") == (
        f"{tmp_path / 'cadangan.db'} is a backup of schema 9, newer than this sopctl knows "
        f"({SCHEMA_VERSION}): restore it with a newer sopctl"
    )
    with sqlite3.connect(tmp_path / "cadangan.db") as conn:
        conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
        conn.execute("DROP TABLE configs")
    assert refused(tmp_path / "cadangan.db") == (
        f"{tmp_path / 'cadangan.db'} is not a whole sopctl backup: it has no configs table"
    )
    cut = tmp_path / "terpotong.db"
    cut.write_bytes((tmp_path / "kantor.db").read_bytes()[:8192])  # the first pages of a store
    assert refused(cut).startswith(f"{cut} is ")


def test_backup_refuses_an_existing_file_and_writes_nothing(
    tmp_path: Path, catalog: Catalog, clock: Clock
) -> None:
    store = open_store(tmp_path / "kantor.db")
    Engine(store, catalog, clock).start(PDK, "Kasus")
    (tmp_path / "cadangan.db").write_text("kemarin")
    with pytest.raises(UsageError) as refused:
        backup_store(store, tmp_path / "cadangan.db")
    assert str(refused.value) == (
        f"{tmp_path / 'cadangan.db'} already exists: a backup never replaces a file; give a new name"
    )
    (tmp_path / "tautan.db").symlink_to(tmp_path / "tidak-ada.db")  # a name taken by a dangling link
    with pytest.raises(UsageError, match="already exists"):
        backup_store(store, tmp_path / "tautan.db")
    with pytest.raises(UsageError, match="does not exist"):
        backup_store(store, tmp_path / "tidak" / "ada.db")
    assert (tmp_path / "cadangan.db").read_text() == "kemarin"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cadangan.db",
        "kantor.db",
        "kantor.db-shm",
        "kantor.db-wal",
        "tautan.db",
    ]
    store.close()


def test_postgresql_backup_reads_one_moment_while_others_write(
    tmp_path: Path, catalog: Catalog, clock: Clock, postgres: str
) -> None:
    """Between reading one table and the next another admin starts a case and completes a
    step: the backup holds none of it (without one snapshot it would hold the case's events
    but not its id counter, or the reverse)."""
    store = open_store(postgres)
    office(store, catalog, clock)
    before = contents(store)
    other = open_store(postgres)
    other_engine = Engine(other, catalog, clock)
    read = store.table_rows
    written: list[str] = []

    def table_rows(table: str) -> Iterator[dict[str, Any]]:
        if table == "events" and not written:  # the id counters have been read
            written.append(other_engine.start(PDK, "Datang di tengah").state.id)
            other_engine.done("PDK-2026-0001", by="budi")
        return read(table)

    store.table_rows = table_rows  # type: ignore[method-assign]
    backup_store(store, tmp_path / "cadangan.db")
    assert written == ["PDK-2026-0003"]
    as_file = open_store(tmp_path / "cadangan.db", create=False)
    assert contents(as_file) == before
    intact(as_file, catalog, clock)
    as_file.close()
    assert store.instance("PDK-2026-0003") is not None  # the live store has it
    other.close()
    store.close()


def _writer(location: str, stop: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.busy_writer", location, str(stop)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _events(location: str) -> int:
    store = open_store(location, create=False)
    try:
        return store.counts()["events"]
    finally:
        store.close()


def _more_events_than(location: str, seen: int, writer: subprocess.Popen[str]) -> int:
    deadline = time.monotonic() + 60
    while (now := _events(location)) <= seen:
        assert writer.poll() is None, writer.communicate()
        assert time.monotonic() < deadline, "the writer made no progress"
        time.sleep(0.01)
    return now


def test_backups_taken_while_another_process_writes_are_consistent(
    store_location: str, tmp_path: Path, catalog: Catalog, clock: Clock
) -> None:
    """Backups of a store another process keeps writing to, step after step: each restores
    into a store that verifies, every instance replays, and each is a later moment. Backups
    go on until the writer has committed during at least one (usually the first)."""
    open_store(store_location).close()
    stop = tmp_path / "stop"
    writer = _writer(store_location, stop)
    backups: list[Path] = []
    overlapped = False
    try:
        seen = _more_events_than(store_location, 20, writer)
        store = open_store(store_location, create=False)
        while len(backups) < 5 or (not overlapped and len(backups) < 100):
            backups.append(tmp_path / f"cadangan-{len(backups)}.db")
            taken = backup_store(store, backups[-1]).counts["events"]
            after = _events(store_location)
            overlapped = overlapped or after > taken  # written while it was being made
            seen = _more_events_than(store_location, after, writer)  # and more before the next
        store.close()
    finally:
        stop.touch()
        _, err = writer.communicate(timeout=60)
    assert (writer.returncode, err) == (0, "")
    assert overlapped
    counts = []
    for n, backup in enumerate(backups):
        restore_store(backup, tmp_path / f"pulih-{n}.db")
        restored = open_store(tmp_path / f"pulih-{n}.db", create=False)
        intact(restored, catalog, clock)
        counts.append(restored.counts()["events"])
        restored.close()
    assert counts == sorted(set(counts)), counts  # different moments, one after another
    assert seen > counts[-1]


def test_a_restore_waits_for_another_users_change_then_gives_up(
    tmp_path: Path, catalog: Catalog, clock: Clock
) -> None:
    from sopctl.errors import BusyError
    from sopctl.store.locks import LockWait

    backed_up(tmp_path, catalog, clock)
    (tmp_path / "pulih.db").touch()
    other = open_store(tmp_path / "pulih.db", create=False, migrate=True)  # another sopctl, writing
    other._begin()
    with pytest.raises(BusyError) as busy:
        restore_store(tmp_path / "cadangan.db", tmp_path / "pulih.db", LockWait(timeout=0.2))
    assert busy.value.exit_code == 3
    assert str(busy.value).startswith(f"{tmp_path / 'pulih.db'} is busy: another user's change held it")
    other._execute("ROLLBACK")
    assert other.schema_version() is None  # nothing of the backup's, and the file is still theirs
    other.close()
    restore_store(tmp_path / "cadangan.db", tmp_path / "pulih.db")  # once they are done, it goes
