"""The flowchart of an SOP as a plain, immutable graph: what the engine runs.

Built from an SOP's JSON form (``Sop.model_dump(mode="json")``, which is also
what the store pins), without pydantic, so commands that only move an instance
forward start fast. The definition must already be valid (``sopctl.sop.checks``).

The graph's nodes are the flowchart's symbols (:class:`StepDef`), keyed by a number:
in format 1 a symbol is its row, numbered as printed; in format 2 the numbers count
the symbols in the document's order (1, 2, ...), which a pinned definition never
changes, so a recorded event names its symbol for good. People never see those
numbers: a symbol is shown and typed by its :attr:`StepDef.name` ("5", "5b").
:class:`RowDef` is the printed row around its symbols.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sopctl.sop.durations import Duration, TotalTime


@dataclass(frozen=True, slots=True)
class Branch:
    """One way out of a decision: its label ("Ya", "Tidak") and the step it leads to."""

    label: str
    to: int


@dataclass(frozen=True, slots=True)
class TimeoutDef:
    """A flow a symbol takes by itself once it has been current for ``after``."""

    after: Duration
    to: int


@dataclass(frozen=True, slots=True)
class OpensDef:
    """A symbol reached before a period's end becomes current when the period ends (``month``,
    ``quarter``, ``half``, ``year``), or on ``day`` of the month after."""

    after: str
    day: int | None = None
    #: "reached": the period the flow reaches the symbol in; "start": the one the case began in.
    of: str = "reached"


@dataclass(frozen=True, slots=True)
class ServiceDef:
    """Standar Pelayanan: what the public is promised, and the limit for the whole case, from
    symbol ``start`` becoming current (None: the case's start) to symbol ``until`` being completed
    (None: the case's end)."""

    limit: Duration | None
    start: int | None = None
    until: int | None = None
    calendar: str | None = None
    requirements: tuple[str, ...] = ()
    fee: str = ""
    product: str = ""


@dataclass(frozen=True, slots=True)
class StepDef:
    """A symbol as the engine runs it: who does it, its limit, and where the flow goes next."""

    number: int
    kind: str  # start | process | decision | end
    activity: str
    lanes: tuple[str, ...]
    #: The Waktu of its row when its row is the first of its time cell, else None.
    limit: Duration | None
    #: The symbol whose row's Waktu cell spans this row as well (its deadline applies here).
    covered_by: int | None
    next: tuple[int, ...]
    join: bool
    branches: tuple[Branch, ...]
    requirements: tuple[str, ...] = ()
    output: str = ""
    remarks: str = ""
    #: What people call it: "5" for a row's only symbol, "5b" for the second of row 5.
    name: str = ""
    #: The printed No of its row.
    row: int = 0
    #: The text inside the symbol ("R/T", "Via Email"), if any.
    text: str = ""
    #: Its own ``id``, a second name.
    id: str | None = None
    #: The first symbol of the time cell it is in: symbols of one cell share a deadline when
    #: the flow goes from one to the next inside it.
    cell: int = 0
    #: Who the office waits on while it is current (its clock stops), if anyone.
    waits_for: str = ""
    timeout: TimeoutDef | None = None
    opens: OpensDef | None = None
    #: The name of the calendar its time runs on, when not the SOP's.
    calendar: str | None = None

    @property
    def targets(self) -> tuple[int, ...]:
        own = tuple(b.to for b in self.branches) if self.kind == "decision" else self.next
        if self.timeout is not None and self.timeout.to not in own:
            return (*own, self.timeout.to)
        return own

    def branch(self, label: str) -> Branch | None:
        wanted = label.casefold().strip()
        return next((b for b in self.branches if b.label.casefold() == wanted), None)


@dataclass(frozen=True, slots=True)
class RowDef:
    """A numbered row of the printed table: its cells, and its symbols in the document's order."""

    no: int
    activity: str
    requirements: tuple[str, ...]
    limit: Duration | None
    time_covers: int
    output: str
    remarks: str
    symbols: tuple[int, ...]
    page_break: bool = False


@dataclass(frozen=True, slots=True)
class LaneDef:
    """A swimlane: a role (Pelaksana) with its full and short names."""

    id: str
    name: str
    short: str
    external: bool = False
    #: An application (a portal), not a person.
    system: bool = False


@dataclass(frozen=True)
class Procedure:
    """An SOP compiled for running: its lanes and numbered steps, independent of the YAML."""

    id: str
    code: str
    name: str
    language: str
    timezone: str
    clock: str
    lanes: tuple[LaneDef, ...]
    steps: Mapping[int, StepDef]
    total_time: TotalTime | None = None
    #: TOTAL WAKTU as the SOP states it ("8 hari 7 jam"), printed as written.
    total_stated: str | None = None
    #: The printed rows; format 1 has one per step.
    rows: tuple[RowDef, ...] = ()
    #: The format version of the file.
    format: int = 1
    #: With several start symbols: "together" (all open at once) or "alternatives".
    starts_mode: str = "together"
    #: The document states no TOTAL WAKTU (``total_time: none``): none is printed.
    no_total: bool = False
    #: The document's own labels ("Sumber Data" for Kelengkapan), by label key.
    labels: Mapping[str, str] = field(default_factory=dict)
    #: The name of the calendar its time runs on (None: the office's).
    calendar: str | None = None
    service: ServiceDef | None = None
    _incoming: dict[int, tuple[int, ...]] = field(default_factory=dict, repr=False)
    _order: dict[int, int] = field(default_factory=dict, repr=False)
    _names: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        incoming: dict[int, list[int]] = {n: [] for n in self.steps}
        for step in self.steps.values():
            for target in step.targets:
                incoming[target].append(step.number)
        self._incoming.update({n: tuple(v) for n, v in incoming.items()})
        self._order.update({n: i for i, n in enumerate(self.steps)})
        for step in self.steps.values():
            self._names[step.name.casefold()] = step.number
            if step.id:
                self._names.setdefault(step.id.casefold(), step.number)

    @property
    def starts(self) -> tuple[int, ...]:
        return tuple(s.number for s in self.steps.values() if s.kind == "start")

    def step(self, number: int) -> StepDef:
        return self.steps[number]

    def calendar_of(self, number: int | None) -> str | None:
        """The calendar name symbol ``number`` runs on (None: the office's)."""
        if number is not None and self.steps[number].calendar:
            return self.steps[number].calendar
        return self.calendar

    def calendar_names(self) -> set[str]:
        """Every calendar the SOP names, for its symbols and its service limit."""
        names = {s.calendar for s in self.steps.values() if s.calendar}
        if self.calendar:
            names.add(self.calendar)
        if self.service is not None and self.service.calendar:
            names.add(self.service.calendar)
        return names

    def label(self, number: int) -> str:
        """How a symbol is shown and typed: "5", "5b"."""
        return self.steps[number].name

    def resolve(self, name: int | str) -> int | None:
        """The symbol a person names: by its name ("5b"), its id, or a row's No when the row
        has one symbol; None when there is none such (see :meth:`row_symbols` for a row's)."""
        return self._names.get(str(name).strip().casefold())

    def row_symbols(self, no: int | str) -> tuple[int, ...]:
        """The symbols of the row printed with No ``no`` (none if there is no such row)."""
        wanted = _number(str(no).strip())
        if wanted is None:
            return ()
        return next((r.symbols for r in self.rows if r.no == wanted), ())

    def row_of(self, number: int) -> RowDef:
        wanted = self.steps[number].row
        return next(r for r in self.rows if r.no == wanted)

    def lane(self, lane_id: str) -> LaneDef:
        return next(lane for lane in self.lanes if lane.id == lane_id)

    def position(self, number: int) -> int:
        """The place of a symbol in the document's order (0 = top): a flow to a symbol at or
        above its own is a loop back, whatever the numbers say."""
        return self._order[number]

    def is_loop(self, source: int, target: int) -> bool:
        return self._order[target] <= self._order[source]

    def incoming(self, number: int) -> tuple[int, ...]:
        return self._incoming[number]

    def forward_incoming(self, number: int) -> tuple[int, ...]:
        """Flows into a step from rows above it; a join waits for all of these."""
        row = self.position(number)
        return tuple(n for n in self._incoming[number] if self.position(n) < row)

    def main_path(self) -> list[int]:
        """Steps on the path that takes the first branch of every decision,
        all branches of a parallel split, from the first start step; each once."""
        if not self.starts:
            return []
        seen: list[int] = []
        todo = [self.starts[0]]
        while todo:
            number = todo.pop(0)
            if number in seen:
                continue
            seen.append(number)
            step = self.steps[number]
            if step.kind == "decision":
                todo.extend(b.to for b in step.branches[:1])
            else:
                todo.extend(step.next)
        return seen

    def cell_limit(self, number: int) -> Duration | None:
        """The limit of the Waktu cell a symbol's row is in: its row's, or that of the row whose
        cell spans its row."""
        return self.steps[self.steps[number].cell].limit

    def continues_cell(self, number: int, source: int | None) -> bool:
        """Whether a flow from ``source`` to ``number`` goes on with one run through a time
        cell: both are in the same cell (a hand-over inside a row, a process and its decision,
        rows under one merged Waktu cell) and ``source`` comes first. A loop back inside the
        cell does not: the cell did not start again for it, so it gets the time anew."""
        if source is None or source not in self.steps:
            return False
        return self.steps[source].cell == self.steps[number].cell and self.position(source) < self.position(
            number
        )

    def cell_rows(self, number: int) -> tuple[int, int]:
        """The printed Nos of the first and last row of a symbol's time cell."""
        first = self.row_of(self.steps[number].cell)
        index = self.rows.index(first)
        return first.no, self.rows[min(len(self.rows), index + first.time_covers) - 1].no

    def limit_text(self, number: int, *, unbounded: bool = False) -> str | None:
        """The time limit a pass of symbol ``number`` is held to, as written: its row's, or,
        when its row is under a Waktu cell that spans rows, that cell's, with the rows it
        spans ("30 Menit (6-7)": rows 6 and 7 share one deadline); the cell's first row shows
        the time alone, as printed. ``unbounded``: without a bound before it ("1 bulan" for
        "kurang dari 1 bulan"), for a sign that says it."""
        limit = self.cell_limit(number)
        if limit is None:
            return None
        text = limit.unbounded_text if unbounded else limit.text
        first, last = self.cell_rows(number)
        own_row = self.steps[number].row == first
        return text if own_row else f"{text} ({first}-{last})"

    def total_text(self, lang: str) -> str | None:
        """TOTAL WAKTU as printed: as the SOP states it (it was checked to equal the main
        path's sum), else that sum, in ``lang``; None when the document states none."""
        if self.no_total:
            return None
        if self.total_stated and lang == self.language:
            return self.total_stated
        return self.main_path_total().format(lang, elapsed=self.clock == "elapsed")

    def main_path_total(self) -> TotalTime:
        """The sum of the Waktu cells the main path runs through, each once."""
        cells = dict.fromkeys(self.steps[n].cell for n in self.main_path())
        return TotalTime.of([self.steps[c].limit for c in cells])

    def path_total(self, runs: Iterable[tuple[int, bool]]) -> TotalTime:
        """The standard of the path a case took: the Waktu of every cell it ran, once per run
        through it. ``runs`` are (symbol, timed) pairs, ``timed`` when that pass got a
        deadline of its own (it entered its cell), as recorded."""
        return TotalTime.of([self.cell_limit(n) for n, timed in runs if timed])

    @classmethod
    def from_definition(cls, data: Mapping[str, Any]) -> Procedure:
        """The flow of a valid SOP's JSON form, of either format version."""
        from sopctl.sop.compile import compile_definition

        return compile_definition(data)


def resolve_ref(value: int | str, numbers: Iterable[int], by_id: Mapping[str, int]) -> int | None:
    """A step reference (number, digits as text, or id) to a step number, if it exists."""
    numbers = set(numbers)
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value in numbers else None
    text = str(value).strip()
    if text.isascii() and text.isdigit():
        number = _number(text)
        return number if number in numbers else None
    return by_id.get(text)


def _number(text: str) -> int | None:
    """``text`` as a row or step number, when it is written as one: ASCII digits ("²" is a
    digit to str.isdigit, but not to int()), and not more of them than a number that fits the
    store (rows run to 9999; int() refuses more than 4,300 digits, a --step of 5,000 crashed)."""
    if text.isascii() and text.isdigit() and len(text.lstrip("0")) <= 18:
        return int(text)
    return None


def initials(text: str) -> str:
    """ "Kasubag Umpeg" -> "KU"; a one-word name keeps its first three letters."""
    words = [w for w in re.split(r"[\s/.,()-]+", text) if w]
    if len(words) == 1:
        return words[0][:3].upper()
    return "".join(w[0] for w in words if w[0].isalnum()).upper()[:6]
