"""Format-2 rows of several symbols in the terminal: ``show`` and ``status`` (``tests/render/rows2.py``)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from sopctl.org import load_org
from sopctl.render.flownotes import DOCUMENT, TERMINAL, TERMINAL_ASCII, row_notes
from sopctl.render.labels import labels
from sopctl.render.status_view import status_view
from sopctl.render.swimlane import flow_table
from sopctl.run.engine import Engine
from sopctl.sop.procedure import Procedure
from tests.flows import catalog_of
from tests.render.conftest import table_lines
from tests.render.rows2 import ORG, ROWS2, walk

NAMES = ["1a", "1b", "2a", "2b", "3", "4a", "4b", "5a", "5b", "6a", "6b"]


@pytest.fixture
def flow(tmp_path: Path) -> Procedure:
    return catalog_of(tmp_path / "sops", ROWS2).get("baris-dua").procedure


@pytest.fixture
def engine(tmp_path: Path, store, clock) -> Engine:  # type: ignore[no-untyped-def]
    org = tmp_path / "org.yaml"
    org.write_text(ORG)
    catalog = catalog_of(tmp_path / "sops", ROWS2)
    return Engine(store, catalog, clock, people=load_org(org), os_user="tester")


def _columns(lines: list[str]) -> list[list[str]]:
    """Each line of the table cut at the column borders of its first line."""
    borders = [i for i, ch in enumerate(lines[0]) if ch in "+┌┬┐"]
    return [[line[a + 1 : b] for a, b in itertools.pairwise(borders)] for line in lines]


def _column(renderable, index: int) -> str:  # type: ignore[no-untyped-def]
    """The words of one column of the table, top to bottom, as one line of text."""
    cells = _columns(table_lines(renderable))
    return " ".join(" ".join(row[index].split()) for row in cells if len(row) > index and row[index].strip())


def test_the_flow_numbers_its_symbols_otherwise_than_their_names(flow: Procedure) -> None:
    """What makes this fixture tell a name from a number: they differ from row 2 on."""
    assert [flow.label(n) for n in flow.steps] == NAMES
    assert list(flow.steps) == list(range(1, 12))


@pytest.mark.parametrize("width", [80, 120])
def test_each_row_prints_its_no_once_and_each_symbol_by_its_name(flow, render_text, width: int) -> None:
    lines = table_lines(flow_table(flow, width, ascii_only=True))
    cells = _columns(lines)
    body = [row for line, row in zip(lines, cells, strict=True) if line.startswith("|")][2:]  # not the header
    nos = [row[0].strip() for row in body if row[0].strip()]
    assert nos == ["1", "2", "3", "4", "5", "6"]  # the printed Nos, once per row
    lanes = "\n".join(row[2] for row in cells if len(row) > 2)
    drawn = re.findall(r"[(|<] (\w+) [)|>]", lanes)
    assert drawn == NAMES  # every symbol, top to bottom, by its name; none by its number


def test_two_symbols_of_a_row_in_one_lane_are_both_seen(flow, render_text) -> None:
    """1a and 1b (a start and a process), 2a and 2b (a process and its decision): one lane
    each, on lines of their own inside the row."""
    lines = table_lines(flow_table(flow, 80, ascii_only=True))
    where = {}
    for n, line in enumerate(lines):
        for name in re.findall(r"[(|<] (\w+) [)|>]", line):
            where[name] = (n, line.index(f" {name} "))
    assert where["1a"][1] == where["1b"][1] and where["1a"][0] < where["1b"][0]
    assert where["2a"][1] == where["2b"][1] and where["2a"][0] < where["2b"][0]
    # Row 1 is one row of the table: no rule between its two symbols.
    between = lines[where["1a"][0] : where["1b"][0]]
    assert not any(line.startswith("+") for line in between)


def test_the_notes_name_each_symbol_and_where_it_leads(flow: Procedure) -> None:
    t = labels("id")
    notes = {row.no: row_notes(flow, row, t, TERMINAL) for row in flow.rows}
    assert notes == {
        1: ["1a: Langsung → 1b", "1b → 2a"],
        2: ["2a → 2b", "2b: Lengkap? — Ya → 3, Tidak → 1b ↺ kembali"],
        3: [],
        4: ["4a → 4b", "4b: Jenis? — Biasa → 5a, Penting → 5b"],
        5: ["5a → 6a", "5b → 6b"],
        6: [],
    }
    ascii_notes = row_notes(flow, flow.rows[1], t, TERMINAL_ASCII)
    assert ascii_notes[1] == "2b: Lengkap? - Ya -> 3, Tidak -> 1b <- kembali"
    assert row_notes(flow, flow.rows[1], t, DOCUMENT)[1] == "2b: Lengkap? — Ya → 3, Tidak → 1b (kembali)"


def test_show_prints_the_notes_the_documents_own_labels_and_no_total(flow, render_text) -> None:
    text = render_text(flow_table(flow, 80), 80)
    activity = _column(flow_table(flow, 80), 1)
    assert "2b: Lengkap? — Ya → 3, Tidak → 1b ↺ kembali" in activity
    assert "Sumber Data: Berkas 1" in activity  # the document's own label for Kelengkapan
    assert "TOTAL WAKTU" not in text  # total_time: none: the document has no such row
    assert "Requirements: Berkas 1" in _column(flow_table(flow, 80, "en"), 1)  # another language: its own


@pytest.mark.parametrize("width", [60, 70, 80, 100, 120, 160])
@pytest.mark.parametrize("ascii_only", [False, True])
def test_no_line_is_wider_than_the_terminal(flow, width: int, ascii_only: bool) -> None:
    lines = table_lines(flow_table(flow, width, ascii_only=ascii_only))
    assert max(cell_len(line) for line in lines) <= max(width, 70)


def test_ascii_show_is_plain_ascii(flow, render_text) -> None:
    assert render_text(flow_table(flow, 80, ascii_only=True), 80).isascii()


def test_status_shows_the_symbols_reached_by_name(engine, clock, render_text) -> None:  # type: ignore[no-untyped-def]
    view = walk(engine, clock)
    table = status_view(view, 120)
    status = _column(table, 4)
    assert "→ Tidak (1b) ↺" in status  # the loop back, to the symbol by its name
    assert "→ Biasa (5a)" in status
    assert "2a: ✓ #1 5 menit ≤ 20 menit" in status  # a row of several: each reached symbol, named
    assert "2b: ✓ #1" in status and "5a: ▶" in status
    assert "5b:" not in status  # the path not taken says nothing
    # The portal's row: the application did it, no person and no lane beside it.
    assert "Portal Pintar 02/03 08:40" in status and "operator loket" not in status
    nos = [row[0].strip() for row in _columns(table_lines(table)) if row and row[0].strip()]
    assert "▶5" in nos  # the row of the current symbol (5a) is marked at its No


@pytest.mark.parametrize("width", [70, 80, 120])
def test_status_fits_the_terminal(engine, clock, width: int) -> None:  # type: ignore[no-untyped-def]
    view = walk(engine, clock)
    lines = table_lines(status_view(view, width))
    assert max(cell_len(line) for line in lines) <= width


def test_the_identity_section_says_how_it_was_signed_in_the_documents_labels(tmp_path, render_text) -> None:  # type: ignore[no-untyped-def]
    from sopctl.render.catalog_view import identity_view
    from tests.render.rows2 import VERIFICATION

    sop = catalog_of(tmp_path / "sops", ROWS2).get("baris-dua").sop
    text = render_text(identity_view(sop), 120)
    assert "Tanggal Pengesahan" in text and "Tanggal Efektif" not in text
    lines = [line.strip() for line in text.splitlines()]
    signed = lines.index("Disahkan oleh             Kepala Dinas Uji")
    assert lines[signed + 1 : signed + 4] == [
        "(Ditandatangani secara elektronik)",
        VERIFICATION,
        "Dr. Uji Coba",
    ]
    assert "Date effective" in render_text(identity_view(sop, "en"), 120)
