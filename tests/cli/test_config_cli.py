"""The site config end to end: `validate` reports its mistakes (exit 1), and every other command
refuses a broken config as bad input (exit 2) before recording anything."""

from __future__ import annotations

import shutil
from pathlib import Path

from sopctl.store import open_store
from tests.conftest import SOPS, Cli

SIMPEG = "pemeliharaan-simpeg"
CLOCK_TYPO = (
    'clocks.pemeliharaan-simpek: no SOP "pemeliharaan-simpek" in the catalogue '
    '(did you mean "pemeliharaan-simpeg"?)'
)
WEEK_CLOSED = (
    "office_hours: every day of the week is closed, so no time limit could ever fall due: "
    "give at least one day its hours"
)


def config(tmp_path: Path, text: str) -> str:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def instances(db: Path) -> int:
    if not db.exists():
        return 0
    store = open_store(str(db), create=False)
    try:
        return len(list(store.instance_ids()))
    finally:
        store.close()


def test_validate_reports_a_clock_for_an_sop_not_in_the_catalogue(cli: Cli, tmp_path: Path) -> None:
    path = config(tmp_path, "clocks:\n  pemeliharaan-simpek: elapsed\n")
    result = cli("--config", path, "validate")
    assert result.exit_code == 1
    assert result.stdout == f"{path}:2:3: {CLOCK_TYPO}\n"
    assert result.stderr == f"4 SOP file(s) checked (and {path}): 4 valid, 1 problem(s) in 1 file(s)\n"


def test_validate_reports_a_week_without_office_hours(cli: Cli, tmp_path: Path) -> None:
    days = "".join(f"  {day}: closed\n" for day in ("monday", "tuesday", "wednesday", "thursday", "friday"))
    path = config(tmp_path, "holidays: {national: true}\noffice_hours:\n" + days)
    result = cli("--config", path, "validate")
    assert result.exit_code == 1
    assert result.stdout == f"{path}:2:1: {WEEK_CLOSED}\n"
    assert result.stderr == f"4 SOP file(s) checked (and {path}): 4 valid, 1 problem(s) in 1 file(s)\n"


def test_start_refuses_a_config_with_a_clock_for_an_unknown_sop(cli: Cli, tmp_path: Path) -> None:
    path = config(tmp_path, "clocks:\n  pemeliharaan-simpek: elapsed\n")
    result = cli("--config", path, "start", SIMPEG, "--title", "Jaringan putus")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"Error: {path}:2:3: {CLOCK_TYPO}; nothing was done\n"
    assert instances(cli.db) == 0


def test_start_refuses_a_week_without_office_hours_at_its_line(cli: Cli, tmp_path: Path) -> None:
    path = config(
        tmp_path,
        "office_hours: {monday: closed, tuesday: closed, wednesday: closed, "
        "thursday: closed, friday: closed}\n",
    )
    result = cli("--config", path, "start", SIMPEG, "--title", "Jaringan putus")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {path}:1:1: {WEEK_CLOSED}; nothing was done\n"
    assert instances(cli.db) == 0


def test_a_clock_for_an_sop_the_store_still_runs_is_no_mistake(cli: Cli, tmp_path: Path) -> None:
    # Cases started before the SOP left the catalogue still run on the clock the config gives it.
    shutil.copytree(SOPS, tmp_path / "sops")
    env = {"SOPCTL_SOPS": str(tmp_path / "sops")}
    assert cli("start", SIMPEG, "--title", "Jaringan putus", env=env).exit_code == 0
    assert instances(cli.db) == 1
    (tmp_path / "sops" / f"{SIMPEG}.yaml").unlink()
    path = config(tmp_path, f"clocks:\n  {SIMPEG}: elapsed\n")
    result = cli("--config", path, "check", env=env)
    assert (result.exit_code, result.stderr) == (0, "0 overdue as of 2026-03-02 09:00 WITA\n")
    typo = config(tmp_path, "clocks:\n  pemeliharaan-simpek: elapsed\n")
    result = cli("--config", typo, "check", env=env)
    assert result.exit_code == 2  # not 1: for check that means "something is overdue"
    assert result.stderr.startswith(
        f'Error: {typo}:2:3: clocks.pemeliharaan-simpek: no SOP "pemeliharaan-simpek"'
    )


def test_a_clock_for_an_sop_whose_file_did_not_load_is_not_a_second_problem(cli: Cli, tmp_path: Path) -> None:
    shutil.copytree(SOPS, tmp_path / "sops")
    broken = tmp_path / "sops" / f"{SIMPEG}.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "frobnicate: 1\n", encoding="utf-8")
    path = config(tmp_path, f"clocks:\n  {SIMPEG}: elapsed\n")
    result = cli("--config", path, "validate", env={"SOPCTL_SOPS": str(tmp_path / "sops")})
    assert result.exit_code == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [str(broken)]
