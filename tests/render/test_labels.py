"""Words printed in Indonesian or English."""

from __future__ import annotations

import datetime as dt

import pytest

from sopctl.render.labels import counted, format_office_moment, labels


@pytest.mark.parametrize(
    ("lang", "key", "n", "expected"),
    [
        ("en", "loops_n", 1, "1 correction loop"),
        ("en", "loops_n", 2, "2 correction loops"),
        ("en", "runs", 1, "1 run"),
        ("en", "runs", 0, "0 runs"),
        ("id", "loops_n", 1, "1 putaran perbaikan"),
        ("id", "runs", 3, "3 kali"),
    ],
)
def test_a_count_agrees_with_its_number(lang: str, key: str, n: int, expected: str) -> None:
    assert counted(labels(lang), key, n) == expected


@pytest.mark.parametrize(
    ("utc", "zones", "expected"),
    [
        ("2026-11-23T07:00", {"Asia/Jakarta", "Asia/Pontianak"}, "2026-11-23 14:00 WIB"),
        ("2026-11-23T07:00", {"Asia/Makassar", "Asia/Jakarta"}, "2026-11-23 14:00 WIB / 15:00 WITA"),
        (
            "2026-11-23T16:30",
            {"Asia/Jayapura", "Asia/Pontianak", "Asia/Makassar", "Asia/Jakarta"},
            "2026-11-23 23:30 WIB / 2026-11-24 00:30 WITA / 01:30 WIT",
        ),
    ],
)
def test_an_instant_is_given_in_each_offices_time(utc: str, zones: set[str], expected: str) -> None:
    moment = dt.datetime.fromisoformat(utc).replace(tzinfo=dt.UTC)
    assert format_office_moment(moment, zones) == expected
