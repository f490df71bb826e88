"""rich tables that fit the terminal: identifiers whole, prose wrapped, nothing cut unseen.

Left to itself, rich narrows a table that is too wide by shrinking its widest
columns, identifiers included once the others are exhausted, and a column's
``min_width`` can push the table back past the edge, where the console crops
every line without a mark. :class:`Fitted` decides the widths instead: columns
added with :func:`add_id` (instance, SOP and lane ids, NIP, numbers) keep
their full width on one line, so they can be copied; prose columns share the
rest, keeping whole words where there is room and folding a word only when a
column is narrower than it. When even that cannot fit, each row is printed as
a block of ``header  value`` lines instead.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable

from rich import box
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

#: Below this width a prose column folds too many words to read: rows become blocks instead.
MIN_PROSE = 10
#: Wide enough to measure any cell at its natural width.
_UNBOUNDED = 10_000


def new_table(title: str | None = None) -> Table:
    """The house style: a header rule, no outer padding, a left-aligned title."""
    return Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")


def add_id(table: Table, header: str, *, justify: str = "left") -> None:
    """A column that is never wrapped: ids, NIP, numbers, dates."""
    table.add_column(header, justify=justify, no_wrap=True)  # type: ignore[arg-type]


def add_prose(table: Table, header: str) -> None:
    """A column of text that wraps at spaces, and folds a word only when it must."""
    table.add_column(header, overflow="fold")


class Fitted:
    """``table`` printed to fit the width it is given (see the module's docstring)."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = fit_widths(console, options, self.table)
        if widths is None:
            yield from records(self.table)
            return
        yield _with_widths(self.table, widths)


def fit_widths(console: Console, options: ConsoleOptions, table: Table) -> list[int] | None:
    """The content width of each column, or None when the table cannot fit ``options.max_width``."""
    wide = options.update_width(_UNBOUNDED)
    chrome = Measurement.get(console, wide, _with_widths(table, [0] * len(table.columns))).maximum
    longest: list[int] = []
    words: list[int] = []
    for column in table.columns:
        if column.width is not None:  # set by the caller: kept as it is
            longest.append(column.width)
            words.append(column.width)
            continue
        sizes = [Measurement.get(console, wide, cell) for cell in (column.header, *column.cells)]
        longest.append(max(size.maximum for size in sizes))
        words.append(max(size.minimum for size in sizes))
    fixed = [column.no_wrap or column.width is not None for column in table.columns]
    room = options.max_width - chrome - sum(w for w, keep in zip(longest, fixed, strict=True) if keep)
    prose = [i for i, keep in enumerate(fixed) if not keep]
    highs = [longest[i] for i in prose]
    # Whole words if there is room for them, else folded words down to MIN_PROSE.
    for lows in ([words[i] for i in prose], [min(words[i], MIN_PROSE) for i in prose]):
        shares = share(room, lows, highs)
        if shares is not None:
            widths = list(longest)
            for i, width in zip(prose, shares, strict=True):
                widths[i] = width
            return widths
    return None


def _with_widths(table: Table, widths: list[int]) -> Table:
    """A copy of ``table`` whose columns have these content widths (rich then adds padding and borders)."""
    sized = copy.copy(table)
    sized.columns = [
        dataclasses.replace(column, width=width) for column, width in zip(table.columns, widths, strict=True)
    ]
    return sized


def share(room: int, lows: list[int], highs: list[int]) -> list[int] | None:
    """Widths from ``lows`` up to ``highs`` that add up to at most ``room``: the narrow
    columns get all they want, the wide ones are cut to a common level. None if the
    ``lows`` alone need more than ``room``."""
    if sum(lows) > room:
        return None
    if sum(highs) <= room:
        return list(highs)
    level, top = 0, max(highs)
    while level < top:  # the highest level that fits
        mid = (level + top + 1) // 2
        if sum(min(hi, max(lo, mid)) for lo, hi in zip(lows, highs, strict=True)) <= room:
            level = mid
        else:
            top = mid - 1
    widths = [min(hi, max(lo, level)) for lo, hi in zip(lows, highs, strict=True)]
    spare = room - sum(widths)
    for i, (width, hi) in enumerate(zip(widths, highs, strict=True)):
        if spare and width < hi:
            widths[i] += 1
            spare -= 1
    return widths


def records(table: Table) -> Iterable[RenderableType]:
    """Each row as ``header  value`` lines, rows apart by a blank line: for a narrow terminal."""
    if table.title:
        yield Text(str(table.title), style="bold") if isinstance(table.title, str) else table.title
    block = Table.grid(padding=(0, 2))
    block.add_column(no_wrap=True, style="bold")
    block.add_column(overflow="fold")
    headers = [column.header for column in table.columns]
    for n, row in enumerate(zip(*(column.cells for column in table.columns), strict=True)):
        if n:
            block.add_row("", "")
        for header, cell in zip(headers, row, strict=True):
            block.add_row(header, cell)
    yield block
