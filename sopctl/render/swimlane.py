"""The SOP AP flowchart table in the terminal: one column per lane, symbols and connectors.

``sopctl show`` prints :func:`flow_table`; ``sopctl status`` prints the same table
with an :class:`Overlay` (who did each pass, how long, what is current). At
narrow widths the lane headers are abbreviated (a legend follows the table) and
Kelengkapan/Output move under the activity text; from ``WIDE`` columns on they
get their own columns, as in the printed document. When many lanes leave too
little room, Waktu (in ``status``, the Status column) moves under the activity
too: the table runs wider than the terminal only where the chart itself cannot fit.

A printed row is one row of the table, with its No, Kegiatan and mutu baku once; when it
holds several symbols (format 2: ``5a``, ``5b``), each is drawn in its lane on a line of
its own inside the row (see ``chart.py``), and the notes under the activity say where each
one leads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.text import Text

from sopctl.render.canvas import Canvas, Glyphs, symbol_width
from sopctl.render.cells import Cell, columns
from sopctl.render.chart import Chart, layout
from sopctl.render.flownotes import TERMINAL, TERMINAL_ASCII, row_notes, time_text
from sopctl.render.grid import Box, Column, Grid, Para, pad, wrap
from sopctl.render.labels import labels, own_labels
from sopctl.render.laneheads import lane_names
from sopctl.render.text import inert
from sopctl.render.timenotes import calendar_line, row_marks
from sopctl.sop.procedure import Procedure, RowDef

WIDE = 110  # from this width on, the mutu baku columns get their own columns
MIN_ROW = 4  # a symbol's three lines and one for a label or a connector
MAX_LANE = 14
MIN_STATUS, MIN_ACTIVITY = 17, 10  # rather than narrower, a column moves under the activity
#: Aktivitas is made as wide as its longest word (taking from the others) up to this; a longer
#: word (a path, a URL) is folded.
LONG_WORD = 20
#: How the text columns share what the lanes leave; the others keep their width.
FLEX = {"activity": 4, "requirements": 2, "output": 2, "remarks": 1}


@dataclass
class Overlay:
    """What ``status`` adds to the chart: a column per printed row, and styles."""

    header: str
    #: The status cell of each printed row, by its No.
    cells: dict[int, list[Para]]
    #: Style of each symbol ("bold", "dim", ...), by its number in the flow.
    styles: dict[int, str] = field(default_factory=dict)
    footer: list[Para] = field(default_factory=list)
    legend: list[Para] = field(default_factory=list)
    #: A marker before the No of a row (one with a current symbol), so it shows without colour.
    markers: dict[int, str] = field(default_factory=dict)
    #: Style of each printed row's text, by its No.
    row_styles: dict[int, str] = field(default_factory=dict)


def flow_table(
    flow: Procedure,
    width: int,
    lang: str | None = None,
    *,
    ascii_only: bool = False,
    overlay: Overlay | None = None,
) -> RenderableType:
    lang = lang or flow.language
    t = own_labels(labels(lang), flow.labels, lang == flow.language)
    glyphs = Glyphs.ascii() if ascii_only else Glyphs.unicode()
    chart = layout(flow)
    plan = _plan(flow, chart, width, t, glyphs, overlay)
    rows: list[list[list[Para]]] = []
    for row in flow.rows:
        rows.append(_text_cells(flow, row, plan, t, glyphs, overlay))
    wrapped = [[wrap(cell, plan.columns[i].width) for i, cell in enumerate(row)] for row in rows]
    heights: list[int] = []  # of each chart row
    totals: list[int] = []  # of each printed row
    for bands, cells in zip(chart.table_rows, wrapped, strict=True):
        # Each symbol of the row gets its lines, and a line between two of them; the last
        # one stretches with the text.
        least = len(bands) * (MIN_ROW + 1) - 1
        total = max([least, *(len(c) for c in cells)])
        heights += [MIN_ROW] * (len(bands) - 1) + [total - least + MIN_ROW]
        totals.append(total)
    canvas = Canvas(chart, plan.lane_width, heights, glyphs)
    canvas.draw(overlay.styles if overlay else None)
    grid = Grid(plan.columns, plan.lanes_at, canvas, Box.ascii() if ascii_only else Box.unicode())
    grid.header(_header(plan, canvas, flow, t))
    for r, cells in enumerate(wrapped):
        bands = chart.table_rows[r]
        cells[plan.lanes_at] = canvas.table_body(bands)
        grid.body(cells, totals[r], canvas.rule(bands[0]))
    footer = _footer(flow, plan, t, overlay, lang)
    if footer is not None:
        total_cells = [wrap(cell, plan.columns[i].width) for i, cell in enumerate(footer)]
        total_cells[plan.lanes_at] = []
        grid.body(total_cells, max(len(c) for c in total_cells), canvas.rule(chart.rows))
    grid.rule("bottom")
    return Group(grid.text(), *_legend(flow, plan, t, glyphs, overlay))


@dataclass
class _Plan:
    columns: list[Column]
    lanes_at: int
    lane_width: int
    kinds: list[str]  # what each column shows
    under: list[str]  # what is listed under the activity instead of in a column of its own
    full_names: bool


@dataclass(frozen=True)
class _Layout:
    kinds: list[str]
    under: list[str]


@dataclass(frozen=True)
class _Lanes:
    """What the lane area needs: ``count`` lanes of at least ``least`` columns, and the gutters."""

    count: int
    least: int
    want: int  # the widest abbreviated header and a space
    gutters: int


def _plan(
    flow: Procedure, chart: Chart, width: int, t: dict[str, str], glyphs: Glyphs, overlay: Overlay | None
) -> _Plan:
    """Column widths: lanes wide enough for their symbols, text columns share the rest.

    Each layout moves one more column under the activity text. The first in which every
    column fits and Aktivitas is as wide as its longest word is taken; failing that, the
    first in which they fit with words folded; failing that (a terminal narrower than the
    chart itself) the last, which runs wider than the terminal.
    """
    biggest = max(symbol_width(s.name) for s in flow.steps.values())
    short = max(cell_len(lane.short) for lane in flow.lanes)
    gutters = (2 * chart.left + 1 if chart.left else 0) + (2 * chart.right + 1 if chart.right else 0)
    # A lane is as wide as its symbols and its abbreviated header (never cut), and the lanes
    # together as wide as the "Pelaksana" above them (one lane, no gutters: 9 columns).
    count = len(flow.lanes)
    group = -(-max(0, cell_len(t["lanes"]) - gutters) // count)
    least = max(6, biggest + 1, short, group)
    lanes = _Lanes(count, least, max(least, short + 1), gutters)
    times = [r.limit.text for r in flow.rows if r.limit] + [t["time"], "-"]
    marker_w = max((cell_len(m) for m in overlay.markers.values()), default=0) if overlay else 0
    base = {
        "no": max(cell_len(t["no"]), max(len(str(r.no)) for r in flow.rows) + marker_w),
        "time": min(12, max(cell_len(x) for x in times)),  # a long total may wrap
        "status": 26 if width >= WIDE else 20,
        "activity": 16,
        "requirements": 10,
        "output": 10,
        "remarks": 6,
    }
    layouts = _layouts(flow, width, overlay)
    # Kelengkapan, Output and Ket. keep their words whole too: rather than a 6-column Ket.
    # that splits "persediaan", they move under the activity (the next layout).
    mutu = {
        kind: min(LONG_WORD, _column_word(flow, kind, t[kind]))
        for kind in ("requirements", "output", "remarks")
    }
    whole = [
        mutu
        | {"activity": max(MIN_ACTIVITY, min(LONG_WORD, _longest_word(flow, x.under, t, glyphs, overlay)))}
        for x in layouts
    ]
    tries = [*zip(layouts, whole, strict=True), *((x, {"activity": MIN_ACTIVITY}) for x in layouts)]
    for shape, wanted in tries:
        sizes, lane_w, fits = _fit(shape, lanes, base, width, wanted)
        if fits:
            break
    # If nothing fits, the terminal is narrower than the chart: the last try runs wider.
    return _make_plan(flow, shape, lanes, sizes, lane_w, t, overlay)


def _layouts(flow: Procedure, width: int, overlay: Overlay | None) -> list[_Layout]:
    """The layouts to try, best first; from ``WIDE`` columns on, the mutu baku get columns."""
    wide = width >= WIDE
    # ``status`` is about the case: Kelengkapan, Output and Ket. are the SOP's (``show``), and
    # under each activity they would bury the passes; Waktu stays, the limits being the case's.
    if overlay is not None:
        return [
            *([_Layout(["no", "activity", "lanes", "time", "status"], [])] if wide else []),
            _Layout(["no", "activity", "lanes", "status"], []),
            _Layout(["no", "activity", "lanes"], ["status"]),
        ]
    remarks = ["remarks"] if any(r.remarks for r in flow.rows) else []
    return [
        *(
            [_Layout(["no", "activity", "lanes", "requirements", "time", "output", *remarks], [])]
            if wide
            else []
        ),
        _Layout(["no", "activity", "lanes", "time"], ["requirements", "output", *remarks]),
        _Layout(["no", "activity", "lanes"], ["requirements", "time", "output", *remarks]),
    ]


def _fit(
    layout: _Layout, lanes: _Lanes, base: dict[str, int], width: int, least: dict[str, int]
) -> tuple[dict[str, int], int, bool]:
    """Widths of the text columns and of a lane, and whether they fit in ``width``.

    The text columns first get their usual share; only if that leaves one narrower than
    its ``least`` (its longest word) is its share taken from the others (so what fit stays
    as it was)."""
    least_activity = least["activity"]
    sizes, lane_w, fits = _share(layout, lanes, base, width, least_activity)
    if fits and any(sizes[k] < v for k, v in least.items() if k in sizes):
        raised = base | {k: max(base[k], v) for k, v in least.items() if k in sizes}
        return _share(layout, lanes, raised, width, least_activity)
    return sizes, lane_w, fits


def _share(
    layout: _Layout, lanes: _Lanes, base: dict[str, int], width: int, least_activity: int
) -> tuple[dict[str, int], int, bool]:
    text = [k for k in layout.kinds if k != "lanes"]
    sizes = {k: base[k] for k in text}
    borders = (len(layout.kinds) + 1) + 2 * len(text)  # a rule between columns, a space each side of text
    spare = width - borders - lanes.gutters - lanes.count * lanes.least - sum(sizes.values())
    # Short of room: Status gives first, down to MIN_STATUS, then Aktivitas.
    for kind, least in (("status", MIN_STATUS), ("activity", least_activity)):
        if spare < 0 and kind in sizes:
            give = min(-spare, max(0, sizes[kind] - least))
            sizes[kind] -= give
            spare += give
    fits = spare >= 0
    lane_w = lanes.least
    if spare > 0:
        lane_w += min(spare // lanes.count, lanes.want - lane_w)
        spare -= (lane_w - lanes.least) * lanes.count
    if spare > 0 and width >= WIDE and lane_w < MAX_LANE:
        grow = min(spare // (4 * lanes.count), MAX_LANE - lane_w)  # text needs the room more than lanes
        lane_w += grow
        spare -= grow * lanes.count
    flex = [k for k in text if k in FLEX]
    spare = max(0, spare)
    weights = sum(FLEX[k] for k in flex)
    given = 0
    for k in flex:
        extra = spare * FLEX[k] // weights
        sizes[k] += extra
        given += extra
    sizes[flex[0]] += spare - given
    return sizes, lane_w, fits


def _make_plan(
    flow: Procedure,
    layout: _Layout,
    lanes: _Lanes,
    sizes: dict[str, int],
    lane_w: int,
    t: dict[str, str],
    overlay: Overlay | None,
) -> _Plan:
    status = overlay.header if overlay else ""
    headers = {
        "no": t["no"],
        "activity": f"{t['activity']} / {status}" if "status" in layout.under else t["activity"],
        "requirements": t["requirements"],
        "time": t["time"],
        "output": t["output"],
        "remarks": t["remarks"],
        "status": status,
    }
    columns = [
        Column("", lanes.gutters + lanes.count * lane_w)
        if k == "lanes"
        else Column(headers[k], sizes[k], "right" if k == "no" else "left")
        for k in layout.kinds
    ]
    # Full names when each fits with a space to spare: side by side they must not run together.
    full_names = max(cell_len(lane.name) for lane in flow.lanes) < lane_w
    return _Plan(columns, layout.kinds.index("lanes"), lane_w, layout.kinds, layout.under, full_names)


def _longest_word(
    flow: Procedure, under: list[str], t: dict[str, str], glyphs: Glyphs, overlay: Overlay | None
) -> int:
    """Columns of the longest word in the activity cells (wrapping breaks lines only between words)."""
    paras = [p for row in flow.rows for p in _activity(flow, row, under, t, glyphs, "", overlay)]
    return max(cell_len(word) for text, _ in paras for word in inert(text).replace("\n", " ").split(" "))


def _column_word(flow: Procedure, kind: str, header: str) -> int:
    """Columns of the longest word in one of the mutu baku columns (0 when it is empty), its
    header's among them ("Kelengkapan"; a header breaks after a "/", see ``_header``)."""
    texts = [
        " ".join(row.requirements) if kind == "requirements" else getattr(row, kind) for row in flow.rows
    ]
    words = [cell_len(word) for text in texts for word in inert(text).split()]
    if not words:
        return 0
    return max(*words, *(cell_len(w) for w in inert(header).replace("/", "/ ").split()))


def _text_cells(
    flow: Procedure,
    row: RowDef,
    plan: _Plan,
    t: dict[str, str],
    glyphs: Glyphs,
    overlay: Overlay | None,
) -> list[list[Para]]:
    style = _row_style(row, overlay)
    none = t["none"]
    cells: list[list[Para]] = []
    for kind in plan.kinds:
        if kind == "no":
            marker = overlay.markers.get(row.no, "") if overlay else ""
            cells.append([(f"{marker}{row.no}", style)])
        elif kind == "activity":
            cells.append(_activity(flow, row, plan.under, t, glyphs, style, overlay))
        elif kind == "lanes":
            cells.append([])
        elif kind == "requirements":
            cells.append([("\n".join(row.requirements) or none, style)])
        elif kind == "time":
            cells.append([(time_text(flow, row, t), style)])
        elif kind == "output":
            cells.append([(row.output or none, style)])
        elif kind == "remarks":
            cells.append([(row.remarks or "", style)])
        elif kind == "status":
            cells.append(overlay.cells.get(row.no, []) if overlay else [])
    return cells


def _row_style(row: RowDef, overlay: Overlay | None) -> str:
    if overlay is None:
        return ""
    if row.no in overlay.row_styles:
        return overlay.row_styles[row.no]
    return overlay.styles.get(row.symbols[0], "")


def _activity(
    flow: Procedure,
    row: RowDef,
    under: list[str],
    t: dict[str, str],
    glyphs: Glyphs,
    style: str,
    overlay: Overlay | None,
) -> list[Para]:
    paras: list[Para] = [(row.activity, style)]
    notes = TERMINAL_ASCII if glyphs.branch == "->" else TERMINAL
    paras += [(note, "italic") for note in row_notes(flow, row, t, notes)]
    if overlay is None:
        # Waits, timeouts, openings, calendars of their own: the printed SOP has them in Ket.;
        # here they join the notes, as a column of their own would take the lanes' room.
        paras += [(mark, "italic") for mark in row_marks(flow, row, t)]
    for kind in under:
        if kind == "requirements" and row.requirements:
            paras.append((f"{t['requirements']}: {'; '.join(row.requirements)}", "dim"))
        elif kind == "time":
            paras.append((f"{t['time']}: {time_text(flow, row, t)}", "dim"))
        elif kind == "output" and row.output:
            paras.append((f"{t['output']}: {row.output}", "dim"))
        elif kind == "remarks" and row.remarks:
            paras.append((f"{t['remarks'].rstrip('.')}: {row.remarks}", "dim"))
        elif kind == "status" and overlay is not None:
            paras += overlay.cells.get(row.no, [])
    return paras


def _header(plan: _Plan, canvas: Canvas, flow: Procedure, t: dict[str, str]) -> list[list[list[Cell]]]:
    cells: list[list[list[Cell]]] = []
    for i, column in enumerate(plan.columns):
        if i != plan.lanes_at:
            # A document's own label may be longer than its column: "Persyaratan/Kelengkapan"
            # breaks after its "/", not in the middle of a word.
            words = [
                w.replace("/", "/ ") if cell_len(w) > column.width else w for w in column.header.split(" ")
            ]
            cells.append(wrap([(" ".join(words), "bold")], column.width))
            continue
        group = pad(columns(t["lanes"], "bold"), canvas.width, "center")
        names = [inert(lane.name if plan.full_names else lane.short) for lane in flow.lanes]
        lines = lane_names(names, [canvas.lane_span(n) for n in range(len(names))], canvas.width)
        cells.append([group, *lines])
    return cells


def _footer(
    flow: Procedure, plan: _Plan, t: dict[str, str], overlay: Overlay | None, lang: str
) -> list[list[Para]] | None:
    """The TOTAL WAKTU row; None for ``show`` of an SOP that states none (``total_time:
    none``): the document has no such row. ``status`` keeps it for the case's totals."""
    stated = flow.total_text(lang)
    if stated is None and overlay is None:
        return None
    cells: list[list[Para]] = []
    total: list[Para] = [] if stated is None else [(stated, "bold")]
    status = overlay.footer if overlay is not None else []
    for kind in plan.kinds:
        if kind == "activity":
            # What the columns moved under the activity would have shown here.
            moved = (total if "time" in plan.under else []) + (status if "status" in plan.under else [])
            cells.append([(t["total"], "bold"), *moved])
        elif kind == "time":
            cells.append(total)
        elif kind == "status":
            cells.append(status)
        else:
            cells.append([])
    return cells


def _legend(
    flow: Procedure, plan: _Plan, t: dict[str, str], glyphs: Glyphs, overlay: Overlay | None
) -> list[Text]:
    out: list[Text] = []
    if not plan.full_names:
        out.append(Text(f"{t['legend']}: " + "; ".join(f"{lane.short} = {lane.name}" for lane in flow.lanes)))
    term, proc, dec = (glyphs.symbols[k] for k in ("terminator", "process", "decision"))
    out.append(
        Text(
            f"{t['symbols']}: {term[3]}{term[4]} {t['sym_terminator']}; {proc[0]}{proc[2]} "
            f"{t['sym_process']}; {dec[3]}{dec[4]} {t['sym_decision']}; "
            f"{glyphs.loop} {t['sym_loop']}"
        )
    )
    # Which calendar the Waktu column counts on (``show``; ``status`` shows the case's times).
    calendar = calendar_line(flow, t) if overlay is None else None
    if calendar:
        out.append(Text(calendar))
    if overlay is not None and overlay.legend:
        legend = Text(f"{t['marks']}: ")
        for i, (text, style) in enumerate(overlay.legend):
            if i:
                legend.append("; ")
            legend.append(text, style or None)
        out.append(legend)
    return out
