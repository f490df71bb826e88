"""--sop and --lane on every command that filters: a typo is exit 2, one line, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli

PDK = "pengelolaan-data-kepegawaian"
NO_SOP = (
    'Error: no SOP "nope" in the catalogue or the store; known: pemeliharaan-simpeg, '
    "pengelolaan-data-kepegawaian, pengelolaan-surat-masuk, pengumpulan-data-capaian-kinerja\n"
)
NO_LANE = 'Error: no lane "nope" in any SOP (lanes are ids like bagian-umum, kasubag-umpeg, kepala, …)\n'


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "--sop", "nope"], NO_SOP),
        (["check", "--sop", "nope", "--json"], NO_SOP),
        (["check", "--lane", "nope"], NO_LANE),
        (
            ["check", "--lane", "Kepala Sub Bidang"],
            'Error: no lane "Kepala Sub Bidang" in any SOP '
            '(--lane takes a lane id: did you mean "kepala-sub-bidang"?)\n',
        ),
        (["ps", "--sop", "nope"], NO_SOP),
        (["ps", "--lane", "nope"], NO_LANE),
        (
            ["ps", "--sop", "pemeliharaan-simpeg", "--lane", "kasubag-umpeg"],
            'Error: no lane "kasubag-umpeg" in SOP "pemeliharaan-simpeg" '
            "(its lanes: kepala-badan, kepala-bidang, kepala-sub-bidang, staf-sub-bidang)\n",
        ),
        (["stats", "--sop", "nope"], NO_SOP),
        (["stats", "--sop", "nope", "--csv"], NO_SOP),
        (["export", "instance", "--all", "--sop", "nope", "-f", "md"], NO_SOP),
        (["export", "stats", "--sop", "nope", "-f", "md"], NO_SOP),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else "",
)
def test_a_filter_that_names_nothing_is_refused(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    assert cli("start", PDK, "--title", "Kasus").exit_code == 0
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.iterdir())
    result = cli(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)
    assert sorted(tmp_path.iterdir()) == before


def test_filters_that_exist_still_list(cli: Cli) -> None:
    assert cli("start", PDK, "--title", "Kasus").exit_code == 0
    result = cli("ps", "--sop", PDK, "--lane", "pengadministrasi-umum")
    assert (result.exit_code, result.stderr) == (0, "1 instance(s)\n")
    nothing_yet = cli("check", "--sop", "pemeliharaan-simpeg", "--lane", "kepala-badan")
    assert nothing_yet.exit_code == 0 and nothing_yet.stderr.startswith("0 overdue as of ")
