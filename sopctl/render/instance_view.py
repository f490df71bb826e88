"""Terminal views of instances: the log and the ps list."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.console import Group, RenderableType
from rich.text import Text

from sopctl.render.labels import format_minutes, labels
from sopctl.render.tables import Fitted, add_id, add_prose, new_table
from sopctl.run.events import Event
from sopctl.run.reader import InstanceView

#: An event entered this many seconds after the time it claims counts as backdated.
BACKDATED_AFTER = 300


def log_table(events: list[Event], view: InstanceView, lang: str | None = None) -> RenderableType:
    """Every event: when it happened and when (and by which login) it was entered, with its
    labels in ``lang`` (default: the SOP's language)."""
    language = lang or view.flow.language
    t = labels(language)
    tz = ZoneInfo(view.flow.timezone)
    zone = view.state.started_at.astimezone(tz).tzname()
    table = new_table()
    add_id(table, "#", justify="right")
    add_id(table, t["log_when"].format(zone=zone))  # the time on one line, the entry below it
    add_prose(table, t["log_what"])
    add_prose(table, t["log_who"])
    add_prose(table, t["log_note"])
    marks: set[str] = set()
    runs = {run.seq: run for run in view.state.runs}
    for event in events:
        when = Text(f"{event.at.astimezone(tz):%Y-%m-%d %H:%M}")
        entered = f"\n{t['log_by']} {event.os_user or '?'}"
        if (event.entered_at - event.at).total_seconds() > BACKDATED_AFTER:
            entered = f"\n↶ {event.entered_at.astimezone(tz):%Y-%m-%d %H:%M}{entered}"
            marks.add(t["log_backdated"])
        when.append(entered, style="dim")
        what = Text(t.get(f"event_{event.type}", event.type) + _symbol(view, event.step))
        if event.type == "decided":
            what.append(f" → {event.data.get('branch')}")
        run = runs.get(event.seq)
        if run is not None:
            took = format_minutes(run.working_seconds // 60, language)
            limit = view.flow.limit_text(run.step)
            what.append(f"\n{took}" + (f" / {limit}" if limit else ""), style="dim")
            if run.within is not None:
                what.append(" ✓" if run.within else f" ✗ {t['log_late']}")
                marks.add(t["log_within"])
        who = Text("-")
        actor = event.actor
        system = actor is not None and actor.lane is not None and _system(view, actor.lane)
        if actor is not None and system:
            who = Text(view.flow.lane(str(actor.lane)).name)  # an application did it, no person
        elif actor is not None:
            who = Text(actor.name or actor.by)
            if actor.lane:
                who.append(f" · {view.flow.lane(actor.lane).short}")
            if actor.delegation:
                who.append(f" ({actor.delegation})")
            if not actor.verified and actor.lane:
                who.append(" ?")
                marks.add(t["log_unverified"])
        note = event.data.get("note") or event.data.get("reason") or ""
        table.add_row(str(event.seq), when, what, who, note)
    if not marks:
        return Fitted(table)
    return Group(Fitted(table), Text("  ".join(sorted(marks)), style="dim"))


def _symbol(view: InstanceView, number: int | None) -> str:
    """ " 5b": the symbol an event names, as people name it (never its number in the flow)."""
    if number is None:
        return ""
    return f" {view.flow.label(number)}" if number in view.flow.steps else f" {number}"


def _system(view: InstanceView, lane: str) -> bool:
    return any(x.id == lane and x.system for x in view.flow.lanes)


def ps_table(rows: list[dict[str, object]]) -> RenderableType:
    """Instance and SOP ids whole (to copy and paste), the title and current steps wrapped."""
    table = new_table()
    add_id(table, "ID")
    add_id(table, "SOP")
    add_prose(table, "Title")
    add_id(table, "State")
    add_prose(table, "Current")
    for row in rows:
        current = row["current"]
        assert isinstance(current, list)
        # The symbol's name ("5b"): a row's No alone would not say which of its symbols.
        steps = (
            ", ".join(f"{c.get('symbol') or c['step']}" + (" LATE" if c["overdue"] else "") for c in current)
            or "-"
        )
        table.add_row(str(row["id"]), str(row["sop"]), str(row["title"]), str(row["state"]), steps)
    return Fitted(table)
