"""Tables that fit the terminal: ids whole on one line, prose wrapped, nothing cropped."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from sopctl.render.tables import MIN_PROSE, Fitted, add_id, add_prose, new_table, share
from tests.render.conftest import render_text

SOP = "pengelolaan-data-kepegawaian"
TITLE = "Mutasi a.n. Siti Aminah dari Dinas Pendidikan ke Dinas Komunikasi dan Informatika"


def _table(*rows: tuple[str, str, str]) -> Fitted:
    table = new_table()
    add_id(table, "ID")
    add_id(table, "SOP")
    add_prose(table, "Title")
    for row in rows:
        table.add_row(*row)
    return Fitted(table)


def test_share_gives_narrow_columns_all_they_want_and_cuts_wide_ones_to_one_level() -> None:
    assert share(30, [5, 5, 5], [6, 40, 40]) == [6, 12, 12]
    assert share(100, [5, 5], [20, 30]) == [20, 30]  # room for everything
    assert share(31, [5, 5, 5], [6, 40, 40]) == [6, 13, 12]  # the odd cell goes to the first
    assert share(18, [8, 6], [40, 40]) == [9, 9]
    assert share(13, [8, 6], [40, 40]) is None  # not even the lows fit


def test_ids_stay_whole_and_the_title_wraps_at_words() -> None:
    text = render_text(_table(("PDK-2026-0001", SOP, TITLE)), 80)
    lines = text.splitlines()
    assert f" PDK-2026-0001   {SOP}   Mutasi a.n. Siti" in lines[3]
    assert max(cell_len(line.rstrip()) for line in lines) <= 80
    # Every word of the title is there, in order, none split.
    words = [word for line in lines[3:] for word in line.split()]
    assert words[2:] == TITLE.split()


def test_a_table_that_fits_is_printed_as_it_is() -> None:
    assert render_text(_table(("PDK-2026-0001", SOP, "Mutasi")), 120).splitlines()[3].rstrip() == (
        f" PDK-2026-0001   {SOP}   Mutasi"
    )


def test_when_the_ids_leave_no_room_each_row_becomes_a_block() -> None:
    text = render_text(_table(("PDK-2026-0001", SOP, TITLE), ("PDK-2026-0002", SOP, "Kenaikan pangkat")), 50)
    assert [line.rstrip() for line in text.splitlines()] == [
        "ID     PDK-2026-0001",
        f"SOP    {SOP}",
        "Title  Mutasi a.n. Siti Aminah dari Dinas",
        "       Pendidikan ke Dinas Komunikasi dan",
        "       Informatika",
        "",
        "ID     PDK-2026-0002",
        f"SOP    {SOP}",
        "Title  Kenaikan pangkat",
    ]


def test_a_word_longer_than_its_column_is_folded_not_cut() -> None:
    table = new_table()
    add_id(table, "ID")
    add_prose(table, "Note")
    add_prose(table, "Output")
    long = "https://simpeg.example.go.id/berkas/1990010120150310011"
    table.add_row("PDK-2026-0001", long, "SK mutasi")
    text = render_text(Fitted(table), 50)
    assert max(cell_len(line.rstrip()) for line in text.splitlines()) <= 50
    assert "".join(line[16:].split("   ")[0].strip() for line in text.splitlines()[3:]) == long


IDS = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz-0123456789"), min_size=1, max_size=30)
WORDS = st.lists(
    st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz李🙂"), min_size=1, max_size=12), max_size=15
)


@given(st.lists(st.tuples(IDS, IDS, WORDS), min_size=1, max_size=4), st.integers(40, 140))
def test_ids_are_never_cut_and_no_line_is_wider_than_the_terminal(rows, width: int) -> None:  # type: ignore[no-untyped-def]
    text = render_text(_table(*((a, b, " ".join(words)) for a, b, words in rows)), width)
    lines = text.splitlines()
    assert max(cell_len(line.rstrip()) for line in lines) <= width
    for a, b, words in rows:
        assert any(a in line.split() for line in lines) and any(b in line.split() for line in lines)
        short = [word for word in words if cell_len(word) <= MIN_PROSE]
        assert all(any(word in line.split() for line in lines) for word in short)


def test_prose_is_never_folded_narrower_than_min_prose() -> None:
    table = new_table()
    add_id(table, "ID")
    add_prose(table, "Activity")
    table.add_row("x" * 40, "Kasubid menugaskan Pengolah Data SIMPEG untuk memeriksa Jaringan")
    chrome = 5  # two edges, a separator, a space each side of it
    narrow = render_text(Fitted(table), 40 + chrome + MIN_PROSE - 1).splitlines()
    assert narrow[0].split() == ["ID", "x" * 40]  # a block, not a column of word stubs
    wide = render_text(Fitted(table), 40 + chrome + MIN_PROSE).splitlines()
    assert wide[1].split() == ["ID", "Activity"] and wide[3].split() == ["x" * 40, "Kasubid"]
    assert "menugaskan" in wide[4]
