"""Replaying the event log always gives the stored state (property test over random walks)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sopctl.errors import InvalidStateError
from sopctl.run.engine import Engine
from sopctl.run.instance import replay
from sopctl.sop.loader import load_catalog
from sopctl.store import open_store
from sopctl.store.rows import projection
from tests.conftest import SOPS, WIB, Clock
from tests.flows import CELL_LOOP, NESTED_LOOP, PARALLEL, catalog_of
from tests.test_time_shapes import LAYANAN, TRIWULAN

#: One move: which current step (index), which branch (index), minutes to wait, and
#: whether to hold/resume or cancel first.
moves = st.lists(
    st.tuples(
        st.integers(0, 3),
        st.integers(0, 3),
        # Minutes, and now and then a clock that jumps days ahead (a timeout falls due unseen).
        st.integers(0, 600) | st.sampled_from([3 * 1440, 9 * 1440, 100 * 1440]),
        st.sampled_from(["act"] * 8 + ["hold", "cancel"]),
    ),
    min_size=1,
    max_size=40,
)


def play(
    engine: Engine, clock: Clock, sop: str, script: list[tuple[int, int, int, str]], start: int = 0
) -> str:
    """Walk a case of ``sop`` by ``script``. With alternative starts it begins at the
    ``start``-th of them (modulo their number)."""
    catalog = engine.catalog()
    assert catalog is not None
    flow = catalog.get(sop).procedure
    chosen = None
    if flow.starts_mode == "alternatives" and len(flow.starts) > 1:
        chosen = flow.label(flow.starts[start % len(flow.starts)])
    iid = engine.start(sop, "Kasus acak", start=chosen).state.id
    for pick, branch, wait, action in script:
        clock.advance(minutes=wait)
        # Read after the clock moved: a timeout that fell due meanwhile is recorded first.
        state = engine.status(iid).state
        if state.state in ("done", "cancelled"):
            break
        if state.state == "held":
            engine.resume(iid)
            continue
        if action == "hold":
            engine.hold(iid, reason="menunggu")
            continue
        if action == "cancel" and wait % 7 == 0:
            engine.cancel(iid, reason="dibatalkan")
            continue
        number = list(state.current)[pick % len(state.current)]
        opens = state.current[number].activated_at
        if opens > clock.now:  # waiting for a period's end: wait with it, then act
            clock.now = opens + dt.timedelta(minutes=1)
            state = engine.status(iid).state
            if state.state != "running" or number not in state.current:
                continue
        step = engine.status(iid).flow.step(number)
        lane = step.lanes[0]
        # By its name: `step` takes what a person types ("5b", a row's No), and in format 2
        # the numbers of `current` are not the rows' Nos.
        if step.kind == "decision":
            label = step.branches[branch % len(step.branches)].label
            engine.decide(iid, label, by="p", step=step.name, as_lane=lane)
        else:
            engine.done(iid, by="p", step=step.name, as_lane=lane)
    return iid


#: Every SOP of the catalogue (the four reference SOPs, of both format versions), and small
#: flows with a parallel split and join, nested loops, and a loop into a time cell.
#: And flows that wait on the applicant, time out by themselves, wait for a quarter's end and
#: keep a service limit (tests/test_time_shapes.py).
WALKED = [
    *sorted(p.stem for p in SOPS.glob("*.yaml")),
    *("paralel", "loop-ganda", "sel-ulang", "layanan", "triwulan"),
]


def test_the_random_walks_cover_the_reference_sops() -> None:
    assert {
        "pengelolaan-data-kepegawaian",
        "pemeliharaan-simpeg",
        "pengelolaan-surat-masuk",
        "pengumpulan-data-capaian-kinerja",
    } <= set(WALKED)


@pytest.mark.parametrize("sop", WALKED)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=moves, start=st.integers(0, 3))
def test_projection_equals_replay_of_the_log(tmp_path_factory, script, start, sop) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("walk")
    catalog = catalog_of(folder / "extra", PARALLEL, NESTED_LOOP, CELL_LOOP, LAYANAN, TRIWULAN)
    catalog.sops.update(load_catalog([SOPS]).sops)
    store = open_store(folder / "sopctl.db")
    clock = Clock(dt.datetime(2026, 3, 2, 8, 0, tzinfo=WIB))
    engine = Engine(store, catalog, clock)
    try:
        iid = play(engine, clock, sop, script, start)
    except InvalidStateError:
        raise AssertionError("a generated move was refused") from None
    events = store.events(iid)
    flow = engine.flow_for_hash(events[0].data["sop_hash"])
    state = replay(events, flow)
    assert store.projection_rows(iid) == projection(state, flow)
    # Rebuilding the projection from the log changes nothing.
    store.rebuild(state, flow)
    assert store.projection_rows(iid) == projection(state, flow)
    store.close()


@pytest.mark.parametrize(
    ("sop", "start", "moves", "end"),
    [
        ("pengelolaan-data-kepegawaian", 0, 10, "10"),
        ("pemeliharaan-simpeg", 0, 8, "8"),
        ("pengelolaan-surat-masuk", 0, 10, "11a"),  # from 1a, the first branch of each decision
        ("pengelolaan-surat-masuk", 1, 10, "11a"),  # from 1b
        ("pengumpulan-data-capaian-kinerja", 0, 16, "14"),
    ],
)
def test_random_walk_helper_reaches_the_end(
    tmp_path: Path, clock: Clock, sop: str, start: int, moves: int, end: str
) -> None:
    store = open_store(tmp_path / "sopctl.db")
    engine = Engine(store, load_catalog([SOPS]), clock)
    iid = play(engine, clock, sop, [(0, 0, 5, "act")] * moves, start)
    view = engine.status(iid)
    assert view.state.state == "done"
    assert (len(view.state.runs), view.flow.label(view.state.runs[-1].step)) == (moves, end)
    store.close()


def test_the_walk_with_a_clock_that_jumps_records_a_timeout(tmp_path: Path, clock: Clock) -> None:
    """The property above covers timeouts: a jump of days over a wait on the applicant."""
    store = open_store(tmp_path / "sopctl.db")
    engine = Engine(store, catalog_of(tmp_path / "sops", LAYANAN), clock)
    iid = play(engine, clock, "layanan", [(0, 0, 5, "act"), (0, 1, 5, "act"), (0, 0, 9 * 1440, "act")])
    events = store.events(iid)
    assert [e.type for e in events][-1] == "timed_out"
    flow = engine.flow_for_hash(events[0].data["sop_hash"])
    assert store.projection_rows(iid) == projection(replay(events, flow), flow)
    store.close()
