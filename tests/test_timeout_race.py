"""Real processes that see the same due timeout at once (cron's `check`, an admin's `status`,
a clerk's `done`): it is recorded exactly once, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sopctl.audit import Auditor
from sopctl.config import load_config
from sopctl.run.deadlines import DeadlineCheck
from sopctl.run.engine import Engine
from sopctl.run.events import TIMED_OUT
from sopctl.sop.loader import load_catalog
from sopctl.store import open_store
from tests.conftest import WITA
from tests.test_processes import _racers

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "layanan"
#: After the applicant's 3 service days ran out (the timeout fell due 2026-11-26 09:20 WITA).
LATER = dt.datetime(2026, 11, 27, 10, 0, tzinfo=WITA)


def _engine(location: str, now: dt.datetime) -> Engine:
    calendars = load_config(EXAMPLE / "sopctl.yaml").calendars()
    return Engine(open_store(location), load_catalog([EXAMPLE / "sops"]), lambda: now, calendars=calendars)


def _observe(location: str, instance_id: str, barrier: Any, results: Any, who: str) -> None:
    engine = _engine(location, LATER)
    barrier.wait()
    try:
        kind = int(who.removeprefix("p")) % 3
        if kind == 0:
            rows = list(DeadlineCheck(engine, LATER, record=True))
            results.put((who, "check", ",".join(r.kind for r in rows)))
        elif kind == 1:
            results.put((who, "status", engine.status(instance_id).state.state))
        else:
            engine.done(instance_id, by=who, step="lengkapi")
            results.put((who, "done", "recorded"))
    except Exception as exc:  # a refused done is expected; anything else is reported
        results.put((who, type(exc).__name__, str(exc)))


def test_observers_racing_on_a_due_timeout_record_it_once(store_location: str) -> None:
    engine = _engine(store_location, dt.datetime(2026, 11, 23, 9, 30, tzinfo=WITA))
    at = dt.datetime(2026, 11, 23, 9, 0, tzinfo=WITA)
    iid = engine.start("surat-keterangan", "Balapan", at=at).state.id
    engine.done(iid, by="budi", at=at + dt.timedelta(minutes=5))
    engine.decide(iid, "Belum lengkap", by="ani", at=at + dt.timedelta(minutes=20))
    outcomes = _racers(_observe, store_location, iid, 6)
    events = engine.store.events(iid)
    timed = [e for e in events if e.type == TIMED_OUT]
    assert [e.at for e in timed] == [dt.datetime(2026, 11, 26, 9, 20, tzinfo=WITA)], outcomes
    assert events[-1].type == TIMED_OUT  # and nothing after it: the case is closed
    for who, kind, detail in outcomes:
        if kind == "ConflictError":  # a done that found the step timed out, as it should
            assert "timed out at 2026-11-26T09:20" in detail, (who, detail)
        else:
            assert kind in ("check", "status"), (who, kind, detail)
            assert detail in ("", "timed_out", "done"), (who, detail)
    assert list(Auditor(engine).verify_all()) == []
