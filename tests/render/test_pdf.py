"""PDF through WeasyPrint (the optional 'pdf' extra): every step is in the text of the pages."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from sopctl.errors import UsageError
from sopctl.render.document import instance_document, sop_document
from sopctl.render.html import instance_html, sop_html
from sopctl.render.pages import Paper
from sopctl.render.pdf import html_to_pdf

pypdf = pytest.importorskip("pypdf")


def _needs_weasyprint() -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:  # OSError: installed, but Pango is missing
        pytest.skip(f"WeasyPrint cannot run here: {exc}")


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.mark.parametrize("sop", ["pengelolaan-data-kepegawaian", "pemeliharaan-simpeg"])
def test_sop_pdf_has_every_step(catalog, sop: str) -> None:
    _needs_weasyprint()
    loaded = catalog.get(sop)
    pdf = html_to_pdf(sop_html(sop_document(loaded.definition(), loaded.procedure), Paper.named("a4")))
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    for step in loaded.procedure.steps.values():
        words = " ".join(step.activity.split()[:4])
        assert words in text, f"step {step.number} is missing: {words!r}"
    assert ("TOTAL WAKTU" in text) is not loaded.procedure.no_total  # SIMPEG states none
    assert "Dasar Hukum" in text


def test_instance_pdf_has_every_pass(corrected) -> None:
    _needs_weasyprint()
    text = _text(html_to_pdf(instance_html(instance_document(corrected), Paper.named("a4"))))
    assert "PDK-2026-0001" in text and "TERLAMBAT 10 menit" in text
    assert text.count("Melakukan pengelolaan berkas") == 2  # both passes of step 2


def test_missing_weasyprint_names_the_install_command(monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import raises ImportError
    with pytest.raises(UsageError, match=r"pip install .*'weasyprint>=\d+'") as caught:
        html_to_pdf("<p>x</p>")
    assert "'sopctl[pdf]'" not in str(caught.value)  # sopctl is on no package index


def _flow_tables(html: str) -> list[list[Any]]:
    """The flowchart table on each page as WeasyPrint lays it out: its rows (header and body)."""
    import weasyprint

    def boxes(box: Any) -> list[Any]:
        return [box, *(b for child in getattr(box, "children", []) or [] for b in boxes(child))]

    tables = []
    for page in weasyprint.HTML(string=html).render().pages:
        for box in boxes(page._page_box):
            element = getattr(box, "element", None)
            if type(box).__name__ == "TableBox" and "flow" in (element.get("class") or "").split():
                tables.append([row for group in box.children for row in group.children])
    return tables


@pytest.mark.parametrize("paper", ["a4", "f4"])
def test_the_flow_table_is_closed_at_the_foot_of_every_page(catalog, paper: str) -> None:
    """The row "bersambung ke halaman berikutnya" ends a page: without a rule under it the
    lane borders just stop, and the table looks torn off."""
    _needs_weasyprint()
    loaded = catalog.get("pemeliharaan-simpeg")
    html = sop_html(sop_document(loaded.definition(), loaded.procedure), Paper.named(paper))
    tables = _flow_tables(html)
    assert len(tables) >= 2
    for page, rows in enumerate(tables, start=1):
        last = rows[-1]
        assert "connector" in last.element.get("class") or page == len(tables)
        for cell in last.children:
            assert cell.style["border_bottom_style"] == "solid", f"page {page}: no rule under the last row"
            assert cell.style["border_bottom_width"] > 0


def _printed(text: str, word: str) -> str:
    """``word`` as the PDF's text has it, with the line breaks (and hyphens) put into it."""
    found = re.search(r"(?:[-\u2010]?\n)?".join(map(re.escape, word)), text)
    assert found is not None, f"{word!r} is not in the text"
    return found[0]


@pytest.mark.parametrize("paper", ["a4", "f4"])
def test_remarks_are_printed_without_words_cut_in_two(remarked, paper: str) -> None:
    """ "persedia / an" in a narrow Ket. column: a word is whole, or, too long for the column,
    broken at a syllable with a hyphen."""
    _needs_weasyprint()
    remarks = {
        0: "Barang dicatat pada kartu persediaan",
        3: "Jika Sekretaris dinas luar, ditandatangani Plh.",
        5: "Laporan pertanggungjawabannya dilampirkan",
    }
    loaded = remarked(remarks)
    pdf = html_to_pdf(sop_html(sop_document(loaded.definition(), loaded.procedure), Paper.named(paper)))
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for word in ("persediaan", "ditandatangani", "dilampirkan"):
        assert _printed(text, word) == word
    long = _printed(text, "pertanggungjawabannya")
    assert "\n" in long and "\n" not in re.sub("[-\u2010]\n", "", long), long
