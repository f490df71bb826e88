"""Loading SOP files: every rule, type error and catalogue rule reported at its file:line:col.

Most failing cases start from MINIMAL, a small valid SOP, and change one thing.
Its line numbers, for reading the expected positions below:

     1 schema: 1                    14     kind: decision
     2 id: contoh-sop               15     activity: Memeriksa berkas
     3 name: Contoh SOP             16     lanes: [kepala]
     4 lanes:                       17     time: 30 Menit
     5   - {id: staf, name: Staf}   18     branches:
     6   - {id: kepala, ...}        19       - {label: Ya, to: 3}
     7 steps:                       20       - {label: Tidak, to: 1}
     8   - step: 1                  21   - step: 3
     9     kind: start              22     kind: end
    10     activity: Menerima ...   23     activity: Mengarsipkan
    11     lanes: [staf]            24     lanes: [staf]
    12     time: 15 Menit           25     time: 15 Menit
    13   - step: 2                  26 total_time: 60 Menit
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sopctl.errors import ExitCode, NotFoundError, UsageError, ValidationFailed
from sopctl.sop.loader import Catalog, load_catalog, load_sop
from sopctl.sop.model import RelatedSop

MINIMAL = """\
schema: 1
id: contoh-sop
name: Contoh SOP
lanes:
  - {id: staf, name: Staf}
  - {id: kepala, name: Kepala}
steps:
  - step: 1
    kind: start
    activity: Menerima berkas
    lanes: [staf]
    time: 15 Menit
  - step: 2
    kind: decision
    activity: Memeriksa berkas
    lanes: [kepala]
    time: 30 Menit
    branches:
      - {label: Ya, to: 3}
      - {label: Tidak, to: 1}
  - step: 3
    kind: end
    activity: Mengarsipkan
    lanes: [staf]
    time: 15 Menit
total_time: 60 Menit
"""


def edit(*changes: tuple[str, str], text: str = MINIMAL) -> str:
    """MINIMAL with each ``old`` (which must occur exactly once) replaced by ``new``."""
    for old, new in changes:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    return text


def renamed(sop_id: str, code: str | None = None) -> str:
    """MINIMAL under another id (and instance prefix), for a second SOP in a catalogue."""
    header = f"name: SOP {sop_id}\n" + (f"code: {code}\n" if code else "")
    return edit(("id: contoh-sop", f"id: {sop_id}"), ("name: Contoh SOP\n", header))


def after(anchor: str, lines: str, text: str = MINIMAL) -> str:
    """``text`` with ``lines`` inserted after the line ``anchor`` (which must be unique)."""
    return edit((anchor, anchor + lines), text=text)


@pytest.fixture(autouse=True)
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in tmp_path, so problems name files as "sop.yaml", like a user typing a relative path."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(text: str, name: str = "sop.yaml") -> Path:
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems(text: str) -> list[str]:
    """Every problem found in one file holding ``text``."""
    catalog = load_catalog([write(text)])
    return [str(p) for p in catalog.problems]


def test_a_total_written_in_hours_and_minutes_is_checked_as_their_sum() -> None:
    assert problems(edit(("total_time: 60 Menit", "total_time: 1 jam"))) == []
    assert (
        problems(edit(("    time: 30 Menit\n", "    time: 1 jam 25 menit\n"), ("60 Menit", "1 jam 55 menit")))
        == []
    )
    wrong = edit(("total_time: 60 Menit", "total_time: 1 jam 5 menit"))
    assert problems(wrong) == [
        'sop.yaml:26:13: total_time: the stated total "1 jam 5 menit" differs from the sum along the main '
        "path, 1 jam (steps 1, 2, 3; the first branch of each decision)"
    ]


def test_a_total_of_days_and_minutes_can_be_stated_as_the_check_prints_it() -> None:
    # Steps in days and in minutes: the total is a sum in two units, which must be writable.
    days = edit(("    time: 30 Menit\n", "    time: 2 hari\n"))
    wrong = days.replace("total_time: 60 Menit", "total_time: 60 menit")
    assert problems(wrong) == [
        'sop.yaml:26:13: total_time: the stated total "60 menit" differs from the sum along the main '
        "path, 2 hari 30 menit (steps 1, 2, 3; the first branch of each decision)"
    ]
    for stated in ("2 hari 30 menit", "2 Hari Kerja 0,5 Jam"):
        assert problems(days.replace("total_time: 60 Menit", f"total_time: {stated}")) == []
    assert problems(days.replace("total_time: 60 Menit", "total_time: 2 hari 30 mnt x")) == [
        'sop.yaml:26:13: total_time: unknown unit "mnt x" in "2 hari 30 mnt x" (did you mean "mnt"?); '
        'write it as "15 menit", "2 jam", "1 hari", "3 hari kerja", "1 minggu", "1-3 hari", or "-" for none'
    ]


def test_a_total_of_ranges_is_stated_as_the_range_or_as_its_limit() -> None:
    ranged = edit(("    time: 30 Menit\n", "    time: 1 – 20 Hari Kerja\n"))
    for stated in ("1 – 20 hari 30 menit", "20 Hari Kerja 30 Menit"):
        assert problems(ranged.replace("total_time: 60 Menit", f"total_time: {stated}")) == []
    assert problems(ranged.replace("total_time: 60 Menit", "total_time: 2 – 20 hari 30 menit")) == [
        'sop.yaml:26:13: total_time: the stated total "2 – 20 hari 30 menit" differs from the sum along '
        "the main path, 1 – 20 hari 30 menit (steps 1, 2, 3; the first branch of each decision)"
    ]


def test_a_time_longer_than_ten_years_names_its_line() -> None:
    assert problems(edit(("time: 30 Menit", "time: 99999999999 hari"))) == [
        'sop.yaml:17:11: steps[1].time: the time "99999999999 hari" is longer than 10 years, the longest '
        "limit sopctl takes (at most 2500 hari kerja)"
    ]


def test_minimal_is_valid() -> None:
    catalog = load_catalog([write(MINIMAL)])
    assert catalog.problems == []
    assert list(catalog.sops) == ["contoh-sop"]
    assert catalog.files == 1


@pytest.mark.parametrize(
    ("zone", "name"),
    [("Asia/Jakarta", "WIB"), ("Asia/Pontianak", "WIB"), ("Asia/Makassar", "WITA"), ("Asia/Jayapura", "WIT")],
)
def test_each_indonesian_timezone_is_accepted(zone: str, name: str) -> None:
    path = write(after("name: Contoh SOP\n", f"timezone: {zone}\n"))
    assert load_sop(path).sop.timezone == zone
    for month in (1, 7):  # no DST: the same name (and offset) all year
        assert dt.datetime(2026, month, 1, tzinfo=ZoneInfo(zone)).tzname() == name


# -- one failing fixture per semantic rule ------------------------------------------------

SEMANTIC = [
    pytest.param(
        edit(("  - step: 3\n", "  - step: 2\n"), ("{label: Ya, to: 3}", "{label: Ya, to: 2}")),
        ["sop.yaml:21:11: steps[2].step: step number 2 is used twice: number each row once"],
        id="duplicate step number",
    ),
    pytest.param(
        after("    kind: start\n", "    id: terima\n", after("    kind: end\n", "    id: terima\n")),
        ['sop.yaml:24:9: steps[2].id: the step id "terima" is used twice'],
        id="duplicate step id",
    ),
    pytest.param(
        edit(
            ("{id: kepala, name: Kepala}", "{id: staf, name: Kepala}"), ("lanes: [kepala]", "lanes: [staf]")
        ),
        ['sop.yaml:6:10: lanes[1].id: the lane id "staf" is used twice'],
        id="duplicate lane id",
    ),
    pytest.param(
        # `to: "1"` would mean the row numbered 1, never this step: the id is unusable
        after("    kind: end\n", '    id: "1"\n'),
        [
            'sop.yaml:23:9: steps[2].id: the step id "1" is only digits, which reads as a step number: '
            'use a name such as "periksa-berkas"'
        ],
        id="step id of digits",
    ),
    pytest.param(
        edit(("lanes: [kepala]", "lanes: [kepla]")),
        [
            'sop.yaml:16:13: steps[1].lanes[0]: unknown lane "kepla" (did you mean "kepala"?); '
            "the lanes are: staf, kepala"
        ],
        id="unknown lane",
    ),
    pytest.param(
        edit(("{id: kepala, name: Kepala}", "{id: staf, name: Kepala}")),
        [
            'sop.yaml:6:10: lanes[1].id: the lane id "staf" is used twice',
            'sop.yaml:16:13: steps[1].lanes[0]: unknown lane "kepala"; the lanes are: staf',
        ],
        id="unknown lane among duplicates",
    ),
    pytest.param(
        edit(("lanes: [kepala]", "lanes: [kepala, kepala]")),
        ["sop.yaml:16:12: steps[1].lanes: a lane is listed twice"],
        id="lane listed twice in a step",
    ),
    pytest.param(
        after("    activity: Menerima berkas\n", "    next: 9\n"),
        ['sop.yaml:11:11: steps[0].next: "next" names step 9, which does not exist'],
        id="next to a missing step",
    ),
    pytest.param(
        after("    activity: Menerima berkas\n", "    next: [2, periksa]\n"),
        ["sop.yaml:11:15: steps[0].next[1]: \"next\" names step 'periksa', which does not exist"],
        id="next to a missing step id in a split",
    ),
    pytest.param(
        after("    activity: Menerima berkas\n", '    next: "²"\n'),
        ["sop.yaml:11:11: steps[0].next: \"next\" names step '²', which does not exist"],
        id="next to a superscript digit",
    ),
    pytest.param(
        edit(("{label: Ya, to: 3}", "{label: Ya, to: 7}")),
        ['sop.yaml:19:25: steps[1].branches[0].to: branch "Ya" goes to step 7, which does not exist'],
        id="branch to a missing step",
    ),
    pytest.param(
        edit(("{label: Tidak, to: 1}", "{label: ya, to: 1}")),
        ['sop.yaml:20:17: steps[1].branches[1].label: the branch label "ya" is used twice in this decision'],
        id="duplicate branch label",
    ),
    pytest.param(
        edit(("      - {label: Tidak, to: 1}\n", "")),
        [
            "sop.yaml:19:7: steps[1].branches: decision step 2 needs at least 2 branches "
            "(e.g. Ya and Tidak), each with `label` and `to`"
        ],
        id="decision with one branch",
    ),
    pytest.param(
        after("    time: 30 Menit\n", "    next: 3\n"),
        [
            "sop.yaml:18:11: steps[1].next: a decision continues through its branches, not `next`: "
            "move this target into a branch"
        ],
        id="decision with next",
    ),
    pytest.param(
        after(
            "    activity: Menerima berkas\n", "    branches: [{label: Ya, to: 2}, {label: Tidak, to: 3}]\n"
        ),
        [
            "sop.yaml:11:15: steps[0].branches: only a decision has branches: "
            "make step 1 `kind: decision` or remove its branches"
        ],
        id="branches on a process step",
    ),
    pytest.param(
        after("    activity: Mengarsipkan\n", "    next: 1\n"),
        ["sop.yaml:24:11: steps[2].next: an end step has no next step"],
        id="end with next",
    ),
    pytest.param(
        edit(("    kind: end\n", "    kind: process\n")),
        [
            "sop.yaml:22:11: steps[2].kind: step 3 is the last row but not an end: "
            "make it `kind: end` or give it `next`",
            "sop.yaml:22:11: steps[2].kind: no step is `kind: end`: mark the last step(s) as end",
        ],
        id="last row not an end",
    ),
    pytest.param(
        edit(("    kind: end\n", "    kind: process\n    next: 1\n")),
        ["sop.yaml:22:11: steps[2].kind: no step is `kind: end`: mark the last step(s) as end"],
        id="no end step",
    ),
    pytest.param(
        edit(("    kind: start\n", "    kind: process\n")),
        ["sop.yaml:9:11: steps[0].kind: no step is `kind: start`: mark the first step(s) as start"],
        id="no start step",
    ),
    pytest.param(
        after(
            "      - {label: Tidak, to: 1}\n", "  - {step: 4, activity: Terlupa, lanes: [staf], next: 3}\n"
        ),
        [
            "sop.yaml:21:5: steps[2]: step 4 cannot be reached from any start step: "
            "point a `next` or a branch at it, or remove it"
        ],
        id="unreachable step",
    ),
    pytest.param(
        after(
            "      - {label: Tidak, to: 4}\n",
            "  - {step: 4, activity: Perbaikan, lanes: [staf], next: 5}\n"
            "  - {step: 5, activity: Periksa ulang, lanes: [kepala], next: 4}\n",
            edit(("{label: Tidak, to: 1}", "{label: Tidak, to: 4}")),
        ),
        [
            "sop.yaml:21:5: steps[2]: from step 4 no end step can be reached (a loop with no way out): "
            "give the loop an exit towards an end",
            "sop.yaml:22:5: steps[3]: from step 5 no end step can be reached (a loop with no way out): "
            "give the loop an exit towards an end",
        ],
        id="trap loop",
    ),
    pytest.param(
        after("    activity: Mengarsipkan\n", "    join: true\n"),
        [
            "sop.yaml:24:11: steps[2].join: step 3 is a join but only 1 flow(s) from earlier steps arrive: "
            "a join waits for 2 or more (after a parallel split)"
        ],
        id="join with one incoming flow",
    ),
    pytest.param(
        # step 2's "Tidak" flows back up into step 1: a flow from a later row does not count
        after("    activity: Menerima berkas\n", "    join: true\n"),
        [
            "sop.yaml:11:11: steps[0].join: step 1 is a join but only 0 flow(s) from earlier steps arrive: "
            "a join waits for 2 or more (after a parallel split)"
        ],
        id="join fed only by a loop back",
    ),
    pytest.param(
        edit(("    time: 15 Menit\n  - step: 2", "    time: 15 Menit\n    time_covers: 2\n  - step: 2")),
        [
            "sop.yaml:13:18: steps[0].time_covers: step 2 is inside this time cell "
            'but has its own time "30 Menit": remove one of them'
        ],
        id="time cell over a step with its own time",
    ),
    pytest.param(
        edit(
            ("    time: 15 Menit\n  - step: 2", "    time: '-'\n    time_covers: 2\n  - step: 2"),
            ("    time: 30 Menit\n", ""),
        ),
        ["sop.yaml:13:18: steps[0].time_covers: a time cell that spans rows needs a time"],
        id="time cell without a time",
    ),
    pytest.param(
        after("    activity: Mengarsipkan\n", "    time_covers: 3\n"),
        ["sop.yaml:24:18: steps[2].time_covers: the time cell cannot span 3 rows: only this row is left"],
        id="time cell past the last row",
    ),
    pytest.param(
        after("    activity: Memeriksa berkas\n", "    time_covers: 4\n"),
        [
            "sop.yaml:16:18: steps[1].time_covers: the time cell cannot span 4 rows: only 2 rows are left",
            "sop.yaml:16:18: steps[1].time_covers: step 3 is inside this time cell but has its own time "
            '"15 Menit": remove one of them',
        ],
        id="time cell past the end and over a timed step",
    ),
    pytest.param(
        edit(("total_time: 60 Menit", "total_time: 90 Menit")),
        [
            'sop.yaml:26:13: total_time: the stated total "90 Menit" differs from the sum along the main '
            "path, 1 jam (steps 1, 2, 3; the first branch of each decision)"
        ],
        id="wrong total",
    ),
    pytest.param(
        after("name: Contoh SOP\n", "code: pdk\n"),
        [
            "sop.yaml:4:7: code: 'pdk' is not allowed here: "
            'use 2-8 capital letters or digits, starting with a letter, e.g. "PDK"'
        ],
        id="bad instance code",
    ),
    pytest.param(
        edit(("id: contoh-sop", "id: x")),
        [
            'sop.yaml:2:5: id: cannot make an instance prefix from the id "x": '
            "add `code:` with 2-8 capital letters, e.g. `code: PDK`"
        ],
        id="id too short for an instance prefix",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SEMANTIC)
def test_each_semantic_rule_names_its_line(text: str, expected: list[str]) -> None:
    assert problems(text) == expected


FLOW_HEAD = """\
schema: 1
id: alur
name: Alur
lanes: [{id: staf, name: Staf}, {id: kepala, name: Kepala}]
steps:
"""


def flow(*steps: str) -> str:
    """An SOP with these flow-style step lines (line 6 is the first step)."""
    return FLOW_HEAD + "".join(f"  - {{{step}}}\n" for step in steps)


def test_a_join_after_the_branches_of_a_decision_would_never_open() -> None:
    text = flow(
        "step: 1, kind: start, activity: Terima, lanes: staf",
        "step: 2, kind: decision, activity: Periksa, lanes: kepala, "
        "branches: [{label: Ya, to: 3}, {label: Tidak, to: 4}]",
        "step: 3, activity: Setujui, lanes: kepala, next: 5",
        "step: 4, activity: Tolak, lanes: kepala",
        "step: 5, activity: Gabung, lanes: staf, join: true",
        "step: 6, kind: end, activity: Arsip, lanes: staf",
    )
    assert problems(text) == [
        'sop.yaml:10:52: steps[4].join: step 5 is a join, but when decision 2 goes "Ya" no flow from step 4 '
        "arrives, so it would never open: a join is for the branches of a parallel split (`next: [a, b]`), "
        "not the branches of a decision"
    ]


def test_a_join_fed_straight_from_a_decision_would_never_open() -> None:
    text = flow(
        "step: 1, kind: start, activity: Terima, lanes: staf",
        "step: 2, kind: decision, activity: Periksa, lanes: kepala, "
        "branches: [{label: Lengkap, to: 4}, {label: Kurang, to: 3}]",
        "step: 3, activity: Lengkapi, lanes: staf",
        "step: 4, activity: Gabung, lanes: staf, join: true",
        "step: 5, kind: end, activity: Arsip, lanes: staf",
    )
    assert problems(text) == [
        'sop.yaml:9:52: steps[3].join: step 4 is a join, but when decision 2 goes "Lengkap" no flow from '
        "step 3 arrives, so it would never open: a join is for the branches of a parallel split "
        "(`next: [a, b]`), not the branches of a decision"
    ]


def test_a_join_after_a_split_with_a_correction_loop_in_one_branch_is_valid() -> None:
    text = flow(
        "step: 1, kind: start, activity: Terima, lanes: staf, next: [2, 4]",
        "step: 2, activity: Susun, lanes: staf",
        "step: 3, kind: decision, activity: Periksa, lanes: kepala, "
        "branches: [{label: Ya, to: 5}, {label: Tidak, to: 2}]",
        "step: 4, activity: Catat, lanes: staf, next: 5",
        "step: 5, activity: Gabung, lanes: kepala, join: true",
        "step: 6, kind: end, activity: Arsip, lanes: staf",
    )
    assert problems(text) == []


def test_a_split_and_join_inside_one_branch_of_a_decision_is_valid() -> None:
    text = flow(
        "step: 1, kind: start, activity: Terima, lanes: staf",
        "step: 2, kind: decision, activity: Periksa, lanes: kepala, "
        "branches: [{label: Ya, to: 3}, {label: Tidak, to: 1}]",
        "step: 3, activity: Bagi, lanes: kepala, next: [4, 5]",
        "step: 4, activity: Susun, lanes: staf, next: 6",
        "step: 5, activity: Catat, lanes: staf",
        "step: 6, activity: Gabung, lanes: kepala, join: true",
        "step: 7, kind: end, activity: Arsip, lanes: staf",
    )
    assert problems(text) == []


def test_a_step_reference_in_quoted_digits_is_the_step_number() -> None:
    catalog = load_catalog([write(after("    activity: Menerima berkas\n", '    next: " 2 "\n'))])
    assert catalog.problems == []
    assert catalog.get("contoh-sop").procedure.step(1).next == (2,)


# -- type errors mapped to lines ---------------------------------------------------------

TYPES = [
    pytest.param(
        after("name: Contoh SOP\n", "nmae: Contoh\n"),
        ['sop.yaml:4:1: nmae: unknown key "nmae" (did you mean "name"?)'],
        id="unknown top-level key",
    ),
    pytest.param(
        after("    kind: end\n", "    activty: Mengarsipkan\n", edit(("    activity: Mengarsipkan\n", ""))),
        # one mistake, one message: not also 'missing required key "activity"'
        ['sop.yaml:23:5: steps[2].activty: unknown key "activty" (did you mean "activity"?)'],
        id="misspelt required key",
    ),
    pytest.param(
        edit(("    time: 30 Menit\n", "    waktu: 30 Menit\n")),
        ['sop.yaml:17:5: steps[1].waktu: unknown key "waktu" (did you mean "time"?)'],
        id="the official label instead of the key",
    ),
    pytest.param(
        edit(("    activity: Mengarsipkan\n", "    Aktivitas: Mengarsipkan\n")),
        ['sop.yaml:23:5: steps[2].Aktivitas: unknown key "Aktivitas" (did you mean "activity"?)'],
        id="a required key written as its label",
    ),
    pytest.param(
        edit(("    activity: Mengarsipkan\n", "    activity: ''\n")),
        ["sop.yaml:23:15: steps[2].activity: must not be empty"],
        id="empty text",
    ),
    pytest.param(
        edit(("    activity: Mengarsipkan\n", "    activity: '   '\n")),
        ["sop.yaml:23:15: steps[2].activity: must not be empty"],
        id="blank text",
    ),
    pytest.param(
        after("name: Contoh SOP\n", "frobnicate: 1\n"),
        [
            'sop.yaml:4:1: frobnicate: unknown key "frobnicate"; known keys: schema, id, code, name, '
            "number, language, timezone, clock, organization, dates, approved_by, legal_basis, "
            "qualifications, related, equipment, warnings, records, lanes, steps, total_time"
        ],
        id="unknown key far from any",
    ),
    pytest.param(
        after("name: Contoh SOP\n", "organization: [Dinas, Bidang]\n"),
        ["sop.yaml:4:15: organization: expected a mapping (key: value), not a list"],
        id="list where a mapping belongs",
    ),
    pytest.param(
        edit(("  - {id: kepala, name: Kepala}\n", "  - [kepala, Kepala]\n")),
        ["sop.yaml:6:5: lanes[1]: expected a mapping (key: value), not a list"],
        id="list where a lane belongs",
    ),
    pytest.param(
        edit(("kind: decision", "kind: decisoin")),
        [
            "sop.yaml:14:11: steps[1].kind: must be one of start, process, decision, end, "
            "not 'decisoin' (did you mean \"decision\"?)"
        ],
        id="wrong kind",
    ),
    pytest.param(
        after("name: Contoh SOP\n", "timezone: Asia/Jakrta\n"),
        [
            'sop.yaml:4:11: timezone: unknown timezone "Asia/Jakrta": use Asia/Jakarta or '
            "Asia/Pontianak (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)"
        ],
        id="bad timezone",
    ),
    *(
        pytest.param(
            after("name: Contoh SOP\n", f"timezone: {zone}\n"),
            [
                f'sop.yaml:4:11: timezone: "{zone}" is not an Indonesian timezone: use Asia/Jakarta or '
                "Asia/Pontianak (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)"
            ],
            id=f"foreign timezone {zone}",
        )
        # With DST, or another country's holidays: an Indonesian office never keeps these.
        for zone in ("America/New_York", "Europe/Paris", "UTC", "Asia/Dili")
    ),
    pytest.param(
        after("name: Contoh SOP\n", "timezone: Asia/Ujung_Pandang\n"),
        [
            'sop.yaml:4:11: timezone: "Asia/Ujung_Pandang" is the old name of Asia/Makassar: '
            "write Asia/Makassar (WITA)"
        ],
        id="old name of a timezone",
    ),
    pytest.param(
        after("name: Contoh SOP\n", "dates: {made: 2022-02-30}\n"),
        ['sop.yaml:4:15: dates.made: "2022-02-30" is not a real date'],
        id="impossible date",
    ),
    pytest.param(
        after("name: Contoh SOP\n", "dates:\n  effective: 7 Maret 2022\n"),
        ["sop.yaml:5:14: dates.effective: write the date as YYYY-MM-DD, or YYYY-MM when the day is unknown"],
        id="date in words",
    ),
    pytest.param(
        after("name: Contoh SOP\n", "approved_by:\n  nip: 19621001 198701 3 015\n"),
        ['sop.yaml:5:8: approved_by.nip: NIP "19621001 198701 3 015": digit 15 is the gender, 1 or 2, not 3'],
        id="bad NIP",
    ),
    pytest.param(
        edit(("time: 30 Menit", "time: 30 Mnit")),
        [
            'sop.yaml:17:11: steps[1].time: unknown unit "Mnit" in "30 Mnit" (did you mean "menit"?); '
            'write it as "15 menit", "2 jam", "1 hari", "3 hari kerja", "1 minggu", "1-3 hari", '
            'or "-" for none'
        ],
        id="typo in a time unit",
    ),
    pytest.param(
        edit(("time: 30 Menit", "time: 30")),
        ['sop.yaml:17:11: steps[1].time: "30" has no unit: write e.g. "30 menit" or "30 hari"'],
        id="time without a unit",
    ),
    pytest.param(
        edit(("  - step: 2\n", "  - step: dua\n")),
        ['sop.yaml:13:11: steps[1].step: expected a whole number, not the text "dua"'],
        id="step number in words",
    ),
    pytest.param(
        edit(("    activity: Memeriksa berkas\n", "")),
        ['sop.yaml:13:5: steps[1].activity: missing required key "activity"'],
        id="missing required key",
    ),
    pytest.param(
        edit(("{id: staf, name: Staf}", "{id: Staf Umum, name: Staf}")),
        [
            "sop.yaml:5:10: lanes[0].id: 'Staf Umum' is not allowed here: "
            'use lower-case letters, digits and dashes, e.g. "kasubag-umpeg"'
        ],
        id="lane id not a slug",
    ),
    pytest.param(
        edit(("{id: staf, name: Staf}", "{id: staf, name: Staf, short: STAFUMUMX}")),
        ["sop.yaml:5:35: lanes[0].short: may have at most 8 characters"],
        id="abbreviation too long",
    ),
    pytest.param(
        edit(("  - step: 1\n", "  - step: 0\n"), ("to: 1}", "to: 0}")),
        ["sop.yaml:8:11: steps[0].step: must be at least 1"],
        id="step zero",
    ),
    pytest.param(
        after("    activity: Mengarsipkan\n", "    join: maybe\n"),
        ['sop.yaml:24:11: steps[2].join: expected true or false, not the text "maybe"'],
        id="join not a boolean",
    ),
    pytest.param(
        after("    activity: Menerima berkas\n", "    next: {step: 2}\n"),
        ["sop.yaml:11:11: steps[0].next: expected a whole number or text or a list, not a mapping"],
        id="next as a mapping",
    ),
    # YAML `true` must not pass for step 1 (pydantic's lax mode takes True as 1)
    pytest.param(
        edit(("{label: Tidak, to: 1}", "{label: Tidak, to: true}")),
        ["sop.yaml:20:28: steps[1].branches[1].to: expected a step number or a step id, not true"],
        id="branch to true",
    ),
    pytest.param(
        after("    activity: Menerima berkas\n", "    next: [2, false]\n"),
        ["sop.yaml:11:11: steps[0].next: expected a step number or a step id, not false"],
        id="next to false",
    ),
    pytest.param(
        edit(("  - step: 1\n", "  - step: true\n")),
        ["sop.yaml:8:11: steps[0].step: expected a whole number, not true"],
        id="step number true",
    ),
    pytest.param(
        after("    activity: Menerima berkas\n", "    time_covers: true\n"),
        ["sop.yaml:11:18: steps[0].time_covers: expected a whole number, not true"],
        id="time_covers true",
    ),
    pytest.param(
        edit(("{label: Tidak, to: 1}", "{label: Tidak}")),
        ['sop.yaml:20:9: steps[1].branches[1].to: missing required key "to"'],
        id="branch without a target",
    ),
    pytest.param(
        after("name: Contoh SOP\n", "related:\n  - {sop: contoh-sop, catatan: lihat}\n"),
        ['sop.yaml:5:23: related[0].catatan: unknown key "catatan"; known keys: sop'],
        id="unknown key in a related SOP",
    ),
    pytest.param(
        after("name: Contoh SOP\n", "related:\n  - {id: contoh-sop}\n"),
        [
            'sop.yaml:5:5: related[0].sop: missing required key "sop"',
            'sop.yaml:5:6: related[0].id: unknown key "id"; known keys: sop',
        ],
        id="related SOP without sop",
    ),
    pytest.param(
        after("name: Contoh SOP\n", "related: [{sop: Data Pegawai}]\n"),
        [
            "sop.yaml:4:17: related[0].sop: 'Data Pegawai' is not allowed here: "
            'use lower-case letters, digits and dashes, e.g. "kasubag-umpeg"'
        ],
        id="related SOP id not a slug",
    ),
    pytest.param(
        edit(("schema: 1", "schema: 3")),
        ["sop.yaml:1:9: this file is in format version 3; this sopctl reads versions 1 to 2: upgrade sopctl"],
        id="newer format",
    ),
    pytest.param(
        edit(("schema: 1", "schema: satu")),
        ["sop.yaml:1:9: schema: must be one of 1, 2, not 'satu'"],
        id="format version in words",
    ),
    pytest.param(
        edit(("schema: 1", 'schema: "1"')),
        ["sop.yaml:1:9: schema: write 1 as a number, without quotes"],
        id="format version in quotes",
    ),
    pytest.param(
        edit(("schema: 1\n", "")),
        ['sop.yaml:1:1: schema: missing required key "schema"'],
        id="no format version",
    ),
    pytest.param(
        edit(
            ("  - {id: staf, name: Staf}\n  - {id: kepala, name: Kepala}\n", ""),
            ("lanes:\n", "lanes: []\n"),
        ),
        ["sop.yaml:4:8: lanes: needs at least 1 item(s)"],
        id="no lanes",
    ),
    pytest.param(
        "- schema: 1\n",
        ["sop.yaml:1:1: an SOP file is a mapping of keys (schema:, id:, name:, ...), not a list"],
        id="a list instead of an SOP",
    ),
    pytest.param(
        MINIMAL + "id: lain\n",
        ['sop.yaml:27:1: id: the key "id" appears twice (first at line 2, column 1)'],
        id="duplicate key",
    ),
    pytest.param(
        MINIMAL + "---\nschema: 1\n",
        ["sop.yaml:27:1: the file holds more than one YAML document (a second ---)"],
        id="two documents",
    ),
]


@pytest.mark.parametrize(("text", "expected"), TYPES)
def test_each_type_error_names_its_line(text: str, expected: list[str]) -> None:
    assert problems(text) == expected


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    text = edit(
        ("kind: decision", "kind: decisoin"),
        ("time: 30 Menit", "time: 30 Mnit"),
        ("name: Contoh SOP\n", "name: Contoh SOP\ntimezone: WIB\n"),
    )
    found = problems(text)
    assert [p.split(": ")[0] for p in found] == ["sop.yaml:4:11", "sop.yaml:15:11", "sop.yaml:18:11"]


# -- files and folders --------------------------------------------------------------------


def test_an_empty_file() -> None:
    assert problems("") == ["sop.yaml:1:1: the file is empty: an SOP file starts with `schema: 2`"]
    assert problems("# nothing yet\n") == [
        "sop.yaml:1:1: the file is empty: an SOP file starts with `schema: 2`"
    ]


def test_a_missing_path_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as caught:
        load_catalog([Path("missing.yaml")])
    assert str(caught.value) == "missing.yaml: no such file or folder"
    assert caught.value.exit_code is ExitCode.USAGE


def test_a_folder_without_yaml(workdir: Path) -> None:
    write("not an SOP\n", "kosong/README.txt")
    catalog = load_catalog([Path("kosong")])
    assert [str(p) for p in catalog.problems] == ["kosong: no SOP files (*.yaml, *.yml) in this folder"]
    assert catalog.sops == {}
    assert catalog.files == 0


def test_a_folder_is_searched_for_yaml_and_yml_but_not_hidden_folders() -> None:
    write(MINIMAL, "sops/a.yaml")
    write(renamed("kedua", code="KD"), "sops/sub/b.yml")
    write("rusak: [\n", "sops/.git/c.yaml")
    write("rusak: [\n", "sops/notes.txt")
    catalog = load_catalog([Path("sops")])
    assert catalog.problems == []
    assert sorted(catalog.sops) == ["contoh-sop", "kedua"]
    assert catalog.sops["kedua"].path == Path("sops/sub/b.yml")
    assert catalog.files == 2


def test_all_problems_of_all_files_are_reported_in_one_run() -> None:
    write(MINIMAL, "sops/a-valid.yaml")
    write(edit(("id: contoh-sop", "id: b"), ("time: 30 Menit", "time: 30 Mnit")), "sops/b.yaml")
    write("", "sops/c.yaml")
    write("schema: 1\nid: d\nid: e\n", "sops/d.yaml")
    catalog = load_catalog([Path("sops")])
    assert list(catalog.sops) == ["contoh-sop"]
    assert [(p.file, p.line) for p in catalog.problems] == [
        ("sops/b.yaml", 17),
        ("sops/c.yaml", 1),
        ("sops/d.yaml", 3),
    ]
    assert catalog.files == 4


def test_load_sop_raises_with_every_problem() -> None:
    path = write(edit(("time: 30 Menit", "time: 30 Mnit"), ("kind: decision", "kind: keputusan")))
    with pytest.raises(ValidationFailed) as caught:
        load_sop(path)
    assert [(p.line, p.column) for p in caught.value.problems] == [(14, 11), (17, 11)]
    assert str(caught.value) == "2 problems found"
    assert caught.value.exit_code is ExitCode.USAGE  # bad input; only the validate command exits 1


def test_load_sop_of_a_path_that_is_not_a_file_is_a_usage_error(workdir: Path) -> None:
    with pytest.raises(NotFoundError) as missing:
        load_sop(Path("tidak-ada.yaml"))
    assert str(missing.value) == "tidak-ada.yaml: no such file"
    assert missing.value.exit_code is ExitCode.USAGE
    (workdir / "sops").mkdir()
    with pytest.raises(NotFoundError) as folder:
        load_sop(Path("sops"))
    assert str(folder.value) == "sops is a folder: give an SOP file, or use sopctl validate for a folder"


# -- catalogue rules -------------------------------------------------------------------


def test_an_sop_id_used_by_two_files() -> None:
    write(MINIMAL, "sops/a.yaml")
    write(after("name: Contoh SOP\n", "code: LAIN\n"), "sops/b.yaml")
    write(
        after("name: Contoh SOP\n", "related: [{sop: contoh-sop}]\n").replace("contoh-sop\n", "ketiga\n"),
        "sops/c.yaml",
    )
    catalog = load_catalog([Path("sops")])
    assert [str(p) for p in catalog.problems] == [
        'sops/b.yaml:2:5: id: the id "contoh-sop" is already used by sops/a.yaml',
        'sops/a.yaml:2:5: id: the id "contoh-sop" is also used by sops/b.yaml',
        'sops/c.yaml:4:17: related[0].sop: the related SOP "contoh-sop" did not load: fix sops/b.yaml first',
    ]
    # Which file `start contoh-sop` means cannot be known: it is refused, not guessed.
    assert list(catalog.sops) == []
    with pytest.raises(ValidationFailed) as refused:
        catalog.get("contoh-sop")
    assert [p.file for p in refused.value.problems] == ["sops/b.yaml"]
    with pytest.raises(ValidationFailed):
        catalog.get("ketiga")  # its Keterkaitan names an SOP that is not used


def test_an_instance_prefix_used_by_two_sops() -> None:
    write(MINIMAL, "sops/a.yaml")  # "contoh-sop" -> CS
    write(edit(("id: contoh-sop", "id: cek-status")), "sops/b.yaml")  # "cek-status" -> CS
    write(renamed("lain", code="CS"), "sops/c.yaml")
    catalog = load_catalog([Path("sops")])
    used = 'the instance prefix "CS" is already used by sops/a.yaml: set a different `code:`'
    assert [str(p) for p in catalog.problems] == [
        f"sops/b.yaml:2:5: id: {used}",
        f"sops/c.yaml:4:7: code: {used}",
    ]
    assert list(catalog.sops) == ["contoh-sop"]


def test_a_related_sop_that_is_not_in_the_catalogue() -> None:
    text = after("name: Contoh SOP\n", "related:\n  - {sop: contoh-sap}\n  - {sop: tidak-ada}\n")
    assert problems(text) == [
        'sop.yaml:5:11: related[0].sop: no SOP with id "contoh-sap" in the catalogue '
        '(did you mean "contoh-sop"?)',
        'sop.yaml:6:11: related[1].sop: no SOP with id "tidak-ada" in the catalogue; '
        "write it as plain text if it is not in the catalogue",
    ]


def test_related_sops_resolve_across_files_and_free_text_stays_text() -> None:
    write(
        after("name: Contoh SOP\n", "related: [{sop: lain}, SOP Pemutakhiran Data SIMPEG]\n"), "sops/a.yaml"
    )
    write(renamed("lain", code="LN"), "sops/b.yaml")
    catalog = load_catalog([Path("sops")])
    assert catalog.problems == []
    assert catalog.sops["contoh-sop"].sop.related == [RelatedSop(sop="lain"), "SOP Pemutakhiran Data SIMPEG"]


def test_a_related_sop_whose_file_is_broken_is_named_as_broken() -> None:
    write(after("name: Contoh SOP\n", "related: [{sop: lain}]\n"), "sops/a.yaml")
    write(edit(("id: contoh-sop", "id: lain"), ("time: 30 Menit", "time: 30 Mnit")), "sops/lain.yaml")
    catalog = load_catalog([Path("sops")])
    assert [str(p) for p in catalog.problems if p.file == "sops/a.yaml"] == [
        'sops/a.yaml:4:17: related[0].sop: the related SOP "lain" did not load: fix sops/lain.yaml first'
    ]
    assert any(p.file == "sops/lain.yaml" for p in catalog.problems)


def test_catalog_get_by_id_path_or_broken_file_name() -> None:
    write(MINIMAL, "sops/contoh.yaml")
    write(edit(("time: 30 Menit", "time: 30 Mnit")), "sops/rusak.yaml")
    catalog = load_catalog([Path("sops")])
    assert catalog.get("contoh-sop").path == Path("sops/contoh.yaml")
    assert catalog.get("sops/contoh.yaml").sop.id == "contoh-sop"
    with pytest.raises(ValidationFailed) as broken:
        catalog.get("rusak")
    assert [p.line for p in broken.value.problems] == [17]


def test_catalog_get_by_the_id_a_broken_file_declares() -> None:
    # `sopctl show lain` names the broken file, whatever the file is called.
    write(MINIMAL, "sops/contoh.yaml")
    write(edit(("id: contoh-sop", "id: lain"), ("time: 30 Menit", "time: 30 Mnit")), "sops/draf-2.yaml")
    third = after("name: Contoh SOP\n", "related: [{sop: lain}]\n").replace("contoh-sop", "ketiga")
    write(third, "sops/c.yaml")
    catalog = load_catalog([Path("sops")])
    with pytest.raises(ValidationFailed) as broken:
        catalog.get("lain")
    assert [(p.file, p.line) for p in broken.value.problems] == [("sops/draf-2.yaml", 17)]
    assert catalog.get("contoh-sop").path == Path("sops/contoh.yaml")  # a good file wins
    assert any("fix sops/draf-2.yaml first" in p.message for p in catalog.problems)


def test_catalog_get_an_unknown_id_suggests_a_known_one() -> None:
    catalog = load_catalog([write(MINIMAL)])
    with pytest.raises(UsageError) as close:
        catalog.get("contoh-sob")
    assert str(close.value) == 'no SOP "contoh-sob" in the catalogue (did you mean "contoh-sop"?)'
    with pytest.raises(UsageError) as far:
        catalog.get("zzz")
    assert str(far.value) == 'no SOP "zzz" in the catalogue; known: contoh-sop'


# -- advanced features that must load -------------------------------------------------------

ADVANCED = """\
schema: 1
id: lanjutan
name: SOP dengan fitur lanjutan
code: LJT
related: [{sop: contoh-sop}]
lanes:
  - {id: staf, name: Staf}
  - {id: kepala, name: Kepala}
  - {id: vendor, name: Pihak Ketiga, external: true}
steps:
  - {step: 1, kind: start, activity: Menerima surat, lanes: [staf], time: 15 menit, next: 3}
  - {step: 2, kind: start, activity: Menerima laporan lisan, lanes: [staf], time: 15 menit, next: 3}
  - {step: 3, activity: Rapat, lanes: [staf, kepala], time: 1 jam, next: [4, 5]}
  - {step: 4, activity: Perbaikan, lanes: [vendor], time: 1 - 3 hari, next: gabung}
  - {step: 5, activity: Mencatat, lanes: [staf], time: 30 menit}
  - {step: 6, id: gabung, activity: Menggabungkan, lanes: [kepala], join: true, time: 1 hari, time_covers: 2}
  - step: 7
    kind: decision
    activity: Memeriksa
    lanes: [kepala]
    branches: [{label: Lengkap, to: akhir}, {label: Tidak lengkap, to: 3}]
  - step: 8
    id: akhir
    kind: decision
    activity: Memeriksa akhir
    lanes: [kepala]
    time: 10 menit
    branches: [{label: Setuju, to: 9}, {label: Tolak, to: 7}]
  - {step: 9, kind: end, activity: Mengarsipkan, lanes: [staf], time: 5 menit}
"""


@pytest.fixture
def advanced() -> Catalog:
    write(MINIMAL, "sops/contoh.yaml")
    write(ADVANCED, "sops/lanjutan.yaml")
    catalog = load_catalog([Path("sops")])
    assert catalog.problems == []
    return catalog


def test_parallel_split_and_join(advanced: Catalog) -> None:
    flow = advanced.get("lanjutan").procedure
    assert flow.step(3).next == (4, 5)
    assert flow.step(4).next == (6,)  # by id: "gabung"
    assert flow.step(6).join is True
    assert flow.forward_incoming(6) == (4, 5)


def test_a_joint_step_with_two_lanes(advanced: Catalog) -> None:
    assert advanced.get("lanjutan").procedure.step(3).lanes == ("staf", "kepala")


def test_two_start_steps(advanced: Catalog) -> None:
    flow = advanced.get("lanjutan").procedure
    assert flow.starts == (1, 2)
    assert flow.main_path()[0] == 1


def test_a_branch_back_into_another_decision(advanced: Catalog) -> None:
    flow = advanced.get("lanjutan").procedure
    assert [(b.label, b.to) for b in flow.step(7).branches] == [("Lengkap", 8), ("Tidak lengkap", 3)]
    assert [(b.label, b.to) for b in flow.step(8).branches] == [("Setuju", 9), ("Tolak", 7)]
    assert flow.step(7).kind == flow.step(8).kind == "decision"


def test_a_time_cell_spanning_two_rows(advanced: Catalog) -> None:
    flow = advanced.get("lanjutan").procedure
    assert flow.step(7).limit is None
    assert flow.step(7).covered_by == 6
    assert str(flow.step(6).limit) == "1 hari"


def test_an_external_lane(advanced: Catalog) -> None:
    loaded = advanced.get("lanjutan")
    assert [lane.external for lane in loaded.sop.lanes] == [False, False, True]
    assert loaded.procedure.lane("vendor").external is True
    assert loaded.procedure.lane("vendor").short == "PK"


def test_a_related_sop_resolves(advanced: Catalog) -> None:
    related = advanced.get("lanjutan").sop.related
    assert related == [RelatedSop(sop="contoh-sop")]
    assert related[0].sop in advanced.sops


def test_the_main_path_takes_all_of_a_split_and_the_first_branch(advanced: Catalog) -> None:
    flow = advanced.get("lanjutan").procedure
    assert flow.main_path() == [1, 3, 4, 5, 6, 7, 8, 9]
    # A range ("1-3 hari") keeps both bounds in the sum; its upper bound is the limit.
    assert flow.main_path_total().format() == "2 – 4 hari 2 jam"
    assert flow.main_path_total().upper.format() == "4 hari 2 jam"


@pytest.mark.parametrize("value", ["true", "1.0"])
def test_a_format_version_that_only_equals_one_is_refused(tmp_path: Path, value: str) -> None:
    path = tmp_path / "sop.yaml"
    path.write_text(MINIMAL.replace("schema: 1", f"schema: {value}"))
    problems = load_catalog([path]).problems
    found = [str(p).removeprefix(f"{path}:") for p in problems]
    assert found == [f"1:9: schema: must be 1 or 2, not {value}"]


def test_empty_cells_are_empty_not_errors(tmp_path: Path) -> None:
    path = tmp_path / "sop.yaml"
    text = MINIMAL.replace("time: 15 Menit", "time:\n    output:\n    remarks:", 1)
    path.write_text(text.replace("total_time: 60 Menit\n", ""))
    catalog = load_catalog([path])
    assert catalog.problems == []
    first = next(iter(catalog)).procedure.steps[1]
    assert (first.limit, first.output, first.remarks) == (None, "", "")


def test_a_large_catalogue_read_on_all_cores_gives_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sopctl.sop.loader as loader

    for n in range(70):
        text = renamed(f"sop-{n:02d}", code=f"S{n:02d}")
        if n == 7:
            text = text.replace("time: 30 Menit", "time: 30 jm")  # one broken file
        if n == 9:
            text = renamed("sop-08", code="S09")  # the id of file 8 again
        if n == 11:
            text = text.replace("id: sop-11", "id: sop-11\nrelated: [{sop: sop-99}]")
        (tmp_path / f"sop-{n:02d}.yaml").write_text(text)
    parallel = load_catalog([tmp_path])
    monkeypatch.setattr(loader, "PARALLEL_FROM", 10_000)
    sequential = load_catalog([tmp_path])
    assert [str(p) for p in parallel.problems] == [str(p) for p in sequential.problems]
    assert len(parallel.problems) == 4  # the duplicate id is told in both files
    assert sorted(parallel.sops) == sorted(sequential.sops)
    assert len(parallel.sops) == 66  # without 7, 8 and 9 (one id), 11
    assert parallel.sops["sop-42"].sop == sequential.sops["sop-42"].sop
    assert parallel.sops["sop-42"].digest == sequential.sops["sop-42"].digest


def test_parallel_branches_that_meet_without_a_join_are_a_problem(tmp_path: Path) -> None:
    # Forgetting `join: true` ran the meeting step once per branch, and the rest of the flow twice.
    import yaml

    from tests import flows

    steps = [{k: v for k, v in s.items() if k != "join"} for s in flows.PARALLEL["steps"]]
    (tmp_path / "paralel.yaml").write_text(
        yaml.safe_dump({**flows.PARALLEL, "steps": steps}, sort_keys=False)
    )
    [problem] = load_catalog([tmp_path]).problems
    assert problem.message == (
        "steps[3]: the parallel branches from step 1 meet again at step 4, which is not a join: it would run "
        "once for each branch; add `join: true` to step 4"
    )
    assert str(problem).startswith(f"{tmp_path / 'paralel.yaml'}:")
    # Branches that each end on their own, or a correction loop back up, are no meeting.
    for data in (flows.PARALLEL, flows.LOOP_INTO_BRANCH, flows.NESTED_LOOP):
        (tmp_path / "paralel.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
        assert load_catalog([tmp_path]).problems == []
