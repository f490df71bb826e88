"""Compliance figures for SOP monitoring: per step and per lane of each SOP.

What an agency reports in its 6-monthly monitoring and yearly evaluation: how
often each step ran, its median and 90th-percentile working time, the share
done within the mutu baku, and how often it sent work back for correction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sopctl.run.engine import Engine
from sopctl.store.rows import SERVICE_STEP


@dataclass
class _Group:
    seconds: list[int] = field(default_factory=list)
    limited: int = 0
    within: int = 0
    loops: int = 0

    def add(self, row: dict[str, Any]) -> None:
        self.seconds.append(int(row["working_s"]))
        if row["within"] is not None:
            self.limited += 1
            self.within += int(row["within"])
        self.loops += int(row["looped_back"])

    def figures(self) -> dict[str, Any]:
        ordered = sorted(self.seconds)
        return {
            "count": len(ordered),
            "median_minutes": round(percentile(ordered, 50) / 60, 1),
            "p90_minutes": round(percentile(ordered, 90) / 60, 1),
            "within_pct": round(100 * self.within / self.limited, 1) if self.limited else None,
            "correction_loops": self.loops,
        }


def percentile(ordered: list[int], pct: float) -> float:
    """Linear interpolation between closest ranks (the common "type 7" definition)."""
    if not ordered:
        return 0.0
    position = (len(ordered) - 1) * pct / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def compute(
    engine: Engine, *, sop: str | None = None, since: str | None = None, until: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """``{"steps": [...], "lanes": [...]}``, and ``"services"`` when an SOP has a service limit
    (Standar Pelayanan): the share of cases done within it. ``since``/``until`` are UTC text
    bounds on completion (of the step; of the service, for a case)."""
    steps: dict[tuple[str, str, int], _Group] = {}
    lanes: dict[tuple[str, str, str], _Group] = {}
    services: dict[str, _Group] = {}
    limits: dict[str, set[str]] = {}
    for row in engine.store.step_runs(sop=sop, since=since, until=until):
        if int(row["step"]) == SERVICE_STEP:
            services.setdefault(row["sop_id"], _Group()).add(row)
            service = engine.flow_for_hash(row["sop_hash"]).service
            if service is not None and service.limit is not None:
                limits.setdefault(row["sop_id"], set()).add(service.limit.text)
            continue
        steps.setdefault((row["sop_id"], row["sop_hash"], int(row["step"])), _Group()).add(row)
        lanes.setdefault((row["sop_id"], row["sop_hash"], row["lane"] or "-"), _Group()).add(row)
    figures: dict[str, list[dict[str, Any]]] = {
        "steps": list(_step_rows(engine, steps)),
        "lanes": list(_lane_rows(engine, lanes)),
    }
    if services:
        figures["services"] = [
            {
                "sop": sop_id,
                # Two pinned versions may promise different limits: each case was judged by its own.
                "limit": " / ".join(sorted(limits.get(sop_id, ()))) or None,
                **{k: v for k, v in group.figures().items() if k != "correction_loops"},
            }
            for sop_id, group in sorted(services.items())
        ]
    return figures


def _step_rows(engine: Engine, groups: dict[tuple[str, str, int], _Group]) -> Iterable[dict[str, Any]]:
    # By the symbol's name: the same step in two pinned versions of the SOP (even of two
    # format versions) is one row, as long as it keeps its name.
    merged: dict[tuple[str, int, str], tuple[dict[str, Any], _Group]] = {}
    for (sop_id, sop_hash, number), group in groups.items():
        flow = engine.flow_for_hash(sop_hash)
        step = flow.step(number)
        meta = {
            "sop": sop_id,
            "step": step.row,
            "symbol": step.name,
            "activity": step.activity,
            "lanes": [flow.lane(x).name for x in step.lanes],
            # A row inside another step's time cell is held to that cell's limit ("30 Menit
            # (7-8)"), as its "within" was judged and as ``status`` shows it.
            "limit": flow.limit_text(number),
        }
        key = (sop_id, step.row, step.name)
        if key in merged:  # the same step in two pinned versions of the SOP
            merged[key][1].seconds.extend(group.seconds)
            merged[key][1].limited += group.limited
            merged[key][1].within += group.within
            merged[key][1].loops += group.loops
        else:
            merged[key] = (meta, group)
    for key in sorted(merged):
        meta, group = merged[key]
        yield {**meta, **group.figures()}


def _lane_rows(engine: Engine, groups: dict[tuple[str, str, str], _Group]) -> Iterable[dict[str, Any]]:
    merged: dict[tuple[str, str], tuple[str, _Group]] = {}
    for (sop_id, sop_hash, lane), group in groups.items():
        flow = engine.flow_for_hash(sop_hash)
        name = next((x.name for x in flow.lanes if x.id == lane), lane)
        key = (sop_id, lane)
        if key in merged:
            target = merged[key][1]
            target.seconds.extend(group.seconds)
            target.limited += group.limited
            target.within += group.within
            target.loops += group.loops
        else:
            merged[key] = (name, group)
    for (sop_id, lane), (name, group) in sorted(merged.items()):
        yield {"sop": sop_id, "lane": lane, "lane_name": name, **group.figures()}
