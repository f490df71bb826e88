"""User text made inert for terminals and documents, and measured in terminal columns.

Titles, notes and activities are typed by people (or pasted from Word): a
control character in them must be shown, not obeyed, or an ESC sequence would
recolour or rewrite the admin's terminal and a NUL would break a document.
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


def shorten(text: str, width: int) -> str:
    """``text`` if it fits in ``width`` columns, else cut to fit with "…" at the end."""
    if cell_width(text) <= width:
        return text
    if text.isascii():  # one column a character: check cuts ~100,000 rows this way
        return text[: width - 1].rstrip() + "…"
    kept, used = "", 0
    for ch in text:
        used += cell_width(ch)
        if used > width - 1:
            break
        kept += ch
    return kept.rstrip() + "…"


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
