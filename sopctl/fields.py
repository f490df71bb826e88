"""Field types shared by the YAML files other than SOPs (site config, organisation)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BeforeValidator


def _iso_date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f'"{value}" is not a date: write YYYY-MM-DD') from None
    return value


#: A calendar date written YYYY-MM-DD (quoted or not: the YAML reader keeps dates as text).
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
