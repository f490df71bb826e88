"""The flowchart table in the terminal: one row per step, one column per lane."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from sopctl.procedure import Procedure, StepDef
from sopctl.render.labels import labels

WIDE = 120  # from this width on, the mutu baku columns get their own columns


def symbol(step: StepDef) -> str:
    number = str(step.number)
    if step.kind in ("start", "end"):
        return f"({number})"
    if step.kind == "decision":
        return f"<{number}>"
    return f"[{number}]"


def flow_table(flow: Procedure, width: int, lang: str | None = None) -> RenderableType:
    t = labels(lang or flow.language)
    wide = width >= WIDE
    table = Table(box=box.SQUARE, show_lines=True, pad_edge=False, expand=True)
    table.add_column(t["no"], justify="right", no_wrap=True)
    table.add_column(t["activity"], ratio=4, overflow="fold")
    for lane in flow.lanes:
        table.add_column(
            lane.short if not wide else lane.name, justify="center", overflow="fold", min_width=5
        )
    if wide:
        table.add_column(t["requirements"], ratio=2, overflow="fold")
    table.add_column(t["time"], overflow="fold", min_width=6)
    if wide:
        table.add_column(t["output"], ratio=2, overflow="fold")
        table.add_column(t["remarks"], ratio=1, overflow="fold")
    for step in flow.steps.values():
        activity = Text(step.activity)
        if step.kind == "decision":
            for branch in step.branches:
                activity.append(f"\n  {branch.label} → {branch.to}", style="italic")
        if not wide:
            if step.requirements:
                activity.append(f"\n{t['requirements']}: {'; '.join(step.requirements)}", style="dim")
            if step.output:
                activity.append(f"\n{t['output']}: {step.output}", style="dim")
        cells: list[RenderableType] = [str(step.number), activity]
        cells += [symbol(step) if lane.id in step.lanes else "" for lane in flow.lanes]
        if wide:
            cells.append("\n".join(step.requirements) or "-")
        cells.append(step.limit.text if step.limit else "-")
        if wide:
            cells += [step.output or "-", step.remarks]
        table.add_row(*cells)
    total = flow.main_path_total().format(flow.language)
    footer = [Text(""), Text(t["total"], style="bold")] + [Text("") for _ in flow.lanes]
    if wide:
        footer.append(Text(""))
    footer.append(Text(total, style="bold"))
    if wide:
        footer += [Text(""), Text("")]
    table.add_row(*footer)
    if wide:
        return table
    legend = Text(
        f"{t['legend']}: " + "; ".join(f"{lane.short} = {lane.name}" for lane in flow.lanes), style="dim"
    )
    return Group(table, legend)
