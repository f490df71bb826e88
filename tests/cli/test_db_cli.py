"""`sopctl db`: info, migrate and copy from the command line."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.conftest import Cli, back_to_schema_1

PDK = "pengelolaan-data-kepegawaian"


def test_db_info_on_a_used_store(cli: Cli) -> None:
    cli("start", PDK, "--title", "Kasus")
    info = json.loads(cli("db", "info", "--json").stdout)
    assert info["location"] == str(cli.db)
    assert (info["backend"], info["schema_version"], info["exists"]) == ("sqlite", 3, True)
    assert info["schema_status"] == "current"
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
    assert "instances        1 (1 running)" in lines
    assert max(len(line) for line in lines[1:]) <= 80


def test_db_info_on_an_older_store_says_to_migrate(cli: Cli) -> None:
    cli("start", PDK, "--title", "Kasus")
    back_to_schema_1(str(cli.db))
    before = cli.db.read_bytes()
    result = cli("db", "info")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        f"location         {cli.db}\n"
        "backend          sqlite\n"
        "schema_version   1, older: back it up, then run `sopctl db migrate`\n"
        "sops pinned      1\n"
        "events           1\n"
        "instances        1 (1 running)\n",
        "",
    )
    info = json.loads(cli("db", "info", "--json").stdout)
    assert (info["schema_version"], info["sopctl_schema_version"], info["schema_status"]) == (1, 3, "older")
    assert (info["counts"]["instances"], info["instances_by_state"]) == (1, {"running": 1})
    refused = cli("ps")  # every other command still refuses it
    assert (refused.exit_code, refused.stderr) == (
        5,
        f"Error: {cli.db} has schema 1, this sopctl needs 3: back it up, then run `sopctl db migrate`\n",
    )
    assert cli.db.read_bytes() == before


def test_db_info_on_a_newer_store_says_to_upgrade_and_counts_nothing(cli: Cli) -> None:
    cli("start", PDK, "--title", "Kasus")
    with sqlite3.connect(cli.db) as conn:
        conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    before = cli.db.read_bytes()
    result = cli("db", "info")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        f"location         {cli.db}\n"
        "backend          sqlite\n"
        "schema_version   4, newer than this sopctl (3): upgrade sopctl to use it\n",
        "",
    )
    info = json.loads(cli("db", "info", "--json").stdout)
    assert (info["schema_version"], info["schema_status"], info["counts"], info["instances_by_state"]) == (
        4,
        "newer",
        None,
        None,
    )
    refused = cli("ps")
    assert (refused.exit_code, refused.stderr) == (
        5,
        f"Error: {cli.db} was written by a newer sopctl (schema 4; this one knows up to 3): upgrade sopctl\n",
    )
    assert cli.db.read_bytes() == before


def test_db_info_on_a_file_that_is_not_a_database(cli: Cli, tmp_path: Path) -> None:
    text = tmp_path / "catatan.txt"
    text.write_text("bukan basis data\n")
    result = cli("db", "info", env={"SOPCTL_DB": str(text)})
    assert (result.exit_code, result.stdout, result.stderr) == (
        5,
        "",
        f"Error: cannot open {text}: file is not a database\n",
    )
    assert text.read_text() == "bukan basis data\n"
    assert [p.name for p in tmp_path.iterdir()] == ["catatan.txt"]


def test_db_migrate_on_a_current_store(cli: Cli) -> None:
    cli("start", PDK, "--title", "Kasus")
    result = cli("db", "migrate")
    assert (result.exit_code, result.stdout) == (0, f"{cli.db}: schema 3, up to date\n")


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


def test_db_copy_merge_skip_counts_what_it_wrote_and_exits_1_on_a_difference(
    cli: Cli, tmp_path: Path
) -> None:
    cli("start", PDK, "--title", "Kasus")
    target = tmp_path / "copy.db"
    copy = ("db", "copy", "--from", str(cli.db), "--to", str(target), "--merge", "skip")
    assert cli(*copy).stdout == f"copied 1 instance(s) and 1 pinned SOP version(s) to {target}\n"
    same = cli(*copy)  # nothing new: the SOP version was there already
    assert (same.exit_code, same.stdout, same.stderr) == (
        0,
        f"copied 0 instance(s) and 0 pinned SOP version(s) to {target}\n"
        "skipped 1 instance(s) already in the target\n",
        "",
    )
    assert cli("done", "PDK-2026-0001", "--by", "siti").exit_code == 0  # now the two differ
    assert cli("start", "pemeliharaan-simpeg", "--title", "Baru").exit_code == 0
    differing = cli(*copy)
    assert (differing.exit_code, differing.stdout, differing.stderr) == (
        1,  # found something, as verify does: the rest was copied
        f"copied 1 instance(s) and 1 pinned SOP version(s) to {target}\n"
        "skipped 1 instance(s) already in the target\n",
        "warning: PDK-2026-0001 differs between the stores; the target's copy was kept\n",
    )
    assert "Exit 0 when done, 1 when" in cli("db", "copy", "--help").stdout


def test_postgresql_without_the_extra_names_the_install_command(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if it were not installed
    result = cli("ps", env={"SOPCTL_DB": "postgresql://sopctl@localhost/kantor"})
    from sopctl.extras import install_hint

    assert (result.exit_code, result.stderr) == (
        5,
        f"Error: PostgreSQL support is not installed: {install_hint('postgres')}\n",
    )
    assert "'psycopg[binary]>=" in result.stderr
