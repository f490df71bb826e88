"""Instances as JSON: the stable contract of ``--json`` (documented in the README).

Times are ISO 8601 with the office's UTC offset; durations are whole minutes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sopctl.run.calendar import Calendar, FlowCalendars
from sopctl.run.events import Event
from sopctl.run.instance import ON_HOLD, RUNNING, Current, InstanceState, StepRun
from sopctl.sop.durations import TotalTime, parse_total
from sopctl.sop.procedure import Procedure


def local_iso(moment: dt.datetime | None, tz: ZoneInfo) -> str | None:
    return None if moment is None else moment.astimezone(tz).isoformat(timespec="seconds")


def minutes(seconds: int | None) -> int | None:
    return None if seconds is None else seconds // 60


def clock_stop(state: InstanceState, now: dt.datetime) -> dt.datetime:
    """The moment lateness is measured at: now, or when the instance was put on hold."""
    return state.held_since if state.state == ON_HOLD and state.held_since else now


def is_late(moment: dt.datetime, due_at: dt.datetime, strict: bool) -> bool:
    """Whether ``moment`` is past a due time: at it already, for a strict bound ("kurang dari")."""
    return moment >= due_at if strict else moment > due_at


def lateness(
    current: Current, calendar: Calendar, state: InstanceState, now: dt.datetime
) -> dict[str, int] | None:
    """How late a current step is, in working and wall minutes; None when not late."""
    if current.due_at is None or state.state not in (RUNNING, ON_HOLD):
        return None
    moment = clock_stop(state, now)
    if not is_late(moment, current.due_at, current.strict):
        return None
    return {
        "working_minutes": calendar.working_seconds(current.due_at, moment) // 60,
        "wall_minutes": int((moment - current.due_at).total_seconds()) // 60,
    }


def time_left(current: Current, calendar: Calendar, state: InstanceState, now: dt.datetime) -> int | None:
    """Working minutes until the due time; None when late or without a limit."""
    if current.due_at is None:
        return None
    moment = clock_stop(state, now)
    if is_late(moment, current.due_at, current.strict):
        return None
    return calendar.working_seconds(moment, current.due_at) // 60


def current_json(
    state: InstanceState,
    flow: Procedure,
    calendar: Calendar,
    now: dt.datetime,
    calendars: FlowCalendars | None = None,
) -> list[dict[str, Any]]:
    tz = ZoneInfo(flow.timezone)
    rows = []
    main = calendar
    for current in state.current.values():
        step = flow.step(current.step)
        calendar = calendars.step(current.step) if calendars else main  # a symbol's own, if any
        late = lateness(current, calendar, state, now)
        rows.append(
            {
                "step": step.row,
                "symbol": step.name,
                "activity": step.activity,
                "kind": step.kind,
                "text": step.text,
                "lanes": list(step.lanes),
                "branches": [
                    {"label": b.label, "to": flow.step(b.to).row, "to_symbol": flow.label(b.to)}
                    for b in step.branches
                ],
                "pass": current.pass_no,
                "started_at": local_iso(current.activated_at, tz),
                "due_at": local_iso(current.due_at, tz),
                "overdue": late is not None,
                "late_by": late,
                "minutes_left": time_left(current, calendar, state, now),
                **_waiting(step, current, tz, now),
            }
        )
    return rows


def _waiting(step: Any, current: Current, tz: ZoneInfo, now: dt.datetime) -> dict[str, Any]:
    """What a current step waits for, when it does: someone outside the office, its timeout,
    the end of a period (keys only then, so other SOPs' JSON keeps its form)."""
    data: dict[str, Any] = {}
    if step.waits_for:
        data["waits_for"] = step.waits_for
    if current.timeout_at is not None:
        data["timeout_at"] = local_iso(current.timeout_at, tz)
        data["timeout_to"] = None  # filled by the caller, who knows the flow
    if current.activated_at > now:
        data["opens_at"] = local_iso(current.activated_at, tz)
    return data


def service_json(
    state: InstanceState, flow: Procedure, calendar: Calendar, now: dt.datetime
) -> dict[str, Any] | None:
    """The case's service limit (Standar Pelayanan), if its SOP has one."""
    service = flow.service
    if service is None:
        return None
    tz = ZoneInfo(flow.timezone)
    run = state.service
    data: dict[str, Any] = {
        "limit": None if service.limit is None else service.limit.text,
        "from": None if service.start is None else flow.label(service.start),
        "until": None if service.until is None else flow.label(service.until),
        "started_at": None,
        "due_at": None,
        "ended_at": None,
        "within": None,
        "overdue": False,
        "late_by": None,
        "minutes_left": None,
        "paused_working_minutes": 0,
    }
    if run is None:
        return data
    data.update(
        started_at=local_iso(run.started_at, tz),
        due_at=local_iso(run.due_at, tz),
        ended_at=local_iso(run.ended_at, tz),
        within=run.within,
        paused_working_minutes=run.paused_s // 60,
    )
    if run.due_at is not None and run.ended_at is None and state.state in (RUNNING, ON_HOLD):
        moment = clock_stop(state, now)
        if moment > run.due_at:
            data["overdue"] = True
            data["late_by"] = {
                "working_minutes": calendar.working_seconds(run.due_at, moment) // 60,
                "wall_minutes": int((moment - run.due_at).total_seconds()) // 60,
            }
        else:
            data["minutes_left"] = calendar.working_seconds(moment, run.due_at) // 60
    return data


def run_json(run: StepRun, flow: Procedure, calendar: Calendar) -> dict[str, Any]:
    tz = ZoneInfo(flow.timezone)
    step = flow.step(run.step)
    actor = run.actor or {}
    late = None
    if run.due_at is not None and run.within is False:
        late = {
            "working_minutes": calendar.working_seconds(run.due_at, run.completed_at) // 60,
            "wall_minutes": int((run.completed_at - run.due_at).total_seconds()) // 60,
        }
    return {
        "step": step.row,
        "symbol": step.name,
        "pass": run.pass_no,
        "activity": step.activity,
        "kind": step.kind,
        "lane": actor.get("lane"),
        "by": actor.get("by"),
        "name": actor.get("name"),
        "nip": actor.get("nip"),
        "delegation": actor.get("delegation"),
        "verified": bool(actor.get("verified")),
        "started_at": local_iso(run.activated_at, tz),
        "completed_at": local_iso(run.completed_at, tz),
        "due_at": local_iso(run.due_at, tz),
        "branch": run.branch,
        "to": None if run.target is None else flow.step(run.target).row,
        "to_symbol": None if run.target is None else flow.label(run.target),
        "looped_back": run.looped_back,
        "note": run.note,
        "output": run.output,
        "limit": flow.limit_text(step.number),
        "within": run.within,
        "late_by": late,
        "actual": {"working_minutes": run.working_seconds // 60, "wall_minutes": run.wall_seconds // 60},
        "standard": {
            "working_minutes": minutes(run.limit_seconds),
            "wall_minutes": minutes(run.limit_wall_seconds),
        },
        "held": {"working_minutes": run.held_seconds // 60, "wall_minutes": run.held_wall_seconds // 60},
        **({"timed_out": True} if run.timed_out else {}),
    }


def path_standard(state: InstanceState, flow: Procedure) -> TotalTime:
    """The standard of the path this case took: the Waktu of every time cell it ran through
    (once per run through it), those it is in now included; not the main path's sum (a case
    that took the "Tidak" path is held to the limits of the steps it ran)."""
    ran = [(r.step, r.timed) for r in state.runs]
    ran += [(c.step, c.limit_seconds is not None) for c in state.current.values()]
    return flow.path_total(ran)


def standard_text(standard: TotalTime, flow: Procedure) -> str:
    """A standard as printed: in the SOP's words (its stated TOTAL WAKTU) when it is the main
    path's, else summed in the SOP's language."""
    stated = flow.total_stated
    if stated and standard == flow.main_path_total():
        return stated
    words = (stated or "").split()
    # The document counts in minutes alone ("210 Menit"): so does the standard of the path.
    one_unit = len(words) == 2 and words[0].isdigit()
    in_minutes = one_unit and parse_total(f"1 {words[1]}") == TotalTime(minutes=1)
    if in_minutes and standard.upper == TotalTime(minutes=standard.minutes):
        low = f"{standard.low.minutes} – " if standard.low is not None else ""
        return f"{low}{standard.minutes} {words[1]}"
    return standard.format(flow.language, elapsed=flow.clock == "elapsed")


def totals_json(
    state: InstanceState, flow: Procedure, calendar: Calendar, now: dt.datetime
) -> dict[str, Any]:
    end = state.ended_at or clock_stop(state, now)
    held_now = 0
    if state.state == ON_HOLD and state.held_since:
        held_now = calendar.working_seconds(state.held_since, now)
    # Time spent waiting on someone outside the office is no one's in the office.
    waited = sum(r.working_seconds for r in state.runs if flow.step(r.step).waits_for)
    waited += sum(
        max(0, calendar.working_seconds(c.activated_at, end))
        for c in state.current.values()
        if flow.step(c.step).waits_for
    )
    working = calendar.working_seconds(state.started_at, end) - state.held_seconds - waited
    standard = path_standard(state, flow)
    only_minutes = standard.minutes and not (
        standard.days or standard.calendar_days or standard.weeks or standard.months
    )
    return {
        "working_minutes": max(0, working) // 60,
        "wall_minutes": max(0, int((end - state.started_at).total_seconds()) - state.held_wall_seconds) // 60,
        "held_working_minutes": (state.held_seconds + held_now) // 60,
        **({"waited_working_minutes": waited // 60} if any(s.waits_for for s in flow.steps.values()) else {}),
        "standard": standard_text(standard, flow),
        "standard_minutes": standard.minutes if only_minutes else None,
        "steps_done": len(state.runs),
        "steps_late": sum(1 for r in state.runs if r.within is False),
        "correction_loops": sum(1 for r in state.runs if r.looped_back),
    }


def status_json(
    state: InstanceState,
    flow: Procedure,
    calendar: Calendar,
    now: dt.datetime,
    *,
    history: bool = True,
    catalogue: str | None = None,
    intact: bool = True,
    calendars: FlowCalendars | None = None,
) -> dict[str, Any]:
    tz = ZoneInfo(flow.timezone)
    data: dict[str, Any] = {
        "id": state.id,
        "sop": state.sop_id,
        "sop_version": state.sop_hash[:12],
        "title": state.title,
        "ref": state.ref,
        "state": state.state,
        "started_at": local_iso(state.started_at, tz),
        "ended_at": local_iso(state.ended_at, tz),
        "held_since": local_iso(state.held_since, tz),
        "current": current_json(state, flow, calendar, now, calendars),
    }
    for row, current in zip(data["current"], state.current.values(), strict=True):
        timeout = flow.step(current.step).timeout
        if "timeout_to" in row and timeout is not None:
            row["timeout_to"] = flow.label(timeout.to)
    if flow.service is not None:
        data["service"] = service_json(state, flow, calendars.of_service() if calendars else calendar, now)
    if history:
        data["history"] = [
            run_json(run, flow, calendars.step(run.step) if calendars else calendar) for run in state.runs
        ]
        data["total"] = totals_json(state, flow, calendar, now)
        data["verified"] = state.unverified_events == 0
        data["catalogue"] = catalogue
        data["intact"] = intact  # false: its log was changed outside sopctl (see verify)
    return data


def event_json(event: Event, flow: Procedure, run: StepRun | None = None) -> dict[str, Any]:
    """One event; for a completed step, also its timing against the standard (``run``)."""
    tz = ZoneInfo(flow.timezone)
    timing = None
    if run is not None:
        timing = {
            "within": run.within,
            "actual": {"working_minutes": run.working_seconds // 60, "wall_minutes": run.wall_seconds // 60},
            "standard": {
                "working_minutes": minutes(run.limit_seconds),
                "wall_minutes": minutes(run.limit_wall_seconds),
            },
            "held": {"working_minutes": run.held_seconds // 60, "wall_minutes": run.held_wall_seconds // 60},
        }
    return {
        "seq": event.seq,
        "type": event.type,
        "at": local_iso(event.at, tz),
        "entered_at": local_iso(event.entered_at, tz),
        "backdated": (event.entered_at - event.at) > dt.timedelta(minutes=5),
        "step": _row_no(flow, event.step),
        "symbol": flow.steps[event.step].name
        if event.step is not None and event.step in flow.steps
        else None,
        "actor": event.actor.as_dict() if event.actor else None,
        "os_user": event.os_user,
        "data": event.data,
        "timing": timing,
        "hash": event.hash,
    }


def _row_no(flow: Procedure, number: int | None) -> int | None:
    """The printed No of a symbol's row; a number the flow does not have is shown as it is."""
    if number is None:
        return None
    step = flow.steps.get(number)
    return number if step is None else step.row
