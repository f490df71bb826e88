"""Markdown of the SOP and of an instance's step summary, to paste elsewhere.

Cells are escaped so user text stays text: ``|`` cannot break a table, ``<`` and
``&`` cannot become HTML, ``*``, ``_``, `` ` `` and ``[`` cannot become formatting.
"""

from __future__ import annotations

import re

from sopctl.render.document import FlowRow, InstanceDocument, SopDocument
from sopctl.render.text import inert

_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def md(text: str) -> str:
    escaped = inert(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = _SPECIAL.sub(r"\\\1", escaped)
    return "<br>".join(line.strip() for line in escaped.split("\n"))


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(md(h) for h in head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(cell for cell in row) + " |" for row in rows]
    return out


def _items(values: list[str], none: str) -> str:
    if not values:
        return none
    if len(values) == 1:
        return md(values[0])
    return "<br>".join(f"{i}. {md(v)}" for i, v in enumerate(values, 1))


def sop_markdown(doc: SopDocument) -> str:
    t = doc.t
    lines = [f"# SOP {md(doc.identity.title)}", ""]
    lines += [md(x) + "  " for x in doc.identity.header] + [""]
    lines += _table(["", ""], [[f"**{md(label)}**", md(value)] for label, value in doc.identity.rows])
    lines.append("")
    for label, values in doc.identity.grid:
        lines += [f"**{md(label)}:** {_items(values, t['none'])}", ""]
    if doc.service is not None:
        lines += [f"## {md(doc.service.title)}", ""]
        rows = [[f"**{md(label)}**", _items(values, t["none"])] for label, values in doc.service.rows]
        lines += [*_table(["", ""], rows), ""]
    lines += [f"## {md(t['lanes'])}", ""]
    lines += [f"{i}. {md(name)}" for i, name in enumerate(doc.lanes, 1)] + [""]
    head = [t["no"], t["activity"], t["lanes"], t["requirements"], t["time"], t["output"], t["remarks"]]
    rows = []
    for row in doc.rows:
        activity = md(row.activity) + "".join(f"<br>*{md(n)}*" for n in row.notes)
        rows.append(
            [
                str(row.number),
                activity,
                _lanes(row),
                _items(row.requirements, t["none"]),
                md(row.time),
                md(row.output),
                _remarks(row),
            ]
        )
    if doc.total is not None:  # none when the document states no TOTAL WAKTU
        rows.append(["", f"**{md(t['total'])}**", "", "", f"**{md(doc.total)}**", "", ""])
    lines += _table(head, rows)
    if doc.calendar:
        lines += ["", f"*{md(doc.calendar)}*"]
    return "\n".join(lines) + "\n"


def _remarks(row: FlowRow) -> str:
    """Ket.: the remarks as written, then each mark (a wait, a timeout) in italics."""
    return "<br>".join([*([md(row.remarks)] if row.remarks else []), *(f"*{md(m)}*" for m in row.marks)])


def _symbol_kind(kind: str) -> str:
    return {"start": "terminator", "end": "terminator", "process": "process"}.get(kind, "decision")


def _mark(kind: str) -> str:
    return {"terminator": "( )", "process": "[ ]", "decision": "< >"}[_symbol_kind(kind)]


def _lanes(row: FlowRow) -> str:
    """The Pelaksana cell: the symbol and its lanes; in a row of several, one line each,
    named: "`[ ]` 4a Bagian Umum"."""
    if len(row.symbols) <= 1:
        return f"`{_mark(row.kind)}` " + md(", ".join(row.lanes))
    return "<br>".join(f"`{_mark(s.kind)}` {md(s.name)} " + md(", ".join(s.lanes)) for s in row.symbols)


def instance_markdown(doc: InstanceDocument) -> str:
    t = doc.t
    lines = [f"# {md(t['report_title'])}", ""]
    lines += [md(x) + "  " for x in doc.identity.header] + [""]
    lines += [*_table(["", ""], [[f"**{md(label)}**", md(value)] for label, value in doc.case]), ""]
    head = [
        t["no"],
        t["activity"],
        t["lane_acted"],
        t["by"],
        t["started"].capitalize(),
        t["ended"].capitalize(),
        t["actual"],
        t["time"],
        t["on_hold"].capitalize(),
        t["note"],
        t["deviation"],
    ]
    rows = []
    for run in doc.runs:
        no = f"{run.symbol}" + (f" #{run.pass_no}" if run.pass_no > 1 else "")
        note = "<br>".join(md(x) for x in (run.note, run.output and f"{t['output']}: {run.output}") if x)
        activity = md(run.activity) + (f"<br>*{md(run.outcome)}*" if run.outcome else "")
        deviation = f"**✗ {md(run.late)}**" if run.late else ("✓" if run.within else t["none"])
        who = md(run.who) + (f"<br>{md(t['nip'])} {md(run.nip)}" if run.nip else "")
        rows.append(
            [
                no,
                activity,
                md(run.lane),
                who,
                md(run.started),
                md(run.completed),
                md(run.actual),
                md(run.standard),
                md(run.held),
                note,
                deviation,
            ]
        )
    lines += [*_table(head, rows), ""]
    if doc.current:
        lines += [f"**{md(t['current_steps'])}:** " + "; ".join(md(c) for c in doc.current), ""]
    lines += [*_table(["", ""], [[f"**{md(label)}**", md(value)] for label, value in doc.totals]), ""]
    if doc.signers:
        lines += [md(doc.place_date), ""]
        for signer in doc.signers:
            name = md(signer.name) if signer.name else "...................."
            nip = md(signer.nip) if signer.nip else "...................."
            nip_line = [] if signer.external else [f"{md(t['nip'])} {nip}"]
            lines += [f"{md(signer.heading)},", "", "", f"**{name}**  ", *nip_line, ""]
    return "\n".join(lines)
