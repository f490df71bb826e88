"""Durations typed on the command line (check --warn-before): messages that fit the option."""

from __future__ import annotations

import pytest

from tests.conftest import Cli

PDK = "pengelolaan-data-kepegawaian"
WRITTEN = '"15 menit", "2 jam", "1 hari", "3 hari kerja", "1 minggu", "1-3 hari"'


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ("abc", f'--warn-before: cannot read the time "abc": write it as {WRITTEN}'),
        ("2 jm", f'--warn-before: unknown unit "jm" in "2 jm" (did you mean "jam"?); write it as {WRITTEN}'),
        ("0 menit", '--warn-before: the time "0 menit" must be more than zero'),
        ("-", '--warn-before: "-" is not a duration: write e.g. "2 jam" or "1 hari"'),
        (
            "99999999999 hari",
            '--warn-before: the time "99999999999 hari" is longer than 10 years, the longest limit '
            "sopctl takes (at most 2500 hari kerja)",
        ),
    ],
)
def test_a_bad_warning_window_is_one_line_that_never_offers_none(cli: Cli, window: str, message: str) -> None:
    assert cli("start", PDK, "--title", "Kasus").exit_code == 0
    result = cli("check", "--warn-before", window)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Error: {message}\n")


def test_the_longest_warning_window_lists_every_open_step(cli: Cli) -> None:
    assert cli("start", PDK, "--title", "Kasus").exit_code == 0
    result = cli("check", "--warn-before", "2500 hari", "--csv")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 2  # the header and step 1 of the one instance


def test_hours_and_minutes_together_are_one_window(cli: Cli) -> None:
    assert cli("start", PDK, "--title", "Kasus").exit_code == 0  # step 1 is due in 15 minutes
    result = cli("check", "--warn-before", "1 jam 25 menit")
    assert (result.exit_code, result.stderr.split(" as of ")[0]) == (0, "0 overdue, 1 due soon")
