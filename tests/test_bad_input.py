"""Bad input to the readers, through the Python API: numbers the store cannot keep are refused
at their line.

(The same through the command line, with exit codes and stderr: tests/cli/test_bad_input_cli.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sopctl.config import config_problems
from sopctl.org import org_problems
from sopctl.sop.loader import load_catalog
from sopctl.sop.types import MAX_ROW
from tests.test_format2_rules import BASE
from tests.test_loader import edit

HUGE = "18446744073709551617"  # 2**64 + 1: passed validate, then start failed with OverflowError


@pytest.fixture(autouse=True)
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def problems(text: str, name: str = "sop.yaml") -> list[str]:
    path = Path(name)
    path.write_text(text, encoding="utf-8")
    return [str(p) for p in load_catalog([path]).problems]


# -- numbers have bounds ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            edit(("  - step: 3\n", f"  - step: {HUGE}\n")),
            f"sop.yaml:21:11: steps[2].step: must be at most {MAX_ROW}",
        ),
        (
            edit(("    time: 30 Menit\n", f"    time: 30 Menit\n    time_covers: {HUGE}\n")),
            f"sop.yaml:18:18: steps[1].time_covers: must be at most {MAX_ROW}",
        ),
        (
            BASE.replace("  - no: 3\n", f"  - no: {HUGE}\n"),
            f"sop.yaml:21:9: rows[2].no: must be at most {MAX_ROW}",
        ),
        (
            BASE.replace("    time: 1 hari\n", f"    time: 1 hari\n    time_covers: {MAX_ROW + 1}\n"),
            f"sop.yaml:24:18: rows[2].time_covers: must be at most {MAX_ROW}",
        ),
    ],
)
def test_a_row_number_beyond_its_bound_is_refused_at_its_line(text: str, expected: str) -> None:
    assert problems(text) == [expected]


def test_the_largest_row_number_is_valid() -> None:
    text = edit(("  - step: 3\n", f"  - step: {MAX_ROW}\n"), ("to: 3}", f"to: {MAX_ROW}}}"))
    assert problems(text) == []


@pytest.mark.parametrize("name", ["sop.yaml", "org.yaml", "sopctl.yaml"])
def test_a_number_of_5000_digits_is_refused_at_its_line_in_every_kind_of_file(name: str) -> None:
    digits = "9" * 5000
    path = Path(name)
    text = {
        "sop.yaml": edit(("total_time: 60 Menit", f"total_time: {digits}")),
        "org.yaml": f"schema: 1\npeople:\n  - nip: {digits}\n    name: Budi\n",
        "sopctl.yaml": f"clocks:\n  x: {digits}\n",
    }[name]
    path.write_text(text, encoding="utf-8")
    if name == "sop.yaml":
        found = [str(p) for p in load_catalog([path]).problems]
    elif name == "org.yaml":
        found = [str(p) for p in org_problems(path, [])]
    else:
        found = [str(p) for p in config_problems(path)]
    line, column = {"sop.yaml": (26, 13), "org.yaml": (3, 10), "sopctl.yaml": (2, 6)}[name]
    assert found == [
        f"{name}:{line}:{column}: a whole number of 5,000 digits: sopctl reads at most 100; "
        "if it is text, put it in quotes"
    ]
