"""Time zones come from the tzdata package where the system has no tz database.

Windows and slim containers have no /usr/share/zoneinfo; ``PYTHONTZPATH=`` (empty) makes
this machine behave the same, so every command that computes a due time must still work.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

SOPS = Path(__file__).resolve().parents[2] / "sops"


def _sopctl(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONTZPATH": "", "SOPCTL_DB": str(db), "SOPCTL_SOPS": str(SOPS)}
    return subprocess.run(
        [sys.executable, "-m", "sopctl", *args], capture_output=True, text=True, env=env, timeout=60
    )


def test_commands_work_without_a_system_tz_database(tmp_path: Path) -> None:
    db = tmp_path / "kantor.db"
    started = _sopctl("start", "pengelolaan-data-kepegawaian", "--title", "Mutasi", db=db)
    assert started.returncode == 0, started.stderr
    for command in (["check"], ["status", "PDK-2026-0001"], ["ps"], ["stats"]):
        done = _sopctl(*command, db=db)
        assert done.returncode in (0, 1), (command, done.stderr)  # check exits 1 when a step is late
        assert "ZoneInfoNotFoundError" not in done.stderr and "internal error" not in done.stderr


def test_tzdata_is_a_declared_dependency() -> None:
    # Without the declaration a fresh install on Windows has no zone data at all.
    requirements = metadata.requires("sopctl") or []
    assert any(r.split(";")[0].strip().startswith("tzdata") and "extra ==" not in r for r in requirements)
