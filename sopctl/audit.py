"""Tamper evidence: recompute each instance's hash chain and compare its
projection with a replay of its log (``sopctl verify``).

What a finding means:

* *edited*: an event's stored hash no longer matches its content, or the log can no longer
  be replayed (the finding names the event that cannot be applied, and why);
* *deleted* / *inserted*: sequence numbers skip, or an event does not chain to
  the one before it;
* *reordered*: an event chains to another event of the log, not its predecessor;
* *truncated*: the projection remembers a later event than the log holds;
* *projection*: the derived tables disagree with a replay of the log;
* *missing*: an instance id was handed out but no longer exists;
* *pinned*: a pinned copy (an SOP's text or definition, a site config) is no longer what was
  pinned under its SHA-256.

Someone who can write the database can still rewrite a whole chain and its
projection consistently; the chain makes quiet edits detectable, not impossible.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sopctl.errors import LogError, StoreError
from sopctl.run.engine import Engine
from sopctl.run.events import GENESIS, Event
from sopctl.run.instance import replay, started_on
from sopctl.store.rows import differences, projection


@dataclass(frozen=True)
class Finding:
    instance_id: str
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.instance_id}: {self.kind}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"id": self.instance_id, "kind": self.kind, "message": self.message}


def chain_findings(instance_id: str, events: list[Event]) -> list[Finding]:
    """Problems with the hash chain of one instance's events (in stored order)."""
    found: list[Finding] = []
    hashes = {e.hash: e.seq for e in events}
    previous_hash, expected = GENESIS, 1
    for event in events:
        if event.instance_id != instance_id:
            found.append(
                Finding(instance_id, "edited", f"event {event.seq} names instance {event.instance_id}")
            )
        if event.seq > expected:
            missing = f"{expected}" if event.seq == expected + 1 else f"{expected}-{event.seq - 1}"
            found.append(Finding(instance_id, "deleted", f"event(s) {missing} are missing from the log"))
        if event.computed_hash() != event.hash:
            found.append(
                Finding(
                    instance_id,
                    "edited",
                    f"event {event.seq} ({event.type}) was changed "
                    "after it was recorded: its hash does not match its content",
                )
            )
        if event.prev_hash != previous_hash:
            if event.prev_hash in hashes and hashes[event.prev_hash] != event.seq - 1:
                found.append(
                    Finding(
                        instance_id,
                        "reordered",
                        f"event {event.seq} follows event "
                        f"{hashes[event.prev_hash]} in the chain, not event {event.seq - 1}",
                    )
                )
            elif event.seq <= expected:
                found.append(
                    Finding(
                        instance_id,
                        "inserted",
                        f"event {event.seq} does not chain to the "
                        "event before it: an event was inserted, replaced or removed here",
                    )
                )
        previous_hash, expected = event.hash, event.seq + 1
    return found


class Auditor:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.store = engine.store

    def verify(self, instance_id: str) -> list[Finding]:
        try:
            events = self.store.events(instance_id)
        except LogError as exc:  # a row that no longer holds an event: nothing to chain or replay
            return [Finding(instance_id, "edited", str(exc))]
        row = self.store.instance(instance_id)
        if not events and row is None:
            from sopctl.errors import NotFoundError

            raise NotFoundError(f'no instance "{instance_id}" in {self.store.url}')
        found = chain_findings(instance_id, events)
        if not events:
            return [*found, Finding(instance_id, "deleted", "the projection lists it but its log is empty")]
        if row is not None and int(row["last_seq"]) > events[-1].seq:
            found.append(
                Finding(
                    instance_id,
                    "truncated",
                    f"the log ends at event {events[-1].seq} but event {row['last_seq']} was recorded",
                )
            )
        try:
            sop_hash = started_on(events)
        except LogError as exc:
            return [*found, Finding(instance_id, "edited", f"the log cannot be replayed: {exc}")]
        if (altered := self._altered_pin(sop_hash, events[0])) is not None:
            return [*found, Finding(instance_id, "pinned", altered)]
        try:
            flow = self.engine.flow_for_hash(sop_hash)
            state = replay(events, flow)
        except StoreError as exc:  # LogError, or the SOP version it names is not in the store
            return [*found, Finding(instance_id, "edited", f"the log cannot be replayed: {exc}")]
        for difference in differences(projection(state, flow), self.store.projection_rows(instance_id)):
            found.append(Finding(instance_id, "projection", difference))
        return found

    def _altered_pin(self, sop_hash: str, start: Event) -> str | None:
        """Why the pinned SOP an instance started on is not what it was pinned as, if so."""
        from sopctl.run.pins import definition_agrees
        from sopctl.store.copies import altered_copy

        try:
            pinned = self.engine.pinned(sop_hash)
        except StoreError as exc:
            if "changed outside sopctl: run" in str(exc):  # its text no longer has its hash
                return str(exc)
            return None  # missing or unreadable: the replay says so
        recorded = start.data.get("definition_hash") if isinstance(start.data, dict) else None
        if definition_agrees(pinned, recorded if isinstance(recorded, str) else None):
            return None
        return str(altered_copy(f"SOP {pinned.sop_id}", sop_hash, self.store.url))

    def copy_findings(self) -> Iterator[Finding]:
        """Every pinned copy (SOP texts, site configs) whose text no longer has its SHA-256."""
        from sopctl.store.copies import altered_copy, sha256

        for table, sha, name, source in self.store.pinned_copies():
            if not isinstance(source, str) or sha256(source) != sha:
                yield Finding(f"{table}/{sha[:12]}", "pinned", str(altered_copy(name, sha, self.store.url)))

    def instance_ids(self) -> list[str]:
        ids = set(self.store.instance_ids())
        ids.update(r["id"] for r in self.store.instances())
        return sorted(ids)

    def verify_all(self) -> Iterator[Finding]:
        ids = self.instance_ids()
        yield from self.copy_findings()
        yield from self._missing_ids(ids)
        for instance_id in ids:
            yield from self.verify(instance_id)

    def _missing_ids(self, ids: Iterable[str]) -> Iterator[Finding]:
        present = set(ids)
        for row in self.store.table_rows("id_counters"):
            for number in range(1, int(row["last_value"]) + 1):
                instance_id = f"{row['prefix']}-{number:04d}"
                if instance_id not in present:
                    yield Finding(instance_id, "missing", "this id was handed out but the instance is gone")
