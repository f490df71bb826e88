"""The flowchart of an SOP laid out on the swimlane grid, for any renderer.

Pure geometry, no output: each step becomes a :class:`Node` in its row and
lane(s), each flow an :class:`Edge` routed as a polyline of grid points. The
terminal canvas (``canvas.py``) and the printable SVG (``svg.py``) map the same
points to characters or millimetres, so both show the same drawing.

A chart row holds one symbol. A printed row of format 2 with several symbols
(``5a``, ``5b``) becomes as many chart rows, one under the other inside the
printed row, in the document's order (:attr:`Chart.table_rows` groups them):
so no two symbols of a row meet on one line, a process and its decision in one
lane are both seen, and every flow is routed as between rows. In format 1 a
chart row is a printed row.

A symbol's ``timeout`` (the flow it takes by itself after a time) is drawn as one more
flow, labelled with that time ("> 3 hari"), routed as any other.

Coordinates: ``x`` is a track (``0 .. lanes-1`` are lane centres; tracks left of
0 and right of the last lane are gutters for flows that cannot go straight
down). ``y = 4 * row + slot``: slot 0 is the rule above the row, 1 the
symbol's top, 2 its middle, 3 its bottom; the gap from 3 to the next row's 0
is the row's tail, which stretches with the row's text.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sopctl.sop.procedure import Procedure

TOP, MID, BOTTOM = 1, 2, 3
KINDS = {"start": "terminator", "end": "terminator", "process": "process", "decision": "decision"}


@dataclass(frozen=True)
class Node:
    """One symbol: its chart row and the lane span it covers."""

    step: int
    row: int
    kind: str  # terminator | process | decision
    lanes: tuple[int, ...]
    #: What the symbol is labelled with: its name ("5", "5b"), never its internal number.
    name: str = ""
    #: The text drawn inside it ("R/T", "Via Email"), where there is room.
    text: str = ""

    @property
    def lo(self) -> int:
        return min(self.lanes)

    @property
    def hi(self) -> int:
        return max(self.lanes)

    def covers(self, x: int) -> bool:
        return self.lo <= x <= self.hi


@dataclass(frozen=True)
class Edge:
    """A flow from one step to another, as grid points from source to target."""

    source: int
    target: int
    label: str | None
    #: True when the flow goes back up (a correction loop).
    back: bool
    points: tuple[tuple[int, int], ...]
    #: Where the label may be written: (x, y) of the first bend, and the direction.
    label_at: tuple[int, int, str] | None = None
    #: The flow a symbol takes by itself when its time has passed (``timeout``).
    timeout: bool = False

    @property
    def heading(self) -> str:
        """Which way the flow enters its target: down, left or right."""
        (x1, _), (x2, _) = self.points[-2], self.points[-1]
        if x1 == x2:
            return "down"
        return "left" if x2 < x1 else "right"


@dataclass
class Chart:
    lanes: int
    nodes: dict[int, Node]
    edges: list[Edge] = field(default_factory=list)
    #: Gutter tracks used on each side (x = -1 .. -left and lanes .. lanes+right-1).
    left: int = 0
    right: int = 0
    #: Gutter tracks taken while routing: (side, track, top row, bottom row).
    claimed: list[tuple[str, int, int, int]] = field(default_factory=list, repr=False)
    #: The chart rows of each printed row, top to bottom (one each in format 1).
    table_rows: list[tuple[int, ...]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.nodes)

    def node_at(self, row: int) -> Node:
        """The symbol of a chart row."""
        return next(n for n in self.nodes.values() if n.row == row)

    def table_row_of(self, row: int) -> int:
        """The printed row (its index) a chart row is drawn in."""
        return next(i for i, rows in enumerate(self.table_rows) if row in rows)

    def tracks(self) -> range:
        return range(-self.left, self.lanes + self.right)


def layout(flow: Procedure) -> Chart:
    """Place every step and route every flow of ``flow``."""
    lane_index = {lane.id: i for i, lane in enumerate(flow.lanes)}
    nodes = {
        step.number: Node(
            step.number,
            flow.position(step.number),
            KINDS[step.kind],
            tuple(lane_index[x] for x in step.lanes),
            step.name,
            step.text,
        )
        for step in flow.steps.values()
    }
    groups = [tuple(flow.position(n) for n in row.symbols) for row in flow.rows]
    chart = Chart(len(flow.lanes), nodes, table_rows=groups or [(node.row,) for node in nodes.values()])
    ports: set[tuple[int, str, int]] = set()  # (step, side, y-slot) already used
    pending: list[tuple[int, int, str | None]] = []
    timeouts: set[tuple[int, int]] = set()
    for step in flow.steps.values():
        flows: list[tuple[int, str | None]] = (
            [(b.to, b.label) for b in step.branches]
            if step.kind == "decision"
            else [(n, None) for n in step.next]
        )
        if step.timeout is not None and all(step.timeout.to != target for target, _ in flows):
            # The flow taken by itself when the time has passed, labelled with that time.
            flows.append((step.timeout.to, timeout_label(step.timeout.after.text)))
            timeouts.add((step.number, step.timeout.to))
        for target, label in flows:
            # A flow to a symbol at or above its own goes back up, whatever the numbers say.
            loop = flow.is_loop(step.number, target)
            edge = None if loop else _straight(chart, nodes[step.number], nodes[target], label, ports)
            if edge is None:
                pending.append((step.number, target, label))
            else:
                chart.edges.append(edge)
    for source, target, label in sorted(pending, key=lambda p: abs(nodes[p[0]].row - nodes[p[1]].row)):
        back = flow.is_loop(source, target)
        chart.edges.append(_around(chart, nodes[source], nodes[target], label, ports, back))
    if timeouts:
        chart.edges = [replace(e, timeout=(e.source, e.target) in timeouts) for e in chart.edges]
    return chart


def timeout_label(after: str) -> str:
    """The label of a timeout's flow: "> 3 hari", the time as the SOP writes it."""
    return f"> {after}"


def _straight(
    chart: Chart, source: Node, target: Node, label: str | None, ports: set[tuple[int, str, int]]
) -> Edge | None:
    """A flow down to a later row, when nothing stands in its way; else None."""
    if target.row <= source.row:
        return None
    points: tuple[tuple[int, int], ...]
    if source.lo <= target.hi and target.lo <= source.hi:  # spans overlap: straight down
        x = max(source.lo, target.lo)
        points = ((x, 4 * source.row + BOTTOM), (x, 4 * target.row + TOP))
        label_at = (x, 4 * source.row + BOTTOM, "down")
    else:
        x = target.lo if target.lo > source.hi else target.hi
        side = "R" if x > source.hi else "L"
        start = source.hi if side == "R" else source.lo
        y = 4 * source.row + MID
        points = ((start, y), (x, y), (x, 4 * target.row + TOP))
        label_at = (start, y, side)
        ports.add((source.step, side, MID))
    between = [n for n in chart.nodes.values() if source.row < n.row < target.row]
    if any(n.covers(x) for n in between):
        ports.discard((source.step, "R" if x > source.hi else "L", MID))
        return None
    return Edge(source.step, target.step, label, False, points, label_at)


def _around(
    chart: Chart,
    source: Node,
    target: Node,
    label: str | None,
    ports: set[tuple[int, str, int]],
    back: bool,
) -> Edge:
    """A loop back up (or a blocked jump down) through a gutter beside the lanes."""
    side = "R"
    if (source.step, "R", MID) in ports and (source.step, "L", MID) not in ports:
        side = "L"
    out_slot = MID if (source.step, side, MID) not in ports else BOTTOM
    in_slot = MID if (target.step, side, MID) not in ports else TOP
    ports.update({(source.step, side, out_slot), (target.step, side, in_slot)})
    top, bottom = sorted((source.row, target.row))
    track = _free_track(chart, side, top, bottom)
    if side == "R":
        chart.right = max(chart.right, track + 1)
        gx, sx, tx = chart.lanes + track, source.hi, target.hi
    else:
        chart.left = max(chart.left, track + 1)
        gx, sx, tx = -1 - track, source.lo, target.lo
    ys, yt = 4 * source.row + out_slot, 4 * target.row + in_slot
    points = ((sx, ys), (gx, ys), (gx, yt), (tx, yt))
    edge = Edge(source.step, target.step, label, back, points, (sx, ys, side))
    chart.claimed.append((side, track, top, bottom))
    return edge


def _free_track(chart: Chart, side: str, top: int, bottom: int) -> int:
    track = 0
    while any(s == side and t == track and a <= bottom and top <= b for s, t, a, b in chart.claimed):
        track += 1
    return track
