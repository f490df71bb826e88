"""Words printed in Indonesian or English."""

from __future__ import annotations

import pytest

from sopctl.render.labels import counted, labels


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
