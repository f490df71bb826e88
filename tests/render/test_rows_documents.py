"""Format-2 rows in the printed SOP (HTML, PDF, Markdown): symbols by name, the document's own
labels, no TOTAL WAKTU when it states none, a TTE signature, and a page that ends where the
document ends it (``tests/render/rows2.py``)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from sopctl.render.document import sop_document
from sopctl.render.html import sop_html
from sopctl.render.markdown import sop_markdown
from sopctl.render.pages import Paper
from sopctl.sop.loader import LoadedSop
from tests.flows import catalog_of
from tests.render.rows2 import ROWS2, VERIFICATION
from tests.render.test_html import _PAGE, _parse

SOFT_HYPHEN = "\u00ad"


def _loaded(tmp_path: Path, **changes: object) -> LoadedSop:
    data = {**ROWS2, **changes}
    return catalog_of(tmp_path / "sops", data).get("baris-dua")


def _html(loaded: LoadedSop, paper: str = "a4") -> str:
    return sop_html(sop_document(loaded.definition(), loaded.procedure), Paper.named(paper))


def test_the_document_has_a_row_per_printed_row_with_its_notes(tmp_path: Path) -> None:
    loaded = _loaded(tmp_path)
    doc = sop_document(loaded.definition(), loaded.procedure)
    assert [row.number for row in doc.rows] == [1, 2, 3, 4, 5, 6]
    assert [[s.name for s in row.symbols] for row in doc.rows][:3] == [["1a", "1b"], ["2a", "2b"], ["3"]]
    assert doc.rows[1].notes == ["2a → 2b", "2b: Lengkap? — Ya → 3, Tidak → 1b (kembali)"]
    assert doc.rows[2].lanes == ["Portal Pintar"]
    assert doc.total is None  # total_time: none


@pytest.mark.parametrize("paper", ["a4", "f4"])
def test_each_symbol_is_drawn_in_its_lane_and_named(tmp_path: Path, paper: str) -> None:
    loaded = _loaded(tmp_path)
    html = _html(loaded, paper)
    rows = _parse(html).rows
    assert sorted(rows) == [1, 2, 3, 4, 5, 6]
    lanes = [lane.id for lane in loaded.procedure.lanes]
    left = 1 if "gutter-l" in html else 0
    for row in loaded.procedure.rows:
        shapes = [(i, kind) for i, cell in enumerate(rows[row.no]) for kind in cell]
        wanted = []
        for number in row.symbols:
            step = loaded.procedure.step(number)
            kind = {"start": "terminator", "end": "terminator"}.get(step.kind, step.kind)
            wanted.append((left + lanes.index(step.lanes[0]), f"sym {kind}"))
        assert sorted(shapes) == sorted(wanted), f"row {row.no}"
    names = re.findall(r'<text class="num"[^>]*>(\w+)</text>', html)
    assert set(names) >= {"1a", "1b", "2a", "2b", "3", "4a", "4b", "5a", "5b", "6a", "6b"}
    assert "11" not in names  # no symbol by its internal number


def test_the_documents_own_labels_head_its_columns_and_identity(tmp_path: Path) -> None:
    html = _html(_loaded(tmp_path)).replace(SOFT_HYPHEN, "")
    heads = re.findall(r"<th[^>]*>([^<]*)</th>", html)
    assert "Sumber Data" in heads and "Keterangan" in heads and "Kelengkapan" not in heads
    assert '<td class="label">Tanggal Pengesahan</td>' in html
    english = sop_html(
        sop_document(_loaded(tmp_path).definition(), _loaded(tmp_path).procedure, "en"), Paper.named("a4")
    )
    assert "Requirements" in english and "Sumber Data" not in english  # its own words are Indonesian


def test_no_total_waktu_when_the_document_states_none(tmp_path: Path) -> None:
    html = _html(_loaded(tmp_path))
    assert 'class="total"' not in html and "TOTAL WAKTU" not in html
    stated = _html(_loaded(tmp_path / "b", total_time=None))  # unset: the sum is printed
    assert 'class="total"' in stated and "TOTAL WAKTU" in stated


def test_an_electronic_signature_replaces_the_wet_signature_space(tmp_path: Path) -> None:
    html = _html(_loaded(tmp_path))
    assert "Ditandatangani secara elektronik" in html and VERIFICATION in html
    assert 'style="height: 14mm"' not in html  # no space left for a hand signature
    wet = dict(ROWS2["approved_by"], signature="wet", verification="")
    by_hand = _html(_loaded(tmp_path / "b", approved_by=wet))
    assert 'style="height: 14mm"' in by_hand and "elektronik" not in by_hand
    unverified = dict(ROWS2["approved_by"], verification="")
    bare = _html(_loaded(tmp_path / "c", approved_by=unverified))
    assert "Ditandatangani secara elektronik" in bare and 'class="verification"' not in bare


def test_a_page_break_ends_the_page_with_connectors(tmp_path: Path) -> None:
    html = _html(_loaded(tmp_path))
    assert _pages(html) == {1: 1, 2: 1, 3: 1, 4: 1, 5: 2, 6: 2}  # row 4 has page_break: true
    letters = re.findall(r'class="offpage".*?>([A-Z]+)</text>', html)
    # 4b's two branches cross the cut: a pentagon each at the foot of page 1 and head of page 2.
    assert sorted(letters) == ["A", "A", "B", "B"]
    without = _html(_loaded(tmp_path / "b", rows=[dict(r, page_break=False) for r in ROWS2["rows"]]))
    assert _pages(without)[5] == _pages(without)[4]  # otherwise row 5 fits below row 4


def _pages(html: str) -> dict[int, int]:
    return {
        int(step): int(page)
        for page, body in _PAGE.findall(html)
        for step in re.findall(r'<tr class="step [^"]*" data-step="(\d+)">', body)
    }


def test_pdf_pages_end_where_the_document_ends_them(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    try:
        from sopctl.render.pdf import html_to_pdf

        pdf = html_to_pdf(_html(_loaded(tmp_path)))
    except (ImportError, OSError) as exc:  # OSError: installed, but Pango is missing
        pytest.skip(f"WeasyPrint cannot run here: {exc}")
    pages = [" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 3
    assert "Ditandatangani secara elektronik" in pages[0] and "UJI-123" in pages[0]
    assert "Memberikan disposisi" in pages[1] and "Menindaklanjuti" not in pages[1]
    assert "Menindaklanjuti disposisi" in pages[2] and "Mengarsipkan berkas" in pages[2]
    assert "TOTAL WAKTU" not in " ".join(pages)


def test_markdown_lists_each_symbol_and_no_total(tmp_path: Path) -> None:
    loaded = _loaded(tmp_path)
    text = sop_markdown(sop_document(loaded.definition(), loaded.procedure))
    row1 = next(line for line in text.splitlines() if line.startswith("| 1 |"))
    assert "`( )` 1a Staf Umum<br>`[ ]` 1b Staf Umum" in row1
    row3 = next(line for line in text.splitlines() if line.startswith("| 3 |"))
    assert "`[ ]` Portal Pintar" in row3
    assert "TOTAL WAKTU" not in text
    assert "| **Sumber Data** |" not in text and "| Sumber Data |" in text  # the column header
    assert "(Ditandatangani secara elektronik)<br>" in text


_CELL = re.compile(r'<svg [^>]*viewBox="([-\d.]+) 0 ([\d.]+) [\d.]+">(.*?)</svg>', re.S)


def test_every_off_page_connector_fits_one_column(catalog) -> None:  # type: ignore[no-untyped-def]
    """A flow that crosses a page in a gutter track gets a pentagon as narrow as the track:
    one as wide as a lane's was cut in half by the gutter's borders."""
    seen = 0
    for loaded in catalog:
        cells = [(float(x), float(x) + float(w), body) for x, w, body in _CELL.findall(_html(loaded))]
        for _, _, body in cells:
            for points in re.findall(r'class="offpage" points="([^"]+)"', body):
                xs = [float(pair.split(",")[0]) for pair in points.split()]
                seen += 1
                assert any(lo - 0.01 <= min(xs) and max(xs) <= hi + 0.01 for lo, hi, _ in cells), (
                    loaded.sop.id
                )
    assert seen


def test_a_symbols_text_is_drawn_in_it_where_it_fits(tmp_path: Path) -> None:
    html = _html(_loaded(tmp_path))
    inside = re.findall(r'<text class="symtext"[^>]*>([^<]*)</text>', html)
    assert set(inside) == {"Langsung"}  # 1a's; "Lengkap?" is too wide for 2b's diamond
    row2 = re.search(r'<tr class="step [^"]*" data-step="2">(.*?)</tr>', html, re.S)
    assert row2 and "2b: Lengkap? — Ya → 3" in row2.group(1)  # so the notes say it
