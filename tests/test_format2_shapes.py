"""Each shape format 2 holds, as a small SOP walked end to end through the engine: a start
and a process in one row, a process and its decision in one row, the same activity in lane A
or lane B by the path, a hand-over inside a row, several ends, a side path, alternative
starts, an application's lane; and loops decided by the printed order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sopctl.errors import NotPermittedError, UsageError
from sopctl.org import load_org
from sopctl.run.engine import Engine
from sopctl.run.reader import InstanceView
from sopctl.store import Store
from tests.conftest import Clock
from tests.flows import catalog_of

LANES = [
    {"id": "staf", "name": "Staf"},
    {"id": "teknis", "name": "Tim Teknis"},
    {"id": "umum", "name": "Bagian Umum"},
    {"id": "portal", "name": "Portal Pintar", "system": True},
]


def sop2(sop_id: str, rows: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"schema": 2, "id": sop_id, "name": f"Uji {sop_id}", "lanes": LANES, "rows": rows, **extra}


def row(no: int, *symbols: dict[str, Any], time: str | None = "30 menit", **extra: Any) -> dict[str, Any]:
    return {"row": no, "activity": f"Kegiatan {no}", "time": time, "symbols": list(symbols), **extra}


def sym(lanes: str, kind: str = "process", **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "lanes": lanes, **extra}


#: Row 1: a start and a process; row 2: a process and its decision; row 3: the same activity
#: by Tim Teknis or by Bagian Umum, by the branch taken; row 4: an end in each of their lanes.
GRID = sop2(
    "grid",
    [
        row(1, sym("staf", "start", text="Surat masuk", next="1b"), sym("staf", next="2a"), time="10 menit"),
        row(
            2,
            sym("staf", next="2b"),
            sym(
                "staf",
                "decision",
                text="Tujuan?",
                branches=[{"label": "Teknis", "to": "3a"}, {"label": "Umum", "to": "3b"}],
            ),
        ),
        row(3, sym("teknis", next="4a"), sym("umum", next="4b"), time="1 hari"),
        row(4, sym("teknis", "end"), sym("umum", "end"), time=None),
    ],
)

#: A clerk hands the letter to the Agendaris inside row 2: two symbols, one deadline.
HAND_OVER = sop2(
    "serah",
    [
        row(1, sym("staf", "start", next="2a"), time="10 menit"),
        row(2, sym("staf", next="2b"), sym("umum"), time="30 menit"),
        row(3, sym("teknis", "end"), time="1 jam"),
    ],
)

#: A check whose "Tidak" leaves the flow: the applicant is told what is missing, and it ends
#: there; "Ulang" returns to row 1.
SIDE_PATH = sop2(
    "sisi",
    [
        row(1, sym("staf", "start", next="2a")),
        row(
            2,
            sym(
                "staf",
                "decision",
                text="Lengkap?",
                branches=[
                    {"label": "Ya", "to": 3},
                    {"label": "Tidak", "to": "2b"},
                    {"label": "Ulang", "to": 1},
                ],
            ),
            sym("staf", next="2c"),
            sym("staf", "end"),
        ),
        row(3, sym("umum", "end")),
    ],
)

#: Two alternative starts ("Langsung ke Kantor" / "Via Email") that meet in row 2.
STARTS = sop2(
    "awal",
    [
        row(
            1,
            sym("umum", "start", text="Langsung ke Kantor", next=2),
            sym("staf", "start", text="Via Email", next=2),
        ),
        row(2, sym("portal", next=3)),
        row(3, sym("umum", "end")),
    ],
)

ORG = """\
schema: 1
people:
  - {nip: "19900101 201503 2 001", name: Rina Marlina, alias: rina, position: Bagian Umum}
  - {nip: "19850312 201001 1 004", name: Budi Santoso, alias: budi, position: Tim Teknis}
  - {nip: "19791120 200501 2 003", name: Sari Dewi, alias: sari, position: Staf}
"""


@pytest.fixture
def engine(tmp_path: Path, store: Store, clock: Clock) -> Engine:
    catalog = catalog_of(tmp_path / "sops", GRID, HAND_OVER, SIDE_PATH, STARTS)
    org = tmp_path / "org.yaml"
    org.write_text(ORG)
    return Engine(store, catalog, clock, people=load_org(org), os_user="admin")


def current(view: InstanceView) -> list[str]:
    return [view.flow.label(n) for n in view.state.current]


def test_a_start_and_a_process_in_one_row_and_a_process_and_its_decision_in_another(
    engine: Engine, clock: Clock
) -> None:
    view = engine.start("grid", "Surat 1")
    iid = view.state.id
    assert current(view) == ["1a"]
    first_due = view.state.current[view.flow.resolve("1a")].due_at  # type: ignore[index]
    clock.advance(minutes=4)
    view = engine.done(iid, by="sari")
    assert current(view) == ["1b"]
    # One row, one Waktu cell: the process that follows the start in row 1 has its deadline.
    assert view.state.current[view.flow.resolve("1b")].due_at == first_due  # type: ignore[index]
    clock.advance(minutes=4)
    view = engine.done(iid, by="sari", step="1b")
    assert current(view) == ["2a"]
    clock.advance(minutes=10)
    view = engine.done(iid, by="sari")
    assert current(view) == ["2b"]
    assert view.flow.step(view.flow.resolve("2b")).text == "Tujuan?"  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="step 2b is a decision"):
        engine.done(iid, by="sari")


@pytest.mark.parametrize(
    ("branch", "lane", "other", "doer", "symbols"),
    [
        ("Teknis", "teknis", "umum", "budi", ["3a", "4a"]),
        ("Umum", "umum", "teknis", "rina", ["3b", "4b"]),
    ],
)
def test_the_lane_on_the_path_and_only_it_does_a_path_chosen_activity(
    engine: Engine, clock: Clock, branch: str, lane: str, other: str, doer: str, symbols: list[str]
) -> None:
    iid = engine.start("grid", "Surat 2").state.id
    for _ in range(3):
        clock.advance(minutes=2)
        engine.done(iid, by="sari")
    view = engine.decide(iid, branch, by="sari")
    assert current(view) == [symbols[0]]
    assert [v.state.id for v in engine.summaries(lane=lane)] == [iid]
    assert [v.state.id for v in engine.summaries(lane=other)] == []
    wrong = {"budi": "rina", "rina": "budi"}[doer]
    with pytest.raises(NotPermittedError, match="may not act as"):
        engine.done(iid, by=wrong)
    assert current(engine.status(iid)) == [symbols[0]]  # nothing written
    clock.advance(minutes=30)
    view = engine.done(iid, by=doer, step="3")  # the row's No: only one of its symbols is current
    assert current(view) == [symbols[1]]
    view = engine.done(iid, by=doer)
    assert view.state.state == "done"
    ran = [view.flow.label(r.step) for r in view.state.runs]
    assert ran == ["1a", "1b", "2a", "2b", *symbols]
    assert not any(r.looped_back for r in view.state.runs)  # a forward branch is never a loop
    assert {r.actor["lane"] for r in view.state.runs[-2:]} == {lane}  # type: ignore[index]


def test_naming_a_row_of_several_symbols_or_one_that_is_not_current(engine: Engine, clock: Clock) -> None:
    iid = engine.start("grid", "Surat 3").state.id
    with pytest.raises(
        UsageError, match=r"^row 3 has 2 symbols: say which with --step \(3a \(Tim Teknis\); 3b"
    ):
        engine.done(iid, by="sari", step="3")
    with pytest.raises(UsageError, match=r"^step 3b is not current in GRI-2026-0001 \(current: 1a\)$"):
        engine.done(iid, by="rina", step="3b")


def test_a_hand_over_inside_a_row_records_each_actor_under_one_deadline(engine: Engine, clock: Clock) -> None:
    iid = engine.start("serah", "Surat").state.id
    clock.advance(minutes=5)
    view = engine.done(iid, by="sari")
    due = view.state.current[view.flow.resolve("2a")].due_at  # type: ignore[index]
    clock.advance(minutes=40)  # the clerk takes longer than the row's 30 menit
    view = engine.done(iid, by="sari")
    assert current(view) == ["2b"]
    assert view.state.current[view.flow.resolve("2b")].due_at == due  # already late: one deadline
    clock.advance(minutes=5)
    view = engine.done(iid, by="rina")
    runs = {view.flow.label(r.step): r for r in view.state.runs}
    assert (runs["2a"].actor["name"], runs["2b"].actor["name"]) == ("Sari Dewi", "Rina Marlina")  # type: ignore[index]
    assert runs["2a"].within is False and runs["2b"].within is False
    assert runs["2a"].timed and not runs["2b"].timed
    # The standard of the path: rows 1, 2 (once for the hand-over) and 3.
    from sopctl.views import totals_json

    clock.advance(minutes=5)
    view = engine.done(iid, by="budi")
    assert totals_json(view.state, view.flow, view.calendar, view.now)["standard"] == "1 jam 40 menit"


def test_a_side_path_ends_on_its_own_or_returns(engine: Engine, clock: Clock) -> None:
    iid = engine.start("sisi", "Berkas").state.id
    engine.done(iid, by="sari")
    view = engine.decide(iid, "Tidak", by="sari")
    assert current(view) == ["2b"]
    engine.done(iid, by="sari")
    view = engine.done(iid, by="sari")
    assert view.state.state == "done" and view.flow.label(view.state.runs[-1].step) == "2c"
    iid = engine.start("sisi", "Berkas lagi").state.id
    engine.done(iid, by="sari")
    view = engine.decide(iid, "Ulang", by="sari")
    assert current(view) == ["1"] and view.state.runs[-1].looped_back
    engine.done(iid, by="sari")
    assert current(engine.decide(iid, "Ya", by="sari")) == ["3"]


def test_alternative_starts_are_chosen_once(engine: Engine, clock: Clock) -> None:
    with pytest.raises(UsageError) as caught:
        engine.start("awal", "Surat")
    assert str(caught.value) == (
        'awal has 2 alternative starts: choose one with --from (1a "Langsung ke Kantor" (Bagian Umum); '
        '1b "Via Email" (Staf))'
    )
    with pytest.raises(UsageError, match=r'^no start "Pos" in awal; its start\(s\): 1a "Langsung'):
        engine.start("awal", "Surat", start="Pos")
    assert list(engine.summaries()) == []  # nothing was written
    view = engine.start("awal", "Surat", start="via email")
    assert current(view) == ["1b"]
    assert current(engine.start("awal", "Surat", start="1a")) == ["1a"]
    assert current(engine.start("awal", "Surat", start="Bagian Umum")) == ["1a"]  # its lane names it
    iid = view.state.id
    view = engine.done(iid, by="sari")
    assert current(view) == ["2"]
    # Row 2 is the portal's: whoever records it needs no entry in the organisation file.
    view = engine.done(iid, by="operator loket")
    run = view.state.runs[-1]
    assert run.actor == {
        "by": "operator loket",
        "lane": "portal",
        "name": "Portal Pintar",
        "nip": None,
        "delegation": None,
        "verified": True,
    }
    assert engine.status(iid).state.unverified_events == 0


def test_starts_that_open_together(tmp_path: Path, store: Store, clock: Clock) -> None:
    together = sop2(
        "bersama",
        [
            row(1, sym("staf", "start", next=2), sym("umum", "start", next=2)),
            row(2, sym("teknis", "end", join=True)),
        ],
        starts="together",
    )
    engine = Engine(store, catalog_of(tmp_path / "sops", together), clock)
    view = engine.start("bersama", "Rapat")
    assert current(view) == ["1a", "1b"]
    view = engine.done(view.state.id, by="a", step="1b")
    assert current(view) == ["1a"]
    view = engine.done(view.state.id, by="b")
    assert current(view) == ["2"]


def test_a_forward_branch_to_a_lower_number_printed_below_is_no_loop(
    tmp_path: Path, store: Store, clock: Clock
) -> None:
    # Format 1 allowed rows out of numeric order: here 3 is printed above 2.
    v1 = {
        "schema": 1,
        "id": "urutan",
        "name": "Urutan cetak",
        "lanes": [{"id": "staf", "name": "Staf"}],
        "steps": [
            {"step": 1, "kind": "start", "activity": "A", "lanes": ["staf"], "next": 3},
            {
                "step": 3,
                "kind": "decision",
                "activity": "B",
                "lanes": ["staf"],
                "branches": [{"label": "Ya", "to": 2}, {"label": "Tidak", "to": 1}],
            },
            {"step": 2, "kind": "end", "activity": "C", "lanes": ["staf"]},
        ],
    }
    engine = Engine(store, catalog_of(tmp_path / "sops", v1), clock)
    iid = engine.start("urutan", "Kasus").state.id
    engine.done(iid, by="a")
    view = engine.decide(iid, "Tidak", by="a")
    assert view.state.runs[-1].looped_back  # back up to the row printed first
    engine.done(iid, by="a")
    view = engine.decide(iid, "Ya", by="a")
    assert not view.state.runs[-1].looped_back  # down to the row printed below it


def _readme_example() -> str:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    after = readme.split("The shapes, in one small SOP", 1)[1]
    return after.split("```yaml\n", 1)[1].split("```", 1)[0]


@pytest.mark.parametrize(
    ("start", "branches", "ran"),
    [
        (
            "Langsung ke Kantor",
            ["Ya", "Teknis"],
            ["1a", "1b", "2a", "2b", "3a", "3b", "4", "5a", "5b", "6a", "7a"],
        ),
        ("Via Email", ["Ya", "Administratif"], ["1c", "2a", "2b", "3a", "3b", "4", "5a", "5b", "6b", "7b"]),
        ("via email", ["Tidak"], ["1c", "2a", "2b", "3a", "3b", "3c", "3d"]),
    ],
)
def test_the_readme_example_is_valid_and_runs_every_path(
    tmp_path: Path, store: Store, clock: Clock, start: str, branches: list[str], ran: list[str]
) -> None:
    folder = tmp_path / "sops"
    folder.mkdir()
    (folder / "contoh.yaml").write_text(_readme_example(), encoding="utf-8")
    from sopctl.sop.loader import load_catalog

    catalog = load_catalog([folder])
    assert catalog.problems == []
    engine = Engine(store, catalog, clock)
    view = engine.start("contoh-surat-masuk", "Surat", start=start)
    todo = list(branches)
    while view.state.state == "running":
        [number] = view.state.current
        clock.advance(minutes=1)
        if view.flow.step(number).kind == "decision":
            view = engine.decide(view.state.id, todo.pop(0), by="admin")
        else:
            view = engine.done(view.state.id, by="admin")
    assert [view.flow.label(r.step) for r in view.state.runs] == ran
    assert view.flow.total_text("id") is None  # total_time: none
