"""A store that does not exist: commands that only read say so (exit 5) and create nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli

PDK = "pengelolaan-data-kepegawaian"

#: Every command that reads a store without starting anything in it.
READERS = [
    ["check"],
    ["check", "--sop", PDK],
    ["ps"],
    ["ps", "--json"],
    ["status", "PDK-2026-0001"],
    ["log", "PDK-2026-0001"],
    ["stats"],
    ["verify", "--all"],
    ["verify", "PDK-2026-0001"],
    ["export", "instance", "PDK-2026-0001", "-f", "md", "-o", "-"],
    ["export", "instance", "--all", "-f", "md"],
    ["export", "stats", "-f", "json", "-o", "-"],
    ["db", "info"],
    ["done", "PDK-2026-0001", "--by", "siti"],
    ["decide", "PDK-2026-0001", "ya", "--by", "budi"],
    ["hold", "PDK-2026-0001", "--reason", "x"],
    ["resume", "PDK-2026-0001"],
    ["cancel", "PDK-2026-0001", "--reason", "x"],
]


@pytest.mark.parametrize("args", READERS, ids=" ".join)
def test_a_missing_store_is_exit_5_and_stays_missing(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # export --all writes into the current folder
    missing = tmp_path / "missing.db"
    result = cli(*args, env={"SOPCTL_DB": str(missing)})
    assert (result.exit_code, result.stdout, result.stderr) == (
        5,
        "",
        f"Error: no store at {missing} (nothing has been started there; check --db / SOPCTL_DB)\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_db_migrate_never_creates_a_store(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "kantr.db"
    result = cli("db", "migrate", env={"SOPCTL_DB": str(missing)})
    assert (result.exit_code, result.stderr) == (
        5,
        f"Error: no store at {missing} (nothing to migrate there; check --db / SOPCTL_DB)\n",
    )
    assert not missing.exists()


def test_an_empty_database_file_is_no_store_and_is_left_as_it_was(cli: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    result = cli("check", env={"SOPCTL_DB": str(empty)})
    assert (result.exit_code, result.stderr) == (
        5,
        f"Error: no store at {empty} (nothing has been started there; check --db / SOPCTL_DB)\n",
    )
    assert empty.read_bytes() == b""
    assert [p.name for p in tmp_path.iterdir()] == ["empty.db"]


def test_the_default_location_with_nothing_started_says_so(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = tmp_path / "data" / "sopctl" / "sopctl.db"
    monkeypatch.setattr("sopctl.store.default_location", lambda: default)
    result = cli("ps", env={"SOPCTL_DB": None})  # type: ignore[dict-item]
    assert (result.exit_code, result.stderr) == (
        5,
        f"Error: no store at {default} (nothing has been started on this computer yet; "
        "`sopctl start` creates it, or give --db / SOPCTL_DB)\n",
    )
    assert not (tmp_path / "data").exists()
    started = cli("start", PDK, "--title", "Kasus", env={"SOPCTL_DB": None})  # type: ignore[dict-item]
    assert started.exit_code == 0 and default.exists()
    assert cli("ps", env={"SOPCTL_DB": None}).exit_code == 0  # type: ignore[dict-item]


def test_start_creates_the_store_it_is_given(cli: Cli, tmp_path: Path) -> None:
    new = tmp_path / "new.db"
    assert cli("start", PDK, "--title", "Kasus", env={"SOPCTL_DB": str(new)}).exit_code == 0
    result = cli("ps", env={"SOPCTL_DB": str(new)})
    assert (result.exit_code, result.stderr) == (0, "1 instance(s)\n")


def test_a_store_on_a_read_only_disk_can_be_read_not_changed(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("start", "pengelolaan-data-kepegawaian", "--title", "Arsip").exit_code == 0
    before = cli.db.read_bytes()
    # As on a read-only mount, where os.access says no for the file and its folder (even to
    # root); tried by hand on one (mount -o remount,ro,bind).
    monkeypatch.setattr("sopctl.store.sqlite._writable", lambda path: False)
    assert cli("status", "PDK-2026-0001").exit_code == 0
    assert cli("verify", "--all").exit_code == 0
    done = cli("done", "PDK-2026-0001", "--by", "siti")
    assert done.exit_code == 5
    assert done.stderr == f"Error: {cli.db} is on a read-only disk: it can be read, not changed\n"
    assert cli.db.read_bytes() == before
    assert sorted(p.name for p in cli.db.parent.iterdir() if p.name.startswith(cli.db.name)) == [cli.db.name]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["start", "nosuch", "--title", "x"], 'Error: no SOP "nosuch" in the catalogue'),
        (["start", PDK, "--title", " "], "Error: the title must not be empty"),
        (["start", PDK, "--title", "x", "--at", "2099-01-01T08:00"], "Error: --at "),
    ],
)
def test_a_start_that_is_refused_leaves_no_store_behind(
    cli: Cli, tmp_path: Path, args: list[str], message: str
) -> None:
    new = tmp_path / "kantor.db"
    result = cli(*args, env={"SOPCTL_DB": str(new)})
    assert result.exit_code == 2 and result.stderr.startswith(message), result.stderr
    assert list(tmp_path.iterdir()) == []
    assert cli("start", PDK, "--title", "x", env={"SOPCTL_DB": str(new)}).exit_code == 0
    assert new.exists()  # a store that holds something stays, of course


def test_a_refused_start_leaves_an_empty_file_empty(cli: Cli, tmp_path: Path) -> None:
    # ": > kantor.db" is no store; a refused start must not make it one ("0 overdue" after).
    empty = tmp_path / "kantor.db"
    empty.write_bytes(b"")
    assert cli("start", "nosuch", "--title", "x", env={"SOPCTL_DB": str(empty)}).exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kantor.db"] and empty.read_bytes() == b""
    assert cli("check", env={"SOPCTL_DB": str(empty)}).exit_code == 5
