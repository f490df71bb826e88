"""Which current steps are overdue, or due soon: what ``sopctl check`` reports.

Rows stream from the store in due-time order, so a store with a million open
instances is never loaded into memory at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sopctl.run.calendar import Calendar
from sopctl.run.engine import Engine
from sopctl.run.events import parse_utc, utc_text
from sopctl.sop.durations import Duration
from sopctl.sop.procedure import Procedure
from sopctl.store.rows import SERVICE_STEP
from sopctl.views import local_iso

STEP, SERVICE, TIMED_OUT, TIMEOUT = "step", "service", "timed_out", "timeout"

#: What a row of a service limit is about, in the SOP's language (a Standar Pelayanan's term).
SERVICE_ACTIVITY = {"id": "Waktu penyelesaian layanan", "en": "Service completion time"}


@dataclass(slots=True)
class DueStep:
    """One current step that is due: built per row of a possibly huge result, so a plain
    slotted class (a frozen one's __init__ costs microseconds a field)."""

    instance_id: str
    sop_id: str
    title: str
    ref: str | None
    #: The printed No of its row, and the symbol's name ("5", "5b").
    step: int
    symbol: str
    pass_no: int
    activity: str
    lanes: tuple[str, ...]
    lane_names: tuple[str, ...]
    activated_at: dt.datetime
    due_at: dt.datetime
    overdue: bool
    late_working_seconds: int
    late_wall_seconds: int
    timezone: str
    #: "step": a step's limit; "service": the case's service limit (Standar Pelayanan), whose
    #: ``lanes`` are those of the steps now current; "timed_out": a timeout recorded by this
    #: check (the flow went on by itself); "timeout": one that falls due by ``at`` (``--at``:
    #: nothing is recorded).
    kind: str = STEP

    def as_dict(self) -> dict[str, Any]:
        tz = ZoneInfo(self.timezone)
        late = None
        if self.overdue and self.kind in (STEP, SERVICE):
            late = {
                "working_minutes": self.late_working_seconds // 60,
                "wall_minutes": self.late_wall_seconds // 60,
            }
        return {
            "id": self.instance_id,
            "sop": self.sop_id,
            "title": self.title,
            "ref": self.ref,
            "step": self.step,
            "symbol": self.symbol,
            "pass": self.pass_no,
            "activity": self.activity,
            "lanes": list(self.lanes),
            "lane_names": list(self.lane_names),
            "started_at": local_iso(self.activated_at, tz),
            "due_at": local_iso(self.due_at, tz),
            "overdue": self.overdue,
            "late_by": late,
            "due_in_minutes": (
                None if self.overdue or self.kind not in (STEP, SERVICE) else -self.late_working_seconds // 60
            ),
            **({} if self.kind == STEP else {"kind": self.kind}),
        }


class DueStepEncoder:
    """``DueStep.as_dict()`` as JSON text (``ensure_ascii=False``, default separators), the same
    text ``json`` writes, built from pieces shared by many rows: a step's activity and lanes,
    a due time's lateness. ``check --json`` writes a row in a third of the time this way."""

    def __init__(self) -> None:
        from json.encoder import encode_basestring

        self.quote = encode_basestring
        # Per activity: its lanes, its lanes' names, and their JSON.
        self.steps: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {}
        self.sops: dict[str, str] = {}
        self.zone_name = ""
        self.zone: ZoneInfo | None = None
        self.last: tuple[Any, ...] = ()
        self.last_due = ""

    def _list(self, values: tuple[str, ...]) -> str:
        return "[" + ", ".join(self.quote(v) for v in values) + "]"

    def encode(self, due: DueStep) -> str:
        quote = self.quote
        if due.timezone != self.zone_name or self.zone is None:
            self.zone_name, self.zone = due.timezone, ZoneInfo(due.timezone)
        tz = self.zone
        step = self.steps.get(due.activity)
        if step is None or step[0] != due.lanes or step[1] != due.lane_names:
            step = self.steps[due.activity] = (
                due.lanes,
                due.lane_names,
                f', "activity": {quote(due.activity)}, "lanes": {self._list(due.lanes)}, '
                f'"lane_names": {self._list(due.lane_names)}',
            )
        sop = self.sops.get(due.sop_id)
        if sop is None:
            sop = self.sops[due.sop_id] = f', "sop": {quote(due.sop_id)}, "title": '
        key = (due.due_at, due.overdue, due.late_working_seconds, due.late_wall_seconds, tz, due.kind)
        if key != self.last:
            if due.kind not in (STEP, SERVICE):
                late, soon = "null", "null"
            elif due.overdue:
                late = (
                    f'{{"working_minutes": {due.late_working_seconds // 60}, '
                    f'"wall_minutes": {due.late_wall_seconds // 60}}}'
                )
                soon = "null"
            else:
                late, soon = "null", str(-due.late_working_seconds // 60)
            overdue = "true" if due.overdue else "false"
            self.last = key
            self.last_due = (
                f'", "due_at": "{local_iso(due.due_at, tz)}", "overdue": {overdue}, '
                f'"late_by": {late}, "due_in_minutes": {soon}}}'
            )
        ref = "null" if due.ref is None else quote(due.ref)
        text = (
            f'{{"id": {quote(due.instance_id)}{sop}{quote(due.title)}, "ref": {ref}, '
            f'"step": {due.step}, "symbol": {quote(due.symbol)}, "pass": {due.pass_no}{step[2]}, '
            f'"started_at": "{due.activated_at.astimezone(tz).isoformat()}{self.last_due}'
        )
        return text if due.kind == STEP else f'{text[:-1]}, "kind": {quote(due.kind)}}}'


class DeadlineCheck:
    """Overdue (and, with a warning window, soon due) steps as of ``at``."""

    def __init__(
        self,
        engine: Engine,
        at: dt.datetime,
        *,
        sop: str | None = None,
        lane: str | None = None,
        warn_before: Duration | None = None,
        record: bool = False,
    ) -> None:
        """``record``: record the timeouts that have fallen due (a check of now, not ``--at``)."""
        self.engine = engine
        self.at = at
        self.record = record
        self.sop = sop
        self.lane = lane
        self.warn_before = warn_before
        self._thresholds: dict[int, dt.datetime] = {}
        self._since: dict[int, Callable[[dt.datetime], int]] = {}

    def _threshold(self, calendar: Calendar) -> dt.datetime:
        """The latest due time still reported for an instance on ``calendar``."""
        key = id(calendar)
        if key not in self._thresholds:
            window = self.warn_before
            self._thresholds[key] = self.at if window is None else calendar.due(self.at, window)
        return self._thresholds[key]

    def _query_bound(self) -> dt.datetime:
        if self.warn_before is None:
            return self.at
        engine = self.engine
        bounds = []
        for sop_hash in engine.store.pinned_hashes():
            flow = engine.flow_for_hash(sop_hash)
            calendars = [engine.calendar_for(flow), engine.service_calendar(flow)]
            calendars += [
                engine.calendars.called(n, flow.id, flow.timezone, flow.clock) for n in flow.calendar_names()
            ]
            bounds += [self._threshold(calendar) for calendar in calendars]
        return max(bounds, default=self.at)

    def count(self) -> int:
        return self.engine.store.count_due_steps(self._query_bound(), self.sop, self.lane)

    def __iter__(self) -> Iterator[DueStep]:
        # Compared with and subtracted from every row's UTC due time: in UTC that is a few
        # times faster than with a ZoneInfo time (no utcoffset look-up), for the same instants.
        at = self.at.astimezone(dt.UTC)
        # A step that became current after ``at`` was not open then (``check --at`` in the
        # past); the stored times are UTC text, which compares as the times do.
        at_text = utc_text(at)
        sops: dict[str, _Sop] = {}
        #: Rows that need their instance read (a service limit, a timeout): after the stream,
        #: whose cursor a read (or a write) on the same connection must not disturb.
        later: list[tuple[str, int, _Sop]] = []
        for (
            instance_id,
            step_no,
            pass_no,
            activated_at,
            due_text,
            sop_id,
            sop_hash,
            title,
            ref,
        ) in self.engine.store.due_steps(self._query_bound(), self.sop, self.lane):
            if activated_at > at_text:
                continue
            sop = sops.get(sop_hash)
            if sop is None:
                sop = sops[sop_hash] = self._sop(sop_hash, at)
            if step_no == SERVICE_STEP or (step_no in sop.flow.steps and sop.flow.steps[step_no].timeout):
                later.append((instance_id, int(step_no), sop))
                continue
            if sop.flow.steps[step_no].calendar:
                since, threshold = self._clock(sop.flow, sop.flow.calendar_of(step_no))
                due = sop.due_on(due_text, since)
                if due.at > threshold:
                    continue
            else:
                # Rows come in due order: the same due time as the last row's is worked out once.
                due = sop.last if due_text == sop.last_text else sop.due(due_text)
                if due.at > sop.threshold:
                    continue
            step = sop.steps.get(step_no) or sop.step(int(step_no))
            # Positional: keyword arguments cost a microsecond a row here.
            yield DueStep(
                instance_id,
                sop_id,
                title,
                ref,
                step.row,
                step.name,
                int(pass_no),
                step.activity,
                step.lanes,
                step.lane_names,
                parse_utc(activated_at),
                due.at,
                due.overdue or (step.strict and due.at == at),  # a strict bound is passed at it
                due.late_working_seconds,
                due.late_wall_seconds,
                sop.timezone,
            )

        for instance_id, step_no, sop in later:
            yield from self._read(instance_id, step_no, sop)

    def _read(self, instance_id: str, step_no: int, sop: _Sop) -> Iterator[DueStep]:
        """A row that its instance says more about: its service limit (and who must act on it),
        or a timeout, recorded now if it has fallen due and this check is of now."""
        from sopctl.errors import ConflictError, StoreError

        engine, flow = self.engine, sop.flow
        try:
            state = engine.load(instance_id).state
            if step_no != SERVICE_STEP and self.record:
                before = len(state.runs)
                state = engine._settled(instance_id, None).state
                for run in state.runs[before:]:
                    if run.timed_out:
                        yield self._row(
                            state, sop, run.step, run.pass_no, run.activated_at, run.completed_at, TIMED_OUT
                        )
                if step_no not in state.current:
                    return
        except (ConflictError, StoreError):
            return  # changed meanwhile, or its log was changed: `verify` and `status` say so
        if step_no == SERVICE_STEP:
            service = state.service
            if service is None or service.due_at is None or service.ended_at is not None:
                return
            row = self._row(state, sop, SERVICE_STEP, 1, service.started_at, service.due_at, SERVICE)
            if row.due_at <= self._clock(flow, None, service=True)[1]:
                yield row
            return
        current = state.current[step_no]
        if current.activated_at > self.at:
            return
        if current.timeout_at is not None and current.timeout_at <= self.at:
            yield self._row(
                state, sop, step_no, current.pass_no, current.activated_at, current.timeout_at, TIMEOUT
            )
        elif current.due_at is not None and current.due_at <= self._clock(flow, flow.calendar_of(step_no))[1]:
            yield self._row(state, sop, step_no, current.pass_no, current.activated_at, current.due_at, STEP)

    def _row(
        self,
        state: Any,
        sop: _Sop,
        step_no: int,
        pass_no: int,
        activated_at: dt.datetime,
        due_at: dt.datetime,
        kind: str,
    ) -> DueStep:
        flow = sop.flow
        if step_no == SERVICE_STEP:
            # Who must act on a case over its service limit: whoever has a step of it now.
            lanes = tuple(dict.fromkeys(lane for n in sorted(state.current) for lane in flow.step(n).lanes))
            limit = flow.service.limit if flow.service is not None else None
            step = _Step(
                0,
                "-",
                # In the SOP's language, as its activities are.
                f"{SERVICE_ACTIVITY.get(flow.language, SERVICE_ACTIVITY['id'])} ({limit})",
                lanes,
                tuple(flow.lane(x).name for x in lanes),
            )
        else:
            step = sop.steps.get(step_no) or sop.step(step_no)
        if step_no == SERVICE_STEP:
            due = sop.due_on(utc_text(due_at), self._clock(flow, None, service=True)[0])
        else:
            due = sop.due_on(utc_text(due_at), self._clock(flow, flow.calendar_of(step_no))[0])
        overdue = due.overdue and kind in (STEP, SERVICE)
        return DueStep(
            state.id,
            state.sop_id,
            state.title,
            state.ref,
            step.row,
            step.name,
            pass_no,
            step.activity,
            step.lanes,
            step.lane_names,
            activated_at,
            due.at,
            overdue,
            due.late_working_seconds,
            due.late_wall_seconds,
            sop.timezone,
            kind,
        )

    def _clock(
        self, flow: Procedure, name: str | None, *, service: bool = False
    ) -> tuple[Callable[[dt.datetime], int], dt.datetime]:
        """For a step on calendar ``name`` (or the service limit): working seconds from a due time
        to ``at`` on its calendar, and the latest due time reported."""
        engine = self.engine
        calendar = (
            engine.service_calendar(flow)
            if service
            else engine.calendars.called(name, flow.id, flow.timezone, flow.clock)
        )
        key = id(calendar)
        since = self._since.get(key)
        if since is None:
            since = self._since[key] = calendar.working_seconds_to(self.at)
        return since, self._threshold(calendar).astimezone(dt.UTC)

    def _sop(self, sop_hash: str, at: dt.datetime) -> _Sop:
        flow = self.engine.flow_for_hash(sop_hash)
        calendar = self.engine.calendar_for(flow)
        threshold = self._threshold(calendar).astimezone(dt.UTC)
        return _Sop(flow, threshold, at, calendar.working_seconds_to(self.at))


@dataclass(frozen=True)
class _Step:
    row: int
    name: str
    activity: str
    lanes: tuple[str, ...]
    lane_names: tuple[str, ...]
    #: Its limit is a strict bound ("kurang dari 1 bulan"): overdue at its due time.
    strict: bool = False


class _Due(NamedTuple):
    """How late a due time is, shared by every row due at the same moment."""

    at: dt.datetime
    overdue: bool
    late_working_seconds: int
    late_wall_seconds: int


class _Sop:
    """What every due row of one pinned SOP shares, worked out once per check: its steps,
    and the last due time's lateness (many steps fall due at the same minute)."""

    def __init__(
        self,
        flow: Procedure,
        threshold: dt.datetime,
        at: dt.datetime,
        working_seconds_since: Callable[[dt.datetime], int],
    ) -> None:
        self.flow = flow
        self.timezone = flow.timezone
        self.threshold = threshold
        self.at = at
        self.working_seconds_since = working_seconds_since
        self.steps: dict[int, _Step] = {}
        self.last_text = ""
        self.last = _Due(at, False, 0, 0)

    def step(self, number: int) -> _Step:
        step = self.flow.step(number)
        names = tuple(self.flow.lane(lane).name for lane in step.lanes)
        limit = self.flow.cell_limit(number)  # what the engine recorded the due time from
        strict = limit is not None and limit.strict
        self.steps[number] = _Step(step.row, step.name, step.activity, step.lanes, names, strict)
        return self.steps[number]

    def due_on(self, text: str, since: Callable[[dt.datetime], int]) -> _Due:
        """:meth:`due` on another calendar than the SOP's (a symbol's own, the service's)."""
        moment = parse_utc(text)
        return _Due(moment, moment < self.at, since(moment), int((self.at - moment).total_seconds()))

    def due(self, text: str) -> _Due:
        moment = parse_utc(text)
        due = _Due(
            moment,
            moment < self.at,
            self.working_seconds_since(moment),
            int((self.at - moment).total_seconds()),
        )
        self.last_text, self.last = text, due
        return due
