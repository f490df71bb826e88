"""Real processes against one store: racing writers, and a writer killed mid-command."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import random
import signal
import time
from typing import Any

import pytest

from sopctl.audit import Auditor
from sopctl.errors import ConflictError
from sopctl.run.engine import Engine
from sopctl.sop.loader import load_catalog
from sopctl.store import open_store
from tests.conftest import SOPS, WIB

PDK = "pengelolaan-data-kepegawaian"
SPAWN = mp.get_context("spawn")  # fresh interpreters: nothing shared but the database


def _engine(location: str, now: dt.datetime) -> Engine:
    return Engine(open_store(location), load_catalog([SOPS]), lambda: now)


def _race(location: str, instance_id: str, barrier: Any, results: Any, who: str) -> None:
    engine = _engine(location, dt.datetime(2026, 3, 2, 8, 30, tzinfo=WIB))
    barrier.wait()
    try:
        engine.done(instance_id, by=who, step=1)
        results.put((who, "won", ""))
    except ConflictError as exc:
        results.put((who, "conflict", str(exc)))
    except Exception as exc:  # report anything else to the test
        results.put((who, type(exc).__name__, str(exc)))


def _race_unnamed(location: str, instance_id: str, barrier: Any, results: Any, who: str) -> None:
    """A user who saw step 1 current runs `done` without --step, on the real clock."""
    engine = Engine(open_store(location), load_catalog([SOPS]), lambda: dt.datetime.now(dt.UTC))
    seen = dt.datetime.now(dt.UTC)
    barrier.wait()
    # They press Enter a little apart, as people do: the later ones read the instance after
    # the first one's step is in.
    time.sleep(0.05 * int(who.removeprefix("p")))
    try:
        engine.done(instance_id, by=who, seen_at=seen)
        results.put((who, "won", ""))
    except ConflictError as exc:
        results.put((who, "conflict", str(exc)))
    except Exception as exc:
        results.put((who, type(exc).__name__, str(exc)))


def _busy_writer(location: str, seed: int, started: Any) -> None:
    """Start and walk instances until killed; set *started* once the first case is stored."""
    rng = random.Random(seed)
    moment = [dt.datetime(2026, 3, 2, 8, 0, tzinfo=WIB)]

    def clock() -> dt.datetime:
        return moment[0]

    engine = Engine(open_store(location), load_catalog([SOPS]), clock)
    while True:
        iid = engine.start(PDK, f"Kasus {rng.random()}").state.id
        started.set()
        for _ in range(rng.randint(1, 9)):
            moment[0] += dt.timedelta(minutes=rng.randint(1, 30))
            step = next(iter(engine.status(iid).state.current))
            if engine.status(iid).flow.step(step).kind == "decision":
                engine.decide(iid, rng.choice(["ya", "tidak"]), by="p")
            else:
                engine.done(iid, by="p")


def _racers(target: Any, location: str, instance_id: str, contenders: int) -> list[tuple[str, str, str]]:
    """Run ``contenders`` processes of ``target`` against one instance; their outcomes."""
    barrier = SPAWN.Barrier(contenders)
    results = SPAWN.Queue()
    procs = [
        SPAWN.Process(target=target, args=(location, instance_id, barrier, results, f"p{n}"))
        for n in range(contenders)
    ]
    for proc in procs:
        proc.start()
    outcomes = [results.get(timeout=60) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    return outcomes


def test_racing_processes_exactly_one_wins(store_location: str) -> None:
    engine = _engine(store_location, dt.datetime(2026, 3, 2, 8, 0, tzinfo=WIB))
    for attempt in range(3):
        iid = engine.start(PDK, f"Balapan {attempt}").state.id
        contenders = 4
        outcomes = _racers(_race, store_location, iid, contenders)
        kinds = sorted(kind for _, kind, _ in outcomes)
        assert kinds == ["conflict"] * (contenders - 1) + ["won"], outcomes
        for _, kind, message in outcomes:
            if kind == "conflict":
                assert f"instance {iid} changed: step 1 is no longer current" in message
        events = engine.store.events(iid)
        assert [e.type for e in events] == ["started", "done"]  # nothing lost, nothing doubled
        assert list(Auditor(engine).verify_all()) == []


def test_racers_without_step_complete_only_the_step_they_saw(store_location: str) -> None:
    # Eight users saw step 1 current and each ran `done` without --step: one completes it, and
    # none goes on to complete step 2 or 3, which nobody meant.
    engine = Engine(open_store(store_location), load_catalog([SOPS]), lambda: dt.datetime.now(dt.UTC))
    iid = engine.start(PDK, "Balapan tanpa --step").state.id
    contenders = 8
    outcomes = _racers(_race_unnamed, store_location, iid, contenders)
    kinds = sorted(kind for _, kind, _ in outcomes)
    assert kinds == ["conflict"] * (contenders - 1) + ["won"], outcomes
    assert [(e.type, e.step) for e in engine.store.events(iid)] == [("started", None), ("done", 1)]
    assert list(Auditor(engine).verify_all()) == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_writer_killed_mid_command_leaves_the_store_consistent(store_location: str, seed: int) -> None:
    _engine(store_location, dt.datetime(2026, 3, 2, 8, 0, tzinfo=WIB)).store.close()  # create it
    started = SPAWN.Event()
    proc = SPAWN.Process(target=_busy_writer, args=(store_location, seed, started))
    proc.start()
    # Kill it in the middle of its work: after its first write (however long the import takes
    # on a loaded machine), at a point in time that differs by seed.
    assert started.wait(timeout=120), "the writer never wrote"
    time.sleep(0.2 + random.Random(seed).random())
    assert proc.pid is not None
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(timeout=30)
    assert proc.exitcode == -signal.SIGKILL
    engine = _engine(store_location, dt.datetime(2026, 3, 2, 8, 0, tzinfo=WIB))
    auditor = Auditor(engine)
    assert auditor.instance_ids(), "the writer should have written something before it was killed"
    assert list(auditor.verify_all()) == []
