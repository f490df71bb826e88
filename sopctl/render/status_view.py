"""``sopctl status``: an instance drawn on its SOP's swimlane, pass by pass.

Every meaning carried by a colour also has a marker (✓ within the limit,
✗ over it, ▶ current, ⏸ held, · pending), so the view reads the same with
``NO_COLOR``, piped, printed or in ``--ascii``.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from rich.console import Group, RenderableType
from rich.text import Text

from sopctl.render.grid import Para
from sopctl.render.labels import counted, format_minutes, format_moment, labels
from sopctl.render.spans import in_minutes, span_text
from sopctl.render.swimlane import WIDE, Overlay, flow_table
from sopctl.render.text import inert
from sopctl.run.events import stand_in
from sopctl.run.instance import ABORTED, ON_HOLD, Current, StepRun
from sopctl.run.reader import InstanceView
from sopctl.sop.durations import Duration
from sopctl.sop.procedure import Procedure
from sopctl.views import clock_stop, lateness, totals_json


@dataclass(frozen=True)
class Marks:
    within: str
    late: str
    done: str
    current: str
    held: str
    pending: str
    arrow: str
    loop: str
    within_limit: str  # between the actual time and the standard: "<=" or ">"
    over_limit: str
    dot: str  # between header items
    # The same for a strict bound ("kurang dari 1 jam"), late at the limit itself: "<" or ">=".
    strict_within: str
    strict_over: str
    dash: str  # between rows: "6–7"

    @classmethod
    def pick(cls, ascii_only: bool) -> Marks:
        if ascii_only:
            return cls("OK", "X", "*", ">", "H", "-", "->", "<-", "<=", ">", "-", "<", ">=", "-")
        return cls("✓", "✗", "•", "▶", "⏸", "·", "→", "↺", "≤", ">", "·", "<", "≥", "–")

    def against(self, limit: Duration | None, over: bool) -> str:
        """The sign between a time and its limit: over it or within it, by the limit's bound."""
        strict = limit is not None and limit.strict
        if over:
            return self.strict_over if strict else self.over_limit
        return self.strict_within if strict else self.within_limit


STYLES = {
    "within": "green",
    "late": "bold red",
    "current": "bold reverse",
    "pending": "dim",
    "held": "yellow",
}


def status_view(
    view: InstanceView, width: int, *, ascii_only: bool = False, lang: str | None = None
) -> RenderableType:
    lang = lang or view.flow.language
    t = labels(lang)
    marks = Marks.pick(ascii_only)
    overlay = build_overlay(view, lang, marks, compact=width < WIDE)
    table = flow_table(view.flow, width, lang, ascii_only=ascii_only, overlay=overlay)
    service = _service_line(view, t, marks.dot)
    return Group(_head(view, t, marks.dot), *([service] if service else []), *_notes(view, t), table)


def build_overlay(view: InstanceView, lang: str, marks: Marks, *, compact: bool = False) -> Overlay:
    state, flow = view.state, view.flow
    t = labels(lang)
    tz = ZoneInfo(flow.timezone)
    cells: dict[int, list[Para]] = {}
    styles: dict[int, str] = {}
    runs: dict[int, list[StepRun]] = {}
    for run in state.runs:
        runs.setdefault(run.step, []).append(run)
    for number in flow.steps:
        paras: list[Para] = []
        passes = runs.get(number, [])
        many = len(passes) + (1 if number in state.current else 0) > 1
        for run in passes:
            paras += _run(view, run, lang, marks, many, compact)
        if passes:
            styles[number] = STYLES["late"] if any(r.within is False for r in passes) else STYLES["within"]
        # The limit as a finished pass shows it ("≤ 30 Menit (7-8)" in a shared time cell):
        # below WIDE there is no Waktu column, and this is the only place it is seen. A bound
        # is said by its sign ("< 1 bulan" for "kurang dari 1 bulan"), not twice.
        limit = flow.limit_text(number, unbounded=True)
        cell_limit = flow.cell_limit(number)
        current = state.current.get(number)
        if current is not None:
            prefix = f"#{current.pass_no} " if many else ""
            late = lateness(current, view.step_calendar(number), state, view.now)
            if state.state == ON_HOLD:
                paras.append((f"{marks.held} {prefix}{t['state_held']}", STYLES["held"]))
            waiting = _waiting(view, number, current, t, marks, prefix)
            if waiting:
                paras += waiting
            elif late:
                assert current.due_at is not None
                # In the limit's terms: "TERLAMBAT 2 hari" for a limit in days, not 17 jam.
                moment = clock_stop(state, view.now)
                mins = span_text(view.step_calendar(number), cell_limit, current.due_at, moment, lang)
                if compact:  # the amount on its own line, not wrapped in the middle
                    paras += [
                        (f"{marks.current} {prefix}{t['late']}", STYLES["late"]),
                        (mins, STYLES["late"]),
                    ]
                else:
                    paras.append((f"{marks.current} {prefix}{t['late']} {mins}", STYLES["late"]))
            elif current.due_at is not None:
                moment = clock_stop(state, view.now)
                left = span_text(view.step_calendar(number), cell_limit, moment, current.due_at, lang)
                paras.append((f"{marks.current} {prefix}{t['left']} {left}", "bold"))
            else:
                paras.append((f"{marks.current} {prefix}{t['now']}", "bold"))
            if limit:
                # On a line of its own: "sisa 25 menit ≤ 30 Menit" would compare the wrong two.
                against = marks.against(cell_limit, over=bool(late))
                paras.append((f"  {against} {limit}", STYLES["late"] if late else ""))
            if current.due_at is not None:
                paras.append((f"{t['due']} {_short_moment(current.due_at, tz)}", ""))
            styles[number] = STYLES["current"]
        if not paras:
            lines = [f"{marks.pending} {t['pending']}"]
            if limit:  # as a finished pass: on a line of its own in a narrow column
                standard = f"{marks.against(cell_limit, over=False)} {limit}"
                lines = [lines[0], f"  {standard}"] if compact else [f"{lines[0]} {standard}"]
            paras += [(line, STYLES["pending"]) for line in lines]
            styles[number] = STYLES["pending"]
        cells[number] = paras
    reached = {n for n in flow.steps if n in runs or n in state.current}
    row_cells, row_styles = _by_row(flow, cells, styles, reached)
    totals = totals_json(state, flow, view.calendar, view.now)
    footer: list[Para] = [
        (f"{format_minutes(totals['working_minutes'], lang)} / {totals['standard']}", "bold"),
        (f"{totals['steps_done']} {t['steps_done']}", ""),
    ]
    if totals["steps_late"]:
        footer.append((f"{marks.late} {totals['steps_late']} {t['late']}", STYLES["late"]))
    if totals["correction_loops"]:
        footer.append((counted(t, "loops_n", totals["correction_loops"]), ""))
    if totals["held_working_minutes"]:
        footer.append((f"{marks.held} {format_minutes(totals['held_working_minutes'], lang)}", ""))
    legend: list[Para] = [
        (f"{marks.within} {t['mark_within']}", STYLES["within"]),
        (f"{marks.late} {t['mark_late']}", STYLES["late"]),
        (f"{marks.done} {t['mark_done']}", ""),
        (f"{marks.current} {t['mark_current']}", "bold"),
        (f"{marks.held} {t['mark_held']}", STYLES["held"]),
        (f"{marks.pending} {t['mark_pending']}", STYLES["pending"]),
    ]
    markers = {flow.step(n).row: marks.current for n in state.current}
    return Overlay(t["status"], row_cells, styles, footer, legend, markers, row_styles)


def _by_row(
    flow: Procedure, cells: dict[int, list[Para]], styles: dict[int, str], touched: set[int]
) -> tuple[dict[int, list[Para]], dict[int, str]]:
    """The status cell and style of each printed row, from those of its symbols.

    A row of one symbol shows that symbol's. A row of several shows those the case has
    reached, each under its name ("5a:"), and leaves out the others: a path not taken (the
    other start, the other lane of "Teknis"/"Administratif") would only say "belum" there.
    Until the case reaches the row, it shows "belum" once, with the row's limit."""
    row_cells: dict[int, list[Para]] = {}
    row_styles: dict[int, str] = {}
    for row in flow.rows:
        reached = [n for n in row.symbols if n in touched]
        if len(row.symbols) == 1 or not reached:
            row_cells[row.no] = cells[row.symbols[0]]
            row_styles[row.no] = styles[row.symbols[0]]
            continue
        paras: list[Para] = []
        for number in reached:
            paras += [(f"{flow.label(number)}:", "bold"), *cells[number]]
        row_cells[row.no] = paras
        shown = [styles[n] for n in reached]
        row_styles[row.no] = next(
            (STYLES[k] for k in ("current", "late", "within") if STYLES[k] in shown), shown[0]
        )
    return row_cells, row_styles


def _run(view: InstanceView, run: StepRun, lang: str, marks: Marks, many: bool, compact: bool) -> list[Para]:
    t = labels(lang)
    flow = view.flow
    step = flow.step(run.step)
    tz = ZoneInfo(flow.timezone)
    actor = run.actor or {}
    prefix = f"#{run.pass_no} " if many else ""
    took = format_minutes(run.working_seconds // 60, lang)
    cell_limit = flow.cell_limit(step.number)
    limit = flow.limit_text(step.number, unbounded=True) or t["none"]
    if run.within is None:
        mark, style = marks.done, ""
    elif run.within:
        mark, style = marks.within, STYLES["within"]
    else:
        mark, style = marks.late, STYLES["late"]
    # "40 menit > 30 Menit" says over or within without colour; narrow columns
    # get the standard on its own line rather than a wrap in the middle of it.
    against = marks.against(cell_limit, over=run.within is False)
    paras: list[Para]
    if run.due_at is not None and not run.timed and step.cell != step.number:
        # A row after the first of its time cell: its own time says nothing of the cell's one
        # deadline, which the rows before it used up too.
        paras = _shared(view, run, t, marks, f"{mark} {prefix}", style)
    elif run.due_at is not None and not in_minutes(cell_limit):
        # Days, weeks, months: how far from the due time, in the limit's terms ("terlambat
        # 1 hari kalender 2 jam" against "1 minggu"), not working hours beside a week.
        if run.within:
            span = span_text(view.step_calendar(run.step), cell_limit, run.completed_at, run.due_at, lang)
            verdict = t["early_by"].format(span=span)
        else:
            verdict = t["late_by"].format(
                span=span_text(view.step_calendar(run.step), cell_limit, run.due_at, run.completed_at, lang)
            )
        paras = [(f"{mark} {prefix}{verdict}", style), (f"  {against} {limit}", style)]
    elif compact:
        paras = [(f"{mark} {prefix}{took}", style), (f"  {against} {limit}", style)]
    else:
        paras = [(f"{mark} {prefix}{took} {against} {limit}", style)]
    who = actor.get("name") or actor.get("by") or ("sopctl" if run.timed_out else "?")
    lane = flow.lane(actor["lane"]).short if actor.get("lane") else ""
    if actor.get("lane") and flow.lane(actor["lane"]).system:
        who, lane = flow.lane(actor["lane"]).name, ""  # the application did it: no one to name
    # A Plt./Plh. is not the official: "Budi Santoso (Plt. Kadis)", as `log` and the laporan say
    # it; the whole title ("Plt. Kepala Dinas (SPT No. …)") is for them, with room to spare.
    lane = " ".join(x for x in (stand_in(actor.get("delegation")), lane) if x)
    paras.append((f"  {who}" + (f" ({lane})" if lane else ""), ""))
    paras.append((f"  {_short_moment(run.completed_at, tz)}", "dim"))
    if run.branch:
        loop = f" {marks.loop}" if run.looped_back else ""
        target = "?" if run.target is None else flow.label(run.target)
        paras.append((f"  {marks.arrow} {run.branch} ({target}){loop}", "italic"))
    if run.timed_out and run.target is not None:
        target_step = flow.step(run.target)
        went = t["closed"] if target_step.kind == "end" else f"{t['went_on']} {target_step.name}"
        paras.append((f"  {marks.arrow} {went}", "italic"))
    return paras


def _waiting(
    view: InstanceView, number: int, current: Current, t: dict[str, str], marks: Marks, prefix: str
) -> list[Para]:
    """A current step that waits, and on what: someone outside the office (no one inside is
    late for it), its timeout, or the end of a period before it opens."""
    flow = view.flow
    step = flow.step(number)
    tz = ZoneInfo(flow.timezone)
    paras: list[Para] = []
    if current.activated_at > view.now:
        paras.append(
            (f"{marks.pending} {prefix}{t['opens']} {_short_moment(current.activated_at, tz)}", "bold")
        )
    elif step.waits_for:
        paras.append((f"{marks.held} {prefix}{t['awaiting']} {inert(step.waits_for)}", STYLES["held"]))
        paras.append((f"  {t['since']} {_short_moment(current.activated_at, tz)}", ""))
    if step.timeout is not None and current.timeout_at is not None:
        target = flow.step(step.timeout.to)
        what = t["closes"] if target.kind == "end" else f"{t['goes_on']} {target.name}"
        paras.append((f"  {what} {_short_moment(current.timeout_at, tz)}", ""))
    return paras


def _service_line(view: InstanceView, t: dict[str, str], dot: str) -> Text | None:
    """The case's service limit (Standar Pelayanan): when it falls due, how it stands."""
    from sopctl.views import service_json

    data = service_json(view.state, view.flow, view.service_calendar(), view.now)
    if data is None or data["limit"] is None:
        return None
    tz = ZoneInfo(view.flow.timezone)
    line = Text(f"{t['service']}: {data['limit']}")
    run = view.state.service
    lang = view.flow.language
    if run is None:
        name = data["from"] or "1"
        line.append(f" {dot} {t['service_from'].format(name=name)}")
        return line
    if run.due_at is not None:
        line.append(f" {dot} {t['due']} {format_moment(run.due_at, tz)}")
    if run.ended_at is not None:
        took = format_minutes((run.working_s or 0) // 60, lang)
        style = STYLES["within"] if run.within else STYLES["late"]
        line.append(f" {dot} {t['service_done']} {took}", style=style)
    elif data["overdue"]:
        line.append(
            f" {dot} {t['late']} {format_minutes(data['late_by']['working_minutes'], lang)}",
            style=STYLES["late"],
        )
    elif data["minutes_left"] is not None:
        line.append(f" {dot} {t['left']} {format_minutes(data['minutes_left'], lang)}")
    if run.paused_s:
        line.append(f" {dot} {t['paused']} {format_minutes(run.paused_s // 60, lang)}")
    return line


def _shared(
    view: InstanceView, run: StepRun, t: dict[str, str], marks: Marks, lead: str, style: str
) -> list[Para]:
    """A row inside a time cell, judged by the cell's deadline: "✗ batas bersama baris 6–7
    lewat 02/03 14:30"; within it, the deadline on a line of its own."""
    assert run.due_at is not None
    tz = ZoneInfo(view.flow.timezone)
    first, last = view.flow.cell_rows(run.step)
    rows = str(first) if first == last else f"{first}{marks.dash}{last}"
    kind = "row" if first == last else "cell"
    when = _short_moment(run.due_at, tz)
    if run.within is False:
        return [(lead + t[f"{kind}_late"].format(rows=rows, at=when), style)]
    return [(lead + t[f"{kind}_within"].format(rows=rows), style), (f"  {t['due']} {when}", style)]


def _short_moment(moment: object, tz: ZoneInfo) -> str:
    """ "02/03 10:50": the year and zone are in the header."""
    import datetime as dt

    assert isinstance(moment, dt.datetime)
    return f"{moment.astimezone(tz):%d/%m %H:%M}"


def _head(view: InstanceView, t: dict[str, str], dot: str) -> Text:
    state, flow = view.state, view.flow
    tz = ZoneInfo(flow.timezone)
    head = Text()
    head.append(state.id, style="bold")
    head.append(f"  {inert(state.title)}")
    if state.ref:
        head.append(f"  ({t['ref']} {inert(state.ref)})")
    # Each on its own line: joined, a narrow terminal broke them apart at a "·" or inside "versi …".
    head.append(f"\n{inert(flow.name)}\nSOP {flow.id} {t['version']} {state.sop_hash[:12]}")
    label = t[f"state_{state.state}"]
    style = {ON_HOLD: "bold yellow", ABORTED: "bold red"}.get(state.state, "bold")
    head.append(f"\n{t['state']}: ")
    head.append(label, style=style)
    head.append(f" {dot} {t['started']} {format_moment(state.started_at, tz)}")
    if state.ended_at:
        head.append(f" {dot} {t['ended']} {format_moment(state.ended_at, tz)}")
    if state.held_since:
        head.append(f" {dot} {t['held_since']} {format_moment(state.held_since, tz)}", style="bold")
    return head


def _notes(view: InstanceView, t: dict[str, str]) -> list[Text]:
    notes = [t["note_tampered"].format(id=view.state.id)] if view.tampered else []
    if view.catalogue in ("changed", "missing"):
        notes.append(t[f"note_{view.catalogue}"])
    if view.state.unverified_events:
        notes.append(t["note_unverified"].format(n=view.state.unverified_events))
    return [Text(n, style="italic") for n in notes]
