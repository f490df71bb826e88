"""Options several commands share, spelled and explained once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Annotated

import typer

from sopctl.errors import UsageError

SopOption = Annotated[str | None, typer.Option("--sop", metavar="ID", help="Only this SOP.")]
SinceOption = Annotated[
    str | None, typer.Option("--since", metavar="DATE", help="Steps completed on or after this day.")
]
UntilOption = Annotated[
    str | None,
    typer.Option("--until", metavar="DATE", help="Steps completed before this day (it is not counted)."),
]


class Period:
    """``--since``/``--until`` as dates, and as the UTC bounds the store compares with.

    ``until`` is the first day not counted (so that one period ends where the next begins);
    :attr:`last_day` is the day before it, the one a printed period ends with. A day starts
    at midnight office time: on the one clock of ``zones`` (the SOPs counted; Asia/Jakarta
    and Asia/Pontianak are one), else, when they keep different clocks, on this computer's."""

    def __init__(self, since: str | None, until: str | None, zones: Collection[str] = ()) -> None:
        from sopctl.timeparse import parse_day

        self.since = parse_day(since, "--since") if since is not None else None
        self.until = parse_day(until, "--until") if until is not None else None
        if self.since is not None and self.until is not None and self.since >= self.until:
            raise UsageError(
                f"--since {self.since} is not before --until {self.until}: the period is empty "
                "(--until is the first day not counted)"
            )
        if self.until == dt.date.min:  # no day before it to end a period with
            raise UsageError(f"--until {self.until} is out of range")
        self.since_utc = self._bound(self.since, zones, "--since")
        self.until_utc = self._bound(self.until, zones, "--until")
        self.last_day = self.until - dt.timedelta(days=1) if self.until is not None else None

    @staticmethod
    def _bound(day: dt.date | None, zones: Collection[str], option: str) -> str | None:
        """Midnight of ``day`` on the clock of ``zones`` (none shared: this computer's), in UTC."""
        if day is None:
            return None
        from sopctl.run.events import utc_text
        from sopctl.timeparse import one_clock

        midnight = dt.datetime.combine(day, dt.time())
        clock = one_clock(zones, midnight)
        try:
            return utc_text(midnight.replace(tzinfo=clock) if clock else midnight.astimezone())
        except (ValueError, OverflowError):  # the first or last days a datetime can hold
            raise UsageError(f"{option} {day} is out of range") from None
