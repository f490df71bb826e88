"""The store's tables, shared by SQLite and PostgreSQL, and their migrations.

Version 1 is the first schema. A later version appends a list of statements to
:data:`MIGRATIONS`; ``sopctl db migrate`` applies the missing ones in order, in
one transaction. Types are the common subset: TEXT and INTEGER (BIGINT on
PostgreSQL); times are UTC text ``YYYY-MM-DDTHH:MM:SSZ``, which sorts.
"""

from __future__ import annotations

import re

APPLICATION = "sopctl"

SCHEMA_V1 = [
    """CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL)""",
    # Every SOP definition an instance was started with, by the hash of its file.
    """CREATE TABLE sops (
        hash TEXT PRIMARY KEY,
        sop_id TEXT NOT NULL,
        file TEXT,
        source TEXT NOT NULL,
        definition TEXT NOT NULL,
        pinned_at TEXT NOT NULL)""",
    """CREATE TABLE id_counters (
        prefix TEXT PRIMARY KEY,
        last_value INTEGER NOT NULL)""",
    # The log: append-only, hash-chained per instance.
    """CREATE TABLE events (
        instance_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        type TEXT NOT NULL,
        at TEXT NOT NULL,
        entered_at TEXT NOT NULL,
        step INTEGER,
        actor TEXT,
        os_user TEXT,
        data TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (instance_id, seq))""",
    # The projection: derived from the log (replayed and compared by `sopctl verify`).
    """CREATE TABLE instances (
        id TEXT PRIMARY KEY,
        sop_id TEXT NOT NULL,
        sop_hash TEXT NOT NULL REFERENCES sops (hash),
        title TEXT NOT NULL,
        ref TEXT,
        state TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        held_since TEXT,
        last_seq INTEGER NOT NULL,
        last_hash TEXT NOT NULL,
        last_at TEXT NOT NULL,
        unverified INTEGER NOT NULL)""",
    "CREATE INDEX instances_state ON instances (state, sop_id)",
    "CREATE INDEX instances_started ON instances (started_at)",
    """CREATE TABLE current_steps (
        instance_id TEXT NOT NULL,
        step INTEGER NOT NULL,
        pass INTEGER NOT NULL,
        lanes TEXT NOT NULL,
        activated_at TEXT NOT NULL,
        due_at TEXT,
        PRIMARY KEY (instance_id, step))""",
    "CREATE INDEX current_steps_due ON current_steps (due_at)",
    """CREATE TABLE step_runs (
        instance_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        sop_id TEXT NOT NULL,
        sop_hash TEXT NOT NULL,
        step INTEGER NOT NULL,
        pass INTEGER NOT NULL,
        lane TEXT,
        person TEXT,
        activated_at TEXT NOT NULL,
        completed_at TEXT NOT NULL,
        due_at TEXT,
        working_s INTEGER NOT NULL,
        wall_s INTEGER NOT NULL,
        held_s INTEGER NOT NULL,
        limit_s INTEGER,
        within INTEGER,
        looped_back INTEGER NOT NULL,
        PRIMARY KEY (instance_id, seq))""",
    "CREATE INDEX step_runs_sop ON step_runs (sop_id, completed_at)",
    # Derived data that is slow to compute (holiday tables); safe to delete.
    """CREATE TABLE cache (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL)""",
]

#: MIGRATIONS[n] takes a store from version n to n + 1.
MIGRATIONS: dict[int, list[str]] = {
    # Version 2: each current step carries its instance's SOP, title, reference and state,
    # so that `check` reads one table in due order instead of looking up every row's
    # instance (on a store of a million instances, 1.2 s of its 4 s).
    1: [
        "ALTER TABLE current_steps ADD COLUMN sop_id TEXT",
        "ALTER TABLE current_steps ADD COLUMN sop_hash TEXT",
        "ALTER TABLE current_steps ADD COLUMN title TEXT",
        "ALTER TABLE current_steps ADD COLUMN ref TEXT",
        "ALTER TABLE current_steps ADD COLUMN state TEXT",
        """UPDATE current_steps SET (sop_id, sop_hash, title, ref, state) = (
            SELECT i.sop_id, i.sop_hash, i.title, i.ref, i.state
            FROM instances i WHERE i.id = current_steps.instance_id)""",
        "DROP INDEX current_steps_due",
        # {covering}: on SQLite the index also holds every column `check` reads, so the query
        # never leaves it; PostgreSQL caps an index entry at ~2.7 kB, which a long title exceeds.
        "CREATE INDEX current_steps_due ON current_steps (state, due_at, instance_id, step{covering})",
    ],
    # Version 3: the store remembers the site configs it ran on, as it pins SOPs, so a command
    # run from another folder (cron) never gets a silently different calendar.
    2: [
        """CREATE TABLE configs (
            hash TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            file TEXT NOT NULL,
            source TEXT NOT NULL,
            pinned_at TEXT NOT NULL)""",
    ],
}

SCHEMA_VERSION = 1 + len(MIGRATIONS)

#: What ``{covering}`` in a statement stands for on SQLite.
SQLITE_COVERING = ", pass, activated_at, sop_id, sop_hash, title, ref"


def statements_up_to(version: int) -> list[str]:
    """The statements that build schema ``version`` in an empty database: version 1, then
    each migration up to ``version`` (the ``meta`` rows are the caller's to write)."""
    return [*SCHEMA_V1, *(statement for step in range(1, version) for statement in MIGRATIONS[step])]


def tables_at(version: int) -> tuple[str, ...]:
    """Every table of schema ``version``, in the order they are made: a table comes after the
    ones it refers to, so rows can be copied in this order (backups copy all of them)."""
    tables: list[str] = []
    for statement in statements_up_to(version):
        if created := re.match(r"\s*CREATE TABLE (\w+)", statement):
            tables.append(created.group(1))
        elif dropped := re.match(r"\s*DROP TABLE (\w+)", statement):
            tables.remove(dropped.group(1))
    return tuple(tables)
