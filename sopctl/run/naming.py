"""Symbols as people name them on the command line: a start to begin at (``--from``), the
step to complete (``--step``), and how messages name them back.

Names are a symbol's name ("5", "5b"), its ``id``, and for a start its text ("Via Email");
a row's No alone names the row's only symbol, or the one of its symbols that is current.
"""

from __future__ import annotations

from collections.abc import Iterable

from sopctl.errors import NotFoundError, UsageError
from sopctl.sop.procedure import Procedure


def describe(flow: Procedure, number: int) -> str:
    """ "1b "Via Email" (Sekretaris)": a symbol's name, its text, and its lanes."""
    step = flow.step(number)
    text = f' "{step.text}"' if step.text else ""
    lanes = ", ".join(flow.lane(x).name for x in step.lanes)
    return f"{step.name}{text} ({lanes})"


def names(flow: Procedure, numbers: Iterable[int]) -> str:
    """Symbols by their names, "5a, 9" ("none" for none)."""
    return ", ".join(flow.label(n) for n in numbers) or "none"


def chosen_start(flow: Procedure, wanted: str | None) -> tuple[int, ...] | None:
    """The start symbol(s) a case begins at, to record in its start event; None when the SOP
    leaves no choice (one start, or starts that open together) and none was asked for."""
    starts = flow.starts
    alternatives = flow.starts_mode == "alternatives" and len(starts) > 1
    if wanted is None or not wanted.strip():
        if alternatives:
            listed = "; ".join(describe(flow, n) for n in starts)
            raise UsageError(
                f"{flow.id} has {len(starts)} alternative starts: choose one with --from ({listed})"
            )
        return None
    key = " ".join(wanted.split()).casefold()
    found = [n for n in starts if key in _start_names(flow, n)]
    if not found:
        listed = "; ".join(describe(flow, n) for n in starts)
        raise UsageError(f'no start "{wanted.strip()}" in {flow.id}; its start(s): {listed}')
    if not alternatives:
        # Naming the only start (or one of starts that all open) changes nothing: all open.
        return None
    return (found[0],)


def _start_names(flow: Procedure, number: int) -> set[str]:
    step = flow.step(number)
    found = {step.name.casefold(), " ".join(step.text.split()).casefold()}
    if step.id:
        found.add(step.id.casefold())
    if len(flow.starts) > 1 and len(step.lanes) == 1:
        lane = flow.lane(step.lanes[0])
        # A start's lane names it when no other start is in that lane.
        if sum(1 for n in flow.starts if flow.step(n).lanes == step.lanes) == 1:
            found |= {lane.id.casefold(), lane.name.casefold(), lane.short.casefold()}
    return found - {""}


def named_symbol(flow: Procedure, wanted: int | str, current: Iterable[int]) -> int:
    """The symbol ``--step`` names: by name or id, or by a row's No when the row has one
    symbol or exactly one of its symbols is ``current``."""
    number = flow.resolve(wanted)
    if number is not None:
        return number
    in_row = flow.row_symbols(wanted)
    if in_row:
        now = [n for n in in_row if n in current]
        if len(now) == 1:
            return now[0]
        choices = "; ".join(describe(flow, n) for n in in_row)
        raise UsageError(f"row {wanted} has {len(in_row)} symbols: say which with --step ({choices})")
    word = "step" if flow.format == 1 else "symbol"
    shown = str(wanted).strip()
    raise NotFoundError(f"{flow.id} has no {word} {shown if shown.isdigit() else repr(shown)}")
