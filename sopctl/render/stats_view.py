"""``sopctl stats`` in the terminal: for each SOP, one table per step and one per lane."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from rich.console import RenderableType

from sopctl.render.tables import Fitted, add_id, add_prose, new_table


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}%"


#: The figures after the step or lane, all numbers.
FIGURES = ("n", "Median", "p90", "Within", "Loops")


def _figures(row: dict[str, Any]) -> list[str]:
    return [
        str(row["count"]),
        f"{row['median_minutes']:g}m",
        f"{row['p90_minutes']:g}m",
        _pct(row["within_pct"]),
        str(row["correction_loops"]),
    ]


def symbol_name(row: dict[str, Any]) -> str:
    """The step a row of figures is about, as people name it ("5b"): its ``symbol`` when the
    figures carry it; else its ``step``, which in format 1 is the printed number."""
    return str(row.get("symbol") or row["step"])


def stats_tables(figures: dict[str, list[dict[str, Any]]]) -> list[RenderableType]:
    """The SOP's id goes in each table's title rather than in a column of every row, so the
    activity keeps room to wrap at 80 columns; the activity is never shortened."""
    tables: list[RenderableType] = []
    lanes = {sop: list(rows) for sop, rows in groupby(figures["lanes"], key=lambda row: row["sop"])}
    for sop, step_rows in groupby(figures["steps"], key=lambda row: row["sop"]):
        steps = new_table(f"Per step: {sop}")
        add_id(steps, "No", justify="right")
        add_prose(steps, "Activity")
        add_prose(steps, "Limit")
        for name in FIGURES:
            add_id(steps, name, justify="right")
        for row in step_rows:
            steps.add_row(symbol_name(row), row["activity"], row["limit"] or "-", *_figures(row))
        tables.append(Fitted(steps))
        per_lane = new_table(f"Per lane: {sop}")
        add_prose(per_lane, "Lane")
        for name in FIGURES:
            add_id(per_lane, name, justify="right")
        for row in lanes.get(sop, []):
            per_lane.add_row(row["lane_name"], *_figures(row))
        tables.append(Fitted(per_lane))
    for row in figures.get("services", []):
        # Standar Pelayanan: how many cases were done within the service limit.
        service = new_table(f"Service limit: {row['sop']}")
        add_prose(service, "Limit")
        for name in FIGURES[:-1]:
            add_id(service, name, justify="right")
        service.add_row(row["limit"] or "-", *_figures({**row, "correction_loops": 0})[:-1])
        tables.append(Fitted(service))
    return tables
