"""Time as real SOPs state it, through the engine: a wait on the applicant that stops the
office's clock, a symbol that waits for a period's end, a flow that times out by itself, a
service limit for the whole case, and calendars per SOP and per symbol (issue 18)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sopctl.errors import ConflictError, InvalidStateError, UsageError
from sopctl.run.calendar import CalendarError, Calendars, HolidayCalendar, OfficeHours
from sopctl.run.deadlines import DeadlineCheck
from sopctl.run.engine import Engine, period_end
from sopctl.run.events import TIMED_OUT
from sopctl.run.instance import replay
from sopctl.sop.durations import parse_limit
from sopctl.stats import compute
from sopctl.store import Store
from sopctl.store.rows import projection
from tests.conftest import WIB, Clock
from tests.flows import catalog_of

LANES = [
    {"id": "pemohon", "name": "Pemohon", "external": True},
    {"id": "staf", "name": "Petugas"},
    {"id": "kasi", "name": "Kepala Seksi"},
]


def row(no: int, *symbols: dict[str, Any], time: str | None = "30 menit", **extra: Any) -> dict[str, Any]:
    return {"row": no, "activity": f"Kegiatan {no}", "time": time, "symbols": list(symbols), **extra}


def sym(lanes: str, kind: str = "process", **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "lanes": lanes, **extra}


def sop2(sop_id: str, rows: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"schema": 2, "id": sop_id, "name": f"Uji {sop_id}", "lanes": LANES, "rows": rows, **extra}


#: A public service: the request is checked (row 2); incomplete, the applicant has 3 working
#: days to complete it (row 3) or it closes by itself (row 6); complete, the service limit of
#: 2 working days runs from row 4 to the end.
LAYANAN = sop2(
    "layanan",
    [
        row(1, sym("pemohon", "start"), time=None),
        row(
            2,
            sym(
                "staf",
                "decision",
                text="Lengkap?",
                branches=[{"label": "Lengkap", "to": "proses"}, {"label": "Belum", "to": "lengkapi"}],
            ),
        ),
        row(
            3,
            sym(
                "pemohon",
                id="lengkapi",
                waits_for="Pemohon",
                timeout={"after": "3 hari", "to": "tutup"},
                next=2,
            ),
            time=None,
        ),
        row(4, sym("kasi", id="proses"), time="1 hari"),
        row(5, sym("staf", "end"), time="30 menit"),
        row(6, sym("staf", "end", id="tutup"), time=None),
    ],
    service={"time": "2 hari", "from": "proses", "fee": "Gratis", "product": "Surat"},
)

#: The same service with more time for its steps (2 days, then 1) than for the case (2 days).
LAYANAN_LAMBAT = {
    **LAYANAN,
    "id": "layanan-lambat",
    "rows": [
        *LAYANAN["rows"][:3],
        {**LAYANAN["rows"][3], "time": "2 hari"},
        {**LAYANAN["rows"][4], "time": "1 hari"},
        LAYANAN["rows"][5],
    ],
}

#: A yearly report: row 2 is reached during the year and opens when the quarter ends; its
#: wait on the vendor times out to a reminder (row 3), not to an end.
TRIWULAN = sop2(
    "triwulan",
    [
        row(1, sym("staf", "start"), time="1 jam"),
        row(2, sym("kasi", opens={"after": "quarter"}), time="1 hari"),
        row(
            3,
            sym(
                "pemohon", id="vendor", waits_for="Vendor", timeout={"after": "2 hari", "to": "ingat"}, next=5
            ),
            time=None,
        ),
        row(4, sym("staf", id="ingat", next="vendor"), time="1 jam"),
        row(5, sym("kasi", "end"), time="30 menit"),
    ],
)

#: The same service on service hours, with an online step that runs round the clock.
JAM_LAYANAN = sop2(
    "jam-layanan",
    [
        row(1, sym("pemohon", "start", calendar="always", next=2), time="2 jam"),
        row(2, sym("staf"), time="1 jam"),
        row(3, sym("kasi", "end"), time="30 menit"),
    ],
    calendar="layanan",
)

#: Public service hours: Mon-Thu 08:00-15:30, Fri 08:00-16:00, no break.
SERVICE_HOURS = OfficeHours(
    {
        **{d: ((8 * 3600, 15 * 3600 + 1800),) for d in range(4)},
        4: ((8 * 3600, 16 * 3600),),
    }
)

#: Nyepi and the cuti bersama after it (2026-03-19, 2026-03-20), and New Year's Day 2027.
CLOSED = {
    dt.date(2026, 3, 19): "Hari Suci Nyepi",
    dt.date(2026, 3, 20): "Cuti bersama Nyepi",
    dt.date(2027, 1, 1): "Tahun Baru 2027 Masehi",
}


def calendars() -> Calendars:
    return Calendars(
        closed=HolidayCalendar(lambda year: {d: n for d, n in CLOSED.items() if d.year == year}),
        named={"layanan": SERVICE_HOURS},
    )


@pytest.fixture
def engine(tmp_path: Path, store: Store, clock: Clock) -> Engine:
    catalog = catalog_of(tmp_path / "sops", LAYANAN, LAYANAN_LAMBAT, TRIWULAN, JAM_LAYANAN)
    return Engine(store, catalog, clock, calendars=calendars(), os_user="admin")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=WIB)


def incomplete(engine: Engine, clock: Clock, when: str = "2026-03-02T08:00") -> str:
    """A request checked and found incomplete at ``when`` + 10 minutes: the applicant is awaited."""
    clock.set(when)
    iid = engine.start("layanan", "Permohonan").state.id
    engine.done(iid, by="budi")
    clock.advance(minutes=10)
    engine.decide(iid, "Belum", by="ani")
    return iid


def events_of(engine: Engine, iid: str, kind: str) -> list[Any]:
    return [e for e in engine.store.events(iid) if e.type == kind]


# -- waiting on someone outside the office -------------------------------------------------


def test_a_wait_on_the_applicant_has_no_officials_deadline_and_its_time_is_not_the_offices(
    engine: Engine, clock: Clock
) -> None:
    iid = incomplete(engine, clock)
    view = engine.status(iid)
    wait = view.state.current[view.flow.resolve("lengkapi")]  # type: ignore[index]
    assert wait.due_at is None  # no official is late while the applicant is awaited
    assert wait.timeout_at == at("2026-03-05T08:10")  # 3 working days
    clock.set("2026-03-04T10:10")  # two days and two hours later the documents come
    engine.done(iid, by="budi")
    clock.advance(minutes=20)
    engine.decide(iid, "Lengkap", by="ani")
    from sopctl.views import totals_json

    view = engine.status(iid)
    totals = totals_json(view.state, view.flow, view.calendar, clock.now)
    # 10 + 20 minutes of checking are the office's; the 2 days and 2 hours waited are not.
    assert totals["working_minutes"] == 30
    assert totals["waited_working_minutes"] == (2 * 510 + 120)  # 8.5-hour office days


def test_a_wait_that_times_out_closes_the_case_at_the_moment_it_fell_due_once(
    engine: Engine, clock: Clock
) -> None:
    iid = incomplete(engine, clock)
    clock.set("2026-03-09T09:00")  # found days later, by whoever looks first
    view = engine.status(iid)
    assert view.state.state == "done"
    [event] = events_of(engine, iid, TIMED_OUT)
    assert event.at == at("2026-03-05T08:10")  # when it fell due, not when it was seen
    assert event.entered_at == clock.now
    last = view.state.runs[-1]
    assert (last.timed_out, last.target, last.actor) == (True, view.flow.resolve("tutup"), None)
    assert view.state.ended_at == event.at
    engine.status(iid)
    assert len(events_of(engine, iid, TIMED_OUT)) == 1  # seen again: nothing more is written


def test_the_next_done_records_a_due_timeout_before_it_and_is_then_refused(
    engine: Engine, clock: Clock
) -> None:
    iid = incomplete(engine, clock)
    clock.set("2026-03-06T08:00")
    with pytest.raises(ConflictError, match="step 3 timed out at 2026-03-05T08:10"):
        engine.done(iid, by="budi", step="lengkapi")
    assert len(events_of(engine, iid, TIMED_OUT)) == 1


def test_a_done_entered_late_for_a_moment_before_the_timeout_is_recorded_first(
    engine: Engine, clock: Clock
) -> None:
    iid = incomplete(engine, clock)
    clock.set("2026-03-06T08:00")  # the timeout fell due yesterday at 08:10 ...
    # ... but the applicant completed the documents on the 4th: that comes first, and then
    # there is nothing to time out.
    engine.done(iid, by="budi", step="lengkapi", at=at("2026-03-04T09:00"))
    view = engine.status(iid)
    assert view.state.state == "running"
    assert not events_of(engine, iid, TIMED_OUT)
    assert [view.flow.label(n) for n in view.state.current] == ["2"]


def test_a_timeout_that_falls_due_while_the_case_is_held_waits_for_the_hold(
    engine: Engine, clock: Clock
) -> None:
    iid = incomplete(engine, clock)  # times out at 2026-03-05 08:10
    clock.set("2026-03-03T08:10")
    engine.hold(iid, reason="Server kecamatan mati")
    clock.set("2026-03-09T08:10")  # the timeout's moment passed during the hold
    assert engine.status(iid).state.state == "held"
    assert not events_of(engine, iid, TIMED_OUT)
    view = engine.resume(iid)
    wait = view.state.current[view.flow.resolve("lengkapi")]  # type: ignore[index]
    # Held from Tue 3rd 08:10 to Mon 9th 08:10: Nyepi and its cuti bersama (19th, 20th) are
    # later; the 4 working days of the hold move the timeout from Thu 5th to Wed 11th.
    assert wait.timeout_at == at("2026-03-11T08:10")
    clock.set("2026-03-11T08:09")
    assert engine.status(iid).state.state == "running"
    clock.set("2026-03-11T08:10")
    assert engine.status(iid).state.state == "done"
    assert [e.at for e in events_of(engine, iid, TIMED_OUT)] == [at("2026-03-11T08:10")]


def test_a_wait_spanning_a_holiday_and_cuti_bersama_times_out_after_three_working_days(
    engine: Engine, clock: Clock
) -> None:
    iid = incomplete(engine, clock, "2026-03-18T14:00")  # Wednesday before Nyepi
    view = engine.status(iid)
    wait = view.state.current[view.flow.resolve("lengkapi")]  # type: ignore[index]
    # Thu 19 (Nyepi) and Fri 20 (cuti bersama) are closed, then the weekend: Mon 23, Tue 24,
    # Wed 25 are the three working days.
    assert wait.timeout_at == at("2026-03-25T14:10")


def test_a_timeout_into_a_process_step_opens_it_with_its_own_deadline(engine: Engine, clock: Clock) -> None:
    clock.set("2026-03-02T08:00")
    iid = engine.start("triwulan", "Laporan Q1", at=at("2026-03-02T08:00")).state.id
    engine.done(iid, by="ani")
    clock.set("2026-04-01T09:00")
    engine.done(iid, by="kasi")  # row 2, open since the quarter ended
    clock.set("2026-04-06T09:00")  # the vendor's 2 days (Apr 2, Apr 3 -> Mon 6 at 09:00)
    view = engine.status(iid)
    [event] = events_of(engine, iid, TIMED_OUT)
    assert event.at == at("2026-04-03T09:00")
    reminder = view.state.current[view.flow.resolve("ingat")]  # type: ignore[index]
    assert (reminder.activated_at, reminder.due_at) == (event.at, at("2026-04-03T10:00"))


# -- waiting until a period ends -------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "period", "day", "opens"),
    [
        ("2026-11-17T10:00", "quarter", None, "2027-01-01T00:00"),
        ("2026-03-31T23:59", "quarter", None, "2026-04-01T00:00"),
        ("2026-04-01T00:00", "quarter", None, "2026-07-01T00:00"),
        ("2026-12-20T10:00", "month", 5, "2027-01-05T00:00"),
        ("2026-02-10T10:00", "half", None, "2026-07-01T00:00"),
        ("2026-08-10T10:00", "year", None, "2027-01-01T00:00"),
    ],
)
def test_period_ends_in_the_offices_timezone(moment: str, period: str, day: int | None, opens: str) -> None:
    assert period_end(at(moment), period, day) == at(opens)


def test_a_symbol_reached_before_the_quarter_ends_is_pending_not_late(engine: Engine, clock: Clock) -> None:
    clock.set("2026-11-17T10:00")
    iid = engine.start("triwulan", "Laporan Q4").state.id
    engine.done(iid, by="ani")
    view = engine.status(iid)
    report = view.state.current[view.flow.resolve("2")]  # type: ignore[index]
    # It opens at the quarter's end, New Year's Day, a holiday: its "1 hari" counts from the
    # next opening (Sat 2nd and Sun 3rd closed too): Mon 4 January 07:30 + 1 working day.
    assert report.activated_at == at("2027-01-01T00:00")
    assert report.due_at == at("2027-01-05T07:30")
    clock.set("2026-12-31T16:00")
    assert not list(DeadlineCheck(engine, clock.now))  # pending, not late
    with pytest.raises(InvalidStateError, match="opens at 2027-01-01T00:00"):
        engine.done(iid, by="kasi")
    clock.set("2027-01-06T08:00")
    [due] = list(DeadlineCheck(engine, clock.now))
    assert (due.symbol, due.overdue, due.kind) == ("2", True, "step")


# -- timeouts in check -----------------------------------------------------------------------


def test_check_at_a_moment_reports_a_due_timeout_and_writes_nothing(engine: Engine, clock: Clock) -> None:
    iid = incomplete(engine, clock)
    clock.set("2026-03-09T09:00")
    before = len(engine.store.events(iid))
    for moment in (at("2026-03-06T09:00"), clock.now):  # in the past, and now, without recording
        [row] = list(DeadlineCheck(engine, moment))
        assert (row.kind, row.symbol, row.overdue, row.due_at) == (
            "timeout",
            "3",
            False,
            at("2026-03-05T08:10"),
        )
    assert len(engine.store.events(iid)) == before
    assert not list(DeadlineCheck(engine, at("2026-03-05T08:09")))  # before it fell due


def test_check_of_now_records_a_due_timeout_once(engine: Engine, clock: Clock) -> None:
    iid = incomplete(engine, clock)
    clock.set("2026-03-09T09:00")
    [row] = list(DeadlineCheck(engine, clock.now, record=True))
    assert (row.kind, row.symbol, row.due_at) == ("timed_out", "3", at("2026-03-05T08:10"))
    assert row.as_dict()["kind"] == "timed_out"
    assert engine.status(iid).state.state == "done"
    assert not list(DeadlineCheck(engine, clock.now, record=True))
    assert len(events_of(engine, iid, TIMED_OUT)) == 1


def test_two_observers_with_the_same_stale_view_record_the_timeout_once(
    engine: Engine, clock: Clock, store: Store
) -> None:
    """Two commands that read the instance before either wrote: the second one's append
    conflicts, it reads the log again, and finds nothing left to record."""
    iid = incomplete(engine, clock)
    clock.set("2026-03-09T09:00")
    other = Engine(store, engine.catalog(), clock, calendars=calendars(), os_user="cron")
    stale = other._to_change(iid)  # read before the first observer writes
    engine.status(iid)
    real_to_change = other._to_change
    calls = iter([stale])
    other._to_change = lambda i: next(calls, None) or real_to_change(i)  # type: ignore[method-assign]
    other.status(iid)
    assert len(events_of(engine, iid, TIMED_OUT)) == 1
    assert other.status(iid).state.state == "done"


# -- the service limit ---------------------------------------------------------------------


def test_the_service_limit_runs_from_its_symbol_and_ends_with_the_case(engine: Engine, clock: Clock) -> None:
    clock.set("2026-03-02T08:00")
    iid = engine.start("layanan", "Permohonan").state.id
    engine.done(iid, by="budi")
    clock.advance(minutes=10)
    assert engine.status(iid).state.service is None  # the requirements are not complete yet
    engine.decide(iid, "Lengkap", by="ani")
    service = engine.status(iid).state.service
    assert service is not None
    assert (service.started_at, service.due_at) == (at("2026-03-02T08:10"), at("2026-03-04T08:10"))
    clock.set("2026-03-03T08:05")
    engine.done(iid, by="kasi")
    clock.set("2026-03-03T08:20")
    view = engine.done(iid, by="ani")
    service = view.state.service
    assert service is not None
    assert (service.ended_at, service.within, service.working_s) == (clock.now, True, (510 + 10) * 60)
    assert [r["step"] for r in engine.store.current_steps(iid)] == []


def test_check_reports_a_case_over_its_service_limit_when_no_step_is_late(
    engine: Engine, clock: Clock
) -> None:
    clock.set("2026-03-02T08:00")
    iid = engine.start("layanan-lambat", "Permohonan").state.id
    engine.done(iid, by="budi")
    engine.decide(iid, "Lengkap", by="ani")  # the service's 2 days: due Wed 4th 08:00
    clock.set("2026-03-04T07:40")
    engine.done(iid, by="kasi")  # row 4's 2 days: due 08:00, done in time; row 5 has a day
    clock.set("2026-03-04T09:00")
    rows = list(DeadlineCheck(engine, clock.now))
    assert [(r.kind, r.symbol, r.overdue) for r in rows] == [("service", "-", True)]
    [row] = rows
    assert (row.due_at, row.late_working_seconds, row.lane_names) == (
        at("2026-03-04T08:00"),
        3600,
        ("Petugas",),
    )
    assert row.as_dict()["kind"] == "service"
    # Within a warning window of 2 hours before it falls due, it is reported as due soon.
    clock.set("2026-03-04T06:30")
    [soon] = list(DeadlineCheck(engine, at("2026-03-03T15:00"), warn_before=parse_limit("2 jam")))
    assert (soon.kind, soon.overdue) == ("service", False)


def test_stats_give_the_share_of_cases_done_within_the_service_limit(engine: Engine, clock: Clock) -> None:
    for day, kasi_at in (("02", "2026-03-02T09:00"), ("03", "2026-03-06T09:00")):
        clock.set(f"2026-03-{day}T08:00")
        iid = engine.start("layanan", f"Permohonan {day}").state.id
        engine.done(iid, by="budi")
        engine.decide(iid, "Lengkap", by="ani")
        clock.set(kasi_at)
        engine.done(iid, by="kasi")
        engine.done(iid, by="ani")
    [service] = compute(engine)["services"]  # the second took a working day too long
    assert (service["sop"], service["count"], service["within_pct"], service["limit"]) == (
        "layanan",
        2,
        50.0,
        "2 hari",
    )


def test_the_wait_on_the_applicant_stops_the_service_clock(engine: Engine, clock: Clock) -> None:
    data = {**LAYANAN, "id": "layanan-awal", "service": {"time": "2 hari"}}  # from the start
    folder = Path(engine.catalog().sops["layanan"].path).parent  # type: ignore[union-attr]
    catalog = catalog_of(folder, data)
    engine = Engine(engine.store, catalog, clock, calendars=calendars())
    clock.set("2026-03-02T08:00")
    iid = engine.start("layanan-awal", "Permohonan").state.id
    engine.done(iid, by="budi")
    engine.decide(iid, "Belum", by="ani")
    clock.set("2026-03-03T08:00")  # the applicant took a working day
    engine.done(iid, by="budi")
    service = engine.status(iid).state.service
    assert service is not None
    assert (service.due_at, service.paused_s) == (at("2026-03-05T08:00"), 510 * 60)


# -- calendars -------------------------------------------------------------------------------


def test_an_sop_on_service_hours_and_a_symbol_round_the_clock(engine: Engine, clock: Clock) -> None:
    clock.set("2026-03-06T15:00")  # Friday: service hours close at 16:00
    view = engine.start("jam-layanan", "Daring")
    online = view.state.current[view.flow.resolve("1")]  # type: ignore[index]
    assert online.due_at == at("2026-03-06T17:00")  # round the clock: 2 hours are 2 hours
    clock.set("2026-03-06T15:30")
    view = engine.done(view.state.id, by="budi")
    staff = view.state.current[view.flow.resolve("2")]  # type: ignore[index]
    # 30 service minutes on Friday, then Monday from 08:00 (not the office's 07:30).
    assert staff.due_at == at("2026-03-09T08:30")


def test_an_sop_naming_a_calendar_the_site_config_lacks_is_refused_at_start(
    tmp_path: Path, store: Store, clock: Clock
) -> None:
    catalog = catalog_of(tmp_path / "sops", JAM_LAYANAN)
    engine = Engine(store, catalog, clock)
    with pytest.raises(CalendarError, match='calendar "layanan", which the site config does not define'):
        engine.start("jam-layanan", "x")
    assert isinstance(CalendarError("x"), UsageError)
    assert store.counts()["instances"] == 0


# -- the record --------------------------------------------------------------------------------


def test_the_projection_of_waits_timeouts_and_service_limits_is_what_the_log_replays(
    engine: Engine, clock: Clock, store: Store
) -> None:
    iid = incomplete(engine, clock)
    clock.set("2026-03-09T09:00")
    engine.status(iid)
    done = engine.start("layanan", "Lengkap").state.id
    engine.done(done, by="budi")
    engine.decide(done, "Lengkap", by="ani")
    for instance in (iid, done):
        events = store.events(instance)
        flow = engine.flow_for_hash(events[0].data["sop_hash"])
        assert store.projection_rows(instance) == projection(replay(events, flow), flow)
    # The running case's service limit is a row of its own, step 0, found by `check`.
    assert [r["step"] for r in store.current_steps(done)] == [0, 4]


def test_json_rows_of_service_limits_and_timeouts_are_what_json_writes(engine: Engine, clock: Clock) -> None:
    import json

    from sopctl.run.deadlines import DueStepEncoder

    waiting = incomplete(engine, clock)
    clock.set("2026-03-02T08:00")
    late = engine.start("layanan-lambat", "Lambat").state.id
    engine.done(late, by="budi")
    engine.decide(late, "Lengkap", by="ani")
    clock.set("2026-03-09T09:00")
    rows = list(DeadlineCheck(engine, clock.now))
    assert {(r.instance_id, r.kind) for r in rows} == {
        (waiting, "timeout"),
        (late, "step"),
        (late, "service"),
    }
    encoder = DueStepEncoder()
    for row in rows:
        assert encoder.encode(row) == json.JSONEncoder(ensure_ascii=False).encode(row.as_dict())
    timeout = next(r.as_dict() for r in rows if r.kind == "timeout")
    assert (timeout["late_by"], timeout["due_in_minutes"], timeout["overdue"]) == (None, None, False)


def test_late_by_figures_are_counted_on_the_symbols_own_calendar(engine: Engine, clock: Clock) -> None:
    from sopctl.views import status_json

    clock.set("2026-03-06T15:00")  # Friday
    iid = engine.start("jam-layanan", "Daring").state.id  # online: due 17:00, round the clock
    clock.set("2026-03-06T18:00")
    view = engine.status(iid)
    [row] = status_json(view.state, view.flow, view.calendar, view.now, calendars=view.calendars)["current"]
    # An hour late on the online step's own clock; on service hours (closed since 16:00) none.
    assert row["late_by"] == {"working_minutes": 60, "wall_minutes": 60}
    [due] = list(DeadlineCheck(engine, clock.now))
    assert due.late_working_seconds == 3600


@pytest.mark.parametrize(
    ("started", "reached", "current_from"),
    [
        ("2026-11-02T08:00", "2026-11-03T08:00", "2027-01-01T00:00"),  # pending until the year ends
        ("2026-12-21T08:00", "2027-01-11T08:00", "2027-01-11T08:00"),  # the year already ended
    ],
)
def test_a_period_of_the_cases_start_opens_once_and_never_waits_for_a_later_one(
    tmp_path: Path, store: Store, clock: Clock, started: str, reached: str, current_from: str
) -> None:
    lkip = sop2(
        "lkip",
        [
            row(1, sym("staf", "start"), time="1 jam"),
            row(2, sym("kasi", opens={"after": "year", "of": "start"}), time="1 hari"),
            row(3, sym("kasi", "end"), time="30 menit"),
        ],
    )
    engine = Engine(store, catalog_of(tmp_path / "sops", lkip), clock, calendars=calendars())
    clock.set(started)
    iid = engine.start("lkip", "LKIP").state.id
    clock.set(reached)
    view = engine.done(iid, by="ani", at=at(reached))
    assert view.state.current[view.flow.resolve("2")].activated_at == at(current_from)  # type: ignore[index]
