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
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sopctl.actors import check_text
from sopctl.errors import BusyError, ConflictError, InvalidStateError, NotFoundError, StoreError, UsageError
from sopctl.run.calendar import Calendar
from sopctl.run.choosing import StepChoice
from sopctl.run.events import (
    CANCELLED,
    DECIDED,
    DONE,
    HELD,
    REPAIRED,
    RESUMED,
    STARTED,
    TIMED_OUT,
    Actor,
    Event,
    chain_intact,
)
from sopctl.run.instance import (
    ABORTED,
    FINISHED,
    ON_HOLD,
    RUNNING,
    Activation,
    Activator,
    InstanceState,
    apply,
    recorded,
    replay,
    service_after,
    started_on,
)
from sopctl.run.naming import chosen_start
from sopctl.run.reader import (
    InstanceView,
    Loaded,
)
from sopctl.sop.procedure import Procedure, StepDef
from sopctl.store.copies import PinnedSop, altered_copy

if TYPE_CHECKING:
    pass


class Engine(StepChoice):
    def start(
        self,
        sop: str,
        title: str,
        *,
        ref: str | None = None,
        by: str | None = None,
        at: dt.datetime | None = None,
        start: str | None = None,
    ) -> InstanceView:
        """Open an instance of ``sop`` (catalogue id or YAML path) for one case; ``start``
        names the start symbol it begins at, when the SOP's starts are alternatives."""
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
        starts = chosen_start(flow, start)
        calendar = self._calendar(flow)
        now = self.clock()
        moment = self._moment(at, flow, now)
        file = str(loaded.path)
        if self.sops_dir is not None:
            with contextlib.suppress(ValueError):
                file = str(loaded.path.resolve().relative_to(self.sops_dir.resolve()))
        pin = PinnedSop(loaded.digest, flow.id, file, loaded.text, loaded.definition())
        existing = self.store.pinned_if_any(pin.hash)
        if existing is not None and existing.definition_hash != pin.definition_hash:
            # Pinned by an earlier sopctl, whose definitions hold fewer keys: the same file runs
            # on the copy already pinned, if that copy still means what the file says.
            from sopctl.run.pins import meaning

            try:
                same = meaning(self.flow(existing)) == meaning(flow)
            except StoreError:  # not even a definition any more
                same = False
            if not same:
                raise altered_copy(f"SOP {flow.id}", pin.hash, self.store.url)
            pin, flow = existing, self.flow(existing)
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
                data={
                    "sop_hash": pin.hash,
                    "sop_version": pin.hash[:12],
                    "definition_hash": pin.definition_hash,
                    "title": title.strip(),
                    "ref": ref,
                    **({"starts": list(starts)} if starts else {}),
                },
            )
            state = apply(None, draft, flow, self._activator(flow, calendar, records))
            data = {**draft.data, "activated": [r.as_dict() for r in records]}
            service = self._service_change(flow, None, state, draft, records)
            if service is not None:
                data["service"] = service
                state.service = service_after(state.service, service)
            event = draft.sealed(1, draft.prev_hash, data)
            return event, _with_head(state, event), flow, pin

        event, state = self.store.create(prefix, build)
        self._remember(Loaded([event], pin, flow, state, calendar))
        # Seen as of the event: a backdated entry shows what was due then, not today.
        return InstanceView(state, flow, pin, calendar, moment, calendars=self.flow_calendars(flow))

    def done(
        self,
        instance_id: str,
        *,
        by: str,
        step: int | str | None = None,
        as_lane: str | None = None,
        note: str | None = None,
        output: str | None = None,
        at: dt.datetime | None = None,
        seen_at: dt.datetime | None = None,
    ) -> InstanceView:
        """Complete a current (non-decision) step. ``seen_at``: when the command began (the
        CLI's start); without ``step``, a change to the instance entered after it is a race
        this command did not mean to join (exit 3), not a new step to complete."""
        loaded = self._settled(instance_id, at)
        again = self._already(loaded, step, by, DONE, {"note": note, "output": output}, at)
        if again is not None:
            return again
        current = self._current_step(loaded, step, decision=False, seen_at=seen_at)
        return self._complete(loaded, DONE, current, by, as_lane, at, {"note": note, "output": output})

    def decide(
        self,
        instance_id: str,
        branch: str,
        *,
        by: str,
        step: int | str | None = None,
        as_lane: str | None = None,
        note: str | None = None,
        at: dt.datetime | None = None,
        seen_at: dt.datetime | None = None,
    ) -> InstanceView:
        """Complete a current decision step along the branch labelled ``branch``."""
        loaded = self._settled(instance_id, at)
        if (
            again := self._already(loaded, step, by, DECIDED, {"branch": branch, "note": note}, at)
        ) is not None:
            return again
        current = self._current_step(loaded, step, decision=True, seen_at=seen_at)
        chosen = current.branch(branch)
        if chosen is None:
            options = ", ".join(f"{b.label} (→ {flow_label(loaded, b.to)})" for b in current.branches)
            raise UsageError(f'no branch "{branch}" at step {current.name}; its branches: {options}')
        return self._complete(
            loaded, DECIDED, current, by, as_lane, at, {"branch": chosen.label, "to": chosen.to, "note": note}
        )

    def repair(self, instance_id: str, *, by: str | None = None) -> list[str]:
        """Rebuild an instance's tables from its log, which must be intact, and record that in
        the log (a ``repaired`` event naming what differed); the differences, or [] when the
        tables already agree (then nothing is written). An edited log is not repaired here:
        only a backup brings back what it said."""
        from sopctl.store.rows import differences, projection

        events = self.store.events(instance_id)
        if not events:
            raise NotFoundError(f'no instance "{instance_id}" in {self.store.url}')
        if not chain_intact(events):
            raise StoreError(
                f"the log of {instance_id} itself was changed: `sopctl verify {instance_id}` says how; "
                "only a backup brings it back (`sopctl db restore`); nothing was written"
            )
        pinned = self.pinned(started_on(events))
        self._check_pin(pinned, events[0].data.get("definition_hash"))
        flow = self.flow(pinned)
        state = replay(events, flow)
        found = list(differences(projection(state, flow), self.store.projection_rows(instance_id)))
        if not found:
            return []
        now = self.clock()
        last = events[-1]
        draft = Event(
            instance_id,
            REPAIRED,
            max(now, last.at),
            now,
            actor=self._who(by),
            os_user=self.os_user,
            seq=last.seq + 1,
            data={"differences": found[:50], "count": len(found)},
        )
        repaired = apply(state, draft, flow, recorded(draft))
        event = draft.sealed(last.seq + 1, last.hash)
        self.store.repair(event, _with_head(repaired, event), flow)
        self._loaded.pop(instance_id, None)
        return found

    def hold(
        self, instance_id: str, *, reason: str, by: str | None = None, at: dt.datetime | None = None
    ) -> InstanceView:
        """Stop the clock (e.g. while a third party repairs something)."""
        loaded = self._settled(instance_id, at)
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
        flow, current = loaded.flow, loaded.state.current
        data: dict[str, Any] = {
            "held_s": held,
            "held_wall_s": held_wall,
            "due": {
                str(n): _utc(self._held(flow, n, since, moment, c.due_at))
                for n, c in current.items()
                if c.due_at is not None
            },
        }
        # A timeout's clock stops with the case's, as a limit's does; only SOPs that have one
        # record it, so every other resume keeps its old form.
        timeouts = {
            str(n): _utc(self._held(flow, n, since, moment, c.timeout_at))
            for n, c in current.items()
            if c.timeout_at is not None
        }
        if timeouts:
            data["timeouts"] = timeouts
        service = loaded.state.service
        if service is not None and service.ended_at is None and service.due_at is not None:
            calendar = self.service_calendar(flow)
            paused = max(0, calendar.working_seconds(since, moment))
            data["service"] = {"due_at": _utc(calendar.extend(service.due_at, paused)), "paused_s": paused}
        return self._record(loaded, RESUMED, None, self._who(by), moment, data, now=now)

    def _held(
        self, flow: Procedure, number: int, since: dt.datetime, until: dt.datetime, due: dt.datetime
    ) -> dt.datetime:
        """A due time moved later by a hold from ``since`` to ``until``, on the symbol's calendar."""
        calendar = self.step_calendar(flow, number)
        return calendar.extend(due, max(0, calendar.working_seconds(since, until)))

    def cancel(
        self, instance_id: str, *, reason: str, by: str | None = None, at: dt.datetime | None = None
    ) -> InstanceView:
        """End the instance without finishing it."""
        loaded = self._settled(instance_id, at)
        if loaded.state.state in (FINISHED, ABORTED):
            raise InvalidStateError(f"instance {instance_id} is already {loaded.state.state}")
        if not reason.strip():
            raise UsageError("give the reason for cancelling with --reason")
        return self._record(loaded, CANCELLED, None, self._who(by), at, {"reason": reason.strip()})

    # -- timeouts --------------------------------------------------------------------

    def status(self, instance_id: str, at: dt.datetime | None = None) -> InstanceView:
        """The instance now, after recording any timeout that has fallen due (as of ``at`` in
        the past or future nothing is recorded: that only shows what would be)."""
        if at is None:
            loaded = self.load(instance_id)
            now = self.clock()
            due = any(c.timeout_at is not None and c.timeout_at <= now for c in loaded.state.current.values())
            if due and loaded.state.state == RUNNING:
                with contextlib.suppress(StoreError):  # a changed log is shown as it is, not added to
                    self._settled(instance_id, None)
        return super().status(instance_id, at)

    def settle(self, instance_id: str) -> list[str]:
        """Record every timeout of ``instance_id`` that has fallen due by now; the names of the
        symbols that timed out (what ``check`` reports)."""
        before = len(self.load(instance_id).state.runs)
        after = self._settled(instance_id, None).state
        flow = self.flow_for_hash(after.sop_hash)
        return [flow.label(r.step) for r in after.runs[before:] if r.timed_out]

    def _settled(self, instance_id: str, at: dt.datetime | None) -> Loaded:
        """The instance about to get a new event, once every timeout that fell due by ``at``
        (or now) is recorded, each once, at the moment it fell due: a racing command that
        recorded it first wins, and this one takes the log as that one left it."""
        for _ in range(5):
            loaded = self._to_change(instance_id)
            try:
                return self._fire(loaded, at)
            except ConflictError:
                self._loaded.pop(instance_id, None)
        return self._to_change(instance_id)

    def _fire(self, loaded: Loaded, at: dt.datetime | None) -> Loaded:
        now = self.clock()
        until = now if at is None else min(now, self._moment(at, loaded.flow, now, allow_future=True))
        while loaded.state.state == RUNNING:
            due = sorted(
                (c.timeout_at, n)
                for n, c in loaded.state.current.items()
                if c.timeout_at is not None and c.timeout_at <= until
            )
            if not due:
                break
            moment, number = due[0]
            step = loaded.flow.step(number)
            assert step.timeout is not None
            current = loaded.state.current[number]
            moment = max(moment, loaded.state.last_at or moment)
            calendar = self.step_calendar(loaded.flow, number)
            working = calendar.working_seconds(current.activated_at, moment) - current.held_seconds
            wall = int((moment - current.activated_at).total_seconds()) - current.held_wall_seconds
            data = {
                "to": step.timeout.to,
                "after": step.timeout.after.text,
                "timing": {"working_s": max(0, working), "wall_s": max(0, wall)},
            }
            self._record(loaded, TIMED_OUT, number, None, moment, data, now=now)
            loaded = self.load(loaded.state.id)
        return loaded

    # -- queries ---------------------------------------------------------------------

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
        if current.activated_at > moment:
            opens = _local_text(current.activated_at, loaded.flow)
            raise InvalidStateError(
                f"step {step.name} of {loaded.state.id} opens at {opens} (when the period it waits "
                "for ends): it cannot be done before that"
            )
        calendar = self.step_calendar(loaded.flow, step.number)
        working = calendar.working_seconds(current.activated_at, moment) - current.held_seconds
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
        if "service" not in data:
            service = self._service_change(loaded.flow, state, new_state, draft, records)
            if service is not None:
                data = {**data, "service": service}
                new_state.service = service_after(new_state.service, service)
        event = draft.sealed(state.seq + 1, state.last_hash, data)
        new_state = _with_head(new_state, event)
        try:
            self.store.append(event, new_state, loaded.flow, state)
        except BusyError:
            raise  # it waited for another user's change and gave up: that is the whole story
        except ConflictError:
            self._loaded.pop(state.id, None)
            raise self._conflict(state, step) from None
        self._remember(replace(loaded, events=[*loaded.events, event], state=new_state))
        # Seen as of the event: a backdated entry shows what was due then, not today.
        return InstanceView(
            new_state,
            loaded.flow,
            loaded.pinned,
            loaded.calendar,
            moment,
            events=[*loaded.events, event],
            calendars=self.flow_calendars(loaded.flow),
        )

    def _conflict(self, before: InstanceState, step: int | None) -> ConflictError | StoreError:
        fresh = self.load(before.id).state
        if fresh.seq == before.seq:  # the log has not moved, but the instance's row has
            return StoreError(
                f"the record of {before.id} does not agree with its log (changed outside sopctl?): "
                f"run `sopctl verify {before.id}`; nothing was written"
            )
        if step is not None and step not in fresh.current:
            name = self.flow_for_hash(before.sop_hash).label(step)
            return ConflictError(f"instance {before.id} changed: step {name} is no longer current")
        return ConflictError(
            f"instance {before.id} changed while this command ran: look at "
            f"`sopctl status {before.id}` and try again"
        )

    def _activator(self, flow: Procedure, calendar: Calendar, records: list[Activation]) -> Activator:
        def activate(
            state: InstanceState, number: int, pass_no: int, at: dt.datetime, source: int | None
        ) -> Activation:
            due, limit, limit_wall = None, None, None
            step = flow.step(number)
            calendar = self.step_calendar(flow, number)
            opens = None
            if step.opens is not None:
                since = state.started_at if step.opens.of == "start" else at
                ends = period_end(since.astimezone(ZoneInfo(flow.timezone)), step.opens.after, step.opens.day)
                if ends > at:  # reached after the period's end, it is current at once
                    opens = at = ends
            timeout = None if step.timeout is None else calendar.due(at, step.timeout.after)
            cell_limit = flow.cell_limit(number)
            if step.waits_for:
                pass  # the office waits on someone outside it: no official has a deadline here
            elif flow.continues_cell(number, source):
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
            strict = due is not None and cell_limit is not None and cell_limit.strict
            record = Activation(
                number, pass_no, due, limit, limit_wall, timeout_at=timeout, opens_at=opens, strict=strict
            )
            records.append(record)
            return record

        return activate

    def _service_change(
        self,
        flow: Procedure,
        before: InstanceState | None,
        after: InstanceState,
        event: Event,
        records: list[Activation],
    ) -> dict[str, Any] | None:
        """What an event does to the case's service limit, to be recorded with it: it starts
        (the flow reached its ``from`` symbol, or the case started), it is moved later (a wait
        on the applicant ended), or it ends (its ``until`` symbol was completed, or the case
        ended)."""
        service = flow.service
        if service is None:
            return None
        run = after.service
        calendar = self.service_calendar(flow)
        change: dict[str, Any] = {}
        if run is None:
            opened = [r for r in records if r.step == service.start] if service.start is not None else records
            if (event.type != STARTED and service.start is None) or not opened:
                return None
            started = opened[0].opens_at or event.at
            due = None if service.limit is None else calendar.due(started, service.limit)
            change = {
                "started_at": _utc(started),
                "due_at": None if due is None else _utc(due),
                "limit_s": None if due is None else calendar.working_seconds(started, due),
            }
            run = service_after(None, change)
        elif run.ended_at is not None:
            return None
        elif before is not None and event.step is not None and flow.step(event.step).waits_for:
            # The office's clock stopped while it waited on the applicant: so does the service's.
            waited = before.current[event.step]
            paused = max(0, calendar.working_seconds(waited.activated_at, event.at))
            if paused:
                moved = None if run.due_at is None else _utc(calendar.extend(run.due_at, paused))
                change = {"due_at": moved, "paused_s": paused}
                run = service_after(run, change)
        ends = after.state in (FINISHED, ABORTED) or (
            service.until is not None
            and event.step == service.until
            and event.type in (DONE, DECIDED, TIMED_OUT)
        )
        if ends:
            worked = calendar.working_seconds(run.started_at, event.at) - run.paused_s
            change = {**change, "ended_at": _utc(event.at), "working_s": max(0, worked)}
        return change or None


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
                doers = ", ".join(flow.lane(i).name for i in step.lanes)
                raise UsageError(f"{lane.name} is not a lane of step {step.name} (done by: {doers})")
            return lane.id
    known = ", ".join(lane.id for lane in flow.lanes)
    raise UsageError(f'no lane "{as_lane}" in {flow.id} (lanes: {known})')


def flow_label(loaded: Loaded, number: int) -> str:
    return loaded.flow.label(number)


def _local_text(moment: dt.datetime, flow: Procedure) -> str:
    return moment.astimezone(ZoneInfo(flow.timezone)).isoformat(timespec="minutes")


def period_end(moment: dt.datetime, period: str, day: int | None = None) -> dt.datetime:
    """The end of the ``period`` (month, quarter, half, year) that ``moment`` (office time) is in:
    midnight at the first day of the next one, or its ``day``."""
    months = {"month": 1, "quarter": 3, "half": 6, "year": 12}[period]
    first = (moment.month - 1) // months * months  # the period's first month, from 0
    index = moment.year * 12 + first + months
    year, month = divmod(index, 12)
    return dt.datetime(year, month + 1, day or 1, tzinfo=moment.tzinfo)


def _utc(moment: dt.datetime) -> str:
    from sopctl.run.events import utc_text

    return utc_text(moment)
