"""Characters that change what text says without being seen: one definition for every input.

Bidirectional controls (embeddings, overrides, isolates, marks) reorder the text around them
when it is shown, so that "Mutasi \\u202egnipmaS" reads "Mutasi Sampign" in a terminal, an
HTML page or a spreadsheet; zero-width characters hide inside a word, so that two ids or
names that look the same are not. Neither belongs in an SOP, an organisation file, a site
config, or a title, note or name typed on the command line: the YAML reader
(:mod:`sopctl.sop.yamlsource`) and :func:`sopctl.actors.check_text` refuse the same set.
"""

from __future__ import annotations

import re
import unicodedata

#: U+061C ARABIC LETTER MARK, U+200E/U+200F (LRM, RLM), U+202A-U+202E (embeddings,
#: overrides) and U+2066-U+2069 (isolates) reorder text; U+200B-U+200D (zero width space,
#: non-joiner, joiner), U+2060-U+2064 (word joiner, invisible operators) and U+FEFF (zero
#: width no-break space, a byte order mark anywhere but at the start of a file) are unseen.
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

_REORDERS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def describe(char: str) -> str:
    """ "U+202E (RIGHT-TO-LEFT OVERRIDE), which reorders the text around it when shown"."""
    name = unicodedata.name(char, "")
    named = f"U+{ord(char):04X} ({name})" if name else f"U+{ord(char):04X}"
    if char in _REORDERS:
        return f"{named}, which reorders the text around it when shown"
    return f"{named}, an invisible character"
