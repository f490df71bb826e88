"""The ``sopctl`` command line: a thin layer over the library.

Each module registers its commands on :data:`sopctl.cli.app.app`; heavy
imports happen inside the commands that need them.
"""

from __future__ import annotations

# Registration order is the order of the panels in --help.
# isort: off
from sopctl.cli import demo, catalog, instances, views, monitor, export, audit, db  # noqa: F401

# isort: on
from sopctl.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app()
