"""The SOP files in sops/: each valid, each valid against the published JSON Schema,
and the reference SOPs encoding what the signed documents say (see shared/seeds)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from sopctl.nip import parse_nip
from sopctl.sop.durations import parse_total
from sopctl.sop.loader import Catalog, LoadedSop, load_sop
from sopctl.sop.model2 import json_schema
from sopctl.sop.yamlsource import parse

ROOT = Path(__file__).resolve().parent.parent
SOP_FILES = sorted(p for p in (ROOT / "sops").iterdir() if p.suffix in (".yaml", ".yml"))
SCHEMA_FILE = ROOT / "docs" / "sop.schema.json"


class _TextDates(yaml.SafeLoader):
    """PyYAML's safe loader, but "2022-03-07" stays text, as in sopctl and in JSON."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def test_the_reference_sops_are_among_the_files() -> None:
    # guards the parametrised tests below against silently running over nothing
    names = {p.name for p in SOP_FILES}
    assert {
        "pemeliharaan-simpeg.yaml",
        "pengelolaan-data-kepegawaian.yaml",
        "pengelolaan-surat-masuk.yaml",
        "pengumpulan-data-capaian-kinerja.yaml",
    } <= names


@pytest.mark.parametrize("path", SOP_FILES, ids=lambda p: p.name)
def test_every_sop_file_is_valid(path: Path) -> None:
    loaded = load_sop(path)
    # the file is named after the id: `sopctl show ID` finds a broken file by its name
    assert loaded.sop.id == path.stem
    assert loaded.procedure.starts


def test_the_catalogue_has_no_problems(catalog: Catalog) -> None:
    assert catalog.problems == []
    assert sorted(catalog.sops) == sorted(p.stem for p in SOP_FILES)


@pytest.mark.parametrize("path", SOP_FILES, ids=lambda p: p.name)
def test_every_sop_file_is_valid_against_the_json_schema(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    data = yaml.load(text, Loader=_TextDates)  # an independent reader, not sopctl's
    validator = jsonschema.Draft202012Validator(json_schema())
    assert [error.message for error in validator.iter_errors(data)] == []
    # ...which reads the file as sopctl's own reader does
    assert data == parse(text)[0]


@pytest.mark.parametrize("path", SOP_FILES, ids=lambda p: p.name)
def test_every_sop_file_points_editors_at_the_committed_schema(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../docs/sop.schema.json"


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json_schema())


def test_the_committed_schema_is_what_sopctl_schema_prints(cli) -> None:
    # When the model changes, regenerate it: sopctl schema > docs/sop.schema.json
    printed = cli("schema")
    assert printed.exit_code == 0
    assert SCHEMA_FILE.read_text(encoding="utf-8") == printed.stdout
    assert json.loads(printed.stdout) == json_schema()


# -- Pengelolaan Data dan Informasi Kepegawaian (seeds/004_…) -----------------------------


@pytest.fixture(scope="module")
def personnel(catalog: Catalog) -> LoadedSop:
    return catalog.get("pengelolaan-data-kepegawaian")


def test_personnel_total_is_210_minutes_and_matches_the_stated_total(personnel: LoadedSop) -> None:
    total = personnel.procedure.main_path_total()
    assert total.minutes == 210
    assert total.format() == "3 jam 30 menit"
    assert personnel.procedure.total_text("id") == "210 Menit"  # printed as the SOP states it
    assert personnel.sop.total_time is not None
    assert str(personnel.sop.total_time) == "210 Menit"
    assert total == parse_total(personnel.sop.total_time)


def test_personnel_has_ten_steps_in_order(personnel: LoadedSop) -> None:
    flow = personnel.procedure
    assert list(flow.steps) == list(range(1, 11))
    assert flow.starts == (1,)
    assert [n for n, s in flow.steps.items() if s.kind == "end"] == [10]
    assert flow.main_path() == list(range(1, 11))


def test_personnel_step_4_is_a_review_that_sends_work_back_to_step_2(personnel: LoadedSop) -> None:
    review = personnel.procedure.step(4)
    assert review.kind == "decision"
    assert [(b.label, b.to) for b in review.branches] == [("Ya", 5), ("Tidak", 2)]
    assert [n for n, s in personnel.procedure.steps.items() if s.kind == "decision"] == [4]


def test_personnel_lanes_of_every_step(personnel: LoadedSop) -> None:
    assert [lane.id for lane in personnel.sop.lanes] == [
        "pengadministrasi-umum",
        "kasubag-umpeg",
        "sekretaris",
        "kepala-dinas",
    ]
    lanes = {n: s.lanes for n, s in personnel.procedure.steps.items()}
    assert lanes == {
        1: ("pengadministrasi-umum",),
        2: ("pengadministrasi-umum",),
        3: ("pengadministrasi-umum",),
        4: ("kasubag-umpeg",),
        5: ("pengadministrasi-umum",),
        6: ("pengadministrasi-umum",),
        7: ("kasubag-umpeg",),
        8: ("sekretaris",),
        9: ("kepala-dinas",),
        10: ("kasubag-umpeg",),
    }


def test_personnel_identity(personnel: LoadedSop) -> None:
    sop = personnel.sop
    assert sop.instance_code == "PDK"
    assert sop.timezone == "Asia/Jakarta"
    assert sop.dates.made == "2022-03-07"
    assert sop.approved_by.nip is not None
    nip = parse_nip(sop.approved_by.nip)
    assert (nip.spaced, nip.gender) == ("19730104 199703 2 001", 2)
    assert len(sop.legal_basis) == 6


# -- Pemeliharaan SIMPEG (seeds/000_…) ---------------------------------------------------


@pytest.fixture(scope="module")
def simpeg(catalog: Catalog) -> LoadedSop:
    return catalog.get("pemeliharaan-simpeg")


def test_simpeg_decisions_and_their_way_back(simpeg: LoadedSop) -> None:
    flow = simpeg.procedure
    decisions = {
        n: [(b.label, b.to) for b in s.branches] for n, s in flow.steps.items() if s.kind == "decision"
    }
    assert decisions == {
        3: [("Lengkap", 4), ("Ditemukan kerusakan", 2)],
        4: [("Lengkap", 5), ("Belum cukup", 3)],
        5: [("Cukup", 6), ("Belum cukup", 4)],  # back into the Kabid's review, itself a decision
    }


def test_simpeg_steps_and_lanes(simpeg: LoadedSop) -> None:
    assert [lane.id for lane in simpeg.sop.lanes] == [
        "kepala-badan",
        "kepala-bidang",
        "kepala-sub-bidang",
        "staf-sub-bidang",
    ]
    lanes = {n: s.lanes for n, s in simpeg.procedure.steps.items()}
    assert lanes == {
        1: ("kepala-sub-bidang",),
        2: ("staf-sub-bidang",),
        3: ("kepala-sub-bidang",),
        4: ("kepala-bidang",),
        5: ("kepala-badan",),
        6: ("kepala-bidang",),
        7: ("kepala-sub-bidang",),
        8: ("staf-sub-bidang",),
    }
    assert simpeg.procedure.starts == (1,)
    assert simpeg.procedure.step(8).kind == "end"


def test_simpeg_times_and_total(simpeg: LoadedSop) -> None:
    limits = [str(s.limit) for s in simpeg.procedure.steps.values()]
    assert limits == [
        "30 Menit",
        "1 hari",
        "1 Hari",
        "20 Menit",
        "10 Menit",
        "10 Menit",
        "10 Menit",
        "20 Menit",
    ]
    # The document prints no TOTAL WAKTU, and none is printed; the main path still sums up.
    assert simpeg.sop.total_time == "none"
    assert simpeg.procedure.no_total
    assert simpeg.procedure.total_text("id") is None
    assert simpeg.procedure.main_path_total().format() == "2 hari 1 jam 40 menit"


def test_simpeg_identity(simpeg: LoadedSop) -> None:
    sop = simpeg.sop
    assert sop.timezone == "Asia/Makassar"  # Jeneponto: WITA
    assert sop.instance_code == "SIMPEG"
    assert sop.dates.made == "2020-04"
    assert sop.approved_by.nip == "19621001 198701 1 015"
    nip = parse_nip(sop.approved_by.nip)
    assert nip.birth_date.isoformat() == "1962-10-01"
    assert (nip.appointed, nip.gender, nip.sequence) == ((1987, 1), 1, 15)
    assert sop.related == ["SOP Pemutakhiran Data SIMPEG"]  # not in this catalogue: kept as text


@pytest.mark.parametrize("path", SOP_FILES, ids=lambda p: p.name)
def test_the_sop_files_read_the_same_in_a_yaml_1_1_reader(path: Path) -> None:
    # Dates are quoted and no text is a bare yes/no/on: other tools (editors, PyYAML)
    # see the same values as sopctl.
    text = path.read_text(encoding="utf-8")
    assert yaml.safe_load(text) == parse(text)[0]
