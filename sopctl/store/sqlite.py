"""The embedded default: one SQLite file, WAL mode, durable commits."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sopctl.errors import ConflictError, NoStoreError, StoreError
from sopctl.store.base import SqlStore
from sopctl.store.locks import NOTICE_AFTER_S, LockWait


class SqliteStore(SqlStore):
    backend = "sqlite"
    #: Opened from a read-only disk: commands that write are refused before they begin.
    read_only = False

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        create: bool = True,
        migrate: bool = False,
        any_schema: bool = False,
        wait: LockWait | None = None,
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
        guard = None if read_only else _hold(path, create)
        if guard is None and not read_only and not create and not path.exists():
            raise NoStoreError(str(path))  # removed by a refused first start meanwhile
        try:
            conn = sqlite3.connect(
                _read_only_uri(path) if read_only else str(path),
                isolation_level=None,
                timeout=(wait or LockWait()).timeout,
                uri=read_only,
            )
            store = cls(conn, str(path), wait)
            store.read_only = read_only
            store._guard, store._path = guard, path
            conn.execute(f"PRAGMA busy_timeout = {int(store.wait.timeout * 1000)}")
            conn.execute("PRAGMA schema_version")  # reads the header: is it a database at all?
        except sqlite3.DatabaseError as exc:
            _release(guard)
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
            _release(guard)
            raise
        return store

    _guard: int | None = None
    _path: Path | None = None

    def close(self) -> None:
        super().close()
        _release(self._guard)
        self._guard = None

    def remove_if_unused(self, *, keep_file: bool) -> bool:
        """Remove this empty store, created by this command, if no other sopctl has it open.

        Every sopctl that opens the file holds a shared ``flock`` on it for as long as it has
        it open (:func:`_hold`). Holding the exclusive one, no one else can have opened it,
        nor write to it; one that opens it meanwhile waits, sees the file is gone and makes
        its own (a refused first start once deleted the store a racing start had written).
        """
        if self._guard is None or self._path is None:
            return False
        import fcntl

        try:
            fcntl.flock(self._guard, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # someone else has it open: it is theirs too now
            return False
        if "instances" in self._tables() and self.counts()["instances"]:
            return False  # (no tables at all: a restore into a new file that failed)
        self.conn.close()
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{self._path}{suffix}").unlink(missing_ok=True)
        if keep_file:  # an empty file was there before: put it back as it was
            os.truncate(self._path, 0)
        else:
            self._path.unlink(missing_ok=True)
        _release(self._guard)
        self._guard = None
        return True

    def _begin(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.url} is on a read-only disk: it can be read, not changed")
        # IMMEDIATE takes the write lock now, so two writers queue instead of failing late; the
        # wait is all there, so it is told after a second and bounded by the store's timeout.
        first = min(NOTICE_AFTER_S, self.wait.timeout)
        if self._begin_within(first):
            return
        if self.wait.notify is not None:
            self.wait.notify()
        if self.wait.timeout > first and self._begin_within(self.wait.timeout - first):
            return
        raise self.wait.gave_up(self.url)

    def _begin_within(self, seconds: float) -> bool:
        """BEGIN IMMEDIATE, waiting at most ``seconds`` for another writer; False if it still
        holds the lock then."""
        self.conn.execute(f"PRAGMA busy_timeout = {max(1, int(seconds * 1000))}")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                return False
            raise StoreError(f"{self.url}: {exc}") from None
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(self.wait.timeout * 1000)}")
        return True

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self._errors():
            return self.conn.execute(sql, tuple(params))

    def _execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self._errors():
            self.conn.executemany(sql, rows)

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.IntegrityError as exc:
            raise ConflictError(f"the store refused a write ({exc}): someone else changed it") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.url}: {exc}") from None

    def _tables(self) -> set[str]:
        return {r["name"] for r in self._rows("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _hold(path: Path, create: bool) -> int | None:
    """Open ``path`` (with ``create``, making it) and hold a shared ``flock`` on it while the
    store is open: the sign to :meth:`SqliteStore.remove_if_unused` that someone else uses
    it. None where the file is gone (without ``create``) or the system has no ``flock``."""
    try:
        import fcntl
    except ImportError:  # Windows: nothing is ever removed there (remove_if_unused)
        return None
    while True:
        try:
            fd = os.open(path, os.O_RDWR | (os.O_CREAT if create else 0), 0o666)
        except FileNotFoundError:
            return None
        except OSError:
            return None  # e.g. no permission to write: sqlite3 says why when it opens it
        fcntl.flock(fd, fcntl.LOCK_SH)  # waits while a refused first start removes it
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)  # removed while we waited: open what is there now


def _release(fd: int | None) -> None:
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)


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
