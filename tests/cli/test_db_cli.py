"""`sopctl db`: info, migrate and copy from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.conftest import Cli

PDK = "pengelolaan-data-kepegawaian"


def test_db_info_on_a_used_store(cli: Cli) -> None:
    cli("start", PDK, "--title", "Kasus")
    info = json.loads(cli("db", "info", "--json").stdout)
    assert info["location"] == str(cli.db)
    assert (info["backend"], info["schema_version"], info["exists"]) == ("sqlite", 2, True)
    assert info["instances_by_state"] == {"running": 1}
    assert cli("db", "info").stdout.splitlines()[0] == f"location         {cli.db}"


def test_db_info_fits_80_columns_and_keeps_a_long_path_whole(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / ("arsip-dinas-komunikasi-dan-informatika-" * 2)
    folder.mkdir()
    long = {"SOPCTL_DB": str(folder / "sopctl.db"), "COLUMNS": "80"}
    assert cli("start", PDK, "--title", "Kasus", env=long).exit_code == 0
    result = cli("db", "info", env=long)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"location         {folder / 'sopctl.db'}"  # a path is never broken
    assert lines[-1] == "instances        1 (1 running)"
    assert max(len(line) for line in lines[1:]) <= 80


def test_db_migrate_on_a_current_store(cli: Cli) -> None:
    cli("start", PDK, "--title", "Kasus")
    result = cli("db", "migrate")
    assert (result.exit_code, result.stdout) == (0, f"{cli.db}: schema 2, up to date\n")


def test_db_copy_between_files(cli: Cli, tmp_path: Path) -> None:
    cli("start", PDK, "--title", "Kasus")
    target = tmp_path / "copy.db"
    result = cli("db", "copy", "--from", str(cli.db), "--to", str(target))
    assert result.exit_code == 0
    assert result.stdout.startswith(f"copied 1 instance(s) and 1 pinned SOP version(s) to {target}")
    again = cli("db", "copy", "--from", str(cli.db), "--to", str(target))
    assert again.exit_code == 2 and "already holds 1 instance(s)" in again.stderr
    assert cli("verify", "--all", env={"SOPCTL_DB": str(target)}).exit_code == 0
    nothing = cli("db", "copy", "--from", str(tmp_path / "no.db"), "--to", str(target))
    assert (nothing.exit_code, nothing.stderr) == (
        5,
        f"Error: no store at {tmp_path / 'no.db'} (nothing to copy from there; check --from)\n",
    )
    assert not (tmp_path / "no.db").exists()
    assert cli("db", "copy", "--from", str(cli.db), "--to", str(target), "--merge", "all").exit_code == 2


def test_postgresql_without_the_extra_names_the_install_command(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if it were not installed
    result = cli("ps", env={"SOPCTL_DB": "postgresql://sopctl@localhost/kantor"})
    assert (result.exit_code, result.stderr) == (
        5,
        "Error: PostgreSQL support is not installed: pip install 'sopctl[postgres]'\n",
    )
