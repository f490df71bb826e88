"""How text is measured to lay out the printed flowchart table."""

from __future__ import annotations

import shutil
import string
import subprocess

import pytest

from sopctl.render.pages import FONT_MM, word_mm


def test_a_word_is_never_measured_narrower_than_the_font_draws_it() -> None:
    """Ket. is made as wide as its longest word by this measure: under it, the word is cut."""
    ttlib = pytest.importorskip("fontTools.ttLib")  # comes with WeasyPrint
    if not shutil.which("fc-match"):
        pytest.skip("no fontconfig to find DejaVu Sans")
    path = subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Sans"], capture_output=True, text=True).stdout
    if "DejaVuSans" not in path:
        pytest.skip(f"DejaVu Sans is not installed (fontconfig offers {path!r})")
    font = ttlib.TTFont(path)
    glyphs, advances, units = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    for char in string.printable.strip() + " äéüÄÉ":
        drawn = advances[glyphs[ord(char)]][0] / units * FONT_MM
        assert word_mm(char) >= drawn - 0.001, f"{char!r}: {word_mm(char):.2f} mm, drawn {drawn:.2f} mm"
    assert word_mm("persediaan") == pytest.approx(17.8, abs=0.1)  # drawn 16.7 mm
