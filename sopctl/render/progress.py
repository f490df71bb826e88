"""Plain lines a command prints after it records something (no rich: these commands
should start fast)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sopctl.render.labels import format_minutes, format_moment
from sopctl.render.text import cell_width, fill, shorten
from sopctl.run.instance import FINISHED
from sopctl.run.reader import InstanceView
from sopctl.views import lateness, time_left


def now_due(view: InstanceView, now: dt.datetime | None = None) -> list[str]:
    """ "Now due: step 5 ... (Kasubag Umpeg), by 2026-03-02 10:50 WIB (35 menit left)"; a
    symbol by its name ("step 5b"), as it is typed.

    Time left is counted from the view's moment. For an entry made afterwards (``--at``), the
    caller passes the wall clock's ``now``: the moment counted from is named, "(35 menit left
    at 10:15)", so that it is not read as time left today, and one more line says which of
    these steps are late now, "as of now (2026-03-09 10:00 WIB): step 5 LATE by 2 hari …"."""
    state, flow = view.state, view.flow
    tz = ZoneInfo(flow.timezone)
    lang = flow.language
    seen = f" at {_clock_time(view.now, tz)}" if now is not None else ""
    if state.state == FINISHED:
        return [f"{state.id} is done."]
    lines = []
    for current in state.current.values():
        step = flow.step(current.step)
        lanes = ", ".join(flow.lane(lane).name for lane in step.lanes)
        what = f"step {step.name}" + (f" (pass {current.pass_no})" if current.pass_no > 1 else "")
        when = ""
        if current.due_at is not None:
            late = lateness(current, view.step_calendar(current.step), state, view.now)
            if late:
                when = (
                    f", due {format_moment(current.due_at, tz)}: LATE by "
                    f"{format_minutes(late['working_minutes'], lang)}{_time(view)}{seen}"
                )
            else:
                left = time_left(current, view.step_calendar(current.step), state, view.now) or 0
                when = f", due {format_moment(current.due_at, tz)} ({format_minutes(left, lang)} left{seen})"
        choice = ""
        if step.kind == "decision":
            question = f" ({step.text})" if step.text else ""  # "R/T", "Perlu disposisi?"
            choice = f" — decide{question}: " + " / ".join(b.label for b in step.branches)
        lines.append(f"  now due: {what} [{lanes}] {_short(step.activity)}{when}{choice}")
    if now is not None:
        late_now = [
            f"step {flow.label(c.step)} LATE by {format_minutes(late['working_minutes'], lang)}{_time(view)}"
            for c in state.current.values()
            if (late := lateness(c, view.step_calendar(c.step), state, now))
        ]
        if late_now:
            lines.append(f"  as of now ({format_moment(now, tz)}): {'; '.join(late_now)}")
    if state.state != "running":
        lines.append(f"  ({state.id} is {state.state})")
    return lines


def _time(view: InstanceView) -> str:
    """ " working time" after a duration on office time; nothing on the wall clock, where
    every minute counts."""
    return " working time" if view.calendar.kind == "working" else ""


def _clock_time(moment: dt.datetime, tz: ZoneInfo) -> str:
    """``moment`` in the office's zone: "08:10" (the due time above names the day and zone)."""
    return f"{moment.astimezone(tz):%H:%M}"


def completed_line(view: InstanceView) -> str:
    """What the last event recorded, in one line."""
    run = view.state.runs[-1]
    flow = view.flow
    actor = run.actor or {}
    lane = flow.lane(actor["lane"]).name if actor.get("lane") else "?"
    who = actor.get("name") or actor.get("by") or "?"
    # An application's lane (``system``): it did the step, no person "as" it.
    by = f"in {lane}" if actor.get("lane") and flow.lane(actor["lane"]).system else f"by {who} as {lane}"
    verdict = ""
    if run.due_at is not None:
        verdict = " (within the limit)" if run.within else " (LATE)"
    target = "" if run.target is None else flow.label(run.target)
    outcome = f" → {run.branch}, to step {target}" if run.branch else ""
    took = format_minutes(run.working_seconds // 60, flow.language)
    return (
        f"{view.state.id}: step {flow.label(run.step)} done {by}{outcome}; took {took}{_time(view)}{verdict}"
    )


def fitted(line: str, width: int) -> str:
    """``line`` wrapped at ``width`` columns (the terminal's), each further line indented
    under the text it continues."""
    indent = " " * (len(line) - len(line.lstrip()) + 4)
    return fill(line, max(40, width), indent)


def command_lines(argv: list[str], width: int) -> str:
    """``$ argv`` quoted for a shell, broken with `` \\`` before an option when it is wider than
    ``width``: what a person can copy and paste as it stands."""
    import shlex

    groups: list[str] = []
    for word in argv:
        quoted = shlex.quote(word)
        if groups and not word.startswith("-") and groups[-1].startswith("-") and " " not in groups[-1]:
            groups[-1] += " " + quoted  # an option stays with its value
        else:
            groups.append(quoted)
    lines = ["$ " + groups[0]]
    for group in groups[1:]:
        if cell_width(lines[-1]) + 1 + cell_width(group) + 2 > width:
            lines[-1] += " \\"
            lines.append("    " + group)
        else:
            lines[-1] += " " + group
    return "\n".join(lines)


def _short(text: str, width: int = 60) -> str:
    return shorten(text, width)
