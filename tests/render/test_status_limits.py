"""``status`` compares like with like: a time in the terms of its limit, a row inside a time
cell against the cell's deadline, a bound by its sign. Whether a step was late is its
recorded due time's to say (``StepRun.within``); these only check what is printed beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from sopctl.render.status_view import status_view
from sopctl.run.engine import Engine
from sopctl.run.reader import InstanceView
from sopctl.store import open_store
from tests.conftest import Clock
from tests.flows import catalog_of, sop, step
from tests.render.test_status_view import _status_cells

LIMITS = sop(
    "banding",
    [
        step(1, "staf", "start", time="1 minggu"),
        step(2, "staf", time="3 hari"),
        step(3, "kasubag", time="30 menit", time_covers=2),  # rows 3 and 4 share one deadline
        step(4, "kadis", time="-"),
        step(5, "kadis", "end", time="kurang dari 1 jam"),
    ],
)


def _walk(tmp_path: Path, clock: Clock, times: list[str]) -> InstanceView:
    """An instance of LIMITS started Monday 2 March 2026 08:00 WIB, its steps done at ``times``."""
    tmp_path.mkdir(exist_ok=True)
    clock.set("2026-03-02T08:00")
    engine = Engine(open_store(tmp_path / "sopctl.db"), catalog_of(tmp_path / "sops", LIMITS), clock)
    iid = engine.start("banding", "Kasus").state.id
    for at in times:
        clock.set(f"2026-03-{at}")
        engine.done(iid, by="Andi")
    return engine.status(iid)


#: Step 1 (1 minggu, due Mon 9 Mar 08:00) done Tue 10 Mar 09:00: 52 working hours, 8 days.
#: Step 2 (3 hari, due Fri 13 Mar 09:00) done Wed 11 Mar 08:00. Step 3 (30 menit, due 08:30
#: for rows 3 and 4) done 08:20, step 4 at 08:45; step 5 (kurang dari 1 jam) at its due time.
LATE_CELL = ["10T09:00", "11T08:00", "11T08:20", "11T08:45", "11T09:45"]


@pytest.mark.parametrize("width", [70, 80, 120])
def test_a_limit_in_days_or_weeks_is_met_or_missed_in_its_own_terms(
    tmp_path: Path, clock: Clock, render_text, width: int
) -> None:
    cells = _status_cells(render_text(status_view(_walk(tmp_path, clock, LATE_CELL), width), width))
    # Not "✗ 52 jam 30 menit > 1 minggu": a week is a span on the calendar.
    assert cells[1].startswith("✗ terlambat 1 hari kalender 1 jam > 1 minggu"), cells[1]
    assert "52 jam" not in cells[1]
    # Working days as "3 hari" counts them: Thursday and Friday 08:00, then an hour to 09:00.
    assert cells[2].startswith("✓ 2 hari 1 jam lebih awal ≤ 3 hari"), cells[2]
    assert cells[3].startswith("✓ 20 menit ≤ 30 menit"), cells[3]  # minutes: like with like


@pytest.mark.parametrize("width", [70, 80, 120])
def test_a_row_inside_a_time_cell_is_judged_by_the_cells_deadline(
    tmp_path: Path, clock: Clock, render_text, width: int
) -> None:
    late = _status_cells(render_text(status_view(_walk(tmp_path, clock, LATE_CELL), width), width))
    # Row 4 took 25 minutes of its own: "✗ 25 menit > 30 menit (3-4)" would be false.
    assert late[4].startswith("✗ batas bersama baris 3–4 lewat 11/03 08:30"), late[4]
    assert "25 menit" not in late[4]
    in_time = ["10T09:00", "11T08:00", "11T08:20", "11T08:25"]
    cells = _status_cells(render_text(status_view(_walk(tmp_path / "b", clock, in_time), width), width))
    assert cells[4].startswith("✓ dalam batas bersama baris 3–4 tenggat 11/03 08:30"), cells[4]


def test_a_strict_bound_is_said_by_its_sign(tmp_path: Path, clock: Clock, render_text) -> None:
    view = _walk(tmp_path, clock, LATE_CELL[:4])
    cells = _status_cells(render_text(status_view(view, 80), 80))
    assert cells[5].startswith("▶ sisa 1 jam < 1 jam"), cells[5]  # not "≤ kurang dari 1 jam"
    cells = _status_cells(render_text(status_view(_walk(tmp_path / "b", clock, LATE_CELL), 80), 80))
    assert cells[5].startswith("✗ 1 jam ≥ 1 jam"), cells[5]  # done at its due time: late
    text = render_text(status_view(_walk(tmp_path / "c", clock, LATE_CELL), 120, ascii_only=True), 120)
    assert "X 1 jam >= 1 jam" in text and "X batas bersama baris 3-4" in text


def test_the_same_in_english(tmp_path: Path, clock: Clock, render_text) -> None:
    cells = _status_cells(render_text(status_view(_walk(tmp_path, clock, LATE_CELL), 120, lang="en"), 120))
    assert cells[1].startswith("✗ 1 calendar day 1 hour late > 1 minggu"), cells[1]
    assert cells[2].startswith("✓ 2 working days 1 hour early ≤ 3 hari"), cells[2]
    assert cells[4].startswith("✗ the shared deadline of rows 3–4 passed at 11/03 08:30"), cells[4]


def test_a_current_step_in_days_is_late_by_days(tmp_path: Path, clock: Clock, render_text) -> None:
    view = _walk(tmp_path, clock, ["10T09:00"])  # step 2 due Fri 13 Mar 09:00
    clock.set("2026-03-17T10:00")  # Mon 16 and Tue 17 09:00 passed (Wed 18 is cuti bersama)
    from dataclasses import replace

    cells = _status_cells(render_text(status_view(replace(view, now=clock.now), 120), 120))
    assert cells[2].startswith("▶ TERLAMBAT 2 hari 1 jam > 3 hari"), cells[2]
