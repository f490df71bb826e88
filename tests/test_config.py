"""The site config: what the model cannot check on its own, at the line it is written on.

(Office hours, closures and holidays as calendars are tested in test_calendar.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sopctl.config import config_problems, load_config
from sopctl.errors import ValidationFailed

WEEK_CLOSED = (
    "office_hours:\n"
    "  monday: closed\n"
    "  tuesday: closed\n"
    "  wednesday: closed\n"
    "  thursday: closed\n"
    "  friday: closed\n"
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sopctl.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    return [str(p).removeprefix(f"{path}:") for p in config_problems(path)]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (WEEK_CLOSED, "1:1"),
        ("holidays: {national: true}\n" + WEEK_CLOSED, "2:1"),
        (
            "office_hours: {monday: closed, tuesday: closed, wednesday: closed,\n"
            "               thursday: closed, friday: closed}\n",
            "1:1",
        ),
    ],
)
def test_a_week_without_office_hours_is_refused_at_the_office_hours_key(
    tmp_path: Path, text: str, where: str
) -> None:
    path = write(tmp_path, text)
    expected = (
        f"{where}: office_hours: every day of the week is closed, so no time limit could ever fall due: "
        "give at least one day its hours"
    )
    assert problems(path) == [expected]
    with pytest.raises(ValidationFailed) as caught:
        load_config(path)
    assert [str(p) for p in caught.value.problems] == [f"{path}:{expected}"]


def test_a_week_open_only_on_saturday_is_a_week(tmp_path: Path) -> None:
    path = write(tmp_path, WEEK_CLOSED + "  saturday: {open: '08:00', close: '12:00'}\n")
    assert problems(path) == []
    assert load_config(path).hours().days == {5: ((8 * 3600, 12 * 3600),)}
