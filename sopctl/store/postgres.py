"""The shared store: the same tables and SQL on a PostgreSQL server (psycopg 3).

Concurrency needs nothing special: appending is ``UPDATE instances ... WHERE
last_seq = ?`` inside a transaction, so of two admins completing the same step
the second waits for the first's row lock, then finds the sequence moved and
fails with a conflict. New instance ids come from an upsert on a counter row.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sopctl.errors import ConflictError, StoreError
from sopctl.store.base import Row, SqlStore
from sopctl.store.locks import NOTICE_AFTER_S, LockWait

#: Rows fetched per round trip when streaming (check over a million instances).
BATCH = 2_000


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


class PostgresStore(SqlStore):
    backend = "postgresql"
    placeholder = "%s"
    integer = "BIGINT"
    covering = ""
    # One snapshot for every read; no lock, so no one waits for a backup (pg_dump does the same).
    snapshot_begin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

    @classmethod
    def open(
        cls,
        url: str,
        *,
        create: bool = True,
        migrate: bool = False,
        any_schema: bool = False,
        wait: LockWait | None = None,
    ) -> PostgresStore:
        try:
            import psycopg
        except ImportError:
            from sopctl.extras import install_hint

            raise StoreError(f"PostgreSQL support is not installed: {install_hint('postgres')}") from None
        try:
            conn = psycopg.connect(url, autocommit=True, connect_timeout=10, application_name="sopctl")
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"cannot connect to {redact(url)}: {reason}") from None
        store = cls(conn, redact(url), wait)
        store.prepare(create=create, migrate=migrate, any_schema=any_schema)
        return store

    def _begin(self) -> None:
        self._execute("BEGIN")
        # A row another session holds locked (an open transaction in psql, a stuck client) is
        # waited for this long at most, not forever.
        self._execute(f"SET LOCAL lock_timeout = {max(1, int(self.wait.timeout * 1000))}")

    def _lock_schema(self) -> None:
        # Two first starts on an empty database: the second waits, then finds the tables.
        self._execute("SELECT pg_advisory_xact_lock(7355608)")

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self._errors():
            return self.conn.execute(self._sql(sql), tuple(params))

    def _execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self._errors(), self.conn.cursor() as cursor:
            cursor.executemany(self._sql(sql), rows)  # pipelined: not one round trip per row

    @contextmanager
    def _errors(self) -> Iterator[None]:
        import psycopg

        notice = None
        if self.wait.notify is not None and self._in_transaction() and not self._told:
            # Inside a write, a statement still running after a second waits for a lock.
            notice = threading.Timer(NOTICE_AFTER_S, self._tell)
            notice.daemon = True
            notice.start()
        try:
            yield
        except psycopg.errors.LockNotAvailable:
            raise self.wait.gave_up(self.url) from None
        except psycopg.errors.IntegrityError as exc:  # as SQLite: a key twice, a missing row
            raise ConflictError(
                f"the store refused a write ({_first_line(exc)}): someone else changed it"
            ) from None
        except psycopg.errors.SerializationFailure:
            raise ConflictError(
                "the store refused a write: someone else changed it at the same time"
            ) from None
        except psycopg.Error as exc:
            raise StoreError(f"{self.url}: {_first_line(exc)}") from None
        finally:
            if notice is not None:
                notice.cancel()

    _told = False

    def _tell(self) -> None:
        self._told = True
        if self.wait.notify is not None:
            self.wait.notify()

    def _stream(self, sql: str, params: Sequence[Any]) -> Iterator[Row]:
        names: list[str] = []
        for row in self._server_cursor(sql, params, names):
            yield dict(zip(names, row, strict=True))

    def _stream_tuples(self, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        return self._server_cursor(sql, params, [])

    def _server_cursor(self, sql: str, params: Sequence[Any], names: list[str]) -> Iterator[tuple[Any, ...]]:
        """Rows of a server-side cursor: the client holds one batch at a time, whatever the
        result's size. ``names`` is filled with the column names once the query runs."""
        import psycopg

        try:
            with self.conn.cursor(name=f"sopctl_{uuid.uuid4().hex}", withhold=True) as cursor:
                cursor.itersize = BATCH
                cursor.execute(self._sql(sql), tuple(params))
                names.extend(d[0] for d in cursor.description)
                yield from cursor
        except psycopg.Error as exc:
            raise StoreError(f"{self.url}: {_first_line(exc)}") from None

    def _in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return bool(self.conn.info.transaction_status != TransactionStatus.IDLE)

    def _tables(self) -> set[str]:
        return {
            r["table_name"]
            for r in self._rows(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            )
        }

    def counts(self) -> dict[str, int]:
        return {key: int(value) for key, value in super().counts().items()}


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
