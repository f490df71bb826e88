"""``--help`` of every command: what to type, never a Python type."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from typer.models import CommandInfo

from sopctl.cli.registry import MODULES, Entry, entries
from tests.conftest import Cli

COMMANDS = [
    [],
    *([name] for name in entries()),
    ["export", "sop"],
    ["export", "instance"],
    ["export", "stats"],
    ["db", "info"],
    ["db", "migrate"],
    ["db", "copy"],
    ["db", "backup"],
    ["db", "restore"],
]
#: What typer prints beside a parameter without a metavar: "<list[Path]>", "<bool>", "<str>".
PYTHON_TYPE = re.compile(r"<(bool|str|int|float|Path|list\[\w+\])>")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "sopctl")
def test_help_shows_no_python_types(cli: Cli, command: list[str]) -> None:
    result = cli(*command, "--help")
    assert result.exit_code == 0, result.stderr
    assert not PYTHON_TYPE.findall(result.stdout), result.stdout


def test_validate_names_its_paths(cli: Cli) -> None:
    out = cli("validate", "--help").stdout
    assert "Usage: sopctl validate [OPTIONS] [PATH]..." in out
    assert "│   PATH  " in out


def _module_of(info: Entry) -> str:
    if isinstance(info, CommandInfo):
        assert info.callback is not None
        return info.callback.__module__
    assert info.typer_instance is not None
    callback = info.typer_instance.registered_commands[0].callback
    assert callback is not None
    return callback.__module__


def test_each_command_is_imported_from_the_module_that_registers_it() -> None:
    # Running a command imports only MODULES[name]: a command missing from the table could
    # not be run, and one listed under the wrong module would not be registered when run.
    registered = {name: _module_of(info) for name, info in entries().items()}
    assert {name: f"sopctl.cli.{module}" for name, module in MODULES.items()} == registered


def test_running_a_command_imports_only_its_module() -> None:
    code = (
        "import sys\n"
        "from sopctl.cli.registry import entry\n"
        "assert entry('done') is not None\n"
        "assert entry('nonsense') is None\n"
        "print(sorted(m for m in sys.modules if m.startswith('sopctl.cli.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    imported = [
        "sopctl.cli.app",
        "sopctl.cli.env",
        "sopctl.cli.instances",
        "sopctl.cli.registry",
        "sopctl.cli.streams",  # the error boundary's: any locale, a reader that leaves
    ]
    assert out.strip() == str(imported)
