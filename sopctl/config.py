"""The site config file (``sopctl.yaml``): office hours, closures, clocks.

Example::

    office_hours:                # days not listed keep the default
      monday:   {open: "07:30", close: "16:00", breaks: ["12:00-13:00"]}
      friday:   {open: "07:30", close: "16:30", breaks: ["11:30-13:00"]}
      saturday: closed
    holidays:
      national: true             # Indonesia's public holidays
      cuti_bersama: true         # collective leave days (the government category)
    closures:                    # local closures, e.g. a regional decree
      - {date: 2026-04-10, note: "Libur daerah, SE Bupati No. 003/2026"}
      - {from: 2026-12-28, to: 2026-12-31, note: "Stock opname"}
    clocks:                      # per SOP id of the catalogue: working (default) or elapsed
      pemeliharaan-simpeg: elapsed
    calendars:                   # named, for an SOP's or a symbol's `calendar:`
      layanan:                   # public service hours; days not listed are closed
        hours:
          monday:    {open: "08:00", close: "15:30"}
          friday:    {open: "08:00", close: "16:00"}
      daring: always             # round the clock (`always` needs no entry)

``office`` (the office hours above) and ``always`` are there without being named. A named
calendar closes on the office's holidays, cuti bersama and closures.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag, model_validator

from sopctl.errors import Problem, UsageError, ValidationFailed, cap_problems
from sopctl.fields import IsoDate
from sopctl.run.calendar import Calendars, HolidayCalendar, Interval, OfficeHours
from sopctl.run.holiday_data import Cache, CachedHolidays
from sopctl.sop.yamlsource import SourceMap

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class DayHours(_Strict):
    open: str = Field(description='Opening time, "HH:MM".')
    close: str = Field(description='Closing time, "HH:MM".')
    breaks: list[str] = Field(default_factory=list, description='Breaks, e.g. "12:00-13:00".')

    @model_validator(mode="after")
    def _consistent(self) -> DayHours:
        try:
            OfficeHours.build("this day", self.open, self.close, self.breaks)
        except UsageError as exc:
            raise ValueError(str(exc).removeprefix("this day: ")) from None
        return self


class Closure(_Strict):
    """A local closure: one ``date``, or a ``from``-``to`` range; with a note or decree."""

    date: IsoDate | None = None
    from_: IsoDate | None = Field(None, alias="from")
    to: IsoDate | None = None
    note: str = Field(min_length=1, description="Why: the decree or circular letter (surat edaran).")

    @model_validator(mode="after")
    def _one_form(self) -> Closure:
        if (self.date is None) == (self.from_ is None):
            raise ValueError("give either `date`, or `from` and `to`")
        if self.from_ is not None and (self.to is None or self.to < self.from_):
            raise ValueError("`to` must be given and not before `from`")
        return self

    def days(self) -> list[dt.date]:
        if self.date is not None:
            return [self.date]
        assert self.from_ is not None and self.to is not None
        return [self.from_ + dt.timedelta(days=i) for i in range((self.to - self.from_).days + 1)]


class HolidaySettings(_Strict):
    national: bool = True
    cuti_bersama: bool = True


# A mapping is a day's hours, anything else must be the word "closed".
_DaySpec = Annotated[
    Annotated[DayHours, Tag("hours")] | Annotated[Literal["closed"], Tag("closed")],
    Discriminator(lambda v: "hours" if isinstance(v, (dict, DayHours)) else "closed"),
]


class NamedCalendar(_Strict):
    """A calendar of its own hours (e.g. public service hours): the days listed, no others."""

    hours: dict[Literal[WEEKDAYS], _DaySpec] = Field(  # type: ignore[valid-type]
        description="Per weekday its hours; a day not listed is closed.", min_length=1
    )

    def office_hours(self) -> OfficeHours:
        return OfficeHours(
            {
                WEEKDAYS.index(name): OfficeHours.build(name, spec.open, spec.close, spec.breaks)
                for name, spec in self.hours.items()
                if spec != "closed"
            }
        )


_CalendarSpec = Annotated[
    Annotated[NamedCalendar, Tag("hours")] | Annotated[Literal["always"], Tag("always")],
    Discriminator(lambda v: "hours" if isinstance(v, (dict, NamedCalendar)) else "always"),
]


class SiteConfig(_Strict):
    office_hours: dict[Literal[WEEKDAYS], _DaySpec] = Field(  # type: ignore[valid-type]
        default_factory=dict, description="Per weekday; days not listed keep the default."
    )
    holidays: HolidaySettings = Field(default_factory=HolidaySettings)
    closures: list[Closure] = Field(default_factory=list)
    clocks: dict[str, Literal["working", "elapsed"]] = Field(default_factory=dict)
    named_calendars: dict[
        Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$")], _CalendarSpec
    ] = Field(
        default_factory=dict,
        alias="calendars",
        description="Named calendars (public service hours, `always`), for an SOP's or a symbol's "
        "`calendar:`.",
    )

    def hours(self) -> OfficeHours:
        days: dict[int, tuple[Interval, ...]] = dict(OfficeHours.default().days)
        for name, spec in self.office_hours.items():
            index = WEEKDAYS.index(name)
            if spec == "closed":
                days.pop(index, None)
            else:
                days[index] = OfficeHours.build(name, spec.open, spec.close, spec.breaks)
        return OfficeHours(days)

    def closure_days(self) -> dict[dt.date, str]:
        return {day: c.note for c in self.closures for day in c.days()}

    def calendars(self, cache: Cache | None = None) -> Calendars:
        """The calendars this config describes; holiday tables cached in ``cache``."""
        # Two switches, each on its own: an office may keep the public holidays but work
        # through cuti bersama, or the other way round.
        settings = self.holidays
        days_off = CachedHolidays(cache, national=settings.national, cuti_bersama=settings.cuti_bersama)
        named = {
            name: None if spec == "always" else spec.office_hours()
            for name, spec in self.named_calendars.items()
        }
        return Calendars(self.hours(), HolidayCalendar(days_off, self.closure_days()), self.clocks, named)


#: The SOP ids there are, asked with the ids that ``clocks`` names (so a caller may look in a
#: small place first, and read the whole catalogue only for the ids not found there).
SopIds = Callable[[Collection[str]], Collection[str]]


def load_config(path: Path, sop_ids: SopIds | None = None) -> SiteConfig:
    """Read and validate a site config file; raise :class:`ValidationFailed` with every problem
    at its line. With ``sop_ids``, a clock for an SOP that does not exist is one of them."""
    from sopctl.sop.messages import read_model

    config, source_map = read_model(path, SiteConfig)
    problems = _problems(config, source_map, str(path), sop_ids)
    if problems:
        raise ValidationFailed(problems)
    return config


def load_config_text(text: str, display: str, sop_ids: SopIds | None = None) -> SiteConfig:
    """:func:`load_config` for a copy pinned in the store (its file is gone)."""
    from sopctl.sop.messages import read_model

    config, source_map = read_model(Path(display), SiteConfig, text=text)
    problems = _problems(config, source_map, display, sop_ids)
    if problems:
        raise ValidationFailed(problems)
    return config


def config_problems(path: Path, sop_ids: SopIds | None = None) -> list[Problem]:
    """Everything wrong with a site config file (``sopctl validate``)."""
    try:
        load_config(path, sop_ids)
    except ValidationFailed as exc:
        return exc.problems
    return []


def _problems(config: SiteConfig, source_map: SourceMap, file: str, sop_ids: SopIds | None) -> list[Problem]:
    """Checks after the model's: the week as a whole, at the ``office_hours`` key (an error
    from the model could only name the file or one of its days), and the clocks against the SOPs
    there are, which the model does not know."""
    from sopctl.sop.messages import problem_at

    found = []
    if not any(config.hours().days.values()):
        # Every due time would be searched for in vain; say so where the hours are set.
        found.append(
            problem_at(
                file,
                source_map,
                ("office_hours",),
                "every day of the week is closed, so no time limit could ever fall due: "
                "give at least one day its hours",
                key=True,
            )
        )
    for name, spec in config.named_calendars.items():
        if name in ("office", "always"):
            found.append(
                problem_at(
                    file,
                    source_map,
                    ("calendars", name),
                    f'"{name}" is a calendar every office has (office hours, or round the clock): '
                    "give yours another name",
                    key=True,
                )
            )
        elif spec != "always" and not any(spec.office_hours().days.values()):
            found.append(
                problem_at(
                    file,
                    source_map,
                    ("calendars", name, "hours"),
                    f'the calendar "{name}" is closed every day: give at least one day its hours',
                    key=True,
                )
            )
    if sop_ids is not None and config.clocks:
        known = sop_ids(config.clocks.keys())
        for sop_id in config.clocks:
            if sop_id not in known:
                found.append(
                    problem_at(
                        file,
                        source_map,
                        ("clocks", sop_id),
                        f'no SOP "{sop_id}" in the catalogue{_suggest(sop_id, known)}',
                        key=True,
                    )
                )
    return cap_problems(found, file)


def _suggest(word: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.5)
    if close:
        return f' (did you mean "{close[0]}"?)'
    return f"; known: {', '.join(sorted(known))}" if known else ""
