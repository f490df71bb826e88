"""The instance on its swimlane (``sopctl status``): exact output and what it must show."""

from __future__ import annotations

import itertools

import pytest

from sopctl.render.status_view import status_view


@pytest.mark.parametrize(("width", "ascii_only"), [(80, False), (120, False), (80, True)])
def test_status_matches_golden(corrected, render_text, golden, width: int, ascii_only: bool) -> None:
    text = render_text(status_view(corrected, width, ascii_only=ascii_only), width)
    golden(f"status-corrected-{width}{'-ascii' if ascii_only else ''}.txt", text)


def test_held_matches_golden(held, render_text, golden) -> None:
    golden("status-held-80.txt", render_text(status_view(held, 80), 80))


def test_every_pass_of_the_loop_is_shown(corrected, render_text) -> None:
    text = render_text(status_view(corrected, 120), 120)
    assert text.count("#1 ") == 3 and text.count("#2 ") == 3  # steps 2, 3 and 4, twice each
    assert "✗ #1 40 menit > 30 Menit" in text  # over the limit, readable without colour
    assert "✓ #2 20 menit ≤ 30 Menit" in text
    assert "→ Tidak (2) ↺" in text


def test_current_step_is_marked_with_time_left(corrected, render_text) -> None:
    text = render_text(status_view(corrected, 80), 80)
    assert "▶5 │ Melakukan update" in text
    assert "▶ sisa 25 menit" in text
    assert text.count("· belum") == 5 + 1  # steps 6-10 pending, and the legend


def test_late_current_step_says_how_late(corrected, clock, render_text) -> None:
    from dataclasses import replace

    late = replace(corrected, now=clock.advance(hours=1))
    assert "▶ TERLAMBAT 35 menit" in render_text(status_view(late, 120), 120)
    narrow = render_text(status_view(late, 80), 80)
    assert "│ ▶ TERLAMBAT" in narrow and "│ 35 menit" in narrow


def test_held_and_cancelled_states_are_shown(held, engine, render_text) -> None:
    text = render_text(status_view(held, 80), 80)
    assert "keadaan: DITAHAN" in text and "⏸ DITAHAN" in text
    cancelled = engine.cancel(held.state.id, reason="batal")
    text = render_text(status_view(engine.status(cancelled.state.id), 80), 80)
    assert "keadaan: DIBATALKAN" in text


def test_english(corrected, render_text) -> None:
    text = render_text(status_view(corrected, 80, lang="en"), 80)
    assert "state: RUNNING" in text and "▶ left 25 min" in text and "pending" in text


def test_ascii_status_is_ascii(corrected, render_text) -> None:
    assert render_text(status_view(corrected, 80, ascii_only=True), 80).isascii()


def _walked(tmp_path, clock, lanes: int):  # type: ignore[no-untyped-def]
    """An instance of ``lanes_sop(lanes)`` through both correction loops, step 7 now current."""
    from sopctl.run.engine import Engine
    from sopctl.store import open_store
    from tests.flows import catalog_of, lanes_sop

    catalog = catalog_of(tmp_path / "sops", lanes_sop(lanes))
    flow = catalog.get(f"lajur-{lanes}").procedure
    engine = Engine(open_store(tmp_path / "sopctl.db"), catalog, clock)
    iid = engine.start(f"lajur-{lanes}", "Cuti tahunan a.n. Andi").state.id
    moves = [1, (2, "Tidak lengkap"), 1, (2, "Lengkap"), 3, 4, 5, (6, "Perbaiki"), 3, 4, 5, (6, "Setuju")]
    for move in moves:
        clock.advance(minutes=20)
        number, branch = move if isinstance(move, tuple) else (move, None)
        lane = flow.step(number).lanes[0]
        if branch is None:
            engine.done(iid, by="Andi", step=number, as_lane=lane)
        else:
            engine.decide(iid, branch, by="Budi", step=number, as_lane=lane)
    return engine.status(iid)


@pytest.mark.parametrize("lanes", range(1, 7))
def test_any_lane_count_fits_from_70_columns(tmp_path, clock, table_width, lanes: int) -> None:
    """Status moves under the activity rather than the table running past the terminal."""
    view = _walked(tmp_path, clock, lanes)
    assert view.state.current.keys() == {7}
    too_wide = {w: table_width(status_view(view, w)) for w in range(70, 121)}
    assert {w: used for w, used in too_wide.items() if used > w} == {}


def test_status_under_the_activity_when_the_lanes_leave_too_little_room(tmp_path, clock, render_text) -> None:
    view = _walked(tmp_path, clock, 5)
    text = render_text(status_view(view, 80), 80)
    words = {w for s in view.flow.steps.values() for w in s.activity.split()}
    assert {w for w in words if w not in text} == set()  # "persyaratan", not "persyarata" + "n"
    assert "No │ Aktivitas / Status" in text and "│ Status" not in text
    assert "│ ✓ #1 20 menit" in text and "▶7 │ Kepala Badan" in text


def test_a_word_of_the_activity_is_not_cut_when_status_can_give(corrected, render_text) -> None:
    text = render_text(status_view(corrected, 80), 80)
    assert "Mengkoordinasikan" in text  # step 10; Status gives a column for it
    assert "│ Status" in text


def _status_cells(text: str) -> dict[int, str]:
    """The Status cell of each step row as one line of words (wrapping undone), whether it
    has a column of its own or sits under the activity ("Aktivitas / Status"). Columns are
    cut where the top border has a "┬": the chart between them draws "│" too."""
    lines = text.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("┌"))
    edges = [i for i, char in enumerate(lines[top]) if char in "┌┬┐"]
    spans = list(itertools.pairwise(edges))
    header = [lines[top + 1][a + 1 : b].strip() for a, b in spans]
    a, b = spans[next(i for i, cell in enumerate(header) if cell in ("Status", "Aktivitas / Status"))]
    cells: dict[int, list[str]] = {}
    number, starts = 0, False
    for line in lines[top + 3 :]:
        if line.startswith("└"):
            break
        if line.startswith("├"):
            starts = True
            continue
        if starts:  # a row's number is on its first line; the TOTAL row has none
            first = line[edges[0] + 1 : edges[1]].strip().lstrip("▶")
            number, starts = int(first) if first.isdigit() else 0, False
        if number:
            cells.setdefault(number, []).append(line[a + 1 : b].strip())
    return {n: " ".join(" ".join(parts).split()) for n, parts in cells.items()}


@pytest.mark.parametrize("width", [70, 80, 120])
def test_the_limit_of_a_current_and_a_pending_step_is_shown(
    corrected, clock, render_text, width: int
) -> None:
    """Not only finished passes ("≤ 15 Menit"): what is due now and next is held to a limit too,
    also where no Waktu column is drawn (below 110 columns)."""
    from dataclasses import replace

    cells = _status_cells(render_text(status_view(corrected, width), width))
    assert "≤ 30 Menit" in cells[5] and "sisa 25 menit" in cells[5]
    # At 70 columns Status is under the activity: the cell ends with it.
    assert cells[6].endswith("· belum ≤ 15 Menit") and cells[10].endswith("· belum ≤ 30 Menit")
    late = replace(corrected, now=clock.advance(hours=1))
    assert "> 30 Menit" in _status_cells(render_text(status_view(late, width), width))[5]


def _cell_instance(tmp_path, clock, moves: int):  # type: ignore[no-untyped-def]
    """``CELL_LOOP`` (steps 2 and 3 share one 30-minute Waktu cell) after ``moves`` steps done."""
    from sopctl.run.engine import Engine
    from sopctl.store import open_store
    from tests.flows import CELL_LOOP, catalog_of

    tmp_path.mkdir(exist_ok=True)
    engine = Engine(open_store(tmp_path / "sopctl.db"), catalog_of(tmp_path / "sops", CELL_LOOP), clock)
    iid = engine.start("sel-ulang", "Sel waktu").state.id
    for _ in range(moves):
        clock.advance(minutes=10)
        engine.done(iid, by="Andi")
    return engine.status(iid)


@pytest.mark.parametrize("width", [70, 80, 120])
def test_a_row_inside_a_shared_time_cell_shows_the_cells_limit(
    tmp_path, clock, render_text, width: int
) -> None:
    pending = _status_cells(render_text(status_view(_cell_instance(tmp_path, clock, 1), width), width))
    assert pending[3].endswith("· belum ≤ 30 menit (2-3)")
    current = _status_cells(render_text(status_view(_cell_instance(tmp_path / "b", clock, 2), width), width))
    assert "▶ sisa 20 menit" in current[3] and "≤ 30 menit (2-3)" in current[3]
    assert "≤ 30 menit" in current[2]  # the cell's first row, done: its own limit


def test_a_step_without_a_limit_shows_none(tmp_path, clock, render_text) -> None:
    """No "≤ -" after "· belum" or "▶ SEKARANG": the finished pass's "•" says it has no limit."""
    from sopctl.run.engine import Engine
    from sopctl.store import open_store
    from tests.flows import NO_LIMIT, catalog_of

    engine = Engine(open_store(tmp_path / "sopctl.db"), catalog_of(tmp_path / "sops", NO_LIMIT), clock)
    view = engine.start("tanpa-waktu", "Tanpa batas")
    for width in (70, 80, 120):
        cells = _status_cells(render_text(status_view(view, width), width))
        assert cells[1].endswith("▶ SEKARANG") and cells[2].endswith("· belum"), cells


@pytest.mark.parametrize("width", [70, 80, 120])
def test_a_pass_done_by_a_stand_in_says_plt_or_plh(delegated, render_text, width: int) -> None:
    """As ``log`` and the laporan do: a Plt./Plh. is not the official, in short form beside the
    lane's short name; a person acting in their own lane has no mark."""
    cells = _status_cells(render_text(status_view(delegated, width), width))
    assert "Budi Santoso (Plt. Kadis)" in cells[9]
    assert "Sari Dewi (Plh. Kasubag)" in cells[10]
    assert "Sari Dewi (Sekr)" in cells[8] and "Budi Santoso (Kasubag)" in cells[4]
