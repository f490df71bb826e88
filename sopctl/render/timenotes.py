"""What a printed SOP says about its time beyond the Waktu cells: the service block
(Standar Pelayanan), the calendar its times run on, and each symbol's wait, timeout,
opening date and calendar of its own.

The terminal (``sopctl show``) and every printed document (HTML, PDF, Markdown) say it
in the same words, from the compiled :class:`Procedure`: the documents put a symbol's marks
in its row's Ket., the terminal under the activity, with the branches. Symbols are named as people
name them ("4", "5b"); times are printed as the SOP writes them ("3 hari"), as the Waktu
column prints them. An SOP on office hours without a service block says nothing here,
so it prints as it did before format 2 had these.
"""

from __future__ import annotations

from dataclasses import dataclass

from sopctl.sop.procedure import Procedure, RowDef, StepDef

OFFICE, ALWAYS = "office", "always"


@dataclass(frozen=True)
class ServiceBlock:
    """The Standar Pelayanan as printed: a heading, then label and lines, in the official
    order (Persyaratan, Biaya/Tarif, Produk Layanan, Waktu Penyelesaian)."""

    title: str
    rows: list[tuple[str, list[str]]]


def service_block(flow: Procedure, t: dict[str, str]) -> ServiceBlock | None:
    """The service block of an SOP that has one; None for the others."""
    service = flow.service
    if service is None:
        return None
    none = t["none"]
    time = service.limit.text if service.limit else none
    bounds = []
    if service.start is not None:
        bounds.append(t["sp_from"].format(name=flow.label(service.start)))
    if service.until is not None:
        bounds.append(t["sp_until"].format(name=flow.label(service.until)))
    if bounds:
        time = ", ".join([time, *bounds])
    # The service's limit runs on its own calendar, else the SOP's (as the engine counts it).
    calendar = service.calendar or flow.calendar
    if calendar not in (None, OFFICE):
        time = f"{time} ({calendar_short(calendar, t)})"
    return ServiceBlock(
        t["sp_title"],
        [
            (t["sp_requirements"], list(service.requirements) or [none]),
            (t["sp_fee"], [service.fee or none]),
            (t["sp_product"], [service.product or none]),
            (t["sp_time"], [time]),
        ],
    )


def calendar_line(flow: Procedure, t: dict[str, str]) -> str | None:
    """The sentence that says which calendar the SOP's times run on; None on office hours
    (the default, which the documents have never stated)."""
    name = flow.calendar
    if name in (None, OFFICE):
        return None
    if name == ALWAYS:
        return t["calendar_always"]
    return t["calendar_named"].format(name=name)


def calendar_short(name: str, t: dict[str, str]) -> str:
    """A calendar in a few words, for a cell: "24 jam", "kalender daring", "jam kerja kantor"."""
    if name == ALWAYS:
        return t["cal_always"]
    if name == OFFICE:
        return t["cal_office"]
    return t["cal_named"].format(name=name)


def symbol_marks(flow: Procedure, step: StepDef, t: dict[str, str]) -> list[str]:
    """What a symbol's row says of it in Ket.: who the office waits on, when it closes or
    goes on by itself, when it opens, and a calendar other than the SOP's."""
    marks = []
    if step.waits_for:
        marks.append(t["mark_waits"].format(who=step.waits_for))
    if step.timeout is not None:
        to = flow.step(step.timeout.to)
        key = "mark_timeout_end" if to.kind == "end" else "mark_timeout"
        marks.append(t[key].format(after=step.timeout.after.text, to=to.name))
    if step.opens is not None:
        # The period the symbol is reached in, or (``of: start``, where the format has it) the
        # one the case began in.
        key = "mark_opens_start" if getattr(step.opens, "of", "reached") == "start" else "mark_opens"
        period = t[f"period_{step.opens.after}"]
        if step.opens.day is None:
            marks.append(t[key].format(period=period))
        else:
            marks.append(t[f"{key}_day"].format(period=period, day=step.opens.day))
    if step.calendar and step.calendar != (flow.calendar or OFFICE):
        kind = step.calendar if step.calendar in (ALWAYS, OFFICE) else "named"
        marks.append(t[f"mark_calendar_{kind}"].format(name=step.calendar))
    return marks


def row_marks(flow: Procedure, row: RowDef, t: dict[str, str]) -> list[str]:
    """What a row's Ket. says of its symbols after the remarks as written: a line for each
    mark (in a row of several, named: "5b: Menunggu Pemohon; …")."""
    several = len(row.symbols) > 1
    lines = []
    for number in row.symbols:
        step = flow.step(number)
        lines += [f"{step.name}: {mark}" if several else mark for mark in symbol_marks(flow, step, t)]
    return lines
