"""Waktu cells as people write them, and the sums checked against TOTAL WAKTU."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sopctl.sop.durations import (
    Duration,
    DurationError,
    TotalTime,
    Unit,
    parse_duration,
    parse_limit,
    parse_total,
)


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("15 Menit", 15, Unit.MINUTE),
        ("30 menit", 30, Unit.MINUTE),
        ("2 jam", 120, Unit.MINUTE),
        ("2 Jam", 120, Unit.MINUTE),
        ("1,5 jam", 90, Unit.MINUTE),
        ("1.5 jam", 90, Unit.MINUTE),
        ("1 hari", 1, Unit.DAY),
        ("1 Hari", 1, Unit.DAY),
        ("3 hari kerja", 3, Unit.DAY),
        ("3 Hari Kerja", 3, Unit.DAY),
        ("1 minggu", 1, Unit.WEEK),
        ("1 bulan", 1, Unit.MONTH),
        ("20 Menit.", 20, Unit.MINUTE),
    ],
)
def test_single_amounts(text: str, amount: int, unit: Unit) -> None:
    parsed = parse_duration(text)
    assert parsed == Duration(text, amount, unit, low=None, working_days=True)


def test_minutes_are_the_limit_in_minutes_and_days_have_none() -> None:
    assert parse_duration("2 jam").minutes == 120
    assert parse_duration("1 hari").minutes is None


def test_spacing_is_normalised_and_the_text_kept_for_printing() -> None:
    parsed = parse_duration("  2   Jam ")
    assert parsed.text == "2 Jam"
    assert str(parsed) == "2 Jam"
    assert parsed.amount == 120


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("1-3 Hari", 1, 3, Unit.DAY),
        ("1 – 20 Hari Kerja", 1, 20, Unit.DAY),
        ("1 - 3 hari", 1, 3, Unit.DAY),
        ("1 s.d. 3 hari", 1, 3, Unit.DAY),
        ("1-2 jam", 60, 120, Unit.MINUTE),
    ],
)
def test_a_range_keeps_both_bounds_and_the_upper_is_the_limit(
    text: str, low: int, high: int, unit: Unit
) -> None:
    parsed = parse_duration(text)
    assert (parsed.low, parsed.amount, parsed.unit) == (low, high, unit)
    assert parsed.text == text


@pytest.mark.parametrize("text", ["-", "–", "—", "", "  -  "])
def test_a_dash_or_nothing_means_no_limit(text: str) -> None:
    assert parse_duration(text) is None


def test_hari_is_a_working_day_and_hari_kalender_is_not() -> None:
    assert parse_duration("3 hari").working_days is True
    assert parse_duration("3 hari kerja").working_days is True
    calendar = parse_duration("3 hari kalender")
    assert (calendar.amount, calendar.unit, calendar.working_days) == (3, Unit.DAY, False)
    assert parse_duration("3 Hari Kalender").working_days is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "2 jm",
            'unknown unit "jm" in "2 jm" (did you mean "jam"?); write it as "15 menit", "2 jam", '
            '"1 hari", "3 hari kerja", "1 minggu", "1-3 hari", or "-" for none',
        ),
        (
            "30 Mnit",
            'unknown unit "Mnit" in "30 Mnit" (did you mean "menit"?); write it as "15 menit", "2 jam", '
            '"1 hari", "3 hari kerja", "1 minggu", "1-3 hari", or "-" for none',
        ),
        (
            "5 xyz",
            'unknown unit "xyz" in "5 xyz"; write it as "15 menit", "2 jam", "1 hari", "3 hari kerja", '
            '"1 minggu", "1-3 hari", or "-" for none',
        ),
        (
            "satu jam",
            'cannot read the time "satu jam": write it as "15 menit", "2 jam", "1 hari", "3 hari kerja", '
            '"1 minggu", "1-3 hari", or "-" for none',
        ),
        ("2", 'the time "2" has no unit: write e.g. "2 menit" or "2 hari"'),
        ("1-3", 'the time "1-3" has no unit: write e.g. "1-3 menit" or "1-3 hari"'),
        ("0 menit", 'the time "0 menit" must be more than zero (use "-" for no limit)'),
        ("0 - 3 hari", 'the time "0 - 3 hari" must be more than zero (use "-" for no limit)'),
        ("3-1 hari", 'the range "3-1 hari" runs backwards: write the smaller number first'),
        ("1,5 hari", '"1,5 hari": the number of hari must be whole; write e.g. "2 hari"'),
        ("1,5 minggu", '"1,5 minggu": the number of minggu must be whole; write e.g. "2 minggu"'),
        ("0,5 menit", '"0,5 menit": the number of menit must be whole; write e.g. "1 menit"'),
        ("0,01 jam", '"0,01 jam" is not a whole number of minutes: write it in menit'),
    ],
)
def test_wrong_times_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1 jam 25 menit", 85),
        ("2 Jam 30 Menit", 150),
        ("1 jam 5 mnt.", 65),
        ("1,5 jam 10 menit", 100),
        ("1 hour 30 minutes", 90),
    ],
)
def test_hours_and_minutes_written_together_add_up(text: str, minutes: int) -> None:
    assert parse_duration(text) == Duration(text, minutes, Unit.MINUTE)


def test_a_total_of_hours_and_minutes_matches_its_sum() -> None:
    assert TotalTime.of(_all("15 Menit", "1 jam", "10 menit")) == parse_total("1 jam 25 menit")


@pytest.mark.parametrize(
    "text",
    ["5 hari 2 jam 30 menit", "5 Hari 150 Menit", "5 hari kerja 2,5 jam", "5 working days 150 minutes"],
)
def test_a_total_may_add_up_days_and_minutes(text: str) -> None:
    # A sum of steps in days and in minutes cannot be written in one unit.
    steps = TotalTime.of(_all("15 Menit", "1 jam 30 menit", "1 Hari", "1-3 Hari Kerja", "1 Hari", "45 menit"))
    assert parse_total(text) == steps.upper == TotalTime(minutes=150, days=5)
    assert steps.agrees(parse_total(text))  # a document states the limit: the upper bound
    assert steps.low == TotalTime(minutes=150, days=3)
    assert parse_total(steps.format("id")) == parse_total(steps.format("en")) == steps


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-", None),
        ("5 hari 2 jm", 'unknown unit "jm" in "5 hari 2 jm" (did you mean "jam"?)'),
        ("5 hari 0 menit", None),
    ],
)
def test_a_total_that_does_not_read(text: str, message: str | None) -> None:
    if message is None:
        assert parse_total(text) == (None if text == "-" else TotalTime(days=5))
        return
    with pytest.raises(DurationError) as caught:
        parse_total(text)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize("text", ["3 hr", "3 hrs", "1 hr 30 menit"])
def test_hr_is_refused_as_it_may_mean_jam_or_hari(text: str) -> None:
    # "hr" abbreviates "hari" in Indonesian office writing and "hour" in English.
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    assert 'could be jam or hari: write "jam" or "hari"' in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "1 minggu 2 jam",
            '"1 minggu 2 jam": only hari, jam and menit add up, as in "1 hari 2 jam" or "1 jam 30 menit"; '
            "a minggu is a span on the calendar, with no fixed number of working hours, so write the "
            "time in one unit",
        ),
        (
            "1 bulan 2 hari",
            '"1 bulan 2 hari": only hari, jam and menit add up, as in "1 hari 2 jam" or "1 jam 30 menit"; '
            "a bulan is a span on the calendar, with no fixed number of working hours, so write the "
            "time in one unit",
        ),
        (
            "1 hari kalender 2 jam",
            '"1 hari kalender 2 jam": only hari, jam and menit add up, as in "1 hari 2 jam" or "1 jam 30 '
            'menit"; a hari kalender is a span on the calendar, with no fixed number of working hours, so '
            "write the time in one unit",
        ),
        ("2 jam 1 hari", '"2 jam 1 hari": write the days first, as in "1 hari 2 jam"'),
        (
            "1 jam 25",
            'cannot read the time "1 jam 25": write it as "15 menit", "2 jam", "1 hari", "3 hari kerja", '
            '"1 minggu", "1-3 hari", or "-" for none',
        ),
        (
            "1 jam 25 mnit",
            'unknown unit "mnit" in "1 jam 25 mnit" (did you mean "menit"?); write it as "15 menit", '
            '"2 jam", "1 hari", "3 hari kerja", "1 minggu", "1-3 hari", or "-" for none',
        ),
        (
            "1-2 jam 30 menit",
            '"1-2 jam 30 menit": a range is written in one unit, e.g. "1-3 hari" or "30-90 menit"',
        ),
        (
            "1 jam - 2 hari",
            '"1 jam - 2 hari": a range is written in one unit, e.g. "1-3 hari" or "30-90 menit"',
        ),
        (
            "1 jam sampai 2 hari",
            '"1 jam sampai 2 hari": a range is written in one unit, e.g. "1-3 hari" or "30-90 menit"',
        ),
        ("0 jam 0 menit", 'the time "0 jam 0 menit" must be more than zero (use "-" for no limit)'),
    ],
)
def test_compound_times_that_do_not_add_up_say_why(text: str, message: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "text",
    [
        "2500 hari",
        "2500 hari kerja",
        "3650 hari kalender",
        "520 minggu",
        "120 bulan",
        "20000 jam",
        "1200000 menit",
    ],
)
def test_ten_years_is_the_longest_limit(text: str) -> None:
    assert parse_duration(text) is not None


@pytest.mark.parametrize(
    ("text", "most"),
    [
        ("2501 hari", "2500 hari kerja"),
        ("99999999999 hari", "2500 hari kerja"),
        ("1-2501 hari kerja", "2500 hari kerja"),
        ("3651 hari kalender", "3650 hari kalender"),
        ("521 minggu", "520 minggu"),
        ("121 bulan", "120 bulan"),
        ("20001 jam", "20000 jam"),
        ("1200001 menit", "20000 jam"),
        ("20000 jam 1 menit", "20000 jam"),
        ("9" * 70 + " menit", "20000 jam"),
    ],
)
def test_a_limit_longer_than_ten_years_is_refused(text: str, most: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    assert str(caught.value) == (
        f'the time "{text}" is longer than 10 years, the longest limit sopctl takes (at most {most})'
    )


@pytest.mark.parametrize("parse", [parse_duration, parse_limit, parse_total])
def test_a_text_too_long_to_be_a_time_is_refused_before_its_numbers_are_read(parse: Any) -> None:
    # Python refuses to read a number of more than 4,300 digits (a ValueError, once exit 70).
    text = "9" * 5000 + " menit"
    with pytest.raises(DurationError) as caught:
        parse(text)
    assert str(caught.value).startswith(
        f'the time "{"9" * 20}…" is 5,006 characters long, not a time: write it as "15 menit", '
    )
    assert parse_duration("5 menit " + " " * 5000) is not None  # spaces do not count


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-", '"-" is not a duration: write e.g. "2 jam" or "1 hari"'),
        ("", '"" is not a duration: write e.g. "2 jam" or "1 hari"'),
        ("0 menit", 'the time "0 menit" must be more than zero'),
        (
            "abc",
            'cannot read the time "abc": write it as "15 menit", "2 jam", "1 hari", "3 hari kerja", '
            '"1 minggu", "1-3 hari"',
        ),
        (
            "2 jm",
            'unknown unit "jm" in "2 jm" (did you mean "jam"?); write it as "15 menit", "2 jam", '
            '"1 hari", "3 hari kerja", "1 minggu", "1-3 hari"',
        ),
    ],
)
def test_where_a_duration_is_required_no_message_offers_none(text: str, message: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_limit(text)
    assert str(caught.value) == message
    assert parse_limit("2 jam") == parse_duration("2 jam")


def test_a_duration_error_is_a_usage_error() -> None:
    from sopctl.errors import ExitCode

    with pytest.raises(DurationError) as caught:
        parse_duration("2 jm")
    assert caught.value.exit_code is ExitCode.USAGE


# -- bounds, years, a unit alone, days and hours, shorthand ---------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("kurang dari 1 bulan", 1, Unit.MONTH),
        ("Kurang dari 1 bulan", 1, Unit.MONTH),
        ("< 1 bulan", 1, Unit.MONTH),
        ("kurang dari 3 hari", 3, Unit.DAY),
        ("<3 jam", 180, Unit.MINUTE),
        ("less than 2 hours", 120, Unit.MINUTE),
        ("kurang dari 1 hari 2 jam", 1, Unit.DAY),
    ],
)
def test_a_strict_bound_is_the_same_limit_passed_at_the_limit_itself(
    text: str, amount: int, unit: Unit
) -> None:
    parsed = parse_duration(text)
    assert (parsed.amount, parsed.unit, parsed.low, parsed.strict) == (amount, unit, None, True)
    assert parsed.text == text  # printed as written


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("maksimal 3 hari", "3 hari"),
        ("Maksimal 3 Hari", "3 Hari"),
        ("maks. 3 hari", "3 hari"),
        ("maks 3 hari", "3 hari"),
        ("paling lama 3 hari", "3 hari"),
        ("paling lambat 3 hari kerja", "3 hari kerja"),
        ("selambat-lambatnya 1 minggu", "1 minggu"),
        ("≤ 3 hari", "3 hari"),
        ("<= 3 hari", "3 hari"),
        ("≤30 menit", "30 menit"),
        ("at most 2 hours", "2 hours"),
        ("maksimal 1 jam 30 menit", "1 jam 30 menit"),
    ],
)
def test_an_upper_bound_that_includes_the_limit_is_the_time_alone(text: str, plain: str) -> None:
    parsed = parse_duration(text)
    assert parsed == replace(parse_duration(plain), text=text)
    assert parsed.strict is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "kurang dari",
            '"kurang dari" bounds no time: write the limit after it, e.g. "kurang dari 1 bulan" or '
            '"maksimal 3 hari"',
        ),
        (
            "< -",
            '"< -" bounds no time: write the limit after it, e.g. "kurang dari 1 bulan" or "maksimal 3 hari"',
        ),
        (
            "maksimal 1-3 hari",
            '"maksimal 1-3 hari": a range is bounded by its upper number already: write "1-3 hari", or '
            'one time with its bound, e.g. "kurang dari 3 hari"',
        ),
        (
            "kurang dari 2 jm",
            'unknown unit "jm" in "2 jm" (did you mean "jam"?); write it as "15 menit", "2 jam", '
            '"1 hari", "3 hari kerja", "1 minggu", "1-3 hari", or "-" for none',
        ),
        (
            "kurang dari 0 menit",
            'the time "kurang dari 0 menit" must be more than zero (use "-" for no limit)',
        ),
    ],
)
def test_a_bound_without_a_readable_time_says_why(text: str, message: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "months"),
    [("1 tahun", 12), ("2 Tahun", 24), ("1 year", 12), ("3 years", 36), ("1,5 tahun", 18), ("10 tahun", 120)],
)
def test_a_year_is_a_calendar_span_of_twelve_months(text: str, months: int) -> None:
    assert parse_duration(text) == Duration(text, months, Unit.MONTH)
    assert TotalTime.of([parse_duration(text)]) == TotalTime(months=months)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "11 tahun",
            'the time "11 tahun" is longer than 10 years, the longest limit sopctl takes (at most 120 bulan)',
        ),
        ("1,3 tahun", '"1,3 tahun" is not a whole number of months: write it in bulan'),
    ],
)
def test_years_beyond_ten_or_not_in_whole_months_are_refused(text: str, message: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "one"),
    [
        ("tahun", "1 tahun"),
        ("Tahun", "1 tahun"),
        ("bulan", "1 bulan"),
        ("minggu", "1 minggu"),
        ("hari", "1 hari"),
        ("Hari Kerja", "1 hari kerja"),
        ("hari kalender", "1 hari kalender"),
        ("jam", "1 jam"),
        ("kurang dari bulan", "kurang dari 1 bulan"),
    ],
)
def test_a_unit_alone_is_one_of_it(text: str, one: str) -> None:
    assert parse_duration(text) == replace(parse_duration(one), text=text)


@pytest.mark.parametrize(
    ("text", "days", "minutes"),
    [
        ("1 hari 2 jam", 1, 120),
        ("2 hari 30 menit", 2, 30),
        ("1 hari 2 jam 30 menit", 1, 150),
        ("1 Hari Kerja 2 Jam", 1, 120),
        ("3 working days 4 hours", 3, 240),
    ],
)
def test_days_and_hours_are_working_days_then_working_minutes(text: str, days: int, minutes: int) -> None:
    parsed = parse_duration(text)
    assert parsed == Duration(text, days, Unit.DAY, extra_minutes=minutes)
    assert parsed.minutes is None  # no fixed number of minutes: a day is the calendar's
    assert TotalTime.of([parsed, parse_duration("15 menit")]) == TotalTime(minutes=minutes + 15, days=days)
    assert parse_total(text) == TotalTime(minutes=minutes, days=days)


def test_days_or_hours_of_nothing_are_the_other_alone() -> None:
    assert parse_duration("0 hari 2 jam") == Duration("0 hari 2 jam", 120, Unit.MINUTE)
    assert parse_duration("2 hari 0 menit") == Duration("2 hari 0 menit", 2, Unit.DAY)


def test_days_and_hours_longer_than_ten_years_are_refused() -> None:
    assert parse_duration("2499 hari 8 jam") is not None
    with pytest.raises(DurationError, match=r"at most 2500 hari kerja"):
        parse_duration("2500 hari 1 jam")


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("2h", "jam"),
        ("2 h", "jam"),
        ("2H", "jam"),
        ("2m", "menit"),
        ("2d", "hari"),
        ("1w", "minggu"),
        ("1y", "tahun"),
    ],
)
def test_english_shorthand_suggests_the_unit_it_stands_for(text: str, meant: str) -> None:
    # "h" is closest in spelling to "hk", a working day: the suggestion must be the hour.
    for parse in (parse_duration, parse_limit):
        with pytest.raises(DurationError) as caught:
            parse(text)
        assert f'(did you mean "{meant}"?)' in str(caught.value)


# -- sums -----------------------------------------------------------------------------


def _all(*texts: str) -> list[Duration | None]:
    return [parse_duration(t) for t in texts]


def test_total_adds_minutes_and_hours_together() -> None:
    total = TotalTime.of(_all("15 Menit", "2 jam", "-", "30 menit"))
    assert total == TotalTime(minutes=165)
    assert total.format() == "2 jam 45 menit"
    assert total.format("en") == "2 hours 45 minutes"
    assert TotalTime(minutes=60, days=8).format() == "8 hari 1 jam"
    assert TotalTime(minutes=61).format("en") == "1 hour 1 minute"
    assert parse_total(total.format()) == parse_total(total.format("en")) == total


def test_total_keeps_units_apart_and_does_not_turn_minutes_into_days() -> None:
    total = TotalTime.of(
        _all("30 Menit", "1 hari", "1 Hari", "2 hari kalender", "1 minggu", "1 bulan", "1-3 hari")
    )
    assert total.upper == TotalTime(minutes=30, days=5, calendar_days=2, weeks=1, months=1)
    assert total.format() == "1 bulan 1 minggu 3 – 5 hari 2 hari kalender 30 menit"
    assert total.format("en") == "1 month 1 week 3 – 5 working days 2 calendar days 30 minutes"


def test_a_sum_of_ranges_keeps_both_bounds() -> None:
    # pengumpulan-data-capaian-kinerja: twelve rows of "1 – 20 Hari Kerja", one of
    # "1 – 10 Hari Kerja" and one of "1 Hari Kerja".
    total = TotalTime.of(_all(*["1 – 20 Hari Kerja"] * 12, "1 – 10 Hari Kerja", "1 Hari Kerja"))
    assert (total.low, total.upper) == (TotalTime(days=14), TotalTime(days=251))
    assert total.format() == "14 – 251 hari"
    assert total.format("en") == "14 – 251 working days"
    assert TotalTime.of(_all("1 – 20 Hari Kerja", "1 Hari")).format() == "2 – 21 hari"
    assert TotalTime.of(_all("1 – 20 Hari Kerja", "1 hari 2 jam")).format() == "2 – 21 hari 2 jam"
    assert TotalTime.of(_all("3 hari", "1 hari")).low is None  # no range summed: one number


@pytest.mark.parametrize(
    ("texts", "printed"),
    [
        (("1-2 jam", "30 menit"), "1 – 2 jam 30 menit"),
        (("15-45 menit", "30 menit"), "45 menit – 1 jam 15 menit"),
        (("1 bulan", "3-5 hari"), "1 bulan 3 – 5 hari"),
        (("1 bulan", "3-5 hari", "1-2 jam"), "1 bulan 3 hari 1 jam – 1 bulan 5 hari 2 jam"),
        (("1 minggu", "1 – 20 Hari Kerja", "30 menit"), "1 minggu 1 – 20 hari 30 menit"),
    ],
)
def test_a_range_of_totals_prints_its_bounds_and_reads_back(texts: tuple[str, ...], printed: str) -> None:
    total = TotalTime.of(_all(*texts))
    assert total.format() == printed
    assert parse_total(printed) == parse_total(total.format("en")) == total


def test_a_stated_total_agrees_with_the_range_or_with_its_limit_alone() -> None:
    total = TotalTime.of(_all("1 – 20 Hari Kerja", "1 – 10 Hari Kerja"))
    assert total.agrees(parse_total("2 – 30 Hari Kerja"))
    assert total.agrees(parse_total("30 Hari Kerja"))  # the limit, as documents state it
    assert not total.agrees(parse_total("3 – 30 hari"))
    assert not total.agrees(parse_total("2 hari"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2 jam – 1 jam", 'the range "2 jam – 1 jam" runs backwards: write the smaller total first'),
        (
            "1 bulan 5 – 3 hari",
            'the range "1 bulan 5 – 3 hari" runs backwards: write the smaller total first',
        ),
    ],
)
def test_a_range_of_totals_that_runs_backwards_says_so(text: str, message: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_total(text)
    assert str(caught.value) == message


def test_english_totals_use_the_singular_for_one() -> None:
    assert (
        TotalTime(minutes=1, days=1, calendar_days=1).format("en") == "1 working day 1 calendar day 1 minute"
    )
    assert TotalTime(minutes=2, days=2).format("en") == "2 working days 2 minutes"


def test_an_empty_total_prints_as_a_dash() -> None:
    assert TotalTime.of([None, None]).format() == "-"
    assert TotalTime.of([]) == TotalTime()


def test_a_declared_total_equals_the_sum() -> None:
    total = TotalTime.of(_all(*["15 Menit"] * 6, *["30 Menit"] * 4))
    assert total == parse_total("210 Menit")
    assert total == parse_total("3,5 jam")
    assert total != parse_total("200 Menit")
    assert total != parse_total("1 hari")


def test_a_declared_total_needs_every_unit_to_agree() -> None:
    total = TotalTime.of(_all("1 hari", "30 menit"))
    assert total != parse_total("1 hari")
    assert total == parse_total("1 hari 30 menit")
    assert TotalTime.of(_all("1 hari", "2 hari")) == parse_total("3 hari kerja")
    assert TotalTime.of(_all("3 hari")) != parse_total("3 hari kalender")


# -- properties ---------------------------------------------------------------------------

_SPELLINGS = {
    "menit": (Unit.MINUTE, 1),
    "jam": (Unit.MINUTE, 60),
    "hari": (Unit.DAY, 1),
    "hari kerja": (Unit.DAY, 1),
    "minggu": (Unit.WEEK, 1),
    "bulan": (Unit.MONTH, 1),
}
#: The longest limit in each spelling: 10 years (a working year of 250 days of 8 hours).
_LONGEST = {
    "menit": 1_200_000,
    "jam": 20_000,
    "hari": 2_500,
    "hari kerja": 2_500,
    "minggu": 520,
    "bulan": 120,
}
_unit_words = st.sampled_from(sorted(_SPELLINGS)).flatmap(
    lambda word: st.sampled_from([word, word.title(), word.upper()])
)


@given(amount=st.integers(1, 100_000), word=_unit_words)
def test_any_whole_amount_in_any_case_reads_back(amount: int, word: str) -> None:
    unit, factor = _SPELLINGS[word.lower()]
    if amount > _LONGEST[word.lower()]:
        with pytest.raises(DurationError, match="longer than 10 years"):
            parse_duration(f"{amount} {word}")
        return
    parsed = parse_duration(f"{amount} {word}")
    assert (parsed.amount, parsed.unit, parsed.low) == (amount * factor, unit, None)


@given(
    bounds=st.tuples(st.integers(1, 1000), st.integers(1, 1000)),
    separator=st.sampled_from(["-", " - ", "–", " – ", " s.d. ", " sampai "]),
    word=_unit_words,
)
def test_a_range_is_read_as_its_upper_bound_or_refused_when_backwards(
    bounds: tuple[int, int], separator: str, word: str
) -> None:
    low, high = bounds
    text = f"{low}{separator}{high} {word}"
    if high < low:
        with pytest.raises(DurationError):
            parse_duration(text)
        return
    if high > _LONGEST[word.lower()]:
        with pytest.raises(DurationError, match="longer than 10 years"):
            parse_duration(text)
        return
    _, factor = _SPELLINGS[word.lower()]
    parsed = parse_duration(text)
    assert (parsed.low, parsed.amount) == (low * factor, high * factor)


@given(st.lists(st.one_of(st.none(), st.integers(1, 600)), max_size=30))
def test_a_total_of_minutes_matches_its_own_sum(minutes: list[int | None]) -> None:
    limits = [None if m is None else parse_duration(f"{m} menit") for m in minutes]
    total = TotalTime.of(limits)
    expected = sum(m for m in minutes if m is not None)
    assert total == TotalTime(minutes=expected)
    if expected:
        assert total == parse_total(f"{expected} Menit")
        assert total != parse_total(f"{expected + 1} Menit")
