"""The swimlane drawing in characters: symbols in lane columns, connectors between them.

Draws a :class:`~sopctl.render.chart.Chart` onto a grid of character cells.
Lines are kept as sets of directions per cell (north, east, south, west) and
turned into box-drawing characters at the end, so corners, junctions and
crossings come out right wherever two flows meet. ``Glyphs.ascii`` gives the
same drawing for terminals without Unicode box drawing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sopctl.render.cells import Cell, columns
from sopctl.render.chart import BOTTOM, MID, TOP, Chart, Edge, Node
from sopctl.render.text import inert

N, E, S, W = 1, 2, 4, 8


@dataclass(frozen=True)
class Glyphs:
    lines: dict[int, str]
    arrows: dict[str, str]
    #: Per symbol kind: (top-left, top, top-right, left, right, bottom-left, bottom, bottom-right).
    symbols: dict[str, tuple[str, ...]]
    rule: str
    loop: str
    branch: str

    @classmethod
    def unicode(cls) -> Glyphs:
        return cls(
            lines={
                N | S: "│",
                N: "│",
                S: "│",
                E | W: "─",
                E: "─",
                W: "─",
                S | E: "┌",
                S | W: "┐",
                N | E: "└",
                N | W: "┘",
                N | S | E: "├",
                N | S | W: "┤",
                E | W | S: "┬",
                E | W | N: "┴",
                N | E | S | W: "┼",
            },
            arrows={"down": "▼", "left": "◀", "right": "▶", "up": "▲"},
            symbols={
                "terminator": ("╭", "─", "╮", "(", ")", "╰", "─", "╯"),
                "process": ("┌", "─", "┐", "│", "│", "└", "─", "┘"),
                "decision": (" ", "╱", " ", "<", ">", " ", "╲", " "),
            },
            rule="─",
            loop="↺",
            branch="→",
        )

    @classmethod
    def ascii(cls) -> Glyphs:
        return cls(
            lines={
                k: ("|" if k in (N, S, N | S) else "-" if k in (E, W, E | W) else "+") for k in range(1, 16)
            },
            arrows={"down": "v", "left": "<", "right": ">", "up": "^"},
            symbols={
                "terminator": ("/", "-", "\\", "(", ")", "\\", "-", "/"),
                "process": ("+", "-", "+", "|", "|", "+", "-", "+"),
                "decision": (" ", "/", " ", "<", ">", " ", "\\", " "),
            },
            rule="-",
            loop="<-",
            branch="->",
        )


class Canvas:
    """The lane area of the flowchart table, row by row.

    ``heights[r]`` is the number of text lines of row ``r`` (at least 4: the
    symbol's three lines and one for a label); row ``r`` is preceded by its rule.
    """

    def __init__(self, chart: Chart, lane_width: int, heights: list[int], glyphs: Glyphs) -> None:
        self.chart, self.lane_width, self.glyphs = chart, lane_width, glyphs
        self.heights = heights
        self.width = (
            self._left_width() + chart.lanes * lane_width + (2 * chart.right + 1 if chart.right else 0)
        )
        self.starts: list[int] = []
        line = 0
        for h in heights:
            self.starts.append(line)
            line += 1 + h
        self.lines = line + 1  # and the rule under the last row
        self.bits = [[0] * self.width for _ in range(self.lines)]
        self.over: dict[tuple[int, int], Cell] = {}

    # -- geometry ------------------------------------------------------------------

    def _left_width(self) -> int:
        return 2 * self.chart.left + 1 if self.chart.left else 0

    def col(self, x: int) -> int:
        """The character column of track ``x``."""
        if x < 0:
            return self._left_width() - 2 * (-x)
        if x >= self.chart.lanes:
            return self._left_width() + self.chart.lanes * self.lane_width + 1 + 2 * (x - self.chart.lanes)
        return self._left_width() + x * self.lane_width + (self.lane_width - 1) // 2

    def line(self, y: int) -> int:
        row, slot = divmod(y, 4)
        if row >= len(self.starts):
            return self.lines - 1
        return self.starts[row] + slot

    def lane_span(self, lane: int) -> tuple[int, int]:
        start = self._left_width() + lane * self.lane_width
        return start, start + self.lane_width

    def extent(self, node: Node) -> tuple[int, int]:
        """First and last column of a node's symbol."""
        width = symbol_width(node.name)
        half = width // 2
        return self.col(node.lo) - half, self.col(node.hi) + (width - 1 - half)

    # -- drawing -------------------------------------------------------------------

    def draw(self, styles: dict[int, str] | None = None) -> None:
        styles = styles or {}
        for edge in self.chart.edges:
            for (x1, y1), (x2, y2) in zip(edge.points, edge.points[1:], strict=False):
                self._segment(x1, y1, x2, y2)
        for node in self.chart.nodes.values():
            self._stamp(node, styles.get(node.step, ""))
        for edge in self.chart.edges:
            self._arrow(edge)
            if edge.label:
                placed = self._label(edge.label, edge.label_at, self.chart.nodes[edge.source])
                if not placed and edge.timeout:
                    self._beside_gutter(edge)

    def _segment(self, x1: int, y1: int, x2: int, y2: int) -> None:
        if x1 == x2:
            c = self.col(x1)
            a, b = sorted((self.line(y1), self.line(y2)))
            for ln in range(a, b + 1):
                self.bits[ln][c] |= (N if ln > a else 0) | (S if ln < b else 0)
        else:
            ln = self.line(y1)
            a, b = sorted((self.col(x1), self.col(x2)))
            for c in range(a, b + 1):
                self.bits[ln][c] |= (W if c > a else 0) | (E if c < b else 0)

    def _stamp(self, node: Node, style: str) -> None:
        tl, t, tr, lft, rgt, bl, b, br = self.glyphs.symbols[node.kind]
        first, last = self.extent(node)
        top = self.starts[node.row] + TOP
        label = node.name
        inner = last - first - 1
        text = label.center(inner)
        if node.kind == "decision":
            # A diamond: the slopes meet above and below the number.
            width = last - first + 1
            top_row = " " + t + " " * (width - 4) + tr.replace(" ", self._mirror(t)) + " "
            bottom_row = " " + b + " " * (width - 4) + self._mirror(b) + " "
            rows = [top_row, lft + text + rgt, bottom_row]
        else:
            rows = [tl + t * inner + tr, lft + text + rgt, bl + b * inner + br]
        for dy, content in enumerate(rows):
            for dx, ch in enumerate(content):
                self.over[(top + dy, first + dx)] = (ch, style)
        if node.kind != "decision":
            self._joints(node, first, last, top, style)

    def _mirror(self, ch: str) -> str:
        return {"╱": "╲", "╲": "╱", "/": "\\", "\\": "/"}.get(ch, ch)

    def _joints(self, node: Node, first: int, last: int, top: int, style: str) -> None:
        """Where a line leaves the bottom of a box, the border shows the joint."""
        if self.glyphs.rule != "─":
            return
        for c in range(first + 1, last):
            if top + 3 < self.lines and self.bits[top + 3][c] & N:
                self.over[(top + 2, c)] = ("┬", style)
        for c, ln in ((first, top + 1), (last, top + 1)):
            side = self.bits[ln][c - 1] & E if c == first and c > 0 else 0
            if c == last and c + 1 < self.width:
                side = self.bits[ln][c + 1] & W
            if side and node.kind == "process":
                self.over[(ln, c)] = ("┤" if c == first else "├", style)

    def _arrow(self, edge: Edge) -> None:
        target = self.chart.nodes[edge.target]
        x, y = edge.points[-1]
        heading = edge.heading
        head = self.glyphs.arrows[heading]
        if heading == "down":
            self.over[(self.line(y) - 1, self.col(x))] = (head, "")
            return
        first, last = self.extent(target)
        ln = self.line(y)
        if target.kind == "decision" and y % 4 != MID:
            first, last = first + 1, last - 1  # the slope is inside the cell
        self.over[(ln, last + 1 if heading == "left" else first - 1)] = (head, "")

    def _label(self, text: str, where: tuple[int, int, str] | None, node: Node) -> bool:
        """Write a flow's label beside the symbol it leaves; False when there is no room."""
        if where is None:
            return False
        x, y, way = where
        first, last = self.extent(node)
        if way == "down":
            ln, c0 = self.line(y) + 1, self.col(x) + 1
            return self._write(ln, c0, text, forward=True)
        ln = self.line(y) - 1 if y % 4 == MID else self.line(y) + 1
        if way == "R":
            return self._write(ln, last + 1, text, forward=True)
        return self._write(ln, first - 1, text, forward=False)

    def _beside_gutter(self, edge: Edge) -> None:
        """A timeout's label where the flow runs down a gutter, when there was no room beside
        its symbol: just inside the lanes, below the bend (a timeout's label is the only
        thing that says the flow is one; a branch's is listed under the activity too)."""
        assert edge.label is not None
        if len(edge.points) < 3 or edge.points[1][0] != edge.points[2][0]:
            return
        (gx, gy), (_, ty) = edge.points[1], edge.points[2]
        if not (gx < 0 or gx >= self.chart.lanes) or ty <= gy:
            return
        forward = gx < 0  # a left gutter: the label reads on to its right, into the lanes
        c0 = self.col(gx) + 2 if forward else self.col(gx) - 2
        rules = set(self.starts)
        for ln in range(self.line(gy) + 1, self.line(ty)):
            if ln not in rules and self._write(ln, c0, edge.label, forward=forward):
                return

    def _write(self, ln: int, c0: int, text: str, *, forward: bool) -> bool:
        """Write a label into blank cells only; none at all (False) where something drawn
        would cut it short."""
        cells = columns(inert(text), "italic")
        room = 0
        step = 1 if forward else -1
        c = c0
        while 0 <= c < self.width and not self._taken(ln, c) and room < len(cells):
            room += 1
            c += step
        if room < len(cells):
            return False  # a cut label says less than none: the activity column lists every branch
        start = c0 if forward else c0 - len(cells) + 1
        for i, cell in enumerate(cells):
            self.over[(ln, start + i)] = cell
        return True

    def _taken(self, ln: int, c: int) -> bool:
        return ln >= self.lines or bool(self.bits[ln][c]) or (ln, c) in self.over

    # -- output --------------------------------------------------------------------

    def cells(self, ln: int, *, rule: bool = False) -> list[Cell]:
        out: list[Cell] = []
        for c in range(self.width):
            if (ln, c) in self.over:
                out.append(self.over[(ln, c)])
            elif self.bits[ln][c]:
                bits = self.bits[ln][c]
                if rule:
                    bits &= N | S
                out.append((self.glyphs.lines.get(bits, " ") if bits else self.glyphs.rule, ""))
            else:
                out.append((self.glyphs.rule if rule else " ", ""))
        return out

    def rule(self, row: int) -> list[Cell]:
        """The rule above ``row`` (``row == rows`` for the one under the last row)."""
        ln = self.starts[row] if row < len(self.starts) else self.lines - 1
        return self.cells(ln, rule=True)

    def body(self, row: int) -> list[list[Cell]]:
        start = self.starts[row]
        return [self.cells(start + 1 + i) for i in range(self.heights[row])]

    def table_body(self, rows: tuple[int, ...]) -> list[list[Cell]]:
        """The lines of a printed row made of several chart rows: each chart row's lines,
        and between two of them the line that would be their rule, drawn without it (the
        connectors pass, the row goes on)."""
        lines = self.body(rows[0])
        for row in rows[1:]:
            lines += [self.cells(self.starts[row]), *self.body(row)]
        return lines


def _ascii_line(bits: int) -> str:
    if bits in (N, S, N | S):
        return "|"
    return "-" if bits in (E, W, E | W) else "+"


def symbol_width(name: str) -> int:
    """Width of a symbol: its name ("5", "5b") with a space and a border each side."""
    return len(name) + 4


__all__ = ["BOTTOM", "MID", "TOP", "Canvas", "Glyphs", "symbol_width"]
