"""The store: the only code with SQL in it, shared by SQLite and PostgreSQL.

A backend subclass supplies the connection and a few dialect hooks (how to
start a write transaction, its placeholder, how to stream). Each write method
is one transaction: everything in it is stored, or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from sopctl.errors import ConflictError, NoStoreError, StoreError
from sopctl.run.events import Event, utc_text
from sopctl.run.instance import InstanceState
from sopctl.sop.procedure import Procedure
from sopctl.store.copies import PinnedCopies, PinnedSop, _digest_of, altered_copy
from sopctl.store.locks import LockWait
from sopctl.store.rows import current_rows, instance_row, lane_pattern, run_row, run_rows, service_run_row
from sopctl.store.schema import (
    APPLICATION,
    MIGRATIONS,
    SCHEMA_V1,
    SCHEMA_VERSION,
    SQLITE_COVERING,
    tables_at,
)

Row = dict[str, Any]

Builder = Callable[[str], tuple[Event, InstanceState, Procedure, PinnedSop]]


class SqlStore(PinnedCopies):
    backend = "sql"
    placeholder = "?"
    integer = "INTEGER"
    #: Extra columns of the index `check` reads (see schema.SQLITE_COVERING).
    covering = SQLITE_COVERING
    #: Starts a transaction whose reads all see one moment of the store (a backup's).
    snapshot_begin = "BEGIN"

    def __init__(self, conn: Any, url: str, wait: LockWait | None = None) -> None:
        self.conn = conn
        self.url = url
        self.wait = wait or LockWait()

    # -- dialect hooks ------------------------------------------------------------

    def _begin(self) -> None:
        self._execute("BEGIN")

    def _stream(self, sql: str, params: Sequence[Any]) -> Iterator[Row]:
        yield from self._rows(sql, params)

    def _stream_tuples(self, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        yield from self._execute(sql, params)

    def close(self) -> None:
        self.conn.close()

    # -- plumbing -----------------------------------------------------------------

    def _sql(self, text: str) -> str:
        return text if self.placeholder == "?" else text.replace("?", self.placeholder)

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(self._sql(sql), tuple(params))

    def _execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        for params in rows:
            self._execute(sql, params)

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        cursor = self._execute(sql, params)
        names = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(names, row, strict=True))

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        return next(self._rows(sql, params), None)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self._begin()
        try:
            yield
        except BaseException:
            with suppress(Exception):
                self.conn.execute("ROLLBACK")
            raise
        self._execute("COMMIT")

    # -- schema -------------------------------------------------------------------

    def _tables(self) -> set[str]:
        raise NotImplementedError

    def schema_version(self) -> int | None:
        """The store's schema version; None for an empty database."""
        tables = self._tables()
        if not tables:
            return None
        if "meta" not in tables:
            raise StoreError(f"{self.url} is not a sopctl database (it has other tables)")
        meta = {r["key"]: r["value"] for r in self._rows("SELECT key, value FROM meta")}
        if meta.get("application") != APPLICATION:
            raise StoreError(f"{self.url} is not a sopctl database")
        version = str(meta.get("schema_version", ""))
        if not version.isdecimal():
            raise StoreError(
                f"{self.url} has lost its schema version (meta.schema_version): restore it from a backup"
            )
        return int(version)

    def prepare(self, *, create: bool, migrate: bool = False, any_schema: bool = False) -> None:
        """Check the store can be used; create the tables in an empty one (with ``create``).

        Without ``create`` (or ``migrate``, which creates them too) an empty database is
        :class:`NoStoreError`: a command that only reads has nothing to read there. With
        ``any_schema`` a sopctl store of any version is accepted, to be described
        (``db info``), not used."""
        version = self.schema_version()
        if version is None:
            if create:
                self._create_schema()
            elif not migrate:
                raise NoStoreError(self.url)
            return
        if any_schema:
            return
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.url} was written by a newer sopctl (schema {version}; this one "
                f"knows up to {SCHEMA_VERSION}): upgrade sopctl"
            )
        if version < SCHEMA_VERSION and not migrate:
            raise StoreError(
                f"{self.url} has schema {version}, this sopctl needs {SCHEMA_VERSION}: "
                "back it up, then run `sopctl db migrate`"
            )

    def _ddl(self, statement: str) -> str:
        statement = statement.replace("{covering}", self.covering)
        return statement if self.integer == "INTEGER" else statement.replace("INTEGER", self.integer)

    def _lock_schema(self) -> None:
        """Inside a transaction: make concurrent schema creations wait for each other (SQLite's
        BEGIN IMMEDIATE already does)."""

    def remove_if_unused(self, *, keep_file: bool) -> bool:
        """Remove a store this command created and left empty, if no one else has it open;
        whether it was removed. Only an SQLite file can be; a server's database stays."""
        return False

    def _create_schema(self) -> None:
        with self.transaction():
            self._lock_schema()
            if "meta" in self._tables():  # several first starts at once: another one made it
                return
            for statement in SCHEMA_V1:
                self._execute(self._ddl(statement))
            self._execute("INSERT INTO meta (key, value) VALUES (?, ?)", ("application", APPLICATION))
            self._execute("INSERT INTO meta (key, value) VALUES (?, ?)", ("schema_version", "1"))
            self._migrate_from(1)

    def migrate(self) -> tuple[int, int]:
        """Apply missing migrations; returns (from, to) versions."""
        version = self.schema_version()
        if version is None:
            self._create_schema()
            return (0, SCHEMA_VERSION)
        if version > SCHEMA_VERSION:
            self.prepare(create=False)
        with self.transaction():
            self._migrate_from(version)
        return (version, SCHEMA_VERSION)

    def _migrate_from(self, version: int) -> None:
        for step in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[step]:
                self._execute(self._ddl(statement))
        self._execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))

    def state_counts(self) -> dict[str, int]:
        return {
            r["state"]: int(r["n"])
            for r in self._rows("SELECT state, COUNT(*) AS n FROM instances GROUP BY state")
        }

    def counts(self) -> dict[str, int]:
        tables = ("sops", "events", "instances", "current_steps", "step_runs")
        return {t: int(self._one(f"SELECT COUNT(*) AS n FROM {t}")["n"]) for t in tables}  # type: ignore[index]

    # -- writing instances ---------------------------------------------------------

    def _insert(self, table: str, row: Row) -> None:
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self._execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))

    def create(self, prefix: str, build: Builder) -> tuple[Event, InstanceState]:
        """Allocate the next id for ``prefix`` and store the instance's first event."""
        with self.transaction():
            row = self._one(
                "INSERT INTO id_counters (prefix, last_value) VALUES (?, 1) ON CONFLICT (prefix) "
                "DO UPDATE SET last_value = id_counters.last_value + 1 RETURNING last_value",
                (prefix,),
            )
            assert row is not None
            instance_id = f"{prefix}-{int(row['last_value']):04d}"
            event, state, flow, pin = build(instance_id)
            self._pin(pin, event.entered_at)
            stored = self._one("SELECT source, definition FROM sops WHERE hash = ?", (pin.hash,))
            if (
                stored is None
                or stored["source"] != pin.source
                or _digest_of(stored["definition"]) != pin.definition_hash
            ):
                # Pinned before, and changed since: a new instance must not run on that copy.
                raise altered_copy(f"SOP {pin.sop_id}", pin.hash, self.url)
            self._insert("events", event.to_row())
            self._insert("instances", instance_row(state))
            self._write_current(state, flow)
        return event, state

    def append(
        self, event: Event, state: InstanceState, flow: Procedure, before: InstanceState | None = None
    ) -> None:
        """Store ``event`` and the state after it, if the instance is still at ``event.seq - 1``.

        ``before``, the state the event was applied to, lets the instance's row be updated in
        the columns that changed only: naming an indexed column rewrites its index entries
        even when the value stays, two more pages for every step's durable commit."""
        with self.transaction():
            values = instance_row(state)
            old = instance_row(before) if before is not None else {}
            for key in ("id", "sop_id", "sop_hash", "title", "ref"):
                values.pop(key)
            values = {k: v for k, v in values.items() if k not in old or old[k] != v}
            assignments = ", ".join(f"{column} = ?" for column in values)
            cursor = self._execute(
                f"UPDATE instances SET {assignments} WHERE id = ? AND last_seq = ?",
                (*values.values(), state.id, event.seq - 1),
            )
            if cursor.rowcount != 1:
                raise ConflictError(f"instance {state.id} changed while this command ran")
            self._insert("events", event.to_row())
            self._write_current(state, flow)
            for run in state.runs:
                if run.seq == event.seq:
                    self._insert("step_runs", run_row(state, run))
            service = state.service
            if (
                service is not None
                and service.ended_at is not None
                and (before is None or before.service is None or before.service.ended_at is None)
            ):
                self._insert("step_runs", service_run_row(state))  # type: ignore[arg-type]

    def repair(self, event: Event, state: InstanceState, flow: Procedure) -> None:
        """Rebuild an instance's tables from its log and record that in it (``event``), in one
        transaction, while its log still ends where it did."""
        with self.transaction():
            last = self._one("SELECT MAX(seq) AS seq FROM events WHERE instance_id = ?", (state.id,))
            if last is None or int(last["seq"] or 0) != event.seq - 1:
                raise ConflictError(f"instance {state.id} changed while this command ran")
            self._insert("events", event.to_row())
            self._rebuild(state, flow)

    def rebuild(self, state: InstanceState, flow: Procedure) -> None:
        """Replace an instance's projection with ``state`` (rebuilt from its log)."""
        with self.transaction():
            self._rebuild(state, flow)

    def _rebuild(self, state: InstanceState, flow: Procedure) -> None:
        self._execute("DELETE FROM step_runs WHERE instance_id = ?", (state.id,))
        self._execute("DELETE FROM current_steps WHERE instance_id = ?", (state.id,))
        self._execute("DELETE FROM instances WHERE id = ?", (state.id,))
        self._insert("instances", instance_row(state))
        self._write_current(state, flow)
        for row in run_rows(state):
            self._insert("step_runs", row)

    def _write_current(self, state: InstanceState, flow: Procedure) -> None:
        self._execute("DELETE FROM current_steps WHERE instance_id = ?", (state.id,))
        for row in current_rows(state, flow):
            self._insert("current_steps", row)

    # -- reading -----------------------------------------------------------------

    def events(self, instance_id: str) -> list[Event]:
        return [
            Event.from_row(r)
            for r in self._rows("SELECT * FROM events WHERE instance_id = ? ORDER BY seq", (instance_id,))
        ]

    def head(self, instance_id: str) -> tuple[int, str] | None:
        """The last event's sequence number and hash, as the projection records them."""
        row = self._one("SELECT last_seq, last_hash FROM instances WHERE id = ?", (instance_id,))
        return None if row is None else (int(row["last_seq"]), row["last_hash"])

    def instance(self, instance_id: str) -> Row | None:
        return self._one("SELECT * FROM instances WHERE id = ?", (instance_id,))

    def instance_ids(self) -> Iterator[str]:
        """Every instance that has events, whether or not its projection row exists."""
        for row in self._stream("SELECT DISTINCT instance_id FROM events ORDER BY instance_id", ()):
            yield row["instance_id"]

    def current_steps(self, instance_id: str) -> list[Row]:
        return list(
            self._rows("SELECT * FROM current_steps WHERE instance_id = ? ORDER BY step", (instance_id,))
        )

    def instances(
        self,
        sop: str | None = None,
        state: str | None = None,
        lane: str | None = None,
        since: str | None = None,
    ) -> Iterator[Row]:
        where, params = ["1 = 1"], []
        if sop:
            where.append("sop_id = ?")
            params.append(sop)
        if state:
            where.append("state = ?")
            params.append(state)
        if since:
            where.append("started_at >= ?")
            params.append(since)
        if lane:
            where.append("id IN (SELECT instance_id FROM current_steps WHERE lanes LIKE ? ESCAPE '!')")
            params.append(lane_pattern(lane))
        sql = f"SELECT * FROM instances WHERE {' AND '.join(where)} ORDER BY started_at, id"
        return self._stream(sql, params)

    #: The columns of :meth:`due_steps`' rows, in order.
    DUE_COLUMNS = (
        *("instance_id", "step", "pass", "activated_at", "due_at"),
        *("sop_id", "sop_hash", "title", "ref"),
    )

    def due_steps(
        self, until: dt.datetime, sop: str | None = None, lane: str | None = None
    ) -> Iterator[tuple[Any, ...]]:
        """Current steps of running instances due at or before ``until``, earliest first, as
        tuples of :attr:`DUE_COLUMNS` (plain tuples: ``check`` may read a hundred thousand)."""
        sql, params = self._due_query(until, sop, lane)
        return self._stream_tuples(
            f"SELECT {', '.join(self.DUE_COLUMNS)} {sql} ORDER BY due_at, instance_id, step", params
        )

    def count_due_steps(self, until: dt.datetime, sop: str | None = None, lane: str | None = None) -> int:
        sql, params = self._due_query(until, sop, lane)
        row = self._one("SELECT COUNT(*) AS n " + sql, params)
        return int(row["n"]) if row else 0

    @staticmethod
    def _due_query(until: dt.datetime, sop: str | None, lane: str | None) -> tuple[str, list[Any]]:
        # One index range (state, due_at), already in due order: the instance's columns are
        # repeated in current_steps for this (schema 2).
        sql = "FROM current_steps WHERE state = 'running' AND due_at <= ?"
        params: list[Any] = [utc_text(until)]
        if sop:
            sql += " AND sop_id = ?"
            params.append(sop)
        if lane:
            sql += " AND lanes LIKE ? ESCAPE '!'"
            params.append(lane_pattern(lane))
        return sql, params

    def step_runs(
        self, sop: str | None = None, since: str | None = None, until: str | None = None
    ) -> Iterator[Row]:
        where, params = ["1 = 1"], []
        for clause, value in (("sop_id = ?", sop), ("completed_at >= ?", since), ("completed_at < ?", until)):
            if value:
                where.append(clause)
                params.append(value)
        return self._stream(
            f"SELECT * FROM step_runs WHERE {' AND '.join(where)} ORDER BY sop_id, step, completed_at", params
        )

    # -- raw access for verify and copy ---------------------------------------------

    def table_rows(self, table: str) -> Iterator[Row]:
        if table not in tables_at(SCHEMA_VERSION):
            raise ValueError(table)
        return self._stream(f"SELECT * FROM {table}", ())

    def projection_rows(self, instance_id: str) -> dict[str, list[Row]]:
        """The stored projection of one instance, in the order :func:`rows.projection` gives."""
        return {
            "instances": list(self._rows("SELECT * FROM instances WHERE id = ?", (instance_id,))),
            "current_steps": self.current_steps(instance_id),
            "step_runs": list(
                self._rows("SELECT * FROM step_runs WHERE instance_id = ? ORDER BY seq", (instance_id,))
            ),
        }

    # -- cache --------------------------------------------------------------------

    def cache_get(self, key: str) -> str | None:
        row = self._one("SELECT value FROM cache WHERE key = ?", (key,))
        return None if row is None else str(row["value"])

    def cache_put(self, key: str, value: str) -> None:
        """Keep a computed value; a store that cannot be written just goes without."""
        sql = (
            "INSERT INTO cache (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        )
        try:
            if self._in_transaction():  # e.g. due times computed while a new instance is stored
                self._execute(sql, (key, value))
                return
            with self.transaction():
                self._execute(sql, (key, value))
        except StoreError:
            pass

    def _in_transaction(self) -> bool:
        return bool(self.conn.in_transaction)

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that all see one moment of the store (inside a transaction: that one's), so
        that an instance's log and its tables are compared as one writer left them."""
        if self._in_transaction():
            yield
            return
        self._execute(self.snapshot_begin)
        try:
            yield
        finally:
            with suppress(Exception):
                self.conn.execute("COMMIT")
