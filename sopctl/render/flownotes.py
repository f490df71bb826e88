"""What the notes under a printed row's activity say about its symbols' flows.

The terminal table and the printed document both list, under a row's Kegiatan, what a
drawing may not make plain: a decision's branches, a parallel split, a join, a joint
step. Symbols are named as people name them ("5", "5b"), never by the numbers the
engine keys them by, and a flow is a loop back when :meth:`Procedure.is_loop` says so.

A row with one symbol and no text in it reads as format 1 always has: one line per
branch ("Ya → 5", "Tidak → 2 ↺ kembali"). A row of several symbols gets one line per
symbol that says something, named: "5a: R/T — Ya → 5c, Tidak → 6a", "4a → 5a", so
that each symbol's way on can be read without following the connectors.
"""

from __future__ import annotations

from dataclasses import dataclass

from sopctl.sop.procedure import Procedure, RowDef, StepDef


@dataclass(frozen=True)
class NoteStyle:
    """How the notes are spelled: the terminal's ("↺ kembali", short lane names) or the
    printed document's ("(kembali)", full names); ``dash`` parts a symbol's text from its
    flows."""

    arrow: str
    loop: str  # a format string for a loop back, given the word: " ↺ {}" / " ({})"
    dash: str
    short_lanes: bool


TERMINAL = NoteStyle("→", " ↺ {}", " — ", short_lanes=True)
TERMINAL_ASCII = NoteStyle("->", " <- {}", " - ", short_lanes=True)
DOCUMENT = NoteStyle("→", " ({})", " — ", short_lanes=False)


def row_notes(flow: Procedure, row: RowDef, t: dict[str, str], style: NoteStyle) -> list[str]:
    """The notes of printed row ``row``, in order of its symbols."""
    steps = [flow.step(n) for n in row.symbols]
    if len(steps) == 1 and not steps[0].text:
        return _single(flow, steps[0], t, style)
    return [line for step in steps if (line := _named(flow, step, t, style, several=len(steps) > 1))]


def _single(flow: Procedure, step: StepDef, t: dict[str, str], style: NoteStyle) -> list[str]:
    """A row's only symbol, without text: a line for each thing there is to say."""
    notes = []
    if len(step.lanes) > 1:
        notes.append(f"{t['joint']}: {_lanes(flow, step, style)}")
    for branch in step.branches:
        notes.append(f"{branch.label} {style.arrow} {_to(flow, step, branch.to, t, style)}")
    if step.kind != "decision" and len(step.next) > 1:
        notes.append(f"{style.arrow} {_targets(flow, step.next)} ({t['parallel']})")
    if step.join:
        notes.append(f"{t['waits_for']} {_targets(flow, flow.forward_incoming(step.number))}")
    return notes


def _named(flow: Procedure, step: StepDef, t: dict[str, str], style: NoteStyle, *, several: bool) -> str:
    """One line for a symbol: its name (in a row of several), what is written in it, and
    where it leads; empty when there is nothing to say."""
    said = []
    if len(step.lanes) > 1:
        said.append(f"{t['joint']}: {_lanes(flow, step, style)}")
    if step.text:
        said.append(step.text)
    if step.join:
        said.append(f"{t['waits_for']} {_targets(flow, flow.forward_incoming(step.number))}")
    flows = ""
    if step.kind == "decision":
        flows = ", ".join(f"{b.label} {style.arrow} {_to(flow, step, b.to, t, style)}" for b in step.branches)
    elif len(step.next) > 1:
        flows = f"{style.arrow} {_targets(flow, step.next)} ({t['parallel']})"
    elif step.next and several:
        flows = f"{style.arrow} {_to(flow, step, step.next[0], t, style)}"
    if not said and not flows:
        return ""
    text = style.dash.join(said)
    if flows:
        # "1a: Via Email → 3", "5a: R/T — Ya → 5c, …", "4a → 5a"
        gap = " " if flows.startswith(style.arrow) else style.dash
        text = f"{text}{gap}{flows}" if text else flows
    if not several:
        return text
    return f"{step.name} {text}" if text.startswith(style.arrow) else f"{step.name}: {text}"


def _to(flow: Procedure, step: StepDef, target: int, t: dict[str, str], style: NoteStyle) -> str:
    back = style.loop.format(t["loop"]) if flow.is_loop(step.number, target) else ""
    return f"{flow.label(target)}{back}"


def _targets(flow: Procedure, numbers: tuple[int, ...]) -> str:
    return ", ".join(flow.label(n) for n in numbers)


def _lanes(flow: Procedure, step: StepDef, style: NoteStyle) -> str:
    lanes = [flow.lane(x) for x in step.lanes]
    return ", ".join(lane.short if style.short_lanes else lane.name for lane in lanes)


def time_text(flow: Procedure, row: RowDef, t: dict[str, str]) -> str:
    """A row's Waktu as printed: its time, or "(4)" when the Waktu cell of row 4 spans it."""
    first = flow.step(row.symbols[0])
    if first.covered_by is not None:
        return f"({flow.step(first.covered_by).row})"
    return row.limit.text if row.limit else t["none"]


def covering_row(flow: Procedure, row: RowDef) -> int | None:
    """The printed No of the row whose Waktu cell spans ``row`` (None when it has its own)."""
    first = flow.step(row.symbols[0])
    return None if first.covered_by is None else flow.step(first.covered_by).row
