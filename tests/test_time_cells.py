"""A Waktu cell spanning rows (``time_covers``) and correction loops back into it.

The rows of one cell share one deadline within one run through the cell. A loop back
into a row below the cell's first row (the covering step does not run again) starts a
new run there: that pass is held to the cell's time from when it became current.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sopctl.run.engine import Engine
from sopctl.run.instance import replay
from sopctl.sop.durations import parse_duration
from sopctl.store import open_store
from sopctl.store.rows import projection
from sopctl.views import status_json
from tests.conftest import WIB, Clock
from tests.flows import CELL_LOOP, catalog_of

CELL = "sel-ulang"
#: (time of day on Monday 2 March 2026, move): "done" or a branch label of step 4.
Moves = list[tuple[str, str]]
FIRST_RUN: Moves = [("08:10", "done"), ("08:20", "done"), ("08:30", "done")]


def play(engine: Engine, clock: Clock, moves: Moves) -> str:
    iid = engine.start(CELL, "Sel waktu").state.id
    for at, move in moves:
        clock.set(f"2026-03-02T{at}")
        if move == "done":
            engine.done(iid, by="p")
        else:
            engine.decide(iid, move, by="p")
    return iid


def passes(engine: Engine, iid: str) -> list[tuple[int, int, str, bool | None]]:
    """Every pass of the cell's rows (2 and 3), done or current: (step, pass, due, within)."""
    state = engine.status(iid).state
    rows = [(r.step, r.pass_no, r.due_at, r.within) for r in state.runs]
    rows += [(c.step, c.pass_no, c.due_at, None) for c in state.current.values()]
    return [(n, p, f"{due.astimezone(WIB):%H:%M}", w) for n, p, due, w in rows if n in (2, 3) and due]


@pytest.fixture
def cell_engine(tmp_path: Path, clock: Clock) -> Engine:
    store = open_store(tmp_path / "sopctl.db")
    return Engine(store, catalog_of(tmp_path / "sops", CELL_LOOP), clock)


@pytest.mark.parametrize(
    ("moves", "expected"),
    [
        pytest.param(
            FIRST_RUN,
            [(2, 1, "08:40", True), (3, 1, "08:40", True)],
            id="one run, in time: both rows due when the cell is",
        ),
        pytest.param(
            [("08:10", "done"), ("08:50", "done"), ("08:55", "done")],
            [(2, 1, "08:40", False), (3, 1, "08:40", False)],
            id="one run, step 2 late: step 3 opens already late",
        ),
        pytest.param(
            [*FIRST_RUN, ("10:00", "Belum"), ("10:05", "done")],
            [(2, 1, "08:40", True), (3, 1, "08:40", True), (3, 2, "10:30", True)],
            id="loop into the covered row: a fresh deadline from 10:00",
        ),
        pytest.param(
            [*FIRST_RUN, ("10:00", "Belum"), ("10:35", "done")],
            [(2, 1, "08:40", True), (3, 1, "08:40", True), (3, 2, "10:30", False)],
            id="loop into the covered row, done after its fresh deadline",
        ),
        pytest.param(
            [*FIRST_RUN, ("10:00", "Ulang"), ("10:20", "done"), ("10:35", "done")],
            [(2, 1, "08:40", True), (3, 1, "08:40", True), (2, 2, "10:30", True), (3, 2, "10:30", False)],
            id="loop into the covering row: both rows share its new deadline",
        ),
        pytest.param(
            [*FIRST_RUN, ("09:00", "Belum"), ("09:10", "done"), ("09:20", "Ulang"), ("09:45", "done")],
            [
                (2, 1, "08:40", True),
                (3, 1, "08:40", True),
                (3, 2, "09:30", True),
                (2, 2, "09:50", True),
                (3, 3, "09:50", None),  # pass 3 of step 3 after run 2 of step 2: still one cell run
            ],
            id="loop into the covered row, then into the covering row",
        ),
    ],
)
def test_deadline_of_each_pass_through_a_time_cell(
    cell_engine: Engine, clock: Clock, moves: Moves, expected: list[tuple[int, int, str, bool | None]]
) -> None:
    iid = play(cell_engine, clock, moves)
    assert passes(cell_engine, iid) == expected
    events = cell_engine.store.events(iid)
    flow = cell_engine.flow_for_hash(events[0].data["sop_hash"])
    assert cell_engine.store.projection_rows(iid) == projection(replay(events, flow), flow)


def test_a_pass_with_a_fresh_deadline_is_held_to_the_cells_time(cell_engine: Engine, clock: Clock) -> None:
    iid = play(cell_engine, clock, [*FIRST_RUN, ("10:00", "Belum"), ("10:05", "done")])
    view = cell_engine.status(iid)
    rows = status_json(view.state, view.flow, view.calendar, view.now)["history"]
    step3 = [(r["pass"], r["limit"], r["within"], r["standard"]) for r in rows if r["step"] == 3]
    assert step3 == [
        (1, "30 menit (2-3)", True, {"working_minutes": None, "wall_minutes": None}),
        (2, "30 menit (2-3)", True, {"working_minutes": 30, "wall_minutes": 30}),
    ]
    assert rows[-1]["late_by"] is None
    # Only the check itself, decided at 10:00 against 09:30, is a deviation.
    assert [(r["step"], r["pass"]) for r in rows if r["within"] is False] == [(4, 1)]


# Each move: the branch step 4 takes (index), and minutes to wait before it.
walks = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 90)), min_size=1, max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=walks)
def test_every_pass_of_a_covered_row_gets_the_deadline_of_the_run_it_belongs_to(
    tmp_path_factory: pytest.TempPathFactory, script: list[tuple[int, int]]
) -> None:
    """Opened by its covering step: that step's deadline. Opened by a loop from below: the
    cell's time from that moment. Whatever the walk; and the log replays to the stored state."""
    folder = tmp_path_factory.mktemp("cell")
    clock = Clock(dt.datetime(2026, 3, 2, 8, 0, tzinfo=WIB))
    engine = Engine(open_store(folder / "sopctl.db"), catalog_of(folder / "sops", CELL_LOOP), clock)
    iid = engine.start(CELL, "Acak").state.id
    for branch, wait in script:
        view = engine.status(iid)
        if view.state.state == "done":
            break
        clock.advance(minutes=wait)
        [number] = view.state.current
        step = view.flow.step(number)
        if step.kind == "decision":
            engine.decide(iid, step.branches[branch].label, by="p")
        else:
            engine.done(iid, by="p")
    view = engine.status(iid)
    events = engine.store.events(iid)
    assert engine.store.projection_rows(iid) == projection(replay(events, view.flow), view.flow)
    cell_time = parse_duration("30 menit")
    assert cell_time is not None
    due_of_step_2 = None  # of its latest pass: what a run through the cell from row 2 shares
    for event in events:
        for record in event.data.get("activated", ()):
            due = dt.datetime.fromisoformat(record["due_at"])
            if record["step"] == 2:
                due_of_step_2 = due
            elif record["step"] == 3 and event.step == 2:  # the run goes on from the first row
                assert due == due_of_step_2
            elif record["step"] == 3:  # a loop back into the covered row from below
                assert event.step == 4
                assert due == view.calendar.due(event.at, cell_time)
    for run in view.state.runs:
        assert run.within == (run.completed_at <= run.due_at if run.due_at else None)


def test_a_log_recorded_under_the_old_rule_keeps_its_dues_and_verifies(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Due times are recorded in the events and replay reads them: an instance whose loop into
    the covered row was given the cell's old deadline (before this rule) keeps that deadline."""
    from sopctl.audit import Auditor
    from sopctl.run.instance import Activation, InstanceState

    def old_activator(self: Engine, flow, calendar, records):  # type: ignore[no-untyped-def]
        def activate(
            state: InstanceState, number: int, pass_no: int, at: dt.datetime, source: int | None
        ) -> Activation:
            step = flow.step(number)
            due, limit, wall = None, None, None
            if step.covered_by is not None:  # always the covering step's latest due
                owner = step.covered_by
                due = state.current[owner].due_at if owner in state.current else None
                due = due or [r for r in state.runs if r.step == owner][-1].due_at
            elif step.limit is not None:
                due = calendar.due(at, step.limit)
                limit, wall = calendar.working_seconds(at, due), int((due - at).total_seconds())
            records.append(Activation(number, pass_no, due, limit, wall))
            return records[-1]

        return activate

    store = open_store(tmp_path / "sopctl.db")
    catalog = catalog_of(tmp_path / "sops", CELL_LOOP)
    with monkeypatch.context() as patched:
        patched.setattr(Engine, "_activator", old_activator)
        iid = play(Engine(store, catalog, clock), clock, [*FIRST_RUN, ("10:00", "Belum")])
    engine = Engine(store, catalog, clock)
    assert engine.status(iid).state.current[3].due_at == dt.datetime(2026, 3, 2, 8, 40, tzinfo=WIB)
    assert Auditor(engine).verify(iid) == []
    clock.set("2026-03-02T10:05")
    engine.done(iid, by="p")  # the new engine carries on from the recorded state
    assert passes(engine, iid)[-1] == (3, 2, "08:40", False)
    assert Auditor(engine).verify(iid) == []
