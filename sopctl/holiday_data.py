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


@lru_cache(maxsize=64)
def national_holidays(year: int, cuti_bersama: bool = True, language: str = "id") -> dict[dt.date, str]:
    """Public holidays (and, by default, cuti bersama) of Indonesia in ``year``."""
    import holidays

    categories = ("public", "government") if cuti_bersama else ("public",)
    table = holidays.country_holidays("ID", years=year, categories=categories, language=language)
    return {day: name for day, name in sorted(table.items())}


class Cache(Protocol):
    """What :class:`CachedHolidays` needs from a store."""

    def cache_get(self, key: str) -> str | None: ...

    def cache_put(self, key: str, value: str) -> None: ...


@dataclass
class CachedHolidays:
    cache: Cache | None
    cuti_bersama: bool = True
    compute: Callable[[int, bool], dict[dt.date, str]] = national_holidays

    def __call__(self, year: int) -> dict[dt.date, str]:
        categories = "public+government" if self.cuti_bersama else "public"
        key = f"holidays:ID:{holidays_version()}:{categories}:{year}"
        if self.cache is not None:
            cached = self.cache.cache_get(key)
            if cached is not None:
                return {dt.date.fromisoformat(k): v for k, v in json.loads(cached).items()}
        table = self.compute(year, self.cuti_bersama)
        if self.cache is not None:
            self.cache.cache_put(key, json.dumps({k.isoformat(): v for k, v in table.items()}))
        return table
