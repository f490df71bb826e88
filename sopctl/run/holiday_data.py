"""Indonesia's national holidays and cuti bersama, from the ``holidays`` package.

Computing a year's holidays imports a large package (~0.1 s), too slow for
every ``sopctl done``; :class:`CachedHolidays` keeps each year's table in a
small cache (the store) keyed by the package's version, so a new release with
a newly decreed cuti bersama replaces the cached table.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Protocol


def holidays_version() -> str:
    """The installed ``holidays`` version, read without importing the package."""
    spec = find_spec("holidays")
    if spec is None or spec.origin is None:
        return "missing"
    site = Path(spec.origin).parent.parent
    found = sorted(site.glob("holidays-*.dist-info"))
    if found:
        return found[-1].name.removeprefix("holidays-").removesuffix(".dist-info")
    stat = Path(spec.origin).stat()
    return f"mtime-{stat.st_mtime_ns}"


#: The ``holidays`` package's categories: public holidays, and cuti bersama ("government").
NATIONAL, CUTI_BERSAMA = "public", "government"


@lru_cache(maxsize=64)
def national_holidays(
    year: int, categories: tuple[str, ...] = (NATIONAL, CUTI_BERSAMA), language: str = "id"
) -> dict[dt.date, str]:
    """Indonesia's days off in ``year`` of the given categories: by default public holidays and
    cuti bersama."""
    if not categories:
        return {}
    import holidays

    table = holidays.country_holidays("ID", years=year, categories=categories, language=language)
    return {day: name for day, name in sorted(table.items())}


class Cache(Protocol):
    """What :class:`CachedHolidays` needs from a store."""

    def cache_get(self, key: str) -> str | None: ...

    def cache_put(self, key: str, value: str) -> None: ...


@dataclass
class CachedHolidays:
    """A year's days off of the chosen kinds: public holidays, cuti bersama, or both."""

    cache: Cache | None
    national: bool = True
    cuti_bersama: bool = True
    compute: Callable[[int, tuple[str, ...]], dict[dt.date, str]] = national_holidays

    @property
    def categories(self) -> tuple[str, ...]:
        chosen = ((NATIONAL, self.national), (CUTI_BERSAMA, self.cuti_bersama))
        return tuple(category for category, wanted in chosen if wanted)

    def __call__(self, year: int) -> dict[dt.date, str]:
        categories = self.categories
        if not categories:
            return {}
        key = f"holidays:ID:{holidays_version()}:{'+'.join(categories)}:{year}"
        if self.cache is not None:
            cached = self.cache.cache_get(key)
            if cached is not None:
                return {dt.date.fromisoformat(k): v for k, v in json.loads(cached).items()}
        table = self.compute(year, categories)
        if self.cache is not None:
            self.cache.cache_put(key, json.dumps({k.isoformat(): v for k, v in table.items()}))
        return table
