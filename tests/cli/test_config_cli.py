"""The site config end to end: `validate` reports its mistakes (exit 1), and every other command
refuses a broken config as bad input (exit 2) before recording anything."""

from __future__ import annotations

from pathlib import Path

from sopctl.store import open_store
from tests.conftest import Cli

SIMPEG = "pemeliharaan-simpeg"
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


def test_validate_reports_a_week_without_office_hours(cli: Cli, tmp_path: Path) -> None:
    days = "".join(f"  {day}: closed\n" for day in ("monday", "tuesday", "wednesday", "thursday", "friday"))
    path = config(tmp_path, "holidays: {national: true}\noffice_hours:\n" + days)
    result = cli("--config", path, "validate")
    assert result.exit_code == 1
    assert result.stdout == f"{path}:2:1: {WEEK_CLOSED}\n"
    assert result.stderr == f"2 SOP file(s) checked (and {path}): 2 valid, 1 problem(s) in 1 file(s)\n"


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
