"""Waktu as people write it: "15 Menit", "2 jam", "1 hari", "1 – 20 Hari Kerja", "-",
"kurang dari 1 bulan", "maksimal 3 hari", "1 tahun", "1 hari 2 jam".

A parsed :class:`Duration` keeps the text it came from, so documents print what
the signed SOP says, and the typed limit the engine computes deadlines with.
Minutes and hours are normalised to minutes; days, weeks and months are kept as
counts because their meaning depends on the calendar (see ``sopctl.run.calendar``);
a year is twelve months.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, replace
from enum import StrEnum
from fractions import Fraction

from sopctl.errors import UsageError


class Unit(StrEnum):
    MINUTE = "minute"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class DurationError(UsageError):
    """A waktu text that cannot be read."""


# Every spelling we accept, lower case, to (unit, minutes per amount, working days).
# A "hari" in an office SOP is a working day (DOMAIN.md); "hari kalender" is not.
_UNITS: dict[str, tuple[Unit, int, bool]] = {}
for _names, _spec in (
    (("menit", "mnt", "min", "mins", "minute", "minutes"), (Unit.MINUTE, 1, True)),
    (("jam", "hour", "hours"), (Unit.MINUTE, 60, True)),
    (
        (
            "hari",
            "hari kerja",
            "hk",
            "day",
            "days",
            "working day",
            "working days",
            "business day",
            "business days",
        ),
        (Unit.DAY, 1, True),
    ),
    (("hari kalender", "calendar day", "calendar days"), (Unit.DAY, 1, False)),
    (("minggu", "pekan", "week", "weeks"), (Unit.WEEK, 1, True)),
    (("bulan", "month", "months"), (Unit.MONTH, 1, True)),
    # A calendar span of twelve months each: "1 tahun" keeps its day of the month.
    (("tahun", "thn", "year", "years"), (Unit.MONTH, 12, True)),
):
    for _name in _names:
        _UNITS[_name] = _spec

#: Abbreviations that mean "jam" in English but "hari" in Indonesian office writing ("3 hr").
_AMBIGUOUS = {"hr", "hrs", "hr."}
#: English shorthand that is no unit here, and the unit it stands for: "2h" is "2 jam" (the
#: closest spelling, "hk", would be a working day).
_SHORTHAND = {
    **{"h": "jam", "m": "menit", "d": "hari", "w": "minggu", "y": "tahun"},
    **{"wk": "minggu", "yr": "tahun"},
}

#: Words before a time that bound it, and whether the bound is strict. A strict bound
#: ("kurang dari 1 bulan", "< 1 bulan") is passed at the limit itself; the others say what a
#: time alone says ("maksimal 3 hari" is "3 hari": late only after it).
_BOUNDS = (
    (re.compile(r"(?:kurang\s+dari|less\s+than)\b", re.IGNORECASE), True),
    (re.compile(r"<(?!=)"), True),
    (
        re.compile(
            r"(?:maksimal|maksimum|maximum|paling\s+lama|paling\s+lambat|selambat-lambatnya|"
            r"tidak\s+lebih\s+dari|at\s+most|no\s+more\s+than|maks|max)\b\.?",
            re.IGNORECASE,
        ),
        False,
    ),
    (re.compile(r"≤|<="), False),
)

_NONE = {"", "-", "–", "—"}
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_RANGE_SEP = r"\s*(?:-|–|—|s\.?\s?d\.?|sampai|hingga|to)\s*"
_PATTERN = re.compile(rf"^{_NUMBER}(?:{_RANGE_SEP}{_NUMBER})?\s*([^\d].*?)\.?$", re.IGNORECASE)
_NO_UNIT = re.compile(rf"^{_NUMBER}(?:{_RANGE_SEP}{_NUMBER})?$", re.IGNORECASE)
_RANGE_END = re.compile(rf"{_RANGE_SEP}$", re.IGNORECASE)
#: One "amount unit" of a compound time ("1 jam 25 menit").
_PART = re.compile(rf"{_NUMBER}\s*([^\d]+?)\s*(?=\d|$)")

_WRITTEN = '"15 menit", "2 jam", "1 hari", "3 hari kerja", "1 minggu", "1-3 hari"'
#: How a time is written, for messages about SOP cells (where "-" means no limit).
EXAMPLES = f'{_WRITTEN}, or "-" for none'

#: The longest limit: 10 years, counted in each unit (a year of working time taken as 250
#: working days of 8 hours), so that every due time can be worked out on the calendar.
MAX_YEARS = 10
_MAXIMUM: dict[tuple[Unit, bool], tuple[int, int, str]] = {
    # (unit, working days) -> (largest amount, per written unit, that unit)
    (Unit.MINUTE, True): (MAX_YEARS * 250 * 8 * 60, 60, "jam"),
    (Unit.DAY, True): (MAX_YEARS * 250, 1, "hari kerja"),
    (Unit.DAY, False): (MAX_YEARS * 365, 1, "hari kalender"),
    (Unit.WEEK, True): (MAX_YEARS * 52, 1, "minggu"),
    (Unit.MONTH, True): (MAX_YEARS * 12, 1, "bulan"),
}


@dataclass(frozen=True, slots=True)
class Duration:
    """A time limit. ``amount`` is the limit (the upper bound of a range)."""

    text: str
    amount: int
    unit: Unit
    low: int | None = None
    #: For days: working days ("hari", "hari kerja") or calendar days ("hari kalender").
    working_days: bool = True
    #: A strict bound ("kurang dari 1 bulan", "< 3 jam"): a step is late at the limit itself
    #: (done at its due time is late), not only after it.
    strict: bool = False
    #: Working minutes after the days ("1 hari 2 jam": one working day, then two working
    #: hours); only with ``unit`` DAY and working days.
    extra_minutes: int = 0

    @property
    def minutes(self) -> int | None:
        """The limit in minutes, for limits written in minutes or hours."""
        return self.amount if self.unit is Unit.MINUTE else None

    @property
    def unbounded_text(self) -> str:
        """The text without the bound before it: "1 bulan" for "kurang dari 1 bulan", where a
        sign beside it says the bound ("< 1 bulan")."""
        return _unbounded(self.text)[0]

    def __str__(self) -> str:
        return self.text


def parse_duration(text: str) -> Duration | None:
    """Parse a waktu cell; ``None`` for "-" (no time limit).

    >>> parse_duration("1 – 20 Hari Kerja").low, parse_duration("kurang dari 1 bulan").strict
    (1, True)
    """
    return _parse(text, none_allowed=True)


def parse_limit(text: str) -> Duration:
    """A duration where "no limit" makes no sense (a warning window): "-" is an error, and no
    message suggests writing it."""
    duration = _parse(text, none_allowed=False)
    assert duration is not None
    return duration


#: The longest time text read ("1 – 20 Hari Kerja" has 17 characters): a longer one is not a
#: time, and its numbers are not read (Python refuses a number of more than 4,300 digits).
MAX_TEXT = 80


def _written(text: str, examples: str) -> str:
    """``text`` with its spaces made single; one longer than :data:`MAX_TEXT` is an error."""
    raw = " ".join(str(text).split())
    if len(raw) > MAX_TEXT:
        raise DurationError(
            f'the time "{raw[:20]}…" is {len(raw):,} characters long, not a time: write it as {examples}'
        )
    return raw


def _parse(text: str, *, none_allowed: bool) -> Duration | None:
    examples = EXAMPLES if none_allowed else _WRITTEN
    raw = _written(text, examples)
    if raw in _NONE:
        if none_allowed:
            return None
        raise DurationError(f'"{raw}" is not a duration: write e.g. "2 jam" or "1 hari"')
    body, strict = _unbounded(raw)
    if body == raw:
        return _checked(_read(raw, examples), none_allowed)
    if body in _NONE:
        raise DurationError(
            f'"{raw}" bounds no time: write the limit after it, '
            'e.g. "kurang dari 1 bulan" or "maksimal 3 hari"'
        )
    duration = _read(body, examples)
    if duration.low is not None:
        raise DurationError(
            f'"{raw}": a range is bounded by its upper number already: write "{body}", or one time '
            f'with its bound, e.g. "kurang dari {_upper_text(body)}"'
        )
    return _checked(replace(duration, text=raw, strict=strict), none_allowed)


def _unbounded(raw: str) -> tuple[str, bool]:
    """The time after a bound that ``raw`` begins with ("kurang dari", "maksimal", "<", "≤"),
    and whether that bound is strict; ``raw`` itself and False when it begins with none."""
    for pattern, strict in _BOUNDS:
        found = pattern.match(raw)
        if found is not None:
            return raw[found.end() :].strip(), strict
    return raw, False


def _upper_text(body: str) -> str:
    """ "1-3 hari" -> "3 hari": the upper bound of a range, for a message."""
    found = _PATTERN.match(body)
    return f"{found.group(2)} {found.group(3)}" if found and found.group(2) else body


def _read(raw: str, examples: str) -> Duration:
    """``raw`` (a time with no bound before it) as a duration, not yet checked for its size."""
    # A unit alone is one of it: "tahun", "bulan", "hari" (as "1 tahun", ...).
    text = f"1 {raw}" if _unit_key(raw) in _UNITS else raw
    if _NO_UNIT.match(text):
        raise DurationError(f'the time "{raw}" has no unit: write e.g. "{raw} menit" or "{raw} hari"')
    match = _PATTERN.match(text)
    if match is None:
        raise DurationError(f'cannot read the time "{raw}": write it as {examples}')
    first, second, unit_text = match.groups()
    spec = _UNITS.get(_unit_key(unit_text))
    if spec is None and second is None and re.search(r"\d", unit_text):
        return _compound(raw, examples)
    if spec is None:
        if re.search(r"\d", unit_text):
            raise DurationError(f'"{raw}": a range is written in one unit, e.g. "1-3 hari" or "30-90 menit"')
        raise DurationError(_unknown_unit_message(raw, unit_text, examples))
    unit, factor, working = spec
    low = _amount(first, factor, raw, unit_text, unit)
    high = _amount(second, factor, raw, unit_text, unit) if second is not None else None
    if high is None:
        return Duration(raw, low, unit, None, working)
    if high < low:
        raise DurationError(f'the range "{raw}" runs backwards: write the smaller number first')
    return Duration(raw, high, unit, low, working)


def _compound(raw: str, examples: str) -> Duration:
    """ "1 jam 25 menit": hours and minutes added up, as SOP documents write such times; and
    "1 hari 2 jam": working days, then working hours (and minutes) after them."""
    days = minutes = 0
    for amount, (unit, _, working), unit_text in _parts(raw, examples):
        if unit is Unit.DAY and working:
            if minutes:
                raise DurationError(f'"{raw}": write the days first, as in "1 hari 2 jam"')
            days += amount
        elif unit is Unit.MINUTE:
            minutes += amount
        else:
            raise DurationError(
                f'"{raw}": only hari, jam and menit add up, as in "1 hari 2 jam" or "1 jam 30 menit"; '
                f"a {unit_text} is a span on the calendar, with no fixed number of working hours, "
                "so write the time in one unit"
            )
    if days and minutes:
        return Duration(raw, days, Unit.DAY, extra_minutes=minutes)
    return Duration(raw, days, Unit.DAY) if days else Duration(raw, minutes, Unit.MINUTE)


def _parts(raw: str, examples: str) -> list[tuple[int, tuple[Unit, int, bool], str]]:
    """The "amount unit" parts of a compound time, each amount in its unit (hours as minutes)."""
    parts = list(_PART.finditer(raw))
    if "".join(part.group(0) for part in parts) != raw:  # e.g. "1 jam 25": a number without a unit
        raise DurationError(f'cannot read the time "{raw}": write it as {examples}')
    found = []
    for number, unit_text in (part.groups() for part in parts):
        spec = _UNITS.get(_unit_key(unit_text))
        if spec is None and _RANGE_END.search(unit_text) and len(parts) > 1:  # "1 jam - 2 hari"
            raise DurationError(f'"{raw}": a range is written in one unit, e.g. "1-3 hari" or "30-90 menit"')
        if spec is None:
            raise DurationError(_unknown_unit_message(raw, unit_text, examples))
        found.append((_amount(number, spec[1], raw, unit_text, spec[0]), spec, unit_text))
    return found


def _checked(duration: Duration, none_allowed: bool) -> Duration:
    """``duration`` if its bounds are more than zero and at most :data:`MAX_YEARS`."""
    if (duration.low if duration.low is not None else duration.amount) + duration.extra_minutes <= 0:
        hint = ' (use "-" for no limit)' if none_allowed else ""
        raise DurationError(f'the time "{duration.text}" must be more than zero{hint}')
    largest, per, name = _MAXIMUM[(duration.unit, duration.working_days)]
    # Days and hours: the hours counted as a share of a working day of 8 hours (as the
    # longest limit in jam is counted), so that "2500 hari 1 jam" is too long as well.
    over = (
        duration.amount > largest
        if not duration.extra_minutes
        else duration.amount * 8 * 60 + duration.extra_minutes > largest * 8 * 60
    )
    if over:
        raise DurationError(
            f'the time "{duration.text}" is longer than {MAX_YEARS} years, the longest limit '
            f"sopctl takes (at most {largest // per} {name})"
        )
    return duration


def _unit_key(unit_text: str) -> str:
    return " ".join(unit_text.lower().rstrip(".").split())


def _amount(number: str, factor: int, raw: str, unit_text: str, unit: Unit) -> int:
    # Exact (a fraction, not a float): "0,1 jam" is 6 minutes, and 400 digits do not overflow.
    written = Fraction(number.replace(",", "."))
    value = written * factor
    if value.denominator != 1:
        if factor > 1:  # hours, years: the minutes (months) are what must be whole
            smallest = "minutes: write it in menit" if unit is Unit.MINUTE else "months: write it in bulan"
            raise DurationError(f'"{raw}" is not a whole number of {smallest}')
        # Minutes are whole; and a working day (week, month) has no fixed length in
        # minutes, so there is nothing exact to turn a fraction into: ask for a count.
        raise DurationError(
            f'"{raw}": the number of {unit_text} must be whole; write e.g. "{math.ceil(written)} {unit_text}"'
        )
    return int(value)


def _unknown_unit_message(raw: str, unit_text: str, examples: str = EXAMPLES) -> str:
    if _unit_key(unit_text) in _AMBIGUOUS or unit_text.lower() in _AMBIGUOUS:
        return f'"{unit_text}" in "{raw}" could be jam or hari: write "jam" or "hari"'
    shorthand = _SHORTHAND.get(_unit_key(unit_text))
    guess = (
        [shorthand]
        if shorthand
        else difflib.get_close_matches(unit_text.lower(), list(_UNITS), n=1, cutoff=0.5)
    )
    hint = f' (did you mean "{guess[0]}"?)' if guess else ""
    return f'unknown unit "{unit_text}" in "{raw}"{hint}; write it as {examples}'


# -- sums ---------------------------------------------------------------------------

_LABELS = {
    "id": {
        "minute": "menit",
        "hour": "jam",
        "day": "hari",
        "calendar_day": "hari kalender",
        "week": "minggu",
        "month": "bulan",
    },
    "en": {
        "minute": "minutes",
        "hour": "hours",
        "day": "working days",
        "calendar_day": "calendar days",
        "week": "weeks",
        "month": "months",
    },
}


_FIELDS = ("minutes", "days", "calendar_days", "weeks", "months")


@dataclass(frozen=True, slots=True)
class TotalTime:
    """A sum of limits in mixed units, kept per unit (minutes are not turned into days).

    The fields add up the limits, each the upper bound of its range; ``low`` adds up the
    lower bounds, when a range was summed ("1 – 20 Hari Kerja" and "1 Hari": 2 – 21 hari),
    and is None when every limit summed is one number."""

    minutes: int = 0
    days: int = 0
    calendar_days: int = 0
    weeks: int = 0
    months: int = 0
    low: TotalTime | None = None

    @classmethod
    def of(cls, limits: list[Duration | None]) -> TotalTime:
        high = dict.fromkeys(_FIELDS, 0)
        low = dict.fromkeys(_FIELDS, 0)
        for limit in limits:
            if limit is not None:
                high[_part(limit)] += limit.amount
                low[_part(limit)] += limit.amount if limit.low is None else limit.low
                high["minutes"] += limit.extra_minutes  # "1 hari 2 jam": the hours after the day
                low["minutes"] += limit.extra_minutes
        return replace(_summed(high), low=None if low == high else _summed(low))

    @property
    def upper(self) -> TotalTime:
        """The limit alone: the sum of the upper bounds."""
        return self if self.low is None else replace(self, low=None)

    def agrees(self, stated: TotalTime) -> bool:
        """Whether a stated TOTAL WAKTU is this sum: the same range, or the limit alone (its
        upper bound), as documents state it."""
        return stated == self or (stated.low is None and stated == self.upper)

    def format(self, lang: str = "id", *, elapsed: bool = False) -> str:
        """ "5 hari 150 menit"; ``elapsed``: on the wall clock, where a day is not a working day.
        A range keeps both bounds: "14 – 251 hari", "1 – 2 jam 30 menit" where only one unit
        differs, else "45 menit – 1 jam 15 menit"."""
        labels = _LABELS.get(lang, _LABELS["id"])
        if elapsed and lang == "en":
            labels = {**labels, "day": "days"}

        def named(key: str, value: int) -> str:
            return f"{value} {_singular(labels[key]) if value == 1 and lang == 'en' else labels[key]}"

        high = self._pieces()
        if self.low is None:
            return " ".join(named(k, v) for k, v in high) if high else "-"
        low = self.low._pieces()
        differ = [i for i, (a, b) in enumerate(zip(low, high, strict=False)) if a != b]
        if [k for k, _ in low] == [k for k, _ in high] and len(differ) == 1:
            i = differ[0]
            key = high[i][0]
            pieces = [named(k, v) for k, v in high]
            pieces[i] = f"{low[i][1]} – {named(key, high[i][1])}"
            return " ".join(pieces)
        return f"{self.low.upper.format(lang, elapsed=elapsed)} – {self.upper.format(lang, elapsed=elapsed)}"

    def _pieces(self) -> list[tuple[str, int]]:
        hours, minutes = divmod(self.minutes, 60)
        return [
            (key, value)
            for key, value in (
                ("month", self.months),
                ("week", self.weeks),
                ("day", self.days),
                ("calendar_day", self.calendar_days),
                ("hour", hours),  # "7 jam", not "420 menit": as SOP documents write it
                ("minute", minutes),
            )
            if value
        ]


def parse_total(text: str) -> TotalTime | None:
    """A stated TOTAL WAKTU; ``None`` for "-". Besides anything a step's time may be, a total
    may add up different units, as a sum of limits in days and minutes is written:
    "5 hari 2 jam 30 menit", and be a range of two such sums (what :meth:`TotalTime.format`
    prints reads back).

    >>> parse_total("5 hari 2 jam 30 menit")
    TotalTime(minutes=150, days=5, calendar_days=0, weeks=0, months=0, low=None)
    """
    try:
        single = parse_duration(text)
    except DurationError as error:
        try:
            raw = _written(text, EXAMPLES)
            return _total_range(raw) or _total_sum(raw)
        except _Backwards as backwards:
            raise backwards from None
        except DurationError:
            raise error from None  # what a single time would be told is the better hint
    return None if single is None else TotalTime.of([single])


#: Between the two sums of a range of totals ("1 bulan 3 – 5 hari", "45 menit – 1 jam 15 menit").
_TOTAL_RANGE = re.compile(r"\s*(?:-|–|—|\bs\.\s?d\.?|\bsampai\b|\bhingga\b|\bto\b)\s*", re.IGNORECASE)
_LAST_NUMBER = re.compile(rf"^(.*?){_NUMBER}$")
_FIRST_NUMBER = re.compile(rf"^{_NUMBER}(.*)$")


class _Backwards(DurationError):
    """A range of totals whose first sum is the larger."""


def _total_range(raw: str) -> TotalTime | None:
    """A range of two sums, or None when ``raw`` holds no range. A number alone before the
    dash ranges over the unit after it: "1 bulan 3 – 5 hari" is 1 bulan 3 hari to 1 bulan 5 hari."""
    found = _TOTAL_RANGE.search(raw)
    if found is None:
        return None
    left, right = raw[: found.start()], raw[found.end() :]
    before, after = _LAST_NUMBER.match(left), _FIRST_NUMBER.match(right)
    if before is not None and after is not None:
        left = f"{before.group(1)}{before.group(2)}{after.group(2)}"
        right = f"{before.group(1)}{right}"
    low, high = _total_one(left), _total_one(right)
    if any(getattr(low, f) > getattr(high, f) for f in _FIELDS):
        raise _Backwards(f'the range "{raw}" runs backwards: write the smaller total first')
    return high if low == high else replace(high, low=low)


def _total_one(text: str) -> TotalTime:
    """One bound of a range of totals: a time or a sum, itself no range."""
    try:
        single = parse_duration(text)
    except DurationError:
        return _total_sum(text)
    if single is None or single.low is not None:
        raise DurationError(f'"{text}" is not one total')
    return TotalTime.of([single])


def _total_sum(raw: str) -> TotalTime:
    """ "5 hari 2 jam 30 menit": a sum of parts in different units."""
    found = _parts(raw, EXAMPLES)
    totals = dict.fromkeys(_FIELDS, 0)
    for amount, (unit, _, working), _ in found:
        totals[_part(Duration(raw, amount, unit, None, working))] += amount
    if len(found) < 2 or sum(totals.values()) <= 0:
        raise DurationError(f'"{raw}" is not a sum of times')
    return _summed(totals)


def _summed(parts: dict[str, int]) -> TotalTime:
    """A total of one number per unit (keyed as :data:`_FIELDS`)."""
    return TotalTime(parts["minutes"], parts["days"], parts["calendar_days"], parts["weeks"], parts["months"])


def _singular(label: str) -> str:
    """ "working days" -> "working day" (every English label is a plain plural)."""
    return label.removesuffix("s")


def _part(limit: Duration) -> str:
    if limit.unit is Unit.MINUTE:
        return "minutes"
    if limit.unit is Unit.DAY:
        return "days" if limit.working_days else "calendar_days"
    return "weeks" if limit.unit is Unit.WEEK else "months"
