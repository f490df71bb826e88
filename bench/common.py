"""Shared helpers for the benchmark scripts: repeated timing, medians, one small table."""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOPS = ROOT / "sops"
PDK = "pengelolaan-data-kepegawaian"


def timed(run: Callable[[], object]) -> float:
    """Seconds one call of ``run`` takes."""
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def median_seconds(
    run: Callable[[], object], repeat: int, *, setup: Callable[[], object] | None = None
) -> float:
    """The median wall time of ``run`` over ``repeat`` runs; ``setup`` runs untimed before each."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@dataclass(frozen=True)
class Row:
    what: str
    figure: str
    reference: str
    ratio: str
    target: str
    met: bool | None

    def cells(self) -> list[str]:
        met = "-" if self.met is None else ("yes" if self.met else "NO")
        return [self.what, self.figure, self.reference, self.ratio, self.target, met]


def print_table(title: str, rows: Sequence[Row]) -> None:
    """One small plain-text table: what, figure, reference, ratio, target, met?"""
    header = ["what", "figure", "reference", "ratio", "target", "met?"]
    table = [header, *(r.cells() for r in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    print(f"\n{title}  ({machine()})")
    for index, line in enumerate(table):
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
        if index == 0:
            print("  ".join("-" * width for width in widths))


def machine() -> str:
    python = f"{platform.python_implementation()} {platform.python_version()}"
    return f"{python}, {os.cpu_count()} cores, {sys.platform}"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"
