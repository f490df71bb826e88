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
    repair: Annotated[
        bool,
        typer.Option(
            "--repair",
            help="Rebuild one instance's tables from its log (which must be intact), and record that "
            "in the log.",
        ),
    ] = False,
    by: Annotated[
        str | None, typer.Option("--by", metavar="PERSON", help="Who repairs (with --repair).")
    ] = None,
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
    if repair:
        if instance is None:
            raise UsageError("--repair repairs one instance: give its ID")
        fixed = env.engine(audit=True).repair(instance, by=by)
        if not fixed:
            env.say(f"{instance}: its tables agree with its log; nothing to repair")
            return 0
        typer.echo(f"{instance}: repaired: {len(fixed)} difference(s) between its tables and its log")
        for line in fixed:
            typer.echo(f"  {line}")
        return 0
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
