"""Events: the append-only history of an instance, chained by hashes.

Each event's hash covers its whole content and the previous event's hash, so
editing, deleting, inserting or reordering a stored event breaks the chain
(``sopctl verify``). Times are stored in UTC as ``YYYY-MM-DDTHH:MM:SSZ``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sopctl.errors import LogError

GENESIS = "0" * 64

STARTED, DONE, DECIDED, HELD, RESUMED, CANCELLED, REPAIRED, TIMED_OUT = (
    "started",
    "done",
    "decided",
    "held",
    "resumed",
    "cancelled",
    # An admin rebuilt the instance's tables from its log (``verify --repair``): the log
    # itself records that, and what was wrong.
    "repaired",
    # A symbol's timeout passed and its flow went on by itself, recorded by the first command
    # that saw it, at the moment it fell due.
    "timed_out",
)


def utc_text(moment: dt.datetime) -> str:
    # %-formatting: a third of strftime's time and half an f-string's with format specs
    # (every step writes a dozen of these), and it pads years before 1000 as ISO 8601
    # (and parse_utc) want.
    u = moment.astimezone(dt.UTC)
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (u.year, u.month, u.day, u.hour, u.minute, u.second)  # noqa: UP031


def entered_text(moment: dt.datetime) -> str:
    """When an event was entered, to the millisecond when it has them: which of two commands
    a second apart wrote first decides a race (see ``Engine.done``'s ``seen_at``). Events
    entered before sopctl kept milliseconds have none and keep their text, and their hash."""
    text = utc_text(moment)
    ms = moment.microsecond // 1000
    return text if ms == 0 else f"{text[:-1]}.{ms:03d}Z"


def parse_utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)  # reads the "Z" since Python 3.11


@dataclass(frozen=True)
class Actor:
    """Who acted, as recorded: what was typed, and what the organisation file said."""

    by: str
    lane: str | None = None
    name: str | None = None
    nip: str | None = None
    #: "Plt. Kepala Dinas" when acting for someone else's position.
    delegation: str | None = None
    #: True when recorded under an organisation file: a person found in it (name and NIP from
    #: the file), or a third party in a lane marked ``external``, which the file does not list
    #: (name as given, no NIP). False without one: ``by`` is whatever was typed.
    verified: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "lane": self.lane,
            "name": self.name,
            "nip": self.nip,
            "delegation": self.delegation,
            "verified": self.verified,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Actor | None:
        return None if data is None else cls(**data)


def stand_in(delegation: str | None) -> str:
    """ "Plt." or "Plh." from a recorded delegation, "Plt. Kepala Dinas (SPT No. …)" (the
    title ``sopctl.org.Delegation`` gives), or "" when the person acted in their own lane."""
    kind = (delegation or "").split(" ", 1)[0]
    return kind if kind in ("Plt.", "Plh.") else ""


@dataclass(frozen=True)
class Event:
    """One thing that happened to an instance; ``seq``, ``prev_hash`` and ``hash`` are set when
    it is sealed onto the instance's chain (:meth:`sealed`)."""

    instance_id: str
    type: str
    at: dt.datetime
    entered_at: dt.datetime
    step: int | None = None
    actor: Actor | None = None
    os_user: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    seq: int = 0
    prev_hash: str = GENESIS
    hash: str = ""

    def content(self) -> dict[str, Any]:
        """Everything the hash covers."""
        return {
            "instance_id": self.instance_id,
            "seq": self.seq,
            "type": self.type,
            "at": utc_text(self.at),
            "entered_at": entered_text(self.entered_at),
            "step": self.step,
            "actor": self.actor.as_dict() if self.actor else None,
            "os_user": self.os_user,
            "data": self.data,
            "prev_hash": self.prev_hash,
        }

    def computed_hash(self) -> str:
        return content_hash(self.content())

    def sealed(self, seq: int, prev_hash: str, data: dict[str, Any] | None = None) -> Event:
        """This event as the ``seq``-th of its chain (with ``data`` instead of its own, if
        given), with its hash: one copy of the event, not a draft and then the copy."""
        data = self.data if data is None else data
        content = {**self.content(), "seq": seq, "prev_hash": prev_hash, "data": data}
        return replace(self, seq=seq, prev_hash=prev_hash, data=data, hash=content_hash(content))

    def to_row(self) -> dict[str, Any]:
        row = self.content()
        row["actor"] = canonical(row["actor"]) if row["actor"] is not None else None
        row["data"] = canonical(row["data"])
        row["hash"] = self.hash
        return row

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Event:
        """The event a stored row holds; a row sopctl did not write that way (changed outside
        it) is :class:`~sopctl.errors.LogError`, naming the event and the column."""
        try:
            actor, data = row["actor"], row["data"]
            event = cls(
                instance_id=row["instance_id"],
                seq=int(row["seq"]),
                type=row["type"],
                at=parse_utc(row["at"]),
                entered_at=parse_utc(row["entered_at"]),
                step=row["step"],
                actor=Actor.from_dict(json.loads(actor) if isinstance(actor, str) else actor),
                os_user=row["os_user"],
                data=json.loads(data) if isinstance(data, str) else data,
                prev_hash=row["prev_hash"],
                hash=row["hash"],
            )
            if event.at.tzinfo is None or event.entered_at.tzinfo is None:  # always UTC, with "Z"
                raise ValueError("a time without its offset")
        except (AttributeError, TypeError, ValueError):
            raise _unreadable(row) from None
        return event


def _unreadable(row: dict[str, Any]) -> LogError:
    """Which column of a stored event cannot be read (looked for only once one cannot)."""
    readers: dict[str, tuple[str, Callable[[Any], object]]] = {
        "seq": ("number", int),
        "at": ("time", _aware),
        "entered_at": ("entry time", _aware),
        "actor": ("actor", lambda v: Actor.from_dict(json.loads(v) if isinstance(v, str) else v)),
        "data": ("data", lambda v: json.loads(v) if isinstance(v, str) else v),
    }
    event = f"event {row['seq']} ({row['type']})"
    for column, (what, read) in readers.items():
        try:
            read(row[column])
        except (AttributeError, TypeError, ValueError):
            value = repr(row[column])
            value = value if len(value) <= 40 else value[:39] + "…"
            return LogError(f"{event} cannot be read: its {what} is {value}")
    return LogError(f"{event} cannot be read")


def _aware(text: str) -> dt.datetime:
    moment = parse_utc(text)
    if moment.tzinfo is None:
        raise ValueError(text)
    return moment


def chain_intact(events: list[Event]) -> bool:
    """Whether ``events`` (one instance's log, in order) are each what was recorded and chain
    from the first to the last. ``sopctl verify`` says what is wrong; this only whether."""
    previous, expected = GENESIS, 1
    for event in events:
        if event.seq != expected or event.prev_hash != previous or event.computed_hash() != event.hash:
            return False
        previous, expected = event.hash, expected + 1
    return True


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()
