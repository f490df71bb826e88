"""The rules of SOP format 2, one failing file each: the message, at its line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from sopctl.sop.loader import load_catalog

#: A valid format-2 SOP: a start and a process in row 1, a process and its decision in row 2,
#: the same activity in lane A or lane B by the path in row 3, two ends in row 4.
BASE = """\
schema: 2
id: contoh-dua
name: Contoh format 2
lanes:
  - {id: staf, name: Staf}
  - {id: teknis, name: Tim Teknis}
  - {id: umum, name: Bagian Umum}
rows:
  - row: 1
    activity: Menerima dan mencatat surat
    time: 10 menit
    symbols:
      - {kind: start, lanes: staf, text: Surat masuk, next: 1b}
      - {lanes: staf, next: 2a}
  - row: 2
    activity: Memeriksa surat
    time: 15 menit
    symbols:
      - {lanes: staf, next: 2b}
      - {kind: decision, lanes: staf, branches: [{label: Teknis, to: 3a}, {label: Umum, to: 3b}]}
  - row: 3
    activity: Menindaklanjuti
    time: 1 hari
    symbols:
      - {lanes: teknis, next: 4a}
      - {lanes: umum, next: 4b}
  - row: 4
    activity: Menyelesaikan
    symbols:
      - {kind: end, lanes: teknis}
      - {kind: end, lanes: umum}
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the file is written as sop.yaml, and named so in messages


def problems(text: str) -> list[str]:
    path = Path("sop.yaml")
    path.write_text(text, encoding="utf-8")
    return [str(p) for p in load_catalog([path]).problems]


def edit(*changes: tuple[str, str]) -> str:
    text = BASE
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def test_the_base_file_is_valid() -> None:
    assert problems(BASE) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            [("  - row: 3\n", "  - row: 2\n")],
            [
                "sop.yaml:21:10: rows[2].row: row No 2 comes after No 2: number the rows as the document "
                "prints them, top to bottom, each No once and ascending"
            ],
            id="rows not ascending",
        ),
        pytest.param(
            [("{label: Teknis, to: 3a}", "{label: Teknis, to: 3}")],
            [
                'sop.yaml:20:70: rows[1].symbols[1].branches[0].to: branch "Teknis" goes to row 3, '
                "which has 2 symbols: name one of them (3a, 3b)"
            ],
            id="a row of several symbols named by its No",
        ),
        pytest.param(
            [("next: 2a}", "next: 2x}")],
            ["sop.yaml:14:29: rows[0].symbols[1].next: next names '2x', which is no symbol"],
            id="an unknown symbol",
        ),
        pytest.param(
            [("      - {lanes: staf, next: 2b}\n", "      - {lanes: staf}\n")],
            [
                "sop.yaml:19:9: rows[1].symbols[0]: say where the flow goes from symbol 2a with `next`: "
                "row 2 has more symbols after it"
            ],
            id="no next where it cannot be guessed",
        ),
        pytest.param(
            [("{lanes: teknis, next: 4a}", "{lanes: teknis}")],
            [
                "sop.yaml:25:9: rows[2].symbols[0]: say where the flow goes from symbol 3a with `next`: "
                "row 3 has more symbols after it"
            ],
            id="no next in a row of alternatives",
        ),
        pytest.param(
            [("{kind: start, lanes: staf,", "{id: 5b, kind: start, lanes: staf,")],
            [
                'sop.yaml:13:14: rows[0].symbols[0].id: the id "5b" reads as a symbol\'s place in a row '
                '("5", "5b"): use a name such as "periksa-berkas"'
            ],
            id="an id that reads as a place",
        ),
        pytest.param(
            [
                ("{kind: start, lanes: staf,", "{id: terima, kind: start, lanes: staf,"),
                ("{lanes: staf, next: 2a}", "{id: terima, lanes: staf, next: 2a}"),
            ],
            ['sop.yaml:14:14: rows[0].symbols[1].id: the symbol id "terima" is used twice'],
            id="an id used twice",
        ),
        pytest.param(
            [("{id: umum, name: Bagian Umum}", "{id: umum, name: Portal, system: true, external: true}")],
            [
                'sop.yaml:7:38: lanes[2].system: the lane "umum" cannot be both an application '
                "(`system`) and a third party (`external`): choose one"
            ],
            id="a system lane that is also a third party",
        ),
        pytest.param(
            [("{lanes: umum, next: 4b}", "{lanes: umum-x, next: 4b}")],
            [
                'sop.yaml:26:17: rows[2].symbols[1].lanes[0]: unknown lane "umum-x" (did you mean "umum"?); '
                "the lanes are: staf, teknis, umum"
            ],
            id="an unknown lane",
        ),
        pytest.param(
            [("{kind: decision, lanes: staf,", "{kind: decision, lanes: staf, next: 3a,")],
            [
                "sop.yaml:20:45: rows[1].symbols[1].next: a decision continues through its branches, "
                "not `next`: move this target into a branch"
            ],
            id="a decision with next",
        ),
        pytest.param(
            [("  - row: 3\n", "  - row: 3\n    time_covers: 3\n")],
            ["sop.yaml:22:18: rows[2].time_covers: the time cell cannot span 3 rows: only 2 rows are left"],
            id="a time cell past the last row",
        ),
        pytest.param(
            [
                ("schema: 2\n", "schema: 2\nstarts: together\n"),
                ("lanes: staf, next: 2a}", "lanes: staf, next: 2b}"),
            ],
            [
                "sop.yaml:20:9: rows[1].symbols[0]: symbol 2a cannot be reached from any start symbol: "
                "point a `next` or a branch at it, or remove it"
            ],
            id="a symbol nothing leads to",
        ),
        pytest.param(
            [("total_time: x\n" if False else "rows:\n", "total_time: 1 jam\nrows:\n")],
            [
                'sop.yaml:8:13: total_time: the stated total "1 jam" differs from the sum along the main '
                "path, 1 hari 25 menit (symbols 1a, 1b, 2a, 2b, 3a, 4a; the first branch of each decision)"
            ],
            id="a stated total that is not the sum",
        ),
    ],
)
def test_each_rule_of_format_2(changes: list[tuple[str, str]], expected: list[str]) -> None:
    assert problems(edit(*changes)) == expected


TOGETHER = """\
schema: 2
id: dua-awal
name: Dua awal bersamaan
starts: together
lanes:
  - {id: staf, name: Staf}
  - {id: kepala, name: Kepala}
rows:
  - row: 1
    activity: Menerima
    symbols:
      - {kind: start, lanes: staf, next: 2}
      - {kind: start, lanes: kepala, next: 2}
  - row: 2
    activity: Memeriksa
    symbols:
      - {kind: end, lanes: kepala}
"""


def test_starts_that_open_together_must_meet_at_a_join() -> None:
    assert problems(TOGETHER) == [
        "sop.yaml:17:9: rows[1].symbols[0]: the start symbols, which open together (`starts: together`), "
        "meet again at symbol 2, which is not a join: it would run once for each branch; add `join: true` "
        "to symbol 2"
    ]
    assert (
        problems(TOGETHER.replace("{kind: end, lanes: kepala}", "{kind: end, lanes: kepala, join: true}"))
        == []
    )
    # Alternatives meet without a join: only one of them ever runs.
    assert problems(TOGETHER.replace("starts: together\n", "")) == []


def test_a_format_2_file_with_format_1_steps_is_told_so() -> None:
    found = problems(BASE.replace("rows:", "steps:"))
    assert found[0] == 'sop.yaml:8:1: steps: unknown key "steps" (did you mean "rows"?)'
