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
from sopctl.views import local_iso


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

    def as_dict(self) -> dict[str, Any]:
        tz = ZoneInfo(self.timezone)
        late = None
        if self.overdue:
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
            "due_in_minutes": None if self.overdue else -self.late_working_seconds // 60,
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
        key = (due.due_at, due.overdue, due.late_working_seconds, due.late_wall_seconds, tz)
        if key != self.last:
            if due.overdue:
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
        return (
            f'{{"id": {quote(due.instance_id)}{sop}{quote(due.title)}, "ref": {ref}, '
            f'"step": {due.step}, "symbol": {quote(due.symbol)}, "pass": {due.pass_no}{step[2]}, '
            f'"started_at": "{due.activated_at.astimezone(tz).isoformat()}{self.last_due}'
        )


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
    ) -> None:
        self.engine = engine
        self.at = at
        self.sop = sop
        self.lane = lane
        self.warn_before = warn_before
        self._thresholds: dict[int, dt.datetime] = {}

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
        bounds = [
            self._threshold(self.engine.calendar_for(self.engine.flow_for_hash(h)))
            for h in self.engine.store.pinned_hashes()
        ]
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
