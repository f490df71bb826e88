"""The rules of format version 2 that reach across fields: rows numbered as printed, symbols
named once, references that resolve to one symbol, flows that are said where they cannot be
guessed. The graph rules (reachability, joins, totals) are shared with format 1
(``sopctl.sop.checks``) and run once these pass.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sopctl.sop.checks import Finding, check_lanes, check_time_cells, suggest, twice_labelled
from sopctl.sop.compile import default_next, symbol_index, symbol_names

if TYPE_CHECKING:
    from sopctl.sop.model2 import Row, SopV2, Symbol

#: A name such as "5" or "5b": what sopctl calls symbols by their row, so no id may look so.
_POSITIONAL = re.compile(r"^\d+[a-z]{0,2}$")


def check_rows(sop: SopV2) -> list[Finding]:
    found: list[Finding] = check_lanes(sop)
    lane_ids = [lane.id for lane in sop.lanes]
    for at, lane in enumerate(sop.lanes):
        if lane.system and lane.external:
            found.append(
                Finding(
                    ("lanes", at, "system"),
                    f'the lane "{lane.id}" cannot be both an application (`system`) and a third party '
                    "(`external`): choose one",
                )
            )
    previous: int | None = None
    for r, row in enumerate(sop.rows):
        if previous is not None and row.row <= previous:
            found.append(
                Finding(
                    ("rows", r, "row"),
                    f"row No {row.row} comes after No {previous}: number the rows as the document "
                    "prints them, top to bottom, each No once and ascending",
                )
            )
        previous = row.row if previous is None else max(previous, row.row)
    if any(f.path[-1:] == ("row",) for f in found):
        # Symbols are named by their row's No: with the numbering wrong, so are the names.
        return found
    raw = [row.model_dump(mode="json") for row in sop.rows]
    index = symbol_index(raw)
    names = symbol_names(raw)
    ids: dict[str, tuple[int, int]] = {}
    for r, row in enumerate(sop.rows):
        for s, symbol in enumerate(row.symbols):
            where = ("rows", r, "symbols", s)
            if symbol.id:
                if _POSITIONAL.match(symbol.id):
                    found.append(
                        Finding(
                            (*where, "id"),
                            f'the id "{symbol.id}" reads as a symbol\'s place in a row ("5", "5b"): '
                            'use a name such as "periksa-berkas"',
                        )
                    )
                elif symbol.id in ids:
                    found.append(Finding((*where, "id"), f'the symbol id "{symbol.id}" is used twice'))
                ids.setdefault(symbol.id, (r, s))
            for j, lane_id in enumerate(symbol.lanes):
                if lane_id not in lane_ids:
                    found.append(
                        Finding(
                            (*where, "lanes", j),
                            f'unknown lane "{lane_id}"{suggest(lane_id, lane_ids)}; the lanes are: '
                            f"{', '.join(lane_ids)}",
                        )
                    )
            if len(set(symbol.lanes)) != len(symbol.lanes):
                found.append(Finding((*where, "lanes"), "a lane is listed twice"))
            found += _refs(sop, r, s, symbol, index, names)
            found += _kind(sop, r, s, row, symbol, names[r][s])
    found += check_time_cells(sop.rows, "rows", lambda row: f"row {row.row}")
    found += _service(sop, index, names)
    kinds = [symbol.kind for row in sop.rows for symbol in row.symbols]
    if "start" not in kinds:
        found.append(
            Finding(
                ("rows", 0, "symbols", 0, "kind"),
                "no symbol is `kind: start`: mark the first symbol(s) as start",
            )
        )
    if "end" not in kinds:
        last = len(sop.rows) - 1
        found.append(
            Finding(
                ("rows", last, "symbols", len(sop.rows[last].symbols) - 1, "kind"),
                "no symbol is `kind: end`: mark the last symbol(s) as end",
            )
        )
    return found


def _refs(
    sop: SopV2, r: int, s: int, symbol: Symbol, index: dict[str, int], names: list[list[str]]
) -> list[Finding]:
    found: list[Finding] = []
    where = ("rows", r, "symbols", s)
    targets: list[tuple[tuple[str | int, ...], int | str, str]] = [
        ((*where, "next", j) if isinstance(symbol.next, list) else (*where, "next"), ref, "next names")
        for j, ref in enumerate(symbol.next_refs)
    ]
    targets += [
        ((*where, "branches", j, "to"), branch.to, f'branch "{branch.label}" goes to')
        for j, branch in enumerate(symbol.branches)
    ]
    if symbol.timeout is not None:
        targets.append(((*where, "timeout", "to"), symbol.timeout.to, "the timeout goes to"))
    for path, ref, what in targets:
        if str(ref).strip().casefold() in index:
            continue
        row = next((x for x in sop.rows if str(x.row) == str(ref).strip()), None)
        if row is not None:
            choices = ", ".join(names[sop.rows.index(row)])
            message = (
                f"{what} row {row.row}, which has {len(row.symbols)} symbols: name one of them ({choices})"
            )
        else:
            known = [n for row_names in names for n in row_names]
            message = f"{what} {ref!r}, which is no symbol{suggest(str(ref), known)}"
        found.append(Finding(path, message))
    return found + twice_labelled(symbol.branches, where)


def _service(sop: SopV2, index: dict[str, int], names: list[list[str]]) -> list[Finding]:
    """The service limit's two ends name symbols; the one it starts at comes first."""
    if sop.service is None:
        return []
    known = [n for row_names in names for n in row_names]
    found: list[Finding] = []
    for key, ref in (("from", sop.service.from_), ("until", sop.service.until)):
        if ref is not None and str(ref).strip().casefold() not in index:
            found.append(
                Finding(
                    ("service", key),
                    f"the service {key} {ref!r}, which is no symbol{suggest(str(ref), known)}",
                )
            )
    return found


def _kind(sop: SopV2, r: int, s: int, row: Row, symbol: Symbol, name: str) -> list[Finding]:
    where = ("rows", r, "symbols", s)
    found: list[Finding] = []
    if symbol.kind == "decision":
        if len(symbol.branches) < 2:
            found.append(
                Finding(
                    (*where, "branches"),
                    f"decision {name} needs at least 2 branches (e.g. Ya and Tidak), "
                    "each with `label` and `to`",
                )
            )
        if symbol.next is not None:
            found.append(
                Finding(
                    (*where, "next"),
                    "a decision continues through its branches, not `next`: move this target into a branch",
                )
            )
    elif symbol.branches:
        found.append(
            Finding(
                (*where, "branches"),
                f"only a decision has branches: make symbol {name} `kind: decision` or remove its branches",
            )
        )
    if symbol.kind == "end" and symbol.next is not None:
        found.append(Finding((*where, "next"), "an end symbol has no next symbol"))
    if symbol.kind == "end":
        for key in ("timeout", "waits_for"):
            if getattr(symbol, key):
                found.append(
                    Finding((*where, key), f"an end symbol waits for nothing: remove `{key}` from {name}")
                )
    if symbol.opens is not None and symbol.kind == "start":
        found.append(
            Finding(
                (*where, "opens"),
                f"a start symbol is current from the case's start: remove `opens` from {name}",
            )
        )
    if symbol.timeout is not None and symbol.timeout.after is None:
        found.append(Finding((*where, "timeout", "after"), 'a timeout needs a time, e.g. after: "3 hari"'))
    if symbol.kind in ("start", "process") and symbol.next is None:
        raw = [x.model_dump(mode="json") for x in sop.rows]
        if default_next(raw, r, s) is None:
            if s < len(row.symbols) - 1:
                why = f"row {row.row} has more symbols after it"
            elif r == len(sop.rows) - 1:
                why = "it is in the last row; make it `kind: end` if the flow ends here"
            else:
                why = f"row {sop.rows[r + 1].row} has {len(sop.rows[r + 1].symbols)} symbols"
            found.append(
                Finding(
                    (*where, "kind") if r == len(sop.rows) - 1 else where,
                    f"say where the flow goes from symbol {name} with `next`: {why}",
                )
            )
    return found
