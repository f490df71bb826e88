"""``sopctl db``: where the store is, its schema, migrations, backups, and moving it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sopctl.cli.env import Env
from sopctl.cli.registry import commands
from sopctl.errors import ExitCode, NoStoreError, UsageError

if TYPE_CHECKING:
    from sopctl.store import Store
    from sopctl.store.backup import Copied

db_app = typer.Typer(
    help="The store: info, migrate, backup and restore, copy between SQLite and PostgreSQL.",
    no_args_is_help=True,
)
commands.add_typer(db_app, name="db", rich_help_panel="Store")


@db_app.command()
def info(
    ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """Where the store is, its backend, schema version and what it holds.

    Works on a store of any schema version: an older one is shown with a reminder to run
    `sopctl db migrate`, a newer one (without its counts) with one to upgrade sopctl.

    Example: sopctl db info
    """
    from sopctl.store.schema import SCHEMA_VERSION

    env: Env = ctx.obj
    store = env.store(any_schema=True)
    version = store.schema_version()
    assert version is not None  # an empty database is no store (NoStoreError)
    status = "current" if version == SCHEMA_VERSION else "older" if version < SCHEMA_VERSION else "newer"
    # Every table counted has been there since schema 1; a newer schema's may hold other things.
    readable = status != "newer"
    data = {
        "location": store.url,
        "backend": store.backend,
        "schema_version": version,
        "sopctl_schema_version": SCHEMA_VERSION,
        "schema_status": status,
        "exists": True,  # kept for scripts: a store that does not exist is now an error (exit 5)
        "counts": store.counts() if readable else None,
        "instances_by_state": store.state_counts() if readable else None,
        "serves": _served(store) if status == "current" else None,
    }
    if as_json:
        env.print_json(data)
        return
    fields = [(key, str(data[key])) for key in ("location", "backend")]
    fields.append(("schema_version", _schema_text(version, status, SCHEMA_VERSION)))
    counts, by_state = data["counts"], data["instances_by_state"]
    if isinstance(counts, dict) and isinstance(by_state, dict):
        states = ", ".join(f"{n} {s}" for s, n in sorted(by_state.items()))
        fields += [
            ("sops pinned", str(counts["sops"])),
            ("events", str(counts["events"])),
            ("instances", f"{counts['instances']}" + (f" ({states})" if states else "")),
        ]
    serves = data["serves"]
    if isinstance(serves, dict):
        config = serves["site_config"]
        fields += [
            ("catalogue", serves["catalogue"] or "-"),
            (
                "site config",
                f"{config['file']} (version {config['version'][:12]}, {config['versions']} recorded)"
                if config
                else "- (the default calendar)",
            ),
            ("org file", serves["org"] or "-"),
        ]
    _print_fields(fields)


def _served(store: Store) -> dict[str, object]:
    """The catalogue, site config and organisation file the store serves (README, "Which
    files a store serves")."""
    served = store.served()
    config = None
    if served.get("site_config"):
        config = {
            "file": served["site_config"],
            "version": served.get("site_config_hash", ""),
            "versions": len(store.config_versions("site")),
        }
    return {"catalogue": served.get("catalogue"), "site_config": config, "org": served.get("org")}


def _schema_text(version: int, status: str, known: int) -> str:
    if status == "older":
        return f"{version}, older: back it up, then run `sopctl db migrate`"
    if status == "newer":
        return f"{version}, newer than this sopctl ({known}): upgrade sopctl to use it"
    return str(version)


def _print_fields(fields: list[tuple[str, str]]) -> None:
    """``key  value`` lines, a long value wrapped under itself at the terminal's width (a
    long path stays whole, beside its key)."""
    import shutil

    from sopctl.render.text import fill

    width = shutil.get_terminal_size().columns  # COLUMNS, else the terminal's, else 80
    for key, value in fields:
        lines = fill(value, max(23, width - 17), "").split("\n")
        typer.echo(f"{key:<16} " + ("\n" + " " * 17).join(lines))


@db_app.command()
def migrate(ctx: typer.Context) -> None:
    """Bring an older store's schema up to this sopctl's version (back it up first).

    It never creates a store: a path with no store is an error (exit 5).

    Example: sopctl --db kantor.db db migrate
    """
    from sopctl.store import open_store

    env: Env = ctx.obj
    try:
        store = open_store(env.db_url, create=False, migrate=True)
    except NoStoreError as exc:
        raise NoStoreError(exc.location, "nothing to migrate there; check --db / SOPCTL_DB") from None
    try:
        before, after = store.migrate()
    finally:
        store.close()
    if before == after:
        typer.echo(f"{store.url}: schema {after}, up to date")
    else:
        typer.echo(f"{store.url}: schema {before} -> {after}")


@db_app.command("copy")
def copy_command(
    source: Annotated[str, typer.Option("--from", metavar="PATH_OR_URL", help="The store to copy from.")],
    target: Annotated[str, typer.Option("--to", metavar="PATH_OR_URL", help="The store to copy into.")],
    merge: Annotated[
        str,
        typer.Option(
            "--merge", metavar="HOW", help="Into a non-empty target: 'skip' adds only instances it lacks."
        ),
    ] = "refuse",
) -> int:
    """Copy every instance, event and pinned SOP to another store, in one transaction.

    Exit 0 when done, 1 when an instance in both stores differs (--merge skip keeps the target's).

    Example: sopctl db copy --from sopctl.db --to postgresql://sopctl@server/kantor
    """
    from sopctl.store import open_store
    from sopctl.store.copy import copy_store

    if merge not in ("refuse", "skip"):
        raise UsageError(f"--merge must be 'skip' (or left out), not {merge!r}")
    try:
        from_store = open_store(source, create=False)
    except NoStoreError as exc:
        raise NoStoreError(exc.location, "nothing to copy from there; check --from") from None
    to_store = open_store(target, create=True)
    try:
        report = copy_store(from_store, to_store, merge)  # type: ignore[arg-type]
    finally:
        from_store.close()
        to_store.close()
    typer.echo(
        f"copied {len(report.copied)} instance(s) and {report.sops} pinned SOP version(s) to {to_store.url}"
    )
    if report.skipped:
        typer.echo(f"skipped {len(report.skipped)} instance(s) already in the target")
    for instance_id in report.differing:
        typer.echo(f"warning: {instance_id} differs between the stores; the target's copy was kept", err=True)
    # Like verify: the command did its work and found something a person should look at.
    return ExitCode.FINDINGS if report.differing else ExitCode.OK


@db_app.command()
def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The backup to write; it must not exist.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print what was written as JSON.")] = False,
) -> None:
    """Write a consistent copy of the store to FILE while everyone keeps working.

    FILE is an SQLite store file, from SQLite or PostgreSQL alike, readable only by you (mode
    0600); it appears only once complete, and an existing file is never replaced (exit 2).

    Example: sopctl db backup /srv/cadangan/sopctl-2026-03-02.db
    """
    from sopctl.store.backup import backup_store, check_new_file

    env: Env = ctx.obj
    check_new_file(file)  # before the store is opened: a wrong name costs nothing
    _report("backed up", backup_store(env.store(any_schema=True), file), "to", as_json=as_json)


@db_app.command()
def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A backup made by `sopctl db backup`.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print what was restored as JSON.")] = False,
) -> None:
    """Bring a backup back into an empty store, the one --db / SOPCTL_DB names.

    SQLite or PostgreSQL, in one transaction; a backup of an older schema is migrated too. A
    target that already holds a sopctl store is refused (exit 2), and so is a FILE that is
    not a sopctl backup. Check the result with `sopctl verify --all`.

    Example: sopctl --db postgresql://sopctl@10.0.5.2/kantor db restore sopctl-2026-03-02.db
    """
    from sopctl.store.backup import restore_store

    env: Env = ctx.obj
    _report("restored", restore_store(file, env.db_url, env._wait()), "into", as_json=as_json)


def _report(done: str, copied: Copied, onto: str, *, as_json: bool) -> None:
    from sopctl.store.schema import SCHEMA_VERSION

    counts = copied.counts
    if as_json:
        Env.print_json(
            {
                "from": copied.source,
                "to": copied.target,
                "schema_version": copied.schema_version,
                "sopctl_schema_version": SCHEMA_VERSION,
                "counts": counts,
            }
        )
        return
    migrated = done == "restored" and copied.schema_version < SCHEMA_VERSION
    typer.echo(
        f"{done} {counts['instances']} instance(s), {counts['events']} event(s) and {counts['sops']} "
        f"pinned SOP version(s) from {copied.source} {onto} {copied.target}"
        + (f" (schema {copied.schema_version} -> {SCHEMA_VERSION})" if migrated else "")
    )
