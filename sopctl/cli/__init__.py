"""The ``sopctl`` command line: a thin layer over the library.

Each module registers its commands on :data:`sopctl.cli.registry.commands`, and
only the module of the command being run is imported (:mod:`sopctl.cli.registry`);
heavy imports happen inside the commands that need them.
"""

from __future__ import annotations

from sopctl.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app()
