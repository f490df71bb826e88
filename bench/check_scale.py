"""Batch check at scale: ``check`` over a store of 1,000,000 instances (100,000 open).

The store comes from ``make_store.py`` (made first when missing). In the same run,
each repeated and reported as a median:

* bare query: the indexed SQL query for overdue steps (the one ``check`` streams from),
  every row fetched in Python, nothing computed;
* API: ``DeadlineCheck`` iterated through: per step how late in working and wall time,
  and who must act;
* CLI: ``sopctl check`` end to end in a new process (text and ``--json`` to a file), with
  its peak resident memory.

    python bench/check_scale.py --db /tmp/sopctl-1m.db --repeat 5
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

from common import SOPS, Row, ms, print_table, timed
from make_store import AS_OF, generate

from sopctl.run.deadlines import DeadlineCheck
from sopctl.run.engine import Engine
from sopctl.run.events import utc_text
from sopctl.store import open_store

BARE_QUERY = (
    "SELECT instance_id, step, pass, activated_at, due_at, sop_id, sop_hash, title, ref "
    "FROM current_steps WHERE state = 'running' AND due_at <= ? ORDER BY due_at, instance_id, step"
)


def bare_query(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return sum(1 for _ in conn.execute(BARE_QUERY, (utc_text(AS_OF),)))
    finally:
        conn.close()


def api_check(path: Path) -> int:
    store = open_store(path, create=False)
    try:
        engine = Engine(store, None, lambda: AS_OF)
        return sum(1 for due in DeadlineCheck(engine, AS_OF) if due.overdue)
    finally:
        store.close()


def child(argv: list[str], out: Path) -> tuple[float, int]:
    """Seconds and peak resident memory (bytes) of a new process writing stdout to ``out``."""
    start = time.perf_counter()
    with out.open("wb") as sink:
        proc = subprocess.Popen(argv, stdout=sink, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed")
    return seconds, usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--db", type=Path, default=Path("/tmp/sopctl-1m.db"), help="the store (made if missing)"
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--api-once", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.api_once:  # the API in a process of its own, to measure its peak memory
        api_check(args.db)
        return
    if not args.db.exists():
        generate(args.db, 1_000_000, 100_000)

    at = AS_OF.isoformat()
    sopctl = [sys.executable, "-m", "sopctl", "--db", str(args.db), "--sops", str(SOPS), "check", "--at", at]
    out = Path(str(args.db) + ".check.out")
    env_note = os.environ.get("PYTHONDONTWRITEBYTECODE")
    if env_note:
        print("note: PYTHONDONTWRITEBYTECODE is set; the CLI children run without it")
        os.environ.pop("PYTHONDONTWRITEBYTECODE")
    rows_found = bare_query(args.db)  # warm the page cache: every variant reads a warm file
    overdue = api_check(args.db)
    times: dict[str, list[float]] = {"bare": [], "api": [], "cli": [], "cli-json": []}
    peaks: dict[str, list[int]] = {"cli": [], "cli-json": [], "api": []}
    for _ in range(args.repeat):
        times["bare"].append(timed(lambda: bare_query(args.db)))
        times["api"].append(timed(lambda: api_check(args.db)))
        seconds, peak = child(sopctl, out)
        times["cli"].append(seconds)
        peaks["cli"].append(peak)
        seconds, peak = child([*sopctl, "--json"], out)
        times["cli-json"].append(seconds)
        peaks["cli-json"].append(peak)
        peaks["api"].append(child([sys.executable, __file__, "--db", str(args.db), "--api-once"], out)[1])
    out.unlink()

    bare, api = median(times["bare"]), median(times["api"])
    mb = 1024 * 1024
    rows = [
        Row(
            "API DeadlineCheck",
            ms(api),
            ms(bare) + " bare query",
            f"{api / bare:.2f}x",
            "<= 3x",
            api <= 3 * bare,
        ),
    ]
    for name, label in (("cli", "CLI check (text)"), ("cli-json", "CLI check --json")):
        seconds = median(times[name])
        rows.append(
            Row(label, ms(seconds), ms(bare) + " bare query", f"{seconds / bare:.1f}x", "< 2 s", seconds < 2)
        )
    for name in ("cli", "cli-json", "api"):
        peak = max(peaks[name]) / mb
        label = {
            "cli": "peak memory, CLI text",
            "cli-json": "peak memory, CLI --json",
            "api": "peak memory, API",
        }
        rows.append(Row(label[name], f"{peak:.0f} MB", "-", "-", "< 150 MB", peak < 150))
    title = f"Batch check: {args.db.name}, {rows_found:,} due rows ({overdue:,} overdue)"
    print_table(f"{title}, median of {args.repeat}", rows)


if __name__ == "__main__":
    main()
