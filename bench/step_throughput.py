"""Step throughput: walk N instances of the personnel-data SOP, one durable transaction per step.

Three implementations do the same work in the same run, each on a fresh SQLite file
(WAL, synchronous=FULL): start N instances, then complete their steps round-robin
until all are finished; every 5th instance (20%) takes the correction loop once
(step 4 "Tidak" back to step 2). Each start and each step is one transaction.

* sopctl: ``Engine.start`` / ``Engine.done`` / ``Engine.decide`` through the Python API.
* raw: plain ``sqlite3``; per transaction one event row appended, one state row upserted.
* SpiffWorkflow: the SOP as BPMN, the workflow read and deserialized before each step
  and serialized and written back after it; the parsed spec is cached (not stored).

Prints transactions per second, medians over --repeat runs.

    python bench/step_throughput.py --instances 200 --repeat 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from statistics import median
from zoneinfo import ZoneInfo

from common import PDK, SOPS, Row, print_table, timed

from sopctl.run.engine import Engine
from sopctl.sop.loader import Catalog, load_catalog
from sopctl.sop.procedure import Procedure
from sopctl.store import open_store

#: Monday 2 March 2026, 08:00 WIB: the office is open.
EPOCH = dt.datetime(2026, 3, 2, 8, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
#: Simulated time between two transactions.
TICK = dt.timedelta(seconds=30)


class Clock:
    """The engine's clock, moved forward by the benchmark before each command."""

    def __init__(self) -> None:
        self.now = EPOCH

    def __call__(self) -> dt.datetime:
        return self.now

    def tick(self) -> None:
        self.now += TICK


def loops(index: int) -> bool:
    """Every 5th instance (20%) takes the correction loop once."""
    return index % 5 == 0


def walk(
    n: int,
    start: Callable[[int], None],
    step: Callable[[int, str | None], bool],
    decision: Callable[[int], bool],
) -> int:
    """Start ``n`` instances, then step them round-robin until all are done; returns transactions."""
    for index in range(n):
        start(index)
    looped = [False] * n
    open_ = list(range(n))
    transactions = n
    while open_:
        still = []
        for index in open_:
            branch = None
            if decision(index):
                branch = "Tidak" if loops(index) and not looped[index] else "Ya"
                looped[index] = True
            if step(index, branch):
                still.append(index)
            transactions += 1
        open_ = still
    return transactions


def run_sopctl(path: Path, n: int, catalog: Catalog) -> int:
    store = open_store(path)
    clock = Clock()
    engine = Engine(store, catalog, clock, sops_dir=SOPS)
    ids: list[str] = []
    current: list[int] = []

    def start(index: int) -> None:
        clock.tick()
        view = engine.start(PDK, f"Mutasi pegawai {index}", ref=f"800/{index}", by="bench")
        ids.append(view.state.id)
        current.append(next(iter(view.state.current)))

    def step(index: int, branch: str | None) -> bool:
        clock.tick()
        by, number = "199001012015031001", current[index]
        if branch is None:
            view = engine.done(ids[index], by=by, step=number, note="berkas lengkap")
        else:
            view = engine.decide(ids[index], branch, by=by, step=number, note="diperiksa")
        if not view.state.current:
            return False
        current[index] = next(iter(view.state.current))
        return True

    def decision(index: int) -> bool:
        return engine_flow.step(current[index]).kind == "decision"

    engine_flow = catalog.get(PDK).procedure
    try:
        return walk(n, start, step, decision)
    finally:
        store.close()


def run_raw(path: Path, n: int, flow: Procedure) -> int:
    """The storage limit: one event row appended and one state row upserted per transaction."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(
        "CREATE TABLE events (instance_id TEXT, seq INTEGER, type TEXT, at TEXT, data TEXT, "
        "PRIMARY KEY (instance_id, seq))"
    )
    conn.execute("CREATE TABLE state (id TEXT PRIMARY KEY, seq INTEGER, step INTEGER, at TEXT)")
    clock = Clock()
    seq = [0] * n
    current = [0] * n

    def write(index: int, kind: str, data: dict[str, object]) -> None:
        clock.tick()
        seq[index] += 1
        at = clock.now.isoformat()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO events VALUES (?, ?, ?, ?, ?)",
            (f"RAW-{index}", seq[index], kind, at, json.dumps(data)),
        )
        conn.execute(
            "INSERT INTO state VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
            "seq = excluded.seq, step = excluded.step, at = excluded.at",
            (f"RAW-{index}", seq[index], current[index], at),
        )
        conn.execute("COMMIT")

    def start(index: int) -> None:
        current[index] = flow.starts[0]
        write(index, "started", {"title": f"Mutasi pegawai {index}"})

    def step(index: int, branch: str | None) -> bool:
        here = flow.step(current[index])
        target = next(b.to for b in here.branches if b.label == branch) if branch else None
        following = target if target is not None else (here.next[0] if here.next else 0)
        current[index] = following
        write(index, "done", {"step": here.number, "branch": branch, "by": "199001012015031001"})
        return following != 0

    try:
        return walk(n, start, step, lambda index: flow.step(current[index]).kind == "decision")
    finally:
        conn.close()


def run_spiff(path: Path, n: int, flow: Procedure, spec: object) -> int:
    from spiff_reference import SpiffStore

    store = SpiffStore(str(path), spec)  # type: ignore[arg-type]
    current = ["step_1"] * n

    def start(index: int) -> None:
        store.start(f"SPIFF-{index}")

    def step(index: int, branch: str | None) -> bool:
        following = store.step(f"SPIFF-{index}", "199001012015031001", branch)
        current[index] = following or ""
        return following is not None

    try:
        return walk(n, start, step, lambda index: flow.step(int(current[index][5:])).kind == "decision")
    finally:
        store.conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--instances", type=int, default=200, help="instances per run (default 200)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each implementation (default 5)")
    parser.add_argument("--no-spiff", action="store_true", help="skip the SpiffWorkflow reference")
    args = parser.parse_args()

    catalog = load_catalog([SOPS])
    flow = catalog.get(PDK).procedure
    spec = None
    if not args.no_spiff:
        from spiff_reference import parse_spec

        spec = parse_spec(flow)  # parsed once, outside the timing: the cached definition

    runs: dict[str, Callable[[Path], int]] = {
        "raw": lambda path: run_raw(path, args.instances, flow),
        "sopctl": lambda path: run_sopctl(path, args.instances, catalog),
    }
    if spec is not None:
        runs["spiff"] = lambda path: run_spiff(path, args.instances, flow, spec)
    counts: dict[str, int] = {}
    times: dict[str, list[float]] = {name: [] for name in runs}
    with tempfile.TemporaryDirectory(prefix="sopctl-bench-") as tmp:
        for name, run in runs.items():  # warm-up: imports, holiday tables
            counts[name] = run(Path(tmp) / f"warm-{name}.db")
        # Interleaved, so that a slow moment of the machine (its disk is shared) hits all alike.
        for rep in range(args.repeat):
            for name, run in runs.items():
                path = Path(tmp) / f"{name}-{rep}.db"
                times[name].append(timed(partial(run, path)))
    t_raw, t_sop = median(times["raw"]), median(times["sopctl"])
    t_spiff = median(times["spiff"]) if "spiff" in times else None

    tx = counts["sopctl"]
    assert counts["raw"] == tx, counts
    rate_sop, rate_raw = tx / t_sop, tx / t_raw
    rows = [
        Row(
            "sopctl vs raw SQLite",
            f"{rate_sop:,.0f} tx/s",
            f"{rate_raw:,.0f} tx/s",
            f"{rate_sop / rate_raw:.2f}x",
            ">= 0.7x",
            rate_sop / rate_raw >= 0.7,
        ),
    ]
    if t_spiff is not None:
        assert counts["spiff"] == tx, counts
        rate_spiff = tx / t_spiff
        rows.append(
            Row(
                "sopctl vs SpiffWorkflow (spec cached)",
                f"{rate_sop:,.0f} tx/s",
                f"{rate_spiff:,.0f} tx/s",
                f"{rate_sop / rate_spiff:.1f}x",
                ">= 5x",
                rate_sop / rate_spiff >= 5,
            )
        )
    print_table(
        f"Step throughput: {args.instances} instances, {tx} transactions per run, median of {args.repeat}",
        rows,
    )


if __name__ == "__main__":
    main()
