"""A time in the terms of its limit (``sopctl.render.spans``)."""

from __future__ import annotations

import datetime as dt

import pytest

from sopctl.render.spans import span_text
from sopctl.run.calendar import ElapsedCalendar, HolidayCalendar, WorkingCalendar
from sopctl.run.holiday_data import CachedHolidays
from sopctl.sop.durations import parse_duration
from tests.conftest import WIB

WORKING = WorkingCalendar(WIB, None, HolidayCalendar(CachedHolidays(None)))  # type: ignore[arg-type]
MONDAY = dt.datetime(2026, 3, 2, 8, 0, tzinfo=WIB)


@pytest.mark.parametrize(
    ("limit", "end", "lang", "expected"),
    [
        ("30 menit", dt.datetime(2026, 3, 2, 9, 35, tzinfo=WIB), "id", "1 jam 35 menit"),
        ("3 hari", dt.datetime(2026, 3, 4, 10, 0, tzinfo=WIB), "id", "2 hari 2 jam"),
        ("3 hari", dt.datetime(2026, 3, 4, 10, 0, tzinfo=WIB), "en", "2 working days 2 hours"),
        ("1 hari 2 jam", dt.datetime(2026, 3, 2, 9, 5, tzinfo=WIB), "id", "1 jam 5 menit"),
        # Friday to Monday 08:00 is one working day: the weekend is closed.
        ("1 hari", dt.datetime(2026, 3, 9, 8, 0, tzinfo=WIB), "id", "5 hari"),
        ("1 minggu", dt.datetime(2026, 3, 10, 9, 0, tzinfo=WIB), "id", "8 hari kalender 1 jam"),
        ("1 bulan", dt.datetime(2026, 4, 3, 8, 0, tzinfo=WIB), "en", "32 calendar days"),
    ],
)
def test_a_time_in_the_terms_of_its_limit(limit: str, end: dt.datetime, lang: str, expected: str) -> None:
    assert span_text(WORKING, parse_duration(limit), MONDAY, end, lang) == expected


def test_days_on_the_elapsed_clock_are_24_hours() -> None:
    end = dt.datetime(2026, 3, 4, 10, 0, tzinfo=WIB)
    assert span_text(ElapsedCalendar(WIB), parse_duration("3 hari"), MONDAY, end, "id") == "2 hari 2 jam"
    assert span_text(ElapsedCalendar(WIB), parse_duration("3 hari"), MONDAY, end, "en") == "2 days 2 hours"


def test_no_time_is_no_minutes() -> None:
    assert span_text(WORKING, parse_duration("1 minggu"), MONDAY, MONDAY, "id") == "0 menit"


def test_whole_working_days_are_counted_as_a_due_time_in_days_is() -> None:
    # Each whole day ends where "N hari" would be due: the same time of day, or the closing.
    friday_late = dt.datetime(2026, 3, 6, 16, 20, tzinfo=WIB)
    due = WORKING.add_working_days(friday_late, 1)  # Monday 16:00, its closing
    assert WORKING.whole_days(friday_late, due) == (1, 0)
    # Ten minutes on Friday, and Monday from 07:30 to 15:59.
    assert WORKING.whole_days(friday_late, due - dt.timedelta(minutes=1)) == (0, (8 * 60 + 39) * 60)
    for days in range(1, 12):
        assert WORKING.whole_days(MONDAY, WORKING.add_working_days(MONDAY, days)) == (days, 0)
