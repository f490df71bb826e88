"""The field types SOP files share across format versions: times as written, texts that
must say something, lists that may be written as one text, document dates, step references.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
)

from sopctl.sop.durations import EXAMPLES, Duration, DurationError, parse_duration, parse_total

#: ``total_time: none``: the document states no TOTAL WAKTU, and none is printed.
NO_TOTAL = "none"


def _parse_waktu(value: Any) -> Duration | None:
    if value is None or isinstance(value, Duration):  # an empty cell: no limit, like "-"
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"write the time as text, e.g. {EXAMPLES}")
    if isinstance(value, int):
        raise ValueError(f'"{value}" has no unit: write e.g. "{value} menit" or "{value} hari"')
    try:
        return parse_duration(value)
    except DurationError as exc:
        raise ValueError(str(exc)) from None


def _waktu_text(value: Duration | None) -> str:
    return "-" if value is None else value.text


Waktu = Annotated[
    Duration | None,
    PlainValidator(_parse_waktu),
    PlainSerializer(_waktu_text, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "examples": [
                *("15 Menit", "2 jam", "1 hari", "3 hari kerja", "1-3 Hari", "1 hari 2 jam"),
                *("maksimal 3 hari", "kurang dari 1 bulan", "1 tahun", "-"),
            ],
        }
    ),
]


def _total_text(value: Any) -> str | None:
    """A TOTAL WAKTU cell, kept as written once it reads as a sum of times."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip().casefold() == NO_TOTAL:
        return NO_TOTAL
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError('write the total as text, e.g. "5 hari 2 jam 30 menit" or "210 menit"')
    if isinstance(value, int):
        raise ValueError(f'"{value}" has no unit: write e.g. "{value} menit" or "{value} hari"')
    try:
        total = parse_total(value)
    except DurationError as exc:
        raise ValueError(str(exc)) from None
    return None if total is None else " ".join(value.split())


#: TOTAL WAKTU: like a Waktu cell, or ``none`` when the document states no total (then none is
#: printed), or a sum in several units ("5 hari 2 jam 30 menit").
TotalWaktu = Annotated[
    str | None,
    PlainValidator(_total_text),
    WithJsonSchema({"type": "string", "examples": ["210 Menit", "5 hari 2 jam 30 menit", "-", "none"]}),
]


def as_list(value: Any) -> Any:
    """A single text where a list belongs is a one-item list; null is empty."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


#: A text that must say something: "" and "   " are both empty.
RequiredText = Annotated[str, Field(min_length=1), AfterValidator(_not_blank)]

#: A text cell left empty in YAML (``output:``) is an empty text, not an error.
OptionalText = Annotated[
    str,
    BeforeValidator(lambda v: "" if v is None else v),
    WithJsonSchema({"type": ["string", "null"]}),
]


def check_version(value: Any) -> Any:
    # true and 1.0 equal 1 in Python; in a file they are mistakes.
    if isinstance(value, (bool, float)):
        raise ValueError(f"must be 1 or 2, not {str(value).lower()}")
    return value


#: A list of texts; a single text is read as a one-item list (and the schema says so).
TEXT_OR_LIST = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
TextList = Annotated[list[str], BeforeValidator(as_list), WithJsonSchema(TEXT_OR_LIST)]

_DOC_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def _check_doc_date(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if value is None or value == "":
        return None
    match = _DOC_DATE.match(str(value))
    if not match:
        raise ValueError("write the date as YYYY-MM-DD, or YYYY-MM when the day is unknown")
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        raise ValueError(f'"{value}" is not a real date') from None
    return str(value)


DocDate = Annotated[
    str | None,
    BeforeValidator(_check_doc_date),
    WithJsonSchema({"type": ["string", "null"], "pattern": _DOC_DATE.pattern}),
]


# pydantic's lax mode takes YAML `true` for the number 1: `next: true` would
# silently mean step 1. A step number or reference is never true or false.
def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"expected a whole number, not {str(value).lower()}")
    return value


def refs_not_bool(value: Any) -> Any:
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, bool):
            raise ValueError(f"expected a step number or a step id, not {str(item).lower()}")
    return value


WholeNumber = Annotated[int, BeforeValidator(_not_bool)]

#: The largest row (step) number, and the most rows one Waktu cell may span: numbers the
#: store keeps as 64-bit integers, and no SOP document has nearly as many rows.
MAX_ROW = 9999

StepRef = Annotated[
    int | str,
    BeforeValidator(refs_not_bool),
    Field(description="A step, by its number (`step`) or its `id`."),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, coerce_numbers_to_str=True)
