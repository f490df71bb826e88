"""``sopctl stats`` in the terminal: one table per step, one per lane."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}%"


def stats_tables(figures: dict[str, list[dict[str, Any]]]) -> list[Table]:
    steps = Table(title="Per step", box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
    for name, justify in (
        ("SOP", "left"),
        ("No", "right"),
        ("Activity", "left"),
        ("Limit", "left"),
        ("n", "right"),
        ("Median", "right"),
        ("p90", "right"),
        ("Within", "right"),
        ("Loops", "right"),
    ):
        steps.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for row in figures["steps"]:
        steps.add_row(
            row["sop"],
            str(row["step"]),
            row["activity"][:48],
            row["limit"] or "-",
            str(row["count"]),
            f"{row['median_minutes']:g}m",
            f"{row['p90_minutes']:g}m",
            _pct(row["within_pct"]),
            str(row["correction_loops"]),
        )
    lanes = Table(title="Per lane", box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
    for name, justify in (
        ("SOP", "left"),
        ("Lane", "left"),
        ("n", "right"),
        ("Median", "right"),
        ("p90", "right"),
        ("Within", "right"),
        ("Loops", "right"),
    ):
        lanes.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for row in figures["lanes"]:
        lanes.add_row(
            row["sop"],
            row["lane_name"],
            str(row["count"]),
            f"{row['median_minutes']:g}m",
            f"{row['p90_minutes']:g}m",
            _pct(row["within_pct"]),
            str(row["correction_loops"]),
        )
    return [steps, lanes]
