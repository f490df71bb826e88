"""A version-1 SOP file rewritten in version 2: instances pinned to the old file keep running
on it, new ones run on the new one, and the record of both stays verifiable."""

from __future__ import annotations

from pathlib import Path

from sopctl.audit import Auditor
from sopctl.run.engine import Engine
from sopctl.stats import compute
from sopctl.store import Store
from tests.conftest import Clock
from tests.flows import catalog_of

LANES = [{"id": "staf", "name": "Staf"}, {"id": "kepala", "name": "Kepala"}]

V1 = {
    "schema": 1,
    "id": "surat",
    "name": "Surat",
    "lanes": LANES,
    "steps": [
        {"step": 1, "kind": "start", "activity": "Menerima", "lanes": ["staf"], "time": "10 menit"},
        {
            "step": 2,
            "kind": "decision",
            "activity": "Memeriksa",
            "lanes": ["kepala"],
            "time": "20 menit",
            "branches": [{"label": "Ya", "to": 3}, {"label": "Tidak", "to": 1}],
        },
        {"step": 3, "kind": "end", "activity": "Mengarsipkan", "lanes": ["staf"], "time": "5 menit"},
    ],
}

#: The same document in version 2, saying more: row 1 is a start and the process it leads to.
V2 = {
    "schema": 2,
    "id": "surat",
    "name": "Surat",
    "lanes": LANES,
    "rows": [
        {
            "row": 1,
            "activity": "Menerima",
            "time": "10 menit",
            "symbols": [{"kind": "start", "lanes": "staf", "next": "1b"}, {"lanes": "staf"}],
        },
        {
            "row": 2,
            "activity": "Memeriksa",
            "time": "20 menit",
            "symbols": [
                {
                    "kind": "decision",
                    "lanes": "kepala",
                    "branches": [{"label": "Ya", "to": 3}, {"label": "Tidak", "to": "1b"}],
                }
            ],
        },
        {
            "row": 3,
            "activity": "Mengarsipkan",
            "time": "5 menit",
            "symbols": [{"kind": "end", "lanes": "staf"}],
        },
    ],
}


def test_an_instance_pinned_to_version_1_runs_on_after_the_file_is_version_2(
    tmp_path: Path, store: Store, clock: Clock
) -> None:
    folder = tmp_path / "sops"
    old = Engine(store, catalog_of(folder, V1), clock)
    first = old.start("surat", "Lama").state.id
    clock.advance(minutes=5)
    old.done(first, by="a")

    new = Engine(store, catalog_of(folder, V2), clock)  # the file now says version 2
    view = new.status(first)
    assert view.flow.format == 1 and [view.flow.label(n) for n in view.state.current] == ["2"]
    clock.advance(minutes=5)
    view = new.decide(first, "Tidak", by="b", step=2)
    assert [view.flow.label(n) for n in view.state.current] == ["1"]  # version 1's loop target
    assert view.state.runs[-1].looped_back

    second = new.start("surat", "Baru").state.id
    view = new.status(second)
    assert view.flow.format == 2 and [view.flow.label(n) for n in view.state.current] == ["1a"]
    for _ in range(2):
        clock.advance(minutes=5)
        view = new.done(second, by="a")
    view = new.decide(second, "Tidak", by="b")
    assert [view.flow.label(n) for n in view.state.current] == ["1b"]  # version 2's loop target

    auditor = Auditor(new)
    assert list(auditor.verify_all()) == []
    # Row 2 is one step in both versions, so stats counts its decision in each instance in one row.
    steps = {(row["step"], row["symbol"]): row["count"] for row in compute(new)["steps"]}
    assert steps[(2, "2")] == 2 and steps[(1, "1")] == 1 and steps[(1, "1a")] == 1
