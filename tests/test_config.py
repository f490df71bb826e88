"""The site config: what the model cannot check on its own, at the line it is written on.

(Office hours, closures and holidays as calendars are tested in test_calendar.py.)
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import pytest

from sopctl.config import config_problems, load_config
from sopctl.errors import ValidationFailed

CATALOGUE = ("pemeliharaan-simpeg", "pengelolaan-data-kepegawaian")
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


def problems(path: Path, sop_ids: Collection[str] | None = CATALOGUE) -> list[str]:
    known = None if sop_ids is None else (lambda wanted: sop_ids)
    return [str(p).removeprefix(f"{path}:") for p in config_problems(path, known)]


def test_a_clock_for_an_sop_that_does_not_exist_is_refused_at_its_key(tmp_path: Path) -> None:
    path = write(tmp_path, "clocks:\n  pemeliharaan-simpek: elapsed\n  nosuch: working\n")
    assert problems(path) == [
        '2:3: clocks.pemeliharaan-simpek: no SOP "pemeliharaan-simpek" in the catalogue '
        '(did you mean "pemeliharaan-simpeg"?)',
        '3:3: clocks.nosuch: no SOP "nosuch" in the catalogue; '
        "known: pemeliharaan-simpeg, pengelolaan-data-kepegawaian",
    ]
    with pytest.raises(ValidationFailed) as caught:
        load_config(path, lambda wanted: CATALOGUE)
    assert len(caught.value.problems) == 2


def test_clocks_are_checked_only_against_the_ids_asked_for(tmp_path: Path) -> None:
    path = write(tmp_path, "clocks:\n  pemeliharaan-simpeg: elapsed\n")
    asked: list[set[str]] = []

    def sop_ids(wanted: Collection[str]) -> Collection[str]:
        asked.append(set(wanted))
        return CATALOGUE

    assert load_config(path, sop_ids).clocks == {"pemeliharaan-simpeg": "elapsed"}
    assert asked == [{"pemeliharaan-simpeg"}]
    # Without clocks there is nothing to ask; without a list of SOPs nothing to check against.
    load_config(write(tmp_path, "holidays: {national: true}\n"), sop_ids)
    assert len(asked) == 1
    assert problems(write(tmp_path, "clocks:\n  nosuch: elapsed\n"), None) == []


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
        load_config(path)  # a fact about the file alone: checked without the SOPs too
    assert [str(p) for p in caught.value.problems] == [f"{path}:{expected}"]


def test_a_week_open_only_on_saturday_is_a_week(tmp_path: Path) -> None:
    path = write(tmp_path, WEEK_CLOSED + "  saturday: {open: '08:00', close: '12:00'}\n")
    assert problems(path) == []
    assert load_config(path).hours().days == {5: ((8 * 3600, 12 * 3600),)}


def test_every_problem_of_a_config_is_reported_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, WEEK_CLOSED + "clocks:\n  nosuch: elapsed\n")
    assert [p.split(": ")[0] for p in problems(path)] == ["1:1", "8:3"]
