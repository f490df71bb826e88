"""The ``sopctl`` command line: a thin layer over the library.

Each module registers its commands on :data:`sopctl.cli.app.app`; heavy
imports happen inside the commands that need them.
"""

from __future__ import annotations

from sopctl.cli import audit, catalog, db, demo, export, instances, monitor, views  # noqa: F401 (register)
from sopctl.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app()
