"""The rich Console every command prints through."""

from __future__ import annotations

import os
from typing import TextIO

from rich.console import Console


def make_console(file: TextIO) -> Console:
    """A console on ``file``: colour only on a terminal without ``NO_COLOR``;
    width from ``COLUMNS`` when set (rich's default is the terminal's, else 80)."""
    return Console(
        file=file,
        highlight=False,
        # Titles, notes and activities are user text: "[draft]" must print as written.
        markup=False,
        no_color=bool(os.environ.get("NO_COLOR")),
        emoji=False,
    )
