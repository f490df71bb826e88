"""Pinned copies: the SOP files instances were started on and the site configs the store ran
on, stored by their SHA-256 and checked against it whenever they are read, and what the
store remembers serving (``served.*`` in ``meta``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sopctl.errors import StoreError
from sopctl.run.events import utc_text

Row = dict[str, Any]


@dataclass(frozen=True)
class PinnedSop:
    """An SOP as an instance was started on, stored by the SHA-256 of its file's text."""

    hash: str
    sop_id: str
    file: str | None
    source: str
    definition: dict[str, Any]

    @property
    def definition_hash(self) -> str:
        """SHA-256 of the definition as canonical JSON: a start event records it, so that a
        definition changed in the store (its text left alone) is caught before it is used."""
        return definition_hash(self.definition)


def definition_hash(definition: dict[str, Any]) -> str:
    return sha256(json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False))


def _digest_of(stored: str) -> str | None:
    try:
        return definition_hash(json.loads(stored))
    except ValueError:
        return None


def sha256(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def altered_copy(what: str, sha: str, url: str) -> StoreError:
    """A pinned copy (an SOP's text or definition, a site config) that no longer is what was
    pinned under its SHA-256."""
    return StoreError(
        f"the pinned copy of {what} (version {sha[:12]}) in {url} was changed outside sopctl: "
        "run `sopctl verify --all`, and restore the store from a backup (`sopctl db restore`)"
    )


def unreadable_sop(sop_hash: str, url: str) -> StoreError:
    """A pinned SOP version whose stored definition sopctl did not write that way."""
    return StoreError(
        f"the SOP version {sop_hash[:12]} in {url} cannot be read: it was changed outside sopctl"
    )


#: Builds the first event and state of a new instance once its id is known.


class PinnedCopies:
    """The pinned-copy tables of a :class:`~sopctl.store.base.SqlStore` (its base class)."""

    url: str

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        raise NotImplementedError

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[Row]:
        raise NotImplementedError

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        raise NotImplementedError

    def transaction(self) -> Any:
        raise NotImplementedError

    # -- pinned SOPs -------------------------------------------------------------

    def pinned(self, sop_hash: str) -> PinnedSop:
        row = self._one("SELECT * FROM sops WHERE hash = ?", (sop_hash,))
        if row is None:
            raise StoreError(f"the SOP version {sop_hash[:12]} is missing from {self.url}")
        try:
            definition = json.loads(row["definition"])
        except ValueError:
            raise unreadable_sop(sop_hash, self.url) from None
        if not isinstance(row["source"], str) or sha256(row["source"]) != sop_hash:
            raise altered_copy(f"SOP {row['sop_id']}", sop_hash, self.url)
        return PinnedSop(row["hash"], row["sop_id"], row["file"], row["source"], definition)

    def pinned_if_any(self, sop_hash: str) -> PinnedSop | None:
        """The pinned SOP with this hash, or None when none is pinned yet."""
        if self._one("SELECT hash FROM sops WHERE hash = ?", (sop_hash,)) is None:
            return None
        return self.pinned(sop_hash)

    def pinned_hashes(self) -> list[str]:
        return [r["hash"] for r in self._rows("SELECT hash FROM sops ORDER BY hash")]

    def pinned_versions(self) -> list[tuple[str, str]]:
        """``(sop_id, hash)`` of every pinned SOP version: the SOPs this store has instances of."""
        return [
            (r["sop_id"], r["hash"])
            for r in self._rows("SELECT sop_id, hash FROM sops ORDER BY sop_id, hash")
        ]

    def _pin(self, pin: PinnedSop, at: dt.datetime) -> None:
        # Two admins may start the first instance of a new SOP version at once: keep one copy.
        self._execute(
            "INSERT INTO sops (hash, sop_id, file, source, definition, pinned_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING",
            (
                pin.hash,
                pin.sop_id,
                pin.file,
                pin.source,
                json.dumps(pin.definition, ensure_ascii=False, sort_keys=True),
                utc_text(at),
            ),
        )

    # -- what the store serves: catalogue, site config, organisation file -------------

    def served(self) -> dict[str, str]:
        """What the store remembers serving (``served.catalogue``, ``served.site_config``,
        ``served.site_config_hash``, ``served.org``), by key without the prefix."""
        rows = self._rows("SELECT key, value FROM meta WHERE key LIKE ?", ("served.%",))
        return {r["key"].removeprefix("served."): r["value"] for r in rows}

    def remember(self, values: dict[str, str]) -> None:
        """Record what the store serves; only changed values are written."""
        if not values:
            return
        with self.transaction():
            for key, value in values.items():
                self._execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (f"served.{key}", value),
                )

    def pin_config(self, sha: str, kind: str, file: str, source: str, at: dt.datetime) -> None:
        self._execute(
            "INSERT INTO configs (hash, kind, file, source, pinned_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (hash) DO NOTHING",
            (sha, kind, file, source, utc_text(at)),
        )

    def pinned_config(self, sha: str) -> str | None:
        row = self._one("SELECT source FROM configs WHERE hash = ?", (sha,))
        if row is None:
            return None
        if not isinstance(row["source"], str) or sha256(row["source"]) != sha:
            raise altered_copy("the site config", sha, self.url)
        return row["source"]

    def pinned_copies(self) -> Iterator[tuple[str, str, str, str | None]]:
        """``(table, hash, name, source)`` of every pinned copy (SOPs and configs), for
        ``verify --all`` to check against its hash."""
        for row in self._rows("SELECT hash, sop_id, source FROM sops ORDER BY hash"):
            yield "sops", row["hash"], f"SOP {row['sop_id']}", row["source"]
        for row in self._rows("SELECT hash, kind, source FROM configs ORDER BY hash"):
            yield "configs", row["hash"], f"the {row['kind']} config", row["source"]

    def config_versions(self, kind: str) -> list[tuple[str, str, str]]:
        """``(hash, file, pinned_at)`` of every version of a config kind, oldest first."""
        return [
            (r["hash"], r["file"], r["pinned_at"])
            for r in self._rows(
                "SELECT hash, file, pinned_at FROM configs WHERE kind = ? ORDER BY pinned_at, hash", (kind,)
            )
        ]
