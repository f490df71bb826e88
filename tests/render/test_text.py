"""Control characters in user text are shown, never obeyed (terminal) or passed on (documents)."""

from __future__ import annotations

from sopctl.render.document import sop_document
from sopctl.render.html import sop_html
from sopctl.render.markdown import md
from sopctl.render.pages import Paper
from sopctl.render.swimlane import flow_table
from sopctl.render.text import inert, shorten, to_ascii
from sopctl.sop.procedure import Procedure


def test_inert() -> None:
    assert inert("a\x1b[31mb\tc\nd\x00\x7f\x9b") == "a\\x1b[31mb c\nd\\x00\\x7f\\x9b"
    assert inert("Kasubag Umpeg – ✓") == "Kasubag Umpeg – ✓"


def test_to_ascii_spells_words_punctuation_and_marks() -> None:
    assert to_ascii("Undang – Undang “ASN” ‘baru’ — lihat…") == "Undang - Undang \"ASN\" 'baru' - lihat..."
    assert (
        to_ascii("≥ 3 hari, ≤ 1 jam, 2 × 3, a → b, • butir") == ">= 3 hari, <= 1 jam, 2 x 3, a -> b, * butir"
    )
    assert to_ascii("Ş é ½ ² ™") == "S e 1/2 2 TM"
    assert to_ascii("╭─┬╮│├┼┤╰┴╯╱╲") == "+-++|++++++/\\"
    assert to_ascii("✓ ✗ ▶ ⏸ · ↺") == "OK X > H - <-"  # as Marks.pick(ascii_only=True) has them
    assert to_ascii("李 🙂 Ω") == "?? ?? ?"  # a wide character keeps its two columns
    assert to_ascii("e\u0301\u200b\xa0x") == "e x"  # an accent and a zero-width space take none


def test_shorten_with_an_ascii_ellipsis() -> None:
    assert shorten("Kenaikan gaji berkala", 12) == "Kenaikan ga…"
    assert shorten("Kenaikan gaji berkala", 12, "...") == "Kenaikan..."
    assert shorten("Kenaikan – gaji", 12, "...") == "Kenaikan..."


def _hostile(catalog):  # type: ignore[no-untyped-def]
    """A definition with control characters. The loader refuses them in YAML now, so it is
    built directly: what a copy pinned before that check could still hold."""
    data = catalog.get("pengelolaan-data-kepegawaian").definition()
    data["rows"][0]["activity"] = "draft \x1b[2J\x1b[31mmerah\x07"
    return data, Procedure.from_definition(data)


def test_terminal_shows_escapes_as_text(catalog, render_text) -> None:
    text = render_text(flow_table(_hostile(catalog)[1], 120), 120)
    assert "\x1b" not in text and "\x07" not in text
    assert "│ draft " in text and "│ \\x1b[2J\\x1b[31mmerah\\x07 " in text


def test_documents_carry_no_control_characters(catalog) -> None:
    definition, flow = _hostile(catalog)
    html = sop_html(sop_document(definition, flow), Paper.named("a4"))
    assert "\x1b" not in html and "\\x1b[2J" in html
    assert md("a\x1bb") == "a\\\\x1bb"
