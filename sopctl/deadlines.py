"""Which current steps are overdue, or due soon: what ``sopctl check`` reports.

Rows stream from the store in due-time order, so a store with a million open
instances is never loaded into memory at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sopctl.calendar import Calendar
from sopctl.durations import Duration
from sopctl.engine import Engine
from sopctl.events import parse_utc
from sopctl.procedure import Procedure
from sopctl.views import local_iso


@dataclass(slots=True)
class DueStep:
    """One current step that is due: built per row of a possibly huge result, so a plain
    slotted class (a frozen one's __init__ costs microseconds a field)."""

    instance_id: str
    sop_id: str
    title: str
    ref: str | None
    step: int
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
        sops: dict[str, _Sop] = {}
        for row in self.engine.store.due_steps(self._query_bound(), self.sop, self.lane):
            sop = sops.get(row["sop_hash"])
            if sop is None:
                sop = sops[row["sop_hash"]] = self._sop(row["sop_hash"])
            due = parse_utc(row["due_at"])
            if due > sop.threshold:
                continue
            step = sop.steps.get(row["step"]) or sop.step(int(row["step"]))
            yield DueStep(
                instance_id=row["instance_id"],
                sop_id=row["sop_id"],
                title=row["title"],
                ref=row["ref"],
                step=step.number,
                pass_no=int(row["pass"]),
                activity=step.activity,
                lanes=step.lanes,
                lane_names=step.lane_names,
                activated_at=parse_utc(row["activated_at"]),
                due_at=due,
                overdue=due < at,
                late_working_seconds=sop.working_seconds_since(due),
                late_wall_seconds=int((at - due).total_seconds()),
                timezone=sop.timezone,
            )

    def _sop(self, sop_hash: str) -> _Sop:
        flow = self.engine.flow_for_hash(sop_hash)
        calendar = self.engine.calendar_for(flow)
        threshold = self._threshold(calendar).astimezone(dt.UTC)
        return _Sop(flow, threshold, calendar.working_seconds_to(self.at))


@dataclass(frozen=True)
class _Step:
    number: int
    activity: str
    lanes: tuple[str, ...]
    lane_names: tuple[str, ...]


class _Sop:
    """What every due row of one pinned SOP shares, worked out once per check."""

    def __init__(
        self, flow: Procedure, threshold: dt.datetime, working_seconds_since: Callable[[dt.datetime], int]
    ) -> None:
        self.flow = flow
        self.timezone = flow.timezone
        self.threshold = threshold
        self.working_seconds_since = working_seconds_since
        self.steps: dict[int, _Step] = {}

    def step(self, number: int) -> _Step:
        step = self.flow.step(number)
        names = tuple(self.flow.lane(lane).name for lane in step.lanes)
        self.steps[number] = _Step(step.number, step.activity, step.lanes, names)
        return self.steps[number]
