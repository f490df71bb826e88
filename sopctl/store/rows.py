"""The projection's rows for an instance state: what the store writes, and what
``verify`` expects to find there when it replays the log."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sopctl.run.events import utc_text
from sopctl.run.instance import InstanceState, StepRun
from sopctl.sop.procedure import Procedure

Row = dict[str, Any]


def _utc(moment: Any) -> str | None:
    return utc_text(moment) if moment is not None else None


def instance_row(state: InstanceState) -> Row:
    return {
        "id": state.id,
        "sop_id": state.sop_id,
        "sop_hash": state.sop_hash,
        "title": state.title,
        "ref": state.ref,
        "state": state.state,
        "started_at": utc_text(state.started_at),
        "ended_at": _utc(state.ended_at),
        "held_since": _utc(state.held_since),
        "last_seq": state.seq,
        "last_hash": state.last_hash,
        "last_at": utc_text(state.last_at or state.started_at),
        "unverified": state.unverified_events,
    }


def lane_pattern(lane: str) -> str:
    """A LIKE pattern for one lane id in the comma-fenced lanes column (:func:`current_rows`);
    % and _ match themselves."""
    escaped = lane.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%,{escaped},%"


#: The step number of the row of ``current_steps`` (and ``step_runs``) that holds an instance's
#: service limit (Standar Pelayanan): no symbol has it, so ``check`` finds the limit in the
#: same index, in due order with the steps', and ``stats`` its outcome beside theirs.
SERVICE_STEP = 0


def current_rows(state: InstanceState, flow: Procedure) -> list[Row]:
    return _service_current(state) + [
        {
            "instance_id": state.id,
            "step": current.step,
            "pass": current.pass_no,
            # Comma-fenced so that `LIKE '%,lane,%'` finds a lane without partial matches.
            "lanes": "," + ",".join(flow.step(current.step).lanes) + ",",
            "activated_at": utc_text(current.activated_at),
            # Its first deadline (a limit, or a timeout): what `check` looks for.
            "due_at": _utc(current.deadline),
            # The instance's, repeated so that `check` reads this table alone (schema 2).
            "sop_id": state.sop_id,
            "sop_hash": state.sop_hash,
            "title": state.title,
            "ref": state.ref,
            "state": state.state,
        }
        for current in sorted(state.current.values(), key=lambda c: c.step)
    ]


def _service_current(state: InstanceState) -> list[Row]:
    service = state.service
    if service is None or service.ended_at is not None or state.state not in ("running", "held"):
        return []
    return [
        {
            "instance_id": state.id,
            "step": SERVICE_STEP,
            "pass": 1,
            "lanes": ",",
            "activated_at": utc_text(service.started_at),
            "due_at": _utc(service.due_at),
            "sop_id": state.sop_id,
            "sop_hash": state.sop_hash,
            "title": state.title,
            "ref": state.ref,
            "state": state.state,
        }
    ]


def service_run_row(state: InstanceState) -> Row | None:
    """The service limit's outcome once it ended, as a row of ``step_runs`` (``seq`` 0: no event
    has it, and the event that ended it has its own step's row)."""
    service = state.service
    if service is None or service.ended_at is None:
        return None
    return {
        "instance_id": state.id,
        "seq": 0,
        "sop_id": state.sop_id,
        "sop_hash": state.sop_hash,
        "step": SERVICE_STEP,
        "pass": 1,
        "lane": None,
        "person": None,
        "activated_at": utc_text(service.started_at),
        "completed_at": utc_text(service.ended_at),
        "due_at": _utc(service.due_at),
        "working_s": service.working_s or 0,
        "wall_s": int((service.ended_at - service.started_at).total_seconds()),
        "held_s": service.paused_s,
        "limit_s": service.limit_s,
        "within": None if service.within is None else int(service.within),
        "looped_back": 0,
    }


def run_row(state: InstanceState, run: StepRun) -> Row:
    actor = run.actor or {}
    return {
        "instance_id": state.id,
        "seq": run.seq,
        "sop_id": state.sop_id,
        "sop_hash": state.sop_hash,
        "step": run.step,
        "pass": run.pass_no,
        "lane": actor.get("lane"),
        "person": actor.get("nip") or actor.get("by"),
        "activated_at": utc_text(run.activated_at),
        "completed_at": utc_text(run.completed_at),
        "due_at": _utc(run.due_at),
        "working_s": run.working_seconds,
        "wall_s": run.wall_seconds,
        "held_s": run.held_seconds,
        "limit_s": run.limit_seconds,
        "within": None if run.within is None else int(run.within),
        "looped_back": int(run.looped_back),
    }


def projection(state: InstanceState, flow: Procedure) -> dict[str, list[Row]]:
    """Every projection row of one instance, as the store keeps them."""
    return {
        "instances": [instance_row(state)],
        "current_steps": current_rows(state, flow),
        "step_runs": run_rows(state),
    }


def run_rows(state: InstanceState) -> list[Row]:
    """The ``step_runs`` rows of an instance in ``seq`` order: its service limit's first."""
    service = service_run_row(state)
    return ([] if service is None else [service]) + [run_row(state, run) for run in state.runs]


def differences(expected: dict[str, list[Row]], actual: dict[str, list[Row]]) -> Iterator[str]:
    """How stored projection rows (``actual``) differ from a replay's (``expected``)."""
    for table, rows in expected.items():
        stored = actual.get(table, [])
        if len(rows) != len(stored):
            yield f"{table} holds {len(stored)} row(s), the log gives {len(rows)}"
            continue
        for want, have in zip(rows, stored, strict=True):
            for column, value in want.items():
                if have.get(column) != value:
                    yield f"{table}.{column} is {have.get(column)!r}, the log gives {value!r}"
