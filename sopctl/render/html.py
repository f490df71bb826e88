"""Printable HTML of an SOP (official SOP AP layout) and of an instance's step summary.

Jinja2 with autoescape on for every template and string: activity text, titles
and notes are user text and must come out inert (``<script>`` prints as
written). The only markup not escaped by the template is the flowchart SVG,
which ``svg.py`` builds with every user text escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from sopctl.render import svg
from sopctl.render.chart import layout
from sopctl.render.document import FlowRow, InstanceDocument, SopDocument
from sopctl.render.monitoring import MonitoringDocument
from sopctl.render.pages import PAD_MM, RULE_MM, Page, Paper, paginate, row_height, word_mm
from sopctl.render.text import inert

HEAD_CHAR_MM = 1.65  # a bold 7.5 pt character, cautiously
LANES_SHARE = 0.36  # of the page width, for the lane columns
NO_MM, TIME_MM, REMARKS_MM = 8.0, 19.0, 19.0
REMARKS_MAX_MM = 28.0  # Ket. widens for its longest word up to this
#: The rest of the width, after the lanes and the fixed columns, is shared among these.
SHARES = {"activity": 0.42, "requirements": 0.29, "output": 0.29}
TITLE_MM, HEADER_MM, TOTAL_MM = 9.0, 19.0, 13.0
CALENDAR_MM = 6.0  # the line under the last page's table that names the calendar


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("sopctl.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # Every printed value: control characters shown, not passed on (the SVG
        # markup is already safe and is left alone).
        finalize=lambda value: (
            inert(value) if isinstance(value, str) and not isinstance(value, Markup) else value
        ),
    )
    env.filters["css_string"] = css_string
    return env


def css_string(text: str) -> Markup:
    """``text`` for the inside of a quoted CSS string (the page footer's ``content``): it
    sits in a <style> element, where HTML escapes are not read, so quotes, backslashes,
    line breaks and "<" are CSS-escaped instead."""

    def escaped(char: str) -> str:
        return f"\\{ord(char):x} " if char in '"\\<\n\r\f' else char

    raw = text.unescape() if isinstance(text, Markup) else text  # a block comes autoescaped
    return Markup("".join(escaped(char) for char in inert(raw)))


@dataclass(frozen=True)
class TimeCell:
    text: str
    rows: int  # how many table rows it spans


@dataclass
class FlowPage:
    page: Page
    rows: list[dict[str, Any]]
    top: list[svg.Cell] | None
    bottom: list[svg.Cell] | None


def sop_html(doc: SopDocument, paper: Paper) -> str:
    chart = layout(doc.flow)
    n = len(doc.lanes)
    gutter_mm = (chart.left + chart.right) * svg.GUTTER
    lane_mm = max(17.0, min(30.0, (paper.content_width * LANES_SHARE - gutter_mm) / n))
    geo = svg.Geometry(chart, lane_mm)
    rest = paper.content_width - geo.width - NO_MM - TIME_MM
    remarks = _remarks_width(doc.rows, rest)
    widths = {
        "no": NO_MM,
        **{name: (rest - remarks) * share for name, share in SHARES.items()},
        "time": TIME_MM,
        "remarks": remarks,
    }
    heights = [
        row_height(
            [
                ([row.activity, *row.notes], widths["activity"]),
                (row.requirements, widths["requirements"]),
                ([row.time], widths["time"]),
                ([row.output], widths["output"]),
                (_remarks(row), widths["remarks"]),
            ],
            svg.ZONE * len(bands),
        )
        for row, bands in zip(doc.rows, chart.table_rows, strict=True)
    ]
    room = paper.content_height - TITLE_MM - HEADER_MM
    breaks = frozenset(i for i, row in enumerate(doc.rows) if row.page_break)
    last = (TOTAL_MM if doc.total is not None else 0.0) + (CALENDAR_MM if doc.calendar else 0.0)
    pages = paginate(chart, heights, room, last, breaks)
    flow_pages = []
    for page in pages:
        times = time_cells(doc.rows, page.rows)
        rows = [
            {
                "row": doc.rows[i],
                "cells": svg.row_cells(geo, i),
                "height": heights[i],
                "time": times.get(i),
                "remarks": _fitted(doc.rows[i].remarks, remarks, doc.lang),
                "marks": [_fitted(mark, remarks, doc.lang) for mark in doc.rows[i].marks],
            }
            for i in page.rows
        ]
        top = svg.connector_cells(geo, page.rows[0], _xs(geo, page.top), below=False) if page.top else None
        bottom = (
            svg.connector_cells(geo, page.rows[-1] + 1, _xs(geo, page.bottom), below=True)
            if page.bottom
            else None
        )
        flow_pages.append(FlowPage(page, rows, top, bottom))
    return (
        environment()
        .get_template("sop.html.j2")
        .render(
            doc=doc,
            t=doc.t,
            paper=paper,
            pages=flow_pages,
            widths=widths,
            lane_columns=[right - left for left, right in geo.columns()],
            lane_heads=_lane_heads(doc, chart, lane_mm),
            heads=_heads(doc, widths),
            css=_css(paper),
        )
    )


def _remarks_width(rows: list[FlowRow], room: float) -> float:
    """The width of Ket.: narrow, but where an SOP has remarks as wide as their longest word
    (up to ``REMARKS_MAX_MM``, and never wider than Output), so that a word is not cut. The
    width comes from the shared columns (Aktivitas, Kelengkapan, Output); ``room`` is theirs
    and Ket.'s together."""
    longest = max((word_mm(word) for row in rows for word in row.remarks.split()), default=0.0)
    widest = min(REMARKS_MAX_MM, room * SHARES["output"] / (1 + SHARES["output"]))
    if any(row.marks for row in rows):
        # A wait's or a timeout's mark is a sentence, not a word or two: in a Ket. as narrow
        # as the usual remarks its row would grow a page tall.
        return max(REMARKS_MM, widest)
    return max(REMARKS_MM, min(widest, longest + PAD_MM + RULE_MM))


def _remarks(row: FlowRow) -> list[str]:
    """The paragraphs of a row's Ket.: its remarks, then its marks (waits, timeouts)."""
    return [text for text in (row.remarks, *row.marks) if text] if row.marks else [row.remarks]


def _fitted(text: str, width_mm: float, lang: str) -> str:
    """``text`` with soft hyphens in each word too long for a column ``width_mm`` wide, so
    that it breaks at a syllable, with a hyphen, where the column ends; the other words stay
    whole (CSS ``hyphens: auto`` would break them too, wherever a line could be filled)."""
    room = width_mm - PAD_MM - RULE_MM
    return re.sub(r"\S+", lambda m: _hyphenate(m[0], lang) if word_mm(m[0]) > room else m[0], text)


def time_cells(rows: list[FlowRow], page_rows: list[int]) -> dict[int, TimeCell]:
    """The Waktu cells of a page's rows, by the row that holds each: a step whose time covers
    the rows below it (``time_covers``) has one cell across them, as on the official form.

    A table cell cannot run on over a page break, so the rows of such a cell that land on the
    next page share a cell of their own there, saying whose time it is: "(7)".
    """
    cells: dict[int, TimeCell] = {}
    first: int | None = None  # the row holding the cell the next row may join
    for index in page_rows:
        row = rows[index]
        owner = row.covered_by
        if first is not None and owner is not None and owner in (rows[first].number, rows[first].covered_by):
            cells[first] = TimeCell(cells[first].text, cells[first].rows + 1)
            continue
        cells[index] = TimeCell(row.time, 1)
        first = index
    return cells


def _xs(geo: svg.Geometry, names: dict[int, str]) -> dict[float, str]:
    return {geo.x(track): name for track, name in names.items()}


def _lane_heads(doc: SopDocument, chart: Any, lane_mm: float) -> list[str]:
    """The header of each lane-area column (gutters have none).

    A word too long for its column ("Pengadministrasi") gets soft hyphens, so
    it breaks at a syllable; shorter words are never hyphenated.
    """
    fits = int((lane_mm - 2.5) / HEAD_CHAR_MM)
    heads = [
        " ".join(_hyphenate(w, doc.lang) if len(w) > fits else w for w in name.split()) for name in doc.lanes
    ]
    return [""] * (1 if chart.left else 0) + heads + [""] * (1 if chart.right else 0)


def _heads(doc: SopDocument, widths: dict[str, float]) -> dict[str, str]:
    """The headers of the text columns, a word too long for its column hyphenated: a
    document's own label may be longer than the standard one ("Keterangan" for "Ket.")."""
    fits = {name: int((width - 2.5) / HEAD_CHAR_MM / 1.15) for name, width in widths.items()}  # 8.5 pt
    return {
        name: " ".join(_hyphenate(w, doc.lang) if len(w) > fits[name] else w for w in doc.t[name].split())
        for name in ("activity", "requirements", "time", "output", "remarks")
    }


def _hyphenate(word: str, lang: str) -> str:
    if "/" in word or "@" in word:
        # An address (a URL, a path, an e-mail) must read back as written: it may break after
        # its "/" and "." (a zero-width space), never at a hyphen that looks like part of it.
        return re.sub(r"(?<=[/.])(?=.)", "\u200b", word)
    try:
        import pyphen  # type: ignore[import-untyped]  # comes with WeasyPrint; without it the browser breaks the word itself
    except ImportError:
        return word
    return str(pyphen.Pyphen(lang="id" if lang == "id" else "en").inserted(word, hyphen="\u00ad"))


def instance_html(doc: InstanceDocument, paper: Paper) -> str:
    return (
        environment().get_template("instance.html.j2").render(doc=doc, t=doc.t, paper=paper, css=_css(paper))
    )


def stats_html(doc: MonitoringDocument, paper: Paper) -> str:
    template = environment().get_template("stats.html.j2")
    return template.render(doc=doc, t=doc.t, paper=paper, css=_css(paper))


def _css(paper: Paper) -> str:
    from sopctl.render.pages import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X

    return (
        f"@page {{ size: {paper.width:.0f}mm {paper.height:.0f}mm; "
        f"margin: {MARGIN_TOP:.0f}mm {MARGIN_X:.0f}mm {MARGIN_BOTTOM:.0f}mm; }}"
    )
