"""Move a store's records to another store (SQLite <-> PostgreSQL), in one transaction.

Everything is copied as stored: pinned SOPs, id counters, every event with its
hash, and the projection rows, so ``verify --all`` passes on both sides. A
target that already holds instances is refused unless ``merge="skip"``: then
instances already in the target are left alone (and reported when they differ)
and only new ones are copied.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from sopctl.errors import UsageError
from sopctl.store.base import Row, SqlStore

Merge = Literal["refuse", "skip"]


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
        for instance_id, events in _events_by_instance(source):
            if instance_id in existing:
                report.skipped.append(instance_id)
                if existing[instance_id] != events[-1]["hash"]:
                    report.differing.append(instance_id)
                continue
            for event in events:
                target._insert("events", event)
            projection = source.projection_rows(instance_id)
            for table in ("instances", "current_steps", "step_runs"):
                for row in projection[table]:
                    target._insert(table, row)
            report.copied.append(instance_id)
    return report
