"""Options several commands share, spelled and explained once."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

SopOption = Annotated[str | None, typer.Option("--sop", metavar="ID", help="Only this SOP.")]
SinceOption = Annotated[
    str | None, typer.Option("--since", metavar="DATE", help="Steps completed on or after.")
]
UntilOption = Annotated[str | None, typer.Option("--until", metavar="DATE", help="Steps completed before.")]


class Period:
    """``--since``/``--until`` as dates, and as the UTC bounds the store compares with."""

    def __init__(self, since: str | None, until: str | None) -> None:
        from sopctl.timeparse import parse_day

        self.since = parse_day(since, "--since") if since is not None else None
        self.until = parse_day(until, "--until") if until is not None else None

    @staticmethod
    def _bound(day: dt.date | None) -> str | None:
        """Midnight of ``day`` on this computer's clock, in UTC."""
        if day is None:
            return None
        from sopctl.events import utc_text

        return utc_text(dt.datetime.combine(day, dt.time()).astimezone())

    @property
    def since_utc(self) -> str | None:
        return self._bound(self.since)

    @property
    def until_utc(self) -> str | None:
        return self._bound(self.until)
