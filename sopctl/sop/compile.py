"""An SOP's JSON form (either format version) compiled into a :class:`Procedure`.

Format 1 rows are one symbol each, keyed by their printed number. Format 2 symbols are
keyed 1, 2, ... in the document's order (rows top to bottom, symbols in a row as
written): that numbering is what recorded events name, so it must never change.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sopctl.sop.durations import Duration, parse_duration, parse_total
from sopctl.sop.procedure import (
    Branch,
    LaneDef,
    OpensDef,
    Procedure,
    RowDef,
    ServiceDef,
    StepDef,
    TimeoutDef,
    initials,
    resolve_ref,
)


def compile_definition(data: Mapping[str, Any]) -> Procedure:
    service = None
    if int(data.get("schema", 1)) >= 2:
        steps, rows = _symbols(data)
        mode = data.get("starts", "alternatives")
        service = _service(data)
    else:
        steps, rows = _steps(data)
        mode = "together"
    total = data.get("total_time")
    return Procedure(
        id=data["id"],
        code=data.get("code") or initials(data["id"].replace("-", " ")),
        name=data["name"],
        language=data.get("language", "id"),
        timezone=data.get("timezone", "Asia/Jakarta"),
        clock=data.get("clock", "working"),
        lanes=tuple(
            LaneDef(
                lane["id"],
                lane["name"],
                lane.get("short") or initials(lane["name"]),
                bool(lane.get("external", False)),
                bool(lane.get("system", False)),
            )
            for lane in data["lanes"]
        ),
        steps=steps,
        total_time=parse_total(total) if total not in (None, "-", "none") else None,
        total_stated=total if total not in (None, "-", "none") else None,
        rows=rows,
        format=int(data.get("schema", 1)),
        starts_mode=mode,
        no_total=total == "none",
        labels={k: v for k, v in (data.get("labels") or {}).items() if v},
        calendar=data.get("calendar"),
        service=service,
    )


def _service(data: Mapping[str, Any]) -> ServiceDef | None:
    block = data.get("service")
    if not block:
        return None
    index = symbol_index(data["rows"])

    def ref(value: Any) -> int | None:
        return None if value is None else index[str(value).strip().casefold()]

    return ServiceDef(
        parse_duration(block.get("time") or "-"),
        ref(block.get("from")),
        ref(block.get("until")),
        block.get("calendar"),
        tuple(block.get("requirements", ())),
        block.get("fee", "") or "",
        block.get("product", "") or "",
    )


def _cells(rows: Sequence[Mapping[str, Any]]) -> dict[int, int]:
    """Row index -> index of the first row of the Waktu cell it is in."""
    first: dict[int, int] = {}
    for index, row in enumerate(rows):
        first.setdefault(index, index)
        for covered in range(index + 1, min(len(rows), index + int(row.get("time_covers", 1)))):
            first[covered] = index
    return first


def _steps(data: Mapping[str, Any]) -> tuple[dict[int, StepDef], tuple[RowDef, ...]]:
    """Format 1: a row is a step, keyed by its number."""
    rows: list[Mapping[str, Any]] = data["steps"]
    numbers = [int(r["step"]) for r in rows]
    by_id = {r["id"]: int(r["step"]) for r in rows if r.get("id")}

    def ref(value: int | str) -> int:
        return resolve_ref(value, numbers, by_id)  # type: ignore[return-value]

    cell = _cells(rows)
    steps: dict[int, StepDef] = {}
    printed: list[RowDef] = []
    for index, row in enumerate(rows):
        number = numbers[index]
        kind = row.get("kind", "process")
        raw_next = row.get("next")
        if kind in ("decision", "end"):
            nexts: tuple[int, ...] = ()
        elif raw_next is None:
            nexts = (numbers[index + 1],)
        else:
            nexts = tuple(ref(r) for r in (raw_next if isinstance(raw_next, list) else [raw_next]))
        owner = numbers[cell[index]]
        limit = parse_duration(row.get("time") or "-")
        steps[number] = _symbol_def(
            number, row, row, ref, limit, owner if owner != number else None, nexts, str(number), owner
        )
        printed.append(_row_def(row, number, limit, (number,)))
    return steps, tuple(printed)


def symbol_names(rows: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    """Each symbol's name, row by row: the row's No for its only symbol, else the No and a
    letter for its place ("5a", "5b", ...)."""
    names = []
    for row in rows:
        count = len(row["symbols"])
        no = int(row["row"])
        names.append([str(no)] if count == 1 else [f"{no}{_letter(i)}" for i in range(count)])
    return names


def _letter(index: int) -> str:
    letters = string.ascii_lowercase
    return letters[index] if index < len(letters) else letters[index // 26 - 1] + letters[index % 26]


def symbol_index(rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """Every name a symbol may be referred to by (casefolded) -> its number: its name, its id,
    and its row's No when it is the row's only symbol."""
    index: dict[str, int] = {}
    number = 0
    for row, names in zip(rows, symbol_names(rows), strict=True):
        for symbol, name in zip(row["symbols"], names, strict=True):
            number += 1
            index.setdefault(name.casefold(), number)
            if symbol.get("id"):
                index.setdefault(str(symbol["id"]).casefold(), number)
    return index


def default_next(rows: Sequence[Mapping[str, Any]], row_index: int, symbol_index_: int) -> int | None:
    """Where a start or process symbol without ``next`` goes: the next row's only symbol, when
    it is the last symbol of its row; else nowhere (the file must say)."""
    if symbol_index_ != len(rows[row_index]["symbols"]) - 1 or row_index + 1 >= len(rows):
        return None
    if len(rows[row_index + 1]["symbols"]) != 1:
        return None
    return sum(len(r["symbols"]) for r in rows[: row_index + 1]) + 1


def _symbols(data: Mapping[str, Any]) -> tuple[dict[int, StepDef], tuple[RowDef, ...]]:
    """Format 2: symbols numbered in the document's order, inside their printed rows."""
    rows: list[Mapping[str, Any]] = data["rows"]
    names = symbol_names(rows)
    index = symbol_index(rows)

    def ref(value: int | str) -> int:
        return index[str(value).strip().casefold()]

    cell = _cells(rows)
    first_symbol: list[int] = []
    number = 0
    for row in rows:
        first_symbol.append(number + 1)
        number += len(row["symbols"])
    steps: dict[int, StepDef] = {}
    printed: list[RowDef] = []
    number = 0
    for r, row in enumerate(rows):
        limit = parse_duration(row.get("time") or "-")
        owner = first_symbol[cell[r]]
        own: list[int] = []
        for s, symbol in enumerate(row["symbols"]):
            number += 1
            own.append(number)
            kind = symbol.get("kind", "process")
            raw_next = symbol.get("next")
            if kind in ("decision", "end"):
                nexts: tuple[int, ...] = ()
            elif raw_next is None:
                after = default_next(rows, r, s)
                nexts = () if after is None else (after,)
            else:
                nexts = tuple(ref(x) for x in (raw_next if isinstance(raw_next, list) else [raw_next]))
            steps[number] = _symbol_def(
                number,
                row,
                symbol,
                ref,
                limit if cell[r] == r else None,
                owner if cell[r] != r else None,
                nexts,
                names[r][s],
                owner,
            )
        printed.append(_row_def(row, int(row["row"]), limit, tuple(own)))
    return steps, tuple(printed)


def _symbol_def(
    number: int,
    row: Mapping[str, Any],
    symbol: Mapping[str, Any],
    ref: Callable[[int | str], int],
    limit: Duration | None,
    covered_by: int | None,
    nexts: tuple[int, ...],
    name: str,
    cell: int,
) -> StepDef:
    """A symbol with its row's cells (in format 1 the row is its only symbol)."""
    return StepDef(
        number=number,
        kind=symbol.get("kind", "process"),
        activity=row["activity"],
        lanes=tuple(symbol["lanes"]),
        limit=limit,
        covered_by=covered_by,
        next=nexts,
        join=bool(symbol.get("join", False)),
        branches=tuple(Branch(b["label"], ref(b["to"])) for b in symbol.get("branches", ())),
        requirements=tuple(row.get("requirements", ())),
        output=row.get("output", ""),
        remarks=row.get("remarks", ""),
        name=name,
        row=int(row.get("row", row.get("step", number))),
        text=symbol.get("text", "") or "",
        id=symbol.get("id"),
        cell=cell,
        waits_for=symbol.get("waits_for", "") or "",
        timeout=_timeout(symbol.get("timeout"), ref),
        opens=_opens(symbol.get("opens")),
        calendar=symbol.get("calendar"),
    )


def _opens(block: Mapping[str, Any] | None) -> OpensDef | None:
    if not block:
        return None
    return OpensDef(block["after"], block.get("day"), block.get("of", "reached"))


def _timeout(block: Mapping[str, Any] | None, ref: Callable[[int | str], int]) -> TimeoutDef | None:
    if not block:
        return None
    after = parse_duration(block["after"])
    assert after is not None  # the checks refuse a timeout without a time
    return TimeoutDef(after, ref(block["to"]))


def _row_def(row: Mapping[str, Any], no: int, limit: Duration | None, symbols: tuple[int, ...]) -> RowDef:
    return RowDef(
        no,
        row["activity"],
        tuple(row.get("requirements", ())),
        limit,
        int(row.get("time_covers", 1)),
        row.get("output", ""),
        row.get("remarks", ""),
        symbols,
        bool(row.get("page_break", False)),
    )
