"""Values the command line cannot convert: one line in sopctl's words, exit 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli

PDK = "pengelolaan-data-kepegawaian"
ID = "PDK-2026-0001"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["done", ID, "--by", "siti", "--step", "abc"],
            "Error: pengelolaan-data-kepegawaian has no symbol 'abc'\n",
        ),
        (
            ["done", ID, "--by", "siti", "--step", "1.5"],
            "Error: pengelolaan-data-kepegawaian has no symbol '1.5'\n",
        ),
        (
            ["decide", ID, "ya", "--by", "budi", "--step", "x"],
            "Error: pengelolaan-data-kepegawaian has no symbol 'x'\n",
        ),
        (
            ["export", "stats", "-f", "md", "--threshold", "banyak"],
            'Error: --threshold: expected a number, not "banyak"\n',
        ),
        (  # year 1 overflowed the calendar: an internal error, exit 70
            ["done", ID, "--by", "siti", "--at", "0001-01-01T00:00"],
            'Error: --at "0001-01-01T00:00": the year must be between 1970 and 2099\n',
        ),
        (
            ["check", "--at", "9999-12-31T23:59+00:00"],
            'Error: --at "9999-12-31T23:59+00:00": the year must be between 1970 and 2099\n',
        ),
        (  # the year as typed is 1970, but in Indonesia (and UTC) it is still 1969
            ["check", "--at", "1970-01-01T00:00+14:00"],
            'Error: --at "1970-01-01T00:00+14:00": the year must be between 1970 and 2099\n',
        ),
        (  # Jakarta kept local mean time (+07:07:12) then: the record would carry it
            ["start", PDK, "--title", "Lama", "--at", "1900-01-01T10:00"],
            'Error: --at "1900-01-01T10:00": the year must be between 1970 and 2099\n',
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_one_line(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    assert cli("start", PDK, "--title", "Kasus").exit_code == 0
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    result = cli(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)
    assert len(json.loads(cli("log", ID, "--json").stdout)) == 1  # nothing was recorded
    assert list(here.iterdir()) == []


def test_other_usage_mistakes_still_point_to_help(cli: Cli) -> None:
    result = cli("done", ID, "--bogus")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: No such option: --bogus (see 'sopctl done --help')\n",
    )
