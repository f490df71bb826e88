"""Working time on known dates, and the properties every due time must have."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sopctl.config import SiteConfig, load_config
from sopctl.errors import UsageError, ValidationFailed
from sopctl.run.calendar import Calendars, ElapsedCalendar, HolidayCalendar, OfficeHours, WorkingCalendar
from sopctl.run.holiday_data import CachedHolidays, national_holidays
from sopctl.sop.durations import parse_duration
from tests.conftest import WIB, WIT, WITA


def calendar(tz: dt.tzinfo = WIB, hours: OfficeHours | None = None) -> WorkingCalendar:
    return WorkingCalendar(tz, hours, HolidayCalendar(CachedHolidays(None)))  # type: ignore[arg-type]


def due(start: dt.datetime, text: str, cal: WorkingCalendar | ElapsedCalendar | None = None) -> dt.datetime:
    limit = parse_duration(text)
    assert limit is not None
    return (cal or calendar(start.tzinfo)).due(start, limit)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text", ["20000 jam", "1200000 menit", "2500 hari", "3650 hari kalender", "520 minggu", "120 bulan"]
)
def test_the_longest_limit_has_a_due_time_on_both_clocks(text: str) -> None:
    # The longest a duration may be (10 years) stays within what the calendar searches.
    start = dt.datetime(2026, 12, 31, 15, 0, tzinfo=WIB)
    for cal in (calendar(), ElapsedCalendar(WIB)):  # type: ignore[arg-type]
        result = due(start, text, cal)
        assert start < result < start + dt.timedelta(days=11 * 366)  # ~243 working days a year


def test_one_day_waits_out_nyepi_idul_fitri_and_cuti_bersama() -> None:
    start = dt.datetime(2026, 3, 17, 9, 20, tzinfo=WITA)  # Tuesday
    result = due(start, "1 hari")
    assert result == dt.datetime(2026, 3, 25, 9, 20, tzinfo=WITA)
    # Every weekday skipped is closed according to the holidays package itself.
    table = national_holidays(2026)
    for day in (18, 19, 20, 23, 24):
        assert dt.date(2026, 3, day) in table, day
    assert "Nyepi" in table[dt.date(2026, 3, 19)]
    assert table[dt.date(2026, 3, 18)].startswith("Cuti Bersama")


def test_cuti_bersama_can_be_left_out() -> None:
    cal = WorkingCalendar(WITA, None, HolidayCalendar(CachedHolidays(None, cuti_bersama=False)))
    # Only Nyepi (Thu 19) is closed now; Wed 18 is a working day again.
    assert due(dt.datetime(2026, 3, 17, 9, 20, tzinfo=WITA), "1 hari", cal) == dt.datetime(
        2026, 3, 18, 9, 20, tzinfo=WITA
    )


# Wed 18 Mar 2026 is Cuti Bersama Nyepi, Thu 19 Nyepi; Mon 16 Feb Cuti Bersama Imlek, Tue 17 Imlek.
@pytest.mark.parametrize(
    ("national", "cuti_bersama", "after_tuesday", "after_friday"),
    [
        (True, True, dt.date(2026, 3, 25), dt.date(2026, 2, 18)),  # the worked example in the README
        (True, False, dt.date(2026, 3, 18), dt.date(2026, 2, 16)),
        (False, True, dt.date(2026, 3, 19), dt.date(2026, 2, 17)),
        (False, False, dt.date(2026, 3, 18), dt.date(2026, 2, 16)),
    ],
)
def test_public_holidays_and_cuti_bersama_are_switched_off_each_on_its_own(
    national: bool, cuti_bersama: bool, after_tuesday: dt.date, after_friday: dt.date
) -> None:
    config = SiteConfig.model_validate({"holidays": {"national": national, "cuti_bersama": cuti_bersama}})
    cal = config.calendars().for_sop("pemeliharaan-simpeg", "Asia/Makassar", "working")
    assert isinstance(cal, WorkingCalendar)
    assert (cal.closed_reason(dt.date(2026, 3, 19)) is not None) is national
    assert (cal.closed_reason(dt.date(2026, 3, 18)) is not None) is cuti_bersama
    assert (cal.closed_reason(dt.date(2026, 2, 17)) is not None) is national
    assert (cal.closed_reason(dt.date(2026, 2, 16)) is not None) is cuti_bersama
    tuesday = dt.datetime(2026, 3, 17, 9, 20, tzinfo=WITA)
    assert due(tuesday, "1 hari", cal) == dt.datetime.combine(after_tuesday, tuesday.timetz())
    friday = dt.datetime(2026, 2, 13, 10, 0, tzinfo=WITA)
    assert due(friday, "1 hari", cal) == dt.datetime.combine(after_friday, friday.timetz())


def test_minutes_started_friday_afternoon_run_into_monday_morning() -> None:
    start = dt.datetime(2026, 3, 6, 16, 20, tzinfo=WIB)  # Friday, closes 16:30
    assert due(start, "30 menit") == dt.datetime(2026, 3, 9, 7, 50, tzinfo=WIB)


def test_a_limit_ending_at_closing_time_is_due_at_closing_time() -> None:
    start = dt.datetime(2026, 3, 6, 16, 20, tzinfo=WIB)
    assert due(start, "10 menit") == dt.datetime(2026, 3, 6, 16, 30, tzinfo=WIB)


def test_days_keep_the_time_of_day_but_not_past_closing() -> None:
    friday_late = dt.datetime(2026, 3, 6, 16, 20, tzinfo=WIB)  # Friday is open until 16:30
    assert due(friday_late, "1 hari") == dt.datetime(2026, 3, 9, 16, 0, tzinfo=WIB)  # Monday closes 16:00


def test_a_step_started_after_hours_starts_at_the_next_opening() -> None:
    evening = dt.datetime(2026, 3, 3, 17, 0, tzinfo=WIB)  # Tuesday evening
    assert due(evening, "1 hari") == dt.datetime(2026, 3, 5, 7, 30, tzinfo=WIB)
    assert due(evening, "2 jam") == dt.datetime(2026, 3, 4, 9, 30, tzinfo=WIB)


def test_ranges_use_their_upper_bound() -> None:
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=WIB)
    assert due(start, "1-3 Hari") == due(start, "3 hari kerja") == dt.datetime(2026, 3, 5, 8, 0, tzinfo=WIB)


def test_the_same_moment_in_wib_wita_and_wit() -> None:
    moment = dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.UTC)  # 07:00 WIB, 08:00 WITA, 09:00 WIT
    assert due(moment, "15 menit", calendar(WIB)) == dt.datetime(2026, 3, 2, 7, 45, tzinfo=WIB)
    assert due(moment, "15 menit", calendar(WITA)) == dt.datetime(2026, 3, 2, 8, 15, tzinfo=WITA)
    assert due(moment, "15 menit", calendar(WIT)) == dt.datetime(2026, 3, 2, 9, 15, tzinfo=WIT)
    late = dt.datetime(2026, 3, 2, 8, 45, tzinfo=dt.UTC)  # 15:45 WIB, 16:45 WITA, 17:45 WIT
    assert due(late, "30 menit", calendar(WIB)) == dt.datetime(2026, 3, 3, 7, 45, tzinfo=WIB)
    assert due(late, "30 menit", calendar(WIT)) == dt.datetime(2026, 3, 3, 8, 0, tzinfo=WIT)


def test_breaks_are_not_working_time() -> None:
    hours = OfficeHours({d: OfficeHours.build("day", "07:30", "16:00", ["12:00-13:00"]) for d in range(5)})
    cal = calendar(WIB, hours)
    start = dt.datetime(2026, 3, 2, 11, 30, tzinfo=WIB)
    assert due(start, "1 jam", cal) == dt.datetime(2026, 3, 2, 13, 30, tzinfo=WIB)
    assert cal.working_seconds(start, dt.datetime(2026, 3, 2, 13, 30, tzinfo=WIB)) == 3600


def test_weeks_and_months_are_calendar_spans_then_the_next_opening() -> None:
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=WIB)
    assert due(start, "1 minggu") == dt.datetime(2026, 3, 9, 8, 0, tzinfo=WIB)
    # 2 March + 1 month = 2 April (Thursday, open); 31 January + 1 month = 28 February (Saturday).
    assert due(start, "1 bulan") == dt.datetime(2026, 4, 2, 8, 0, tzinfo=WIB)
    end_of_january = dt.datetime(2026, 1, 30, 8, 0, tzinfo=WIB)
    assert due(end_of_january, "1 bulan") == dt.datetime(2026, 3, 2, 7, 30, tzinfo=WIB)


def test_days_and_hours_are_the_working_days_then_working_hours_after_them() -> None:
    monday = dt.datetime(2026, 3, 2, 15, 0, tzinfo=WIB)
    # Tuesday 15:00 (one working day), then one hour to Tuesday's closing and one on Wednesday.
    assert due(monday, "1 hari 2 jam") == dt.datetime(2026, 3, 4, 8, 30, tzinfo=WIB)
    assert due(monday, "1 hari 2 jam") == CAL.add_seconds(due(monday, "1 hari"), 2 * 3600)
    friday_late = dt.datetime(2026, 3, 6, 16, 20, tzinfo=WIB)
    # Monday closes at 16:00 before 16:20: the day ends there, and the two hours run on Tuesday.
    assert due(friday_late, "1 hari 2 jam") == dt.datetime(2026, 3, 10, 9, 30, tzinfo=WIB)
    # Over Nyepi and its cuti bersama (18-24 March are closed): 2 days are Thursday 26 09:20.
    before_nyepi = dt.datetime(2026, 3, 17, 9, 20, tzinfo=WITA)
    assert due(before_nyepi, "2 hari 30 menit") == dt.datetime(2026, 3, 26, 9, 50, tzinfo=WITA)
    assert due(monday, "1 hari 2 jam 30 menit") == dt.datetime(2026, 3, 4, 9, 0, tzinfo=WIB)


def test_days_and_hours_on_the_elapsed_clock_are_24_hours_then_the_hours() -> None:
    start = dt.datetime(2026, 3, 6, 16, 20, tzinfo=WIB)
    assert due(start, "1 hari 2 jam", ElapsedCalendar(WIB)) == dt.datetime(2026, 3, 7, 18, 20, tzinfo=WIB)


def test_a_year_is_twelve_months_on_the_calendar() -> None:
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=WIB)
    assert due(start, "1 tahun") == due(start, "12 bulan") == dt.datetime(2027, 3, 2, 8, 0, tzinfo=WIB)
    leap_day = dt.datetime(2028, 2, 29, 8, 0, tzinfo=WIB)  # a Tuesday; 28 Feb 2029 is a Wednesday
    assert due(leap_day, "tahun") == dt.datetime(2029, 2, 28, 8, 0, tzinfo=WIB)


def test_a_bound_as_written_has_the_due_time_of_its_limit() -> None:
    # Strictness decides lateness at the due time; it does not move the due time.
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=WIB)
    assert due(start, "kurang dari 1 bulan") == due(start, "maksimal 1 bulan") == due(start, "1 bulan")
    assert due(start, "< 3 jam") == due(start, "≤ 3 jam") == dt.datetime(2026, 3, 2, 11, 0, tzinfo=WIB)


def test_elapsed_clock_counts_every_minute() -> None:
    cal = ElapsedCalendar(WIB)
    start = dt.datetime(2026, 3, 6, 16, 20, tzinfo=WIB)
    assert due(start, "30 menit", cal) == dt.datetime(2026, 3, 6, 16, 50, tzinfo=WIB)
    assert due(start, "1 hari", cal) == dt.datetime(2026, 3, 7, 16, 20, tzinfo=WIB)
    assert cal.working_seconds(start, start + dt.timedelta(hours=3)) == 3 * 3600


def test_working_seconds_between_moments() -> None:
    cal = calendar(WIB)
    friday = dt.datetime(2026, 3, 6, 16, 0, tzinfo=WIB)
    monday = dt.datetime(2026, 3, 9, 8, 0, tzinfo=WIB)
    assert cal.working_seconds(friday, monday) == (30 + 30) * 60
    assert cal.working_seconds(monday, friday) == -(30 + 30) * 60


def test_office_hours_that_make_no_sense_are_refused() -> None:
    with pytest.raises(UsageError, match="overlaps another break"):
        OfficeHours.build("monday", "07:30", "16:00", ["12:00-13:00", "12:30-13:30"])
    with pytest.raises(UsageError, match="outside office hours"):
        OfficeHours.build("monday", "07:30", "16:00", ["16:00-17:00"])
    with pytest.raises(UsageError, match="not after it opens"):
        OfficeHours.build("monday", "16:00", "07:30")
    with pytest.raises(UsageError, match="not a time of day"):
        OfficeHours.build("monday", "7.30", "16:00")
    with pytest.raises(UsageError, match="every weekday closed"):
        WorkingCalendar(WIB, OfficeHours({}))


def test_site_config_sets_hours_closures_and_clocks(tmp_path: Path) -> None:
    path = tmp_path / "sopctl.yaml"
    path.write_text(
        "office_hours:\n"
        "  monday: {open: '08:00', close: '16:00', breaks: ['12:00-13:00']}\n"
        "  friday: closed\n"
        "closures:\n"
        "  - {date: 2026-03-03, note: 'Libur daerah, SE Bupati 003/2026'}\n"
        "clocks:\n"
        "  pemeliharaan-simpeg: elapsed\n"
    )
    calendars = load_config(path).calendars()
    working = calendars.for_sop("pengelolaan-data-kepegawaian", "Asia/Jakarta", "working")
    assert isinstance(working, WorkingCalendar)
    assert working.closed_reason(dt.date(2026, 3, 3)) == "Libur daerah, SE Bupati 003/2026"
    assert working.intervals(dt.date(2026, 3, 2)) == ((8 * 3600, 12 * 3600), (13 * 3600, 16 * 3600))
    assert working.intervals(dt.date(2026, 3, 6)) == ()  # Friday closed
    # Monday 15:30 + 1 jam: 30 minutes Monday, Tuesday closed (local closure), then Wednesday
    # from its default opening, 07:30.
    start = dt.datetime(2026, 3, 2, 15, 30, tzinfo=WIB)
    assert due(start, "1 jam", working) == dt.datetime(2026, 3, 4, 8, 0, tzinfo=WIB)
    assert isinstance(calendars.for_sop("pemeliharaan-simpeg", "Asia/Makassar", "working"), ElapsedCalendar)


def test_site_config_errors_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "sopctl.yaml"
    path.write_text(
        "office_hours:\n"
        "  mondy: closed\n"
        "  tuesday: {open: '07:30', close: '16:00', breaks: ['12:00-13:00', '12:30-13:30']}\n"
        "closures:\n"
        "  - {from: 2026-04-12, note: y}\n"
        "holyday: blue\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        load_config(path)
    lines = sorted(str(p).removeprefix(f"{path}:") for p in caught.value.problems)
    assert lines == [
        "2:3: office_hours.mondy: must be one of monday, tuesday, wednesday, thursday, friday, "
        "saturday, sunday, not 'mondy' (did you mean \"monday\"?)",
        "3:12: office_hours.tuesday: the break 12:30-13:30 overlaps another break or lies outside "
        "office hours 07:30-16:00",
        "5:5: closures[0]: `to` must be given and not before `from`",
        '6:1: holyday: unknown key "holyday" (did you mean "holidays"?)',
    ]


def test_holiday_tables_are_cached_by_year_and_package_version() -> None:
    class Cache:
        def __init__(self) -> None:
            self.data: dict[str, str] = {}

        def cache_get(self, key: str) -> str | None:
            return self.data.get(key)

        def cache_put(self, key: str, value: str) -> None:
            self.data[key] = value

    cache = Cache()
    calls: list[int] = []

    def compute(year: int, categories: tuple[str, ...]) -> dict[dt.date, str]:
        calls.append(year)
        return {dt.date(year, 8, 17): "Hari Kemerdekaan"}

    source = CachedHolidays(cache, compute=compute)  # type: ignore[arg-type]
    assert source(2026) == {dt.date(2026, 8, 17): "Hari Kemerdekaan"}
    assert source(2026) == {dt.date(2026, 8, 17): "Hari Kemerdekaan"}
    assert calls == [2026]
    assert len(cache.data) == 1 and next(iter(cache.data)).startswith("holidays:ID:")


# -- properties -----------------------------------------------------------------------

CAL = calendar(WIB)
moments = st.datetimes(
    min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 31), timezones=st.just(WIB)
).map(lambda m: m.replace(second=0, microsecond=0))
limits = st.one_of(
    st.integers(1, 3000).map(lambda n: f"{n} menit"),
    st.integers(1, 40).map(lambda n: f"{n} jam"),
    st.integers(1, 15).map(lambda n: f"{n} hari"),
    st.tuples(st.integers(1, 15), st.integers(1, 600)).map(lambda p: f"{p[0]} hari {p[1]} menit"),
    st.integers(1, 3).map(lambda n: f"{n} tahun"),
)


@settings(max_examples=300, deadline=None)
@given(moments, st.integers(0, 5000), limits)
def test_a_later_start_never_gives_an_earlier_due_time(start: dt.datetime, later: int, text: str) -> None:
    assert due(start + dt.timedelta(minutes=later), text, CAL) >= due(start, text, CAL)


@settings(max_examples=300, deadline=None)
@given(moments, st.integers(1, 3000), st.integers(0, 3000))
def test_a_larger_limit_never_gives_an_earlier_due_time(start: dt.datetime, minutes: int, more: int) -> None:
    assert due(start, f"{minutes + more} menit", CAL) >= due(start, f"{minutes} menit", CAL)


@settings(max_examples=300, deadline=None)
@given(moments, st.integers(1, 5000))
def test_working_minutes_between_start_and_due_equal_the_limit(start: dt.datetime, minutes: int) -> None:
    end = due(start, f"{minutes} menit", CAL)
    assert CAL.working_seconds(start, end) == minutes * 60
    assert CAL.intervals(end.date()), "a due time always falls on an open day"


@settings(max_examples=100, deadline=None)
@given(moments, st.lists(moments.map(lambda m: m + dt.timedelta(seconds=17)), min_size=1, max_size=30))
def test_working_seconds_to_one_end_is_working_seconds(end: dt.datetime, starts: list[dt.datetime]) -> None:
    """``check``'s shortcut (one end, many starts, remembered per day) gives the plain sum,
    for starts before and after the end, on any day, in any order."""
    fresh = calendar(WIB)
    since = fresh.working_seconds_to(end)
    for start in [*starts, *starts]:  # the second round is answered from what was remembered
        assert since(start) == CAL.working_seconds(start, end), start


def test_calendars_default_and_per_sop_clock() -> None:
    calendars = Calendars(clocks={"x": "elapsed"})
    assert isinstance(calendars.for_sop("x", "Asia/Jakarta", "working"), ElapsedCalendar)
    assert isinstance(calendars.for_sop("y", "Asia/Jakarta", "working"), WorkingCalendar)
    assert calendars.for_sop("y", "Asia/Jakarta", "working") is calendars.for_sop(
        "y", "Asia/Jakarta", "working"
    )


def test_working_seconds_over_more_than_a_year_do_not_depend_on_earlier_calls() -> None:
    end = dt.datetime(2026, 3, 2, 9, 0, tzinfo=WIB)
    start = end - dt.timedelta(days=500)
    fresh = WorkingCalendar(WIB).working_seconds(start, end)
    used = WorkingCalendar(WIB)
    used.working_seconds(end, end + dt.timedelta(hours=1))
    assert fresh == used.working_seconds(start, end) == -used.working_seconds(end, start)
    assert fresh > 300 * 8 * 3600  # some 350 working days of at least 8 1/2 hours
