"""The standard streams: any locale can take sopctl's output.

In the C locale (cron, a bare ``ssh`` session) Python's stdout is ASCII and a
"–" in an SOP title would end the command in a UnicodeEncodeError. The streams
get an error handler instead that spells what they cannot encode in ASCII
(:func:`sopctl.render.text.to_ascii`). That text may land in a CSV or JSON
document, so the handler never writes a double quote or a backslash, which
would end a field or a string early.
"""

from __future__ import annotations

import codecs
import io
import sys

from sopctl.render.text import ascii_char

ERRORS = "sopctl-ascii"


def _spell(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    text = "".join(ascii_char(ch) for ch in exc.object[exc.start : exc.end])
    return text.replace('"', "'").replace("\\", "/"), exc.end


codecs.register_error(ERRORS, _spell)


def tolerate_any_encoding() -> None:
    """Make stdout and stderr spell what their encoding lacks instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors != ERRORS:
            stream.reconfigure(errors=ERRORS)


def unicode_capable(stream: object) -> bool:
    """Whether ``stream`` takes any character: its encoding is a UTF (not ascii, latin-1)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    return str(encoding).lower().replace("_", "-").startswith("utf")
