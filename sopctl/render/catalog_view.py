"""Terminal views of SOP definitions: the catalogue list and the identity section."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from sopctl.nip import parse_nip
from sopctl.render.labels import format_doc_date, labels, own_labels, related_title
from sopctl.render.tables import Fitted, add_id, add_prose, new_table
from sopctl.render.text import inert
from sopctl.render.timenotes import service_block
from sopctl.sop.loader import LoadedSop
from sopctl.sop.model import RelatedSop
from sopctl.sop.model2 import AnySop, SopV2
from sopctl.sop.procedure import Procedure


def catalog_table(sops: list[LoadedSop]) -> RenderableType:
    """One row per SOP: the id whole (it is what every command takes), the name with the
    agency under it, wrapped."""
    table = new_table()
    add_id(table, "ID")
    add_prose(table, "Name / agency")
    add_id(table, "Steps", justify="right")
    add_id(table, "Lanes", justify="right")
    add_prose(table, "Total")
    for loaded in sops:
        sop = loaded.sop
        name = Text(inert(sop.name))
        name.append("\n" + inert(sop.organization.agency), style="dim")
        # Steps: the numbered rows as printed (in format 2 a row may hold several symbols).
        table.add_row(
            sop.id,
            name,
            str(len(loaded.procedure.rows)),
            str(len(sop.lanes)),
            loaded.procedure.total_text(sop.language) or "-",
        )
    return Fitted(table)


def catalog_rows(sops: list[LoadedSop]) -> list[dict[str, object]]:
    return [
        {
            "id": loaded.sop.id,
            "name": loaded.sop.name,
            "agency": loaded.sop.organization.agency,
            "steps": len(loaded.procedure.rows),
            "lanes": [lane.name for lane in loaded.sop.lanes],
            "total_time": loaded.procedure.total_text(loaded.sop.language),
            "version": loaded.version,
            "file": str(loaded.path),
        }
        for loaded in sops
    ]


def identity_view(
    sop: AnySop,
    lang: str | None = None,
    related_names: Mapping[str, str] | None = None,
    flow: Procedure | None = None,
) -> RenderableType:
    """The Bagian Identitas: agency header, then label/value rows and the six lists, in the
    document's own labels where it has them ("Tanggal Pengesahan"); then, given the compiled
    ``flow`` of an SOP with a ``service:`` block, its Standar Pelayanan."""
    lang = lang or sop.language
    own = sop.labels.model_dump(exclude_none=True) if isinstance(sop, SopV2) else {}
    t = own_labels(labels(lang), own, lang == sop.language)
    org = sop.organization
    header = Text(
        inert("\n".join(x.upper() for x in (org.government, org.agency, org.division, org.unit) if x)),
        style="bold",
    )
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    approver = sop.approved_by
    signer = [approver.position, approver.name]
    if approver.signature == "electronic":  # TTE: signed with a certificate, not by hand
        signer[1:1] = [f"({t['signed_electronically']})", approver.verification]
    if approver.nip:
        signer.append(f"{t['nip']} {parse_nip(approver.nip).spaced}")
    grid.add_row(t["name"], Text(inert(sop.name), style="bold"))
    grid.add_row(t["number"], inert(sop.number) or "-")
    grid.add_row(t["made"], format_doc_date(sop.dates.made, lang))
    grid.add_row(t["revised"], format_doc_date(sop.dates.revised, lang))
    grid.add_row(t["effective"], format_doc_date(sop.dates.effective, lang))
    grid.add_row(t["approved_by"], inert("\n".join(s for s in signer if s)) or "-")
    names = related_names or {}
    related = [related_title(r.sop, names) if isinstance(r, RelatedSop) else r for r in sop.related]
    for key, items in (
        ("legal_basis", sop.legal_basis),
        ("qualifications", sop.qualifications),
        ("related", related),
        ("equipment", sop.equipment),
        ("warnings", sop.warnings),
        ("records", sop.records),
    ):
        grid.add_row(t[key], inert(numbered(items)))
    service = service_block(flow, t) if flow is not None else None
    if service is not None:
        # In the same grid, so that its values line up with the identity's.
        grid.add_row("", "")
        grid.add_row(Text(inert(service.title), style="bold underline"), "")
        for label, values in service.rows:
            grid.add_row(label, inert(numbered(values)))
    return Group(header, Text(""), grid)


def numbered(items: list[str]) -> str:
    if not items:
        return "-"
    if len(items) == 1:
        return items[0]
    return "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))
