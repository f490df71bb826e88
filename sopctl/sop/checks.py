"""Rules an SOP must follow beyond the types of its fields.

Each finding is a path into the YAML document and a message saying what is
wrong and how to fix it; ``sopctl.sop.loader`` turns the path into ``file:line:col``.
"""

from __future__ import annotations

import difflib
import re
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from sopctl.sop.durations import parse_total
from sopctl.sop.model import Sop
from sopctl.sop.model2 import AnySop
from sopctl.sop.procedure import Procedure, resolve_ref

_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")


class Finding(NamedTuple):
    path: tuple[str | int, ...]
    message: str


def check_sop(sop: AnySop) -> list[Finding]:
    """Every rule of one SOP; graph rules run only once references resolve."""
    if isinstance(sop, Sop):
        findings = _check_references(sop)
    else:
        from sopctl.sop.checks2 import check_rows

        findings = check_rows(sop)
    if not findings:
        flow = Procedure.from_definition(sop.model_dump(mode="json", by_alias=True))
        findings = _check_graph(sop, flow, Places(sop, flow))
    return findings


class Places:
    """Where a symbol is in the file and what messages call it: "step 5" at ``steps[4]`` in
    format 1, "symbol 5b" at ``rows[4].symbols[1]`` in format 2."""

    def __init__(self, sop: AnySop, flow: Procedure) -> None:
        self.v1 = isinstance(sop, Sop)
        self.flow = flow
        self._paths: dict[int, tuple[str | int, ...]] = {}
        if self.v1:
            self._paths = {n: ("steps", i) for i, n in enumerate(flow.steps)}
        else:
            for r, row in enumerate(flow.rows):
                for k, number in enumerate(row.symbols):
                    self._paths[number] = ("rows", r, "symbols", k)

    def path(self, number: int) -> tuple[str | int, ...]:
        return self._paths[number]

    def called(self, number: int) -> str:
        return f"step {number}" if self.v1 else f"symbol {self.flow.label(number)}"

    @property
    def word(self) -> str:
        return "step" if self.v1 else "symbol"


def suggest(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def twice_labelled(branches: Sequence[Any], where: tuple[str | int, ...]) -> list[Finding]:
    """A branch label a decision uses twice (whatever the case): which one would be taken?"""
    found: list[Finding] = []
    labels: list[str] = []
    for j, branch in enumerate(branches):
        if branch.label.casefold() in labels:
            found.append(
                Finding(
                    (*where, "branches", j, "label"),
                    f'the branch label "{branch.label}" is used twice in this decision',
                )
            )
        labels.append(branch.label.casefold())
    return found


def check_lanes(sop: AnySop) -> list[Finding]:
    """The instance prefix, and lane ids used once."""
    found: list[Finding] = []
    if not _CODE.match(sop.instance_code):
        found.append(
            Finding(
                ("id",),
                f'cannot make an instance prefix from the id "{sop.id}": '
                "add `code:` with 2-8 capital letters, e.g. `code: PDK`",
            )
        )
    lane_ids = [lane.id for lane in sop.lanes]
    for index, lane in enumerate(sop.lanes):
        if lane.id in lane_ids[:index]:
            found.append(Finding(("lanes", index, "id"), f'the lane id "{lane.id}" is used twice'))
    return found


def check_time_cells(rows: Sequence[Any], key: str, called: Callable[[Any], str]) -> list[Finding]:
    """A Waktu cell that spans rows: enough rows below it, a time, and no time of their own."""
    found: list[Finding] = []
    for index, row in enumerate(rows):
        if row.time_covers <= 1:
            continue
        where = (key, index, "time_covers")
        covered = rows[index + 1 : index + row.time_covers]
        if len(covered) < row.time_covers - 1:
            left = len(covered) + 1
            found.append(
                Finding(
                    where,
                    f"the time cell cannot span {row.time_covers} rows: "
                    f"{'only this row is' if left == 1 else f'only {left} rows are'} left",
                )
            )
        if row.time is None:
            found.append(Finding(where, "a time cell that spans rows needs a time"))
        for other in covered:
            if other.time is not None:
                found.append(
                    Finding(
                        where,
                        f"{called(other)} is inside this time cell "
                        f'but has its own time "{other.time}": remove one of them',
                    )
                )
    return found


def _check_references(sop: Sop) -> list[Finding]:
    found: list[Finding] = check_lanes(sop)
    lane_ids = [lane.id for lane in sop.lanes]
    lane_list = ", ".join(dict.fromkeys(lane_ids))

    numbers = [s.step for s in sop.steps]
    by_id: dict[str, int] = {}
    for index, step in enumerate(sop.steps):
        where = ("steps", index)
        if step.step in numbers[:index]:
            found.append(
                Finding((*where, "step"), f"step number {step.step} is used twice: number each row once")
            )
        if step.id:
            if step.id in by_id:
                found.append(Finding((*where, "id"), f'the step id "{step.id}" is used twice'))
            elif step.id.isdigit():
                # A reference in digits means a step number (resolve_ref), so this id
                # could never be used, and "2" would quietly lead to the row numbered 2.
                found.append(
                    Finding(
                        (*where, "id"),
                        f'the step id "{step.id}" is only digits, which reads as a step number: '
                        'use a name such as "periksa-berkas"',
                    )
                )
            by_id[step.id] = step.step
        for j, lane_id in enumerate(step.lanes):
            if lane_id not in lane_ids:
                found.append(
                    Finding(
                        (*where, "lanes", j),
                        f'unknown lane "{lane_id}"{suggest(lane_id, lane_ids)}; the lanes are: {lane_list}',
                    )
                )
        if len(set(step.lanes)) != len(step.lanes):
            found.append(Finding((*where, "lanes"), "a lane is listed twice"))

    for index, step in enumerate(sop.steps):
        where = ("steps", index)
        found.extend(_check_kind(sop, index, step.kind, where))
        for j, ref in enumerate(step.next_refs):
            if resolve_ref(ref, numbers, by_id) is None:
                path = (*where, "next", j) if isinstance(step.next, list) else (*where, "next")
                found.append(Finding(path, f'"next" names step {ref!r}, which does not exist'))
        found += twice_labelled(step.branches, where)
        for j, branch in enumerate(step.branches):
            if resolve_ref(branch.to, numbers, by_id) is None:
                found.append(
                    Finding(
                        (*where, "branches", j, "to"),
                        f'branch "{branch.label}" goes to step {branch.to!r}, which does not exist',
                    )
                )
    found += check_time_cells(sop.steps, "steps", lambda other: f"step {other.step}")
    if not any(s.kind == "start" for s in sop.steps):
        found.append(
            Finding(("steps", 0, "kind"), "no step is `kind: start`: mark the first step(s) as start")
        )
    if not any(s.kind == "end" for s in sop.steps):
        found.append(
            Finding(
                ("steps", len(sop.steps) - 1, "kind"), "no step is `kind: end`: mark the last step(s) as end"
            )
        )
    return found


def _check_kind(sop: Sop, index: int, kind: str, where: tuple[str | int, ...]) -> list[Finding]:
    step = sop.steps[index]
    found: list[Finding] = []
    if kind == "decision":
        if len(step.branches) < 2:
            found.append(
                Finding(
                    (*where, "branches"),
                    f"decision step {step.step} needs at least 2 branches "
                    "(e.g. Ya and Tidak), each with `label` and `to`",
                )
            )
        if step.next is not None:
            found.append(
                Finding(
                    (*where, "next"),
                    "a decision continues through its branches, not `next`: move this target into a branch",
                )
            )
    elif step.branches:
        found.append(
            Finding(
                (*where, "branches"),
                f"only a decision has branches: make step {step.step} "
                "`kind: decision` or remove its branches",
            )
        )
    if kind == "end" and step.next is not None:
        found.append(Finding((*where, "next"), "an end step has no next step"))
    if kind in ("start", "process") and step.next is None and index == len(sop.steps) - 1:
        found.append(
            Finding(
                (*where, "kind"),
                f"step {step.step} is the last row but not an end: make it `kind: end` or give it `next`",
            )
        )
    return found


def _check_graph(sop: AnySop, flow: Procedure, at: Places) -> list[Finding]:
    found: list[Finding] = []
    word = at.word
    reached = _reach(flow.starts, lambda n: flow.steps[n].targets)
    for number in flow.steps:
        if number not in reached:
            found.append(
                Finding(
                    at.path(number),
                    f"{at.called(number)} cannot be reached from any start "
                    f"{word}: point a `next` or a branch at it, or remove it",
                )
            )
    ends = [n for n, s in flow.steps.items() if s.kind == "end"]
    finishing = _reach(ends, flow.incoming)
    for number in flow.steps:
        if number in reached and number not in finishing:
            found.append(
                Finding(
                    at.path(number),
                    f"from {at.called(number)} no end {word} can be reached "
                    "(a loop with no way out): give the loop an exit towards an end",
                )
            )
    for number, step in flow.steps.items():
        if step.join and len(flow.forward_incoming(number)) < 2:
            found.append(
                Finding(
                    (*at.path(number), "join"),
                    f"{at.called(number)} is a join but only "
                    f"{len(flow.forward_incoming(number))} flow(s) from earlier {word}s arrive: "
                    "a join waits for 2 or more (after a parallel split)",
                )
            )
        elif step.join and (stuck := _alternative_flows(flow, number)):
            decision, label, missing = stuck
            found.append(
                Finding(
                    (*at.path(number), "join"),
                    f'{at.called(number)} is a join, but when decision {flow.label(decision)} goes "{label}" '
                    f"no flow from {at.called(missing)} arrives, so it would never open: a join is for the "
                    "branches of a parallel split (`next: [a, b]`), not the branches of a decision",
                )
            )
    for split, meet in _unjoined_meetings(flow):
        what = (
            f"the parallel branches from {at.called(split)}"
            if split
            else f"the start {word}s, which open together (`starts: together`),"
        )
        found.append(
            Finding(
                at.path(meet),
                f"{what} meet again at {at.called(meet)}, which is not a "
                f"join: it would run once for each branch; add `join: true` to {at.called(meet)}",
            )
        )
    stated = sop.total_time
    if stated is not None and stated != "none":
        path = flow.main_path()
        total = flow.main_path_total()
        stated_total = parse_total(stated)
        # "251 Hari Kerja" for a sum of ranges: the limit alone, as documents state it.
        if stated_total is None or not total.agrees(stated_total):
            found.append(
                Finding(
                    ("total_time",),
                    f'the stated total "{stated}" differs from the sum '
                    f"along the main path, {total.format(sop.language, elapsed=sop.clock == 'elapsed')} "
                    f"({word}s {', '.join(flow.label(n) for n in path)}; the first branch of each decision)",
                )
            )
    return found


def _unjoined_meetings(flow: Procedure) -> list[tuple[int, int]]:
    """(split, step) for each step where the branches of a parallel split first come together
    without ``join: true``; split 0 stands for start steps that open together. Only flows
    down the rows are followed: a correction loop back up is not a meeting of branches."""
    row = {number: index for index, number in enumerate(flow.steps)}

    def below(start: int) -> set[int]:
        seen, todo = {start}, [start]
        while todo:
            for target in flow.steps[todo.pop()].targets:
                if row[target] > row[start] and target not in seen:
                    seen.add(target)
                    todo.append(target)
        return seen

    found = []
    splits = [(n, s.next) for n, s in flow.steps.items() if s.kind != "decision" and len(s.next) >= 2]
    if flow.format >= 2 and flow.starts_mode == "together" and len(flow.starts) > 1:
        # 0: the instance's start opens them all. Format 1 said nothing about its starts, and
        # its files keep loading as they did.
        splits.insert(0, (0, flow.starts))
    for number, nexts in splits:
        reached = [below(branch) for branch in nexts]
        shared = {n for i, a in enumerate(reached) for b in reached[i + 1 :] for n in a & b}
        # Where they first meet: a shared step that a flow from outside the shared part enters.
        first = sorted(
            (
                n
                for n in shared
                if any(p not in shared and any(p in r for r in reached) for p in flow.incoming(n))
            ),
            key=row.__getitem__,
        )
        found += [(number, meet) for meet in first[:1] if not flow.steps[meet].join]
    return found


def _alternative_flows(flow: Procedure, join: int) -> tuple[int, str, int] | None:
    """A decision above ``join`` with a branch that reaches it while one of the
    flows it waits for cannot come: (decision, branch label, missing step).

    A join waits for every flow from the rows above it. If two of those flows are
    alternatives (different branches of one decision), only one ever arrives.
    Only forward flows (down the table) are followed, so correction loops do not
    count as a way round; a waited-for step that can be reached from a start
    without passing the decision does not depend on its choice.
    """
    row = {number: i for i, number in enumerate(flow.steps)}

    def down_avoiding(decision: int) -> Callable[[int], list[int]]:
        """Forward flows, stopping at the join and never through ``decision``."""

        def targets(number: int) -> list[int]:
            if number == join:
                return []
            return [t for t in flow.steps[number].targets if row[t] > row[number] and t != decision]

        return targets

    waits = set(flow.forward_incoming(join))
    for decision, step in flow.steps.items():
        if step.kind != "decision" or row[decision] > row[join]:
            continue
        down = down_avoiding(decision)
        free = _reach([s for s in flow.starts if s != decision], down)
        for branch in step.branches:
            reached = _reach([branch.to], down)
            if join not in reached:
                continue
            arrived = {p for p in waits if p in reached} | ({decision} if branch.to == join else set())
            missing = sorted(p for p in waits - arrived if p not in free)
            if missing:
                return decision, branch.label, missing[0]
    return None


def _reach(seeds: Iterable[int], neighbours: Callable[[int], Iterable[int]]) -> set[int]:
    seen = set(seeds)
    queue = deque(seen)
    while queue:
        for other in neighbours(queue.popleft()):
            if other not in seen:
                seen.add(other)
                queue.append(other)
    return seen
