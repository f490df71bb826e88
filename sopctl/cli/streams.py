"""The standard streams: any locale can take sopctl's output, and a reader may leave early.

In the C locale (cron, a bare ``ssh`` session) Python's stdout is ASCII and a
"–" in an SOP title would end the command in a UnicodeEncodeError. The streams
get an error handler instead that spells what they cannot encode in ASCII
(:func:`sopctl.render.text.to_ascii`). That text may land in a CSV or JSON
document, so the handler never writes a double quote or a backslash, which
would end a field or a string early.

A reader that leaves (``sopctl log X | head -1``) ends the command quietly
with exit 0, as it does for other Unix tools: :func:`reader_may_leave` turns
the broken pipe into :class:`ReaderGone` before Typer's handler makes it exit
1, and :func:`reader_gone` points the stream at /dev/null so Python's last
flush has nothing to complain about.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import sys
from collections.abc import Iterator

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


class ReaderGone(Exception):
    """The reader of stdout or stderr closed the pipe: not an error, nothing more to say."""


@contextlib.contextmanager
def reader_may_leave() -> Iterator[None]:
    try:
        yield
    except BrokenPipeError as exc:
        raise ReaderGone from exc


def reader_gone() -> None:
    """Send what is still buffered for a stream whose reader left to /dev/null."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            with contextlib.suppress(OSError, ValueError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, stream.fileno())
                os.close(devnull)
        except (OSError, ValueError):
            pass
