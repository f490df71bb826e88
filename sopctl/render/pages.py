"""How the printed flowchart is cut into pages, and where off-page connectors go.

An SOP AP flowchart that does not fit one page continues on the next through
an off-page connector (a pentagon) at the bottom of one page and the top of
the next. To draw them, we must know the page breaks before the layout engine
does: rows are measured here from their text with a cautious estimate of the
font's width, and each page gets only the rows that surely fit.
"""

from __future__ import annotations

import itertools
import math
import string
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from sopctl.render.chart import Chart
from sopctl.render.svg import CONNECTOR, ZONE, crossings

FONT_MM = 3.0  # 8.5 pt
CHAR_MM = FONT_MM * 0.56  # a cautious average width of a character
LINE_MM = FONT_MM * 1.3
PAD_MM = 2.4
RULE_MM = 0.3  # a cell's border: half of each of its two rules
#: Widths of DejaVu Sans characters in em, each group by its widest member ("r", "W", "O"),
#: to tell a word that surely fits a column from one that may not.
NARROW, WIDE = frozenset("fijlrtIJ.,;:'!|()[]-/ "), frozenset("mwMW%&@#^+=~<>")
NARROW_EM, LOWER_EM, UPPER_EM, WIDE_EM = 0.42, 0.64, 0.79, 1.0

PAPERS = {"a4": (297.0, 210.0), "f4": (330.0, 215.0)}  # landscape: width, height (mm)
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 10.0, 10.0, 14.0


@dataclass(frozen=True)
class Paper:
    name: str
    width: float
    height: float

    @classmethod
    def named(cls, name: str) -> Paper:
        width, height = PAPERS[name]
        return cls(name, width, height)

    @property
    def content_width(self) -> float:
        return self.width - 2 * MARGIN_X

    @property
    def content_height(self) -> float:
        return self.height - MARGIN_TOP - MARGIN_BOTTOM


def text_lines(paragraphs: list[str], width_mm: float) -> int:
    """How many lines the paragraphs take in a column ``width_mm`` wide."""
    per_line = max(1, int((width_mm - PAD_MM) / CHAR_MM))
    total = 0
    for paragraph in paragraphs:
        for line in (paragraph or " ").split("\n"):
            words, length, lines = line.split(" "), 0, 1
            for word in words:
                size = len(word)
                if length and length + 1 + size > per_line:
                    lines, length = lines + 1, 0
                length += (1 if length else 0) + size
                while length > per_line:
                    lines, length = lines + 1, length - per_line
            total += lines
    return total


def word_mm(word: str) -> float:
    """The width of ``word`` on one line of a table cell, cautiously: never narrower than
    DejaVu Sans draws it ("persediaan", 16.7 mm, is 17.8 mm here)."""
    em = 0.0
    for char in word:
        if char in NARROW:
            em += NARROW_EM
        elif char in WIDE or unicodedata.east_asian_width(char) in ("W", "F"):
            em += WIDE_EM
        elif char.islower() or char in string.digits:
            em += LOWER_EM
        elif unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        else:  # capitals, other letters and signs
            em += UPPER_EM
    return em * FONT_MM


def row_height(cells: list[tuple[list[str], float]], zone: float = ZONE) -> float:
    """The estimated height of a table row: its tallest cell, at least its drawing ``zone``
    (one ``ZONE`` per symbol it stacks)."""
    tallest = max((text_lines(paras, width) for paras, width in cells), default=1)
    return max(zone, tallest * LINE_MM + PAD_MM)


@dataclass
class Page:
    rows: list[int]  # row indices on this page
    #: Off-page connectors: track -> letter, at the top (from the previous page) and bottom.
    top: dict[int, str] = field(default_factory=dict)
    bottom: dict[int, str] = field(default_factory=dict)
    last: bool = False


def paginate(
    chart: Chart,
    heights: list[float],
    room: float,
    last_extra: float,
    breaks: frozenset[int] = frozenset(),
) -> list[Page]:
    """Cut the rows into pages of at most ``room`` mm, and name each flow that crosses a cut.

    A page also ends after each row in ``breaks`` (a row with ``page_break``: the document
    ends its page there), whether or not more would fit."""
    pages: list[Page] = []
    current: list[int] = []
    used = 0.0
    for row, height in enumerate(heights):
        # Room for the connector row at the bottom, and at the top after the first page.
        reserve = CONNECTOR * (2 if pages else 1)
        if current and (used + height + reserve > room or current[-1] in breaks):
            pages.append(Page(current))
            current, used = [], 0.0
        current.append(row)
        used += height
    if current:
        if used + last_extra + CONNECTOR * (1 if pages else 0) > room and len(current) > 1:
            pages.append(Page(current[:-1]))
            current = current[-1:]
        pages.append(Page(current))
    pages[-1].last = True
    letters = _names()
    for before, after in itertools.pairwise(pages):
        for track, _edge in crossings(chart, chart.table_rows[after.rows[0]][0]):
            name = next(letters)
            before.bottom[track] = name
            after.top[track] = name
    return pages


def _names() -> Iterator[str]:
    """A, B, ... Z, AA, AB, ...: the letters written in connector pairs."""
    for size in range(1, 4):
        for n in range(int(math.pow(26, size))):
            name, rest = "", n
            for _ in range(size):
                rest, i = divmod(rest, 26)
                name = string.ascii_uppercase[i] + name
            yield name
