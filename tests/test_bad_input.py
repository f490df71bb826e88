"""Bad input to the readers, through the Python API: numbers the store cannot keep are refused
at their line, a file with thousands of problems is reported in a few lines, and a catalogue
folder that is not one is refused instead of walked.

(The same through the command line, with exit codes and stderr: tests/cli/test_bad_input_cli.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sopctl import files
from sopctl.config import config_problems, load_config
from sopctl.errors import MAX_PROBLEMS, MoreProblems, UsageError, ValidationFailed, count_problems
from sopctl.org import load_org, org_problems
from sopctl.sop.loader import load_catalog
from sopctl.sop.types import MAX_ROW
from tests.test_format2_rules import edit as edit2
from tests.test_loader import MINIMAL, edit

HUGE = "18446744073709551617"  # 2**64 + 1: passed validate, then start failed with OverflowError


@pytest.fixture(autouse=True)
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def problems(text: str, name: str = "sop.yaml") -> list[str]:
    path = Path(name)
    path.write_text(text, encoding="utf-8")
    return [str(p) for p in load_catalog([path]).problems]


# -- numbers have bounds ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            edit(("  - step: 3\n", f"  - step: {HUGE}\n")),
            f"sop.yaml:21:11: steps[2].step: must be at most {MAX_ROW}",
        ),
        (
            edit(("    time: 30 Menit\n", f"    time: 30 Menit\n    time_covers: {HUGE}\n")),
            f"sop.yaml:18:18: steps[1].time_covers: must be at most {MAX_ROW}",
        ),
        (
            edit2(("  - row: 3\n", f"  - row: {HUGE}\n")),
            f"sop.yaml:21:10: rows[2].row: must be at most {MAX_ROW}",
        ),
        (
            edit2(("    time: 1 hari\n", f"    time: 1 hari\n    time_covers: {MAX_ROW + 1}\n")),
            f"sop.yaml:24:18: rows[2].time_covers: must be at most {MAX_ROW}",
        ),
    ],
)
def test_a_row_number_beyond_its_bound_is_refused_at_its_line(text: str, expected: str) -> None:
    assert problems(text) == [expected]


def test_the_largest_row_number_is_valid() -> None:
    text = edit(("  - step: 3\n", f"  - step: {MAX_ROW}\n"), ("to: 3}", f"to: {MAX_ROW}}}"))
    assert problems(text) == []


@pytest.mark.parametrize("name", ["sop.yaml", "org.yaml", "sopctl.yaml"])
def test_a_number_of_5000_digits_is_refused_at_its_line_in_every_kind_of_file(name: str) -> None:
    digits = "9" * 5000
    path = Path(name)
    text = {
        "sop.yaml": edit(("total_time: 60 Menit", f"total_time: {digits}")),
        "org.yaml": f"schema: 1\npeople:\n  - nip: {digits}\n    name: Budi\n",
        "sopctl.yaml": f"clocks:\n  x: {digits}\n",
    }[name]
    path.write_text(text, encoding="utf-8")
    if name == "sop.yaml":
        found = [str(p) for p in load_catalog([path]).problems]
    elif name == "org.yaml":
        found = [str(p) for p in org_problems(path, [])]
    else:
        found = [str(p) for p in config_problems(path)]
    line, column = {"sop.yaml": (26, 13), "org.yaml": (3, 10), "sopctl.yaml": (2, 6)}[name]
    assert found == [
        f"{name}:{line}:{column}: a whole number of 5,000 digits: sopctl reads at most 100; "
        "if it is text, put it in quotes"
    ]


# -- a file with thousands of problems ---------------------------------------------------------


def test_ninety_thousand_unknown_keys_are_reported_as_the_first_hundred_and_a_count() -> None:
    Path("sop.yaml").write_text(MINIMAL + "".join(f"k{n}: 1\n" for n in range(90_000)), encoding="utf-8")
    found = load_catalog([Path("sop.yaml")]).problems
    assert len(found) == MAX_PROBLEMS + 1
    assert str(found[0]) == (
        'sop.yaml:27:1: k0: unknown key "k0"; known keys: schema, id, code, name, number, language, '
        "timezone, clock, organization, dates, approved_by, legal_basis, qualifications, related, "
        "equipment, warnings, records, lanes, steps, total_time"
    )
    assert [p.line for p in found[:MAX_PROBLEMS]] == list(range(27, 27 + MAX_PROBLEMS))
    more = found[-1]
    assert isinstance(more, MoreProblems)
    assert (str(more), more.as_dict()["more"]) == ("… and 89,900 more problems in sop.yaml", 89_900)
    assert count_problems(found) == 90_000
    assert str(ValidationFailed(found)) == "90,000 problems found"


def test_a_misspelt_key_among_the_listed_ones_still_hides_the_missing_key_it_causes() -> None:
    text = edit(("name: Contoh SOP\n", "nama: Contoh SOP\n")) + "".join(f"k{n}: 1\n" for n in range(300))
    found = problems(text)
    assert found[0] == 'sop.yaml:3:1: nama: unknown key "nama" (did you mean "name"?)'
    assert not any("missing" in p for p in found)
    assert found[-1] == "… and 201 more problems in sop.yaml"


def test_a_file_with_a_hundred_problems_is_listed_whole() -> None:
    found = problems(MINIMAL + "".join(f"k{n}: 1\n" for n in range(MAX_PROBLEMS)))
    assert len(found) == MAX_PROBLEMS and not found[-1].startswith("…")


def test_an_organisation_file_with_many_problems_is_capped_too() -> None:
    Path("org.yaml").write_text("schema: 1\n" + "".join(f"k{n}: 1\n" for n in range(500)), encoding="utf-8")
    with pytest.raises(ValidationFailed) as caught:
        load_org(Path("org.yaml"))
    assert [str(p) for p in caught.value.problems[-1:]] == ["… and 400 more problems in org.yaml"]
    assert str(caught.value) == "500 problems found"


# -- files that are not files -------------------------------------------------------------------


def test_a_fifo_as_organisation_file_or_site_config_is_a_problem_not_a_wait(workdir: Path) -> None:
    import os

    os.mkfifo("org.yaml")
    os.mkfifo("sopctl.yaml")
    with pytest.raises(ValidationFailed) as org:
        load_org(Path("org.yaml"))
    with pytest.raises(ValidationFailed) as config:
        load_config(Path("sopctl.yaml"))
    assert [str(p) for p in org.value.problems + config.value.problems] == [
        "org.yaml: is a named pipe (FIFO), not a file",
        "sopctl.yaml: is a named pipe (FIFO), not a file",
    ]


def test_a_catalogue_folder_too_large_to_be_one_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_ENTRIES", 3)
    for n in range(4):
        Path("sops").mkdir(exist_ok=True)
        Path(f"sops/{n}.yaml").write_text(MINIMAL)
    with pytest.raises(UsageError) as caught:
        load_catalog([Path("sops")])
    assert str(caught.value) == (
        "the folder sops holds more than 3 files and folders; a catalogue folder holds SOP files: "
        "is it the right folder?"
    )


def test_an_unreadable_folder_in_the_catalogue_is_a_problem_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os

    Path("sops/private").mkdir(parents=True)
    Path("sops/a.yaml").write_text(MINIMAL)
    real_scandir = os.scandir

    def scandir(path: Path) -> object:
        if Path(path).name == "private":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    catalog = load_catalog([Path("sops")])
    assert list(catalog.sops) == ["contoh-sop"]
    assert [str(p) for p in catalog.problems] == [
        "sops/private: cannot read this folder (Permission denied): its SOP files were not checked"
    ]


def test_a_file_whose_name_is_not_utf8_is_a_problem_of_its_own(workdir: Path) -> None:
    import os

    Path("sops").mkdir()
    Path("sops/a.yaml").write_text(MINIMAL)
    os.rename("sops/a.yaml", os.fsdecode(b"sops/\xff.yaml"))
    catalog = load_catalog([Path("sops")])
    assert catalog.sops == {}
    assert [p.message for p in catalog.problems] == ["the file's name is not UTF-8 text: rename it"]
