"""``sopctl verify``: recompute hash chains and compare projections with their logs."""

from __future__ import annotations

from typing import Annotated

import typer

from sopctl.cli.env import Env
from sopctl.cli.registry import commands
from sopctl.errors import ExitCode, UsageError


@commands.command(rich_help_panel="Audit")
def verify(
    ctx: typer.Context,
    instance: Annotated[str | None, typer.Argument(metavar="[ID]", help="One instance.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every instance in the store.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print findings as JSON.")] = False,
) -> int:
    """Check that no event was edited, deleted, inserted or reordered, and the tables agree with the log.

    Exit 0 when clean, 1 when anything was tampered with.

    Example: sopctl verify --all
    """
    from sopctl.audit import Auditor

    if (instance is None) == (not all_):
        raise UsageError("give one instance ID, or --all")
    env: Env = ctx.obj
    auditor = Auditor(env.engine(audit=True))
    checked = auditor.instance_ids() if all_ else [instance]
    findings = list(auditor.verify_all()) if all_ else auditor.verify(str(instance))
    if as_json:
        env.print_json([f.as_dict() for f in findings])
    else:
        for finding in findings:
            typer.echo(str(finding))
    bad = len({f.instance_id for f in findings})
    env.say(f"{len(checked)} instance(s) checked: " + (f"{bad} tampered" if bad else "all intact"))
    return ExitCode.FINDINGS if findings else ExitCode.OK
