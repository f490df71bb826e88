"""The plain lines `start`, `done` and `demo` print: wrapped to the terminal, and commands a
person can copy back into a shell."""

from __future__ import annotations

import shlex

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from sopctl.render.progress import command_lines, fitted
from sopctl.render.text import cell_width, shorten


def test_a_long_command_breaks_before_an_option_and_keeps_its_value() -> None:
    argv = ["sopctl", "decide", "PDK-2026-0001", "tidak", "--by", "budi"]
    argv += ["--note", "NIP pada SK salah ketik", "--at", "2026-03-02T09:20"]
    assert command_lines(argv, 80) == (
        "$ sopctl decide PDK-2026-0001 tidak --by budi --note 'NIP pada SK salah ketik' \\\n"
        "    --at 2026-03-02T09:20"
    )
    assert command_lines(argv, 200).count("\n") == 0


# Words without control characters: a line break inside a word is not what a person types.
WORDS = st.lists(
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30),
    min_size=1,
    max_size=12,
)


@given(WORDS, st.integers(20, 120))
def test_a_wrapped_command_reads_back_as_the_same_words(words: list[str], width: int) -> None:
    text = command_lines(["sopctl", *words], width)
    assert text.startswith("$ sopctl")
    assert shlex.split(text[2:].replace(" \\\n", " ")) == ["sopctl", *words]


def test_a_progress_line_wraps_under_its_own_text() -> None:
    line = "  now due: step 4 [Kasubag Umpeg] Memeriksa hasil pengelolaan berkas, due 2026-03-02 09:25 WIB"
    assert fitted(line, 60).splitlines() == [
        "  now due: step 4 [Kasubag Umpeg] Memeriksa hasil",
        "      pengelolaan berkas, due 2026-03-02 09:25 WIB",
    ]
    assert fitted(line, 200) == line


def test_a_progress_line_with_wide_characters_fits_in_columns_not_characters() -> None:
    line = "PDK-2026-0001: step 1 done by 李小龍 王小明 张伟 as Pengadministrasi Umum; took 10 menit"
    lines = fitted(line, 60).splitlines()
    assert [cell_len(x) for x in lines] == [51, 40]
    assert " ".join(lines).split() == line.split()


@given(st.lists(st.text(st.sampled_from("ab李🙂é"), min_size=1, max_size=8), min_size=1, max_size=20))
def test_fitted_lines_read_back_as_the_same_words_and_fit(words: list[str]) -> None:
    text = fitted("  " + " ".join(words), 40)
    assert text.split() == words
    assert all(cell_width(line) <= 40 for line in text.splitlines())


def test_cell_width_agrees_with_rich() -> None:
    for text in ("李小龍", "rina 🙂", "e\u0301", "Kasubag Umpeg – ✓ ≤ ▶", "ＡＢ", "ascii"):
        assert cell_width(text) == cell_len(text), text


def test_shorten_counts_columns() -> None:
    assert shorten("Menerima data 李小龍", 20) == "Menerima data 李小龍"
    assert shorten("李小龍李小龍", 7) == "李小龍…"
    assert shorten("Menerima data mutasi", 10) == "Menerima…"


def test_a_command_with_wide_characters_breaks_by_columns() -> None:
    argv = [
        "sopctl",
        "done",
        "PDK-2026-0001",
        "--by",
        "李小龍李小龍李小龍",
        "--note",
        "berkas 李小龍 lengkap",
    ]
    lines = command_lines(argv, 50).splitlines()
    assert lines == [  # with --by on it, the first line would be 46 characters but 55 columns
        "$ sopctl done PDK-2026-0001 \\",
        "    --by '李小龍李小龍李小龍' \\",
        "    --note 'berkas 李小龍 lengkap'",
    ]
