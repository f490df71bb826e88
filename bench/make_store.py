"""Generate a large sopctl store quickly, with the rows the engine itself writes.

Each instance of the personnel-data SOP is built the way ``Engine.start``/``done``/
``decide`` build it (the same events, the same ``apply``, the engine's own activator
for due times on the working-time calendar), but without a durable transaction per
step: rows go in with ``executemany`` and ``synchronous = OFF``. Open instances are
all built one by one, so their recorded times, due times and hash chains are exact.
Closed (finished) instances are copies of a few hundred finished templates with the
instance id and title replaced: their rows are valid for ``check``, ``status``,
``log`` and ``stats``, but their hash chains are not (``verify`` would flag them).

    python bench/make_store.py /tmp/big.db --instances 1000000 --open 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from common import PDK, SOPS

from sopctl.run.calendar import Calendar
from sopctl.run.engine import Engine
from sopctl.run.events import DECIDED, DONE, STARTED, Actor, Event
from sopctl.run.instance import Activation, InstanceState, apply
from sopctl.sop.loader import load_catalog
from sopctl.sop.procedure import Procedure
from sopctl.store import open_store
from sopctl.store.copies import PinnedSop
from sopctl.store.rows import current_rows, instance_row, run_row

WIB = ZoneInfo("Asia/Jakarta")
#: The moment the store is "seen" at: check runs --at this time.
AS_OF = dt.datetime(2026, 6, 1, 10, 0, tzinfo=WIB)
CLERK = "199001012015031001"
TEMPLATES = 400
Rows = dict[str, list[tuple[Any, ...]]]


class Builder:
    """Builds one instance's events and state exactly as the engine's commands do."""

    def __init__(self, engine: Engine, flow: Procedure, pin: PinnedSop, calendar: Calendar) -> None:
        self.engine, self.flow, self.pin, self.calendar = engine, flow, pin, calendar

    def _record(
        self, state: InstanceState | None, draft: Event, records: list[Activation]
    ) -> tuple[Event, InstanceState]:
        new = apply(state, draft, self.flow, self.engine._activator(self.flow, self.calendar, records))
        data = {**draft.data, "activated": [r.as_dict() for r in records]} if records else draft.data
        event = replace(draft, data=data).sealed(draft.seq, state.last_hash if state else draft.prev_hash)
        new.seq, new.last_hash, new.last_at = event.seq, event.hash, event.at
        return event, new

    def build(self, instance_id: str, started: dt.datetime, steps: int, loop: bool, rng: random.Random):
        """An instance started at ``started`` with ``steps`` steps completed (a loop counts 3)."""
        title = f"Mutasi pegawai {instance_id[-6:]}"
        draft = Event(
            instance_id,
            STARTED,
            started,
            started,
            actor=Actor(by="admin"),
            os_user="bench",
            seq=1,
            data={"sop_hash": self.pin.hash, "sop_version": self.pin.hash[:12], "title": title, "ref": None},
        )
        event, state = self._record(None, draft, [])
        events = [event]
        looped = False
        moment = started
        for _ in range(steps):
            if not state.current:
                break
            number = next(iter(state.current))
            step = self.flow.step(number)
            current = state.current[number]
            moment = self.calendar.next_open(moment + dt.timedelta(minutes=rng.randint(5, 90)))
            working = self.calendar.working_seconds(current.activated_at, moment) - current.held_seconds
            wall = int((moment - current.activated_at).total_seconds()) - current.held_wall_seconds
            data: dict[str, Any] = {"note": "berkas lengkap"}
            kind = DONE
            if step.kind == "decision":
                branch = step.branches[1] if loop and not looped else step.branches[0]
                looped = True
                kind, data = DECIDED, {"branch": branch.label, "to": branch.to, "note": "diperiksa"}
            data["timing"] = {"working_s": max(0, working), "wall_s": max(0, wall)}
            actor = Actor(by=CLERK, lane=step.lanes[0])
            draft = Event(
                instance_id,
                kind,
                moment,
                moment,
                step=number,
                actor=actor,
                os_user="bench",
                data=data,
                seq=state.seq + 1,
            )
            event, state = self._record(state, draft, [])
            events.append(event)
        return events, state

    def rows(self, events: list[Event], state: InstanceState) -> Rows:
        for table, dicts in (
            ("events", [e.to_row() for e in events[:1]]),
            ("instances", [instance_row(state)]),
            ("current_steps", current_rows(state, self.flow)[:1]),
            ("step_runs", [run_row(state, run) for run in state.runs[:1]]),
        ):
            if dicts and table not in KEYS:
                KEYS[table] = list(dicts[0])
        return {
            "events": [tuple(e.to_row().values()) for e in events],
            "instances": [tuple(instance_row(state).values())],
            "current_steps": [tuple(r.values()) for r in current_rows(state, self.flow)],
            "step_runs": [tuple(run_row(state, run).values()) for run in state.runs],
        }


#: Each table's column names, in the order of the rows' values (from the first row made).
KEYS: dict[str, list[str]] = {}


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def generate(path: Path, instances: int, open_: int, seed: int = 7) -> None:
    """Write ``instances`` instances (``open_`` of them running) into a new store at ``path``."""
    if path.exists():
        raise SystemExit(f"{path} exists: give a new file")
    catalog = load_catalog([SOPS])
    loaded = catalog.get(PDK)
    flow = loaded.procedure
    store = open_store(path)
    engine = Engine(store, catalog, lambda: AS_OF)
    calendar = engine.calendar_for(flow)
    pin = PinnedSop(loaded.digest, flow.id, loaded.path.name, loaded.text, loaded.definition())
    with store.transaction():
        store._pin(pin, AS_OF - dt.timedelta(days=1200))
    builder = Builder(engine, flow, pin, calendar)
    conn = store.conn
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -400000")
    order = {t: columns(conn, t) for t in ("events", "instances", "current_steps", "step_runs")}
    rng = random.Random(seed)
    counters: dict[str, int] = {}

    def next_id(started: dt.datetime) -> str:
        prefix = f"{flow.code}-{started.astimezone(WIB).year}"
        counters[prefix] = counters.get(prefix, 0) + 1
        return f"{prefix}-{counters[prefix]:04d}"

    def office_moment(low_days: float, high_days: float) -> dt.datetime:
        return calendar.next_open(AS_OF - dt.timedelta(days=rng.uniform(low_days, high_days)))

    # Finished templates, started on many different days over three years.
    templates = []
    for index in range(TEMPLATES):
        events, state = builder.build(f"TPL-{index:06d}", office_moment(30, 3 * 365), 20, index % 5 == 0, rng)
        assert not state.current
        templates.append(builder.rows(events, state))

    def batches() -> Iterator[Rows]:
        batch: Rows = {t: [] for t in order}
        open_every = instances / open_ if open_ else 0
        next_open_at = 0.0
        for index in range(instances):
            if open_ and index >= next_open_at:
                next_open_at += open_every
                started = office_moment(0, 60)
                loop = rng.random() < 0.2
                events, state = builder.build(
                    next_id(started), started, rng.randint(0, 9 + 3 * loop), loop, rng
                )
                rows = builder.rows(events, state)
            else:
                template = templates[index % TEMPLATES]
                started = dt.datetime.fromisoformat(template["instances"][0][6].replace("Z", "+00:00"))
                rows = copy_rows(template, next_id(started))
            for table, values in rows.items():
                batch[table].extend(values)
            if len(batch["instances"]) >= 20_000:
                yield batch
                batch = {t: [] for t in order}
        yield batch

    began = time.perf_counter()
    done = 0
    for batch in batches():
        with store.transaction():
            for table, values in batch.items():
                if not values:
                    continue
                # Named columns: the rows' values come in the order of sopctl.store.rows' dicts.
                names = KEYS[table]
                marks = ", ".join("?" for _ in names)
                conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", values)
        done += len(batch["instances"])
        print(f"\r{done:,} instances ({time.perf_counter() - began:.0f} s)", end="", flush=True)
    with store.transaction():
        for prefix, value in counters.items():
            store._execute("INSERT INTO id_counters (prefix, last_value) VALUES (?, ?)", (prefix, value))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    store.close()
    print(f"\n{path}: {instances:,} instances, {open_:,} open, in {time.perf_counter() - began:.0f} s")


def copy_rows(template: Rows, instance_id: str) -> Rows:
    """A finished template's rows under another id (its hash chain no longer verifies)."""
    title = f"Mutasi pegawai {instance_id[-6:]}"
    return {
        "events": [(instance_id, *row[1:]) for row in template["events"]],
        "instances": [(instance_id, row[1], row[2], title, *row[4:]) for row in template["instances"]],
        "current_steps": [],
        "step_runs": [(instance_id, *row[1:]) for row in template["step_runs"]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path", type=Path, help="the new store file")
    parser.add_argument("--instances", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=100_000, dest="open_")
    args = parser.parse_args()
    generate(args.path, args.instances, args.open_)


if __name__ == "__main__":
    main()
