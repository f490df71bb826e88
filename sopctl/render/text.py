"""User text made inert for terminals and documents, measured in terminal columns, and
spelled in ASCII for terminals that cannot show anything else.

Titles, notes and activities are typed by people (or pasted from Word): a
control character in them must be shown, not obeyed, or an ESC sequence would
recolour or rewrite the admin's terminal and a NUL would break a document.
The same text holds Word's dashes and curly quotes, which a cron job in the C
locale or ``--ascii`` must still print: :func:`to_ascii` spells them in ASCII.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls except newline, DEL and the C1 controls.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def inert(text: str) -> str:
    """ "a\\x1b[31mb" -> "a\\\\x1b[31mb": tabs become spaces, other controls visible escapes."""
    return _CONTROL.sub(lambda m: " " if m.group() == "\t" else f"\\x{ord(m.group()):02x}", text)


def cell_width(text: str) -> int:
    """Terminal columns of ``text``: 李 and 🙂 take two, a combining accent none.

    For the plain lines of commands that must start fast (no rich); it agrees with
    rich's measure on wide (East Asian W/F) and zero-width characters."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def shorten(text: str, width: int, ellipsis: str = "…") -> str:
    """``text`` if it fits in ``width`` columns, else cut to fit with ``ellipsis`` at the end."""
    if cell_width(text) <= width:
        return text
    room = width - cell_width(ellipsis)
    if text.isascii():  # one column a character: check cuts ~100,000 rows this way
        return text[:room].rstrip() + ellipsis
    kept, used = "", 0
    for ch in text:
        used += cell_width(ch)
        if used > room:
            break
        kept += ch
    return kept.rstrip() + ellipsis


def fill(line: str, width: int, indent: str) -> str:
    """``line`` wrapped at spaces to ``width`` columns, each further line starting with
    ``indent``; a word longer than a line is left whole (a path, an id)."""
    lead = len(line) - len(line.lstrip(" "))
    out, used, started = [line[:lead]], lead, False
    for word in line[lead:].split(" "):
        size = cell_width(word)
        if started and used + 1 + size > width:
            out.append("\n" + indent + word)
            used = cell_width(indent) + size
        else:
            out.append((" " if started else "") + word)
            used += (1 if started else 0) + size
            started = True
    return "".join(out)


#: ASCII for the punctuation and signs of SOP text (Word's dashes and quotes) and of sopctl's
#: own output (marks, arrows, box drawing), as sopctl's ``--ascii`` drawing spells them.
ASCII_FOR = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),  # dashes, minus
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u00a0\u2007\u202f", " "),  # no-break spaces (others: NFKD)
    **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", ""),  # soft hyphen, zero width
    "\u2026": "...",
    "\u2022": "*",
    "\u2023": "*",
    "\u25e6": "*",
    "\u00b7": "-",  # between header items, as Marks.pick(ascii_only=True) has it
    "\u2265": ">=",
    "\u2264": "<=",
    "\u2260": "!=",
    "\u00d7": "x",
    "\u00f7": "/",
    "\u00b1": "+/-",
    "\u2044": "/",
    "\u00b0": "o",
    "\u00a9": "(c)",
    "\u00ae": "(R)",
    "\u20ac": "EUR",
    "\u2192": "->",
    "\u2190": "<-",
    "\u2194": "<->",
    "\u21d2": "=>",
    "\u21ba": "<-",
    "\u21b6": "<-",
    "\u2713": "OK",
    "\u2714": "OK",
    "\u2717": "X",
    "\u2718": "X",
    "\u25b6": ">",
    "\u25c0": "<",
    "\u25b2": "^",
    "\u25bc": "v",
    "\u23f8": "H",
}


def _box_ascii(name: str) -> str:
    """A box-drawing character by its name: a horizontal "-", a vertical "|", a corner "+"."""
    if "DIAGONAL" in name:
        return "X" if "CROSS" in name else "/" if "UPPER RIGHT" in name else "\\"
    across = any(word in name for word in ("HORIZONTAL", "LEFT", "RIGHT"))
    along = any(word in name for word in ("VERTICAL", " UP", "DOWN"))
    return "+" if across and along else "-" if across else "|" if along else "+"


def ascii_char(ch: str) -> str:
    """One character in ASCII: "–" -> "-", "é" -> "e", "≥" -> ">=", "┌" -> "+"; what has no
    spelling becomes "?" (two for a wide character, so columns still line up)."""
    if ch.isascii():
        return ch
    if (known := ASCII_FOR.get(ch)) is not None:
        return known
    name = unicodedata.name(ch, "")
    if name.startswith("BOX DRAWINGS"):
        return _box_ascii(name)
    parts = [c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)]
    spelled = "".join(c if c.isascii() else ASCII_FOR.get(c, "\0") for c in parts)
    if "\0" not in spelled:  # "é" is "e" and an accent; a lone accent spells as nothing
        return spelled
    if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return ""
    return "??" if unicodedata.east_asian_width(ch) in ("W", "F") else "?"


def to_ascii(text: str) -> str:
    """``text`` in ASCII only: "Kasubag – Umpeg “baru”" -> 'Kasubag - Umpeg "baru"'."""
    if text.isascii():
        return text
    return "".join(ascii_char(ch) for ch in text)
