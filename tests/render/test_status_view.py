"""The instance on its swimlane (``sopctl status``): exact output and what it must show."""

from __future__ import annotations

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
    from sopctl.engine import Engine
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
