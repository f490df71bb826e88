"""The printed SOP of a public service: its Standar Pelayanan block, the calendar its times run
on, the waits and timeouts in Ket., and the timeout's flow in the drawing, in every renderer.

The SOP is a stable copy of the worked example (``tests/fixtures/layanan``). SOPs without
these (the reference SOPs) must print exactly as before: their goldens are unchanged, and
the tests here check that none of it shows up in them.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.console import Group

from sopctl.render.catalog_view import identity_view
from sopctl.render.chart import layout
from sopctl.render.document import SopDocument, sop_document
from sopctl.render.html import sop_html
from sopctl.render.markdown import sop_markdown
from sopctl.render.pages import Paper
from sopctl.render.swimlane import flow_table
from sopctl.sop.loader import LoadedSop, load_sop

LAYANAN = Path(__file__).resolve().parents[1] / "fixtures" / "layanan"
SOP = LAYANAN / "sops" / "surat-keterangan.yaml"

SERVICE_ID = [
    ("Persyaratan", ["Surat pengantar RT/RW", "Fotokopi KTP dan Kartu Keluarga"]),
    ("Biaya/Tarif", ["Tidak dipungut biaya"]),
    ("Produk Layanan", ["Surat Keterangan"]),
    ("Waktu Penyelesaian", ["3 hari kerja, sejak langkah 4 dimulai (kalender layanan)"]),
]
SERVICE_EN = [
    ("Requirements", ["Surat pengantar RT/RW", "Fotokopi KTP dan Kartu Keluarga"]),
    ("Fee", ["Tidak dipungut biaya"]),
    ("Service product", ["Surat Keterangan"]),
    ("Completion time", ["3 hari kerja, from the start of step 4 (layanan calendar)"]),
]
WAIT_ID = ["Menunggu Pemohon; waktu tidak dihitung", "Ditutup otomatis setelah 3 hari (langkah 7)"]
WAIT_EN = ["Waiting for Pemohon; the time does not count", "Closes by itself after 3 hari (step 7)"]


@pytest.fixture(scope="module")
def layanan() -> LoadedSop:
    return load_sop(SOP)


def _doc(loaded: LoadedSop, lang: str | None = None) -> SopDocument:
    return sop_document(loaded.definition(), loaded.procedure, lang)


def _variant(tmp_path: Path, change: Any) -> LoadedSop:
    data = yaml.safe_load(SOP.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "varian.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_sop(path)


# -- what the documents say ---------------------------------------------------------------


def test_the_service_block_in_both_languages(layanan) -> None:
    doc = _doc(layanan)
    assert doc.service is not None
    assert doc.service.title == "Standar Pelayanan"
    assert doc.service.rows == SERVICE_ID
    english = _doc(layanan, "en").service
    assert english is not None
    assert (english.title, english.rows) == ("Service standard", SERVICE_EN)


def test_the_calendar_the_times_run_on(layanan, tmp_path) -> None:
    assert _doc(layanan).calendar == "Waktu dihitung menurut kalender layanan"
    assert _doc(layanan, "en").calendar == "Times run on the layanan calendar"
    always = _variant(tmp_path, lambda d: d.update(calendar="always"))
    assert _doc(always).calendar == "Waktu dihitung 24 jam sehari, setiap hari"
    office = _variant(tmp_path, lambda d: d.update(calendar="office"))
    assert _doc(office).calendar is None  # the default: documents have never said it


def test_waits_timeouts_and_calendars_are_marked_in_ket(layanan) -> None:
    marks = {row.number: row.marks for row in _doc(layanan).rows}
    assert marks == {1: ["Waktu dihitung 24 jam"], 2: [], 3: WAIT_ID, 4: [], 5: [], 6: [], 7: []}
    assert _doc(layanan).rows[2].remarks == "Waktu pemohon tidak dihitung"  # as written, first
    english = {row.number: row.marks for row in _doc(layanan, "en").rows}
    assert english[1] == ["Time runs round the clock"] and english[3] == WAIT_EN


def test_openings_other_calendars_and_rows_of_several_symbols(tmp_path) -> None:
    def change(data: dict[str, Any]) -> None:
        rows = data["rows"]
        rows[1]["symbols"][0]["branches"].append({"label": "Ditolak", "to": "ditutup"})
        rows[2]["symbols"][0]["timeout"] = {"after": "14 hari kalender", "to": "proses"}
        rows[3]["symbols"][0] |= {"opens": {"after": "quarter"}, "next": "5a"}
        rows[4]["symbols"] = [
            {"lanes": ["camat"], "opens": {"after": "month", "day": 5}, "calendar": "daring", "next": "5b"},
            {"lanes": ["petugas"], "calendar": "office"},
        ]
        data["service"] |= {"until": "5b", "calendar": "always"}

    loaded = _variant(tmp_path, change)
    marks = {row.number: row.marks for row in _doc(loaded).rows}
    assert marks[3][1] == "Otomatis ke 4 setelah 14 hari kalender"
    assert marks[4] == ["Mulai setelah triwulan berakhir"]
    assert marks[5] == [
        "5a: Mulai tanggal 5 setelah bulan berakhir",
        "5a: Waktu menurut kalender daring",
        "5b: Waktu menurut jam kerja kantor",
    ]
    english = {row.number: row.marks for row in _doc(loaded, "en").rows}
    assert english[4] == ["Starts when the quarter ends"]
    assert english[5][0] == "5a: Starts on day 5 after the month ends"
    service = _doc(loaded).service
    assert service is not None
    assert service.rows[3] == (
        "Waktu Penyelesaian",
        ["3 hari kerja, sejak langkah 4 dimulai, sampai langkah 5b selesai (24 jam)"],
    )


def test_an_opening_at_the_end_of_the_period_the_case_began_in(layanan) -> None:
    """``opens: {of: start}`` (main's format has it; this reads it where it is there)."""
    from dataclasses import replace
    from types import SimpleNamespace

    from sopctl.render.labels import labels
    from sopctl.render.timenotes import symbol_marks

    flow = layanan.procedure
    step = replace(
        flow.step(flow.resolve("proses")), opens=SimpleNamespace(after="year", day=None, of="start")
    )
    assert symbol_marks(flow, step, labels("id")) == ["Mulai setelah akhir tahun dimulainya proses"]
    assert symbol_marks(flow, step, labels("en")) == ["Starts when the year the case began in ends"]
    step = replace(step, opens=SimpleNamespace(after="quarter", day=5, of="start"))
    assert symbol_marks(flow, step, labels("id")) == [
        "Mulai tanggal 5 setelah akhir triwulan dimulainya proses"
    ]


def _plain(loaded: LoadedSop) -> bool:
    """No service block, no calendar, no wait, timeout or opening."""
    flow = loaded.procedure
    marked = (s.waits_for or s.timeout or s.opens or s.calendar for s in flow.steps.values())
    return flow.service is None and flow.calendar is None and not any(marked)


def test_sops_without_them_say_nothing_of_them(catalog) -> None:
    plain = [loaded for loaded in catalog if _plain(loaded)]
    assert {"pengelolaan-data-kepegawaian", "pemeliharaan-simpeg"} <= {x.sop.id for x in plain}
    for loaded in plain:
        doc = _doc(loaded)
        assert doc.service is None and doc.calendar is None
        assert not any(row.marks for row in doc.rows), loaded.sop.id
        html = sop_html(doc, Paper.named("a4"))
        assert 'class="service"' not in html and 'class="calendar"' not in html
        assert 'class="mark"' not in html and "&gt; " not in html


# -- the drawing ----------------------------------------------------------------------------


def test_the_timeout_is_a_labelled_flow_of_the_chart(layanan) -> None:
    flow = layanan.procedure
    chart = layout(flow)
    timeout = [e for e in chart.edges if e.timeout]
    assert [(e.source, e.target, e.label) for e in timeout] == [
        (flow.resolve("lengkapi"), flow.resolve("ditutup"), "> 3 hari")
    ]
    assert not timeout[0].back
    assert sorted((e.source, e.target) for e in chart.edges) == sorted(
        (s.number, t) for s in flow.steps.values() for t in s.targets
    )


def test_a_timeout_to_a_symbol_already_flowed_to_is_one_flow(tmp_path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["rows"][1]["symbols"][0]["branches"].append({"label": "Ditolak", "to": "ditutup"})
        data["rows"][2]["symbols"][0]["timeout"] = {"after": "3 hari", "to": 2}

    loaded = _variant(tmp_path, change)
    chart = layout(loaded.procedure)
    assert [e for e in chart.edges if e.timeout] == []
    three = loaded.procedure.resolve("lengkapi")
    assert [e.target for e in chart.edges if e.source == three] == [2]


# -- each renderer ------------------------------------------------------------------------


@pytest.mark.parametrize(("width", "ascii_only"), [(80, False), (120, False), (80, True)])
def test_show_matches_golden(layanan, render_text, golden, width: int, ascii_only: bool) -> None:
    flow = layanan.procedure
    shown = Group(identity_view(layanan.sop, None, {}, flow), flow_table(flow, width, ascii_only=ascii_only))
    text = render_text(shown, width)
    golden(f"show-surat-keterangan-{width}{'-ascii' if ascii_only else ''}.txt", text)
    assert "Waktu Penyelesaian" in text and "Waktu dihitung menurut kalender layanan" in text
    assert "> 3 hari" in text  # the timeout's flow, labelled
    assert "Ditutup otomatis" in text


def test_show_in_english(layanan, render_text) -> None:
    flow = layanan.procedure
    text = render_text(Group(identity_view(layanan.sop, "en", {}, flow), flow_table(flow, 120, "en")), 120)
    assert "Service standard" in text and "Completion time" in text
    assert "Times run on the layanan calendar" in text
    assert "Waiting for" in text and "Closes by itself" in text


@pytest.mark.parametrize("lang", ["id", "en"])
def test_markdown_matches_golden(layanan, golden, lang: str) -> None:
    text = sop_markdown(_doc(layanan, lang))
    golden(f"md-surat-keterangan-{lang}.md", text)


def test_markdown_places_the_service_block_before_the_flowchart(layanan) -> None:
    text = sop_markdown(_doc(layanan))
    assert text.index("**Pencatatan dan Pendataan:**") < text.index("## Standar Pelayanan")
    assert text.index("## Standar Pelayanan") < text.index("## Pelaksana")
    assert "| **Waktu Penyelesaian** | 3 hari kerja, sejak langkah 4 dimulai (kalender layanan) |" in text
    assert "| Waktu pemohon tidak dihitung<br>*Menunggu Pemohon; waktu tidak dihitung*<br>" in text
    assert text.endswith("\n\n*Waktu dihitung menurut kalender layanan*\n")


@pytest.mark.parametrize("paper", ["a4", "f4"])
def test_html_prints_the_block_the_calendar_and_the_marks(layanan, paper: str) -> None:
    html = sop_html(_doc(layanan), Paper.named(paper))
    service = html.index('<table class="service"')
    assert html.index('<table class="six"') < service < html.index('<section class="flowchart')
    block = html[service : html.index("</table>", service)]
    cells = [re.sub(r"<[^>]+>", " ", cell).split() for cell in re.findall(r"<td[^>]*>(.*?)</td>", block)]
    assert [" ".join(cell) for cell in cells] == [
        "Persyaratan",
        "Surat pengantar RT/RW Fotokopi KTP dan Kartu Keluarga",
        "Biaya/Tarif",
        "Tidak dipungut biaya",
        "Produk Layanan",
        "Surat Keterangan",
        "Waktu Penyelesaian",
        "3 hari kerja, sejak langkah 4 dimulai (kalender layanan)",
    ]
    # The calendar once, under the last page's table; the marks in Ket. of their rows.
    assert html.count('<p class="calendar">Waktu dihitung menurut kalender layanan</p>') == 1
    assert html.rindex('class="calendar"') > html.rindex("<table")
    row3 = re.search(r'<tr class="step process" data-step="3">(.*?)</tr>', html, re.S)
    assert row3 is not None
    assert re.findall(r'<div class="mark">(.*?)</div>', row3.group(1)) == WAIT_ID
    # The timeout's flow, labelled where it leaves symbol 3.
    assert re.search(r'<text class="label"[^>]*>&gt; 3 hari</text>', row3.group(1))
    # The flowchart keeps to one page, as its seven rows did before they had marks.
    assert html.count('<section class="flowchart') == 1


def _needs_weasyprint() -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        pytest.skip(f"WeasyPrint cannot run here: {exc}")


def test_pdf_says_it_on_two_pages(layanan) -> None:
    _needs_weasyprint()
    pypdf = pytest.importorskip("pypdf")
    from sopctl.render.pdf import html_to_pdf

    reader = pypdf.PdfReader(io.BytesIO(html_to_pdf(sop_html(_doc(layanan), Paper.named("a4")))))
    pages = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
    assert len(pages) == 2  # the identity with its service block, then the flowchart
    assert "Standar Pelayanan" in pages[0] and "Biaya/Tarif Tidak dipungut biaya" in pages[0]
    assert "3 hari kerja, sejak langkah 4 dimulai (kalender layanan)" in pages[0]
    assert "Waktu dihitung menurut kalender layanan" in pages[1]
    assert "Menunggu Pemohon; waktu tidak dihitung" in pages[1]
    # The label of the timeout's flow; PDF text extraction may drop the spaces of a small label.
    assert ">3hari" in pages[1].replace(" ", "")
