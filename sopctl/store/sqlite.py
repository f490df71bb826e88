"""The embedded default: one SQLite file, WAL mode, durable commits."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sopctl.errors import ConflictError, NoStoreError, StoreError
from sopctl.store.base import SqlStore

BUSY_TIMEOUT_MS = 30_000


class SqliteStore(SqlStore):
    backend = "sqlite"

    @classmethod
    def open(cls, path: Path, *, create: bool = True, migrate: bool = False) -> SqliteStore:
        """Open (or, with ``create``, make) the store at ``path``.

        Without ``create`` a missing file is :class:`NoStoreError` and nothing is
        written to disk, so a read-only command never leaves a file behind.
        """
        exists = path.exists()
        if exists and path.is_dir():
            raise StoreError(f"{path} is a folder, not a database file")
        if not exists and not create:
            raise NoStoreError(str(path))
        if not exists and not path.parent.is_dir():
            raise StoreError(f"cannot create {path}: the folder {path.parent} does not exist")
        try:
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            store = cls(conn, str(path))
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA schema_version")  # reads the header: is it a database at all?
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open {path}: {exc}") from None
        try:
            # Before WAL mode is set, which writes a header into an empty file.
            store.prepare(create=create, migrate=migrate)
            conn.execute("PRAGMA journal_mode = WAL")  # another tool may keep another mode: fine
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
        except BaseException:
            conn.close()
            raise
        return store

    def _begin(self) -> None:
        # IMMEDIATE takes the write lock now, so two writers queue instead of failing late.
        self._execute("BEGIN IMMEDIATE")

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        try:
            return self.conn.execute(sql, tuple(params))
        except sqlite3.IntegrityError as exc:
            raise ConflictError(f"the store refused a write ({exc}): someone else changed it") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.url}: {exc}") from None

    def _tables(self) -> set[str]:
        return {r["name"] for r in self._rows("SELECT name FROM sqlite_master WHERE type = 'table'")}
