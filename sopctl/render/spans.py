"""How long, in the terms of a limit: what ``status`` sets beside a step's Waktu.

"✗ 60 jam > 1 minggu" compares working hours with a calendar week, and says a late step
was early. A time is measured as its limit is counted (``sopctl.run.calendar``):

* minutes and hours: open office minutes ("1 jam 35 menit");
* working days ("3 hari", "1 hari 2 jam"): the working days passed, each ending at the same
  time of day as a due time in days does, then the open hours after the last ("2 hari 3 jam");
* weeks, months, years, "hari kalender", and days on the elapsed clock: days of 24 hours and
  hours on the wall clock ("8 hari kalender 3 jam"; "8 hari 3 jam" on the elapsed clock).

Whether a step was late is never decided here: that is its recorded due time's to say.
"""

from __future__ import annotations

import datetime as dt

from sopctl.render.labels import format_minutes
from sopctl.run.calendar import Calendar
from sopctl.sop.durations import Duration, TotalTime, Unit


def in_minutes(limit: Duration | None) -> bool:
    """Whether a limit counts open office minutes (a time in minutes and hours, or none)."""
    return limit is None or limit.unit is Unit.MINUTE


def span_text(
    calendar: Calendar, limit: Duration | None, start: dt.datetime, end: dt.datetime, lang: str
) -> str:
    """The time from ``start`` to ``end`` (not before it) in the terms of ``limit``."""
    if end <= start or in_minutes(limit):
        return format_minutes(max(0, calendar.working_seconds(start, end)) // 60, lang)
    assert limit is not None
    working_days = calendar.kind == "working" and limit.unit is Unit.DAY and limit.working_days
    if working_days or calendar.kind == "elapsed":
        days, rest = calendar.whole_days(start, end)
    else:  # a span on the calendar, on the working clock: its days are the calendar's
        days, rest = divmod(int((end - start).total_seconds()), 86_400)
    if not days:
        return format_minutes(rest // 60, lang)
    hours = rest // 3600  # beside days, the minutes would only make the line longer
    if working_days:
        return TotalTime(minutes=hours * 60, days=days).format(lang)
    if calendar.kind == "working":
        return TotalTime(minutes=hours * 60, calendar_days=days).format(lang)
    return TotalTime(minutes=hours * 60, days=days).format(lang, elapsed=True)
