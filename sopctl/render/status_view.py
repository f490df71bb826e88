"""``sopctl status``: an instance against its SOP, pass by pass."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from sopctl.engine import InstanceView
from sopctl.render.labels import format_minutes, format_moment, labels
from sopctl.views import lateness, time_left, totals_json


def status_view(view: InstanceView, width: int) -> RenderableType:
    state, flow = view.state, view.flow
    tz = ZoneInfo(flow.timezone)
    lang = flow.language
    t = labels(lang)
    head = Text()
    head.append(f"{state.id}", style="bold")
    head.append(f"  {state.title}")
    if state.ref:
        head.append(f"  (ref {state.ref})")
    head.append(f"\n{flow.name} · SOP {flow.id} version {state.sop_hash[:12]}")
    head.append(f"\nstate: {state.state.upper()}", style="bold")
    head.append(f" · started {format_moment(state.started_at, tz)}")
    if state.ended_at:
        head.append(f" · ended {format_moment(state.ended_at, tz)}")
    if state.held_since:
        head.append(f" · on hold since {format_moment(state.held_since, tz)}", style="bold")
    notes = []
    if view.catalogue == "changed":
        notes.append(
            "note: the catalogue file has changed since this instance started; "
            "it keeps running on the pinned version"
        )
    elif view.catalogue == "missing":
        notes.append("note: the catalogue no longer has this SOP's file; the pinned copy is used")
    if state.unverified_events:
        notes.append(f"note: {state.unverified_events} event(s) are unverified (no organisation file)")

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=width >= 100)
    table.add_column(t["no"], justify="right", no_wrap=True)
    table.add_column(t["activity"], ratio=3, overflow="fold")
    table.add_column(t["lanes"], overflow="fold")
    table.add_column("Oleh" if lang == "id" else "By", overflow="fold")
    table.add_column(t["time"], overflow="fold")
    table.add_column("Status", overflow="fold")
    for run in state.runs:
        step = flow.step(run.step)
        actor = run.actor or {}
        lane = flow.lane(actor["lane"]).short if actor.get("lane") else "-"
        mark = "-" if run.within is None else ("✓ ok" if run.within else "✗ LATE")
        took = format_minutes(run.working_seconds // 60, lang)
        limit = step.limit.text if step.limit else "-"
        outcome = f"\n→ {run.branch} ({run.target})" if run.branch else ""
        label = f"{run.step}" + (f"#{run.pass_no}" if run.pass_no > 1 else "")
        table.add_row(
            label,
            _cut(step.activity) + outcome,
            lane,
            actor.get("name") or actor.get("by") or "-",
            f"{took} / {limit}",
            mark,
        )
    for current in state.current.values():
        step = flow.step(current.step)
        late = lateness(current, view.calendar, state, view.now)
        if current.due_at is None:
            verdict = "▶ now"
        elif late:
            verdict = f"▶ LATE {format_minutes(late['working_minutes'], lang)}"
        else:
            verdict = (
                f"▶ {format_minutes(time_left(current, view.calendar, state, view.now) or 0, lang)} left"
            )
        label = f"{step.number}" + (f"#{current.pass_no}" if current.pass_no > 1 else "")
        lanes = ", ".join(flow.lane(x).short for x in step.lanes)
        due = f"due {format_moment(current.due_at, tz)}" if current.due_at else "-"
        table.add_row(label, _cut(step.activity), lanes, "", due, verdict, style="bold")
    totals = totals_json(state, flow, view.calendar, view.now)
    total = Text(
        f"total: {format_minutes(totals['working_minutes'], lang)} working time for "
        f"{totals['steps_done']} step(s) done ({totals['steps_late']} late, "
        f"{totals['correction_loops']} correction loop(s)); standard {totals['standard']}"
    )
    if totals["held_working_minutes"]:
        total.append(f"; on hold {format_minutes(totals['held_working_minutes'], lang)}")
    return Group(head, *(Text(n, style="italic") for n in notes), table, total)


def _cut(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
