"""The flowchart of an SOP as a plain, immutable graph: what the engine runs.

Built from an SOP's JSON form (``Sop.model_dump(mode="json")``, which is also
what the store pins), without pydantic, so commands that only move an instance
forward start fast. The definition must already be valid (``sopctl.sop.checks``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sopctl.sop.durations import Duration, TotalTime, parse_duration, parse_total


@dataclass(frozen=True, slots=True)
class Branch:
    """One way out of a decision: its label ("Ya", "Tidak") and the step it leads to."""

    label: str
    to: int


@dataclass(frozen=True, slots=True)
class StepDef:
    """A step as the engine runs it: who does it, its limit, and where the flow goes next."""

    number: int
    kind: str  # start | process | decision | end
    activity: str
    lanes: tuple[str, ...]
    limit: Duration | None
    #: The step whose Waktu cell spans this row as well (its deadline applies here).
    covered_by: int | None
    next: tuple[int, ...]
    join: bool
    branches: tuple[Branch, ...]
    requirements: tuple[str, ...] = ()
    output: str = ""
    remarks: str = ""

    @property
    def targets(self) -> tuple[int, ...]:
        if self.kind == "decision":
            return tuple(b.to for b in self.branches)
        return self.next

    def branch(self, label: str) -> Branch | None:
        wanted = label.casefold().strip()
        return next((b for b in self.branches if b.label.casefold() == wanted), None)


@dataclass(frozen=True, slots=True)
class LaneDef:
    """A swimlane: a role (Pelaksana) with its full and short names."""

    id: str
    name: str
    short: str
    external: bool = False


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
    _incoming: dict[int, tuple[int, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        incoming: dict[int, list[int]] = {n: [] for n in self.steps}
        for step in self.steps.values():
            for target in step.targets:
                incoming[target].append(step.number)
        self._incoming.update({n: tuple(v) for n, v in incoming.items()})

    @property
    def starts(self) -> tuple[int, ...]:
        return tuple(s.number for s in self.steps.values() if s.kind == "start")

    def step(self, number: int) -> StepDef:
        return self.steps[number]

    def lane(self, lane_id: str) -> LaneDef:
        return next(lane for lane in self.lanes if lane.id == lane_id)

    def position(self, number: int) -> int:
        """The row index of a step (0 = top)."""
        return list(self.steps).index(number)

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
        """The limit of the Waktu cell a step's row is in: its own, or that of the step whose
        cell spans its row."""
        step = self.steps[number]
        return step.limit if step.covered_by is None else self.steps[step.covered_by].limit

    def continues_cell(self, number: int, source: int | None) -> bool:
        """Whether a flow from ``source`` into the row of ``number``, inside another step's
        time cell, goes on with one run through that cell: it comes from a row of the same
        cell above it. A loop back into the row from below (or from outside the cell) does
        not: the cell's first row did not run again for it."""
        owner = self.steps[number].covered_by
        if owner is None or source is None or source not in self.steps:
            return False
        in_cell = source == owner or self.steps[source].covered_by == owner
        return in_cell and self.position(source) < self.position(number)

    def limit_text(self, number: int) -> str | None:
        """The time limit a pass of step ``number`` is held to, as written: its own, or, when
        its row is inside another step's time cell, that cell's, with the rows it spans
        ("30 Menit (6-7)": steps 6 and 7 share one deadline)."""
        step = self.steps[number]
        if step.covered_by is None:
            return step.limit.text if step.limit else None
        owner = self.steps[step.covered_by]
        if owner.limit is None:
            return None
        last = [n for n, s in self.steps.items() if s.covered_by == owner.number][-1]
        return f"{owner.limit.text} ({owner.number}-{last})"

    def total_text(self, lang: str) -> str:
        """TOTAL WAKTU as printed: as the SOP states it (it was checked to equal the main
        path's sum), else that sum, in ``lang``."""
        if self.total_stated and lang == self.language:
            return self.total_stated
        return self.main_path_total().format(lang, elapsed=self.clock == "elapsed")

    def main_path_total(self) -> TotalTime:
        return TotalTime.of([self.steps[n].limit for n in self.main_path()])

    @classmethod
    def from_definition(cls, data: Mapping[str, Any]) -> Procedure:
        rows: list[Mapping[str, Any]] = data["steps"]
        numbers = [int(r["step"]) for r in rows]
        by_id = {r["id"]: int(r["step"]) for r in rows if r.get("id")}

        def ref(value: int | str) -> int:
            return resolve_ref(value, numbers, by_id)  # type: ignore[return-value]

        covered_by: dict[int, int] = {}
        for row_index, row in enumerate(rows):
            for covered in numbers[row_index + 1 : row_index + int(row.get("time_covers", 1))]:
                covered_by[covered] = numbers[row_index]

        steps: dict[int, StepDef] = {}
        for row_index, row in enumerate(rows):
            number = numbers[row_index]
            kind = row.get("kind", "process")
            raw_next = row.get("next")
            if kind in ("decision", "end"):
                nexts: tuple[int, ...] = ()
            elif raw_next is None:
                nexts = (numbers[row_index + 1],)
            else:
                nexts = tuple(ref(r) for r in (raw_next if isinstance(raw_next, list) else [raw_next]))
            steps[number] = StepDef(
                number=number,
                kind=kind,
                activity=row["activity"],
                lanes=tuple(row["lanes"]),
                limit=parse_duration(row.get("time") or "-"),
                covered_by=covered_by.get(number),
                next=nexts,
                join=bool(row.get("join", False)),
                branches=tuple(Branch(b["label"], ref(b["to"])) for b in row.get("branches", ())),
                requirements=tuple(row.get("requirements", ())),
                output=row.get("output", ""),
                remarks=row.get("remarks", ""),
            )
        lanes = tuple(
            LaneDef(
                lane["id"],
                lane["name"],
                lane.get("short") or initials(lane["name"]),
                bool(lane.get("external", False)),
            )
            for lane in data["lanes"]
        )
        return cls(
            id=data["id"],
            code=data.get("code") or initials(data["id"].replace("-", " ")),
            name=data["name"],
            language=data.get("language", "id"),
            timezone=data.get("timezone", "Asia/Jakarta"),
            clock=data.get("clock", "working"),
            lanes=lanes,
            steps=steps,
            total_time=parse_total(data.get("total_time") or "-"),
            total_stated=data.get("total_time") if data.get("total_time") not in (None, "-") else None,
        )


def resolve_ref(value: int | str, numbers: Iterable[int], by_id: Mapping[str, int]) -> int | None:
    """A step reference (number, digits as text, or id) to a step number, if it exists."""
    numbers = set(numbers)
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value in numbers else None
    text = str(value).strip()
    if text.isascii() and text.isdigit():  # "²" is a digit to str.isdigit, but not to int()
        return int(text) if int(text) in numbers else None
    return by_id.get(text)


def initials(text: str) -> str:
    """ "Kasubag Umpeg" -> "KU"; a one-word name keeps its first three letters."""
    words = [w for w in re.split(r"[\s/.,()-]+", text) if w]
    if len(words) == 1:
        return words[0][:3].upper()
    return "".join(w[0] for w in words if w[0].isalnum()).upper()[:6]
