"""``sopctl export``: printable documents of an SOP and of instances (HTML, PDF, Markdown, JSON).

Jinja2 and WeasyPrint are imported inside the commands, so ``sopctl status``
and ``sopctl --help`` do not pay for them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sopctl.cli.env import Env
from sopctl.cli.options import Period, SinceOption, SopOption, UntilOption
from sopctl.cli.registry import commands
from sopctl.errors import ExitCode, SopctlError, StoreError, UsageError

if TYPE_CHECKING:
    from sopctl.run.reader import InstanceView

FORMATS = ("html", "pdf", "md", "json")
PAPERS = ("a4", "f4")

export_app = typer.Typer(
    name="export",
    help="Write printable documents: the SOP in the official SOP AP layout, instance step summaries.",
    no_args_is_help=True,
)
commands.add_typer(export_app, rich_help_panel="Documents")

Format = Annotated[str, typer.Option("--format", "-f", metavar="html|pdf|md|json", help="Document format.")]
#: Text, not a Path: "arsip/" (a folder, with its slash) must not become "arsip" (a file).
Output = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Where to write: a file, or a folder for the usual name ('-' = stdout for md/json); "
        "default: a name made from the id in the current folder.",
    ),
]
Force = Annotated[bool, typer.Option("--force", help="Replace files that already exist.")]
Lang = Annotated[
    str | None, typer.Option("--lang", metavar="id|en", help="Language of the labels; default: the SOP's.")
]
Paper = Annotated[str, typer.Option("--paper", metavar="a4|f4", help="Paper size (landscape).")]


def _check(fmt: str, paper: str, lang: str | None, output: str | None = None) -> str | None:
    """Every option checked before any work is done."""
    from sopctl.render.labels import check_lang

    if fmt not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if output == "-" and fmt in ("html", "pdf"):
        raise UsageError("-o - (stdout) is for --format md or json; give a file name")
    if paper not in PAPERS:
        raise UsageError(f"--paper must be one of {', '.join(PAPERS)}, not {paper!r}")
    if output not in (None, "-"):
        writable_name(Path(output).expanduser())
    return check_lang(lang)


def writable_name(path: Path) -> None:
    """Refuse, before any work, a path to write that the system cannot even look up: a name
    over 255 bytes, a folder on the way that may not be entered. (Whether it can be written
    is known only when it is: :func:`sopctl.render.output.write_file` says why not.)"""
    from sopctl.files import FileError, kind

    for each in (path, path.parent):
        try:
            kind(each)
        except FileError as exc:
            raise UsageError(f"cannot write {path}: {exc.reason}") from None


def _emit(data: bytes, output: str | None, default: str, fmt: str, force: bool, env: Env) -> None:
    from sopctl.render.output import ensure_folder, inside, write_file

    if output == "-":
        typer.echo(data.decode("utf-8"), nl=False)
        return
    path = Path(output).expanduser() if output is not None else Path.cwd()
    if output is not None and output.endswith(("/", os.sep)):
        ensure_folder(path)  # "-o arsip/" means a folder, as --out does: made if missing
    if path.is_dir():  # like cp: a folder gets the usual name inside it
        path = inside(path, default)
    write_file(path, data, force=force)
    env.say(f"wrote {path}")


@export_app.command("sop")
def export_sop(
    ctx: typer.Context,
    sop: Annotated[str, typer.Argument(metavar="SOP", help="Catalogue id, or the path of a YAML file.")],
    fmt: Format = "pdf",
    output: Output = None,
    force: Force = False,
    lang: Lang = None,
    paper: Paper = "a4",
) -> None:
    """The SOP in the official SOP AP layout: identity section, then the flowchart with its symbols.

    Example: sopctl export sop pengelolaan-data-kepegawaian --format pdf --paper f4
    """
    from sopctl.cli.catalog import _find
    from sopctl.render.output import document_name

    language = _check(fmt, paper, lang, output)
    env: Env = ctx.obj
    loaded = _find(env, sop)
    if fmt == "json":
        data = json.dumps(loaded.definition(), ensure_ascii=False, indent=2).encode() + b"\n"
    else:
        from sopctl.render.document import sop_document

        names = env.catalog().related_names(loaded.sop)
        doc = sop_document(loaded.definition(), loaded.procedure, language, names)
        data = _render(fmt, paper, lambda html, p: html.sop_html(doc, p), lambda m: m.sop_markdown(doc))
    _emit(data, output, document_name(f"SOP-{loaded.sop.id}", None, fmt), fmt, force, env)


def _render(fmt: str, paper: str, to_html: Callable, to_md: Callable) -> bytes:  # type: ignore[type-arg]
    if fmt == "md":
        from sopctl.render import markdown

        return str(to_md(markdown)).encode("utf-8")
    from sopctl.render import html
    from sopctl.render.pages import Paper as PaperSize

    text = str(to_html(html, PaperSize.named(paper)))
    if fmt == "html":
        return text.encode("utf-8")
    from sopctl.render.pdf import html_to_pdf

    return html_to_pdf(text)


def instance_bytes(view: InstanceView, fmt: str, paper: str, lang: str | None) -> bytes:
    """One instance's step summary in ``fmt``; none from a log changed outside sopctl (it is
    printed to be signed)."""
    if view.tampered:
        raise StoreError(
            f"the log of {view.state.id} was changed outside sopctl: no summary is printed from it; "
            f"run `sopctl verify {view.state.id}`"
        )
    if fmt == "json":
        from sopctl.views import status_json

        data = status_json(
            view.state, view.flow, view.calendar, view.now, catalogue=view.catalogue, calendars=view.calendars
        )
        return json.dumps(data, ensure_ascii=False, indent=2).encode() + b"\n"
    from sopctl.render.document import instance_document

    doc = instance_document(view, lang)
    return _render(fmt, paper, lambda html, p: html.instance_html(doc, p), lambda m: m.instance_markdown(doc))


@export_app.command("instance")
def export_instance(
    ctx: typer.Context,
    instance: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="Instance id, e.g. PDK-2026-0007.")
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Every instance (with --out DIR).")] = False,
    sop: Annotated[str | None, typer.Option("--sop", metavar="ID", help="With --all: only this SOP.")] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="With --all: started on or after (YYYY-MM-DD)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="DIR",
            help="With --all: the folder to write to; created if missing (not its parent folders).",
        ),
    ] = None,
    fmt: Format = "pdf",
    output: Output = None,
    force: Force = False,
    lang: Lang = None,
    paper: Paper = "a4",
) -> int:
    """An instance's step summary (laporan): who did each step, when, how long, deviations, signatures.

    Example: sopctl export instance PDK-2026-0007 -o laporan.pdf
    Example: sopctl export instance --all --sop pengelolaan-data-kepegawaian --since 2026-01-01 --out arsip/
    """
    from sopctl.render.output import document_name

    language = _check(fmt, paper, lang, output)
    env: Env = ctx.obj
    if every:
        if instance is not None or output is not None:
            raise UsageError("--all writes one file per instance into --out DIR: give no ID and no -o")
        writable_name(out or Path.cwd())
        return _export_all(env, sop, since, out or Path.cwd(), fmt, paper, language, force)
    if instance is None:
        raise UsageError("say which instance (ID), or use --all")
    if sop or since or out:
        raise UsageError("--sop, --since and --out go with --all")
    view = env.engine().status(instance)
    data = instance_bytes(view, fmt, paper, language)
    _emit(data, output, document_name(view.state.id, view.state.title, fmt), fmt, force, env)
    return ExitCode.OK


def _export_all(
    env: Env,
    sop: str | None,
    since: str | None,
    folder: Path,
    fmt: str,
    paper: str,
    lang: str | None,
    force: bool,
) -> int:
    from rich.progress import Progress

    from sopctl.filters import check_filters
    from sopctl.render.output import document_name, ensure_folder, inside, write_file

    start = Period(since, None).since
    engine = env.engine()
    check_filters(engine, sop=sop)
    ids = [
        v.state.id
        for v in engine.summaries(sop=sop)
        if start is None or v.state.started_at.astimezone(_zone(v.flow.timezone)).date() >= start
    ]
    ensure_folder(folder)  # only once everything else was checked: no empty folder after an error
    written, skipped, failed = 0, 0, 0
    with Progress(console=env.err, transient=True, disable=not env.err.is_terminal) as progress:
        task = progress.add_task("export", total=len(ids))
        for iid in ids:
            try:
                view = engine.status(iid)
                path = inside(folder, document_name(iid, view.state.title, fmt))
                if path.exists() and not force:
                    skipped += 1
                else:
                    write_file(path, instance_bytes(view, fmt, paper, lang), force=force)
                    written += 1
            except SopctlError as exc:
                failed += 1
                env.say(f"Error: {iid}: {exc.message}")
            progress.advance(task)
    note = f"; {skipped} already there (use --force to replace)" if skipped else ""
    note += f"; {failed} failed" if failed else ""
    env.say(f"wrote {written} of {len(ids)} instance summaries to {folder}{note}")
    return ExitCode.FINDINGS if failed else ExitCode.OK


@export_app.command("stats")
def export_stats(
    ctx: typer.Context,
    sop: SopOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold", metavar="PCT", help="Share of runs within the limit that counts as done well."
        ),
    ] = 80.0,
    fmt: Format = "pdf",
    output: Output = None,
    force: Force = False,
    lang: Lang = None,
    paper: Paper = "a4",
) -> None:
    """The monitoring form from the figures of `sopctl stats`: procedure, assessment, notes, action.

    Example: sopctl export stats --since 2026-01-01 --until 2026-07-01 -o monitoring-2026-1.pdf
    """
    from sopctl.filters import check_filters
    from sopctl.stats import compute

    language = _check(fmt, paper, lang, output) or "id"
    if not 0 <= threshold <= 100:
        raise UsageError(f"--threshold is a percentage from 0 to 100, not {threshold:g}")
    from sopctl.render.output import document_name

    env: Env = ctx.obj
    engine = env.engine()
    check_filters(engine, sop=sop)
    zones = engine.office_zones(sop)
    period = Period(since, until, zones)
    figures = compute(engine, sop=sop, since=period.since_utc, until=period.until_utc)
    if fmt == "json":
        data = json.dumps(figures, ensure_ascii=False, indent=2).encode() + b"\n"
    else:
        from sopctl.render.monitoring import monitoring_document
        from sopctl.timeparse import one_clock

        now = engine.clock()
        definitions = {x.sop.id: x.definition() for x in env.catalog()}
        doc = monitoring_document(
            figures,
            definitions,
            lang=language,
            threshold=threshold,
            since=period.since.isoformat() if period.since else None,
            last_day=period.last_day.isoformat() if period.last_day else None,
            # The office's date (on the one clock of the SOPs counted), as a day is everywhere else.
            today=now.astimezone(one_clock(zones, now)).date().isoformat(),
        )
        data = _render(fmt, paper, lambda html, p: html.stats_html(doc, p), lambda m: _monitoring_md(doc))
    _emit(data, output, document_name("monitoring-SOP", sop, fmt), fmt, force, env)
    if not figures["steps"]:
        env.say("note: no completed steps in that period")


def _monitoring_md(doc: Any) -> str:
    from sopctl.render.monitoring import monitoring_markdown

    return monitoring_markdown(doc)


def _zone(name: str):  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)
