"""The domain rules: start an instance, complete and decide steps, hold, resume, cancel.

The engine gets everything it needs (store, catalogue, clock, calendars,
people) and never prints or reads the environment. Every command reads the
instance's log, checks the request against the state, builds one event with
its due times and durations, and appends it in one transaction; a concurrent
change makes the append fail with :class:`~sopctl.errors.ConflictError`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sopctl.actors import People, check_text
from sopctl.errors import ConflictError, InvalidStateError, LogError, NotFoundError, StoreError, UsageError
from sopctl.run.calendar import Calendar, Calendars
from sopctl.run.events import (
    CANCELLED,
    DECIDED,
    DONE,
    HELD,
    RESUMED,
    STARTED,
    Actor,
    Event,
    chain_intact,
    parse_utc,
)
from sopctl.run.instance import (
    ABORTED,
    FINISHED,
    ON_HOLD,
    RUNNING,
    Activation,
    Activator,
    Current,
    InstanceState,
    apply,
    replay,
    started_on,
)
from sopctl.sop.procedure import Procedure, StepDef
from sopctl.store.base import PinnedSop, SqlStore, unreadable_sop

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


class Engine:
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
        #: Instances this engine read or wrote last, used again while the store's head
        #: (last sequence number and hash) is still theirs: a batch script moving many
        #: instances does not re-read and replay each log on every step.
        self._loaded: OrderedDict[str, Loaded] = OrderedDict()

    # -- commands ---------------------------------------------------------------------

    def start(
        self,
        sop: str,
        title: str,
        *,
        ref: str | None = None,
        by: str | None = None,
        at: dt.datetime | None = None,
    ) -> InstanceView:
        """Open an instance of ``sop`` (catalogue id or YAML path) for one case."""
        if not title.strip():
            raise UsageError("the title must not be empty: say which case this is")
        for what, value in (("the title", title), ("--ref", ref)):
            check_text(value, what)
        check_text(by, "--by", one_line=True)
        ref = ref.strip() or None if ref is not None else None  # "" (an empty $REF) is no reference
        catalog = self.catalog()
        if catalog is None:
            raise UsageError("no catalogue to start an SOP from")
        loaded = catalog.get(sop)
        flow = loaded.procedure
        calendar = self._calendar(flow)
        now = self.clock()
        moment = self._moment(at, flow, now)
        file = str(loaded.path)
        if self.sops_dir is not None:
            with contextlib.suppress(ValueError):
                file = str(loaded.path.resolve().relative_to(self.sops_dir.resolve()))
        pin = PinnedSop(loaded.digest, flow.id, file, loaded.text, loaded.definition())
        self._flows[pin.hash] = flow
        actor = self._who(by)
        prefix = f"{flow.code}-{moment.astimezone(ZoneInfo(flow.timezone)).year}"

        def build(instance_id: str) -> tuple[Event, InstanceState, Procedure, PinnedSop]:
            records: list[Activation] = []
            draft = Event(
                instance_id,
                STARTED,
                moment,
                now,
                actor=actor,
                os_user=self.os_user,
                seq=1,
                data={"sop_hash": pin.hash, "sop_version": pin.hash[:12], "title": title.strip(), "ref": ref},
            )
            state = apply(None, draft, flow, self._activator(flow, calendar, records))
            data = {**draft.data, "activated": [r.as_dict() for r in records]}
            event = draft.sealed(1, draft.prev_hash, data)
            return event, _with_head(state, event), flow, pin

        event, state = self.store.create(prefix, build)
        self._remember(Loaded([event], pin, flow, state, calendar))
        # Seen as of the event: a backdated entry shows what was due then, not today.
        return InstanceView(state, flow, pin, calendar, moment)

    def done(
        self,
        instance_id: str,
        *,
        by: str,
        step: int | None = None,
        as_lane: str | None = None,
        note: str | None = None,
        output: str | None = None,
        at: dt.datetime | None = None,
    ) -> InstanceView:
        """Complete a current (non-decision) step."""
        loaded = self._to_change(instance_id)
        current = self._current_step(loaded, step, decision=False)
        return self._complete(loaded, DONE, current, by, as_lane, at, {"note": note, "output": output})

    def decide(
        self,
        instance_id: str,
        branch: str,
        *,
        by: str,
        step: int | None = None,
        as_lane: str | None = None,
        note: str | None = None,
        at: dt.datetime | None = None,
    ) -> InstanceView:
        """Complete a current decision step along the branch labelled ``branch``."""
        loaded = self._to_change(instance_id)
        current = self._current_step(loaded, step, decision=True)
        chosen = current.branch(branch)
        if chosen is None:
            options = ", ".join(f"{b.label} (→ {b.to})" for b in current.branches)
            raise UsageError(f'no branch "{branch}" at step {current.number}; its branches: {options}')
        return self._complete(
            loaded, DECIDED, current, by, as_lane, at, {"branch": chosen.label, "to": chosen.to, "note": note}
        )

    def hold(
        self, instance_id: str, *, reason: str, by: str | None = None, at: dt.datetime | None = None
    ) -> InstanceView:
        """Stop the clock (e.g. while a third party repairs something)."""
        loaded = self._to_change(instance_id)
        self._require(loaded, RUNNING, "hold")
        if not reason.strip():
            raise UsageError("give the reason for the hold with --reason")
        return self._record(loaded, HELD, None, self._who(by), at, {"reason": reason.strip()})

    def resume(
        self, instance_id: str, *, by: str | None = None, at: dt.datetime | None = None
    ) -> InstanceView:
        """Restart the clock; due times move later by the time spent on hold."""
        loaded = self._to_change(instance_id)
        self._require(loaded, ON_HOLD, "resume")
        now = self.clock()
        moment = self._moment(at, loaded.flow, now, after=loaded.state.last_at)
        since = loaded.state.held_since
        assert since is not None
        held = max(0, loaded.calendar.working_seconds(since, moment))
        held_wall = int((moment - since).total_seconds())
        dues = {str(n): c.due_at for n, c in loaded.state.current.items() if c.due_at is not None}
        data = {
            "held_s": held,
            "held_wall_s": held_wall,
            "due": {n: _utc(loaded.calendar.extend(d, held)) for n, d in dues.items()},
        }
        return self._record(loaded, RESUMED, None, self._who(by), moment, data, now=now)

    def cancel(
        self, instance_id: str, *, reason: str, by: str | None = None, at: dt.datetime | None = None
    ) -> InstanceView:
        """End the instance without finishing it."""
        loaded = self._to_change(instance_id)
        if loaded.state.state in (FINISHED, ABORTED):
            raise InvalidStateError(f"instance {instance_id} is already {loaded.state.state}")
        if not reason.strip():
            raise UsageError("give the reason for cancelling with --reason")
        return self._record(loaded, CANCELLED, None, self._who(by), at, {"reason": reason.strip()})

    # -- queries ---------------------------------------------------------------------

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
                int(c["step"]): Current(
                    int(c["step"]),
                    int(c["pass"]),
                    parse_utc(c["activated_at"]),
                    parse_utc(c["due_at"]) if c["due_at"] else None,
                )
                for c in self.store.current_steps(row["id"])
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
            yield InstanceView(summary, flow, _NO_PIN, self._calendar(flow), now)

    def load(self, instance_id: str) -> Loaded:
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
            flow = self.flow(pinned)
            state = replay(events, flow)
        except LogError as exc:
            raise LogError(
                f"the log of {instance_id} cannot be replayed: {exc}; run `sopctl verify {instance_id}`"
            ) from None
        # The row was read before the log: another process's step in between makes the log
        # longer than the row says, never shorter. A log shorter than the row, or ending in
        # another event, was cut or edited.
        agrees = head is None or (state.seq, state.last_hash) == head or state.seq > head[0]
        return self._remember(
            Loaded(events, pinned, flow, state, self._calendar(flow), chain_intact(events), agrees)
        )

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
        return self.calendars.for_sop(flow.id, flow.timezone, flow.clock)

    def catalogue_state(self, pinned: PinnedSop) -> str | None:
        """ "same", "changed" or "missing": the catalogue's copy of an SOP against the pinned
        one. The file it was started from is read; only when that is gone (renamed, moved) is
        the catalogue loaded to look the SOP up by its id."""
        if self.sops_dir is None or pinned.file is None:
            return None
        import hashlib

        path = self.sops_dir / pinned.file
        try:
            digest = hashlib.sha256(path.read_bytes().decode("utf-8-sig").encode("utf-8")).hexdigest()
        except UnicodeDecodeError:
            return "changed"
        except OSError:
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

    def _current_step(self, loaded: Loaded, step: int | None, *, decision: bool) -> StepDef:
        self._require(loaded, RUNNING, "act on")
        state, flow = loaded.state, loaded.flow
        if step is not None:
            if step not in flow.steps:
                raise NotFoundError(f"{flow.id} has no step {step}")
            if step not in state.current:
                done = [r for r in state.runs if r.step == step]
                if done:
                    # Whoever named this step saw it current: someone else got there first.
                    last = done[-1]
                    who = (last.actor or {}).get("name") or (last.actor or {}).get("by") or "someone"
                    raise ConflictError(
                        f"instance {state.id} changed: step {step} is no longer current "
                        f"(done by {who} at {_local(last.completed_at, flow)}; "
                        f"current: {_numbers(state.current)})"
                    )
                raise InvalidStateError(
                    f"step {step} is not current in {state.id} (current: {_numbers(state.current)})"
                )
            chosen = flow.step(step)
        else:
            fitting = [n for n in state.current if (flow.step(n).kind == "decision") == decision]
            if len(state.current) == 1:
                chosen = flow.step(next(iter(state.current)))
            elif len(fitting) == 1:
                chosen = flow.step(fitting[0])
            else:
                raise UsageError(
                    f"steps {_numbers(state.current)} are current in {state.id}: say which with --step N"
                )
        if decision and chosen.kind != "decision":
            raise UsageError(
                f"step {chosen.number} is not a decision: complete it with `sopctl done {state.id}`"
            )
        if not decision and chosen.kind == "decision":
            labels = " or ".join(b.label for b in chosen.branches)
            raise UsageError(
                f"step {chosen.number} is a decision: record its outcome with "
                f"`sopctl decide {state.id} BRANCH` ({labels})"
            )
        return chosen

    def _complete(
        self,
        loaded: Loaded,
        kind: str,
        step: StepDef,
        by: str,
        as_lane: str | None,
        at: dt.datetime | None,
        data: dict[str, Any],
    ) -> InstanceView:
        if not by.strip():
            raise UsageError("say who did the step with --by")
        # Before it is looked up: a name not in the organisation file is repeated in the error,
        # and in a third party's lane it becomes the name on the record and the laporan.
        check_text(by, "--by", one_line=True)
        now = self.clock()
        moment = self._moment(at, loaded.flow, now, after=loaded.state.last_at)
        lane = _lane_id(loaded.flow, step, as_lane)
        tz = ZoneInfo(loaded.flow.timezone)
        actor = self.people.actor(by.strip(), step, loaded.flow, lane, moment.astimezone(tz).date())
        current = loaded.state.current[step.number]
        working = loaded.calendar.working_seconds(current.activated_at, moment) - current.held_seconds
        wall = int((moment - current.activated_at).total_seconds()) - current.held_wall_seconds
        data = {k: v for k, v in data.items() if v is not None}
        data["timing"] = {"working_s": max(0, working), "wall_s": max(0, wall)}
        return self._record(loaded, kind, step.number, actor, moment, data, now=now)

    def _record(
        self,
        loaded: Loaded,
        kind: str,
        step: int | None,
        actor: Actor | None,
        at: dt.datetime | None,
        data: dict[str, Any],
        *,
        now: dt.datetime | None = None,
    ) -> InstanceView:
        for key in ("note", "output", "reason"):
            check_text(data.get(key), f"--{key}")
        check_text(actor.by if actor else None, "--by")
        now = now or self.clock()
        moment = self._moment(at, loaded.flow, now, after=loaded.state.last_at)
        state = loaded.state
        records: list[Activation] = []
        draft = Event(
            state.id,
            kind,
            moment,
            now,
            step=step,
            actor=actor,
            os_user=self.os_user,
            data=data,
            seq=state.seq + 1,
        )
        new_state = apply(state, draft, loaded.flow, self._activator(loaded.flow, loaded.calendar, records))
        if records:
            data = {**data, "activated": [r.as_dict() for r in records]}
        event = draft.sealed(state.seq + 1, state.last_hash, data)
        new_state = _with_head(new_state, event)
        try:
            self.store.append(event, new_state, loaded.flow, state)
        except ConflictError:
            self._loaded.pop(state.id, None)
            raise self._conflict(state, step) from None
        self._remember(replace(loaded, events=[*loaded.events, event], state=new_state))
        # Seen as of the event: a backdated entry shows what was due then, not today.
        return InstanceView(
            new_state, loaded.flow, loaded.pinned, loaded.calendar, moment, events=[*loaded.events, event]
        )

    def _conflict(self, before: InstanceState, step: int | None) -> ConflictError | StoreError:
        fresh = self.load(before.id).state
        if fresh.seq == before.seq:  # the log has not moved, but the instance's row has
            return StoreError(
                f"the record of {before.id} does not agree with its log (changed outside sopctl?): "
                f"run `sopctl verify {before.id}`; nothing was written"
            )
        if step is not None and step not in fresh.current:
            return ConflictError(f"instance {before.id} changed: step {step} is no longer current")
        return ConflictError(
            f"instance {before.id} changed while this command ran: look at "
            f"`sopctl status {before.id}` and try again"
        )

    def _activator(self, flow: Procedure, calendar: Calendar, records: list[Activation]) -> Activator:
        def activate(
            state: InstanceState, number: int, pass_no: int, at: dt.datetime, source: int | None
        ) -> Activation:
            due, limit, limit_wall = None, None, None
            cell_limit = flow.cell_limit(number)
            if flow.continues_cell(number, source):
                # One run through a time cell that spans rows: one deadline for all of them,
                # already past when the row above finished late.
                assert source is not None
                due = _latest_due(state, source)
            elif cell_limit is not None:
                # A row of its own, a cell's first row, or a row inside a cell entered by a
                # loop back (the cell's first row did not run again): the cell's time from now.
                due = calendar.due(at, cell_limit)
                limit = calendar.working_seconds(at, due)
                limit_wall = int((due - at).total_seconds())
            record = Activation(number, pass_no, due, limit, limit_wall)
            records.append(record)
            return record

        return activate


def _latest_due(state: InstanceState, number: int) -> dt.datetime | None:
    """The due time of the latest pass of ``number``: of the row above in a time cell, whose
    completion opens the next row of the same run."""
    if number in state.current:
        return state.current[number].due_at
    runs = [r for r in state.runs if r.step == number]
    return runs[-1].due_at if runs else None


def _with_head(state: InstanceState, event: Event) -> InstanceState:
    state.seq, state.last_hash, state.last_at = event.seq, event.hash, event.at
    return state


def _lane_id(flow: Procedure, step: StepDef, as_lane: str | None) -> str | None:
    if as_lane is None:
        return None
    wanted = as_lane.strip().casefold()
    for lane in flow.lanes:
        if wanted in (lane.id.casefold(), lane.name.casefold(), lane.short.casefold()):
            if lane.id not in step.lanes:
                names = ", ".join(flow.lane(i).name for i in step.lanes)
                raise UsageError(f"{lane.name} is not a lane of step {step.number} (done by: {names})")
            return lane.id
    known = ", ".join(lane.id for lane in flow.lanes)
    raise UsageError(f'no lane "{as_lane}" in {flow.id} (lanes: {known})')


def _numbers(current: dict[int, Any]) -> str:
    return ", ".join(str(n) for n in current) or "none"


def _utc(moment: dt.datetime) -> str:
    from sopctl.run.events import utc_text

    return utc_text(moment)


def _local(moment: dt.datetime, flow: Procedure) -> str:
    return moment.astimezone(ZoneInfo(flow.timezone)).isoformat(timespec="minutes")
