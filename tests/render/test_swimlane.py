"""The terminal swimlane of ``sopctl show``: exact output, and the drawing's rules."""

from __future__ import annotations

import pytest
from rich.console import Group
from rich.text import Text

from sopctl.render.swimlane import flow_table
from tests import flows
from tests.flows import catalog_of, lanes_sop

SOPS = ["pengelolaan-data-kepegawaian", "pemeliharaan-simpeg"]
#: The BPS Bengkulu SOPs: rows of several symbols, alternative starts, several ends.
ROWS = ["pengelolaan-surat-masuk", "pengumpulan-data-capaian-kinerja"]


@pytest.mark.parametrize("sop", SOPS)
@pytest.mark.parametrize(("width", "ascii_only"), [(80, False), (120, False), (140, False), (80, True)])
def test_show_matches_golden(catalog, render_text, golden, sop: str, width: int, ascii_only: bool) -> None:
    flow = catalog.get(sop).procedure
    text = render_text(flow_table(flow, width, ascii_only=ascii_only), width)
    golden(f"show-{sop}-{width}{'-ascii' if ascii_only else ''}.txt", text)


@pytest.mark.parametrize("sop", ROWS)
@pytest.mark.parametrize(("width", "ascii_only"), [(80, False), (120, False), (80, True)])
def test_show_of_rows_of_several_symbols_matches_golden(
    catalog, render_text, golden, sop: str, width: int, ascii_only: bool
) -> None:
    flow = catalog.get(sop).procedure
    text = render_text(flow_table(flow, width, ascii_only=ascii_only), width)
    golden(f"show-{sop}-{width}{'-ascii' if ascii_only else ''}.txt", text)


@pytest.mark.parametrize("sop", SOPS + ROWS)
@pytest.mark.parametrize("width", [70, 80, 100, 110, 120, 160])
def test_no_line_is_wider_than_the_terminal(catalog, table_width, sop: str, width: int) -> None:
    assert table_width(flow_table(catalog.get(sop).procedure, width)) <= width


@pytest.mark.parametrize("lanes", range(1, 7))
def test_any_lane_count_fits_from_70_columns(tmp_path, table_width, lanes: int) -> None:
    """A column moves under the activity rather than the table running past the terminal."""
    flow = catalog_of(tmp_path, lanes_sop(lanes)).get(f"lajur-{lanes}").procedure
    too_wide = {w: table_width(flow_table(flow, w)) for w in range(70, 121)}
    assert {w: used for w, used in too_wide.items() if used > w} == {}


@pytest.mark.parametrize("width", [70, 80])
def test_words_of_the_activity_stay_whole(tmp_path, render_text, width: int) -> None:
    """With five lanes the Waktu column moves under the activity before a word is cut."""
    flow = catalog_of(tmp_path, lanes_sop(5)).get("lajur-5").procedure
    text = render_text(flow_table(flow, width), width)
    words = {w for s in flow.steps.values() for w in s.activity.split()}
    assert {w for w in words if w not in text} == set()
    if width == 70:
        assert "Waktu: 30 menit" in text and "Waktu" not in text.splitlines()[1]  # no column of its own


def test_ascii_output_is_plain_ascii(catalog, render_text) -> None:
    text = render_text(flow_table(catalog.get("pemeliharaan-simpeg").procedure, 80, ascii_only=True), 80)
    assert text.isascii()


@pytest.mark.parametrize("sop", SOPS + ROWS)
def test_each_symbol_stands_under_its_lane_header(catalog, render_text, sop: str) -> None:
    flow = catalog.get(sop).procedure
    lines = render_text(flow_table(flow, 120, ascii_only=True), 120).splitlines()
    borders = [i for i, ch in enumerate(lines[0]) if ch == "+"]
    start, end = borders[2] + 1, borders[3]  # the lane area: the third column
    area = [line[start:end] for line in lines]
    header = area[2]  # the row of lane names
    centres = {lane.id: header.index(lane.short) + len(lane.short) // 2 for lane in flow.lanes}
    for step in flow.steps.values():
        if len(step.lanes) > 1:
            continue  # a joint step spans its lanes
        marks = (f"( {step.name} )", f"| {step.name} |", f"< {step.name} >")
        mid = next(line for line in area if any(m in line for m in marks))
        column = mid.index(f" {step.name} ")
        nearest = min(centres, key=lambda lane_id: abs(centres[lane_id] - column))
        assert nearest == step.lanes[0], f"symbol {step.name} is drawn under {nearest}"


def test_every_flow_has_an_arrowhead(catalog, render_text) -> None:
    flow = catalog.get("pengelolaan-data-kepegawaian").procedure
    text = render_text(flow_table(flow, 80), 80)
    flows = sum(len(s.targets) for s in flow.steps.values())
    assert text.count("▼") + text.count("◀") + text.count("▶") == flows


def test_branches_and_loops_are_labelled(catalog, render_text) -> None:
    text = render_text(flow_table(catalog.get("pengelolaan-data-kepegawaian").procedure, 80), 80)
    assert "Ya → 5" in text
    assert "Tidak → 2 ↺ kembali" in text


def test_english_labels(catalog, render_text) -> None:
    text = render_text(flow_table(catalog.get("pengelolaan-data-kepegawaian").procedure, 80, "en"), 80)
    assert "TOTAL TIME" in text and "Activity" in text and "back for correction" in text
    assert "Aktivitas" not in text


def test_user_text_is_not_markup(catalog, render_text) -> None:
    """Activity text like "[bold]" prints as written: the table is built from Text, not markup."""
    flow = catalog.get("pengelolaan-data-kepegawaian").procedure
    table = flow_table(flow, 80)
    assert isinstance(table, Group)
    assert all(isinstance(part, Text) for part in table.renderables)


@pytest.mark.parametrize("sop", SOPS)
@pytest.mark.parametrize("width", [70, 80])
def test_a_word_is_cut_only_when_no_layout_has_room_for_it(
    catalog, render_text, sop: str, width: int
) -> None:
    """At 70 columns SIMPEG's Waktu moves under the activity so that "menandatangani" stays whole."""
    flow = catalog.get(sop).procedure
    text = render_text(flow_table(flow, width), width)
    words = {w for s in flow.steps.values() for w in s.activity.split()}
    assert {w for w in words if w not in text} == set()


@pytest.mark.parametrize("width", [80, 100, 130])
def test_remarks_are_shown_at_every_width(tmp_path, render_text, width: int) -> None:
    # Below the wide layout Keterangan has no column: it goes under the activity, as
    # Kelengkapan and Output do, rather than being dropped.
    data = flows.sop(
        "ket", [flows.step(1, "staf", "start"), flows.step(2, "kadis", "end", remarks="Lewat surel")]
    )
    text = render_text(flow_table(catalog_of(tmp_path, data).get("ket").procedure, width), width)
    assert {"Lewat", "surel"} <= set(text.split())


def test_one_lane_keeps_the_pelaksana_header_whole(tmp_path, render_text) -> None:
    data = flows.sop(
        "satu", [flows.step(1, "staf", "start"), flows.step(2, "staf", "end")], lanes=flows.LANES[:1]
    )
    text = render_text(flow_table(catalog_of(tmp_path, data).get("satu").procedure, 80), 80)
    assert "│Pelaksana│" in text.splitlines()[1].replace(" ", "")


def test_full_lane_names_never_run_together(tmp_path, render_text) -> None:
    lanes = [{"id": f"l{n}", "name": f"Staf {n}", "short": f"S{n}"} for n in range(3)]
    steps = [flows.step(1, "l0", "start"), flows.step(2, "l1"), flows.step(3, "l2", "end")]
    data = flows.sop("tiga", steps, lanes=lanes)
    text = render_text(flow_table(catalog_of(tmp_path, data).get("tiga").procedure, 80), 80)
    assert "Staf 0Staf 1" not in text and "Staf 1Staf 2" not in text


@pytest.mark.parametrize("width", [110, 120, 140, 160])
def test_mutu_baku_columns_keep_their_words_whole(tmp_path, render_text, width: int) -> None:
    # A 6-column Ket. split "persediaan" at 120 columns, while at 100 (under the activity)
    # nothing was split: a wider terminal must not give worse output.
    long = {
        "requirements": ["Nota dinas permintaan", "Daftar kebutuhan"],
        "output": "Dokumen ketersediaan anggaran",
        "remarks": "Melalui aplikasi e-katalog persediaan",
    }
    steps = [
        flows.step(1, "staf", "start", **long),
        flows.step(2, "kasubag", **long),
        flows.step(3, "kadis", "end"),
    ]
    flow = catalog_of(tmp_path, flows.sop("mutu", steps)).get("mutu").procedure
    words = set(render_text(flow_table(flow, width), width).split())
    wanted = {w for text in (*long["requirements"], long["output"], long["remarks"]) for w in text.split()}
    assert wanted - words == set()


def test_a_total_the_document_does_not_state_is_not_printed(tmp_path, render_text) -> None:  # type: ignore[no-untyped-def]
    """``total_time: none``: the document has no TOTAL WAKTU row, and neither has ``show``."""
    flow = catalog_of(tmp_path, flows.NO_TOTAL_ROWS).get("tanpa-total").procedure
    assert flow.no_total and flow.total_text("id") is None
    lines = render_text(flow_table(flow, 100, ascii_only=True), 100).splitlines()
    assert not [line for line in lines if "TOTAL WAKTU" in line]
    assert lines[-3].startswith("+----+")  # the table ends under its last row
