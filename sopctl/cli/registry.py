"""Commands are registered here, imported and turned into click commands only when used.

Typer builds every command of an app (each parameter checked through pydantic)
before it runs one; with twenty-odd commands that is most of a short command's
start-up. Command modules register on :data:`commands` instead of on the root
app, and only the module of the command being run is imported (:data:`MODULES`,
:func:`entry`); the root group (``sopctl.cli.app.SopctlGroup``) asks :func:`build`
for that one command, and :func:`stub` gives ``--help`` a parameterless stand-in
that carries only the name, help and panel of each command.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption
from typer.main import get_command_from_info, get_group_from_info
from typer.models import CommandInfo, TyperInfo

#: Where commands register (``@commands.command(...)``, ``commands.add_typer(...)``).
commands = typer.Typer()

#: The order of the panels in ``--help``.
PANELS = [
    "Getting started",
    "SOP definitions",
    "Running instances",
    "Time limits and monitoring",
    "Documents",
    "Audit",
    "Store",
]

#: The module (in ``sopctl.cli``) that registers each command or group. Running a command
#: imports only its module (~3 ms less start-up than importing all eight); a test checks
#: this table against what the modules register.
MODULES = {
    "demo": "demo",
    "validate": "catalog",
    "list": "catalog",
    "show": "catalog",
    "schema": "catalog",
    "start": "instances",
    "done": "instances",
    "decide": "instances",
    "hold": "instances",
    "resume": "instances",
    "cancel": "instances",
    "status": "views",
    "ps": "views",
    "log": "views",
    "check": "monitor",
    "stats": "monitor",
    "export": "export",
    "verify": "audit",
    "db": "db",
}

Entry = CommandInfo | TyperInfo


def load_all() -> None:
    """Import every command module (for the listing, and for a name that is not a command)."""
    for module in sorted(set(MODULES.values())):
        importlib.import_module(f"sopctl.cli.{module}")


def entry(name: str) -> Entry | None:
    """The registered command or group ``name``, importing only its module; None if there is
    no such command."""
    if name not in MODULES:
        return None
    importlib.import_module(f"sopctl.cli.{MODULES[name]}")
    registered: list[Entry] = [*commands.registered_commands, *commands.registered_groups]
    return next((info for info in registered if _name(info) == name), None)


def entries() -> dict[str, Entry]:
    """Every registered command and group by name, panel by panel in :data:`PANELS` order
    (all command modules imported)."""
    load_all()
    found: list[tuple[int, int, str, Entry]] = []
    registered: list[Entry] = [*commands.registered_commands, *commands.registered_groups]
    for index, info in enumerate(registered):
        name = _name(info)
        panel = _panel(info)
        rank = PANELS.index(panel) if panel in PANELS else len(PANELS)
        found.append((rank, index, name, info))
    return {name: info for _, _, name, info in sorted(found, key=lambda f: (f[0], f[1]))}


def _name(info: Entry) -> str:
    if isinstance(info, CommandInfo):
        assert info.callback is not None
        return info.name or info.callback.__name__.replace("_", "-")
    name = info.name if isinstance(info.name, str) else None
    if name is None and info.typer_instance is not None:
        name = info.typer_instance.info.name if isinstance(info.typer_instance.info.name, str) else None
    assert name, "every group is registered with a name"
    return name


def _panel(info: Entry) -> str | None:
    panel = info.rich_help_panel
    if not isinstance(panel, str) and isinstance(info, TyperInfo) and info.typer_instance is not None:
        panel = info.typer_instance.info.rich_help_panel
    return panel if isinstance(panel, str) else None


def _help(info: Entry) -> str:
    if isinstance(info, CommandInfo):
        assert info.callback is not None
        text = info.help if isinstance(info.help, str) else inspect.getdoc(info.callback)
    else:
        text = info.help if isinstance(info.help, str) else None
        if text is None and info.typer_instance is not None:
            text = info.typer_instance.info.help if isinstance(info.typer_instance.info.help, str) else None
    return text or ""


def stub(name: str, info: Entry) -> TyperCommand:
    """A stand-in with only what the help listing shows (no parameters are built)."""
    return TyperCommand(name=name, callback=None, params=[], help=_help(info), rich_help_panel=_panel(info))


def build(info: Entry, parent: TyperGroup) -> Any:
    """The real click command (or group) for ``info``, as Typer would have built it."""
    if isinstance(info, CommandInfo):
        command = get_command_from_info(
            info, pretty_exceptions_short=True, rich_markup_mode=parent.rich_markup_mode
        )
    else:
        command = get_group_from_info(
            info,
            pretty_exceptions_short=True,
            suggest_commands=True,
            rich_markup_mode=parent.rich_markup_mode,
        )
    return command


class _NamedArgument(TyperArgument):
    """An argument with a metavar (ID, PATH): the metavar says what it is."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None if self.metavar else super().display_type_rich(ctx)


class _Flag(TyperOption):
    """A flag takes no value: "--json <bool>" would say it does (typer's plain help agrees)."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None if self.is_flag else super().display_type_rich(ctx)


def readable_types(command: Any, ctx: Any) -> None:
    """Drop the Python types that typer's --help prints beside parameters ("<list[Path]>",
    "<bool>") where a metavar already says what to type, or nothing is typed, in ``command``
    (its --help option included, made here with the names ``ctx`` gives) and its subcommands."""
    for param in [*command.params, command.get_help_option(ctx)]:
        if type(param) is TyperArgument:
            param.__class__ = _NamedArgument
        elif type(param) is TyperOption:
            param.__class__ = _Flag
    for sub in getattr(command, "commands", {}).values():
        readable_types(sub, ctx)
