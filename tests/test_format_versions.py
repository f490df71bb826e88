"""Format version 1 keeps working: the reference SOPs as they were written in format 1
(``tests/fixtures/v1/``, copied unchanged) load, and compile into the same flow as their
format-2 re-encodings in ``sops/``, wherever the two say the same thing."""

from __future__ import annotations

from pathlib import Path

import pytest

from sopctl.sop.loader import Catalog, LoadedSop, load_catalog, load_sop
from sopctl.sop.model import Sop
from sopctl.sop.model2 import SopV2

V1 = Path(__file__).resolve().parent / "fixtures" / "v1"
REFERENCE = ["pemeliharaan-simpeg", "pengelolaan-data-kepegawaian"]

#: What only format 2 can say, or says in its own words; everything else must be equal.
FORMAT_ONLY = {"schema", "steps", "rows", "labels", "starts", "total_time", "calendar", "service"}


@pytest.fixture(scope="module", params=REFERENCE)
def pair(request: pytest.FixtureRequest, catalog: Catalog) -> tuple[LoadedSop, LoadedSop]:
    return load_sop(V1 / f"{request.param}.yaml"), catalog.get(request.param)


def test_the_version_1_fixtures_are_the_reference_sops_in_format_1() -> None:
    files = sorted(p.name for p in V1.iterdir())
    assert files == [f"{name}.yaml" for name in REFERENCE]
    loaded = load_catalog([V1])
    assert loaded.problems == []
    assert all(isinstance(sop.sop, Sop) and sop.procedure.format == 1 for sop in loaded.sops.values())


def test_the_reference_sops_are_format_2(catalog: Catalog) -> None:
    for name in REFERENCE:
        loaded = catalog.get(name)
        assert isinstance(loaded.sop, SopV2)
        assert loaded.procedure.format == 2


def test_both_versions_have_the_same_identity(pair: tuple[LoadedSop, LoadedSop]) -> None:
    old, new = (loaded.definition() for loaded in pair)
    assert {k: v for k, v in old.items() if k not in FORMAT_ONLY} == {
        k: v for k, v in new.items() if k not in FORMAT_ONLY
    }


def test_both_versions_compile_into_the_same_flow(pair: tuple[LoadedSop, LoadedSop]) -> None:
    old, new = (loaded.procedure for loaded in pair)
    # One symbol per row: symbol numbers are the row numbers in both versions.
    assert list(old.steps) == list(new.steps) == [row.no for row in new.rows]
    for number, step in old.steps.items():
        other = new.step(number)
        assert (other.kind, other.lanes, other.next, other.branches, other.join) == (
            step.kind,
            step.lanes,
            step.next,
            step.branches,
            step.join,
        ), f"symbol {number}"
        limits = [(str(s.limit), s.covered_by, s.cell) for s in (step, other)]
        assert limits[0] == limits[1], f"symbol {number}"

        assert (other.activity, other.requirements, other.output, other.remarks) == (
            step.activity,
            step.requirements,
            step.output,
            step.remarks,
        )
        assert (other.name, other.row) == (step.name, step.row) == (str(number), number)
    assert old.starts == new.starts and len(new.starts) == 1  # one start: how starts combine is moot
    assert old.main_path() == new.main_path()
    assert old.main_path_total() == new.main_path_total()
    assert [lane.id for lane in old.lanes] == [lane.id for lane in new.lanes]
    assert (old.id, old.code, old.timezone, old.clock) == (new.id, new.code, new.timezone, new.clock)


def test_the_personnel_sop_states_its_total_in_both_versions(catalog: Catalog) -> None:
    old = load_sop(V1 / "pengelolaan-data-kepegawaian.yaml").procedure
    new = catalog.get("pengelolaan-data-kepegawaian").procedure
    assert old.total_text("id") == new.total_text("id") == "210 Menit"
    assert new.labels == {
        "requirements": "Persyaratan/Kelengkapan",
        "remarks": "Ket",
        "records": "Pencatatan dan pendataan",
    }
    assert old.labels == {}


def test_format_2_says_that_the_simpeg_document_states_no_total(catalog: Catalog) -> None:
    # Format 1 could only print the main path's sum; format 2 prints none, as the document.
    old = load_sop(V1 / "pemeliharaan-simpeg.yaml").procedure
    new = catalog.get("pemeliharaan-simpeg").procedure
    assert old.total_text("id") == "2 hari 1 jam 40 menit" and not old.no_total
    assert new.total_text("id") is None and new.no_total
    assert new.labels == {
        "activity": "Uraian Prosedur",
        "made": "Tgl Pembuatan",
        "revised": "Tgl Revisi",
        "effective": "Tgl Efektif",
        "equipment": "Peralatan Perlengkapan",
    }
