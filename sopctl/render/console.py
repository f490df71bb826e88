"""The rich Console every command prints through.

A console on a stream that cannot encode Unicode (the C locale of a cron job)
draws as ``--ascii`` does: rich picks ASCII boxes itself when the stream's
encoding is not UTF, and commands that draw their own lines ask
:func:`draws_ascii`. With ``ascii_only`` the console writes pure ASCII even on
a UTF-8 terminal, SOP text included ("–" becomes "-").
"""

from __future__ import annotations

import errno
import io
import os
from typing import TextIO, cast

from rich.console import Console

from sopctl.render.text import to_ascii


class AsciiWriter(io.TextIOBase):
    """``file``, taking only ASCII: what is written is spelled with :func:`to_ascii`."""

    encoding = "ascii"  # rich reads it: not UTF, so ASCII boxes and rules

    def __init__(self, file: TextIO) -> None:
        self.file = file

    def write(self, text: str) -> int:
        self.file.write(to_ascii(text))
        return len(text)

    def flush(self) -> None:
        self.file.flush()

    def isatty(self) -> bool:
        return self.file.isatty()

    def fileno(self) -> int:
        return self.file.fileno()


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """The reader left (``| head -1``): rich would exit 1 here; the CLI's error boundary
        ends quietly with exit 0 instead, as other Unix tools do."""
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


def make_console(file: TextIO, *, ascii_only: bool = False) -> Console:
    """A console on ``file``: colour only on a terminal without ``NO_COLOR``;
    width from ``COLUMNS`` when set (rich's default is the terminal's, else 80);
    nothing but ASCII with ``ascii_only``."""
    return _Console(
        file=cast(TextIO, AsciiWriter(file)) if ascii_only else file,
        highlight=False,
        # Titles, notes and activities are user text: "[draft]" must print as written.
        markup=False,
        no_color=bool(os.environ.get("NO_COLOR")),
        emoji=False,
    )


def draws_ascii(console: Console) -> bool:
    """Whether ``console`` needs ASCII lines and marks: ``--ascii``, or a stream whose
    encoding (``LC_ALL=C``: ascii; latin-1) has no box drawing."""
    return console.options.ascii_only
