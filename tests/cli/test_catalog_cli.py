"""The catalogue commands end to end: validate, list, schema, show (errors only), --version.

Each test checks the exit code, the exact stderr, and what was left behind: these
commands only read, so no store may appear.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from sopctl.sop.loader import Catalog
from sopctl.sop.model2 import json_schema

SOP = """\
schema: 1
id: contoh-sop
name: Contoh SOP
lanes:
  - {id: staf, name: Staf}
  - {id: kepala, name: Kepala}
steps:
  - {step: 1, kind: start, activity: Menerima berkas, lanes: [staf], time: 15 Menit}
  - {step: 2, activity: Memeriksa berkas, lanes: [kepala], time: 30 Mnit}
  - {step: 3, kind: end, activity: Mengarsipkan, lanes: [staf], time: 15 Menit}
"""
TYPO = (
    'steps[1].time: unknown unit "Mnit" in "30 Mnit" (did you mean "menit"?); write it as "15 menit", '
    '"2 jam", "1 hari", "3 hari kerja", "1 minggu", "1-3 hari", or "-" for none'
)


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder "rusak" with one SOP whose step 2 has a typo'd time unit (line 9, column 66)."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "rusak"
    folder.mkdir()
    (folder / "contoh-sop.yaml").write_text(SOP, encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def nothing_stored(db_path: Path) -> Iterator[None]:
    yield
    assert not db_path.exists(), "a catalogue command created a store"


# -- validate ------------------------------------------------------------------------------


def test_validate_the_catalogue(cli) -> None:
    result = cli("validate")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "4 SOP file(s) checked: 4 valid\n"


def test_validate_names_file_line_and_column(cli, broken: Path) -> None:
    result = cli("validate", "rusak")
    assert result.exit_code == 1
    assert result.stdout == f"rusak/contoh-sop.yaml:9:66: {TYPO}\n"
    assert result.stderr == "1 SOP file(s) checked: 0 valid, 1 problem(s) in 1 file(s)\n"


def test_validate_a_path_that_does_not_exist(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("validate", "tidak-ada")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "Error: tidak-ada: no such file or folder\n"


def test_validate_json_lists_every_problem(cli, broken: Path) -> None:
    result = cli("validate", "--json", "rusak")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {"file": "rusak/contoh-sop.yaml", "line": 9, "column": 66, "message": TYPO}
    ]
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("zone", "message"),
    [
        (
            "America/New_York",
            '"America/New_York" is not an Indonesian timezone: use Asia/Jakarta or Asia/Pontianak (WIB), '
            "Asia/Makassar (WITA) or Asia/Jayapura (WIT)",
        ),
        (
            "Asia/Ujung_Pandang",
            '"Asia/Ujung_Pandang" is the old name of Asia/Makassar: write Asia/Makassar (WITA)',
        ),
    ],
)
def test_validate_refuses_a_timezone_outside_indonesia(
    cli, tmp_path: Path, monkeypatch, zone, message
) -> None:
    monkeypatch.chdir(tmp_path)
    valid = SOP.replace("30 Mnit", "30 Menit")
    Path("sop.yaml").write_text(valid.replace("name: Contoh SOP\n", f"name: Contoh SOP\ntimezone: {zone}\n"))
    result = cli("validate", "sop.yaml")
    assert result.exit_code == 1
    assert result.stdout == f"sop.yaml:4:11: timezone: {message}\n"
    assert result.stderr == "1 SOP file(s) checked: 0 valid, 1 problem(s) in 1 file(s)\n"


def test_validate_json_of_a_valid_catalogue_is_an_empty_list(cli) -> None:
    result = cli("validate", "--json")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "[]\n", "")


# -- list ------------------------------------------------------------------------------------


def test_list_shows_every_sop(cli) -> None:
    # Wide enough that no cell wraps: the layout of the table is not what is tested here.
    result = cli("list", env={"COLUMNS": "250"})
    assert result.exit_code == 0
    assert result.stderr == ""
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert "pemeliharaan-simpeg" in rows
    assert "pengelolaan-data-kepegawaian" in rows
    # ... steps, lanes, total
    assert rows["pemeliharaan-simpeg"].split()[-3:] == ["8", "4", "-"]  # the document states no total
    # As the SOP states it, not the sum written anew.
    assert rows["pengelolaan-data-kepegawaian"].split()[-4:] == ["10", "4", "210", "Menit"]


def test_list_fits_the_terminal_width(cli) -> None:
    result = cli("list")
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_list_json(cli, catalog: Catalog) -> None:
    result = cli("list", "--json")
    assert result.exit_code == 0
    assert result.stderr == ""
    simpeg = catalog.get("pemeliharaan-simpeg")
    personnel = catalog.get("pengelolaan-data-kepegawaian")
    letters = catalog.get("pengelolaan-surat-masuk")
    performance = catalog.get("pengumpulan-data-capaian-kinerja")
    assert json.loads(result.stdout) == [
        {
            "id": "pemeliharaan-simpeg",
            "name": "Pemeliharaan Sistem Informasi/Manajemen Kepegawaian (SIMPEG)",
            "agency": "Badan Kepegawaian dan Pengembangan SDM",
            "steps": 8,
            "lanes": ["Kepala Badan", "Kepala Bidang", "Kepala Sub Bidang", "Staf Sub Bidang"],
            "total_time": None,  # the document states none
            "version": simpeg.version,
            "file": str(simpeg.path),
        },
        {
            "id": "pengelolaan-data-kepegawaian",
            "name": "Pengelolaan Data dan Informasi Kepegawaian Dinas Komunikasi dan Informatika",
            "agency": "Dinas Komunikasi dan Informatika",
            "steps": 10,
            "lanes": ["Pengadministrasi Umum", "Kasubag Umpeg", "Sekretaris", "Kepala Dinas"],
            "total_time": "210 Menit",
            "version": personnel.version,
            "file": str(personnel.path),
        },
        {
            "id": "pengelolaan-surat-masuk",
            "name": "Pengelolaan Surat Masuk",
            "agency": "Badan Pusat Statistik Provinsi Bengkulu",
            "steps": 11,  # the printed rows, not the 21 symbols in them
            "lanes": ["Tim Teknis", "Bagian Umum", "Sekretaris", "Kepala BPS Provinsi"],
            "total_time": None,  # the document states none
            "version": letters.version,
            "file": str(letters.path),
        },
        {
            "id": "pengumpulan-data-capaian-kinerja",
            "name": "Pengumpulan Data Capaian Kinerja 2025",
            "agency": "Badan Pusat Statistik Provinsi Bengkulu",
            "steps": 14,
            "lanes": [
                "Tim Kerja",
                "Tim Sakip",
                "Tim Perencanaan, Penganggaran dan Pemantauan Evaluasi",
                "Kepala",
            ],
            "total_time": None,
            "version": performance.version,
            "file": str(performance.path),
        },
    ]


def test_list_warns_about_files_it_leaves_out(cli, broken: Path) -> None:
    result = cli("list", "--json", env={"SOPCTL_SOPS": "rusak"})
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert result.stderr == (
        "warning: 1 file(s) in rusak have problems and are not listed; run: sopctl validate\n"
    )


# -- schema and version ---------------------------------------------------------------------


def test_schema_prints_the_json_schema(cli) -> None:
    result = cli("schema")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert json.loads(result.stdout) == json_schema()


def test_version(cli) -> None:
    result = cli("--version")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "sopctl 0.1.0\n", "")


# -- show: errors only (the table is being replaced) -------------------------------------------


def test_show_an_unknown_id(cli) -> None:
    result = cli("show", "nope")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        'Error: no SOP "nope" in the catalogue; known: pemeliharaan-simpeg, pengelolaan-data-kepegawaian, '
        "pengelolaan-surat-masuk, pengumpulan-data-capaian-kinerja\n"
    )


def test_show_a_close_id_suggests_it(cli) -> None:
    result = cli("show", "pemeliharaan-simpek")
    assert result.exit_code == 2
    assert (
        result.stderr
        == 'Error: no SOP "pemeliharaan-simpek" in the catalogue (did you mean "pemeliharaan-simpeg"?)\n'
    )


def test_show_a_broken_file_prints_its_problems(cli, broken: Path) -> None:
    result = cli("show", "rusak/contoh-sop.yaml")
    assert result.exit_code == 2  # bad input to show; only validate exits 1 for it
    assert result.stdout == ""
    assert result.stderr == f"Error: rusak/contoh-sop.yaml:9:66: {TYPO}; nothing was done\n"


def test_show_a_broken_catalogue_sop_by_its_name(cli, broken: Path) -> None:
    result = cli("show", "contoh-sop", env={"SOPCTL_SOPS": "rusak"})
    assert result.exit_code == 2  # bad input to show; only validate exits 1 for it
    assert result.stderr == f"Error: rusak/contoh-sop.yaml:9:66: {TYPO}; nothing was done\n"


def test_show_a_file_that_does_not_exist(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("show", "tidak-ada.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "Error: tidak-ada.yaml: no such file\n"


def test_show_json_is_the_pinned_definition(cli, catalog: Catalog) -> None:
    result = cli("show", "--json", "pengelolaan-data-kepegawaian")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert json.loads(result.stdout) == catalog.get("pengelolaan-data-kepegawaian").definition()


def test_list_of_a_folder_without_sops_says_so(cli, tmp_path: Path) -> None:
    result = cli("list", env={"SOPCTL_SOPS": str(tmp_path)})
    assert result.exit_code == 0
    assert result.stderr == f"warning: {tmp_path}: no SOP files (*.yaml, *.yml) in this folder\n"


def test_a_catalogue_that_is_a_file_is_named_as_such(cli, tmp_path: Path) -> None:
    sops = tmp_path / "sops.yaml"
    sops.write_text("schema: 1\n")
    result = cli("list", env={"SOPCTL_SOPS": str(sops)})
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: the catalogue folder {sops} is not a folder (give --sops DIR or set SOPCTL_SOPS)\n"
    )


def test_keterkaitan_names_a_related_catalogue_sop_by_its_name(cli, tmp_path: Path) -> None:
    # The printed SOP says "SOP Contoh SOP", as the signed document would, not the file's id.
    folder = tmp_path / "sops"
    folder.mkdir()
    good = SOP.replace("30 Mnit", "30 Menit")
    (folder / "contoh-sop.yaml").write_text(good, encoding="utf-8")
    other = good.replace("id: contoh-sop", "id: lain").replace("name: Contoh SOP", "name: SOP Lain")
    (folder / "lain.yaml").write_text(other + "related: [{sop: contoh-sop}, Surat Edaran 1/2026]\n", "utf-8")
    shown = cli("--sops", str(folder), "show", "lain", env={"COLUMNS": "100"})
    assert shown.exit_code == 0, shown.stderr
    line = next(line for line in shown.stdout.splitlines() if line.startswith("Keterkaitan"))
    assert line.split(None, 1)[1].rstrip() == "1. SOP Contoh SOP"
    md = cli("--sops", str(folder), "export", "sop", "lain", "-f", "md", "-o", "-").stdout
    assert "SOP Contoh SOP" in md and "contoh-sop" not in md
    related_back = cli("--sops", str(folder), "export", "sop", "contoh-sop", "-f", "md", "-o", "-").stdout
    assert "SOP Lain" not in related_back  # only what the SOP itself lists
