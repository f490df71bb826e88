"""A strict bound ("kurang dari 1 jam") is late at its due time; "maksimal 1 jam" only after it.

The engine records the bound's strictness with the due time it computes, so a replay of the
log, ``check`` and ``status`` judge a step done at that very moment the same way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sopctl.run.deadlines import DeadlineCheck
from sopctl.run.engine import Engine
from sopctl.run.instance import Activation, replay
from sopctl.store import open_store
from tests.conftest import WIB, Clock
from tests.flows import catalog_of, sop, step

BOUNDS = sop(
    "batas",
    [
        step(1, "staf", "start", time="kurang dari 1 jam"),
        step(2, "staf", time="maksimal 1 jam"),
        step(3, "kasubag", time="< 30 menit", time_covers=2),  # one deadline for rows 3 and 4
        step(4, "kadis", "end", time="-"),
    ],
)


@pytest.fixture
def engine(tmp_path: Path, clock: Clock) -> Engine:
    return Engine(open_store(tmp_path / "sopctl.db"), catalog_of(tmp_path / "sops", BOUNDS), clock)


def _done_at(engine: Engine, clock: Clock, iid: str, at: str) -> None:
    clock.set(f"2026-03-02T{at}")
    engine.done(iid, by="p")


def test_done_exactly_at_the_limit_is_late_under_kurang_dari_and_on_time_under_maksimal(
    engine: Engine, clock: Clock
) -> None:
    iid = engine.start("batas", "Kasus").state.id  # Monday 08:00: step 1 due 09:00
    _done_at(engine, clock, iid, "09:00")  # step 2 due 10:00
    _done_at(engine, clock, iid, "10:00")  # step 3 due 10:30, and step 4 with it
    _done_at(engine, clock, iid, "10:10")
    _done_at(engine, clock, iid, "10:30")
    state = engine.status(iid).state
    timing = [(r.step, f"{r.due_at.astimezone(WIB):%H:%M}", r.within) for r in state.runs if r.due_at]
    assert timing == [(1, "09:00", False), (2, "10:00", True), (3, "10:30", True), (4, "10:30", False)]
    assert [r.strict for r in state.runs] == [True, False, True, True]


def test_the_bound_is_recorded_so_a_replay_judges_alike(engine: Engine, clock: Clock) -> None:
    iid = engine.start("batas", "Kasus").state.id
    _done_at(engine, clock, iid, "09:00")
    events = engine.store.events(iid)
    assert events[0].data["activated"][0]["strict"] is True
    # Only a strict bound writes the key: every other step's record is as before.
    assert "strict" not in events[1].data["activated"][0]
    again = replay(events, engine.status(iid).flow)
    assert [(r.step, r.within) for r in again.runs] == [(1, False)]
    assert again.current[2].strict is False


@pytest.mark.parametrize(
    ("recorded", "strict"), [({}, False), ({"strict": True}, True), ({"strict": "ya"}, False)]
)
def test_a_record_without_the_key_is_not_strict(recorded: dict[str, object], strict: bool) -> None:
    activation = Activation.from_dict({"step": 1, "pass": 1, "due_at": None, **recorded})
    assert activation.strict is strict
    assert ("strict" in activation.as_dict()) is strict


def test_check_reports_a_strict_step_overdue_at_its_due_time(engine: Engine, clock: Clock) -> None:
    strict = engine.start("batas", "Kurang dari").state.id  # step 1 due 09:00, strict
    clock.set("2026-03-02T08:00")
    inclusive = engine.start("batas", "Maksimal").state.id
    _done_at(engine, clock, inclusive, "08:00")  # step 2 due 09:00, not strict
    at = clock.set("2026-03-02T09:00")
    rows = {r.instance_id: r for r in DeadlineCheck(engine, at)}
    assert (rows[strict].overdue, rows[strict].late_working_seconds) == (True, 0)
    assert rows[inclusive].overdue is False
    assert rows[strict].as_dict()["late_by"] == {"working_minutes": 0, "wall_minutes": 0}


def test_status_and_ps_show_a_strict_step_late_at_its_due_time(engine: Engine, clock: Clock) -> None:
    from sopctl.views import status_json

    iid = engine.start("batas", "Kasus").state.id  # step 1 due 09:00, strict
    clock.set("2026-03-02T09:00")
    view = engine.status(iid)
    [current] = status_json(view.state, view.flow, view.calendar, view.now)["current"]
    assert (current["overdue"], current["minutes_left"]) == (True, None)
    assert current["late_by"] == {"working_minutes": 0, "wall_minutes": 0}
    [summary] = engine.summaries()  # from the tables, not the log: the bound comes from the SOP
    assert summary.state.current[1].strict is True
    _done_at(engine, clock, iid, "09:00")
    view = engine.status(iid)
    history = status_json(view.state, view.flow, view.calendar, view.now)["history"]
    assert (history[0]["within"], history[0]["late_by"]) == (False, {"working_minutes": 0, "wall_minutes": 0})
    # "maksimal 1 jam" at its due time: on time, and no minute late.
    clock.set("2026-03-02T10:00")
    view = engine.status(iid)
    [current] = status_json(view.state, view.flow, view.calendar, view.now)["current"]
    assert (current["overdue"], current["minutes_left"]) == (False, 0)
