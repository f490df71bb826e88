"""The store on both backends: schema and migrations, atomic writes, streaming, copying."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sopctl.audit import Auditor
from sopctl.errors import NoStoreError, StoreError, UsageError
from sopctl.run.engine import Engine
from sopctl.sop.loader import Catalog
from sopctl.store import base as store_base
from sopctl.store import open_store
from sopctl.store.copies import sha256
from sopctl.store.copy import copy_store
from tests.conftest import POSTGRES_URL, WIB, Clock, back_to_schema_1

PDK = "pengelolaan-data-kepegawaian"


def test_a_new_store_has_the_current_schema(store_location: str) -> None:
    store = open_store(store_location)
    assert store.schema_version() == store_base.SCHEMA_VERSION
    assert store.counts() == {"sops": 0, "events": 0, "instances": 0, "current_steps": 0, "step_runs": 0}
    store.close()


def test_reading_an_empty_database_is_no_store(store_location: str) -> None:
    """A database without sopctl's tables is refused by a reader, and left empty; a writer
    (``create``) or ``migrate`` makes the tables."""
    if not store_location.startswith("postgresql"):
        Path(store_location).touch()
    with pytest.raises(NoStoreError) as caught:
        open_store(store_location, create=False)
    assert caught.value.exit_code == 5
    assert str(caught.value).startswith("no store at ")
    opened = open_store(store_location, create=False, migrate=True)
    assert opened.migrate() == (0, 3)
    opened.close()
    opened = open_store(store_location, create=False)
    assert opened.counts()["instances"] == 0
    opened.close()


def test_reading_a_missing_sqlite_file_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    for migrate in (False, True):
        with pytest.raises(NoStoreError):
            open_store(missing, create=False, migrate=migrate)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_command_writes_nothing(store_location: str, catalog: Catalog, clock: Clock) -> None:
    store = open_store(store_location)
    engine = Engine(store, catalog, clock)
    engine.start(PDK, "Pertama")

    def broken(instance_id: str):  # type: ignore[no-untyped-def]
        raise RuntimeError("the power went out")

    with pytest.raises(RuntimeError):
        store.create("PDK-2026", broken)
    assert store.counts()["instances"] == 1
    # The id counter rolled back with the rest: the next instance is number 2, not 3.
    assert engine.start(PDK, "Kedua").state.id == "PDK-2026-0002"
    store.close()


def test_due_steps_stream_in_due_order(store_location: str, catalog: Catalog, clock: Clock) -> None:
    store = open_store(store_location)
    engine = Engine(store, catalog, clock)
    clock.advance(hours=1)
    for minutes in (30, 0, 15):
        engine.start(PDK, f"Kasus {minutes}", at=dt.datetime(2026, 3, 2, 8, minutes, tzinfo=WIB))
    until = dt.datetime(2026, 3, 3, 8, 0, tzinfo=WIB)
    rows = list(store.due_steps(until))
    title = store.DUE_COLUMNS.index("title")
    assert [r[title] for r in rows] == ["Kasus 0", "Kasus 15", "Kasus 30"]
    assert store.count_due_steps(until) == 3
    assert store.count_due_steps(until, sop="pemeliharaan-simpeg") == 0
    store.close()


def test_a_newer_schema_is_refused(store_location: str) -> None:
    store = open_store(store_location)
    store._execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    store.close()
    with pytest.raises(StoreError, match=r"written by a newer sopctl \(schema 7"):
        open_store(store_location)


def test_any_schema_opens_an_older_or_newer_store_to_describe_it(
    store_location: str, catalog: Catalog, clock: Clock
) -> None:
    """What `db info` opens: any sopctl store, whatever its schema; every other use refuses."""
    store = open_store(store_location)
    Engine(store, catalog, clock).start(PDK, "Kasus")
    store.close()
    back_to_schema_1(store_location)
    older = open_store(store_location, create=False, any_schema=True)
    assert (older.schema_version(), older.counts()["instances"], older.state_counts()) == (
        1,
        1,
        {"running": 1},
    )
    older._execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    older.close()
    newer = open_store(store_location, create=False, any_schema=True)
    assert newer.schema_version() == 4
    newer.close()
    with pytest.raises(StoreError, match=r"written by a newer sopctl \(schema 4"):
        open_store(store_location, create=False)


def test_any_schema_still_finds_no_store_in_an_empty_database(store_location: str) -> None:
    if not store_location.startswith("postgresql"):
        Path(store_location).touch()
    with pytest.raises(NoStoreError):
        open_store(store_location, create=False, any_schema=True)
    with pytest.raises(NoStoreError):  # and made no tables there
        open_store(store_location, create=False)


def test_migrating_a_schema_1_store(store_location: str, catalog: Catalog, clock: Clock) -> None:
    store = open_store(store_location)
    engine = Engine(store, catalog, clock)
    held = engine.start(PDK, "Ditunda").state.id
    engine.hold(held, by="admin", reason="menunggu berkas")
    running = engine.start(PDK, "Berjalan", ref="800/1").state.id
    store.close()
    back_to_schema_1(store_location)

    with pytest.raises(
        StoreError, match="has schema 1, this sopctl needs 3: back it up, then run `sopctl db migrate`"
    ):
        open_store(store_location)
    store = open_store(store_location, migrate=True)
    assert store.migrate() == (1, 3)
    assert store.migrate() == (3, 3)
    store.close()

    store = open_store(store_location)  # now accepted
    assert store.schema_version() == 3
    # The migration filled the instance's columns in: the held one is not due, the running is.
    rows = list(store.due_steps(dt.datetime(2027, 1, 1, tzinfo=dt.UTC)))
    assert [dict(zip(store.DUE_COLUMNS, r, strict=True)) for r in rows] == [
        {
            "instance_id": running,
            "step": 1,
            "pass": 1,
            "activated_at": rows[0][3],
            "due_at": rows[0][4],
            "sop_id": PDK,
            "sop_hash": (store.instance(running) or {})["sop_hash"],
            "title": "Berjalan",
            "ref": "800/1",
        }
    ]
    # And they are what replaying the log gives.
    assert list(Auditor(Engine(store, catalog, clock)).verify_all()) == []
    store.close()


def test_the_holiday_cache_lives_in_the_store(store_location: str) -> None:
    store = open_store(store_location)
    assert store.cache_get("k") is None
    store.cache_put("k", "v1")
    store.cache_put("k", "v2")
    assert store.cache_get("k") == "v2"
    store.close()


@pytest.mark.skipif(not POSTGRES_URL, reason="needs SOPCTL_TEST_POSTGRES (see README, Development)")
def test_copy_sqlite_to_postgresql_and_back(tmp_path: Path, catalog: Catalog, clock: Clock) -> None:
    from tests.pg import fresh_database

    sqlite_path = tmp_path / "kantor.db"
    source = open_store(sqlite_path)
    engine = Engine(source, catalog, clock)
    first = engine.start(PDK, "Mutasi").state.id
    clock.advance(minutes=10)
    engine.done(first, by="siti")
    engine.start("pemeliharaan-simpeg", "Pemeriksaan")
    assert POSTGRES_URL is not None
    with fresh_database(POSTGRES_URL) as url:
        target = open_store(url)
        report = copy_store(source, target)
        assert sorted(report.copied) == [first, "SIMPEG-2026-0001"]
        assert target.counts() == source.counts()
        assert list(Auditor(Engine(target, catalog, clock)).verify_all()) == []
        assert [e.hash for e in target.events(first)] == [e.hash for e in source.events(first)]
        # New ids continue where the source left off.
        assert Engine(target, catalog, clock).start(PDK, "Baru").state.id == "PDK-2026-0002"
        back = open_store(tmp_path / "back.db")
        copy_store(target, back)
        assert back.counts() == target.counts()
        assert list(Auditor(Engine(back, catalog, clock)).verify_all()) == []
        target.close()


def test_copy_into_a_non_empty_store_needs_a_merge_rule(
    tmp_path: Path, catalog: Catalog, clock: Clock
) -> None:
    a, b = open_store(tmp_path / "a.db"), open_store(tmp_path / "b.db")
    Engine(a, catalog, clock).start(PDK, "Di A")
    Engine(a, catalog, clock).start(PDK, "Juga di A")
    Engine(b, catalog, clock).start(PDK, "Di B")  # PDK-2026-0001 on both sides, different cases
    with pytest.raises(UsageError, match="already holds 1 instance"):
        copy_store(a, b)
    report = copy_store(a, b, merge="skip")
    assert (report.copied, report.skipped, report.differing) == (
        ["PDK-2026-0002"],
        ["PDK-2026-0001"],
        ["PDK-2026-0001"],
    )
    assert b.instance("PDK-2026-0001")["title"] == "Di B"  # type: ignore[index]
    assert list(Auditor(Engine(b, catalog, clock)).verify_all()) == []
    with pytest.raises(UsageError, match="the same store"):
        copy_store(a, a)


def test_copy_counts_only_the_sop_versions_it_wrote(
    store_location: str, tmp_path: Path, catalog: Catalog, clock: Clock
) -> None:
    source, target = open_store(tmp_path / "sumber.db"), open_store(store_location)
    Engine(source, catalog, clock).start(PDK, "Kasus")
    assert copy_store(source, target).sops == 1
    Engine(source, catalog, clock).start("pemeliharaan-simpeg", "Baru")
    report = copy_store(source, target, merge="skip")
    assert (report.copied, report.skipped, report.sops) == (["SIMPEG-2026-0001"], ["PDK-2026-0001"], 1)
    assert copy_store(source, target, merge="skip").sops == 0
    assert len(target.pinned_hashes()) == 2
    source.close()
    target.close()


def test_starting_an_instance_caches_the_holidays_it_needed(
    store_location: str, catalog: Catalog, clock: Clock
) -> None:
    store = open_store(store_location)
    Engine(store, catalog, clock).start(PDK, "Pertama")  # due times are computed inside the write
    assert any(
        key.startswith("holidays:ID:") for key in (r["key"] for r in store._rows("SELECT key FROM cache"))
    )
    store.close()


def test_copy_takes_what_the_store_serves_and_its_site_configs(
    store_location: str, tmp_path: Path, catalog: Catalog, clock: Clock
) -> None:
    """Without them a copied store run from cron in another folder would fall back to the
    default calendar: the site config and its pinned versions, and the served.* keys, go too."""
    source, target = open_store(tmp_path / "sumber.db"), open_store(store_location)
    Engine(source, catalog, clock).start(PDK, "Kasus")
    first, second = "clocks: {}\n", "holidays: {national: true}\n"
    with source.transaction():
        for config in (first, second):
            source.pin_config(sha256(config), "site", "/srv/sopctl.yaml", config, clock.now)
    served = {"catalogue": "/srv/sops", "org": "/srv/org.yaml", "site_config": "/srv/sopctl.yaml"}
    source.remember({**served, "site_config_hash": sha256(second)})
    copy_store(source, target)
    assert target.served() == source.served()
    assert target.config_versions("site") == source.config_versions("site")
    assert target.pinned_config(sha256(first)) == first
    assert target.schema_version() == store_base.SCHEMA_VERSION  # its own meta rows are its own
    # Merged into a store that serves files of its own, it keeps them.
    other = open_store(tmp_path / "lain.db")
    Engine(other, catalog, clock).start("pemeliharaan-simpeg", "Milik lain")
    other.remember({"catalogue": "/home/lain/sops"})
    copy_store(source, other, merge="skip")
    assert other.served()["catalogue"] == "/home/lain/sops"
    assert other.served()["org"] == "/srv/org.yaml"  # what it did not have
    assert len(other.config_versions("site")) == 2
    for store in (source, target, other):
        store.close()
