"""Commands on SOP definitions: validate, list, show, schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sopctl.cli.env import Env
from sopctl.cli.registry import commands
from sopctl.errors import ExitCode, Problem, UsageError, count_problems

if TYPE_CHECKING:
    from sopctl.sop.loader import Catalog

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


@commands.command(rich_help_panel="SOP definitions")
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH", help="SOP files or folders; default: the catalogue folder.", show_default=False
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> int:
    """Check SOP files: syntax, fields, flow and totals; every problem with file:line:col.

    Exit 0 when all are valid, 1 when some are not, 2 when a path does not exist.

    Example: sopctl validate sops/
    """
    from sopctl.sop.loader import load_catalog

    env: Env = ctx.obj
    catalog = load_catalog(paths or [env.sops_dir])
    problems = list(catalog.problems)
    extra = [] if paths else _site_files(env)
    for kind, path in extra:
        problems += _site_file_problems(kind, path, catalog)
    if not paths:
        problems += _calendar_problems(catalog, dict(extra).get("config"))
    if as_json:
        env.print_json([p.as_dict() for p in problems])
    else:
        for problem in problems:
            typer.echo(str(problem))
        bad = len({p.file for p in problems})
        also = f" (and {', '.join(str(path) for _, path in extra)})" if extra else ""
        env.say(
            f"{catalog.files} SOP file(s) checked{also}: {len(catalog.sops)} valid"
            + (f", {count_problems(problems):,} problem(s) in {bad} file(s)" if bad else "")
        )
    return ExitCode.FINDINGS if problems else ExitCode.OK


def _site_files(env: Env) -> list[tuple[str, Path]]:
    """The site config and organisation file in use, when they exist."""
    from sopctl.cli.env import site_file

    found = []
    for kind, given, default, what in (
        ("config", env.config_path, "sopctl.yaml", "config file"),
        ("org", env.org_path, "org.yaml", "organisation file"),
    ):
        path = given or env.sops_dir.parent / default
        if site_file(path, what):
            found.append((kind, path))
        elif given is not None:
            raise UsageError(f"{path}: no such file")
    return found


def _calendar_problems(catalog: Catalog, config: Path | None) -> list[Problem]:
    """A calendar an SOP names that the site config does not define: every command would refuse
    to start a case of it, so validate says so at the SOP's line."""
    from sopctl.config import load_config
    from sopctl.errors import ValidationFailed
    from sopctl.sop.messages import problem_at

    known = {"office", "always"}
    if config is not None:
        try:
            known |= set(load_config(config).named_calendars)
        except ValidationFailed:
            return []  # the config's own problems are reported; guessing past them helps no one
    found = []
    for loaded in catalog:
        sop = loaded.sop
        places: list[tuple[tuple[str | int, ...], str | None]] = [
            (("calendar",), getattr(sop, "calendar", None))
        ]
        service = getattr(sop, "service", None)
        if service is not None:
            places.append((("service", "calendar"), service.calendar))
        for r, row in enumerate(getattr(sop, "rows", ())):
            for i, symbol in enumerate(row.symbols):
                places.append((("rows", r, "symbols", i, "calendar"), symbol.calendar))
        for where, name in places:
            if name is not None and name not in known:
                where_defined = f"the site config {config}" if config else "no site config (sopctl.yaml)"
                found.append(
                    problem_at(
                        str(loaded.path),
                        loaded.source_map,
                        where,
                        f'no calendar "{name}" in {where_defined}; the calendars are: '
                        + ", ".join(sorted(known)),
                    )
                )
    return found


def _site_file_problems(kind: str, path: Path, catalog: Catalog) -> list[Problem]:
    from sopctl.config import config_problems
    from sopctl.org import org_problems

    if kind == "org":
        return org_problems(path, [loaded.procedure for loaded in catalog])
    # An SOP whose file did not load is reported there; its clock is not a second mistake.
    return config_problems(path, lambda wanted: catalog.sops.keys() | catalog.broken.keys())


@commands.command("list", rich_help_panel="SOP definitions")
def list_sops(ctx: typer.Context, as_json: JsonFlag = False) -> int:
    """List the SOPs in the catalogue: id, name, agency, steps, lanes, total time.

    Example: sopctl list --json
    """
    from sopctl.render.catalog_view import catalog_rows, catalog_table

    env: Env = ctx.obj
    catalog = env.catalog()
    sops = sorted(catalog, key=lambda s: s.sop.id)
    if as_json:
        env.print_json(catalog_rows(sops))
    else:
        env.out.print(catalog_table(sops))
    files = {p.file for p in catalog.problems} - {str(env.sops_dir)}  # not the folder itself
    if files:
        env.say(
            f"warning: {len(files)} file(s) in {env.sops_dir} have problems and are not listed; "
            "run: sopctl validate"
        )
    elif catalog.problems:  # e.g. no SOP files at all
        env.say(f"warning: {catalog.problems[0]}")
    return ExitCode.OK


AsciiFlag = Annotated[
    bool, typer.Option("--ascii", help="Draw with plain ASCII, for terminals without box drawing.")
]
LangOption = Annotated[
    str | None,
    typer.Option("--lang", metavar="id|en", help="Language of the labels; default: the SOP's language."),
]


@commands.command(rich_help_panel="SOP definitions")
def show(
    ctx: typer.Context,
    sop: Annotated[str, typer.Argument(metavar="SOP", help="Catalogue id, or the path of a YAML file.")],
    ascii_only: AsciiFlag = False,
    lang: LangOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Show an SOP: the identity section and the flowchart table (swimlanes).

    Each step's symbol stands in its lane's column, with connectors to the next
    step; decision branches are listed under the activity. No colour when
    NO_COLOR is set or the output is not a terminal.

    Example: sopctl show pengelolaan-data-kepegawaian --ascii
    """
    from rich.text import Text

    from sopctl.render.catalog_view import identity_view
    from sopctl.render.console import draws_ascii
    from sopctl.render.labels import check_lang
    from sopctl.render.swimlane import flow_table

    env: Env = ctx.obj
    loaded = _find(env, sop)
    if as_json:
        env.print_json(loaded.definition())
        return
    language = check_lang(lang) or loaded.sop.language
    out = env.console(ascii_only=ascii_only)
    names = env.catalog().related_names(loaded.sop)
    out.print(identity_view(loaded.sop, language, names, loaded.procedure))
    out.print(Text(""))
    out.print(flow_table(loaded.procedure, out.width, language, ascii_only=draws_ascii(out)))


@commands.command(rich_help_panel="SOP definitions")
def schema() -> None:
    """Print the JSON Schema of the SOP file format (for editors and other tools).

    Example: sopctl schema > sop.schema.json
    """
    from sopctl.sop.model2 import json_schema

    typer.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


def _find(env: Env, ref: str):  # type: ignore[no-untyped-def]
    if ref.endswith((".yaml", ".yml")) or "/" in ref:
        from sopctl.sop.loader import load_sop

        return load_sop(Path(ref))
    return env.catalog().get(ref)
