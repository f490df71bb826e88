"""Every path of the two BPS Bengkulu reference SOPs walked to its end through the engine:
each start, each branch of every decision, the parallel split and its join, the correction
loops; which symbols are current at each point, which end is reached, and which flows count
as a correction loop. With an organisation file, who may act where."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from sopctl.errors import NotPermittedError, UsageError
from sopctl.org import load_org
from sopctl.run.engine import Engine
from sopctl.sop.loader import Catalog
from sopctl.store import Store
from tests.conftest import WIB, Clock
from tests.test_engine import assert_projection_matches_log

LETTERS = "pengelolaan-surat-masuk"
PERFORMANCE = "pengumpulan-data-capaian-kinerja"


def current_names(engine: Engine, iid: str) -> list[str]:
    """The current symbols by name, in the document's order."""
    view = engine.status(iid)
    return [view.flow.label(n) for n in view.flow.steps if n in view.state.current]


def walk(engine: Engine, clock: Clock, iid: str, choices: dict[str, list[str]]) -> list[list[str]]:
    """Act on the first current symbol until the case ends, a decision taking the branches
    ``choices`` gives it, one per pass; returns what was current before each move."""
    left: dict[str, Iterator[str]] = {name: iter(labels) for name, labels in choices.items()}
    seen: list[list[str]] = []
    while engine.status(iid).state.state == "running":
        assert len(seen) < 100, f"the walk did not end: {seen[-5:]}"
        names = current_names(engine, iid)
        seen.append(names)
        name = names[0]
        view = engine.status(iid)
        flow = view.flow
        step = flow.step(flow.resolve(name) or 0)
        # A symbol waiting for a period's end (PDCK row 11, after the year): wait with it.
        clock.now = max(clock.now, view.state.current[step.number].activated_at)
        clock.advance(minutes=1)
        # A joint symbol (the meeting) is done once, in one of its lanes: say which.
        if step.kind == "decision":
            engine.decide(iid, next(left[name]), by="pegawai", step=name, as_lane=step.lanes[0])
        else:
            engine.done(iid, by="pegawai", step=name, as_lane=step.lanes[0])
    assert all(next(labels, None) is None for labels in left.values()), "a choice was not used"
    return seen


def runs(engine: Engine, iid: str) -> list[tuple[str, int, str | None, bool]]:
    """The completed passes: (symbol, pass, branch taken, counted as a correction loop)."""
    view = engine.status(iid)
    return [(view.flow.label(r.step), r.pass_no, r.branch, r.looped_back) for r in view.state.runs]


# -- Pengelolaan Surat Masuk: each start, each branch -------------------------------------------

LETTER_PATHS = [
    # (start as named, choices, symbols current one after the other)
    (
        "Langsung ke Kantor",
        {"5a": ["Ya"], "5c": ["Ya"], "8b": ["Teknis"]},
        ["1a", "2", "4a", "5a", "5c", "8a", "8b", "9a", "10a", "11a"],
    ),
    ("1a", {"5a": ["Ya"], "5c": ["Tidak"]}, ["1a", "2", "4a", "5a", "5c", "11c"]),
    (
        "langsung ke kantor",
        {"5a": ["Tidak"], "8b": ["Administratif"]},
        ["1a", "2", "4a", "5a", "6a", "7", "8a", "8b", "9b", "10b", "11b"],
    ),
    (
        "Via Email",
        {"5b": ["Ya"], "5c": ["Ya"], "8b": ["Administratif"]},
        ["1b", "3", "4b", "5b", "5c", "8a", "8b", "9b", "10b", "11b"],
    ),
    (
        "1b",
        {"5b": ["Tidak"], "8b": ["Teknis"]},
        ["1b", "3", "4b", "5b", "6b", "7", "8a", "8b", "9a", "10a", "11a"],
    ),
    ("VIA EMAIL", {"5b": ["Ya"], "5c": ["Tidak"]}, ["1b", "3", "4b", "5b", "5c", "11c"]),
]


@pytest.mark.parametrize(("start", "choices", "path"), LETTER_PATHS)
def test_letters_every_path_to_its_end(
    engine: Engine, clock: Clock, start: str, choices: dict[str, list[str]], path: list[str]
) -> None:
    iid = engine.start(LETTERS, "Surat undangan rapat", start=start).state.id
    seen = walk(engine, clock, iid, choices)
    assert seen == [[name] for name in path]  # one symbol current at a time, in this order
    view = engine.status(iid)
    assert view.state.state == "done" and view.state.current == {}
    [end] = [n for n in view.flow.steps if view.flow.label(n) == path[-1]]
    assert view.flow.step(end).kind == "end"
    # Nothing in this SOP goes back up the table: no flow is a correction loop.
    assert [r for r in runs(engine, iid) if r[3]] == []
    assert [name for name, *_ in runs(engine, iid)] == path
    assert_projection_matches_log(engine, iid)


def test_letters_an_ordinary_letter_goes_on_in_the_lane_it_came_in_by(engine: Engine, clock: Clock) -> None:
    # R/T "Tidak" leads on in the lane the letter came in by, and both lanes meet at row 7.
    by_hand = engine.start(LETTERS, "Surat", start="Langsung ke Kantor").state.id
    by_mail = engine.start(LETTERS, "Surat", start="Via Email").state.id
    for iid, lane_path in ((by_hand, ["1a", "2", "4a", "5a"]), (by_mail, ["1b", "3", "4b", "5b"])):
        for name in lane_path[:-1]:
            clock.advance(minutes=1)
            engine.done(iid, by="pegawai", step=name)
        assert current_names(engine, iid) == [lane_path[-1]]
        clock.advance(minutes=1)
        engine.decide(iid, "Tidak", by="pegawai", step=lane_path[-1])
    assert current_names(engine, by_hand) == ["6a"]
    assert current_names(engine, by_mail) == ["6b"]
    flow = engine.status(by_hand).flow
    assert [flow.step(n).lanes for n in engine.status(by_hand).state.current] == [("bagian-umum",)]
    assert [flow.step(n).lanes for n in engine.status(by_mail).state.current] == [("sekretaris",)]
    for iid, upload in ((by_hand, "6a"), (by_mail, "6b")):
        clock.advance(minutes=1)
        engine.done(iid, by="pegawai", step=upload)
        assert current_names(engine, iid) == ["7"]


def test_letters_a_start_must_be_chosen(engine: Engine) -> None:
    with pytest.raises(UsageError) as refused:
        engine.start(LETTERS, "Surat")
    assert str(refused.value) == (
        "pengelolaan-surat-masuk has 2 alternative starts: choose one with --from "
        '(1a "Langsung ke Kantor" (Bagian Umum); 1b "Via Email" (Sekretaris))'
    )
    with pytest.raises(UsageError, match='no start "Lewat Pos" in pengelolaan-surat-masuk'):
        engine.start(LETTERS, "Surat", start="Lewat Pos")
    assert list(engine.summaries()) == []  # nothing was started


def test_letters_a_symbol_is_named_by_its_row_no_when_one_of_the_row_is_current(
    engine: Engine, clock: Clock
) -> None:
    iid = engine.start(LETTERS, "Surat", start="Via Email").state.id
    for name in ("1b", "3", "4b"):
        clock.advance(minutes=1)
        engine.done(iid, by="pegawai", step=name)
    engine.decide(iid, "Ya", by="pegawai", step=5)  # 5b: the one of row 5 that is current
    engine.decide(iid, "Ya", by="kepala", step="perlu-disposisi")  # 5c by its id
    engine.done(iid, by="kepala", step="8")  # 8a
    engine.decide(iid, "Administratif", by="pegawai", step="tujuan-disposisi")
    engine.done(iid, by="pegawai", step=9)  # 9b
    engine.done(iid, by="pegawai", step="10")  # 10b
    assert current_names(engine, iid) == ["11b"]
    with pytest.raises(UsageError, match="step 11b is not a decision"):
        engine.decide(iid, "Ya", by="pegawai", step=11)
    engine.done(iid, by="pegawai", step=11)
    assert engine.status(iid).state.state == "done"
    assert [name for name, *_ in runs(engine, iid)] == [
        "1b", "3", "4b", "5b", "5c", "8a", "8b", "9b", "10b", "11b"
    ]  # fmt: skip


def test_letters_the_merged_cell_of_rows_4_and_5_is_one_deadline(engine: Engine, clock: Clock) -> None:
    iid = engine.start(LETTERS, "Surat", start="Via Email").state.id
    for name in ("1b", "3"):
        clock.advance(minutes=1)
        engine.done(iid, by="pegawai", step=name)
    due = engine.status(iid).state.current
    [(entered, agenda)] = due.items()
    clock.advance(minutes=1)
    engine.done(iid, by="pegawai", step="4b")
    [check] = engine.status(iid).state.current.values()
    # The R/T check after the agenda shares the 3 minutes of rows 4-5: the same due time.
    assert engine.status(iid).flow.label(entered) == "4b"
    assert check.due_at == agenda.due_at is not None


# -- Pengumpulan Data Capaian Kinerja: the straight path and both loops ------------------------

STRAIGHT = ["1", "2a", "2b", "3", "4", "5", "6", "7", "8", "9a", "9b", "10", "11", "12", "13", "14"]


def test_performance_straight_through(engine: Engine, clock: Clock) -> None:
    iid = engine.start(PERFORMANCE, "Capaian Kinerja Triwulan I").state.id
    seen = walk(engine, clock, iid, {"2b": ["Ya"], "12": ["Ya"]})
    # After the meeting (7) only the review (8) is current: 9a, a join, waits for it too.
    assert seen == [[name] for name in STRAIGHT]
    assert [r for r in runs(engine, iid) if r[3]] == []  # the split and the page break are forward
    view = engine.status(iid)
    assert view.state.state == "done"
    # "Setelah FRA Triwulan 4 berakhir": the LKIP of a case begun in March 2026 opens with 2027.
    lkip = next(r for r in view.state.runs if view.flow.label(r.step) == "11")
    assert lkip.activated_at == dt.datetime(2027, 1, 1, tzinfo=WIB)
    assert_projection_matches_log(engine, iid)


def test_performance_the_join_waits_for_the_meeting_and_the_review(engine: Engine, clock: Clock) -> None:
    iid = engine.start(PERFORMANCE, "Capaian Kinerja").state.id
    for name in ("1", "2a"):
        clock.advance(minutes=1)
        engine.done(iid, by="tim", step=name)
    engine.decide(iid, "Ya", by="tim", step="2b")
    for name in ("3", "4", "5", "6"):
        clock.advance(minutes=1)
        engine.done(iid, by="tim", step=name)
    # The meeting is one symbol in four lanes: done once, by any of them.
    view = engine.done(iid, by="kepala", step=7, as_lane="tim-sakip")
    assert view.state.runs[-1].actor is not None and view.state.runs[-1].actor["lane"] == "tim-sakip"
    assert current_names(engine, iid) == ["8"]
    with pytest.raises(UsageError, match="is not current"):
        engine.done(iid, by="tim", step="9a")
    engine.done(iid, by="tim", step=8)
    assert current_names(engine, iid) == ["9a"]
    engine.done(iid, by="tim", step=9)  # 9a, the one of row 9 that is current
    assert current_names(engine, iid) == ["9b"]


def test_performance_a_revision_goes_back_into_the_start(engine: Engine, clock: Clock) -> None:
    iid = engine.start(PERFORMANCE, "Capaian Kinerja").state.id
    seen = walk(engine, clock, iid, {"2b": ["Tidak", "Ya"], "12": ["Ya"]})
    assert seen == [[name] for name in ["1", "2a", "2b", *STRAIGHT]]
    done = runs(engine, iid)
    assert done[:4] == [
        ("1", 1, None, False),
        ("2a", 1, None, False),
        ("2b", 1, "Tidak", True),
        ("1", 2, None, False),
    ]
    assert [r for r in done if r[3]] == [("2b", 1, "Tidak", True)]  # the only correction loop
    assert engine.status(iid).state.state == "done"
    assert_projection_matches_log(engine, iid)


def test_performance_a_corrected_lkip_goes_back_to_row_11(engine: Engine, clock: Clock) -> None:
    iid = engine.start(PERFORMANCE, "LKIP 2025").state.id
    seen = walk(engine, clock, iid, {"2b": ["Ya"], "12": ["Tidak", "Tidak", "Ya"]})
    assert seen == [[name] for name in [*STRAIGHT[:-2], "11", "12", "11", "12", "13", "14"]]
    done = runs(engine, iid)
    assert [r for r in done if r[3]] == [("12", 1, "Tidak", True), ("12", 2, "Tidak", True)]
    assert [(name, n) for name, n, *_ in done if name == "11"] == [("11", 1), ("11", 2), ("11", 3)]
    assert [r for r in done if r[0] == "12" and r[2] == "Ya"] == [("12", 3, "Ya", False)]
    assert_projection_matches_log(engine, iid)


# -- With an organisation file: who may act where ----------------------------------------------

ORG = """\
schema: 1
people:
  - {nip: "19900101 201503 2 001", name: Ani Lestari, alias: ani, position: Arsiparis,
     lanes: [bagian-umum]}
  - {nip: "19880202 201403 1 002", name: Tono Saputra, alias: tono, position: Statistisi,
     lanes: [tim-teknis]}
  - {nip: "19850303 201001 2 003", name: Sri Wahyuni, alias: sri, position: Sekretaris}
  - {nip: "19660825 198802 1 001", name: "Ir. Win Rizal, M.E.", alias: kepala,
     position: Kepala BPS Provinsi Bengkulu, lanes: [kepala-bps-provinsi]}
"""

#: Who acts in each lane of the letters SOP.
PEOPLE = {"bagian-umum": "ani", "tim-teknis": "tono", "sekretaris": "sri", "kepala-bps-provinsi": "kepala"}


@pytest.fixture
def org_engine(tmp_path: Path, store: Store, catalog: Catalog, clock: Clock) -> Engine:
    path = tmp_path / "org.yaml"
    path.write_text(ORG)
    return Engine(store, catalog, clock, people=load_org(path), os_user="operator")


def to_disposition(engine: Engine, clock: Clock, iid: str, target: str) -> None:
    """From 1a by the main path to 8b, decided towards ``target``, each symbol by its lane."""
    flow = engine.status(iid).flow
    for name in ("1a", "2", "4a", "5a", "5c", "8a", "8b"):
        clock.advance(minutes=1)
        who = PEOPLE[flow.step(flow.resolve(name) or 0).lanes[0]]
        branch = {"5a": "Ya", "5c": "Ya", "8b": target}.get(name)
        if branch is None:
            engine.done(iid, by=who, step=name)
        else:
            engine.decide(iid, branch, by=who, step=name)


def test_letters_only_the_tim_teknis_completes_its_symbols(org_engine: Engine, clock: Clock) -> None:
    iid = org_engine.start(LETTERS, "Surat permintaan data", start="Langsung ke Kantor", by="ani").state.id
    to_disposition(org_engine, clock, iid, "Teknis")
    assert current_names(org_engine, iid) == ["9a"]
    events = len(org_engine.store.events(iid))
    clock.advance(minutes=1)
    with pytest.raises(
        NotPermittedError, match=r"Ani Lestari \(19900101 201503 2 001\) may not act as Tim Teknis"
    ):
        org_engine.done(iid, by="ani", step="9a")
    with pytest.raises(NotPermittedError):
        org_engine.done(iid, by="ani", step=9)
    assert len(org_engine.store.events(iid)) == events  # nothing was written
    run = org_engine.done(iid, by="tono", step="9a").state.runs[-1]
    assert run.actor is not None and (run.actor["name"], run.actor["lane"]) == ("Tono Saputra", "tim-teknis")
    # ...and the Bagian Umum's symbols are not the Tim Teknis's.
    other = org_engine.start(LETTERS, "Surat", start="Langsung ke Kantor").state.id
    with pytest.raises(NotPermittedError, match="may not act as Bagian Umum"):
        org_engine.done(other, by="tono", step="1a")


def test_letters_a_case_is_in_the_tim_teknis_list_only_on_the_teknis_path(
    org_engine: Engine, clock: Clock
) -> None:
    teknis = org_engine.start(LETTERS, "Surat teknis", start="Langsung ke Kantor").state.id
    umum = org_engine.start(LETTERS, "Surat administratif", start="Langsung ke Kantor").state.id

    def listed() -> list[str]:
        return [view.state.id for view in org_engine.summaries(lane="tim-teknis")]

    assert listed() == []
    to_disposition(org_engine, clock, teknis, "Teknis")
    to_disposition(org_engine, clock, umum, "Administratif")
    assert listed() == [teknis]
    assert [view.state.id for view in org_engine.summaries(lane="bagian-umum")] == [umum]
    for name in ("9a", "10a", "11a"):
        clock.advance(minutes=1)
        org_engine.done(teknis, by="tono", step=name)
    assert org_engine.status(teknis).state.state == "done"
    assert listed() == []  # done: no longer waiting on the Tim Teknis
