"""What a printed document says, as plain data: the SOP, and an instance's step summary.

Templates (HTML) and the Markdown writer only lay these out, so both say the
same thing in the same language. Every label comes from ``labels.py``; times
and lateness come from ``sopctl.views`` (the ``--json`` contract), never
recomputed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sopctl.render.flownotes import DOCUMENT, covering_row, row_notes, time_text
from sopctl.render.labels import (
    format_doc_date,
    format_minutes,
    format_moment,
    labels,
    own_labels,
    related_title,
)
from sopctl.render.timenotes import ServiceBlock, calendar_line, row_marks, service_block
from sopctl.run.events import stand_in
from sopctl.run.reader import InstanceView
from sopctl.sop.procedure import Procedure
from sopctl.views import run_json, totals_json


@dataclass
class Identity:
    """The Bagian Identitas of an SOP, from its definition (catalogue or pinned copy)."""

    header: list[str]
    rows: list[tuple[str, str]]
    approver: list[str]
    grid: list[tuple[str, list[str]]]  # the six cells, in the official order
    title: str
    number: str | None = None
    #: Signed electronically (TTE): no wet-signature space, a note and the verification text.
    electronic: bool = False
    verification: str = ""


@dataclass(frozen=True)
class FlowSymbol:
    """A symbol of a printed row, as the Pelaksana cells of Markdown list it."""

    name: str
    kind: str
    lanes: list[str]


@dataclass
class FlowRow:
    #: The printed No.
    number: int
    activity: str
    #: The kind of its (first) symbol.
    kind: str
    lanes: list[str]
    notes: list[str]  # branches, joint step, parallel split, join; a named line per symbol
    requirements: list[str]
    time: str
    output: str
    remarks: str
    #: The No of the row whose Waktu cell spans this row too (``time`` then says "(7)").
    covered_by: int | None = None
    symbols: list[FlowSymbol] = field(default_factory=list)
    #: The document's page ends after this row (``page_break``).
    page_break: bool = False
    #: What Ket. says after the remarks: its symbols' waits, timeouts, openings and
    #: calendars of their own ("Menunggu Pemohon; waktu tidak dihitung"), see ``timenotes.py``.
    marks: list[str] = field(default_factory=list)


@dataclass
class SopDocument:
    lang: str
    t: dict[str, str]
    identity: Identity
    lanes: list[str]
    rows: list[FlowRow]
    #: TOTAL WAKTU as printed; None when the document states none (``total_time: none``).
    total: str | None
    flow: Procedure
    #: The Standar Pelayanan of an SOP that has one (``service:``).
    service: ServiceBlock | None = None
    #: Which calendar the times run on, when not the office's: "Waktu dihitung menurut …".
    calendar: str | None = None


@dataclass
class RunRow:
    #: The printed No of the symbol's row, and the symbol's name ("5b"), which is printed.
    step: int
    symbol: str
    pass_no: int
    activity: str
    lane: str
    who: str
    nip: str
    started: str
    completed: str
    actual: str
    standard: str
    held: str
    note: str
    output: str
    outcome: str
    late: str  # "" when within the limit or without one
    within: bool | None


@dataclass
class Signer:
    lane: str
    name: str
    nip: str
    #: A third party's lane (``external``): no NIP line, as its people are not civil servants.
    external: bool = False
    #: "Plt." or "Plh." when the signer stood in for the lane's official.
    stand_in: str = ""

    @property
    def heading(self) -> str:
        """The line above the signature: "Plt. Kepala Dinas", never the position alone for a
        stand-in, which would say that they hold it."""
        return f"{self.stand_in} {self.lane}" if self.stand_in else self.lane


@dataclass
class InstanceDocument:
    lang: str
    t: dict[str, str]
    identity: Identity
    case: list[tuple[str, str]]
    runs: list[RunRow]
    current: list[str]
    totals: list[tuple[str, str]]
    signers: list[Signer]
    place_date: str
    late_count: int
    extra: dict[str, Any] = field(default_factory=dict)


def identity(
    definition: dict[str, Any], lang: str, related_names: Mapping[str, str] | None = None
) -> Identity:
    t = document_labels(definition, lang)
    org = definition.get("organization") or {}
    header = [str(org[k]).upper() for k in ("government", "agency", "division", "unit") if org.get(k)]
    dates = definition.get("dates") or {}
    approver = definition.get("approved_by") or {}
    signer = [x for x in (approver.get("position"), approver.get("name")) if x]
    if approver.get("nip"):
        signer.append(f"{t['nip']} {spaced_nip(approver['nip'])}")
    electronic = approver.get("signature") == "electronic"
    verification = str(approver.get("verification") or "")
    # Where a wet signature would be, between the position and the name: the TTE's note.
    signed = [f"({t['signed_electronically']})", *([verification] if verification else [])]
    signed = signed if electronic else []
    written = [*signer[:1], *signed, *signer[1:]]
    rows = [
        (t["number"], definition.get("number") or t["none"]),
        (t["made"], format_doc_date(dates.get("made"), lang)),
        (t["revised"], format_doc_date(dates.get("revised"), lang)),
        (t["effective"], format_doc_date(dates.get("effective"), lang)),
        (t["approved_by"], "\n".join(written) or t["none"]),
        (t["name"], definition["name"]),
    ]
    names = related_names or {}
    related = [
        related_title(r["sop"], names) if isinstance(r, dict) else str(r)
        for r in definition.get("related", [])
    ]
    grid = [
        (t["legal_basis"], list(definition.get("legal_basis", []))),
        (t["qualifications"], list(definition.get("qualifications", []))),
        (t["related"], related),
        (t["equipment"], list(definition.get("equipment", []))),
        (t["warnings"], list(definition.get("warnings", []))),
        (t["records"], list(definition.get("records", []))),
    ]
    return Identity(
        header, rows, signer, grid, definition["name"], definition.get("number"), electronic, verification
    )


def document_labels(definition: Mapping[str, Any], lang: str) -> dict[str, str]:
    """The labels of a printed SOP: the document's own wording ("Sumber Data", "Tanggal
    Pengesahan") where it has one and is printed in its own language, else the standard."""
    own = definition.get("labels") or {}
    return own_labels(labels(lang), own, lang == definition.get("language", "id"))


def spaced_nip(nip: str) -> str:
    digits = "".join(str(nip).split())
    if len(digits) != 18:
        return str(nip)
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def sop_document(
    definition: dict[str, Any],
    flow: Procedure,
    lang: str | None = None,
    related_names: Mapping[str, str] | None = None,
) -> SopDocument:
    lang = lang or flow.language
    t = document_labels(definition, lang)
    rows = []
    for row in flow.rows:
        steps = [flow.step(n) for n in row.symbols]
        lanes = [flow.lane(x).name for x in dict.fromkeys(x for step in steps for x in step.lanes)]
        rows.append(
            FlowRow(
                row.no,
                row.activity,
                steps[0].kind,
                lanes,
                row_notes(flow, row, t, DOCUMENT),
                list(row.requirements),
                time_text(flow, row, t),
                row.output or t["none"],
                row.remarks,
                covering_row(flow, row),
                [FlowSymbol(s.name, s.kind, [flow.lane(x).name for x in s.lanes]) for s in steps],
                row.page_break,
                row_marks(flow, row, t),
            )
        )
    return SopDocument(
        lang,
        t,
        identity(definition, lang, related_names),
        [lane.name for lane in flow.lanes],
        rows,
        flow.total_text(lang),
        flow,
        service_block(flow, t),
        calendar_line(flow, t),
    )


def instance_document(view: InstanceView, lang: str | None = None) -> InstanceDocument:
    state, flow = view.state, view.flow
    lang = lang or flow.language
    t = labels(lang)
    tz = ZoneInfo(flow.timezone)
    definition = view.pinned.definition
    totals = totals_json(state, flow, view.calendar, view.now)
    runs = []
    for run in state.runs:
        data = run_json(run, flow, view.step_calendar(run.step))
        late = ""
        if data["late_by"]:
            late = f"{t['late']} {format_minutes(data['late_by']['working_minutes'], lang)}"
        outcome = ""
        if data["branch"]:
            back = f" ({t['loop']})" if run.looped_back else ""
            outcome = f"{data['branch']} → {data['to_symbol']}{back}"
        elif run.timed_out and run.target is not None:
            # Nobody acted: the laporan says the flow went on (or the case closed) by itself.
            target = flow.step(run.target)
            outcome = t["closed"] if target.kind == "end" else f"{t['went_on']} {target.name}"
        lane = flow.lane(data["lane"]).name if data["lane"] else t["none"]
        who = " ".join(x for x in (data["name"] or data["by"] or "", _delegation(data)) if x)
        if run.timed_out:
            who = "sopctl"
        nip = spaced_nip(data["nip"]) if data["nip"] else ""
        if data["lane"] and flow.lane(data["lane"]).system:
            who, nip = lane, ""  # the application did it: no person, no NIP
        runs.append(
            RunRow(
                step=data["step"],
                symbol=data["symbol"],
                pass_no=run.pass_no,
                activity=data["activity"],
                lane=lane,
                who=who,
                nip=nip,
                started=format_moment(run.activated_at, tz),
                completed=format_moment(run.completed_at, tz),
                actual=format_minutes(data["actual"]["working_minutes"], lang),
                standard=data["limit"] or t["none"],
                held=format_minutes(data["held"]["working_minutes"], lang)
                if data["held"]["working_minutes"]
                else "",
                note=data["note"] or "",
                output=data["output"] or "",
                outcome=outcome,
                late=late,
                within=data["within"],
            )
        )
    case = [
        (t["case_title"], state.title),
        (t["case_ref"], state.ref or t["none"]),
        (t["case_id"], state.id),
        (t["name"], flow.name),
        (t["number"], definition.get("number") or t["none"]),
        (t["version"].capitalize(), state.sop_hash[:12]),
        (t["state"].capitalize(), t[f"state_{state.state}"]),
        (t["started"].capitalize(), format_moment(state.started_at, tz)),
        (t["ended"].capitalize(), format_moment(state.ended_at, tz) if state.ended_at else t["none"]),
    ]
    if state.held_since:
        case.append((t["held_since"].capitalize(), format_moment(state.held_since, tz)))
    current = [
        f"{flow.label(c.step)} — {flow.step(c.step).activity}"
        + (f" ({t['due']} {format_moment(c.due_at, tz)})" if c.due_at else "")
        for c in state.current.values()
    ]
    total_rows = [
        # On the wall clock (``clock: elapsed``) every minute counts: not "working" time.
        (t[_by_clock("total_actual", view)].capitalize(), format_minutes(totals["working_minutes"], lang)),
        (t["standard"].capitalize(), totals["standard"]),
        (t["steps_done"].capitalize(), str(totals["steps_done"])),
        (t["late"].capitalize(), str(totals["steps_late"])),
        (t["loops"].capitalize(), str(totals["correction_loops"])),
        (t["on_hold"].capitalize(), format_minutes(totals["held_working_minutes"], lang)),
    ]
    if "waited_working_minutes" in totals:
        total_rows.append((t["waited"], format_minutes(totals["waited_working_minutes"], lang)))
    total_rows += _service_rows(view, lang, t, tz)
    return InstanceDocument(
        lang,
        t,
        identity(definition, lang),
        case,
        runs,
        current,
        total_rows,
        signers(view),
        f"……………………, {format_doc_date(view.now.astimezone(tz).date().isoformat(), lang)}",
        totals["steps_late"],
    )


def _service_rows(view: InstanceView, lang: str, t: dict[str, str], tz: ZoneInfo) -> list[tuple[str, str]]:
    """The case against its service limit (Standar Pelayanan): the limit, when it fell due, and
    whether the case was done within it."""
    from sopctl.views import service_json

    data = service_json(view.state, view.flow, view.service_calendar(), view.now)
    if data is None or data["limit"] is None:
        return []
    run = view.state.service
    label = t["service"].capitalize()
    if run is None:
        return [(label, f"{data['limit']}: {t['service_from'].format(name=data['from'] or '1')}")]
    rows = [(label, data["limit"])]
    if run.due_at is not None:
        rows.append((f"{label}: {t['due']}", format_moment(run.due_at, tz)))
    if run.ended_at is not None:
        verdict = t["within"] if run.within else t["late"]
        rows.append(
            (
                f"{label}: {t['service_done']}",
                f"{format_minutes((run.working_s or 0) // 60, lang)} ({verdict})",
            )
        )
    elif data["overdue"]:
        rows.append((f"{label}: {t['late']}", format_minutes(data["late_by"]["working_minutes"], lang)))
    return rows


def _by_clock(key: str, view: InstanceView) -> str:
    return key if view.calendar.kind == "working" else f"{key}_elapsed"


def _delegation(data: dict[str, Any]) -> str:
    return f"({data['delegation']})" if data.get("delegation") else ""


def signers(view: InstanceView) -> list[Signer]:
    """Who signs the summary: every lane that acted, with the last person who acted in it.

    Only a name recorded under the organisation file is printed (a person's from the file,
    a third party's as given); without one, what someone typed after ``--by`` may be an
    alias, so the line is left to be filled in by hand. An application's lane (``system``)
    signs nothing.
    """
    flow = view.flow
    last: dict[str, dict[str, Any]] = {}
    for run in view.state.runs:
        actor = run.actor or {}
        if actor.get("lane"):
            last[actor["lane"]] = actor
    out = []
    for lane in flow.lanes:
        if lane.id in last and not lane.system:
            actor = last[lane.id]
            verified = bool(actor.get("verified"))
            nip = spaced_nip(actor["nip"]) if verified and actor.get("nip") else ""
            name = (actor.get("name") or "") if verified else ""
            out.append(Signer(lane.name, name, nip, lane.external, stand_in(actor.get("delegation"))))
    return out
