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
from sopctl.sop.procedure import Procedure
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


# -- Format 2: symbols and flows by name -------------------------------------------------


def symbols(flow: Procedure) -> dict[str, tuple[str, tuple[str, ...], str]]:
    """Every symbol by its name: (kind, lanes, text inside it)."""
    return {s.name: (s.kind, s.lanes, s.text) for s in flow.steps.values()}


def flows(flow: Procedure) -> dict[str, tuple[str, ...] | dict[str, str]]:
    """Where each symbol leads, by name: the `next` symbols, or a decision's branches."""
    return {
        s.name: {b.label: flow.label(b.to) for b in s.branches}
        if s.kind == "decision"
        else tuple(flow.label(n) for n in s.next)
        for s in flow.steps.values()
    }


def named(flow: Procedure, name: int | str) -> int:
    number = flow.resolve(name)
    assert number is not None, f"no symbol {name!r}"
    return number


def row_names(flow: Procedure) -> dict[int, list[str]]:
    return {row.no: [flow.label(n) for n in row.symbols] for row in flow.rows}


def row_cells(flow: Procedure) -> list[tuple[int, str | None, int, str]]:
    """Each printed row: No, Waktu as written (None for an empty cell), rows it spans, Output."""
    return [(r.no, None if r.limit is None else str(r.limit), r.time_covers, r.output) for r in flow.rows]


# -- Pengelolaan Surat Masuk (seeds/03-bps-bengkulu-…) --------------------------------------

TEKNIS, UMUM, SEKR, KEPALA = ("tim-teknis",), ("bagian-umum",), ("sekretaris",), ("kepala-bps-provinsi",)


@pytest.fixture(scope="module")
def letters(catalog: Catalog) -> LoadedSop:
    return catalog.get("pengelolaan-surat-masuk")


def test_letters_rows_are_numbered_1_to_11_with_their_symbols(letters: LoadedSop) -> None:
    flow = letters.procedure
    assert row_names(flow) == {
        1: ["1a", "1b"],
        2: ["2"],
        3: ["3"],
        4: ["4a", "4b"],
        5: ["5a", "5b", "5c"],
        6: ["6a", "6b"],
        7: ["7"],
        8: ["8a", "8b"],
        9: ["9a", "9b"],
        10: ["10a", "10b"],
        11: ["11a", "11b", "11c"],
    }
    assert [r.no for r in flow.rows] == list(range(1, 12))


def test_letters_symbols_are_drawn_in_their_lanes(letters: LoadedSop) -> None:
    assert [lane.id for lane in letters.sop.lanes] == [*TEKNIS, *UMUM, *SEKR, *KEPALA]
    assert [lane.name for lane in letters.sop.lanes] == [
        "Tim Teknis",
        "Bagian Umum",
        "Sekretaris",
        "Kepala BPS Provinsi",
    ]
    assert all(len(lane.abbreviation) <= 8 for lane in letters.sop.lanes)
    assert not any(lane.system or lane.external for lane in letters.sop.lanes)
    assert symbols(letters.procedure) == {
        "1a": ("start", UMUM, "Langsung ke Kantor"),
        "1b": ("start", SEKR, "Via Email"),
        "2": ("process", UMUM, ""),
        "3": ("process", SEKR, ""),
        "4a": ("process", UMUM, ""),
        "4b": ("process", SEKR, ""),
        "5a": ("decision", UMUM, "R/T"),
        "5b": ("decision", SEKR, "R/T"),
        "5c": ("decision", KEPALA, "Perlu disposisi?"),
        "6a": ("process", UMUM, ""),
        "6b": ("process", SEKR, ""),
        "7": ("process", SEKR, ""),
        "8a": ("process", KEPALA, ""),
        "8b": ("decision", UMUM, "Tujuan Disposisi"),
        "9a": ("process", TEKNIS, ""),
        "9b": ("process", UMUM, ""),
        "10a": ("process", TEKNIS, ""),
        "10b": ("process", UMUM, ""),
        "11a": ("end", TEKNIS, ""),
        "11b": ("end", UMUM, ""),
        "11c": ("end", SEKR, ""),
    }


def test_letters_flows_as_drawn(letters: LoadedSop) -> None:
    flow = letters.procedure
    assert flows(flow) == {
        "1a": ("2",),  # Langsung ke Kantor: scanned by the Bagian Umum
        "1b": ("3",),  # Via Email: downloaded by the Sekretaris
        "2": ("4a",),
        "3": ("4b",),
        "4a": ("5a",),
        "4b": ("5b",),
        "5a": {"Ya": "5c", "Tidak": "6a"},
        "5b": {"Ya": "5c", "Tidak": "6b"},
        "5c": {"Ya": "8a", "Tidak": "11c"},
        "6a": ("7",),
        "6b": ("7",),
        "7": ("8a",),
        "8a": ("8b",),
        "8b": {"Teknis": "9a", "Administratif": "9b"},
        "9a": ("10a",),
        "9b": ("10b",),
        "10a": ("11a",),
        "10b": ("11b",),
        "11a": (),
        "11b": (),
        "11c": (),
    }
    assert not any(s.join for s in flow.steps.values())
    # The two starts are alternatives; the first decision branches make the main path.
    assert (flow.starts_mode, [flow.label(n) for n in flow.starts]) == ("alternatives", ["1a", "1b"])
    assert [flow.label(n) for n in flow.main_path()] == [
        "1a", "2", "4a", "5a", "5c", "8a", "8b", "9a", "10a", "11a"
    ]  # fmt: skip


def test_letters_symbols_are_found_by_name_id_and_row(letters: LoadedSop) -> None:
    flow = letters.procedure
    assert flow.label(named(flow, "9b")) == "9b"
    assert flow.step(named(flow, "9B")).lanes == UMUM
    assert flow.label(named(flow, "perlu-disposisi")) == "5c"
    assert flow.label(named(flow, "tujuan-disposisi")) == "8b"
    assert flow.label(named(flow, 7)) == "7"
    assert flow.resolve(5) is None  # row 5 has three symbols: a No alone names none of them
    assert [flow.label(n) for n in flow.row_symbols(5)] == ["5a", "5b", "5c"]


def test_letters_cells_and_the_merged_waktu_of_rows_4_and_5(letters: LoadedSop) -> None:
    flow = letters.procedure
    assert row_cells(flow) == [
        (1, None, 1, "File/Hardfile surat masuk"),  # Waktu "-"
        (2, "2 menit", 1, "File surat masuk"),
        (3, "2 menit", 1, "File surat masuk"),
        (4, "3 menit", 2, "Agenda Surat Masuk"),
        (5, None, 1, "Agenda surat masuk tervalidasi"),
        (6, "2 menit", 1, "Agenda Surat Masuk terarsip"),
        (7, "5 menit", 1, "Notifikasi Surat Masuk"),
        (8, "10 menit", 1, "Disposisi surat"),
        (9, "2 menit", 1, "Notifikasi disposisi"),
        (10, "1 hari", 1, "Output sesuai perintah disposisi"),
        (11, "2 menit", 1, "Progress selesai"),
    ]
    # Row 1's Waktu is a literal "-" in the document (no limit), row 5's is under row 4's cell.
    written = [row.get("time") for row in parse(letters.text)[0]["rows"]]
    assert written[:5] == ["-", "2 menit", "2 menit", "3 menit", None]
    # Row 5's symbols are held to row 4's cell: "3 menit (4-5)".
    assert {flow.label(n): flow.limit_text(n) for n in flow.row_symbols(5)} == {
        "5a": "3 menit (4-5)",
        "5b": "3 menit (4-5)",
        "5c": "3 menit (4-5)",
    }
    assert [r.requirements for r in flow.rows] == [
        ("Email",),
        ("Hardfile surat masuk",),
        ("Email",),
        ("Portal Pintar, File surat masuk",),
        ("Portal Pintar, File surat masuk",),
        ("Portal Pintar, File surat masuk",),
        ("Portal Pintar, Whatsapp",),
        ("Portal Pintar",),
        ("Portal pintar, Whatsapp",),
        ("Disposisi",),
        ("Portal Pintar",),
    ]
    remarks = {r.no: r.remarks for r in flow.rows if r.remarks}
    assert remarks == {
        1: "Surat elektronik melalui media lainnya dikirim ke sekretaris dan prosedur seperti "
        "surat dari email",
        5: "Rahasia (R); Terbatas (T); Biasa (B);",
    }
    assert not any(r.page_break for r in flow.rows)  # the chart is on one page


def test_letters_identity(letters: LoadedSop) -> None:
    sop, flow = letters.sop, letters.procedure
    assert (sop.instance_code, sop.number, sop.timezone) == ("PSM", "SOP-025/17000/2025", "Asia/Jakarta")
    assert (sop.organization.agency, sop.organization.division) == (
        "Badan Pusat Statistik Provinsi Bengkulu",
        "Bagian Umum",
    )
    assert (sop.dates.made, sop.dates.revised, sop.dates.effective) == ("2025-06-02", None, "2025-06-02")
    signer = sop.approved_by
    assert (signer.position, signer.name) == ("Kepala BPS Provinsi Bengkulu", "Ir. Win Rizal, M.E.")
    assert signer.nip is not None and parse_nip(signer.nip).spaced == "19660825 198802 1 001"
    # Signed electronically; the footnote's text is not in the source, so none is made up.
    assert (signer.signature, signer.verification) == ("electronic", "")
    assert (len(sop.legal_basis), len(sop.qualifications), len(sop.equipment)) == (8, 5, 6)
    assert sop.related == []
    assert len(sop.records) == 2 and len(sop.warnings) == 1
    assert flow.labels == {"remarks": "Keterangan"}
    assert sop.total_time == "none" and flow.no_total and flow.total_text("id") is None


# -- Pengumpulan Data Capaian Kinerja (seeds/05-bps-bengkulu-…) ------------------------------

KERJA, SAKIP, RENCANA, KEP = ("tim-kerja",), ("tim-sakip",), ("tim-perencanaan",), ("kepala",)


@pytest.fixture(scope="module")
def performance(catalog: Catalog) -> LoadedSop:
    return catalog.get("pengumpulan-data-capaian-kinerja")


def test_performance_rows_are_numbered_1_to_14_with_their_symbols(performance: LoadedSop) -> None:
    flow = performance.procedure
    assert [r.no for r in flow.rows] == list(range(1, 15))
    assert {no: names for no, names in row_names(flow).items() if len(names) > 1} == {
        2: ["2a", "2b"],
        9: ["9a", "9b"],
    }


def test_performance_symbols_are_drawn_in_their_lanes(performance: LoadedSop) -> None:
    assert [lane.id for lane in performance.sop.lanes] == [*KERJA, *SAKIP, *RENCANA, *KEP]
    assert performance.sop.lanes[2].name == "Tim Perencanaan, Penganggaran dan Pemantauan Evaluasi"
    assert all(len(lane.abbreviation) <= 8 for lane in performance.sop.lanes)
    meeting = ("kepala", "tim-kerja", "tim-sakip", "tim-perencanaan")
    assert symbols(performance.procedure) == {
        "1": ("start", KERJA, ""),
        "2a": ("process", KERJA, ""),
        "2b": ("decision", KERJA, ""),  # the diamonds hold no text
        "3": ("process", KERJA, ""),
        "4": ("process", SAKIP, ""),
        "5": ("process", RENCANA, ""),
        "6": ("process", KEP, ""),
        "7": ("process", meeting, ""),  # one joint meeting, held once
        "8": ("process", KERJA, ""),
        "9a": ("process", RENCANA, ""),
        "9b": ("process", KEP, ""),
        "10": ("process", RENCANA, ""),
        "11": ("process", RENCANA, ""),
        "12": ("decision", SAKIP, ""),
        "13": ("process", KEP, ""),
        "14": ("end", RENCANA, ""),
    }


def test_performance_flows_as_drawn(performance: LoadedSop) -> None:
    flow = performance.procedure
    assert flows(flow) == {
        "1": ("2a",),
        "2a": ("2b",),
        "2b": {"Ya": "3", "Tidak": "1"},  # back into the start terminator
        "3": ("4",),
        "4": ("5",),
        "5": ("6",),
        "6": ("7",),
        "7": ("8", "9a"),  # a parallel split...
        "8": ("9a",),
        "9a": ("9b",),  # ...met again here
        "9b": ("10",),  # through the off-page connector
        "10": ("11",),
        "11": ("12",),
        "12": {"Ya": "13", "Tidak": "11"},
        "13": ("14",),
        "14": (),
    }
    assert [s.name for s in flow.steps.values() if s.join] == ["9a"]
    assert [flow.label(n) for n in flow.forward_incoming(named(flow, "9a"))] == ["7", "8"]
    assert [flow.label(n) for n in flow.starts] == ["1"]
    assert flow.is_loop(named(flow, "2b"), named(flow, "1"))
    assert flow.is_loop(named(flow, 12), named(flow, 11))


def test_performance_cells_ranges_and_the_page_break_after_row_9(performance: LoadedSop) -> None:
    flow = performance.procedure
    twenty = "1 – 20 Hari Kerja"  # an en dash, as written
    assert [(no, waktu, covers) for no, waktu, covers, _ in row_cells(flow)] == [
        *((no, twenty, 1) for no in range(1, 13)),
        (13, "1 – 10 Hari Kerja", 1),
        (14, "1 Hari Kerja", 1),
    ]
    first = flow.rows[0].limit
    assert first is not None and (first.low, first.amount, first.unit.name, first.working_days) == (
        1,
        20,
        "DAY",
        True,
    )
    assert [r.no for r in flow.rows if r.page_break] == [9]
    assert [r.output for r in flow.rows][8:] == [
        "Kertas Kerja FRA, Notulen FRA",
        "Kertas Kerja FRA, Notulen FRA",
        "Draft LKIP",
        "Draft LKIP",
        "LKIP",
        "LKIP dapat diakses publik",
    ]
    assert [r.requirements for r in flow.rows][9:] == [
        ("Kertas Kerja FRA, Notulen FRA",),
        ("Realisasi target tim kerja, Dokumen Sumber, FRA dan Notulen FRA",),
        ("Realisasi target tim kerja, Dokumen Sumber, FRA dan Notulen FRA",),
        ("Draft LKIP",),
        ("LKIP Final",),
    ]
    assert not any(r.remarks for r in flow.rows)  # Ket is empty in every row
    # The wait for the end of the quarter stays in the activity text (the format cannot say it).
    assert flow.rows[10].activity.endswith("(Setelah FRA Triwulan 4 berakhir mulai disusun)")


def test_performance_identity_and_labels(performance: LoadedSop) -> None:
    sop, flow = performance.sop, performance.procedure
    assert (sop.instance_code, sop.number) == ("PDCK", "SOP-012/17000/2025")
    assert (sop.timezone, sop.organization.division) == ("Asia/Jakarta", "Tim Bagian Umum")
    assert (sop.dates.made, sop.dates.effective) == ("2025-06-02", "2025-06-02")
    signer = sop.approved_by
    assert (signer.name, signer.signature, signer.verification) == ("Ir. Win Rizal M.E.", "electronic", "")
    assert (len(sop.legal_basis), len(sop.qualifications), len(sop.related)) == (4, 5, 3)
    assert flow.labels == {
        "requirements": "Sumber Data",
        "qualifications": "Kualifikasi Pelaksanaan",
        "remarks": "Ket",
    }
    assert flow.starts_mode == "alternatives"  # the default; with one start it changes nothing
    assert sop.total_time == "none" and flow.no_total and flow.total_text("id") is None


def test_the_instance_codes_are_unique(catalog: Catalog) -> None:
    codes = [loaded.sop.instance_code for loaded in catalog]
    assert len(codes) == len(set(codes)) == len(SOP_FILES)
