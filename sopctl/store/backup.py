"""Backups that restore: a consistent copy of a live store in one file, and back.

A backup is an ordinary sopctl SQLite store file, whatever the store's backend: it
can be read where it lies (``sopctl --db FILE verify --all``), and restored into
SQLite or PostgreSQL alike. From SQLite it is made with SQLite's online backup API
in one step, which copies one moment of the database while others keep writing (WAL
mode: they never wait for it); from PostgreSQL every table of sopctl's schema is
read in one REPEATABLE READ transaction, which sees one moment of it, and written
into a new SQLite file.

The file is built under a temporary name beside ``FILE`` (private, mode 0600: it
holds the office's records) and linked to ``FILE`` only once complete; an existing
``FILE`` is never replaced. A backup killed midway leaves at most the temporary
``.FILE.*.partial``, never a half backup under the name asked for.

Restoring copies every table of the backup into an empty store in one transaction,
then migrates it to this sopctl's schema (as ``sopctl db migrate`` would), in that
same transaction: the store is restored whole, or not at all.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sopctl.errors import BusyError, ConflictError, NotFoundError, StoreError, UsageError
from sopctl.store.base import SqlStore
from sopctl.store.copy import copy_tables
from sopctl.store.locks import LockWait
from sopctl.store.schema import APPLICATION, SCHEMA_VERSION, statements_up_to, tables_at
from sopctl.store.sqlite import SqliteStore, _read_only_uri

#: The first bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"

#: SQLite errors of the online backup that are the source's doing, not the new file's.
SOURCE_ERRORS = ("SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_BUSY", "SQLITE_LOCKED")


@dataclass(frozen=True)
class Copied:
    """What a backup or a restore wrote: where from, where to, and what it holds."""

    source: str
    target: str
    #: The schema of the backup (a restore migrates it to :data:`SCHEMA_VERSION`).
    schema_version: int
    counts: dict[str, int]


# -- backing up ---------------------------------------------------------------------


def backup_store(store: SqlStore, path: Path) -> Copied:
    """Write a consistent copy of ``store`` to the new file ``path``."""
    check_new_file(path)
    store.prepare(create=False, migrate=True)  # an older schema may be backed up; a newer one not
    with _temporary_beside(path) as temp:
        if isinstance(store, SqliteStore):
            _page_copy(store, temp, path)
        else:
            _table_copy(store, temp, path)
        backup = open_backup(temp, shown_as=path)
        try:
            version, counts = _schema_of(backup, path), backup.counts()
        finally:
            backup.close()
        _place(temp, path)
    return Copied(store.url, str(path), version, counts)


def check_new_file(path: Path) -> None:
    if os.path.lexists(path):
        raise _taken(path)
    if not path.parent.is_dir():
        raise UsageError(f"the folder {path.parent} does not exist")


@contextlib.contextmanager
def _temporary_beside(path: Path) -> Iterator[Path]:
    """A new private file beside ``path``, removed afterwards with SQLite's side files (once
    linked to ``path``, the data stays there)."""
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    os.close(fd)
    temp = Path(name)
    try:
        os.chmod(temp, 0o600)  # mkstemp's already; said again, as it is the promise
        yield temp
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{temp}{suffix}").unlink(missing_ok=True)


def _page_copy(store: SqliteStore, temp: Path, path: Path) -> None:
    """SQLite's online backup, all pages in one step: one read transaction on the source, so
    one moment of it (a copy made in several steps restarts whenever someone writes)."""
    target = _Building.connect(temp, path)
    try:
        try:
            store.conn.backup(target.conn, pages=-1)
        except sqlite3.Error as exc:
            if getattr(exc, "sqlite_errorname", "").startswith(SOURCE_ERRORS):
                raise StoreError(f"{store.url}: {exc}") from None
            raise UsageError(f"cannot write {path}: {exc}") from None
        # The copy is in WAL mode, as its source: a backup is one file, with no -wal beside it.
        target._execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()


def _table_copy(store: SqlStore, temp: Path, path: Path) -> None:
    """Every table of ``store``'s schema, read in one snapshot, into a new SQLite store."""
    target = _Building.connect(temp, path)
    try:
        # Nothing needs a journal here: a failed backup is deleted, not rolled back.
        target._execute("PRAGMA journal_mode = MEMORY")
        target._execute("PRAGMA synchronous = OFF")  # the whole file is synced once, when placed
        store._execute(store.snapshot_begin)
        try:
            store.prepare(create=False, migrate=True)  # as of the snapshot: migrated meanwhile?
            version = store.schema_version()
            assert version is not None  # prepared: a store, of a known schema
            with target.transaction():
                create_tables(target, version)
                copy_tables(store, target, tables_at(version))
        finally:
            with contextlib.suppress(StoreError):  # it only read; a lost connection ended it
                store._execute("ROLLBACK")
    finally:
        target.close()


class _Building(SqliteStore):
    """The SQLite file a backup is written into: a failure there is the backup's, named as
    ``FILE`` (a full disk: nothing was written)."""

    @classmethod
    def connect(cls, temp: Path, path: Path) -> _Building:
        store = cls(None, str(path))
        with store._errors():
            store.conn = sqlite3.connect(temp, isolation_level=None)
        return store

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise UsageError(f"cannot write {self.url}: {exc}") from None


def _place(temp: Path, path: Path) -> None:
    """Give the finished backup its name: synced first, and never over an existing file."""
    try:
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        try:
            os.link(temp, path)  # fails if the name was taken meanwhile: no silent overwrite
        except FileExistsError:
            raise _taken(path) from None
        except OSError:  # a file system without hard links
            if os.path.lexists(path):
                raise _taken(path) from None
            os.rename(temp, path)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    with contextlib.suppress(OSError):  # the new name itself survives a power cut
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _taken(path: Path) -> UsageError:
    return UsageError(f"{path} already exists: a backup never replaces a file; give a new name")


# -- reading a backup ---------------------------------------------------------------


def open_backup(path: Path, *, shown_as: Path | None = None) -> SqliteStore:
    """The backup at ``path``, opened read-only, checked to be a whole sopctl store file."""
    from sopctl.files import FileError, kind

    shown = shown_as or path
    try:
        found = kind(path)
    except FileError as exc:  # a name over 255 bytes, a folder without permission
        raise UsageError(f"{shown} {exc.message}") from None
    if found is None:
        raise NotFoundError(f"{shown} does not exist")
    if found != "file":  # a FIFO would be waited on forever, a device read as a backup
        raise UsageError(f"{shown} is a {found}, not a backup file")
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise UsageError(f"cannot read {shown}: {exc.strerror or exc}") from None
    if not header:
        raise UsageError(f"{shown} is not a sopctl backup: it is empty")
    if header != SQLITE_HEADER:
        raise UsageError(f"{shown} is not a sopctl backup: it is not an SQLite database file")
    store = SqliteStore(sqlite3.connect(_read_only_uri(path), uri=True, isolation_level=None), str(shown))
    store.read_only = True
    try:
        problems = [row[0] for row in store.conn.execute("PRAGMA quick_check")]
    except sqlite3.Error as exc:
        store.close()
        raise UsageError(f"{shown} is not a sopctl backup: {exc}") from None
    if problems != ["ok"]:
        store.close()
        raise UsageError(f"{shown} is damaged: {problems[0]}")
    return store


def _schema_of(backup: SqliteStore, shown: Path) -> int:
    """The schema version of a backup, once it is known to hold every table of it."""
    tables = backup._tables()
    if "meta" not in tables:
        raise UsageError(
            f"{shown} is not a sopctl backup: "
            + ("it holds other tables than sopctl's" if tables else "it is an empty database")
        )
    meta = {row["key"]: row["value"] for row in backup._rows("SELECT key, value FROM meta")}
    if meta.get("application") != APPLICATION:
        raise UsageError(f"{shown} is not a sopctl backup: it is another application's database")
    version = str(meta.get("schema_version", ""))
    if not version.isdecimal() or int(version) < 1:
        raise UsageError(f"{shown} is damaged: it has lost its schema version (meta.schema_version)")
    if int(version) > SCHEMA_VERSION:
        raise UsageError(
            f"{shown} is a backup of schema {version}, newer than this sopctl knows "
            f"({SCHEMA_VERSION}): restore it with a newer sopctl"
        )
    missing = [table for table in tables_at(int(version)) if table not in tables]
    if missing:
        raise UsageError(f"{shown} is not a whole sopctl backup: it has no {missing[0]} table")
    return int(version)


# -- restoring ----------------------------------------------------------------------


def create_tables(target: SqlStore, version: int) -> None:
    """Schema ``version``'s tables, empty, inside the caller's transaction on ``target``."""
    for statement in statements_up_to(version):
        target._execute(target._ddl(statement))


def restore_store(path: Path, location: str | Path | None, wait: LockWait | None = None) -> Copied:
    """Restore the backup at ``path`` into the empty store at ``location`` (as for
    :func:`~sopctl.store.open_store`), migrated to this sopctl's schema."""
    backup = open_backup(path)
    try:
        version, counts = _schema_of(backup, path), backup.counts()
        target, keep_file = _empty_target(location, wait)
        try:
            with target.transaction():
                target._lock_schema()
                _refuse_a_store(target)  # again: someone may have made one meanwhile
                create_tables(target, version)
                try:
                    copy_tables(backup, target, tables_at(version))
                except BusyError:
                    raise
                except ConflictError:  # a key twice, a row naming a missing SOP version
                    raise UsageError(
                        f"{path} cannot be restored: it breaks the store's rules (changed outside "
                        "sopctl?); nothing was written"
                    ) from None
                if version < SCHEMA_VERSION:
                    target._migrate_from(version)
        except BaseException:
            if keep_file is not None:  # an SQLite file that was new or empty: as it was
                target.remove_if_unused(keep_file=keep_file)
            raise
        finally:
            target.close()
    finally:
        backup.close()
    return Copied(str(path), target.url, version, counts)


def _empty_target(location: str | Path | None, wait: LockWait | None) -> tuple[SqlStore, bool | None]:
    """The target store, opened without making tables, refused if it holds a store; and, for
    an SQLite file that was not there or was empty, whether to keep the file should the restore
    fail (None: a file with something in it, or PostgreSQL, is never removed)."""
    from sopctl.store import POSTGRES_SCHEMES, default_location, open_store

    keep_file: bool | None = None
    if not str(location or "").startswith(POSTGRES_SCHEMES):
        path = Path(location).expanduser() if location else default_location()
        if path.is_file() and path.stat().st_size == 0:
            keep_file = True
        elif not path.exists():
            try:
                if location is None:  # the user's data folder, as the first `start` makes it
                    path.parent.mkdir(parents=True, exist_ok=True)
                elif not path.parent.is_dir():
                    raise StoreError(f"cannot create {path}: the folder {path.parent} does not exist")
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
                keep_file = False
            except FileExistsError:  # made meanwhile: then it is checked as it is
                pass
            except OSError as exc:
                raise StoreError(f"cannot create {path}: {exc.strerror or exc}") from None
        location = path
    try:
        target = open_store(location, create=False, migrate=True, any_schema=True, wait=wait)
    except BaseException:
        if keep_file is False:
            Path(str(location)).unlink(missing_ok=True)
        raise
    try:
        _refuse_a_store(target)
    except BaseException:
        if keep_file is False:
            target.remove_if_unused(keep_file=False)
        target.close()
        raise
    return target, keep_file


def _refuse_a_store(target: SqlStore) -> None:
    version = target.schema_version()  # other tables than sopctl's: StoreError, exit 5
    if version is None:
        return
    held = f" ({target.counts()['instances']} instance(s))" if version <= SCHEMA_VERSION else ""
    raise UsageError(
        f"{target.url} already holds a sopctl store{held}: restore into a new file or an empty "
        "database; nothing was written"
    )
