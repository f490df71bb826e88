"""`sopctl db backup` and `sopctl db restore` from the command line: what they print, their
exit codes, and that a refused or killed one leaves nothing under the name asked for."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sopctl.store.schema import SCHEMA_VERSION
from tests.conftest import POSTGRES_URL, ROOT, SOPS, Cli

PDK = "pengelolaan-data-kepegawaian"


def _office(cli: Cli) -> None:
    assert cli("start", PDK, "--title", "Mutasi a.n. Siti").exit_code == 0
    assert cli("done", "PDK-2026-0001", "--by", "siti").exit_code == 0
    assert cli("start", "pemeliharaan-simpeg", "--title", "Server mati").exit_code == 0


def test_backup_then_restore(cli: Cli, tmp_path: Path) -> None:
    _office(cli)
    backup, restored = tmp_path / "cadangan.db", tmp_path / "pulih.db"
    made = cli("db", "backup", str(backup))
    assert (made.exit_code, made.stdout, made.stderr) == (
        0,
        f"backed up 2 instance(s), 3 event(s) and 2 pinned SOP version(s) from {cli.db} to {backup}\n",
        "",
    )
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    back = cli("db", "restore", str(backup), env={"SOPCTL_DB": str(restored)})
    assert (back.exit_code, back.stdout, back.stderr) == (
        0,
        f"restored 2 instance(s), 3 event(s) and 2 pinned SOP version(s) from {backup} into {restored}\n",
        "",
    )
    verified = cli("verify", "--all", env={"SOPCTL_DB": str(restored)})
    assert (verified.exit_code, verified.stderr) == (0, "2 instance(s) checked: all intact\n")
    assert cli("status", "PDK-2026-0001", "--json", env={"SOPCTL_DB": str(restored)}).exit_code == 0
    # Restored stores are ordinary stores: the work goes on there.
    assert cli("done", "PDK-2026-0001", "--by", "siti", env={"SOPCTL_DB": str(restored)}).exit_code == 0


def test_backup_and_restore_say_it_in_json(cli: Cli, tmp_path: Path) -> None:
    _office(cli)
    made = cli("db", "backup", str(tmp_path / "cadangan.db"), "--json")
    assert made.exit_code == 0
    counts = {"sops": 2, "events": 3, "instances": 2, "current_steps": 2, "step_runs": 1}
    assert json.loads(made.stdout) == {
        "from": str(cli.db),
        "to": str(tmp_path / "cadangan.db"),
        "schema_version": SCHEMA_VERSION,
        "sopctl_schema_version": SCHEMA_VERSION,
        "counts": counts,
    }
    back = cli(
        "db", "restore", str(tmp_path / "cadangan.db"), "--json", env={"SOPCTL_DB": str(tmp_path / "p.db")}
    )
    assert json.loads(back.stdout)["counts"] == counts


def test_restoring_an_older_backup_says_it_migrated(cli: Cli, tmp_path: Path) -> None:
    from tests.conftest import back_to_schema_1

    _office(cli)
    back_to_schema_1(str(cli.db))
    assert cli("db", "backup", str(tmp_path / "lama.db")).exit_code == 0  # "back it up, then migrate"
    back = cli("db", "restore", str(tmp_path / "lama.db"), env={"SOPCTL_DB": str(tmp_path / "baru.db")})
    assert back.stdout.endswith(f"into {tmp_path / 'baru.db'} (schema 1 -> {SCHEMA_VERSION})\n")
    assert cli("verify", "--all", env={"SOPCTL_DB": str(tmp_path / "baru.db")}).exit_code == 0


def test_backup_refuses_a_file_that_exists(cli: Cli, tmp_path: Path) -> None:
    _office(cli)
    (tmp_path / "cadangan.db").write_text("kemarin\n")
    before = sorted(p.name for p in tmp_path.iterdir())
    refused = cli("db", "backup", str(tmp_path / "cadangan.db"))
    assert (refused.exit_code, refused.stdout, refused.stderr) == (
        2,
        "",
        f"Error: {tmp_path / 'cadangan.db'} already exists: "
        "a backup never replaces a file; give a new name\n",
    )
    assert (tmp_path / "cadangan.db").read_text() == "kemarin\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    nowhere = cli("db", "backup", str(tmp_path / "tidak-ada" / "cadangan.db"))
    assert (nowhere.exit_code, nowhere.stderr) == (
        2,
        f"Error: the folder {tmp_path / 'tidak-ada'} does not exist\n",
    )


def test_backup_of_no_store_is_an_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("db", "backup", str(tmp_path / "cadangan.db"))
    assert (result.exit_code, result.stderr) == (
        5,
        f"Error: no store at {cli.db} (nothing has been started there; check --db / SOPCTL_DB)\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_restore_refuses_a_store_that_is_not_empty(cli: Cli, tmp_path: Path) -> None:
    _office(cli)
    assert cli("db", "backup", str(tmp_path / "cadangan.db")).exit_code == 0
    before = cli.db.read_bytes()
    refused = cli("db", "restore", str(tmp_path / "cadangan.db"))
    assert (refused.exit_code, refused.stdout, refused.stderr) == (
        2,
        "",
        f"Error: {cli.db} already holds a sopctl store (2 instance(s)): restore into a new file or an "
        "empty database; nothing was written\n",
    )
    assert cli.db.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "it is empty"),
        (os.urandom(4096), "it is not an SQLite database file"),
        (b"Laporan bulanan SOP\n", "it is not an SQLite database file"),
    ],
    ids=["empty", "random bytes", "text"],
)
def test_restore_refuses_a_file_that_is_not_a_backup(
    cli: Cli, tmp_path: Path, content: bytes, why: str
) -> None:
    bad = tmp_path / "bukan.db"
    bad.write_bytes(content)
    target = tmp_path / "pulih.db"
    result = cli("db", "restore", str(bad), env={"SOPCTL_DB": str(target)})
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"Error: {bad} is not a sopctl backup: {why}\n",
    )
    assert not target.exists()
    missing = cli("db", "restore", str(tmp_path / "tidak-ada.db"), env={"SOPCTL_DB": str(target)})
    assert (missing.exit_code, missing.stderr) == (2, f"Error: {tmp_path / 'tidak-ada.db'} does not exist\n")


# -- killed midway: a subprocess whose file size limit stops it inside the backup ------------------

#: Runs sopctl with writes past LIMIT bytes refused: with "kill", the kernel then ends the process
#: (SIGXFSZ, which Python ignores by default), a crash at the same byte every run; with "full",
#: the write fails as on a full disk.
LIMITED = """
import resource, signal, sys
how, limit = sys.argv[1], int(sys.argv[2])
if how == "kill":
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.argv = ["sopctl", *sys.argv[3:]]
from sopctl.cli import main
main()
"""
LIMIT = 64 * 1024


def _limited(how: str, location: str, backup: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SOPCTL_")},
        "SOPCTL_DB": location,
        "SOPCTL_SOPS": str(SOPS),
        "SOPCTL_LOG_DIR": str(backup.parent / "logs"),
        "PYTHONDONTWRITEBYTECODE": "1",  # nothing but the backup comes near the limit
    }
    return subprocess.run(
        [sys.executable, "-c", LIMITED, how, str(LIMIT), "db", "backup", str(backup)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def big_office(request: pytest.FixtureRequest, cli: Cli) -> Iterator[str]:
    """A store whose backup is larger than LIMIT, on each backend."""

    def fill(location: str) -> str:
        for n in range(6):
            assert cli("start", PDK, "--title", f"Kasus {n}", env={"SOPCTL_DB": location}).exit_code == 0
        return location

    if request.param == "sqlite":
        yield fill(str(cli.db))
        return
    if not POSTGRES_URL:
        pytest.skip("needs SOPCTL_TEST_POSTGRES (README, Development)")
    from tests.pg import fresh_database

    with fresh_database(POSTGRES_URL) as url:
        yield fill(url)


def test_a_backup_killed_midway_leaves_nothing_under_its_name(big_office: str, tmp_path: Path) -> None:
    folder = tmp_path / "cadangan"
    folder.mkdir()
    backup = folder / "sopctl.db"
    killed = _limited("kill", big_office, backup)
    assert killed.returncode == -signal.SIGXFSZ, killed.stderr
    assert not backup.exists()
    left = [p for p in folder.iterdir() if p.name != "logs"]
    assert left and all(p.name.startswith(".sopctl.db.") and ".partial" in p.name for p in left)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in left)  # even the half copy is private
    assert any(p.stat().st_size == LIMIT for p in left)  # it was cut off in the middle of writing
    # The leftover is in nobody's way: the next night's backup is whole.
    again = subprocess.run(
        [sys.executable, "-m", "sopctl", "db", "backup", str(backup)],
        cwd=ROOT,
        env={**os.environ, "SOPCTL_DB": big_office, "SOPCTL_LOG_DIR": str(tmp_path / "logs")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (again.returncode, again.stderr) == (0, "")
    assert backup.stat().st_size > LIMIT


def test_a_backup_onto_a_full_disk_says_so_and_leaves_nothing(big_office: str, tmp_path: Path) -> None:
    folder = tmp_path / "cadangan"
    folder.mkdir()
    backup = folder / "sopctl.db"
    full = _limited("full", big_office, backup)
    assert (full.returncode, full.stdout, full.stderr) == (
        2,
        "",
        f"Error: cannot write {backup}: disk I/O error\n",
    )
    assert sorted(p.name for p in folder.iterdir() if p.name != "logs") == []
