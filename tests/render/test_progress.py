"""The plain lines `start`, `done` and `demo` print: wrapped to the terminal, and commands a
person can copy back into a shell."""

from __future__ import annotations

import shlex

from hypothesis import given
from hypothesis import strategies as st

from sopctl.render.progress import command_lines, fitted


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
