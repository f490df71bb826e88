"""Another office PC for the backup tests: keeps recording steps until told to stop.

``python -m tests.busy_writer LOCATION STOP_FILE`` starts a case, completes its first
step, holds it and resumes it, again and again, each through the engine and in its own
transaction, until ``STOP_FILE`` exists. Any error ends it with exit 1 and the error on
stderr, for the test to show.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from sopctl.run.engine import Engine
from sopctl.sop.loader import load_catalog
from sopctl.store import open_store

SOPS = Path(__file__).resolve().parent.parent / "sops"
WIB = dt.timezone(dt.timedelta(hours=7))


class Ticking:
    """A clock one minute later at every look: each event is later than the one before."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 8, 0, tzinfo=WIB)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=1)
        return self.now


def main(location: str, stop_file: Path) -> int:
    store = open_store(location)
    engine = Engine(store, load_catalog([SOPS]), Ticking(), sops_dir=SOPS, os_user="pc-2")
    case = 0
    while not stop_file.exists():
        case += 1
        instance = engine.start("pengelolaan-data-kepegawaian", f"Kasus {case}").state.id
        engine.done(instance, by="siti")
        engine.hold(instance, reason="menunggu berkas")
        engine.resume(instance)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
