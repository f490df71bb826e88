"""Commands that look at instances: status, ps, log."""

from __future__ import annotations

from typing import Annotated

import typer

from sopctl.cli.env import Env
from sopctl.cli.registry import commands
from sopctl.errors import UsageError

PANEL = "Running instances"
Id = Annotated[str, typer.Argument(metavar="ID", help="Instance id, e.g. PDK-2026-0007.")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
Lang = Annotated[
    str | None,
    typer.Option("--lang", metavar="id|en", help="Language of the labels; default: the SOP's language."),
]
STATES = ("running", "held", "done", "cancelled")


@commands.command(rich_help_panel=PANEL)
def status(
    ctx: typer.Context,
    instance: Id,
    ascii_only: Annotated[
        bool, typer.Option("--ascii", help="Draw with plain ASCII, for terminals without box drawing.")
    ] = False,
    lang: Lang = None,
    as_json: Json = False,
) -> None:
    """Show an instance on its swimlane: who did each pass and how long, what is current, what is late.

    Marks: ✓ within the limit, ✗ over it, ▶ current, ⏸ held, · pending (colour only repeats them).

    Example: sopctl status PDK-2026-0007
    """
    from sopctl.render.labels import check_lang
    from sopctl.views import status_json

    language = check_lang(lang)
    env: Env = ctx.obj
    view = env.engine().status(instance)
    if as_json:
        env.print_json(
            status_json(
                view.state,
                view.flow,
                view.calendar,
                view.now,
                catalogue=view.catalogue,
                intact=not view.tampered,
                calendars=view.calendars,
            )
        )
        return
    from sopctl.render.console import draws_ascii
    from sopctl.render.status_view import status_view

    out = env.console(ascii_only=ascii_only)
    out.print(status_view(view, out.width, ascii_only=draws_ascii(out), lang=language))


@commands.command(rich_help_panel=PANEL)
def ps(
    ctx: typer.Context,
    sop: Annotated[
        str | None, typer.Option("--sop", metavar="ID", help="Only instances of this SOP.")
    ] = None,
    state: Annotated[
        str | None, typer.Option("--state", metavar="STATE", help="running, held, done or cancelled.")
    ] = None,
    lane: Annotated[
        str | None,
        typer.Option("--lane", metavar="LANE", help="Only instances waiting on this lane (lane id)."),
    ] = None,
    as_json: Json = False,
) -> None:
    """List instances, oldest first, with their current steps.

    Example: sopctl ps --state running --lane kasubag-umpeg
    """
    from sopctl.filters import check_filters
    from sopctl.views import status_json

    if state is not None and state not in STATES:
        raise UsageError(f"--state must be one of {', '.join(STATES)}, not {state!r}")
    env: Env = ctx.obj
    engine = env.engine()
    check_filters(engine, sop=sop, lane=lane)
    rows = [
        status_json(v.state, v.flow, v.calendar, v.now, history=False, calendars=v.calendars)
        for v in engine.summaries(sop=sop, state=state, lane=lane)
    ]
    if as_json:
        env.print_json(rows)
        return
    from sopctl.render.instance_view import ps_table

    if rows:
        env.out.print(ps_table(rows))
    env.say(f"{len(rows)} instance(s)")


@commands.command(rich_help_panel=PANEL)
def log(ctx: typer.Context, instance: Id, lang: Lang = None, as_json: Json = False) -> None:
    """Every event of an instance: who, as which lane, when (and when entered), what, note.

    Example: sopctl log PDK-2026-0007 --json
    """
    from sopctl.render.labels import check_lang, labels
    from sopctl.views import event_json

    language = check_lang(lang)
    env: Env = ctx.obj
    view = env.engine().log(instance)
    if as_json:
        runs = {run.seq: run for run in view.state.runs}
        env.print_json([event_json(e, view.flow, runs.get(e.seq)) for e in view.events])
        return
    from sopctl.render.instance_view import log_table

    env.out.print(log_table(view.events, view, language))
    t = labels(language or view.flow.language)
    if view.tampered:
        env.say(t["note_tampered"].format(id=view.state.id))
    if view.state.unverified_events:
        env.say(t["note_unverified"].format(n=view.state.unverified_events))
