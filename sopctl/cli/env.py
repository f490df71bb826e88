"""What a command works with: catalogue, store, engine, clock and output streams.

Built once per invocation by the root callback from the global options, so
commands stay short and tests can swap the clock (:func:`utcnow`).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sopctl.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from sopctl.engine import Engine
    from sopctl.loader import Catalog
    from sopctl.store import Store


def utcnow() -> datetime:
    """The wall clock; the only place below ``main`` that reads it."""
    return datetime.now(UTC)


@dataclass
class Env:
    sops_dir: Path
    db_url: str | None = None
    org_path: Path | None = None
    config_path: Path | None = None
    _catalog: Catalog | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, repr=False)

    # -- output ----------------------------------------------------------------

    @property
    def out(self) -> Console:
        from sopctl.render.console import make_console

        return make_console(sys.stdout)

    @property
    def err(self) -> Console:
        from sopctl.render.console import make_console

        return make_console(sys.stderr)

    @staticmethod
    def print_json(data: Any) -> None:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")

    @staticmethod
    def say(message: str) -> None:
        """A message for the person (stderr), never data."""
        print(message, file=sys.stderr)

    # -- catalogue ---------------------------------------------------------------

    def catalog(self) -> Catalog:
        if self._catalog is None:
            from sopctl.loader import load_catalog

            if not self.sops_dir.is_dir():
                raise UsageError(
                    f"the catalogue folder {self.sops_dir} does not exist "
                    "(give --sops DIR or set SOPCTL_SOPS)"
                )
            self._catalog = load_catalog([self.sops_dir])
        return self._catalog

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
