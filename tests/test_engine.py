"""The domain rules, through the Python API: walks, loops, splits, joins, holds, errors."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from sopctl.errors import ConflictError, InvalidStateError, NotFoundError, UsageError
from sopctl.run.engine import Engine
from sopctl.run.instance import replay
from sopctl.store import Store
from sopctl.store.rows import projection
from tests.conftest import SOPS, WIB, WITA, Clock
from tests.flows import NESTED_LOOP, NO_LIMIT, PARALLEL, TIME_CELL, TWO_STARTS, catalog_of

PDK = "pengelolaan-data-kepegawaian"
SIMPEG = "pemeliharaan-simpeg"


def assert_projection_matches_log(engine: Engine, instance_id: str) -> None:
    events = engine.store.events(instance_id)
    flow = engine.flow_for_hash(events[0].data["sop_hash"])
    assert engine.store.projection_rows(instance_id) == projection(replay(events, flow), flow)


def walk(engine: Engine, clock: Clock, instance_id: str, moves: list[str], minutes: int = 10) -> None:
    """Each move is "done", or a branch label for a decision."""
    for move in moves:
        clock.advance(minutes=minutes)
        if move == "done":
            engine.done(instance_id, by="pegawai")
        else:
            engine.decide(instance_id, move, by="atasan")


def test_an_empty_reference_is_no_reference(engine: Engine) -> None:
    assert engine.start(PDK, "Mutasi", ref="  ").state.ref is None
    assert engine.start(PDK, "Mutasi", ref=" 800/12 ").state.ref == "800/12"


def test_personnel_sop_walk_with_correction_loop(engine: Engine, clock: Clock) -> None:
    view = engine.start(PDK, "Mutasi a.n. Siti Aminah", ref="800/12", by="admin")
    iid = view.state.id
    assert iid == "PDK-2026-0001"
    assert list(view.state.current) == [1]
    assert view.state.current[1].due_at == dt.datetime(2026, 3, 2, 8, 15, tzinfo=WIB)

    walk(engine, clock, iid, ["done", "done", "done", "Tidak", "done", "done", "ya"])
    state = engine.status(iid).state
    assert [(r.step, r.pass_no) for r in state.runs] == [
        (1, 1),
        (2, 1),
        (3, 1),
        (4, 1),
        (2, 2),
        (3, 2),
        (4, 2),
    ]
    assert state.runs[3].branch == "Tidak" and state.runs[3].target == 2 and state.runs[3].looped_back
    assert state.runs[6].branch == "Ya" and not state.runs[6].looped_back
    assert list(state.current) == [5]

    walk(engine, clock, iid, ["done"] * 6)
    final = engine.status(iid)
    assert final.state.state == "done"
    assert final.state.ended_at == clock.now
    assert final.state.current == {}
    assert len(final.state.runs) == 13
    assert_projection_matches_log(engine, iid)


def test_every_step_keeps_actual_and_standard_duration(engine: Engine, clock: Clock) -> None:
    iid = engine.start(PDK, "Kenaikan pangkat").state.id
    clock.advance(minutes=10)
    on_time = engine.done(iid, by="siti").state.runs[-1]
    clock.advance(minutes=45)
    late = engine.done(iid, by="siti").state.runs[-1]
    assert (on_time.working_seconds, on_time.limit_seconds, on_time.within) == (600, 900, True)
    assert (late.working_seconds, late.limit_seconds, late.within) == (2700, 1800, False)
    assert late.wall_seconds == 2700


def test_simpeg_walk_takes_every_correction_branch(engine: Engine, clock: Clock) -> None:
    clock.set("2026-04-06T08:00", WITA)
    iid = engine.start(SIMPEG, "Pemeriksaan SIMPEG April 2026").state.id
    assert iid == "SIMPEG-2026-0001"
    walk(
        engine,
        clock,
        iid,
        [
            "done",
            "done",
            "Ditemukan kerusakan",
            "done",
            "lengkap",
            "belum cukup",
            "Lengkap",
            "Lengkap",
            "belum cukup",
            "lengkap",
            "cukup",
            "done",
            "done",
            "done",
        ],
    )
    state = engine.status(iid).state
    assert state.state == "done"
    steps = [r.step for r in state.runs]
    assert steps == [1, 2, 3, 2, 3, 4, 3, 4, 5, 4, 5, 6, 7, 8]
    # Step 5 sends the report back into another decision (step 4).
    assert [(r.step, r.target) for r in state.runs if r.looped_back] == [(3, 2), (4, 3), (5, 4)]
    assert_projection_matches_log(engine, iid)


def test_day_limits_run_on_working_days_in_the_office_timezone(engine: Engine, clock: Clock) -> None:
    clock.set("2026-03-17T09:20", WITA)  # Tuesday before Nyepi and Idul Fitri
    iid = engine.start(SIMPEG, "Pemeriksaan SIMPEG Maret").state.id
    clock.set("2026-03-17T09:30", WITA)
    view = engine.done(iid, by="kasubid")
    # "1 hari": Wed 18 (cuti bersama), Thu 19 (Nyepi), Fri 20, Mon 23, Tue 24 (cuti) are closed.
    assert view.state.current[2].due_at == dt.datetime(2026, 3, 25, 9, 30, tzinfo=WITA)


def test_parallel_split_and_join_and_joint_step(tmp_path: Path, store: Store, clock: Clock) -> None:
    engine = Engine(store, catalog_of(tmp_path / "sops", PARALLEL), clock)
    iid = engine.start("paralel", "Kasus paralel").state.id
    clock.advance(minutes=5)
    assert list(engine.done(iid, by="a").state.current) == [2, 3]
    with pytest.raises(UsageError, match=r"steps 2, 3 are current.*--step N"):
        engine.done(iid, by="b")
    clock.advance(minutes=5)
    view = engine.done(iid, by="b", step=3)
    assert list(view.state.current) == [2]
    assert view.state.arrivals == {4: {3}}  # the join waits for step 2
    clock.advance(minutes=5)
    assert list(engine.done(iid, by="c", step=2).state.current) == [4]
    clock.advance(minutes=5)
    engine.done(iid, by="d")
    clock.advance(minutes=5)
    with pytest.raises(UsageError, match=r"done jointly by Kasubag, Kepala Dinas.*--as LANE"):
        engine.done(iid, by="e")
    with pytest.raises(UsageError, match="Staf is not a lane of step 5"):
        engine.done(iid, by="e", as_lane="staf")
    final = engine.done(iid, by="e", as_lane="Kepala Dinas")
    assert final.state.state == "done"
    assert final.state.runs[-1].actor == {
        "by": "e",
        "lane": "kadis",
        "name": None,
        "nip": None,
        "delegation": None,
        "verified": False,
    }
    assert_projection_matches_log(engine, iid)


def test_two_start_steps_meet_at_a_join(tmp_path: Path, store: Store, clock: Clock) -> None:
    engine = Engine(store, catalog_of(tmp_path / "sops", TWO_STARTS), clock)
    iid = engine.start("dua-awal", "Dua jalur").state.id
    assert list(engine.status(iid).state.current) == [1, 2]
    clock.advance(minutes=1)
    assert list(engine.done(iid, by="a", step=2).state.current) == [1]
    clock.advance(minutes=1)
    assert list(engine.done(iid, by="a", step=1).state.current) == [3]


def test_a_time_cell_spanning_two_rows_gives_both_one_deadline(
    tmp_path: Path, store: Store, clock: Clock
) -> None:
    engine = Engine(store, catalog_of(tmp_path / "sops", TIME_CELL), clock)
    iid = engine.start("sel-waktu", "Sel waktu").state.id
    due = engine.status(iid).state.current[1].due_at
    assert due == dt.datetime(2026, 3, 2, 9, 0, tzinfo=WIB)
    clock.advance(minutes=20)
    assert engine.done(iid, by="a").state.current[2].due_at == due


def test_a_late_step_inside_a_time_cell_names_the_limit_it_missed(
    tmp_path: Path, store: Store, clock: Clock
) -> None:
    # Step 2 has no time of its own ("-" in a merged cell): it shares step 1's "1 jam".
    from sopctl.views import status_json

    engine = Engine(store, catalog_of(tmp_path / "sops", TIME_CELL), clock)
    iid = engine.start("sel-waktu", "Sel waktu").state.id
    clock.advance(minutes=20)
    engine.done(iid, by="a")
    clock.advance(minutes=50)
    view = engine.done(iid, by="b")
    runs = status_json(view.state, view.flow, view.calendar, view.now)["history"]
    assert [(r["step"], r["limit"], r["within"]) for r in runs] == [
        (1, "1 jam", True),
        (2, "1 jam (1-2)", False),
    ]


def test_a_branch_back_into_another_decision(tmp_path: Path, store: Store, clock: Clock) -> None:
    engine = Engine(store, catalog_of(tmp_path / "sops", NESTED_LOOP), clock)
    iid = engine.start("loop-ganda", "Berkas").state.id
    walk(engine, clock, iid, ["done", "belum lengkap", "done", "lengkap", "tolak", "Lengkap", "setuju"])
    state = engine.status(iid).state
    assert [(r.step, r.pass_no) for r in state.runs] == [
        (1, 1),
        (2, 1),
        (1, 2),
        (2, 2),
        (3, 1),
        (2, 3),
        (3, 2),
    ]
    assert list(state.current) == [4]


def test_steps_without_a_limit_have_no_deadline(tmp_path: Path, store: Store, clock: Clock) -> None:
    engine = Engine(store, catalog_of(tmp_path / "sops", NO_LIMIT), clock)
    view = engine.start("tanpa-waktu", "Tanpa waktu")
    assert view.state.current[1].due_at is None
    clock.advance(days=30)
    assert engine.done(view.state.id, by="a").state.runs[-1].within is None


def test_hold_stops_the_clock_and_moves_the_due_time(engine: Engine, clock: Clock) -> None:
    clock.set("2026-03-06T16:00", WITA)  # Friday; the office closes at 16:30
    iid = engine.start(SIMPEG, "Perbaikan jaringan").state.id  # step 1: 30 Menit
    assert engine.status(iid).state.current[1].due_at == dt.datetime(2026, 3, 6, 16, 30, tzinfo=WITA)
    clock.set("2026-03-06T16:10", WITA)
    engine.hold(iid, reason="perbaikan oleh pihak ketiga")
    with pytest.raises(InvalidStateError, match="on hold"):
        engine.done(iid, by="kasubid")
    clock.set("2026-03-09T08:00", WITA)  # Monday: 20 + 30 working minutes on hold
    view = engine.resume(iid)
    assert view.state.current[1].due_at == dt.datetime(2026, 3, 9, 8, 20, tzinfo=WITA)
    assert view.state.held_seconds == 50 * 60
    clock.set("2026-03-09T08:15", WITA)
    run = engine.done(iid, by="kasubid").state.runs[-1]
    assert run.within
    assert run.working_seconds == 25 * 60  # 10 before the hold, 15 after
    assert run.held_seconds == 50 * 60
    assert_projection_matches_log(engine, iid)


def test_cancel_ends_an_instance_for_good(engine: Engine, clock: Clock) -> None:
    iid = engine.start(PDK, "Berkas ditarik").state.id
    clock.advance(minutes=5)
    view = engine.cancel(iid, reason="ditarik pemohon")
    assert (view.state.state, view.state.current) == ("cancelled", {})
    for action in (
        lambda: engine.done(iid, by="x"),
        lambda: engine.hold(iid, reason="x"),
        lambda: engine.resume(iid),
        lambda: engine.cancel(iid, reason="again"),
    ):
        with pytest.raises(InvalidStateError):
            action()
    assert_projection_matches_log(engine, iid)


def test_decisions_need_an_existing_branch(engine: Engine, clock: Clock) -> None:
    iid = engine.start(PDK, "Kasus").state.id
    walk(engine, clock, iid, ["done"] * 3)
    with pytest.raises(
        UsageError,
        match=r'no branch "mungkin" at step 4; its branches: Ya \(→ 5\), '
        r"Tidak \(→ 2\)",
    ):
        engine.decide(iid, "mungkin", by="budi")
    with pytest.raises(UsageError, match="step 4 is a decision: record its outcome with `sopctl decide"):
        engine.done(iid, by="budi")
    clock.advance(minutes=1)
    engine.decide(iid, "YA", by="budi")
    with pytest.raises(UsageError, match="step 5 is not a decision"):
        engine.decide(iid, "ya", by="budi")


def test_naming_a_step_that_is_not_current(engine: Engine, clock: Clock) -> None:
    iid = engine.start(PDK, "Kasus").state.id
    with pytest.raises(InvalidStateError, match=r"step 3 is not current in PDK-2026-0001 \(current: 1\)"):
        engine.done(iid, by="a", step=3)
    with pytest.raises(NotFoundError, match="has no symbol 42"):
        engine.done(iid, by="a", step=42)
    clock.advance(minutes=1)
    engine.done(iid, by="siti", step=1)
    # Someone who saw step 1 as current lost the race: a conflict, not a typo.
    with pytest.raises(ConflictError, match="step 1 is no longer current \\(done by siti"):
        engine.done(iid, by="budi", step=1)


def test_times_must_be_in_order_and_not_in_the_future(engine: Engine, clock: Clock) -> None:
    iid = engine.start(PDK, "Kasus").state.id
    clock.advance(hours=2)
    engine.done(iid, by="a", at=dt.datetime(2026, 3, 2, 9, 0))  # naive = office time (WIB)
    assert engine.status(iid).state.runs[0].completed_at == dt.datetime(2026, 3, 2, 9, 0, tzinfo=WIB)
    with pytest.raises(UsageError, match="before the instance's last event"):
        engine.done(iid, by="a", at=dt.datetime(2026, 3, 2, 8, 30))
    with pytest.raises(UsageError, match="is in the future"):
        engine.done(iid, by="a", at=clock.now + dt.timedelta(hours=1))
    assert len(engine.store.events(iid)) == 2  # nothing written by the refused commands


def test_backdated_start_numbers_by_the_year_it_happened(engine: Engine) -> None:
    view = engine.start(PDK, "Arsip 2025", at=dt.datetime(2025, 12, 30, 10, 0))
    assert view.state.id == "PDK-2025-0001"
    assert engine.start(PDK, "Baru").state.id == "PDK-2026-0001"
    assert engine.start(PDK, "Baru lagi").state.id == "PDK-2026-0002"


def test_unknown_ids_and_empty_input(engine: Engine) -> None:
    with pytest.raises(NotFoundError, match='no instance "PDK-2026-9999"'):
        engine.status("PDK-2026-9999")
    with pytest.raises(NotFoundError, match='no SOP "pengelolaan" in the catalogue'):
        engine.start("pengelolaan", "x")
    with pytest.raises(UsageError, match="title must not be empty"):
        engine.start(PDK, "  ")
    iid = engine.start(PDK, "Kasus").state.id
    with pytest.raises(UsageError, match="--by"):
        engine.done(iid, by=" ")
    with pytest.raises(UsageError, match="reason"):
        engine.hold(iid, reason="")


def test_an_instance_keeps_the_sop_it_started_with(tmp_path: Path, store: Store, clock: Clock) -> None:
    from sopctl.sop.loader import load_catalog

    folder = tmp_path / "sops"
    shutil.copytree(SOPS, folder)
    engine = Engine(store, lambda: load_catalog([folder]), clock, sops_dir=folder)
    iid = engine.start(PDK, "Kasus").state.id
    assert engine.status(iid).catalogue == "same"
    path = folder / f"{PDK}.yaml"
    path.write_text(path.read_text().replace("time: 15 Menit", "time: 45 Menit", 1))
    view = engine.status(iid)
    assert view.catalogue == "changed"
    assert view.flow.step(1).limit is not None and view.flow.step(1).limit.text == "15 Menit"
    path.unlink()
    assert engine.status(iid).catalogue == "missing"
    clock.advance(minutes=5)
    assert list(engine.done(iid, by="a").state.current) == [2]  # runs on the pinned copy


def test_the_catalogue_copy_is_found_by_id_when_its_file_was_renamed(
    tmp_path: Path, store: Store, clock: Clock
) -> None:
    from sopctl.sop.loader import load_catalog

    folder = tmp_path / "sops"
    shutil.copytree(SOPS, folder)
    engine = Engine(store, lambda: load_catalog([folder]), clock, sops_dir=folder)
    iid = engine.start(PDK, "Kasus").state.id
    path = folder / f"{PDK}.yaml"
    renamed = path.rename(folder / "kepegawaian.yaml")  # byte for byte the same SOP
    assert engine.status(iid).catalogue == "same"
    renamed.write_text(renamed.read_text().replace("Menerima data mutasi", "Menerima berkas mutasi", 1))
    assert engine.status(iid).catalogue == "changed"
    renamed.unlink()
    assert engine.status(iid).catalogue == "missing"


def test_store_refuses_an_append_on_a_stale_head(engine: Engine, clock: Clock) -> None:
    iid = engine.start(PDK, "Kasus").state.id
    stale = engine.load(iid)
    clock.advance(minutes=1)
    engine.done(iid, by="a")
    from sopctl.run.events import DONE, Event

    event = Event(iid, DONE, clock.now, clock.now, step=1, data={}).sealed(2, stale.state.last_hash)
    with pytest.raises(ConflictError):
        engine.store.append(event, stale.state, stale.flow)
    assert len(engine.store.events(iid)) == 2


def test_a_correction_back_into_one_branch_passes_the_join_again(
    tmp_path: Path, store: Store, clock: Clock
) -> None:
    from tests.flows import LOOP_INTO_BRANCH

    engine = Engine(store, catalog_of(tmp_path / "sops", LOOP_INTO_BRANCH), clock)
    iid = engine.start("loop-cabang", "Koreksi satu cabang").state.id
    for step in (1, 2, 3, 4):
        clock.advance(minutes=5)
        engine.done(iid, by="a", step=step)
    clock.advance(minutes=5)
    assert list(engine.decide(iid, "tidak", by="b").state.current) == [3]
    clock.advance(minutes=5)
    # Step 2 will not run again, so the join does not wait for it.
    view = engine.done(iid, by="a", step=3)
    assert list(view.state.current) == [4]
    assert view.state.passes[4] == 2
    walk(engine, clock, iid, ["done", "ya", "done"])
    assert engine.status(iid).state.state == "done"
    assert_projection_matches_log(engine, iid)


def test_an_engine_sees_what_another_engine_recorded(
    store: Store,
    catalog,
    clock: Clock,  # type: ignore[no-untyped-def]
) -> None:
    first = Engine(store, catalog, clock)
    second = Engine(store, catalog, clock)
    iid = first.start(PDK, "Dua admin").state.id
    assert list(first.status(iid).state.current) == [1]  # now in first's memory
    clock.advance(minutes=1)
    second.done(iid, by="siti")
    # first still remembers step 1, but the store has moved on: it reads the log again.
    assert list(first.status(iid).state.current) == [2]
    clock.advance(minutes=1)
    assert list(first.done(iid, by="siti", step=2).state.current) == [3]
    view = first.status(iid)
    view.state.current.clear()  # a caller scribbling on what it was given...
    assert list(first.status(iid).state.current) == [3]  # ...does not change the engine's copy


def test_on_the_wall_clock_nothing_is_called_working_time(tmp_path: Path, store: Store, clock: Clock) -> None:
    # clock: elapsed counts every minute, and "1 hari" is 24 hours: not working days.
    from sopctl.render.document import instance_document
    from sopctl.render.progress import completed_line

    data = {**TIME_CELL, "id": "dinding", "language": "en", "clock": "elapsed"}
    data["steps"] = [{**s, "time": "1 hari"} if s["step"] == 3 else s for s in data["steps"]]
    engine = Engine(store, catalog_of(tmp_path / "sops", data), clock)
    iid = engine.start("dinding", "Kasus").state.id
    clock.advance(minutes=20)
    view = engine.done(iid, by="a")
    assert view.flow.total_text("en") == "1 day 1 hour"
    assert completed_line(view).endswith("took 20 min (within the limit)")
    # The standard of the path so far: the cell of rows 1-2, then row 3's day once it runs.
    assert dict(instance_document(view).totals)["Standard"] == "1 hour"
    totals = dict(instance_document(engine.done(iid, by="a")).totals)
    assert "Total time" in totals and totals["Standard"] == "1 day 1 hour"
