"""Printable HTML: structure of the flowchart table, connectors, and inert user text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import yaml

from sopctl.render.chart import layout
from sopctl.render.document import instance_document, sop_document
from sopctl.render.html import REMARKS_MAX_MM, instance_html, sop_html
from sopctl.render.pages import PAD_MM, RULE_MM, Paper, word_mm
from sopctl.sop.loader import load_sop
from tests import flows

SOPS = ["pengelolaan-data-kepegawaian", "pemeliharaan-simpeg"]
HOSTILE = "<script>alert(\"x\")</script> & <b>bold</b> <!-- c --> 'q'"


class Rows(HTMLParser):
    """Collects each flowchart step row: the classes of the SVG shapes in each lane cell."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[int, list[list[str]]] = {}
        self.step: int | None = None
        self.cell: list[str] | None = None
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "tr" and a.get("data-step") and "step" in (a.get("class") or ""):
            self.step = int(a["data-step"] or 0)
            self.rows[self.step] = []
        elif tag == "td" and self.step is not None and "lane" in (a.get("class") or "").split():
            self.cell = []
            self.rows[self.step].append(self.cell)
        elif self.cell is not None and a.get("class", "") and "sym" in (a.get("class") or "").split():
            self.cell.append(a["class"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self.cell = None
        if tag == "tr":
            self.step = None


def _parse(html: str) -> Rows:
    parser = Rows()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("sop", SOPS)
def test_one_symbol_per_step_in_its_lane_column(catalog, sop: str) -> None:
    loaded = catalog.get(sop)
    flow = loaded.procedure
    html = sop_html(sop_document(loaded.definition(), flow), Paper.named("a4"))
    rows = _parse(html).rows
    assert sorted(rows) == sorted(flow.steps)
    left = 1 if layout(flow).left else 0  # a gutter column before the lanes
    kinds = {"start": "terminator", "end": "terminator", "process": "process", "decision": "decision"}
    for number, step in flow.steps.items():
        lane = [lane.id for lane in flow.lanes].index(step.lanes[0])
        cells = rows[number]
        assert len(cells) == len(flow.lanes) + left + (1 if layout(flow).right else 0)
        with_symbol = [i for i, c in enumerate(cells) if c]
        assert with_symbol == [left + lane], f"step {number}: symbol in cells {with_symbol}"
        assert cells[left + lane] == [f"sym {kinds[step.kind]}"]


@pytest.mark.parametrize("sop", SOPS)
def test_connectors_and_arrowheads_are_drawn(catalog, sop: str) -> None:
    loaded = catalog.get(sop)
    html = sop_html(sop_document(loaded.definition(), loaded.procedure), Paper.named("a4"))
    flows = sum(len(s.targets) for s in loaded.procedure.steps.values())
    steps_html = "".join(re.findall(r'<tr class="step.*?</tr>', html, re.S))
    assert steps_html.count('class="arrow"') == flows  # one arrowhead per flow
    assert steps_html.count("<line") > flows


def test_page_break_gets_a_pair_of_off_page_connectors(catalog) -> None:
    loaded = catalog.get("pemeliharaan-simpeg")
    html = sop_html(sop_document(loaded.definition(), loaded.procedure), Paper.named("a4"))
    pages = html.count('class="flowchart page-break"')
    assert pages >= 2
    letters = re.findall(r'class="offpage".*?>([A-Z]+)</text>', html)
    assert letters and all(letters.count(x) % 2 == 0 for x in set(letters))  # each on both pages


_CELL_SVG = re.compile(r'<svg [^>]*viewBox="([-\d.]+) 0 ([\d.]+) [\d.]+">(.*?)</svg>', re.S)
_GROUND = re.compile(r'<rect class="label-ground" x="([-\d.]+)" y="[-\d.]+" width="([\d.]+)"')


@pytest.mark.parametrize("sop", SOPS)
@pytest.mark.parametrize("paper", ["a4", "f4"])
def test_branch_labels_stay_inside_one_lane_column(catalog, sop: str, paper: str) -> None:
    """The table draws its column borders over the drawing: a label must not straddle one
    (SIMPEG's "Ditemukan kerusakan" did, and now takes two lines)."""
    loaded = catalog.get(sop)
    html = sop_html(sop_document(loaded.definition(), loaded.procedure), Paper.named(paper))
    grounds = 0
    for left, width, body in _CELL_SVG.findall(html):
        for x, wide in _GROUND.findall(body):
            grounds += 1
            assert float(left) - 0.01 <= float(x), f"label at {x} starts left of its cell at {left}"
            assert float(x) + float(wide) <= float(left) + float(width) + 0.01, "label runs past its cell"
    assert grounds >= sum(1 for step in loaded.procedure.steps.values() for _ in step.branches)
    labels = " ".join(re.findall(r'<text class="label"[^>]*>([^<]*)</text>', html))
    for step in loaded.procedure.steps.values():
        for branch in step.branches:
            assert all(word in labels.split() for word in branch.label.split()), branch.label


def test_page_footer_names_the_sop_and_is_one_css_string(tmp_path, catalog) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(_hostile_yaml(catalog, number='800/"1"\\2'), encoding="utf-8")
    loaded = load_sop(path)
    html = sop_html(sop_document(loaded.definition(), loaded.procedure), Paper.named("a4"))
    footer = re.search(r'@bottom-left \{ content: "((?:[^"\\]|\\.)*)";', html)
    assert footer is not None, "the footer's content is not one CSS string"
    assert footer.group(1) == "SOP SOP \\3c img src=x onerror=alert(1)> · Nomor SOP 800/\\22 1\\22 \\5c 2"
    assert html.count("</style>") == 1


def test_hostile_activity_text_is_inert_and_intact(tmp_path, catalog) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(_hostile_yaml(catalog), encoding="utf-8")
    loaded = load_sop(path)
    html = sop_html(sop_document(loaded.definition(), loaded.procedure), Paper.named("a4"))
    parser = _parse(html)
    assert parser.scripts == 0
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;!-- c --&gt; &#39;q&#39;" in html
    assert "&lt;i&gt;Ya&lt;/i&gt; &amp; go" in html  # the branch label inside the SVG too
    assert "<b>bold</b>" not in html and "<i>Ya</i>" not in html


def _hostile_yaml(catalog, number: str | None = None) -> str:  # type: ignore[no-untyped-def]
    data = catalog.get("pengelolaan-data-kepegawaian").definition()
    if number is not None:
        data["number"] = number
    data["rows"][0]["activity"] = HOSTILE
    data["rows"][3]["symbols"][0]["branches"][0]["label"] = "<i>Ya</i> & go"
    data["name"] = "SOP <img src=x onerror=alert(1)>"
    return yaml.safe_dump(data, allow_unicode=True)


def test_instance_summary_structure(corrected) -> None:
    html = instance_html(instance_document(corrected), Paper.named("a4"))
    runs = re.findall(r'<tr class="run( late)?" data-step="(\d+)" data-pass="(\d+)">', html)
    assert [(int(s), int(p)) for _, s, p in runs] == [(1, 1), (2, 1), (3, 1), (4, 1), (2, 2), (3, 2), (4, 2)]
    assert [late for late, _, _ in runs].count(" late") == 1
    assert "✗ TERLAMBAT 10 menit" in html  # a mark, not only a colour
    assert "LAPORAN PELAKSANAAN SOP".lower() in html.lower()
    assert html.count('class="name"') == 2  # two lanes acted: two signature blocks


def test_instance_title_and_notes_are_escaped(engine, clock) -> None:
    view = engine.start("pengelolaan-data-kepegawaian", HOSTILE, ref="<ref>")
    clock.advance(minutes=5)
    engine.done(view.state.id, by="<b>x</b>", note=HOSTILE, output="a & b")
    html = instance_html(instance_document(engine.status(view.state.id)), Paper.named("a4"))
    assert _parse(html).scripts == 0
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "&lt;ref&gt;" in html and "a &amp; b" in html


def test_labels_follow_the_language(catalog, corrected) -> None:
    loaded = catalog.get("pemeliharaan-simpeg")
    html = sop_html(sop_document(loaded.definition(), loaded.procedure, "en"), Paper.named("f4"))
    assert "Legal basis" in html and "Dasar Hukum" not in html
    assert "TOTAL TIME" not in html  # SIMPEG states no total (total_time: none): no such row
    stated = catalog.get("pengelolaan-data-kepegawaian")
    assert "TOTAL TIME" in sop_html(
        sop_document(stated.definition(), stated.procedure, "en"), Paper.named("f4")
    )
    assert "size: 330mm 215mm" in html
    report = instance_html(instance_document(corrected, "en"), Paper.named("a4"))
    assert "SOP Execution Report" in report and "LATE 10 min" in report
    # Every page of a report says whose report it is, in case the pages come apart.
    footer = re.search(r'@bottom-left \{ content: "([^"]*)";', report)
    assert footer is not None
    assert footer.group(1) == f"SOP Execution Report {corrected.state.id} · SOP {corrected.flow.name}"


# A joint step is one symbol across its lanes' columns ("lanes: [a, b]"); steps 2 and 3 are
# joint in adjacent lanes, step 4 in lanes with another between them, as the terminal draws it.
JOINT = """\
schema: 1
id: rapat-bersama
name: Rapat Koordinasi Bersama
lanes:
  - {id: staf, name: Staf Umum}
  - {id: kasubag, name: Kasubag Umum}
  - {id: kepala, name: Kepala Dinas}
  - {id: sekretaris, name: Sekretaris}
steps:
  - step: 1
    kind: start
    activity: Menerima undangan rapat
    lanes: [staf]
    time: 15 Menit
  - step: 2
    activity: Menyusun bahan rapat bersama
    lanes: [kasubag, staf]
    time: 30 Menit
  - step: 3
    kind: decision
    activity: Membahas dan memutuskan bersama
    lanes: [kasubag, kepala]
    time: 30 Menit
    branches:
      - {label: Setuju, to: 4}
      - {label: Tidak, to: 2}
  - step: 4
    activity: Menandatangani notulen
    lanes: [staf, kepala]
    time: 15 Menit
  - step: 5
    kind: end
    activity: Mengarsipkan notulen
    lanes: [sekretaris]
    time: 15 Menit
"""
_LANE_TD = re.compile(
    r'<td class="lane[^"]*"([^>]*)><svg [^>]*viewBox="([-\d.]+) 0 ([\d.]+) [\d.]+">(.*?)</svg></td>', re.S
)
_SYMBOL = re.compile(r'<(rect|polygon) class="sym [^"]*"[^>]*>')
_LINE = re.compile(r'<line x1="([-\d.]+)" y1="([-\d.]+)" x2="([-\d.]+)" y2="([-\d.]+)"')
_TIP = re.compile(r'<polygon class="arrow" points="([-\d.]+),([-\d.]+)')


def _lane_tds(html: str, step: int) -> list[tuple[int, float, float, str]]:
    """The lane-area cells of a step's row: (columns spanned, left, right, SVG markup)."""
    row = re.search(rf'<tr class="step [^"]*" data-step="{step}">(.*?)</tr>', html, re.S)
    assert row is not None, f"no row for step {step}"
    cells = []
    for attrs, left, width, body in _LANE_TD.findall(row.group(1)):
        span = re.search(r'colspan="(\d+)"', attrs)
        cells.append((int(span.group(1)) if span else 1, float(left), float(left) + float(width), body))
    return cells


class Shape:
    """A rect or diamond symbol read back from the SVG."""

    def __init__(self, markup: str) -> None:
        found = _SYMBOL.search(markup)
        assert found is not None
        self.kind, element = found.group(1), found.group(0)

        def attr(name: str) -> str:
            value = re.search(rf' {name}="([^"]+)"', element)
            assert value is not None, name
            return value.group(1)

        if self.kind == "rect":
            x, y, w, h = (float(attr(name)) for name in ("x", "y", "width", "height"))
            self.left, self.right, self.top, self.bottom = x, x + w, y, y + h
        else:
            points = [tuple(map(float, p.split(","))) for p in attr("points").split()]
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            self.left, self.right, self.top, self.bottom = min(xs), max(xs), min(ys), max(ys)

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2

    def near(self, x: float, y: float, margin: float) -> bool:
        return (
            self.left - margin <= x <= self.right + margin and self.top - margin <= y <= self.bottom + margin
        )

    def reach(self, x: float, y: float) -> float:
        """How far out a point is, as a share of the way from the middle to the edge: below 1
        inside, 1 on the outline."""
        dx = abs(x - self.centre) / ((self.right - self.left) / 2)
        dy = abs(y - (self.top + self.bottom) / 2) / ((self.bottom - self.top) / 2)
        return max(dx, dy) if self.kind == "rect" else dx + dy


@pytest.mark.parametrize("paper", ["a4", "f4"])
def test_a_joint_step_is_one_symbol_across_its_lanes_columns(tmp_path, paper: str) -> None:
    """Not cut at the lanes' border, not crossed by it, its number in its middle, and the flows
    meeting its edge: a joint diamond's sides slope away from the lanes' centres."""
    path = tmp_path / "rapat.yaml"
    path.write_text(JOINT, encoding="utf-8")
    loaded = load_sop(path)
    html = sop_html(sop_document(loaded.definition(), loaded.procedure), Paper.named(paper))
    chart = layout(loaded.procedure)
    gutter = 1 if chart.left else 0
    columns = [(left, right) for _, left, right, _ in _lane_tds(html, 1)]  # a row of one lane
    for number in (2, 3, 4):
        node = chart.nodes[number]
        first, last = columns[gutter + node.lo], columns[gutter + node.hi]
        tds = _lane_tds(html, number)
        assert sum(span for span, *_ in tds) == len(columns)
        holding = [td for td in tds if _SYMBOL.search(td[3])]
        assert len(holding) == 1, f"step {number}: the symbol is cut into {len(holding)} cells"
        span, left, right, body = holding[0]
        # One cell from the first lane to the last, so no border between them crosses the symbol.
        assert (span, left, right) == (node.hi - node.lo + 1, first[0], pytest.approx(last[1])), (
            f"step {number}: its cell spans {span} column(s), {left}..{right}"
        )
        shape = Shape(body)
        assert first[0] < shape.left < first[1] and last[0] < shape.right < last[1], number
        digits = re.search(rf'<text class="num" x="([-\d.]+)"[^>]*>{number}</text>', body)
        assert digits is not None and float(digits.group(1)) == pytest.approx(shape.centre, abs=0.02)
        for line in _LINE.findall(body):
            x_a, y_a, x_b, y_b = map(float, line)
            for x, y in ((x_a, y_a), (x_b, y_b)):
                if shape.near(x, y, 1.5):  # a flow's end: under the symbol, so it meets the edge
                    assert shape.reach(x, y) <= 1.0, f"step {number}: a line ends at {x}, {y}"
        tips = [(float(x), float(y)) for x, y in _TIP.findall(body)]
        assert tips
        for x, y in tips:
            if shape.near(x, y, 2.0):
                assert shape.reach(x, y) == pytest.approx(1.0, abs=0.02), f"step {number}: tip at {x}, {y}"


def test_a_plt_signs_as_plt_in_print(delegated) -> None:
    html = instance_html(instance_document(delegated), Paper.named("a4"))
    heads = re.findall(r'<tr class="lanes">(.*?)</tr>', html)
    assert re.findall(r"<td>(.*?)</td>", heads[0]) == [
        "Pengadministrasi Umum,",
        "Plh. Kasubag Umpeg,",
        "Sekretaris,",
        "Plt. Kepala Dinas,",
    ]


_TIME_TD = re.compile(r'<td class="time[^"]*"([^>]*)>(.*?)</td>', re.S)
_PAGE = re.compile(r'<section class="flowchart[^"]*" data-page="(\d+)">(.*?)</section>', re.S)


def _time_cells(html: str) -> dict[int, tuple[int, int, str]]:
    """Each step row's Waktu cell as (page, rows spanned, text); a row without one is left out."""
    cells = {}
    for page, body in _PAGE.findall(html):
        for step, row in re.findall(r'<tr class="step [^"]*" data-step="(\d+)">(.*?)</tr>', body, re.S):
            found = _TIME_TD.findall(row)
            assert len(found) <= 1, f"step {step}: {len(found)} Waktu cells"
            if found:
                span = re.search(r'rowspan="(\d+)"', found[0][0])
                cells[int(step)] = (int(page), int(span.group(1)) if span else 1, found[0][1].strip())
    return cells


def _pages_of_rows(html: str) -> dict[int, int]:
    pages = {}
    for page, body in _PAGE.findall(html):
        for step in re.findall(r'<tr class="step [^"]*" data-step="(\d+)">', body):
            pages[int(step)] = int(page)
    return pages


def _time_cell_sop(tmp_path, count: int, covering: int, covers: int, activity: str = "Memeriksa"):  # type: ignore[no-untyped-def]
    """One lane, ``count`` steps; step ``covering`` has ``time_covers: covers`` (0: none)."""
    steps = []
    for number in range(1, count + 1):
        kind = "start" if number == 1 else "end" if number == count else "process"
        extra = {"time_covers": covers} if number == covering else {}
        inside = covering < number < covering + covers
        steps.append(flows.step(number, "staf", kind, time="-" if inside else "30 menit", **extra))
        steps[-1]["activity"] = f"{activity} {number}"
    path = tmp_path / "sel-waktu.yaml"
    path.write_text(yaml.safe_dump(flows.sop("sel-waktu", steps), allow_unicode=True), encoding="utf-8")
    return load_sop(path)


@pytest.mark.parametrize("paper", ["a4", "f4"])
def test_a_shared_time_cell_is_one_cell_across_its_rows(tmp_path, paper: str) -> None:
    """``time_covers: 3`` on step 2: one Waktu cell spanning rows 2-4, as on the official
    form, and rows 3 and 4 have no Waktu cell of their own."""
    loaded = _time_cell_sop(tmp_path, 6, covering=2, covers=3)
    html = sop_html(sop_document(loaded.definition(), loaded.procedure), Paper.named(paper))
    cells = _time_cells(html)
    assert cells[2] == (1, 3, "30 menit")
    assert 3 not in cells and 4 not in cells
    assert cells[1] == (1, 1, "30 menit") and cells[5] == (1, 1, "30 menit")
    rows = dict(re.findall(r'<tr class="step [^"]*" data-step="(\d+)">(.*?)</tr>', html, re.S))
    assert rows["3"].count("<td") == rows["5"].count("<td") - 1


def test_a_shared_time_cell_cut_by_a_page_break_goes_on_as_one_cell_on_the_next_page(tmp_path) -> None:
    """A page break inside the cell: the rows on the next page share one cell naming the step
    whose time it is ("(n)"), since a cell cannot run on across pages."""
    long_text = "Memeriksa kelengkapan berkas usulan dan mencatatnya pada buku agenda surat masuk " * 3
    plain = _time_cell_sop(tmp_path, 14, covering=0, covers=1, activity=long_text)
    pages = _pages_of_rows(sop_html(sop_document(plain.definition(), plain.procedure), Paper.named("a4")))
    last_on_first = max(step for step, page in pages.items() if page == 1)
    assert pages[last_on_first + 3] == 2, "the test needs three more rows on page 2"
    loaded = _time_cell_sop(tmp_path, 14, covering=last_on_first, covers=3, activity=long_text)
    html = sop_html(sop_document(loaded.definition(), loaded.procedure), Paper.named("a4"))
    assert _pages_of_rows(html) == pages
    cells = _time_cells(html)
    assert cells[last_on_first] == (1, 1, "30 menit")
    assert cells[last_on_first + 1] == (2, 2, f"({last_on_first})")
    assert last_on_first + 2 not in cells
    assert cells[last_on_first + 3] == (2, 1, "30 menit")


_FLOW_COLS = re.compile(r'<table class="flow">\s*<colgroup>(.*?)</colgroup>', re.S)
REMARKS = {0: "Barang dicatat pada kartu persediaan", 3: "Jika Sekretaris dinas luar, ditandatangani Plh."}


def _flow_widths(html: str) -> list[float]:
    """The flowchart table's column widths (mm): No, Aktivitas, the lane area, Kelengkapan,
    Waktu, Output, Ket."""
    group = _FLOW_COLS.search(html)
    assert group is not None
    return [float(w) for w in re.findall(r"width: ([\d.]+)mm", group[1])]


@pytest.mark.parametrize("paper", ["a4", "f4"])
def test_ket_is_as_wide_as_the_longest_word_of_its_remarks(remarked, catalog, paper: str) -> None:
    """Ket. was a narrow 19 mm whatever it held, and "ditandatangani" was cut in two without
    a hyphen. The width for its longest word comes from Aktivitas, Kelengkapan and Output."""
    loaded = remarked(REMARKS)
    html = sop_html(sop_document(loaded.definition(), loaded.procedure), Paper.named(paper))
    widths = _flow_widths(html)
    plain = catalog.get("pengelolaan-data-kepegawaian")
    before = _flow_widths(sop_html(sop_document(plain.definition(), plain.procedure), Paper.named(paper)))
    assert before[-1] == 19.0  # an SOP without remarks keeps the narrow column
    assert widths[-1] >= word_mm("ditandatangani") + PAD_MM + RULE_MM
    assert widths[-2] >= widths[-1]  # never wider than Output
    assert sum(widths) == pytest.approx(sum(before), abs=0.05)
    assert widths[2:-4] == before[2:-4] and widths[-3] == before[-3]  # lanes and Waktu as they were
    for index in (1, -4, -2):  # Aktivitas, Kelengkapan, Output
        assert widths[index] < before[index]
    cells = re.findall(r'<td class="remarks">(.*?)</td>', html)
    assert [c for c in cells if c] == list(REMARKS.values())  # every word fits: none hyphenated


def test_a_word_too_long_for_ket_gets_soft_hyphens(remarked) -> None:
    """A word too long for Ket. even at its widest breaks at a syllable, with a hyphen."""
    pytest.importorskip("pyphen")  # comes with WeasyPrint; without it the word is left whole
    loaded = remarked({5: "Laporan pertanggungjawabannya dilampirkan"})
    html = sop_html(sop_document(loaded.definition(), loaded.procedure), Paper.named("a4"))
    assert _flow_widths(html)[-1] == REMARKS_MAX_MM
    assert '<td class="remarks">Laporan per\u00adtang' in html
    assert "\u00addilampirkan" not in html and "Lapo\u00ad" not in html


def test_an_address_in_a_narrow_column_breaks_at_its_slashes_not_with_hyphens() -> None:
    # Soft hyphens printed "spse.i-naproc.id/jene-pontokab": a URL must read back as written.
    from sopctl.render.html import _fitted

    url = "https://spse.inaproc.id/jenepontokab/eproc4/lelang/daftarpenawaran"
    fitted = _fitted(f"Lihat {url}", 20.0, "id")
    assert "\u00ad" not in fitted
    assert fitted.replace("\u200b", "") == f"Lihat {url}"
    assert "/\u200b" in fitted
