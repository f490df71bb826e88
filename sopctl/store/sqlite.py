"""The embedded default: one SQLite file, WAL mode, durable commits."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sopctl.errors import ConflictError, NoStoreError, StoreError
from sopctl.store.base import SqlStore

BUSY_TIMEOUT_MS = 30_000


class SqliteStore(SqlStore):
    backend = "sqlite"
    #: Opened from a read-only disk: commands that write are refused before they begin.
    read_only = False

    @classmethod
    def open(
        cls, path: Path, *, create: bool = True, migrate: bool = False, any_schema: bool = False
    ) -> SqliteStore:
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
        read_only = exists and not create and not _writable(path)
        try:
            conn = sqlite3.connect(
                _read_only_uri(path) if read_only else str(path),
                isolation_level=None,
                timeout=BUSY_TIMEOUT_MS / 1000,
                uri=read_only,
            )
            store = cls(conn, str(path))
            store.read_only = read_only
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA schema_version")  # reads the header: is it a database at all?
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open {path}: {exc}") from None
        try:
            # Before WAL mode is set, which writes a header into an empty file.
            store.prepare(create=create, migrate=migrate, any_schema=any_schema)
            # A store of another schema is only described: its journal mode is its own
            # (a newer sopctl may have chosen another), so it is left as it is.
            if not read_only and not any_schema:
                conn.execute("PRAGMA journal_mode = WAL")  # another tool may keep another mode: fine
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
        except BaseException:
            conn.close()
            raise
        return store

    def _begin(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.url} is on a read-only disk: it can be read, not changed")
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


def _writable(path: Path) -> bool:
    """Whether sopctl may write ``path`` and, for WAL mode's side files, its folder: not on
    a read-only disk (an archive copy on a CD or a read-only share)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _read_only_uri(path: Path) -> str:
    """An SQLite URI that reads ``path`` without writing beside it. Without a ``-wal`` file
    everything is in the database file itself, so it is opened as immutable (WAL mode would
    otherwise need a ``-shm`` file it cannot create); with one, read-only WAL mode reads it."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    return uri if Path(f"{path}-wal").exists() else uri + "&immutable=1"
