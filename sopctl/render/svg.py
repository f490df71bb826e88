"""The flowchart drawn in SVG for printed documents, one table row at a time.

A row of the printed table is as tall as its longest text, which only the
layout engine knows. So each row is drawn in a fixed zone at the top of its
lane cells (symbols, bends, arrowheads, labels), and a vertical connector that
runs on below that zone is a CSS background line that stretches with the row.
Every lane cell shows a window (``viewBox``) onto the same drawing of its row,
so lines and labels cross lane borders without a seam. In a joint step's row,
its lanes share one cell, so that no border runs through its symbol. A printed row
of several symbols (format 2) stacks their chart rows in its zone, one ``ZONE``
each, in the document's order.

All user text is escaped here (the drawing is built as markup, not through a
template); the numbers are integers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from markupsafe import Markup, escape

from sopctl.render.chart import MID, Chart, Edge, Node
from sopctl.render.text import inert

ZONE = 15.0  # mm: height of the drawing zone at the top of a row
SYM_TOP, SYM_BOTTOM = 2.5, 11.5
SLOT_Y = (0.0, 4.0, 7.0, 10.0, ZONE)  # rule, symbol top, middle, bottom, end of the zone
GUTTER = 4.0  # mm per gutter track
STROKE = 0.3
# Presentation attributes, not CSS: WeasyPrint does not style inline SVG from the page's CSS.
LINE = f'stroke="#000" stroke-width="{STROKE}" fill="none"'
SHAPE = 'fill="#fff" stroke="#000" stroke-width="0.35"'
NUMBER = 'font-family="DejaVu Sans, sans-serif" font-size="3" font-weight="bold" text-anchor="middle"'
LABEL_CHAR_MM = 1.35  # a cautious width of one label character
LABEL = 'font-family="DejaVu Sans, sans-serif" font-size="2.3" font-style="italic"'
LINE_GAP = 2.6  # mm between the baselines of a two-line label
#: The text inside a symbol, under its name: a baseline this far below the middle.
SYMBOL_TEXT = 'font-family="DejaVu Sans, sans-serif" font-size="2.2" text-anchor="middle"'
TEXT_DROP, TEXT_CHAR_MM = 2.7, 1.3
PIXEL = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'%3E"
    "%3Crect width='1' height='1'/%3E%3C/svg%3E"
)
FILLS = {"current": "#fff3b0", "within": "#e3f4e3", "late": "#fde0e0", "pending": "#fff"}
CONNECTOR = 11.0  # mm: height of an off-page connector row


@dataclass(frozen=True)
class Geometry:
    chart: Chart
    lane: float  # mm per lane column

    @property
    def left(self) -> float:
        return self.chart.left * GUTTER

    @property
    def width(self) -> float:
        return self.left + self.chart.lanes * self.lane + self.chart.right * GUTTER

    def x(self, track: int) -> float:
        if track < 0:
            return self.left - (-track - 0.5) * GUTTER
        if track >= self.chart.lanes:
            return self.left + self.chart.lanes * self.lane + (track - self.chart.lanes + 0.5) * GUTTER
        return self.left + (track + 0.5) * self.lane

    def columns(self) -> list[tuple[float, float]]:
        """The x-range of each table column of the lane area: gutters and lanes."""
        cols = [(0.0, self.left)] if self.chart.left else []
        cols += [
            (self.left + i * self.lane, self.left + (i + 1) * self.lane) for i in range(self.chart.lanes)
        ]
        if self.chart.right:
            cols.append((self.left + self.chart.lanes * self.lane, self.width))
        return cols

    def cells(self, nodes: list[Node] | None = None) -> list[tuple[float, float, int]]:
        """The lane-area cells of a row as (left, right, columns spanned): one per column,
        but one for all the lanes of a joint step among ``nodes`` (the row's symbols)."""
        cells = [(left, right, 1) for left, right in self.columns()]
        shift = 1 if self.chart.left else 0
        spans: list[tuple[int, int]] = []  # first and last column to merge, overlaps joined
        for node in sorted((n for n in nodes or [] if n.lo != n.hi), key=lambda n: n.lo):
            if spans and node.lo + shift <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(spans[-1][1], node.hi + shift))
            else:
                spans.append((node.lo + shift, node.hi + shift))
        for first, last in reversed(spans):
            merged = (cells[first][0], cells[last][1], last - first + 1)
            cells = [*cells[:first], merged, *cells[last + 1 :]]
        return cells

    def symbol_box(self, node: Node) -> tuple[float, float]:
        half = min(8.0, self.lane / 2 - 2.0)
        return self.x(node.lo) - half, self.x(node.hi) + half


@dataclass(frozen=True)
class Cell:
    """One lane-area cell of a row: its SVG window and its stretching tail lines."""

    svg: Markup
    style: str
    width: float
    #: The first lane-area column it fills, and how many.
    column: int = 0
    span: int = 1


def row_cells(geo: Geometry, row: int, styles: dict[int, str] | None = None) -> list[Cell]:
    """The cells of the lane area for printed row ``row`` (its index in the table)."""
    bands = Bands(geo.chart.table_rows[row])
    nodes = [geo.chart.node_at(b) for b in bands.rows]
    parts: list[str] = []
    tails: set[float] = set()
    for edge in geo.chart.edges:
        parts += _edge_in_row(geo, edge, bands, tails)
    for node in nodes:
        parts += _symbol(geo, node, (styles or {}).get(node.step, ""), bands.top(node.row))
    for edge in geo.chart.edges:
        if geo.chart.nodes[edge.target].row in bands.rows:
            parts.append(_arrowhead(geo, edge, bands))
        if edge.label and edge.label_at and edge.label_at[1] // 4 in bands.rows:
            parts += _label(geo, edge, bands)
    return _windows(parts, bands.height, tails, geo.cells(nodes))


@dataclass(frozen=True)
class Bands:
    """The chart rows of one printed row, each a ``ZONE`` in its drawing, top to bottom."""

    rows: tuple[int, ...]

    @property
    def height(self) -> float:
        return ZONE * len(self.rows)

    def top(self, row: int) -> float:
        """Where chart row ``row``'s zone begins, in mm from the printed row's top."""
        return (row - self.rows[0]) * ZONE

    def y(self, y: int) -> float:
        """A chart ``y`` (4 per row, see ``chart.py``) in mm from the printed row's top."""
        band, slot = divmod(y - 4 * self.rows[0], 4)
        return band * ZONE + SLOT_Y[slot]


def connector_cells(geo: Geometry, boundary: int, labels: dict[float, str], *, below: bool) -> list[Cell]:
    """An off-page connector row: pentagons where flows leave (or re-enter) the page.

    ``below`` is the row under the last row of a page (flows end in a pentagon);
    otherwise the row above the first row of the next page (flows start from one).
    """
    parts: list[str] = []
    lanes = (geo.left, geo.left + geo.chart.lanes * geo.lane)
    for x, name in labels.items():
        top = 1.0 if not below else 2.5
        if below:
            parts.append(_line(x, 0, top))
        else:
            parts.append(_line(x, top + 7.5, CONNECTOR))
        # A flow in a gutter track: a pentagon as narrow as the track, not cut by its borders.
        in_gutter = not lanes[0] <= x <= lanes[1]
        parts += _pentagon(x, top, name, GUTTER - 0.8 if in_gutter else 6.0)
    return _windows(parts, CONNECTOR, set(), geo.cells())


def crossings(chart: Chart, boundary_row: int) -> list[tuple[int, Edge]]:
    """Tracks of the flows that cross the rule above ``boundary_row``, left to right."""
    y = 4 * boundary_row
    found: dict[int, Edge] = {}
    for edge in chart.edges:
        for (x1, y1), (x2, y2) in zip(edge.points, edge.points[1:], strict=False):
            if x1 == x2 and min(y1, y2) < y < max(y1, y2):
                found.setdefault(x1, edge)
    return sorted(found.items())


# -- pieces -------------------------------------------------------------------------


def _edge_in_row(geo: Geometry, edge: Edge, bands: Bands, tails: set[float]) -> list[str]:
    out: list[str] = []
    lo, hi = 4 * bands.rows[0], 4 * bands.rows[-1] + 4
    source, target = geo.chart.nodes[edge.source], geo.chart.nodes[edge.target]
    last = len(edge.points) - 2
    for index, ((x1, y1), (x2, y2)) in enumerate(zip(edge.points, edge.points[1:], strict=False)):
        # The chart starts and ends a flow at a lane's centre, which beside a joint symbol's
        # middle can be off the symbol (off a diamond's slope, or level with its corner):
        # such a line runs on to the middle, under the symbol, and so meets its edge.
        from_joint = index == 0 and source.lo != source.hi
        to_joint = index == last and target.lo != target.hi
        if y1 == y2:
            if lo <= y1 < hi:
                xa = _middle(geo, source) if from_joint else geo.x(x1)
                xb = _middle(geo, target) if to_joint else geo.x(x2)
                out.append(_line(xa, bands.y(y1), xb, bands.y(y1), horizontal=True))
            continue
        a, b = max(min(y1, y2), lo), min(max(y1, y2), hi)
        if a >= b:
            continue
        x = geo.x(x1)
        ya = bands.y(4 * source.row + MID) if from_joint and a == y1 else bands.y(a)
        yb = bands.y(4 * target.row + MID) if to_joint and b == y2 else bands.y(b)
        out.append(_line(x, ya, yb))
        if b == hi:
            tails.add(round(x, 2))
    return out


def _middle(geo: Geometry, node: Node) -> float:
    x0, x1 = geo.symbol_box(node)
    return (x0 + x1) / 2


def _line(x1: float, y1: float, x2_or_y2: float, y2: float | None = None, *, horizontal: bool = False) -> str:
    if horizontal:
        assert y2 is not None
        return f'<line x1="{x1:.2f}" y1="{y1:.2f}" x2="{x2_or_y2:.2f}" y2="{y2:.2f}" {LINE}/>'
    return f'<line x1="{x1:.2f}" y1="{y1:.2f}" x2="{x1:.2f}" y2="{x2_or_y2:.2f}" {LINE}/>'


def _symbol(geo: Geometry, node: Node, style: str, top: float) -> list[str]:
    x0, x1 = geo.symbol_box(node)
    h = SYM_BOTTOM - SYM_TOP
    y0, y1 = top + SYM_TOP, top + SYM_BOTTOM
    fill = FILLS.get(style, "#fff")
    cls = f' class="sym {node.kind}" fill="{fill}" stroke="#000" stroke-width="0.35"'
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    if node.kind == "decision":
        shape = (
            f'<polygon{cls} points="{cx:.2f},{y0:.2f} {x1:.2f},{cy:.2f} '
            f'{cx:.2f},{y1:.2f} {x0:.2f},{cy:.2f}"/>'
        )
    else:
        rx = h / 2 if node.kind == "terminator" else 0.0
        shape = f'<rect{cls} x="{x0:.2f}" y="{y0:.2f}" width="{x1 - x0:.2f}" height="{h:.2f}" rx="{rx:.2f}"/>'
    text = _inside(node, x1 - x0, cy)
    if text is None:
        return [
            shape,
            f'<text class="num" x="{cx:.2f}" y="{cy + 1.1:.2f}" {NUMBER}>{escape(node.name)}</text>',
        ]
    name = f'<text class="num" x="{cx:.2f}" y="{cy - 0.3:.2f}" {NUMBER}>{escape(node.name)}</text>'
    inside = (
        f'<text class="symtext" x="{cx:.2f}" y="{cy + TEXT_DROP:.2f}" {SYMBOL_TEXT}>'
        f"{escape(inert(text))}</text>"
    )
    return [shape, name, inside]


def _inside(node: Node, width: float, cy: float) -> str | None:
    """The text a symbol holds ("R/T", "Via Email") when it fits under the name inside the
    shape; else None, and the notes under the activity say it."""
    if not node.text:
        return None
    room = width - 2.0
    if node.kind == "decision":  # the diamond narrows below its middle
        room = width * (1 - TEXT_DROP / ((SYM_BOTTOM - SYM_TOP) / 2)) - 1.0
    return node.text if len(node.text) * TEXT_CHAR_MM <= room else None


def _arrowhead(geo: Geometry, edge: Edge, bands: Bands) -> str:
    target = geo.chart.nodes[edge.target]
    x, y = edge.points[-1]
    top = bands.top(target.row)
    if edge.heading == "down":
        tip_x, tip_y = geo.x(x), top + SYM_TOP
        if target.kind == "decision":  # on its slope: a joint diamond's corner is between lanes
            x0, x1 = geo.symbol_box(target)
            slope = ((SYM_BOTTOM - SYM_TOP) / 2) / ((x1 - x0) / 2)
            tip_y += slope * abs(tip_x - (x0 + x1) / 2)
        return _triangle(tip_x, tip_y, "down")
    x0, x1 = geo.symbol_box(target)
    yy = bands.y(y)
    edge_x = x1 if edge.heading == "left" else x0
    if target.kind == "decision":
        half = (x1 - x0) / 2
        mid = top + (SYM_TOP + SYM_BOTTOM) / 2
        inset = half * abs(yy - mid) / ((SYM_BOTTOM - SYM_TOP) / 2)
        edge_x = x1 - inset if edge.heading == "left" else x0 + inset
    return _triangle(edge_x, yy, edge.heading)


def _triangle(x: float, y: float, heading: str) -> str:
    a, b = 1.8, 0.9  # length and half-width, mm
    pts = {
        "down": [(x, y), (x - b, y - a), (x + b, y - a)],
        "left": [(x, y), (x + a, y - b), (x + a, y + b)],
        "right": [(x, y), (x - a, y - b), (x - a, y + b)],
    }[heading]
    points = " ".join(f"{px:.2f},{py:.2f}" for px, py in pts)
    return f'<polygon class="arrow" points="{points}" fill="#000"/>'


def _label(geo: Geometry, edge: Edge, bands: Bands) -> list[str]:
    assert edge.label_at is not None and edge.label
    x, y, way = edge.label_at
    source = geo.chart.nodes[edge.source]
    top = bands.top(source.row)
    yy = bands.y(y)
    if way == "down":
        return _boxed(geo.x(x) + 0.8, top + SYM_BOTTOM + 2.6, [edge.label], "start")
    above = yy - 0.9 if yy < top + SYM_BOTTOM - 1 else yy + 2.6
    if _arrives_above(geo, source, way, y):  # a loop comes in just above this line
        above = yy + 2.6
    placed = _on_run(geo, edge, source, way, [edge.label])
    if placed is None:
        # Too long for any column on one line: two lines, stacked away from the line.
        lines = _two_lines(edge.label)
        if lines is not None:
            baselines = (above - LINE_GAP, above) if above < yy else (above, above + LINE_GAP)
            if baselines[0] - 2.1 >= top + 0.3 and baselines[1] + 0.6 <= top + ZONE - 0.3:
                placed = _on_run(geo, edge, source, way, lines)
                if placed is not None:
                    return _boxed(placed[0], baselines[0], lines, placed[1])
        return _under(geo, source, edge.label, way, top)
    where, anchor = placed
    return _boxed(where, above, [edge.label], anchor)


def _width(lines: list[str]) -> float:
    return max(len(line) for line in lines) * LABEL_CHAR_MM


def _two_lines(label: str) -> list[str] | None:
    """``label`` split at the space that makes its longer line shortest; None for one word."""
    words = label.split()
    splits = [[" ".join(words[:i]), " ".join(words[i:])] for i in range(1, len(words))]
    return min(splits, key=_width, default=None)


def _on_run(geo: Geometry, edge: Edge, source: Node, way: str, lines: list[str]) -> tuple[float, str] | None:
    """Where a label fits along the first horizontal run of ``edge`` without crossing a
    column border (which the table draws over it): beside the symbol, else centred in
    the next column the run passes through."""
    wide = _width(lines)
    x0, x1 = geo.symbol_box(source)
    start = x1 + 0.6 if way == "R" else x0 - 0.6
    turn = geo.x(edge.points[1][0])
    low, high = (start, turn) if way == "R" else (turn, start)
    columns = geo.columns() if way == "R" else list(reversed(geo.columns()))
    first = True
    for left, right in columns:
        span_low, span_high = max(left, low) + 0.5, min(right, high) - 0.5
        if span_high <= span_low:
            continue
        if first:
            first = False
            if span_high - span_low >= wide:
                return (span_low, "start") if way == "R" else (span_high, "end")
            continue
        if span_high - span_low >= wide + 1.0:
            return ((span_low + span_high) / 2, "middle")
    return None


def _boxed(x: float, y: float, lines: list[str], anchor: str) -> list[str]:
    """A label on a white ground, so that a line of the drawing never runs through it; one
    part per line, the first line's baseline at ``y``."""
    parts = []
    for index, line in enumerate(lines):
        wide = len(line) * LABEL_CHAR_MM
        left = {"start": x, "end": x - wide, "middle": x - wide / 2}[anchor]
        base = y + index * LINE_GAP
        parts.append(
            f'<rect class="label-ground" x="{left - 0.3:.2f}" y="{base - 2.1:.2f}" '
            f'width="{wide + 0.6:.2f}" height="2.7" fill="#fff"/>'
            f'<text class="label" x="{x:.2f}" y="{base:.2f}" text-anchor="{anchor}" {LABEL}>'
            f"{escape(inert(line))}</text>"
        )
    return parts


def _arrives_above(geo: Geometry, node: Node, side: str, y: int) -> bool:
    heading = "right" if side == "L" else "left"
    return any(
        e.target == node.step and e.heading == heading and e.points[-1][1] < y for e in geo.chart.edges
    )


def _under(geo: Geometry, node: Node, label: str, way: str, top: float) -> list[str]:
    """Below the symbol, on the side the branch leaves by, moved towards the symbol's middle
    as far as it must to stay inside its column (two long labels under one symbol could then
    overlap; neither reference SOP has that)."""
    wide = len(label) * LABEL_CHAR_MM
    if way == "L":
        left, right = _column_at(geo, geo.x(node.lo))
        x = max(0.5 + wide, geo.x(node.lo) - 1.0, min(left + 0.5 + wide, right - 0.5))
        return _boxed(x, top + SYM_BOTTOM + 2.8, [label], "end")
    left, right = _column_at(geo, geo.x(node.hi))
    x = min(geo.x(node.hi) + 1.0, geo.width - wide - 0.5, max(right - 0.5 - wide, left + 0.5))
    return _boxed(x, top + SYM_BOTTOM + 2.8, [label], "start")


def _column_at(geo: Geometry, x: float) -> tuple[float, float]:
    return next(((left, right) for left, right in geo.columns() if left <= x < right), (0.0, geo.width))


def _pentagon(x: float, top: float, name: str, w: float = 6.0) -> list[str]:
    h = 7.5
    pts = [
        (x - w / 2, top),
        (x + w / 2, top),
        (x + w / 2, top + h * 0.6),
        (x, top + h),
        (x - w / 2, top + h * 0.6),
    ]
    points = " ".join(f"{px:.2f},{py:.2f}" for px, py in pts)
    poly = f'<polygon class="offpage" points="{points}" {SHAPE}/>'
    return [poly, f'<text class="num" x="{x:.2f}" y="{top + 3.6:.2f}" {NUMBER}>{escape(name)}</text>']


_X = re.compile(r'\b(?:x|x1|x2|cx)="(-?[\d.]+)"')
_POINTS = re.compile(r'points="([^"]+)"')
# Not stroke-width, which a symbol's rect also has ("-" ends a word for \b).
_WIDTH = re.compile(r'(?<![\w-])width="([\d.]+)"')


def _extent(part: str) -> tuple[float, float]:
    """The x-range an element covers, so each lane cell carries only what it shows.

    Without this every cell would hold the whole row, and the PDF's text (what
    copy-paste and screen readers get) would repeat each number once per lane.
    """
    xs = [float(v) for v in _X.findall(part)]
    if part.startswith("<text"):
        content = part[part.index(">") + 1 : part.rindex("<")]
        size = 1.9 if 'class="num"' in part else LABEL_CHAR_MM
        wide = len(unescape(content)) * size
        x = xs[0]
        if 'text-anchor="middle"' in part:
            return x - wide / 2, x + wide / 2
        if 'text-anchor="end"' in part:
            return x - wide, x
        return x, x + wide
    for points in _POINTS.findall(part):
        xs += [float(pair.split(",")[0]) for pair in points.split()]
    width = _WIDTH.search(part)
    if width and xs:
        xs.append(xs[0] + float(width.group(1)))
    return (min(xs), max(xs)) if xs else (float("-inf"), float("inf"))


def _windows(
    parts: list[str], height: float, tails: set[float], spans: list[tuple[float, float, int]]
) -> list[Cell]:
    cells = []
    extents = [_extent(part) for part in parts]
    column = 0
    for x0, x1, span in spans:
        width = x1 - x0
        body = "".join(p for p, (lo, hi) in zip(parts, extents, strict=True) if lo <= x1 and hi >= x0)
        svg = Markup(
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.2f}mm" height="{height:.2f}mm" '
            f'viewBox="{x0:.2f} 0 {width:.2f} {height:.2f}">{body}</svg>'
        )
        mine = sorted(x - x0 for x in tails if x0 <= x < x1)
        style = ""
        if mine:
            # A stretched 1x1 black image, not a gradient: WeasyPrint ignores the
            # size of gradient backgrounds and would paint the whole cell.
            images = ", ".join(f'url("{PIXEL}")' for _ in mine)
            positions = ", ".join(f"{x - STROKE / 2:.2f}mm {height:.2f}mm" for x in mine)
            sizes = ", ".join(f"{STROKE:.2f}mm 100%" for _ in mine)
            style = (
                f"background-image: {images}; background-position: {positions}; "
                f"background-size: {sizes}; background-repeat: no-repeat"
            )
        cells.append(Cell(svg, style, width, column, span))
        column += span
    return cells
