"""The README's worked example of waits, timeouts and the service limit ("Waiting, timeouts,
period ends and the service limit"), run as written on the example office in
docs/examples/layanan: its commands, then the nightly `check` whose output it quotes."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest

from tests.conftest import WITA, Cli

ROOT = Path(__file__).resolve().parents[2]
SECTION = "### Waiting, timeouts, period ends and the service limit"


def _example() -> tuple[list[list[str]], str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index(SECTION) :]
    commands, output = re.findall(r"```(?:sh|text)\n(.*?)```", section, re.S)[:2]
    runs = []
    for line in commands.splitlines():
        words = shlex.split(line, comments=True)
        if words and words[0] == "sopctl":
            runs.append(words[1:])
    return runs, output


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "layanan"
    shutil.copytree(ROOT / "docs" / "examples" / "layanan", folder)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("COLUMNS", "80")
    return folder


def test_the_readme_example_closes_one_request_by_itself_and_reports_the_other(
    office: Path, cli: Cli
) -> None:
    runs, quoted = _example()
    assert len(runs) == 8
    cli.clock.set("2026-11-26T09:10", WITA)  # entered as they happened (--at), the last just now
    env = {"SOPCTL_SOPS": str(office / "sops")}
    for args in runs:
        result = cli(*args, env=env)
        assert result.exit_code == 0, (args, result.output)
    cli.clock.set("2026-11-27T10:00", WITA)
    checked = cli("check", env=env)
    assert checked.exit_code == 1
    assert checked.stdout == quoted
    assert checked.stderr == "2 overdue, 1 went on by timeout as of 2026-11-27 10:00 WITA\n"
    # Recorded once: the next check does not list it, and the log names no one.
    again = cli("check", env=env)
    assert "TIMED OUT" not in again.stdout
    log = json.loads(cli("log", "SKT-2026-0001", "--json", env=env).stdout)
    timed = [e for e in log if e["type"] == "timed_out"]
    assert [(e["at"], e["actor"]) for e in timed] == [("2026-11-26T09:20:00+08:00", None)]
    status = cli("status", "SKT-2026-0002", env=env)
    assert "waktu layanan: 3 hari kerja · tenggat 2026-11-27 09:20 WITA · TERLAMBAT 40 menit" in " ".join(
        status.stdout.split()
    )


def test_check_at_lists_the_timeout_that_would_fall_due_and_writes_nothing(office: Path, cli: Cli) -> None:
    runs, _ = _example()
    cli.clock.set("2026-11-24T10:05", WITA)
    env = {"SOPCTL_SOPS": str(office / "sops")}
    for args in runs[:3]:
        assert cli(*args, env=env).exit_code == 0
    before = cli("log", "SKT-2026-0001", "--json", env=env).stdout
    checked = cli("check", "--at", "2026-11-26 10:00", "--json", env=env)
    assert checked.exit_code == 0
    [row] = json.loads(checked.stdout)
    assert (row["kind"], row["symbol"], row["due_at"], row["overdue"]) == (
        "timeout",
        "3",
        "2026-11-26T09:20:00+08:00",
        False,
    )
    assert checked.stderr.startswith("0 overdue, 1 would go on by timeout as of")
    assert cli("log", "SKT-2026-0001", "--json", env=env).stdout == before


def test_validate_names_a_calendar_the_site_config_lacks_at_its_line(office: Path, cli: Cli) -> None:
    sop = office / "sops" / "surat-keterangan.yaml"
    sop.write_text(sop.read_text(encoding="utf-8").replace("calendar: layanan ", "calendar: layana  "))
    env = {"SOPCTL_SOPS": str(office / "sops")}
    checked = cli("validate", env=env)
    assert checked.exit_code == 1
    assert checked.stdout == (
        f'{sop}:13:11: calendar: no calendar "layana" in the site config {office / "sopctl.yaml"}; '
        "the calendars are: always, layanan, office\n"
    )
    started = cli("start", "surat-keterangan", "--title", "x", env=env)
    assert started.exit_code == 2
    assert started.stderr.startswith('Error: surat-keterangan runs on the calendar "layana", which the site')
