"""Text as terminal columns, for the tables sopctl draws itself (grid and canvas).

A line of those tables is a list with one entry per terminal column, so its
width is its length. A character is not always one column: 李 and 🙂 take two,
and a combining accent or an emoji modifier takes none. :func:`columns` gives a
wide character its column and an empty entry for the next one (so it is
printed once and still counted twice), and joins a zero-width character to the
one before it. Widths are rich's, the same rich uses when it prints the line.
"""

from __future__ import annotations

from rich.cells import cell_len

Cell = tuple[str, str]  # (text, rich style)

ZWJ = "\u200d"


def graphemes(text: str) -> list[str]:
    """``text`` split into what a terminal draws as one character: "e\\u0301" and "👍🏽" stay whole."""
    out: list[str] = []
    for ch in text:
        if out and (out[-1].endswith(ZWJ) or cell_len(ch) == 0 or cell_len(out[-1]) == 0):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def columns(text: str, style: str = "") -> list[Cell]:
    """One entry per terminal column: "李a" -> [("李", s), ("", s), ("a", s)]."""
    cells: list[Cell] = []
    for grapheme in graphemes(text):
        cells.append((grapheme, style))
        cells.extend([("", style)] * (cell_len(grapheme) - 1))
    return cells


def chop(word: str, width: int) -> list[str]:
    """``word`` cut into pieces of at most ``width`` columns (a wide character is never halved)."""
    pieces = [""]
    for grapheme in graphemes(word):
        if pieces[-1] and cell_len(pieces[-1] + grapheme) > width:
            pieces.append("")
        pieces[-1] += grapheme
    return pieces
