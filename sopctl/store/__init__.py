"""Where instances live: an SQLite file by default, PostgreSQL when shared.

``open_store`` picks the backend from the location: a ``postgresql://`` URL,
else a file path. Every backend is a :class:`~sopctl.store.base.SqlStore`:
the same tables, the same SQL, the same guarantees.
"""

from __future__ import annotations

from pathlib import Path

from sopctl.errors import StoreError, UsageError
from sopctl.store.base import SqlStore
from sopctl.store.copies import PinnedSop
from sopctl.store.locks import LockWait

Store = SqlStore

__all__ = ["PinnedSop", "Store", "default_location", "open_store"]

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def default_location() -> Path:
    """``sopctl.db`` in the user's data folder (platformdirs)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("sopctl", appauthor=False)) / "sopctl.db"


def open_store(
    location: str | Path | None = None,
    *,
    create: bool = True,
    migrate: bool = False,
    any_schema: bool = False,
    wait: LockWait | None = None,
) -> Store:
    """Open the store at a file path or ``postgresql://`` URL (default: :func:`default_location`).

    With ``create=False`` nothing is created: a missing SQLite file, or a database without
    sopctl's tables, is :class:`~sopctl.errors.NoStoreError`. With ``migrate=True`` an older
    schema (or an empty database) is accepted, for :meth:`SqlStore.migrate` to upgrade. With
    ``any_schema=True`` (and ``create=False``) a store of any schema version, older or newer, is
    opened to be described (``db info``): only its :meth:`SqlStore.schema_version` may be read,
    and its counts when that version is not newer than :data:`~sopctl.store.schema.SCHEMA_VERSION`.
    """
    if location is None:
        path = default_location()
        if create:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create {path.parent}: {exc.strerror}") from None
        location = path
    text = str(location)
    if text.startswith(POSTGRES_SCHEMES):
        from sopctl.store.postgres import PostgresStore

        return PostgresStore.open(text, create=create, migrate=migrate, any_schema=any_schema, wait=wait)
    if "://" in text:
        raise UsageError(f"unknown database URL {text!r}: give a file path or a postgresql:// URL")
    from sopctl.store.sqlite import SqliteStore

    return SqliteStore.open(
        Path(text).expanduser(), create=create, migrate=migrate, any_schema=any_schema, wait=wait
    )
