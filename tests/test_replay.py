"""Replaying the event log always gives the stored state (property test over random walks)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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

#: One move: which current step (index), which branch (index), minutes to wait, and
#: whether to hold/resume or cancel first.
moves = st.lists(
    st.tuples(
        st.integers(0, 3),
        st.integers(0, 3),
        st.integers(0, 600),
        st.sampled_from(["act"] * 8 + ["hold", "cancel"]),
    ),
    min_size=1,
    max_size=40,
)


def play(engine: Engine, clock: Clock, sop: str, script: list[tuple[int, int, int, str]]) -> str:
    iid = engine.start(sop, "Kasus acak").state.id
    for pick, branch, wait, action in script:
        state = engine.status(iid).state
        if state.state in ("done", "cancelled"):
            break
        clock.advance(minutes=wait)
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
        step = engine.status(iid).flow.step(number)
        lane = step.lanes[0]
        if step.kind == "decision":
            label = step.branches[branch % len(step.branches)].label
            engine.decide(iid, label, by="p", step=number, as_lane=lane)
        else:
            engine.done(iid, by="p", step=number, as_lane=lane)
    return iid


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    script=moves,
    sop=st.sampled_from(
        ["pengelolaan-data-kepegawaian", "pemeliharaan-simpeg", "paralel", "loop-ganda", "sel-ulang"]
    ),
)
def test_projection_equals_replay_of_the_log(tmp_path_factory, script, sop) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("walk")
    catalog = catalog_of(folder / "extra", PARALLEL, NESTED_LOOP, CELL_LOOP)
    catalog.sops.update(load_catalog([SOPS]).sops)
    store = open_store(folder / "sopctl.db")
    clock = Clock(dt.datetime(2026, 3, 2, 8, 0, tzinfo=WIB))
    engine = Engine(store, catalog, clock)
    try:
        iid = play(engine, clock, sop, script)
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


def test_random_walk_helper_reaches_the_end(tmp_path: Path, clock: Clock) -> None:
    store = open_store(tmp_path / "sopctl.db")
    engine = Engine(store, load_catalog([SOPS]), clock)
    iid = play(engine, clock, "pengelolaan-data-kepegawaian", [(0, 0, 5, "act")] * 12)
    assert engine.status(iid).state.state == "done"
