"""Move a store's records to another store (SQLite <-> PostgreSQL), in one transaction.

Everything is copied as stored: pinned SOPs, id counters, every event with its
hash, the projection rows, and what the store serves (the site configs it pinned
and the ``served.*`` keys of ``meta``), so ``verify --all`` passes on both sides and
a command run from another folder gets the same calendar. A target that already
holds instances is refused unless ``merge="skip"``: then instances already in the
target are left alone (and reported when they differ) and only new ones are copied.

:func:`copy_tables` is the plain half, for backups: whole tables, row for row, into
a store that has nothing in them yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from sopctl.errors import UsageError
from sopctl.store.base import Row, SqlStore

Merge = Literal["refuse", "skip"]

#: Rows sent to the target per statement batch.
BATCH = 1_000

#: ``meta`` keys that describe the store itself, never copied over the target's own.
OWN_META = ("application", "schema_version")


@dataclass
class CopyReport:
    copied: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    #: Instances present on both sides with different events (kept as in the target).
    differing: list[str] = field(default_factory=list)
    #: Pinned SOP versions written (not those the target already had).
    sops: int = 0


def _events_by_instance(store: SqlStore) -> Iterator[tuple[str, list[Row]]]:
    current: str | None = None
    batch: list[Row] = []
    for row in store._stream("SELECT * FROM events ORDER BY instance_id, seq", ()):
        if row["instance_id"] != current:
            if current is not None:
                yield current, batch
            current, batch = row["instance_id"], []
        batch.append(row)
    if current is not None:
        yield current, batch


def insert_rows(target: SqlStore, table: str, rows: Iterable[Row]) -> int:
    """Insert ``rows`` (dicts with the same keys) into ``table`` as they are, in batches;
    how many there were."""
    sql: str | None = None
    batch: list[Sequence[object]] = []
    count = 0
    for row in rows:
        if sql is None:
            sql = f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})"
        batch.append(tuple(row.values()))
        count += 1
        if len(batch) == BATCH:
            target._execute_many(sql, batch)
            batch = []
    if batch:
        assert sql is not None
        target._execute_many(sql, batch)
    return count


def copy_tables(source: SqlStore, target: SqlStore, tables: Sequence[str]) -> dict[str, int]:
    """Copy every row of ``tables``, in that order, into the same (empty) tables of ``target``,
    inside the transaction the caller holds on it; the rows copied per table."""
    return {table: insert_rows(target, table, source.table_rows(table)) for table in tables}


def copy_store(source: SqlStore, target: SqlStore, merge: Merge = "refuse") -> CopyReport:
    if source.url == target.url:
        raise UsageError("the source and the target are the same store")
    existing = {row["id"]: row["last_hash"] for row in target.instances()}
    if existing and merge == "refuse":
        raise UsageError(
            f"{target.url} already holds {len(existing)} instance(s): copy into an empty store, "
            "or give --merge skip to add only the instances it does not have"
        )
    report = CopyReport()
    with target.transaction():
        for row in source.table_rows("sops"):
            written = target._execute(
                "INSERT INTO sops (hash, sop_id, file, source, definition, pinned_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING",
                (row["hash"], row["sop_id"], row["file"], row["source"], row["definition"], row["pinned_at"]),
            )
            report.sops += written.rowcount  # 0 for a version the target already had
        for row in source.table_rows("id_counters"):
            target._execute(
                "INSERT INTO id_counters (prefix, last_value) VALUES (?, ?) ON CONFLICT (prefix) "
                "DO UPDATE SET last_value = CASE WHEN excluded.last_value > id_counters.last_value "
                "THEN excluded.last_value ELSE id_counters.last_value END",
                (row["prefix"], int(row["last_value"])),
            )
        _copy_served(source, target, replace=not existing)
        for instance_id, events in _events_by_instance(source):
            if instance_id in existing:
                report.skipped.append(instance_id)
                if existing[instance_id] != events[-1]["hash"]:
                    report.differing.append(instance_id)
                continue
            insert_rows(target, "events", events)
            projection = source.projection_rows(instance_id)
            for table in ("instances", "current_steps", "step_runs"):
                insert_rows(target, table, projection[table])
            report.copied.append(instance_id)
    return report


def _copy_served(source: SqlStore, target: SqlStore, *, replace: bool) -> None:
    """The site configs the source pinned, and what it remembers serving (``meta``). An
    empty target takes the source's memory; one merged into keeps its own where it has one."""
    for row in source.table_rows("configs"):
        target._execute(
            "INSERT INTO configs (hash, kind, file, source, pinned_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (hash) DO NOTHING",
            (row["hash"], row["kind"], row["file"], row["source"], row["pinned_at"]),
        )
    on_conflict = "DO UPDATE SET value = excluded.value" if replace else "DO NOTHING"
    for row in source.table_rows("meta"):
        if row["key"] not in OWN_META:
            target._execute(
                f"INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) {on_conflict}",
                (row["key"], row["value"]),
            )
