"""The monitoring form of SOP AP (Formulir Monitoring Pelaksanaan SOP) from ``sopctl stats``.

Per step: the procedure, an assessment (done well or not), notes with the
measured figures, and the action to take. The assessment is computed from the
share of passes done within the mutu baku (``--threshold``); the action is
left for the evaluator to write and sign, since it is a decision, not a figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sopctl.render.labels import counted, format_doc_date, labels


@dataclass
class MonitoringRow:
    #: The step as the figures key it (its number in the flow).
    number: int
    procedure: str
    lanes: str
    good: bool
    assessment: str
    notes: str
    #: The step as people name it and the form prints it: "5b" (in format 1 its number).
    name: str = ""


@dataclass
class MonitoringSection:
    sop: str
    name: str
    header: list[str]
    rows: list[MonitoringRow]


@dataclass
class MonitoringDocument:
    lang: str
    t: dict[str, str]
    period: str
    threshold: float
    sections: list[MonitoringSection]
    place_date: str


def monitoring_document(
    figures: dict[str, list[dict[str, Any]]],
    definitions: dict[str, dict[str, Any]],
    *,
    lang: str,
    threshold: float,
    since: str | None,
    last_day: str | None,
    today: str,
) -> MonitoringDocument:
    """``definitions`` maps SOP ids to their definitions (for names and agency headers);
    ``since`` and ``last_day`` are the first and last days counted (both included)."""
    t = labels(lang)
    sections: dict[str, MonitoringSection] = {}
    flows: dict[str, Any] = {}  # each format-2 SOP compiled once, to name its steps
    for row in figures["steps"]:
        definition = definitions.get(row["sop"], {})
        org = definition.get("organization") or {}
        section = sections.setdefault(
            row["sop"],
            MonitoringSection(
                row["sop"],
                definition.get("name", row["sop"]),
                [str(org[k]).upper() for k in ("government", "agency", "division", "unit") if org.get(k)],
                [],
            ),
        )
        good = row["within_pct"] is None or row["within_pct"] >= threshold
        section.rows.append(
            MonitoringRow(
                row["step"],
                row["activity"],
                ", ".join(row["lanes"]),
                good,
                t["assessment_good"] if good else t["assessment_bad"],
                _notes(row, t, lang),
                _name(row, definition, flows),
            )
        )
    period = " – ".join(format_doc_date(d, lang) if d else "…" for d in (since, last_day))
    return MonitoringDocument(
        lang,
        t,
        period if since or last_day else t["none"],
        threshold,
        list(sections.values()),
        f"……………………, {format_doc_date(today, lang)}",
    )


def _name(row: dict[str, Any], definition: dict[str, Any], flows: dict[str, Any]) -> str:
    """A row of figures' step by its name: the ``symbol`` the figures carry, else the name the
    catalogue's definition gives the step's number (in format 2 that number is internal)."""
    if row.get("symbol"):
        return str(row["symbol"])
    if definition.get("schema", 1) == 2:
        from sopctl.sop.procedure import Procedure

        if row["sop"] not in flows:
            flows[row["sop"]] = Procedure.from_definition(definition)
        flow = flows[row["sop"]]
        if row["step"] in flow.steps:
            return str(flow.label(row["step"]))
    return str(row["step"])


def _num(value: float, lang: str) -> str:
    """17.5 -> "17,5" in Indonesian (the decimal comma)."""
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "id" else text


def _notes(row: dict[str, Any], t: dict[str, str], lang: str) -> str:
    parts = [counted(t, "runs", row["count"])]
    median, p90 = _num(row["median_minutes"], lang), _num(row["p90_minutes"], lang)
    figures = f"{t['median']} {median} {t['minutes']}, p90 {p90} {t['minutes']}"
    if row["limit"]:
        figures += f" ({t['limit']} {row['limit']})"
    parts.append(figures)
    if row["within_pct"] is not None:
        parts.append(t["within_pct"].format(pct=_num(row["within_pct"], lang)))
    if row["correction_loops"]:
        parts.append(counted(t, "loops_n", row["correction_loops"]))
    return "; ".join(parts)


def monitoring_markdown(doc: MonitoringDocument) -> str:
    from sopctl.render.markdown import md

    t = doc.t
    lines = [f"# {md(t['monitoring_title'])}", "", f"**{md(t['period'])}:** {md(doc.period)}", ""]
    for section in doc.sections:
        lines += [f"## SOP {md(section.name)}", ""]
        lines += [md(x) + "  " for x in section.header] + ([""] if section.header else [])
        head = [t["no"], t["procedure"], t["assessment"], t["assessment_notes"], t["action"]]
        lines += ["| " + " | ".join(md(h) for h in head) + " |", "|---|---|---|---|---|"]
        for row in section.rows:
            mark = "✓" if row.good else "✗"
            lines.append(
                f"| {md(row.name)} | {md(row.procedure)} | {mark} {md(row.assessment)} | {md(row.notes)} |  |"
            )
        lines.append("")
    lines += [
        md(doc.place_date),
        "",
        f"{md(t['evaluator'])},",
        "",
        "",
        "....................",
        f"{md(t['nip'])} ....................",
    ]
    return "\n".join(lines) + "\n"
