"""Reading instances: their log replayed on the pinned SOP, kept while the store's head is
theirs, and seen at a moment; the checks every command makes on ``--at`` and ``--by``.

:class:`Reader` is the query half of the engine (``status``, ``log``, ``ps``); the
commands that append events are :class:`sopctl.run.engine.Engine`, which is a Reader.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sopctl.actors import People, check_text
from sopctl.errors import InvalidStateError, LogError, NotFoundError, StoreError, UsageError
from sopctl.run.calendar import Calendar, Calendars, FlowCalendars
from sopctl.run.events import (
    Actor,
    Event,
    chain_intact,
    parse_utc,
)
from sopctl.run.instance import (
    ON_HOLD,
    Current,
    InstanceState,
    replay,
    started_on,
)
from sopctl.sop.procedure import Procedure
from sopctl.store.base import SqlStore
from sopctl.store.copies import PinnedSop, altered_copy, unreadable_sop
from sopctl.store.rows import SERVICE_STEP

if TYPE_CHECKING:
    from sopctl.sop.loader import Catalog

Clock = Callable[[], dt.datetime]
#: How many instances an engine keeps replayed in memory.
CACHED_INSTANCES = 256
_NO_PIN = PinnedSop("", "", None, "", {})

#: How far in the future --at may point (clocks of two PCs differ a little).
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


@dataclass
class Loaded:
    """An instance read from the store: its log, pinned SOP, flow and state."""

    events: list[Event]
    pinned: PinnedSop
    flow: Procedure
    state: InstanceState
    calendar: Calendar
    #: Every event is what was recorded, chained to the one before (see ``sopctl verify``).
    intact: bool = True
    #: The instance's row names the log's last event (not so after an event was deleted).
    agrees: bool = True


@dataclass
class InstanceView:
    """What ``status`` shows: the state, its flow, and the moment it is seen at."""

    state: InstanceState
    flow: Procedure
    pinned: PinnedSop
    calendar: Calendar
    now: dt.datetime
    #: "same", "changed" or "missing": the catalogue file against the pinned copy.
    catalogue: str | None = None
    events: list[Event] = field(default_factory=list)
    #: Its log was changed outside sopctl (an edited event, a cut log): see ``sopctl verify``.
    tampered: bool = False
    #: The command asked for what its own earlier write had already recorded (a retry after a
    #: failure that left it unclear whether the write landed): nothing new was written.
    already: bool = False
    #: The symbols' own calendars and the service limit's, when the SOP names any.
    calendars: FlowCalendars | None = None

    def step_calendar(self, number: int) -> Calendar:
        return self.calendars.step(number) if self.calendars else self.calendar

    def service_calendar(self) -> Calendar:
        return self.calendars.of_service() if self.calendars else self.calendar


class Reader:
    def __init__(
        self,
        store: SqlStore,
        catalog: Any = None,
        clock: Clock | None = None,
        *,
        calendars: Calendars | None = None,
        people: People | None = None,
        sops_dir: Path | None = None,
        os_user: str | None = None,
    ) -> None:
        if clock is None:
            raise UsageError("the engine needs a clock: a function returning the current aware datetime")
        self.store = store
        self._catalog = catalog
        self.clock = clock
        self.calendars = calendars or Calendars.default(cache=store)
        self.people = people or People()
        self.sops_dir = sops_dir
        self.os_user = os_user
        self._flows: dict[str, Procedure] = {}
        #: Pinned SOPs by hash: a pinned row is content-addressed and never changes.
        self._pins: dict[str, PinnedSop] = {}
        #: (hash, recorded digest) of the pinned definitions checked by this engine.
        self._pins_checked: set[tuple[str, str | None]] = set()
        #: Instances this engine read or wrote last, used again while the store's head
        #: (last sequence number and hash) is still theirs: a batch script moving many
        #: instances does not re-read and replay each log on every step.
        self._loaded: OrderedDict[str, Loaded] = OrderedDict()
        self._flow_calendars: dict[int, tuple[Procedure, FlowCalendars | None]] = {}

    # -- commands ---------------------------------------------------------------------

    def status(self, instance_id: str, at: dt.datetime | None = None) -> InstanceView:
        loaded = self.load(instance_id)
        now = self._moment(at, loaded.flow, self.clock(), allow_future=True)
        return InstanceView(
            loaded.state,
            loaded.flow,
            loaded.pinned,
            loaded.calendar,
            now,
            self.catalogue_state(loaded.pinned),
            loaded.events,
            not (loaded.intact and loaded.agrees),
            calendars=self.flow_calendars(loaded.flow),
        )

    def log(self, instance_id: str) -> InstanceView:
        return self.status(instance_id)

    def summaries(
        self,
        *,
        sop: str | None = None,
        state: str | None = None,
        lane: str | None = None,
        at: dt.datetime | None = None,
    ) -> Iterator[InstanceView]:
        """Instances from the projection (no replay), oldest first: what ``ps`` lists."""
        now = self.clock() if at is None else at
        for row in self.store.instances(sop=sop, state=state, lane=lane):
            flow = self.flow_for_hash(row["sop_hash"])
            current = {
                int(c["step"]): _summary_current(flow, c)
                for c in self.store.current_steps(row["id"])
                if int(c["step"]) != SERVICE_STEP
            }
            summary = InstanceState(
                id=row["id"],
                sop_id=row["sop_id"],
                sop_hash=row["sop_hash"],
                title=row["title"],
                ref=row["ref"],
                started_at=parse_utc(row["started_at"]),
                state=row["state"],
                ended_at=parse_utc(row["ended_at"]) if row["ended_at"] else None,
                current=current,
                held_since=parse_utc(row["held_since"]) if row["held_since"] else None,
                seq=int(row["last_seq"]),
                last_hash=row["last_hash"],
            )
            yield InstanceView(
                summary, flow, _NO_PIN, self._calendar(flow), now, calendars=self.flow_calendars(flow)
            )

    def load(self, instance_id: str) -> Loaded:
        with self.store.snapshot():  # the row, the log and the tables as one writer left them
            return self._load(instance_id)

    def _load(self, instance_id: str) -> Loaded:
        cached = self._loaded.get(instance_id)
        head = self.store.head(instance_id)
        if cached is not None and head == (cached.state.seq, cached.state.last_hash):
            self._loaded.move_to_end(instance_id)
            return replace(cached, state=cached.state.copy())
        try:
            events = self.store.events(instance_id)
            if not events:
                raise NotFoundError(f'no instance "{instance_id}" in {self.store.url}')
            pinned = self.pinned(started_on(events))
            self._check_pin(pinned, events[0].data.get("definition_hash"))
            flow = self.flow(pinned)
            state = replay(events, flow)
        except LogError as exc:
            raise LogError(
                f"the log of {instance_id} cannot be replayed: {exc}; run `sopctl verify {instance_id}`"
            ) from None
        # Read in one snapshot, the instance's row names the log's last event; a log shorter
        # than the row, or ending in another event, was cut or edited. And the tables every
        # report reads say what the log says: a row edited, deleted or forged (or an event
        # appended without its rows) makes every reader and writer of this instance see it,
        # and no write rewrites the rows over it.
        agrees = head == (state.seq, state.last_hash) and self._projection_agrees(instance_id, state, flow)
        return self._remember(
            Loaded(events, pinned, flow, state, self._calendar(flow), chain_intact(events), agrees)
        )

    def _projection_agrees(self, instance_id: str, state: InstanceState, flow: Procedure) -> bool:
        from sopctl.store.rows import differences, projection

        stored = self.store.projection_rows(instance_id)
        return next(differences(projection(state, flow), stored), None) is None

    def _to_change(self, instance_id: str) -> Loaded:
        """An instance about to get a new event. Refused when its log was changed behind
        sopctl's back: a new event chained onto an edited record would look like it vouches
        for it."""
        loaded = self.load(instance_id)
        if not loaded.intact:
            raise StoreError(
                f"the log of {instance_id} was changed outside sopctl: run `sopctl verify {instance_id}` "
                "and restore the store from a backup; nothing was written"
            )
        if not loaded.agrees:  # checked before the step is, so as not to answer from a cut log
            raise StoreError(
                f"the record of {instance_id} does not agree with its log (changed outside sopctl?): "
                f"run `sopctl verify {instance_id}`; nothing was written"
            )
        return loaded

    def _remember(self, loaded: Loaded) -> Loaded:
        # A copy: the caller may keep (and change) the state it is given.
        self._loaded[loaded.state.id] = replace(loaded, state=loaded.state.copy())
        self._loaded.move_to_end(loaded.state.id)
        while len(self._loaded) > CACHED_INSTANCES:
            self._loaded.popitem(last=False)
        return loaded

    def _check_pin(self, pinned: PinnedSop, recorded: Any) -> None:
        """Refuse to run or show an instance on a pinned definition changed in the store."""
        key = (pinned.hash, recorded if isinstance(recorded, str) else None)
        if key in self._pins_checked:
            return
        from sopctl.run.pins import definition_agrees

        if not definition_agrees(pinned, key[1]):
            raise altered_copy(f"SOP {pinned.sop_id}", pinned.hash, self.store.url)
        self._pins_checked.add(key)

    def pinned(self, sop_hash: str) -> PinnedSop:
        """The pinned SOP with this hash, read (and its definition parsed) once per engine."""
        pin = self._pins.get(sop_hash)
        if pin is None:
            pin = self._pins[sop_hash] = self.store.pinned(sop_hash)
        return pin

    def flow(self, pinned: PinnedSop) -> Procedure:
        if pinned.hash not in self._flows:
            try:
                self._flows[pinned.hash] = Procedure.from_definition(pinned.definition)
            except (AttributeError, KeyError, TypeError, ValueError):
                raise unreadable_sop(pinned.hash, self.store.url) from None
        return self._flows[pinned.hash]

    def flow_for_hash(self, sop_hash: str) -> Procedure:
        flow = self._flows.get(sop_hash)  # `ps` asks once per instance listed
        return flow if flow is not None else self.flow(self.pinned(sop_hash))

    def office_zones(self, sop: str | None = None) -> set[str]:
        """The timezones of the SOPs with instances in the store (or of ``sop``): what a date
        or a time without an offset means for them."""
        pinned = self.store.pinned_versions()
        return {self.flow_for_hash(h).timezone for sop_id, h in pinned if sop in (None, sop_id)}

    def calendar_for(self, flow: Procedure) -> Calendar:
        return self._calendar(flow)

    def catalog(self) -> Catalog | None:
        """The catalogue, loaded now if the engine was given a function that loads it."""
        return self._catalog() if callable(self._catalog) else self._catalog  # type: ignore[no-any-return]

    # -- internals ---------------------------------------------------------------------

    def _who(self, by: str | None) -> Actor | None:
        check_text(by, "--by", one_line=True)  # before it is looked up, and named in an error
        return self.people.identify(by.strip(), self.clock().date()) if by and by.strip() else None

    def _calendar(self, flow: Procedure) -> Calendar:
        return self.calendars.called(flow.calendar, flow.id, flow.timezone, flow.clock)

    def step_calendar(self, flow: Procedure, number: int) -> Calendar:
        """The calendar symbol ``number``'s time runs on: its own, else its SOP's."""
        return self.calendars.called(flow.calendar_of(number), flow.id, flow.timezone, flow.clock)

    def flow_calendars(self, flow: Procedure) -> FlowCalendars | None:
        """The calendars of ``flow``'s symbols and service limit, None when it names none."""
        key = id(flow)
        if key not in self._flow_calendars:
            made = None
            if flow.calendar_names() - {flow.calendar}:
                own = {n: self.step_calendar(flow, n) for n, s in flow.steps.items() if s.calendar}
                made = FlowCalendars(self._calendar(flow), own, self.service_calendar(flow))
            # By the flow's identity: it is kept (in _flows) as long as the engine is.
            self._flow_calendars[key] = (flow, made)
        return self._flow_calendars[key][1]

    def service_calendar(self, flow: Procedure) -> Calendar:
        service = flow.service
        name = service.calendar if service is not None and service.calendar else flow.calendar
        return self.calendars.called(name, flow.id, flow.timezone, flow.clock)

    def catalogue_state(self, pinned: PinnedSop) -> str | None:
        """ "same", "changed" or "missing": the catalogue's copy of an SOP against the pinned
        one. The file it was started from is read; only when that is gone (renamed, moved) is
        the catalogue loaded to look the SOP up by its id."""
        if self.sops_dir is None or pinned.file is None:
            return None
        import hashlib

        from sopctl.files import FileError, read_bytes

        path = self.sops_dir / pinned.file
        try:  # as every file sopctl reads: a FIFO put in its place is not waited on
            digest = hashlib.sha256(read_bytes(path).decode("utf-8-sig").encode("utf-8")).hexdigest()
        except UnicodeDecodeError:
            return "changed"
        except FileError:
            pass
        else:
            return "same" if digest == pinned.hash else "changed"
        catalog = self.catalog()
        loaded = catalog.sops.get(pinned.sop_id) if catalog is not None else None
        if loaded is None:
            return "missing"
        return "same" if loaded.digest == pinned.hash else "changed"

    def _moment(
        self,
        at: dt.datetime | None,
        flow: Procedure,
        now: dt.datetime,
        *,
        after: dt.datetime | None = None,
        allow_future: bool = False,
    ) -> dt.datetime:
        """``--at`` as an aware time (naive = the office's timezone), checked; default now."""
        if at is None:
            moment = now
        elif at.tzinfo is None:
            moment = at.replace(tzinfo=ZoneInfo(flow.timezone))
        else:
            moment = at
        moment = moment.replace(microsecond=0)
        if not allow_future and moment > now + FUTURE_TOLERANCE:
            raise UsageError(f"--at {_local(moment, flow)} is in the future (now: {_local(now, flow)})")
        if after is not None and moment < after:
            raise UsageError(
                f"--at {_local(moment, flow)} is before the instance's last event "
                f"({_local(after, flow)}): events are recorded in order"
            )
        return moment

    def _require(self, loaded: Loaded, wanted: str, action: str) -> None:
        state = loaded.state
        if state.state == wanted:
            return
        if state.state == ON_HOLD:
            raise InvalidStateError(f"instance {state.id} is on hold: `sopctl resume {state.id}` first")
        raise InvalidStateError(f"cannot {action} instance {state.id}: it is {state.state}")


def _summary_current(flow: Procedure, row: Any) -> Current:
    """A current step from its row: the row's due time is the step's first deadline, which for a
    wait on someone outside the office is its timeout."""
    number = int(row["step"])
    due = parse_utc(row["due_at"]) if row["due_at"] else None
    waits = flow.step(number).waits_for if number in flow.steps else ""
    return Current(
        number,
        int(row["pass"]),
        parse_utc(row["activated_at"]),
        None if waits else due,
        timeout_at=due if waits else None,
        # Not a column: the bound the engine recorded it from is the pinned SOP's.
        strict=_strict(flow, number),
    )


def _strict(flow: Procedure, number: int) -> bool:
    """Whether a step's due time is a strict bound ("kurang dari"), as the engine records it."""
    limit = flow.cell_limit(number) if number in flow.steps else None
    return limit is not None and limit.strict


def _local(moment: dt.datetime, flow: Procedure) -> str:
    return moment.astimezone(ZoneInfo(flow.timezone)).isoformat(timespec="minutes")
