"""What a command works with: catalogue, store, engine, clock and output streams.

Built once per invocation by the root callback from the global options, so
commands stay short and tests can swap the clock (:func:`utcnow`).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sopctl.errors import NoStoreError, StoreError, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from sopctl.actors import People
    from sopctl.run.calendar import Calendars
    from sopctl.run.engine import Engine
    from sopctl.sop.loader import Catalog
    from sopctl.store import Store
    from sopctl.store.locks import LockWait


def _empty_file(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size == 0
    except OSError:
        return False


def site_file(path: Path, what: str) -> bool:
    """Whether the ``what`` ("organisation file") ``path`` is there: True for a regular file,
    False for nothing; anything else there (a folder, a FIFO, a device), or a name the
    system refuses (longer than 255 bytes, no permission), is a :class:`UsageError`."""
    from sopctl.files import FileError, kind, not_a_file

    try:
        found = kind(path)
    except FileError as exc:
        raise UsageError(f"the {what} {path} {exc.message}") from None
    if found not in (None, "file"):
        raise UsageError(f"the {what} {path} {not_a_file(found)}")
    return found == "file"


def _is_kind(path: Path, what: str) -> bool:
    """Whether ``path`` is a ``what`` ("file", "folder"); False too where it cannot be looked up."""
    from sopctl.files import FileError, kind

    try:
        return kind(path) == what
    except FileError:
        return False


def utcnow() -> datetime:
    """The wall clock; the only place below ``main`` that reads it."""
    return datetime.now(UTC)


def os_user() -> str | None:
    """Who is logged in at this terminal (recorded with every event)."""
    # getpass.getuser() reads these first; importing it only for the fallback saves start-up.
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        if value := os.environ.get(name):
            return value
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


@dataclass
class Env:
    """What every command works with: the global options, and the catalogue, store and
    console made from them on first use."""

    sops_dir: Path
    db_url: str | None = None
    org_path: Path | None = None
    config_path: Path | None = None
    #: Whether --sops or SOPCTL_SOPS named the catalogue; if not, the store's memory decides.
    sops_given: bool = True
    #: How long a write waits for another user's change (SOPCTL_LOCK_TIMEOUT), in seconds.
    lock_timeout: float = 30.0
    #: When the command began: a change another user entered after it was not what this
    #: command's user saw (``done``/``decide`` without --step refuse it: exit 3).
    started: datetime = field(default_factory=lambda: utcnow())
    _served: dict[str, str] | None = field(default=None, repr=False)
    _catalog: Catalog | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, repr=False)
    _new_file: Path | None = field(default=None, repr=False)
    _keep_file: bool = field(default=False, repr=False)

    # -- output ----------------------------------------------------------------

    @property
    def out(self) -> Console:
        return self.console()

    @staticmethod
    def console(*, ascii_only: bool = False) -> Console:
        """The console on stdout; with ``ascii_only`` (``--ascii``) it writes nothing but ASCII."""
        from sopctl.render.console import make_console

        return make_console(sys.stdout, ascii_only=ascii_only)

    @property
    def err(self) -> Console:
        from sopctl.render.console import make_console

        return make_console(sys.stderr)

    @staticmethod
    def print_json(data: Any) -> None:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")

    @staticmethod
    def say(message: str) -> None:
        """A message for the person (stderr), never data."""
        print(message, file=sys.stderr)

    # -- catalogue ---------------------------------------------------------------

    def catalog(self) -> Catalog:
        if self._catalog is None:
            from sopctl.files import FileError, kind
            from sopctl.sop.loader import load_catalog

            if not self.sops_given and self._store is None and not _is_kind(self.sops_dir, "folder"):
                # Run from another folder (cron): the store may say which catalogue it serves.
                with contextlib.suppress(NoStoreError, StoreError, UsageError):
                    self.store()

            try:
                found = kind(self.sops_dir)
            except FileError as exc:
                raise UsageError(f"the catalogue folder {self.sops_dir} {exc.message}") from None
            if found != "folder":
                what = "is not a folder" if found else "does not exist"
                raise UsageError(
                    f"the catalogue folder {self.sops_dir} {what} (give --sops DIR or set SOPCTL_SOPS)"
                )
            self._catalog = load_catalog([self.sops_dir])
        return self._catalog

    # -- store and engine -------------------------------------------------------

    def store(self, *, create: bool = False, any_schema: bool = False) -> Store:
        """The store. Only ``start`` passes ``create``: every other command needs one where
        something was recorded, and on a mistyped ``--db`` says so instead of reading nothing.
        Only ``db info`` passes ``any_schema``: it describes a store it may not use."""
        if self._store is None:
            from sopctl.store import POSTGRES_SCHEMES, default_location, open_store

            if self.db_url and "://" not in self.db_url:
                _check_store_file(Path(self.db_url).expanduser())
            if create and not (self.db_url or "").startswith(POSTGRES_SCHEMES):
                path = Path(self.db_url).expanduser() if self.db_url else default_location()
                # An empty file (``: > kantor.db``) is no store yet either: put back as it was.
                self._new_file = path if not path.exists() or _empty_file(path) else None
                self._keep_file = path.exists()
            try:
                self._store = open_store(self.db_url, create=create, any_schema=any_schema, wait=self._wait())
            except NoStoreError as exc:
                why = (
                    "nothing has been started there; check --db / SOPCTL_DB"
                    if self.db_url
                    else "nothing has been started on this computer yet; "
                    "`sopctl start` creates it, or give --db / SOPCTL_DB"
                )
                raise NoStoreError(exc.location, why) from None
            self._served = self._store.served()
            catalogue = self._served.get("catalogue")
            if not self.sops_given and catalogue and _is_kind(Path(catalogue), "folder"):
                self.sops_dir = Path(catalogue)
        return self._store

    def _wait(self) -> LockWait:
        from sopctl.store import POSTGRES_SCHEMES
        from sopctl.store.locks import LockWait

        shown = self.db_url or "the store"
        if shown.startswith(POSTGRES_SCHEMES):
            from sopctl.store.postgres import redact

            shown = redact(shown)  # never a password on stderr
        return LockWait(
            self.lock_timeout,
            lambda: self.say(
                f"waiting for another user's change to {shown} to finish (at most {self.lock_timeout:g} s)"
            ),
        )

    def _remember(self, store: Store, values: dict[str, str]) -> None:
        """Record what this store serves, when it changed and the store can be written."""
        served = self._served if self._served is not None else store.served()
        changed = {k: v for k, v in values.items() if served.get(k) != v}
        if changed and not getattr(store, "read_only", False):
            store.remember(changed)
            served.update(changed)
            self._served = served

    def calendars(self, store: Store) -> Calendars:
        """The calendars of the site config: the one named, else the one the store serves,
        else ``sopctl.yaml`` beside the catalogue. A config the store serves that is gone is
        read from the store's pinned copy, never silently replaced by the default."""
        from sopctl.run.calendar import Calendars

        served = self._served if self._served is not None else store.served()
        path = self.config_path
        if path is None and served.get("site_config"):
            path = Path(served["site_config"])
            if not _is_kind(path, "file"):
                return self._pinned_calendars(store, path, served.get("site_config_hash"))
        if path is None:
            path = self.sops_dir.parent / "sopctl.yaml"
            if not site_file(path, "config file"):
                return Calendars.default(cache=store)
        if not site_file(path, "config file"):
            raise UsageError(f"the config file {path} does not exist")
        from sopctl.config import load_config

        config = load_config(path, lambda wanted: self.sop_ids(store, wanted))
        self._pin_site_config(store, path)
        return config.calendars(cache=store)

    def _pin_site_config(self, store: Store, path: Path) -> None:
        """Keep a copy of the site config this store runs on; a changed file is a new version."""
        import hashlib

        from sopctl.files import FileError, read_bytes

        if getattr(store, "read_only", False):
            return
        try:
            source = read_bytes(path)
        except FileError as exc:  # changed since it was validated a moment ago
            raise UsageError(f"the config file {path}: {exc.message}") from None
        sha = hashlib.sha256(source).hexdigest()
        served = self._served if self._served is not None else store.served()
        where = str(path.resolve())
        if served.get("site_config_hash") == sha and served.get("site_config") == where:
            return
        with store.transaction():
            store.pin_config(sha, "site", where, source.decode("utf-8"), utcnow())
        if served.get("site_config_hash") not in (None, sha):
            self.say(f"note: the site config {path} changed; recorded as version {sha[:12]}")
        self._remember(store, {"site_config": where, "site_config_hash": sha})

    def _pinned_calendars(self, store: Store, path: Path, sha: str | None) -> Calendars:
        from sopctl.config import load_config_text

        source = store.pinned_config(sha) if sha else None
        if source is None:
            raise UsageError(
                f"the site config {path} this store runs on is gone and the store has no copy of it: "
                "put it back or give --config FILE"
            )
        assert sha is not None  # a copy was found by it
        self.say(f"warning: the site config {path} is gone; using the copy the store pinned ({sha[:12]})")
        return load_config_text(source, str(path), lambda w: self.sop_ids(store, w)).calendars(cache=store)

    def sop_ids(self, store: Store, wanted: Collection[str]) -> set[str]:
        """The SOP ids there are, as far as ``wanted`` needs them: those with instances in the
        store, then the catalogue's (also files that did not load) only if some are missing, so
        a command such as ``done`` does not read the catalogue for nothing."""
        known = {sop_id for sop_id, _ in store.pinned_versions()}
        if set(wanted) <= known:
            return known
        try:
            catalog = self.catalog()
        except UsageError:  # no catalogue folder: the store is all there is
            return known
        return known | catalog.sops.keys() | catalog.broken.keys()

    def engine(self, *, create: bool = False, audit: bool = False) -> Engine:
        """The engine on this store; ``audit``: for ``verify``, which reads only the record, so
        a pinned site config that was changed in the store is a finding, not a refusal."""
        from sopctl.run.calendar import Calendars
        from sopctl.run.engine import Engine

        store = self.store(create=create)
        if _is_kind(self.sops_dir, "folder") and not audit:
            self._remember(store, {"catalogue": str(self.sops_dir.resolve())})
        return Engine(
            store,
            self.catalog,
            utcnow,
            calendars=Calendars.default(cache=store) if audit else self.calendars(store),
            people=self.people(),
            sops_dir=self.sops_dir,
            os_user=os_user(),
        )

    def people(self) -> People | None:
        """The organisation file's people, or None (unverified records) when there is none."""
        path = self.org_path
        if path is None and self._served is not None and self._served.get("org"):
            path = Path(self._served["org"])  # the one this store was run with
        if path is None:
            path = self.sops_dir.parent / "org.yaml"
            if not site_file(path, "organisation file"):
                return None
        if not site_file(path, "organisation file"):
            raise UsageError(f"the organisation file {path} does not exist")
        from sopctl.org import load_org

        people = load_org(path)
        if self._store is not None:
            self._remember(self._store, {"org": str(path.resolve())})
        return people

    def close(self) -> None:
        if self._store is not None:
            # A store this command created but left empty (``start`` refused: an unknown SOP,
            # a broken config) is removed: a failed command leaves nothing behind.
            if self._new_file is not None:
                self._store.remove_if_unused(keep_file=self._keep_file)
            self._store.close()
            self._store = None


def _check_store_file(path: Path) -> None:
    """A SQLite store's path, before the store opens it: nothing there yet, a folder (the store
    says so itself) or a regular file. A FIFO, socket or device would be waited on or written
    to as if it were a database, and a name the system refuses would end as a bug."""
    from sopctl.files import FileError, kind

    try:
        found = kind(path)
    except FileError as exc:
        raise StoreError(f"the store {path} {exc.message}") from None
    if found not in (None, "file", "folder"):
        raise StoreError(f"{path} is a {found}, not a database file")
