"""A bordered text table whose lane column is a drawing, not text.

rich's own Table draws its row rules straight through every column, which would
cut the connectors between symbols. This small grid draws the rules itself and
lets the lane column (a :class:`~sopctl.render.canvas.Canvas`) supply its own
rule lines, so a connector passes through a rule as ``│`` or ends in ``▼``.
Output is plain :class:`rich.text.Text`, so styles work and markup never does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text

from sopctl.render.canvas import Canvas
from sopctl.render.cells import Cell, chop, columns
from sopctl.render.text import inert

#: A paragraph of a cell: its text and its rich style ("" for none).
Para = tuple[str, str]
Line = list[Cell]


@dataclass(frozen=True)
class Box:
    h: str
    v: str
    corners: tuple[str, ...]  # ┌ ┬ ┐ ├ ┼ ┤ └ ┴ ┘

    @classmethod
    def unicode(cls) -> Box:
        return cls("─", "│", tuple("┌┬┐├┼┤└┴┘"))

    @classmethod
    def ascii(cls) -> Box:
        return cls("-", "|", tuple("+++++++++"))


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    justify: str = "left"


def wrap(paras: Sequence[Para], width: int) -> list[Line]:
    """Word-wrap paragraphs to ``width`` columns; words longer than a line are split."""
    lines: list[Line] = []
    for text, style in paras:
        for raw in inert(text).split("\n"):
            current = ""
            for whole in raw.split(" "):
                *full, word = chop(whole, width) if cell_len(whole) > width else [whole]
                if full and current:
                    lines.append(columns(current, style))
                    current = ""
                lines.extend(columns(piece, style) for piece in full)
                candidate = f"{current} {word}" if current else word
                if cell_len(candidate) <= width:
                    current = candidate
                else:
                    lines.append(columns(current, style))
                    current = word
            lines.append(columns(current, style))
    return lines


def pad(line: Line, width: int, justify: str = "left") -> Line:
    """``line`` (one entry per column, see :mod:`sopctl.render.cells`) made ``width`` columns wide."""
    gap = width - len(line)
    if gap < 0 and line[width][0] == "":  # the cut would halve a wide character: blank it
        return [*line[: width - 1], (" ", line[width - 1][1])]
    if gap <= 0:
        return line[:width]
    if justify == "right":
        return [(" ", "")] * gap + line
    if justify == "center":
        return [(" ", "")] * (gap // 2) + line + [(" ", "")] * (gap - gap // 2)
    return line + [(" ", "")] * gap


class Grid:
    """Columns of text, one of which (``lanes_at``) is drawn by a canvas."""

    def __init__(self, columns: list[Column], lanes_at: int, canvas: Canvas, box: Box) -> None:
        self.columns, self.lanes_at, self.canvas, self.box = columns, lanes_at, canvas, box
        self.out: list[Text] = []

    def _edge(self, left: str, mid: str, right: str, fills: list[Line]) -> None:
        text = Text(left)
        for i, fill in enumerate(fills):
            if i:
                text.append(mid)
            _append(text, fill)
        text.append(right)
        self.out.append(text)

    def _row(self, cells: list[list[Line]], height: int) -> None:
        for n in range(height):
            text = Text(self.box.v)
            for i, lines in enumerate(cells):
                if i:
                    text.append(self.box.v)
                column = self.columns[i]
                line = lines[n] if n < len(lines) else []
                if i == self.lanes_at:
                    _append(text, pad(line, column.width))
                else:
                    _append(text, [(" ", ""), *pad(line, column.width, column.justify), (" ", "")])
            text.append(self.box.v)
            self.out.append(text)

    def outer_width(self, i: int) -> int:
        return self.columns[i].width + (0 if i == self.lanes_at else 2)

    def rule(self, kind: str, lanes: Line | None = None) -> None:
        c = self.box.corners
        left, mid, right = {"top": c[0:3], "mid": c[3:6], "bottom": c[6:9]}[kind]
        fills = [
            lanes if (i == self.lanes_at and lanes is not None) else [(self.box.h, "")] * self.outer_width(i)
            for i in range(len(self.columns))
        ]
        self._edge(left, mid, right, fills)

    def header(self, cells: list[list[Line]]) -> None:
        self.rule("top")
        self._row(cells, max(len(c) for c in cells))

    def body(self, cells: list[list[Line]], height: int, rule_above: Line) -> None:
        self.rule("mid", rule_above)
        self._row(cells, height)

    def text(self) -> Text:
        return Text("\n").join(self.out)


def _append(text: Text, line: Line) -> None:
    """Append cells, one span per run of the same style (not one per character)."""
    run, style = "", ""
    for ch, cell_style in line:
        if cell_style != style and run:
            text.append(run, style or None)
            run = ""
        run, style = run + ch, cell_style
    if run:
        text.append(run, style or None)
