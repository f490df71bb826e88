"""Which current steps are overdue, or due soon: what ``sopctl check`` reports.

Rows stream from the store in due-time order, so a store with a million open
instances is never loaded into memory at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sopctl.calendar import Calendar
from sopctl.durations import Duration
from sopctl.engine import Engine
from sopctl.events import parse_utc
from sopctl.procedure import Procedure
from sopctl.views import local_iso


@dataclass(frozen=True)
class DueStep:
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
        for row in self.engine.store.due_steps(self._query_bound(), self.sop, self.lane):
            flow = self.engine.flow_for_hash(row["sop_hash"])
            calendar = self.engine.calendar_for(flow)
            due = parse_utc(row["due_at"])
            if due > self._threshold(calendar):
                continue
            yield _due_step(row, flow, calendar, due, self.at)


def _due_step(
    row: dict[str, Any], flow: Procedure, calendar: Calendar, due: dt.datetime, at: dt.datetime
) -> DueStep:
    step = flow.step(int(row["step"]))
    overdue = due < at
    return DueStep(
        instance_id=row["instance_id"],
        sop_id=row["sop_id"],
        title=row["title"],
        ref=row["ref"],
        step=step.number,
        pass_no=int(row["pass"]),
        activity=step.activity,
        lanes=step.lanes,
        lane_names=tuple(flow.lane(lane).name for lane in step.lanes),
        activated_at=parse_utc(row["activated_at"]),
        due_at=due,
        overdue=overdue,
        late_working_seconds=calendar.working_seconds(due, at),
        late_wall_seconds=int((at - due).total_seconds()),
        timezone=flow.timezone,
    )
