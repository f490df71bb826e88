"""``sopctl demo``: the main job, end to end, on a throwaway store.

It runs the real commands in this process and prints each one before its
output, so a new user sees exactly what to type.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sopctl.cli.env import Env
from sopctl.cli.registry import commands
from sopctl.errors import ExitCode, SopctlError

SOP = "pengelolaan-data-kepegawaian"
ID = "PDK-2026-0001"


def _script(sops: str, db: str) -> list[list[str]]:
    """A mutation record (mutasi) walked through the personnel-data SOP, with one correction."""
    g = ["--sops", sops, "--db", db]
    return [
        [
            *g,
            "start",
            SOP,
            "--title",
            "Mutasi a.n. Siti Aminah",
            "--ref",
            "800/123/Umpeg",
            "--at",
            "2026-03-02T08:00",
        ],
        [*g, "done", ID, "--by", "rina", "--at", "2026-03-02T08:10"],
        [*g, "done", ID, "--by", "rina", "--at", "2026-03-02T08:45"],
        [*g, "done", ID, "--by", "rina", "--at", "2026-03-02T08:55"],
        [
            *g,
            "decide",
            ID,
            "tidak",
            "--by",
            "budi",
            "--note",
            "NIP pada SK salah ketik",
            "--at",
            "2026-03-02T09:20",
        ],
        [*g, "done", ID, "--by", "rina", "--at", "2026-03-02T09:40"],
        [*g, "done", ID, "--by", "rina", "--at", "2026-03-02T09:50"],
        [*g, "decide", ID, "ya", "--by", "budi", "--at", "2026-03-02T10:05"],
        *[
            [*g, "done", ID, "--by", who, "--at", at]
            for who, at in (
                ("rina", "2026-03-02T10:30"),
                ("rina", "2026-03-02T10:40"),
                ("budi", "2026-03-02T11:00"),
                ("sari", "2026-03-02T13:30"),
                ("kadis", "2026-03-02T13:40"),
                ("budi", "2026-03-02T14:00"),
            )
        ],
        [*g, "status", ID],
        [*g, "log", ID],
    ]


@commands.command(rich_help_panel="Getting started")
def demo(
    ctx: typer.Context,
    keep: Annotated[bool, typer.Option("--keep", help="Keep the demo store and print where it is.")] = False,
) -> int:
    """Walk a sample case through a reference SOP, printing each command and its output.

    Always on a new temporary store, never on --db / SOPCTL_DB: the sample case is not
    mixed into real records. --keep keeps the store to look around in.

    Example: sopctl demo
    """
    import shutil
    import tempfile

    from sopctl.cli.env import site_file
    from sopctl.render.progress import command_lines

    env: Env = ctx.obj
    if env.sops_given and not site_file(env.sops_dir / f"{SOP}.yaml", "demo SOP"):
        raise SopctlError(
            f"the demo needs {env.sops_dir}/{SOP}.yaml, or leave out --sops to use the one sopctl ships"
        )
    workdir = Path(tempfile.mkdtemp(prefix="sopctl-demo-"))
    db = str(workdir / "demo.db")
    sops = env.sops_dir if env.sops_given else _reference_sops(workdir / "sops")
    try:
        for args in _script(str(sops), db):
            # Without the global --sops/--db; wrapped as a shell would read it, so it stays copyable.
            typer.echo("\n" + command_lines(["sopctl", *args[4:]], shutil.get_terminal_size().columns))
            from sopctl.cli.app import app  # the whole CLI, run in this process

            code = app(args=args, standalone_mode=False)
            if code not in (ExitCode.OK, None):
                return int(code)
    finally:
        if keep:
            width = shutil.get_terminal_size().columns
            typer.echo(
                f"\nThe demo store is {db}; look around with:\n"
                + command_lines(["sopctl", "--db", db, "ps"], width)
            )
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return ExitCode.OK


def _reference_sops(folder: Path) -> Path:
    """The reference SOPs shipped inside the package, copied to ``folder`` (the package may
    be a zip, and the demo's commands take a folder)."""
    from importlib.resources import files

    folder.mkdir()
    try:
        shipped = files("sopctl.reference")
    except ModuleNotFoundError:  # an editable install maps only sopctl/: the checkout's sops/
        shipped = files("sopctl").joinpath("..", "sops")
    for entry in shipped.iterdir():
        if entry.name.endswith(".yaml"):
            (folder / entry.name).write_bytes(entry.read_bytes())
    return folder
