"""Any locale: in the C locale of a cron job every command prints (in ASCII), ``--ascii`` is
pure ASCII whatever the SOP text holds, and a reader that leaves early (``| head -1``) ends
the command quietly with exit 0.

The locale is only real in a fresh interpreter, so these run ``python -m sopctl`` in
subprocesses, started together to keep the tests fast.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.conftest import SOPS, Cli

SIMPEG = "pemeliharaan-simpeg"  # its legal basis holds "–" (en dash)
ID = "SIMPEG-2026-0001"
TITLE = "Mutasi “Siti” – Jeneponto…"
C_LOCALE = {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
AT = "2026-03-10T10:00+08:00"  # a week after the clock fixture's start: step 1 is late


@pytest.fixture
def db(cli: Cli) -> Path:
    assert cli("start", SIMPEG, "--title", TITLE).exit_code == 0
    return cli.db


def _env(db: Path, **extra: str) -> dict[str, str]:
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name not in ("PYTHONIOENCODING", "LANG", "LANGUAGE") and not name.startswith("LC_")
    }
    return {**inherited, "SOPCTL_DB": str(db), "SOPCTL_SOPS": str(SOPS), **extra}


def _run_all(commands: list[tuple[str, ...]], env: dict[str, str]) -> list[tuple[int, bytes, bytes]]:
    running = [
        subprocess.Popen(
            [sys.executable, "-m", "sopctl", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for args in commands
    ]
    results = []
    for process in running:
        out, err = process.communicate(timeout=60)
        results.append((process.returncode, out, err))
    return results


COMMANDS = {  # what cron or a bare ssh session runs, and its documented exit code
    ("check", "--at", AT): 1,
    ("check", "--at", AT, "--csv", "--quiet"): 1,  # the README's cron line
    ("status", ID): 0,
    ("log", ID): 0,
    ("show", SIMPEG): 0,
    ("show", SIMPEG, "--ascii"): 0,
    ("start", SIMPEG, "--title", TITLE): 2,  # an argument the locale cannot read
}

UNREADABLE = (
    "Error: an argument holds characters this locale cannot read (LANG/LC_ALL is not UTF-8); "
    "give it in ASCII, or run sopctl with LC_ALL=C.UTF-8; nothing was done\n"
)


def test_every_command_prints_in_the_c_locale(cli: Cli, db: Path) -> None:
    results = _run_all(list(COMMANDS), _env(db, **C_LOCALE))
    outcome = {
        args: (code, err.decode("ascii", "replace"))
        for args, (code, _, err) in zip(COMMANDS, results, strict=True)
    }
    assert outcome == {
        **{args: (code, "") for args, code in COMMANDS.items()},
        ("check", "--at", AT): (1, "1 overdue as of 2026-03-10 10:00 WITA\n"),
        ("start", SIMPEG, "--title", TITLE): (2, UNREADABLE),
    }
    for (_, out, _), args in zip(results, COMMANDS, strict=True):
        assert out.isascii(), args
    check = results[0][1].decode().splitlines()
    assert [line for line in check if cell_len(line) > 80] == []  # cut after spelling "…" as "..."
    rows = list(csv.reader(io.StringIO(results[1][1].decode())))
    # Spelled by the stream, “Siti” must not become "Siti": a quote would end the CSV field.
    assert [row[2] for row in rows] == ["title", "Mutasi 'Siti' - Jeneponto..."]
    show = results[4][1].decode()
    assert "Undang - Undang Nomor 5" in show and "|" in show and "+" in show  # drawn as --ascii draws
    assert show == results[5][1].decode()
    assert [row["id"] for row in json.loads(cli("ps", "--json").stdout)] == [ID]  # start did nothing


@pytest.mark.parametrize("command", ["show", "status"])
def test_ascii_is_pure_ascii_even_on_a_utf8_terminal(cli: Cli, db: Path, command: str) -> None:
    result = cli(command, SIMPEG if command == "show" else ID, "--ascii")
    assert result.exit_code == 0, result.stderr
    assert "–" in cli(command, SIMPEG if command == "show" else ID).stdout
    assert [ch for ch in result.stdout if not ch.isascii()] == []
    if command == "status":
        assert 'Mutasi "Siti" - Jeneponto...' in result.stdout


def test_a_reader_that_leaves_early_ends_the_command_quietly(db: Path) -> None:
    # Drawn by rich (and larger than a pipe's buffer), buffered until the last flush, and
    # written by the command itself.
    commands = [("show", SIMPEG), ("log", ID), ("check", "--at", AT, "--json")]
    env = _env(db)
    running = []
    for args in commands:
        process = subprocess.Popen(
            [sys.executable, "-m", "sopctl", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert process.stdout is not None
        process.stdout.close()  # `| head -0`: the reader is gone before the first line
        running.append(process)
    outcome = {
        args: (process.wait(timeout=60), process.communicate()[1])
        for args, process in zip(commands, running, strict=True)
    }
    assert outcome == {args: (0, b"") for args in commands}
