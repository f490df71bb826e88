"""Commands that move an instance: start, done, decide, hold, resume, cancel."""

from __future__ import annotations

from typing import Annotated

import typer

from sopctl.cli.env import Env
from sopctl.cli.registry import commands

PANEL = "Running instances"
Id = Annotated[str, typer.Argument(metavar="ID", help="Instance id, e.g. PDK-2026-0007.")]
At = Annotated[
    str | None,
    typer.Option(
        "--at",
        metavar="TIME",
        help="When it really happened (ISO 8601; no offset = office time). Default: now.",
    ),
]
By = Annotated[
    str,
    typer.Option(
        "--by",
        metavar="PERSON",
        help="Who did it: NIP or alias from the organisation file (a third party: its name); "
        "without one, any name.",
    ),
]
As = Annotated[str | None, typer.Option("--as", metavar="LANE", help="The lane acted in (id or name).")]
Step = Annotated[
    str | None,
    typer.Option(
        "--step",
        metavar="NAME",
        help="Which current step, when several are: its No (5), its name in a row of several (5b) or its id.",
    ),
]
Note = Annotated[str | None, typer.Option("--note", metavar="TEXT", help="A remark for the record.")]
Json = Annotated[bool, typer.Option("--json", help="Print the instance as JSON (the status contract).")]


def _when(at: str | None):  # type: ignore[no-untyped-def]
    if at is None:
        return None
    from sopctl.timeparse import parse_moment

    return parse_moment(at)


def _already(env: Env, view) -> None:  # type: ignore[no-untyped-def]
    """Say so when a retried command found its own write already recorded."""
    if view.already:
        env.say(
            "note: this was already recorded, by the same person with the same outcome; "
            "nothing new was written"
        )


def _report(env: Env, view, as_json: bool, headline: str, due: bool = True) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from sopctl.cli.env import utcnow
    from sopctl.render.progress import fitted, now_due
    from sopctl.run.reader import FUTURE_TOLERANCE
    from sopctl.views import status_json

    # The view is seen as of the event (--at); a script reading the JSON, like one reading
    # `status --json`, must learn what is late now: a step due days ago is not "15 minutes left".
    now = utcnow().replace(microsecond=0)
    if as_json:
        catalogue = env.engine().catalogue_state(view.pinned)  # as status --json says it
        env.print_json(
            status_json(
                view.state, view.flow, view.calendar, now, catalogue=catalogue, calendars=view.calendars
            )
        )
        return
    width = shutil.get_terminal_size().columns  # COLUMNS, else the terminal's, else 80
    backdated = view.now < now - FUTURE_TOLERANCE  # entered afterwards with --at
    for line in [headline, *(now_due(view, now if backdated else None) if due else ())]:
        typer.echo(fitted(line, width))


@commands.command(rich_help_panel=PANEL)
def start(
    ctx: typer.Context,
    sop: Annotated[
        str, typer.Argument(metavar="SOP", help="Catalogue id of the SOP, or the path of its YAML file.")
    ],
    title: Annotated[
        str, typer.Option("--title", metavar="TEXT", help="The case, e.g. 'Mutasi a.n. Siti Aminah'.")
    ],
    ref: Annotated[
        str | None, typer.Option("--ref", metavar="KEY", help="Your reference: letter number, file.")
    ] = None,
    by: Annotated[str | None, typer.Option("--by", metavar="PERSON", help="Who opens it.")] = None,
    start_at: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="START",
            help="Where the case begins, when the SOP has alternative starts: the start's name "
            '(1b) or its text ("Via Email").',
        ),
    ] = None,
    at: At = None,
    as_json: Json = False,
) -> None:
    """Open an instance of an SOP for one case; prints its id and the step(s) now due.

    Example: sopctl start pengelolaan-data-kepegawaian --title "Mutasi a.n. Siti Aminah"
    """
    env: Env = ctx.obj
    view = env.engine(create=True).start(sop, title, ref=ref, by=by, at=_when(at), start=start_at)
    _report(env, view, as_json, f"{view.state.id} started: {view.flow.name} — {view.state.title}")


@commands.command(rich_help_panel=PANEL)
def done(
    ctx: typer.Context,
    instance: Id,
    by: By,
    step: Step = None,
    as_lane: As = None,
    note: Note = None,
    output: Annotated[
        str | None, typer.Option("--output", metavar="TEXT", help="What the step produced.")
    ] = None,
    at: At = None,
    as_json: Json = False,
) -> None:
    """Complete the current step (--step N when several are current).

    Example: sopctl done PDK-2026-0007 --by 199001012015031001 --note "berkas lengkap"
    """
    from sopctl.render.progress import completed_line

    env: Env = ctx.obj
    view = env.engine().done(
        instance,
        by=by,
        step=step,
        as_lane=as_lane,
        note=note,
        output=output,
        at=_when(at),
        seen_at=env.started,
    )
    _already(env, view)
    _report(env, view, as_json, completed_line(view))


@commands.command(rich_help_panel=PANEL)
def decide(
    ctx: typer.Context,
    instance: Id,
    branch: Annotated[
        str, typer.Argument(metavar="BRANCH", help="The branch label: ya, tidak, or one the SOP declares.")
    ],
    by: By,
    step: Step = None,
    as_lane: As = None,
    note: Note = None,
    at: At = None,
    as_json: Json = False,
) -> None:
    """Complete a current decision step along one branch; a branch back reopens an earlier step.

    Example: sopctl decide PDK-2026-0007 tidak --by kasubag --note "NIP salah ketik"
    """
    from sopctl.render.progress import completed_line

    env: Env = ctx.obj
    view = env.engine().decide(
        instance, branch, by=by, step=step, as_lane=as_lane, note=note, at=_when(at), seen_at=env.started
    )
    _already(env, view)
    _report(env, view, as_json, completed_line(view))


@commands.command(rich_help_panel=PANEL)
def hold(
    ctx: typer.Context,
    instance: Id,
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why the work waits.")],
    by: Annotated[str | None, typer.Option("--by", metavar="PERSON", help="Who holds it.")] = None,
    at: At = None,
    as_json: Json = False,
) -> None:
    """Put an instance on hold: its clock stops (e.g. a third party repairs SIMPEG).

    Example: sopctl hold SIMPEG-2026-0003 --reason "perbaikan oleh pihak ketiga"
    """
    env: Env = ctx.obj
    view = env.engine().hold(instance, reason=reason, by=by, at=_when(at))
    _report(env, view, as_json, f"{view.state.id} is on hold: the clock stopped", due=False)


@commands.command(rich_help_panel=PANEL)
def resume(
    ctx: typer.Context,
    instance: Id,
    by: Annotated[str | None, typer.Option("--by", metavar="PERSON", help="Who resumes it.")] = None,
    at: At = None,
    as_json: Json = False,
) -> None:
    """Resume a held instance; due times move later by the working time it was held.

    Example: sopctl resume SIMPEG-2026-0003
    """
    env: Env = ctx.obj
    view = env.engine().resume(instance, by=by, at=_when(at))
    _report(env, view, as_json, f"{view.state.id} resumed")


@commands.command(rich_help_panel=PANEL)
def cancel(
    ctx: typer.Context,
    instance: Id,
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why it stops.")],
    by: Annotated[str | None, typer.Option("--by", metavar="PERSON", help="Who cancels it.")] = None,
    at: At = None,
    as_json: Json = False,
) -> None:
    """Cancel an instance: it ends without finishing; its record stays.

    Example: sopctl cancel PDK-2026-0007 --reason "berkas ditarik pemohon"
    """
    env: Env = ctx.obj
    view = env.engine().cancel(instance, reason=reason, by=by, at=_when(at))
    _report(env, view, as_json, f"{view.state.id} cancelled", due=False)
