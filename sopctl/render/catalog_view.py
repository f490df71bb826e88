"""Terminal views of SOP definitions: the catalogue list and the identity section."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from sopctl.loader import LoadedSop
from sopctl.model import RelatedSop, Sop
from sopctl.nip import parse_nip
from sopctl.render.labels import format_doc_date, labels
from sopctl.render.text import inert


def catalog_table(sops: list[LoadedSop]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=False)
    table.add_column("ID", overflow="fold")
    table.add_column("Name", ratio=3, overflow="fold")
    table.add_column("Agency", ratio=2, overflow="fold")
    table.add_column("Steps", justify="right")
    table.add_column("Lanes", justify="right")
    table.add_column("Total", no_wrap=True)
    for loaded in sops:
        sop = loaded.sop
        table.add_row(
            sop.id,
            inert(sop.name),
            inert(sop.organization.agency),
            str(len(sop.steps)),
            str(len(sop.lanes)),
            loaded.procedure.main_path_total().format(sop.language),
        )
    return table


def catalog_rows(sops: list[LoadedSop]) -> list[dict[str, object]]:
    return [
        {
            "id": loaded.sop.id,
            "name": loaded.sop.name,
            "agency": loaded.sop.organization.agency,
            "steps": len(loaded.sop.steps),
            "lanes": [lane.name for lane in loaded.sop.lanes],
            "total_time": loaded.procedure.main_path_total().format(loaded.sop.language),
            "version": loaded.version,
            "file": str(loaded.path),
        }
        for loaded in sops
    ]


def identity_view(sop: Sop, lang: str | None = None) -> RenderableType:
    """The Bagian Identitas: agency header, then label/value rows and the six lists."""
    lang = lang or sop.language
    t = labels(lang)
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
    if approver.nip:
        signer.append(f"{t['nip']} {parse_nip(approver.nip).spaced}")
    grid.add_row(t["name"], Text(inert(sop.name), style="bold"))
    grid.add_row(t["number"], inert(sop.number) or "-")
    grid.add_row(t["made"], format_doc_date(sop.dates.made, lang))
    grid.add_row(t["revised"], format_doc_date(sop.dates.revised, lang))
    grid.add_row(t["effective"], format_doc_date(sop.dates.effective, lang))
    grid.add_row(t["approved_by"], inert("\n".join(s for s in signer if s)) or "-")
    related = [f"{r.sop} (SOP)" if isinstance(r, RelatedSop) else r for r in sop.related]
    for key, items in (
        ("legal_basis", sop.legal_basis),
        ("qualifications", sop.qualifications),
        ("related", related),
        ("equipment", sop.equipment),
        ("warnings", sop.warnings),
        ("records", sop.records),
    ):
        grid.add_row(t[key], inert(numbered(items)))
    return Group(header, Text(""), grid)


def numbered(items: list[str]) -> str:
    if not items:
        return "-"
    if len(items) == 1:
        return items[0]
    return "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))
