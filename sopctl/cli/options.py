"""Options several commands share, spelled and explained once."""

from __future__ import annotations

import datetime as dt
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
    :attr:`last_day` is the day before it, the one a printed period ends with."""

    def __init__(self, since: str | None, until: str | None) -> None:
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
        self.since_utc = self._bound(self.since, "--since")
        self.until_utc = self._bound(self.until, "--until")
        self.last_day = self.until - dt.timedelta(days=1) if self.until is not None else None

    @staticmethod
    def _bound(day: dt.date | None, option: str) -> str | None:
        """Midnight of ``day`` on this computer's clock, in UTC."""
        if day is None:
            return None
        from sopctl.events import utc_text

        try:
            return utc_text(dt.datetime.combine(day, dt.time()).astimezone())
        except (ValueError, OverflowError):  # the first or last days a datetime can hold
            raise UsageError(f"{option} {day} is out of range") from None
