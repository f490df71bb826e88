"""The same answer from any folder: the store remembers the catalogue, site config and
organisation file it serves, and keeps a copy of every site config it ran on.

Run as cron runs it, from a folder with no ``sops/``: before, ``check`` quietly used the
default calendar (a closure week missed), ``status`` found no catalogue and ``demo`` failed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SOPS

CLOSURE = "closures:\n  - from: 2026-03-02\n    to: 2026-03-06\n    note: Penutupan kantor\n"


def _sopctl(*args: str, cwd: Path, db: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOPCTL_")}
    env |= {"SOPCTL_DB": str(db), "COLUMNS": "80", "NO_COLOR": "1", "SOPCTL_LOG_DIR": str(cwd)}
    return subprocess.run(
        [sys.executable, "-m", "sopctl", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=60
    )


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """An office folder: its catalogue and a site config that closes the first week of March."""
    folder = tmp_path / "kantor"
    shutil.copytree(SOPS, folder / "sops")
    (folder / "sopctl.yaml").write_text(CLOSURE, encoding="utf-8")
    return folder


def _started(office: Path, db: Path) -> None:
    done = _sopctl(
        "start",
        "pengelolaan-data-kepegawaian",
        "--title",
        "Mutasi",
        "--at",
        "2026-03-02T08:00",
        cwd=office,
        db=db,
    )
    assert done.returncode == 0, done.stderr


def test_check_and_status_from_another_folder_give_the_office_answer(office: Path, tmp_path: Path) -> None:
    db = office / "kantor.db"
    _started(office, db)
    elsewhere = tmp_path / "cron"
    elsewhere.mkdir()
    for command in (["check", "--at", "2026-03-10T10:00"], ["status", "PDK-2026-0001"]):
        at_office = _sopctl(*command, cwd=office, db=db)
        from_cron = _sopctl(*command, cwd=elsewhere, db=db)
        assert (from_cron.returncode, from_cron.stdout) == (at_office.returncode, at_office.stdout), command
        assert from_cron.stderr == at_office.stderr
    # The closure week counts: due on Monday 9 March, not on 2 March (3,225 minutes late).
    assert "2026-03-09 07:45" in from_cron.stdout or "09/03" in from_cron.stdout


def test_db_info_shows_what_the_store_serves(office: Path) -> None:
    db = office / "kantor.db"
    _started(office, db)
    info = json.loads(_sopctl("db", "info", "--json", cwd=office, db=db).stdout)
    serves = info["serves"]
    assert serves["catalogue"] == str((office / "sops").resolve())
    assert serves["site_config"]["file"] == str((office / "sopctl.yaml").resolve())
    assert len(serves["site_config"]["version"]) == 64 and serves["site_config"]["versions"] == 1
    text = _sopctl("db", "info", cwd=office, db=db).stdout
    assert f"catalogue        {(office / 'sops').resolve()}" in text


def test_a_changed_site_config_is_recorded_as_a_new_version(office: Path, tmp_path: Path) -> None:
    db = office / "kantor.db"
    _started(office, db)
    (office / "sopctl.yaml").write_text(CLOSURE + "# jam kerja tetap\n", encoding="utf-8")
    checked = _sopctl("check", "--at", "2026-03-10T10:00", cwd=tmp_path, db=db)
    assert "the site config" in checked.stderr and "changed; recorded as version" in checked.stderr
    info = json.loads(_sopctl("db", "info", "--json", cwd=tmp_path, db=db).stdout)
    assert info["serves"]["site_config"]["versions"] == 2
    again = _sopctl("check", "--at", "2026-03-10T10:00", cwd=tmp_path, db=db)
    assert "changed" not in again.stderr  # noticed once


def test_a_site_config_that_is_gone_is_read_from_the_stores_copy(office: Path, tmp_path: Path) -> None:
    db = office / "kantor.db"
    _started(office, db)
    before = _sopctl("check", "--at", "2026-03-10T10:00", cwd=tmp_path, db=db)
    (office / "sopctl.yaml").unlink()
    after = _sopctl("check", "--at", "2026-03-10T10:00", cwd=tmp_path, db=db)
    assert (after.returncode, after.stdout) == (before.returncode, before.stdout)
    assert after.stderr.startswith("warning: the site config ")
    assert "using the copy the store pinned" in after.stderr


def test_an_explicit_catalogue_still_wins(office: Path, tmp_path: Path) -> None:
    db = office / "kantor.db"
    _started(office, db)
    empty = tmp_path / "kosong"
    empty.mkdir()
    shown = _sopctl("--sops", str(empty), "status", "PDK-2026-0001", cwd=tmp_path, db=db)
    # The pinned SOP still shows the case; the catalogue named is the one compared with.
    assert shown.returncode == 0, shown.stderr


def test_demo_runs_from_any_folder(tmp_path: Path) -> None:
    done = _sopctl("demo", cwd=tmp_path, db=tmp_path / "unused.db")
    assert done.returncode == 0, done.stderr
    assert "PDK-2026-0001" in done.stdout
    assert not (tmp_path / "unused.db").exists()  # the demo uses a store of its own


ORG = """\
schema: 1
people:
  - {nip: "19850101 201001 2 003", name: Rina Marlina, alias: rina, position: Pengadministrasi Umum}
"""


def test_the_organisation_file_the_store_serves_is_used_from_another_folder(
    office: Path, tmp_path: Path
) -> None:
    db = office / "kantor.db"
    org = office / "kepegawaian" / "pegawai.yaml"  # not beside the catalogue: only the store knows it
    org.parent.mkdir()
    org.write_text(ORG, encoding="utf-8")
    start = ("start", "pengelolaan-data-kepegawaian", "--title", "Mutasi", "--at", "2026-03-02T08:00")
    assert _sopctl("--org", str(org), *start, cwd=office, db=db).returncode == 0
    done = _sopctl("done", "PDK-2026-0001", "--by", "rina", "--at", "2026-03-09T08:00", cwd=tmp_path, db=db)
    assert done.returncode == 0, done.stderr
    assert "Rina Marlina" in done.stdout  # checked against the office's org file, not unverified
    info = json.loads(_sopctl("db", "info", "--json", cwd=tmp_path, db=db).stdout)
    assert info["serves"]["org"] == str(org.resolve())


def test_a_pinned_site_config_changed_in_the_store_is_caught(office: Path, tmp_path: Path) -> None:
    import sqlite3

    db = office / "kantor.db"
    _started(office, db)
    (office / "sopctl.yaml").unlink()  # from now on the store's copy is what counts
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE configs SET source = replace(source, '2026-03-02', '2026-04-02')")
    [sha] = [r[0] for r in sqlite3.connect(db).execute("SELECT hash FROM configs")]
    checked = _sopctl("check", "--at", "2026-03-10T10:00", cwd=tmp_path, db=db)
    assert (checked.returncode, checked.stdout) == (5, "")
    assert checked.stderr == (
        f"Error: the pinned copy of the site config (version {sha[:12]}) in {db} was changed outside "
        "sopctl: run `sopctl verify --all`, and restore the store from a backup (`sopctl db restore`)\n"
    )
    verified = _sopctl("verify", "--all", cwd=tmp_path, db=db)
    assert verified.returncode == 1
    assert f"configs/{sha[:12]}: pinned: the pinned copy of the site config" in verified.stdout
