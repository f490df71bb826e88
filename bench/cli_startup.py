"""CLI start-up: ``sopctl --help``, ``sopctl status ID`` and ``sopctl done ...`` against a
do-nothing Typer app (``noop_app.py``) with the same command shapes, in the same environment.

Every command runs in a new process, with bytecode caching on as users have it
(``PYTHONDONTWRITEBYTECODE`` is removed from the children's environment, and one
untimed run of each writes the caches first). Runs alternate between sopctl and the
reference; each figure is the median of --repeat runs. ``done`` really completes a
step: the store is prepared with one instance per run, and each run completes step 1
of the next one (one durable transaction, as always). ``status`` reads a walked
instance with a correction loop in its history.

    python bench/cli_startup.py --repeat 20
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from statistics import median

from common import PDK, SOPS, Row, ms, print_table, timed

from sopctl.run.engine import Engine
from sopctl.sop.loader import load_catalog
from sopctl.store import open_store

HERE = Path(__file__).resolve().parent
CLERK = "199001012015031001"


def prepare(db: Path, count: int) -> list[str]:
    """``count`` fresh instances, plus one walked with a correction loop (the first id)."""
    catalog = load_catalog([SOPS])
    store = open_store(db)
    # Started a minute ago by the wall clock, so the CLI's `done` (now) comes after them.
    moment = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=1)
    engine = Engine(store, catalog, lambda: moment, sops_dir=SOPS)
    walked = engine.start(PDK, "Mutasi a.n. Siti Aminah", ref="800/123", by="admin").state.id
    for branch in (None, None, None, "Tidak", None, None, "Ya", None, None):
        if branch is None:
            engine.done(walked, by=CLERK)
        else:
            engine.decide(walked, branch, by=CLERK)
    ids = [engine.start(PDK, f"Mutasi pegawai {n}", by="admin").state.id for n in range(count)]
    store.close()
    return [walked, *ids]


def run(argv: Sequence[str], env: dict[str, str]) -> float:
    def call() -> None:
        result = subprocess.run(argv, env=env, capture_output=True)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {result.stderr.decode()}")

    return timed(call)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    sopctl = shutil.which("sopctl", path=str(Path(sys.executable).parent)) or "sopctl"
    noop = [sys.executable, str(HERE / "noop_app.py")]
    with tempfile.TemporaryDirectory(prefix="sopctl-startup-") as tmp:
        db = Path(tmp) / "sopctl.db"
        walked, *fresh = prepare(db, args.repeat + 1)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update({"SOPCTL_DB": str(db), "SOPCTL_SOPS": str(SOPS), "COLUMNS": "100", "NO_COLOR": "1"})
        cases = {
            "--help": ([sopctl, "--help"], [*noop, "--help"]),
            "status ID": ([sopctl, "status", walked], [*noop, "status", walked]),
        }
        done_ref = [*noop, "done", fresh[0], "--by", CLERK, "--step", "1"]
        for ours, reference in cases.values():  # write bytecode caches
            run(ours, env), run(reference, env)
        run([sopctl, "done", fresh[0], "--by", CLERK, "--step", "1"], env)
        times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in [*cases, "done ID"]}
        for rep in range(args.repeat):
            for name, (ours, reference) in cases.items():
                times[name][0].append(run(ours, env))
                times[name][1].append(run(reference, env))
            done = [sopctl, "done", fresh[rep + 1], "--by", CLERK, "--step", "1", "--note", "ok"]
            times["done ID"][0].append(run(done, env))
            times["done ID"][1].append(run(done_ref, env))
    rows = []
    for name, (ours, reference) in times.items():
        a, b = median(ours), median(reference)
        rows.append(
            Row(f"sopctl {name}", ms(a), ms(b) + " no-op Typer", f"{a / b:.2f}x", "<= 1.2x", a <= 1.2 * b)
        )
    print_table(f"CLI start-up, median of {args.repeat} runs each", rows)


if __name__ == "__main__":
    main()
