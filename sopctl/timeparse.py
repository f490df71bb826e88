"""Times and durations typed on the command line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from zoneinfo import ZoneInfo

from sopctl.errors import UsageError, clip
from sopctl.sop.durations import Duration, DurationError, parse_limit

#: Years a typed time may fall in: Indonesia's zones have kept their offsets since the 1960s
#: (before that Jakarta ran on local mean time, +07:07), and working time is worked out
#: day by day, so a date centuries away is a typo, not a case.
YEARS = range(1970, 2100)


def parse_moment(text: str, option: str = "--at") -> dt.datetime:
    """ISO 8601 date and time, with or without an offset ("2026-03-17T09:20",
    "2026-03-17 09:20+08:00", "...Z"). Without an offset the caller decides the zone."""
    raw = text.strip()
    try:
        moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise UsageError(
            f'{option} "{clip(text)}" is not a time: write it as 2026-03-17T09:20 '
            "(office time) or 2026-03-17T09:20+08:00"
        ) from None
    if "T" not in raw.upper() and " " not in raw:
        raise UsageError(f'{option} "{text}" has no time of day: write it as {raw}T09:20')
    # With an offset, the year of the instant too: "1970-01-01T00:00+14:00" is still 1969 in
    # Indonesia (and in UTC).
    utc_year = moment.astimezone(dt.UTC).year if moment.tzinfo is not None else moment.year
    if moment.year not in YEARS or utc_year not in YEARS:
        raise UsageError(f'{option} "{text}": the year must be between {YEARS[0]} and {YEARS[-1]}')
    return moment


def one_clock(zones: Collection[str], moment: dt.datetime) -> ZoneInfo | None:
    """The clock ``zones`` keep at ``moment``, or None when they keep more than one (or none).

    Zones are one clock when they have the same UTC offset then: Asia/Jakarta and
    Asia/Pontianak are both WIB, so a time typed without an offset means one instant for
    both. A naive ``moment`` is read as the wall time in each zone."""
    clocks = [ZoneInfo(name) for name in sorted(zones)]
    offsets = {
        (moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)).utcoffset()
        for tz in clocks
    }
    return clocks[0] if len(offsets) == 1 else None


def parse_day(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f'{option} "{clip(text)}" is not a date: write it as 2026-01-31') from None


def parse_window(text: str, option: str = "--warn-before") -> Duration:
    """A duration that must be one: "-" (no limit) makes no sense here, and no hint offers it."""
    try:
        return parse_limit(text)
    except DurationError as exc:
        raise UsageError(f"{option}: {exc}") from None
