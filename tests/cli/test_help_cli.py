"""``--help`` of every command: what to type, never a Python type."""

from __future__ import annotations

import re

import pytest

from sopctl.cli.registry import entries
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
