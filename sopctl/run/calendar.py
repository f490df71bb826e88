"""Working time: office hours, closed days and the office's timezone.

The rules (the README's "Time limits" section has worked examples):

* Minutes and hours consume open office minutes. A step that becomes current
  outside office hours starts counting at the next opening.
* "N hari" (working days) is due at the same time of day N working days after
  the step starts (at the next opening if it started while closed). When that
  day closes earlier than that time, it is due at that day's closing.
  "N hari M jam" is N working days, then M hours of open office time after them.
* Weeks, months, years (twelve months) and "hari kalender" are calendar spans; on
  the working clock the due time then moves to the next opening if the office is
  closed.
* A strict bound ("kurang dari 1 bulan") has the same due time; a step done at
  that moment is late (``Duration.strict``).
* A closed day is a weekend day without office hours, a national holiday, a cuti
  bersama day, or a local closure from the site config.

:class:`ElapsedCalendar` is the wall clock for SOPs that opt out of working time.
Nothing here reads the wall clock or any file; holidays come from a
:class:`ClosedDays` source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

from sopctl.errors import UsageError, clip
from sopctl.sop.durations import Duration, Unit

DAY = 86_400
#: Give up looking for an open day after this many days (a config that closes everything).
SEARCH_LIMIT_DAYS = 3_660

Interval = tuple[int, int]  # seconds after local midnight, [start, end)


class CalendarError(UsageError):
    """The calendar cannot answer (e.g. no office hours on any day)."""


#: "00" to "59": minutes as HH:MM writes them (a "²" or 5,000 digits are not read by int()).
_MINUTES = frozenset(f"{m:02d}" for m in range(60))


def hhmm(text: str) -> int:
    """ "07:30" -> seconds after midnight."""
    hours, _, minutes = text.strip().partition(":")
    if not (hours.isascii() and hours.isdigit() and len(hours) <= 2 and minutes in _MINUTES):
        raise UsageError(f'"{clip(text)}" is not a time of day: write HH:MM, e.g. 07:30')
    h, m = int(hours), int(minutes)
    if h > 24 or m > 59 or (h == 24 and m):
        raise UsageError(f'"{text}" is not a time of day: write HH:MM between 00:00 and 24:00')
    return h * 3600 + m * 60


@dataclass(frozen=True)
class OfficeHours:
    """Open intervals per weekday (0 = Monday), breaks already taken out."""

    days: Mapping[int, tuple[Interval, ...]]

    @classmethod
    def default(cls) -> OfficeHours:
        """Indonesian civil servants: Mon-Thu 07:30-16:00, Fri 07:30-16:30, no break."""
        weekday = ((hhmm("07:30"), hhmm("16:00")),)
        friday = ((hhmm("07:30"), hhmm("16:30")),)
        return cls({0: weekday, 1: weekday, 2: weekday, 3: weekday, 4: friday})

    @classmethod
    def build(cls, day: str, open_: str, close: str, breaks: Sequence[str] = ()) -> tuple[Interval, ...]:
        """One day's open intervals from its opening, closing and breaks ("12:00-13:00")."""
        start, end = hhmm(open_), hhmm(close)
        if end <= start:
            raise UsageError(f"{day}: closes at {close}, not after it opens at {open_}")
        cuts = sorted((hhmm(a), hhmm(b)) for a, _, b in (x.partition("-") for x in breaks))
        intervals: list[Interval] = []
        cursor = start
        for a, b in cuts:
            if b <= a:
                raise UsageError(f"{day}: the break {_fmt(a)}-{_fmt(b)} ends before it starts")
            if a < cursor or b > end:
                raise UsageError(
                    f"{day}: the break {_fmt(a)}-{_fmt(b)} overlaps another break or lies "
                    f"outside office hours {open_}-{close}"
                )
            if a > cursor:
                intervals.append((cursor, a))
            cursor = b
        if cursor < end:
            intervals.append((cursor, end))
        return tuple(intervals)


def _fmt(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


class ClosedDays(Protocol):
    def reason(self, day: dt.date) -> str | None:
        """Why the office is closed on ``day`` (a holiday's name), or None."""


@dataclass
class HolidayCalendar:
    """Closed days from a per-year holiday table plus local closures."""

    holidays_for_year: Callable[[int], Mapping[dt.date, str]]
    closures: Mapping[dt.date, str] = field(default_factory=dict)
    _years: dict[int, Mapping[dt.date, str]] = field(default_factory=dict, repr=False)

    def reason(self, day: dt.date) -> str | None:
        if day in self.closures:
            return self.closures[day]
        if day.year not in self._years:
            self._years[day.year] = self.holidays_for_year(day.year)
        return self._years[day.year].get(day)


class NoHolidays:
    def reason(self, day: dt.date) -> str | None:
        return None


class Calendar(Protocol):
    kind: str
    tz: ZoneInfo

    def due(self, start: dt.datetime, limit: Duration) -> dt.datetime: ...

    def whole_days(self, start: dt.datetime, end: dt.datetime) -> tuple[int, int]: ...

    def working_seconds(self, start: dt.datetime, end: dt.datetime) -> int: ...

    def working_seconds_to(self, end: dt.datetime) -> Callable[[dt.datetime], int]: ...

    def extend(self, due: dt.datetime, seconds: int) -> dt.datetime: ...

    def next_open(self, moment: dt.datetime) -> dt.datetime: ...


class WorkingCalendar:
    """Office working time in one timezone."""

    kind = "working"

    def __init__(
        self, tz: ZoneInfo, hours: OfficeHours | None = None, closed: ClosedDays | None = None
    ) -> None:
        self.tz = tz
        self.hours = hours or OfficeHours.default()
        self.closed = closed or NoHolidays()
        if not any(self.hours.days.get(d) for d in range(7)):
            raise CalendarError("the office hours leave every weekday closed")
        self._intervals = lru_cache(maxsize=8192)(self._intervals_uncached)
        self._cum_base: dt.date | None = None
        self._cum: list[int] = [0]

    # -- days -------------------------------------------------------------------

    def intervals(self, day: dt.date) -> tuple[Interval, ...]:
        """The open intervals of a date; empty when closed."""
        return self._intervals(day)

    def _intervals_uncached(self, day: dt.date) -> tuple[Interval, ...]:
        hours = self.hours.days.get(day.weekday(), ())
        if not hours or self.closed.reason(day):
            return ()
        return hours

    def closed_reason(self, day: dt.date) -> str | None:
        if not self.hours.days.get(day.weekday()):
            return "weekend"
        return self.closed.reason(day)

    def _local(self, moment: dt.datetime) -> tuple[dt.date, int]:
        local = moment.astimezone(self.tz)
        return local.date(), local.hour * 3600 + local.minute * 60 + local.second

    def _at(self, day: dt.date, seconds: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=self.tz) + dt.timedelta(seconds=seconds)

    def _next_open_day(self, day: dt.date) -> dt.date:
        for _ in range(SEARCH_LIMIT_DAYS):
            day += dt.timedelta(days=1)
            if self.intervals(day):
                return day
        raise CalendarError(f"no open office day within {SEARCH_LIMIT_DAYS} days of {day}")

    # -- moments ------------------------------------------------------------------

    def next_open(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` if the office is open then, else the next opening."""
        day, pos = self._local(moment)
        for a, b in self.intervals(day):
            if pos < b:
                return moment if pos >= a else self._at(day, a)
        day = self._next_open_day(day)
        return self._at(day, self.intervals(day)[0][0])

    def add_seconds(self, start: dt.datetime, seconds: int) -> dt.datetime:
        """The moment when ``seconds`` of open office time have passed since ``start``."""
        day, pos = self._local(start)
        remaining = seconds
        for _ in range(SEARCH_LIMIT_DAYS):
            for a, b in self.intervals(day):
                if pos >= b:
                    continue
                begin = max(a, pos)
                if remaining <= b - begin:
                    return self._at(day, begin + remaining)
                remaining -= b - begin
            day, pos = day + dt.timedelta(days=1), 0
        raise CalendarError(f"no open office time within {SEARCH_LIMIT_DAYS} days of {start}")

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """The same time of day ``days`` working days later (from the next opening)."""
        first = self.next_open(start)
        day, pos = self._local(first)
        for _ in range(days):
            day = self._next_open_day(day)
        intervals = self.intervals(day)
        pos = min(max(pos, intervals[0][0]), intervals[-1][1])
        return self._at(day, pos)

    def due(self, start: dt.datetime, limit: Duration) -> dt.datetime:
        if limit.unit is Unit.MINUTE:
            return self.add_seconds(start, limit.amount * 60)
        if limit.unit is Unit.DAY and limit.working_days:
            due = self.add_working_days(start, limit.amount)
            # "1 hari 2 jam": the working day first, then two hours of open office time.
            return self.add_seconds(due, limit.extra_minutes * 60) if limit.extra_minutes else due
        return self.next_open(calendar_span(start.astimezone(self.tz), limit))

    def whole_days(self, start: dt.datetime, end: dt.datetime) -> tuple[int, int]:
        """The time from ``start`` to ``end`` as "N hari" counts it: the working days passed, each
        ending at the same time of day as :meth:`add_working_days` does, and the open seconds
        after the last of them."""
        reached = self.next_open(start)
        day, pos = self._local(reached)
        days = 0
        while reached < end and days < SEARCH_LIMIT_DAYS:
            following = self._next_open_day(day)
            intervals = self.intervals(following)
            candidate = self._at(following, min(max(pos, intervals[0][0]), intervals[-1][1]))
            if candidate > end:
                break
            days, day, reached = days + 1, following, candidate
        return days, max(0, self.working_seconds(reached, end))

    def extend(self, due: dt.datetime, seconds: int) -> dt.datetime:
        """Move a due time later by ``seconds`` of working time (a hold)."""
        return self.add_seconds(due, seconds) if seconds > 0 else due

    # -- measuring ------------------------------------------------------------------

    def working_seconds(self, start: dt.datetime, end: dt.datetime) -> int:
        """Open office seconds in [start, end); negative when end is before start."""
        if end < start:
            return -self.working_seconds(end, start)
        (d1, p1), (d2, p2) = self._local(start), self._local(end)
        # d1 first: if it moves the table's anchor back, d2 is then read from the same anchor.
        before = self._cumulative(d1) + self._open_before(d1, p1)
        return self._cumulative(d2) + self._open_before(d2, p2) - before

    def working_seconds_to(self, end: dt.datetime) -> Callable[[dt.datetime], int]:
        """``working_seconds(start, end)`` as a function of ``start``, for many starts and one end
        (``check``): the end's side of the sum is worked out once."""
        d2, p2 = self._local(end)
        end_open = self._open_before(d2, p2)
        end_utc = end.astimezone(dt.UTC)  # the same instant; compares faster than a ZoneInfo time

        # Per start day: the open seconds from that day's midnight to ``end``, and its hours.
        # A difference of two cumulative sums, so it stays right when the anchor moves.
        days: dict[dt.date, tuple[int, tuple[Interval, ...]]] = {}

        def since(start: dt.datetime) -> int:
            if end_utc < start:
                return -self.working_seconds(end, start)
            d1, p1 = self._local(start)
            day = days.get(d1)
            if day is None:
                before = self._cumulative(d1)
                # After _cumulative(d1), which may have moved the anchor date back.
                day = days[d1] = (self._cumulative(d2) + end_open - before, self.intervals(d1))
            to_end, hours = day
            for a, b in hours:
                if p1 > a:
                    to_end -= (p1 if p1 < b else b) - a
            return to_end

        return since

    def _open_before(self, day: dt.date, pos: int) -> int:
        total = 0
        for a, b in self.intervals(day):
            if pos > a:
                total += (pos if pos < b else b) - a
        return total

    def _cumulative(self, day: dt.date) -> int:
        """Open seconds from an anchor date up to (not including) ``day``."""
        if self._cum_base is None or day < self._cum_base:
            # A week back from the first day asked about (a command asks about recent days);
            # once an earlier day is asked about, leave more room before rebuilding again.
            back = 7 if self._cum_base is None else 400
            self._cum_base = day - dt.timedelta(days=back)
            self._cum = [0]
        offset = (day - self._cum_base).days
        while len(self._cum) <= offset:
            index = len(self._cum) - 1
            today = self._cum_base + dt.timedelta(days=index)
            self._cum.append(self._cum[-1] + sum(b - a for a, b in self.intervals(today)))
        return self._cum[offset]


class ElapsedCalendar:
    """Wall-clock time: every minute counts, "1 hari" is 24 hours."""

    kind = "elapsed"

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz

    def due(self, start: dt.datetime, limit: Duration) -> dt.datetime:
        if limit.unit is Unit.MINUTE:
            return start + dt.timedelta(minutes=limit.amount)
        return calendar_span(start.astimezone(self.tz), limit) + dt.timedelta(minutes=limit.extra_minutes)

    def whole_days(self, start: dt.datetime, end: dt.datetime) -> tuple[int, int]:
        """Days of 24 hours from ``start`` to ``end``, and the seconds after the last of them."""
        days, rest = divmod(max(0, int((end - start).total_seconds())), DAY)
        return days, rest

    def working_seconds(self, start: dt.datetime, end: dt.datetime) -> int:
        return int((end - start).total_seconds())

    def working_seconds_to(self, end: dt.datetime) -> Callable[[dt.datetime], int]:
        end_utc = end.astimezone(dt.UTC)  # the same instant; subtracts faster than a ZoneInfo time
        return lambda start: int((end_utc - start).total_seconds())

    def extend(self, due: dt.datetime, seconds: int) -> dt.datetime:
        return due + dt.timedelta(seconds=seconds)

    def next_open(self, moment: dt.datetime) -> dt.datetime:
        return moment


def calendar_span(start: dt.datetime, limit: Duration) -> dt.datetime:
    """Add days, weeks or months on the calendar (a month keeps the day, clamped)."""
    if limit.unit is Unit.DAY:
        return start + dt.timedelta(days=limit.amount)
    if limit.unit is Unit.WEEK:
        return start + dt.timedelta(weeks=limit.amount)
    if limit.unit is Unit.MONTH:
        months = start.month - 1 + limit.amount
        year, month = start.year + months // 12, months % 12 + 1
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        return start.replace(year=year, month=month, day=min(start.day, last))
    return start + dt.timedelta(minutes=limit.amount)


@dataclass(frozen=True)
class FlowCalendars:
    """The calendars one SOP's cases run on: the SOP's, each symbol's that names its own, and the
    service limit's, so that late-by figures are counted where the due times were."""

    main: Calendar
    steps: Mapping[int, Calendar] = field(default_factory=dict)
    service: Calendar | None = None

    def step(self, number: int) -> Calendar:
        return self.steps.get(number, self.main)

    def of_service(self) -> Calendar:
        return self.service or self.main


#: The calendars every office has without naming them in its site config.
OFFICE, ALWAYS = "office", "always"


class Calendars:
    """The calendar each SOP's instances run on: its timezone, its clock, shared hours; and the
    named calendars of the site config (public service hours), which an SOP or one of its
    symbols may run on instead: ``office`` is the office hours, ``always`` round the clock."""

    def __init__(
        self,
        hours: OfficeHours | None = None,
        closed: ClosedDays | None = None,
        clocks: Mapping[str, str] | None = None,
        named: Mapping[str, OfficeHours | None] | None = None,
    ) -> None:
        self.hours = hours or OfficeHours.default()
        self.closed = closed or NoHolidays()
        self.clocks = dict(clocks or {})
        #: Name -> its hours (closed days are the office's), or None for round the clock.
        self.named = dict(named or {})
        self._made: dict[tuple[str, str], Calendar] = {}

    def names(self) -> set[str]:
        return {OFFICE, ALWAYS, *self.named}

    def called(self, name: str | None, sop_id: str, timezone: str, declared_clock: str) -> Calendar:
        """The calendar ``name`` for an SOP (None or ``office``: the SOP's own clock)."""
        if name is None or name == OFFICE:
            return self.for_sop(sop_id, timezone, declared_clock)
        if name != ALWAYS and name not in self.named:
            known = ", ".join(sorted(self.names()))
            raise CalendarError(
                f'{sop_id} runs on the calendar "{name}", which the site config does not define '
                f"(calendars: {known}): add it under `calendars:` in sopctl.yaml"
            )
        key = (timezone, f"named:{name}")
        if key not in self._made:
            tz = ZoneInfo(timezone)
            hours = None if name == ALWAYS else self.named[name]
            self._made[key] = (
                ElapsedCalendar(tz) if hours is None else WorkingCalendar(tz, hours, self.closed)
            )
        return self._made[key]

    @classmethod
    def default(cls, cache: object = None) -> Calendars:
        """Default office hours, Indonesia's holidays and cuti bersama (cached in ``cache``)."""
        from sopctl.run.holiday_data import CachedHolidays

        return cls(closed=HolidayCalendar(CachedHolidays(cache)))  # type: ignore[arg-type]

    def clock_for(self, sop_id: str, declared: str) -> str:
        return self.clocks.get(sop_id, declared)

    def for_sop(self, sop_id: str, timezone: str, declared_clock: str) -> Calendar:
        clock = self.clock_for(sop_id, declared_clock)
        key = (timezone, clock)
        if key not in self._made:
            tz = ZoneInfo(timezone)
            self._made[key] = (
                ElapsedCalendar(tz) if clock == "elapsed" else WorkingCalendar(tz, self.hours, self.closed)
            )
        return self._made[key]
