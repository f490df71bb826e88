"""User text made inert for terminals and documents.

Titles, notes and activities are typed by people (or pasted from Word): a
control character in them must be shown, not obeyed, or an ESC sequence would
recolour or rewrite the admin's terminal and a NUL would break a document.
"""

from __future__ import annotations

import re

# C0 controls except newline, DEL and the C1 controls.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def inert(text: str) -> str:
    """ "a\\x1b[31mb" -> "a\\\\x1b[31mb": tabs become spaces, other controls visible escapes."""
    return _CONTROL.sub(lambda m: " " if m.group() == "\t" else f"\\x{ord(m.group()):02x}", text)
