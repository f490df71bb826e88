"""End to end through the CLI: walks, the JSON contract, exit codes, errors."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

from rich.cells import cell_len

from sopctl.store import open_store
from tests.conftest import SOPS, Cli, Clock, pontianak_catalogue

PDK = "pengelolaan-data-kepegawaian"
ID = "PDK-2026-0001"


def start(cli: Cli, *extra: str) -> dict:  # type: ignore[type-arg]
    result = cli("start", PDK, "--title", "Mutasi a.n. Siti Aminah", "--ref", "800/12", "--json", *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_start_prints_the_status_contract(cli: Cli) -> None:
    data = start(cli)
    assert list(data) == [
        "id",
        "sop",
        "sop_version",
        "title",
        "ref",
        "state",
        "started_at",
        "ended_at",
        "held_since",
        "current",
        "history",
        "total",
        "verified",
        "catalogue",
        "intact",
    ]
    assert (data["id"], data["sop"], data["state"], data["ref"]) == (ID, PDK, "running", "800/12")
    assert len(data["sop_version"]) == 12
    assert data["started_at"] == "2026-03-02T08:00:00+07:00"
    [current] = data["current"]
    assert current == {
        "step": 1,
        "symbol": "1",
        "activity": current["activity"],
        "kind": "start",
        "text": "",
        "lanes": ["pengadministrasi-umum"],
        "branches": [],
        "pass": 1,
        "started_at": "2026-03-02T08:00:00+07:00",
        "due_at": "2026-03-02T08:15:00+07:00",
        "overdue": False,
        "late_by": None,
        "minutes_left": 15,
    }
    assert data["history"] == []
    assert data["catalogue"] == "same"  # as status --json says it, not null
    assert json.loads(cli("status", ID, "--json").stdout)["catalogue"] == "same"


def test_time_left_after_a_backdated_entry_names_the_moment_it_counts_from(cli: Cli) -> None:
    cli.clock.set("2026-03-09T10:00")  # a week after the paper trail being entered
    wide = {"COLUMNS": "250"}
    started = cli("start", PDK, "--title", "Mutasi", "--at", "2026-03-02T08:00", env=wide)
    assert started.stdout.splitlines()[-2].endswith("due 2026-03-02 08:15 WIB (15 menit left at 08:00)")
    late = cli("done", ID, "--by", "siti", "--at", "2026-03-02T08:10", env=wide)
    assert late.stdout.splitlines()[-2].endswith("due 2026-03-02 08:40 WIB (30 menit left at 08:10)")
    # ... and a week later, that step is late: the last line says so.
    assert (
        late.stdout.splitlines()[-1]
        == "  as of now (2026-03-09 10:00 WIB): step 2 LATE by 44 jam 20 menit working time"
    )
    today = cli("done", ID, "--by", "siti", env=wide)  # as of now: no moment to name
    assert today.stdout.splitlines()[-1].endswith("due 2026-03-09 10:15 WIB (15 menit left)")
    assert " at " not in today.stdout


def test_json_of_a_backdated_entry_judges_the_current_steps_as_of_now(cli: Cli) -> None:
    # Thursday 19 Nov 10:00 entered on Monday 23 Nov 09:00: step 1 (15 Menit) was due Thu 10:15.
    cli.clock.set("2026-11-23T09:00")
    data = start(cli, "--at", "2026-11-19T10:00")
    [current] = data["current"]
    assert {k: current[k] for k in ("due_at", "overdue", "late_by", "minutes_left")} == {
        "due_at": "2026-11-19T10:15:00+07:00",
        "overdue": True,
        # Thu 10:15-16:00, Fri 07:30-16:30, Mon 07:30-09:00; wall: 3 days 22 h 45 min
        "late_by": {"working_minutes": 345 + 540 + 90, "wall_minutes": 5685},
        "minutes_left": None,
    }
    assert data["total"]["working_minutes"] == 360 + 540 + 90
    assert data == json.loads(cli("status", ID, "--json").stdout)
    done = json.loads(cli("done", ID, "--by", "siti", "--at", "2026-11-19T10:10", "--json").stdout)
    assert done["history"][0]["within"] is True  # judged when it was done
    [current] = done["current"]  # step 2 (30 Menit), due Thu 10:40
    assert (current["step"], current["overdue"], current["minutes_left"]) == (2, True, None)
    assert current["late_by"] == {"working_minutes": 320 + 540 + 90, "wall_minutes": 5660}
    assert done == json.loads(cli("status", ID, "--json").stdout)


def test_text_of_a_backdated_entry_also_says_what_is_late_now(cli: Cli) -> None:
    cli.clock.set("2026-11-23T09:00")
    wide = {"COLUMNS": "250"}
    started = cli("start", PDK, "--title", "Mutasi", "--at", "2026-11-19T10:00", env=wide)
    assert started.stdout.splitlines()[1:] == [
        "  now due: step 1 [Pengadministrasi Umum] Menerima data mutasi pegawai, kenaikan pangkat, "
        "Kenaikan ga…, due 2026-11-19 10:15 WIB (15 menit left at 10:00)",
        "  as of now (2026-11-23 09:00 WIB): step 1 LATE by 16 jam 15 menit working time",
    ]
    cli.clock.set("2026-11-19T10:20")  # the same day, not yet late: nothing more to say
    other = cli("start", PDK, "--title", "Mutasi", "--at", "2026-11-19T10:10", env=wide)
    assert other.stdout.splitlines()[-1].endswith("due 2026-11-19 10:25 WIB (15 menit left at 10:10)")
    assert "as of now" not in other.stdout


def test_progress_lines_fit_the_terminal(cli: Cli) -> None:
    title = "Mutasi a.n. Siti Aminah, S.Kom. dari Dinas Pendidikan ke Dinas Kominfo Kabupaten"
    narrow = cli("start", "pengelolaan-data-kepegawaian", "--title", title)
    assert narrow.exit_code == 0
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 80
    assert title.split()[-1] in narrow.stdout and "now due: step 1" in narrow.stdout
    wide = cli("done", ID, "--by", "siti", env={"COLUMNS": "250"})
    assert wide.exit_code == 0
    assert wide.stdout.splitlines()[0].endswith("working time (within the limit)")


def test_walk_through_the_cli_with_a_correction(cli: Cli, clock: Clock) -> None:
    start(cli)
    clock.set("2026-03-02T09:30")  # the paper trail is entered afterwards, with --at
    human = cli("done", ID, "--by", "siti", "--at", "2026-03-02T08:10")
    assert human.exit_code == 0
    assert human.stdout.splitlines()[:2] == [  # wrapped at COLUMNS=80, as a terminal would be
        "PDK-2026-0001: step 1 done by siti as Pengadministrasi Umum; took 10 menit",
        "    working time (within the limit)",
    ]
    for at in ("08:50", "09:00"):
        assert cli("done", ID, "--by", "siti", "--at", f"2026-03-02T{at}").exit_code == 0
    result = cli(
        "decide", ID, "Tidak", "--by", "budi", "--note", "NIP salah", "--at", "2026-03-02T09:20", "--json"
    )
    data = json.loads(result.stdout)
    assert [c["step"] for c in data["current"]] == [2]
    assert data["current"][0]["pass"] == 2
    decision = data["history"][-1]
    assert (decision["step"], decision["branch"], decision["to"], decision["note"]) == (
        4,
        "Tidak",
        2,
        "NIP salah",
    )
    assert decision["actual"] == {"working_minutes": 20, "wall_minutes": 20}
    assert decision["standard"] == {"working_minutes": 30, "wall_minutes": 30}
    assert data["history"][1]["within"] is False  # step 2: 40 minutes against 30
    assert data["history"][1]["late_by"] == {"working_minutes": 10, "wall_minutes": 10}

    clock.set("2026-03-02T12:00")
    status = json.loads(cli("status", ID, "--json").stdout)
    [current] = status["current"]
    assert current["due_at"] == "2026-03-02T09:50:00+07:00"
    assert current["overdue"] is True
    assert current["late_by"] == {"working_minutes": 130, "wall_minutes": 130}
    assert status["verified"] is False


def test_exit_codes_and_one_line_errors(cli: Cli) -> None:
    start(cli)
    cases = [
        (("done", "PDK-2026-0042", "--by", "x"), 2, 'Error: no instance "PDK-2026-0042" in '),
        (
            ("decide", ID, "ya", "--by", "x"),
            2,
            "Error: step 1 is not a decision: complete it with `sopctl done PDK-2026-0001`\n",
        ),
        (
            ("done", ID, "--by", "x", "--at", "kemarin"),
            2,
            'Error: --at "kemarin" is not a time: write it as 2026-03-17T09:20 (office time) or '
            "2026-03-17T09:20+08:00\n",
        ),
        (
            ("done", ID, "--by", "x", "--at", "2026-03-01T08:00"),
            2,
            "Error: --at 2026-03-01T08:00+07:00 is before the instance's last event "
            "(2026-03-02T08:00+07:00): events are recorded in order\n",
        ),
        (
            ("start", "nope", "--title", "x"),
            2,
            'Error: no SOP "nope" in the catalogue; known: pemeliharaan-simpeg, '
            "pengelolaan-data-kepegawaian, pengelolaan-surat-masuk, pengumpulan-data-capaian-kinerja\n",
        ),
        (("done", ID), 2, "Error: Missing option '--by'"),
        (
            ("ps", "--state", "lost"),
            2,
            "Error: --state must be one of running, held, done, cancelled, not 'lost'\n",
        ),
        (("resume", ID), 2, "Error: cannot resume instance PDK-2026-0001: it is running\n"),
    ]
    for args, code, stderr in cases:
        result = cli(*args)
        assert result.exit_code == code, (args, result.stderr)
        assert result.stderr.startswith(stderr), (args, result.stderr)
        assert result.stderr.count("\n") == 1, result.stderr  # one line
        assert "Traceback" not in result.stderr
    assert len(open_store(cli.db).events(ID)) == 1  # nothing was written


def test_losing_a_race_exits_3(cli: Cli, clock: Clock) -> None:
    start(cli)
    clock.set("2026-03-02T09:00")
    assert cli("done", ID, "--step", "1", "--by", "siti", "--at", "2026-03-02T08:05").exit_code == 0
    late = cli("done", ID, "--step", "1", "--by", "budi", "--at", "2026-03-02T08:06")
    assert late.exit_code == 3
    assert late.stderr.startswith("Error: instance PDK-2026-0001 changed: step 1 is no longer current")


def test_hold_resume_cancel_ps_and_log(cli: Cli, clock: Clock) -> None:
    start(cli)
    clock.set("2026-03-02T10:00")
    cli("start", "pemeliharaan-simpeg", "--title", "Pemeriksaan SIMPEG", "--at", "2026-03-02T09:00")
    assert cli("hold", ID, "--reason", "menunggu SK", "--at", "2026-03-02T08:05").stdout == (
        "PDK-2026-0001 is on hold: the clock stopped\n"
    )
    held = json.loads(cli("ps", "--state", "held", "--json").stdout)
    assert [row["id"] for row in held] == [ID]
    assert "history" not in held[0]
    resumed = cli("resume", ID, "--at", "2026-03-02T09:05")
    assert resumed.stdout.startswith("PDK-2026-0001 resumed\n")
    by_sop = json.loads(cli("ps", "--sop", "pemeliharaan-simpeg", "--json").stdout)
    assert [row["id"] for row in by_sop] == ["SIMPEG-2026-0001"]
    by_lane = json.loads(cli("ps", "--lane", "kepala-sub-bidang", "--json").stdout)
    assert [row["id"] for row in by_lane] == ["SIMPEG-2026-0001"]
    assert cli("cancel", ID, "--reason", "berkas ditarik").exit_code == 0
    log = json.loads(cli("log", ID, "--json").stdout)
    assert [e["type"] for e in log] == ["started", "held", "resumed", "cancelled"]
    assert log[1]["data"] == {"reason": "menunggu SK"}
    assert log[2]["data"]["held_s"] == 60 * 60
    assert log[1]["backdated"] is True and log[1]["entered_at"] == "2026-03-02T10:00:00+07:00"
    assert log[3]["backdated"] is False and log[3]["os_user"]
    human = cli("log", ID)
    assert human.exit_code == 0 and "menunggu SK" in human.stdout


def test_a_database_that_is_not_sopctls(cli: Cli, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    result = cli("ps", env={"SOPCTL_DB": str(other)})
    assert (result.exit_code, result.stderr) == (
        5,
        f"Error: {other} is not a sopctl database (it has other tables)\n",
    )
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not sqlite" * 100)
    result = cli("ps", env={"SOPCTL_DB": str(garbage)})
    assert (
        result.exit_code == 5 and result.stderr == f"Error: cannot open {garbage}: file is not a database\n"
    )
    assert garbage.read_bytes() == b"this is not sqlite" * 100


def test_a_store_from_a_newer_sopctl_is_refused(cli: Cli) -> None:
    start(cli)
    with sqlite3.connect(cli.db) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    result = cli("status", ID)
    assert result.exit_code == 5
    assert "was written by a newer sopctl (schema 99" in result.stderr


def test_check_at_without_an_offset_is_office_time(cli: Cli) -> None:
    start(cli)  # step 1 of the WIB SOP is due 2026-03-02 08:15 WIB
    before = cli("check", "--sop", PDK, "--at", "2026-03-02T08:14")
    assert (before.exit_code, before.stderr) == (0, "0 overdue as of 2026-03-02 08:14 WIB\n")
    assert cli("check", "--sop", PDK, "--at", "2026-03-02T08:16").exit_code == 1
    assert cli("check", "--at", "2026-03-02T08:14").exit_code == 0  # only WIB cases so far
    # With a case of the WITA SOP too, which 08:14 is meant cannot be guessed.
    assert cli("start", "pemeliharaan-simpeg", "--title", "Server", "--at", "2026-03-02T07:00").exit_code == 0
    mixed = cli("check", "--at", "2026-03-02T08:14")
    assert mixed.exit_code == 2
    assert "give its offset, since the SOPs checked do not share one clock" in mixed.stderr


def test_check_exit_codes_and_formats(cli: Cli) -> None:
    start(cli)
    quiet = cli("check", "--at", "2026-03-02T08:10+07:00")
    assert (quiet.exit_code, quiet.stdout) == (0, "")
    assert quiet.stderr == "0 overdue as of 2026-03-02 08:10 WIB\n"
    soon = cli("check", "--at", "2026-03-02T08:10+07:00", "--warn-before", "10 menit", "--json")
    assert soon.exit_code == 0
    [row] = json.loads(soon.stdout)
    assert (row["id"], row["overdue"], row["due_in_minutes"]) == (ID, False, 5)
    late = cli("check", "--at", "2026-03-02T09:00+07:00", "--csv")
    assert late.exit_code == 1
    header, line = late.stdout.splitlines()
    assert header.startswith("id,sop,title,ref,step,pass,activity,lanes,due_at,overdue")
    assert line.endswith(",2026-03-02T08:15:00+07:00,1,45,45,")
    assert cli("check", "--warn-before", "sebentar").exit_code == 2
    assert cli("check", "--json", "--csv").exit_code == 2


def test_check_quiet_for_cron_prints_only_data(cli: Cli) -> None:
    # Cron mails whatever a job writes: with --quiet, stderr is for errors alone.
    start(cli)
    late = cli("check", "--quiet", "--csv", "--at", "2026-03-02T09:00+07:00")
    assert (late.exit_code, late.stderr) == (1, "")
    assert len(late.stdout.splitlines()) == 2
    assert (cli("check", "-q", "--at", "2026-03-02T08:10+07:00").stderr) == ""
    # Without one office clock, the summary gives each office's time, never UTC.
    assert cli("start", "pemeliharaan-simpeg", "--title", "Server", "--at", "2026-03-02T07:00").exit_code == 0
    mixed = cli("check", "--at", "2026-03-02T08:10+07:00")
    assert mixed.stderr.endswith(" overdue as of 2026-03-02 08:10 WIB / 09:10 WITA\n")


def test_zones_with_one_offset_are_one_clock_for_check_at(cli: Cli, tmp_path: Path, utc_server: None) -> None:
    # Asia/Jakarta and Asia/Pontianak are both WIB: a time without an offset is one instant.
    env = pontianak_catalogue(tmp_path)
    cli.clock.set("2026-11-23T13:00")
    for sop in (PDK, "pdk-pontianak"):
        assert cli("start", sop, "--title", "Mutasi", env=env).exit_code == 0
    late = cli("check", "--at", "2026-11-23T14:00", "--json", env=env)
    assert (late.exit_code, late.stderr) == (1, "2 overdue as of 2026-11-23 14:00 WIB\n")
    assert {row["due_at"] for row in json.loads(late.stdout)} == {"2026-11-23T13:15:00+07:00"}
    # Without --at, the summary is office time too, not this computer's UTC.
    now = cli("check", "--quiet", env=env)
    assert (now.exit_code, now.stderr) == (0, "")
    assert cli("check", env=env).stderr == "0 overdue as of 2026-11-23 13:00 WIB\n"


def test_the_check_summary_gives_each_offices_time_never_utc(cli: Cli, utc_server: None) -> None:
    cli.clock.set("2026-11-23T23:00")
    assert cli("start", PDK, "--title", "Mutasi").exit_code == 0
    assert cli("start", "pemeliharaan-simpeg", "--title", "Server").exit_code == 0
    result = cli("check", "--at", "2026-11-23T23:30+07:00")
    assert result.stderr == "0 overdue as of 2026-11-23 23:30 WIB / 2026-11-24 00:30 WITA\n"


def test_check_at_leaves_out_steps_opened_after_it(cli: Cli) -> None:
    start(cli)  # step 1 (15 Menit) current from 08:00 WIB
    cli.clock.advance(hours=1)
    assert cli("done", ID, "--by", "199001012015031001", "--at", "2026-03-02T08:30").exit_code == 0
    # Step 2 opened at 08:30: at 08:20 it was not open, so it is not "due soon" then.
    before = cli("check", "--at", "2026-03-02T08:20+07:00", "--warn-before", "8 jam", "--json")
    assert (before.exit_code, json.loads(before.stdout)) == (0, [])
    after = cli("check", "--at", "2026-03-02T08:40+07:00", "--warn-before", "8 jam", "--json")
    assert [row["step"] for row in json.loads(after.stdout)] == [2]


def test_check_cuts_a_wide_activity_by_columns(cli: Cli, tmp_path: Path) -> None:
    sops = tmp_path / "sops"
    shutil.copytree(SOPS, sops)
    yaml = sops / f"{PDK}.yaml"
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(text.replace("Menerima data mutasi pegawai,", "接收人事调动数据" * 4), encoding="utf-8")
    env = {"SOPCTL_SOPS": str(sops), "COLUMNS": "100"}
    assert cli("start", PDK, "--title", "Kasus", env=env).exit_code == 0
    late = cli("check", "--at", "2026-03-02T09:00+07:00", env=env)
    assert late.exit_code == 1
    row = late.stdout.splitlines()[1]
    assert row.endswith("Pengadministrasi Umum: 接收人事调动数据接…")
    assert cell_len(row) == 100


def test_stats_reports_steps_and_lanes(cli: Cli, clock: Clock) -> None:
    start(cli)
    clock.set("2026-03-02T10:00")
    for at in ("08:10", "09:00"):
        cli("done", ID, "--by", "siti", "--at", f"2026-03-02T{at}")
    figures = json.loads(cli("stats", "--json").stdout)
    steps = {row["step"]: row for row in figures["steps"]}
    assert steps[1]["count"] == 1 and steps[1]["within_pct"] == 100.0 and steps[1]["median_minutes"] == 10.0
    assert steps[2]["within_pct"] == 0.0 and steps[2]["median_minutes"] == 50.0
    [lane] = figures["lanes"]
    assert (lane["lane"], lane["count"], lane["within_pct"]) == ("pengadministrasi-umum", 2, 50.0)
    csv_lines = cli("stats", "--csv").stdout.splitlines()
    assert csv_lines[0].startswith("scope,sop,step,lane")
    assert len(csv_lines) == 4
    assert cli("stats", "--since", "2026-13-01").exit_code == 2


def test_hostile_text_is_refused_or_defused(cli: Cli, clock: Clock) -> None:
    escape = cli("start", PDK, "--title", "Mutasi \x1b[2J")
    assert escape.exit_code == 2
    assert escape.stderr == "Error: the title contains the control character U+001B; remove it\n"
    flipped = cli("start", PDK, "--title", "Mutasi \u202egnipmaS")  # shows as "Mutasi Sampign"
    assert (flipped.exit_code, flipped.stderr) == (
        2,
        "Error: the title contains U+202E, which reorders the text around it when shown; remove it\n",
    )
    assert not cli.db.exists()  # nothing was started, so no store was made
    assert cli("start", PDK, "--title", '=HYPERLINK("http://x")', "--ref", "+62").exit_code == 0
    clock.set("2026-03-02T10:00")
    rows = list(csv.DictReader(io.StringIO(cli("check", "--csv").stdout)))
    assert (rows[0]["title"], rows[0]["ref"]) == ('\'=HYPERLINK("http://x")', "'+62")
    # A lane filter is a lane id, not a pattern: "%" is no lane.
    wildcard = cli("ps", "--lane", "%", "--json")
    assert (wildcard.exit_code, wildcard.stdout) == (2, "")
    assert wildcard.stderr.startswith('Error: no lane "%" in any SOP')
    assert len(json.loads(cli("ps", "--lane", "pengadministrasi-umum", "--json").stdout)) == 1


def test_hold_resume_and_cancel_print_the_status_contract_with_json(cli: Cli, clock: Clock) -> None:
    start(cli)
    clock.set("2026-03-02T10:00")
    held = json.loads(cli("hold", ID, "--reason", "menunggu", "--json").stdout)
    assert (held["state"], held["held_since"]) == ("held", "2026-03-02T10:00:00+07:00")
    resumed = json.loads(cli("resume", ID, "--json").stdout)
    assert (resumed["state"], resumed["held_since"]) == ("running", None)
    cancelled = json.loads(cli("cancel", ID, "--reason", "ditarik", "--json").stdout)
    assert (cancelled["state"], cancelled["current"]) == ("cancelled", [])


def test_stats_gives_a_shared_time_cells_limit_in_every_format(
    cli: Cli, clock: Clock, tmp_path: Path
) -> None:
    """Step 3 of ``CELL_LOOP`` is inside step 2's Waktu cell: its limit is that cell's, as in
    ``status``, not "-" (null) for its own empty Waktu."""
    from tests.flows import CELL_LOOP, catalog_of

    catalog_of(tmp_path / "sops", CELL_LOOP)
    env = {"SOPCTL_SOPS": str(tmp_path / "sops")}
    assert cli("start", "sel-ulang", "--title", "Sel waktu", env=env).exit_code == 0
    for _ in range(3):
        clock.advance(minutes=10)
        assert cli("done", "SU-2026-0001", "--by", "andi", env=env).exit_code == 0
    steps = {row["step"]: row for row in json.loads(cli("stats", "--json", env=env).stdout)["steps"]}
    assert steps[3]["limit"] == "30 menit (2-3)"
    rows = list(csv.DictReader(io.StringIO(cli("stats", "--csv", env=env).stdout)))
    limits = [row["limit"] for row in rows if row["scope"] == "step"]
    assert limits == ["30 menit", "30 menit", "30 menit (2-3)"]
    lines = cli("stats", env=env).stdout.splitlines()
    assert [line.split()[:6] for line in lines if line.startswith("  3 ")] == [
        ["3", "Activity", "3", "30", "menit", "(2-3)"]
    ]


def test_stats_days_begin_at_midnight_office_time(cli: Cli, utc_server: None) -> None:
    cli.clock.set("2026-03-02T08:00")
    assert cli("start", PDK, "--title", "Lembur", "--at", "2026-03-01T06:00").exit_code == 0
    assert cli("done", ID, "--by", "siti", "--at", "2026-03-01T06:30").exit_code == 0  # 23:30 UTC
    march = json.loads(cli("stats", "--since", "2026-03-01", "--json").stdout)
    assert [row["count"] for row in march["steps"]] == [1]  # done on 1 March, office time
    february = json.loads(cli("stats", "--until", "2026-03-01", "--json").stdout)
    assert february["steps"] == []


def test_stats_days_begin_at_midnight_wib_for_jakarta_and_pontianak(
    cli: Cli, tmp_path: Path, utc_server: None
) -> None:
    env = pontianak_catalogue(tmp_path)
    cli.clock.set("2026-03-02T08:00")
    assert cli("start", PDK, "--title", "Lembur", "--at", "2026-03-01T06:00", env=env).exit_code == 0
    assert cli("start", "pdk-pontianak", "--title", "Mutasi", env=env).exit_code == 0
    assert cli("done", ID, "--by", "siti", "--at", "2026-03-01T06:30", env=env).exit_code == 0  # 23:30 UTC
    march = json.loads(cli("stats", "--since", "2026-03-01", "--json", env=env).stdout)
    assert [row["count"] for row in march["steps"]] == [1]  # done on 1 March, WIB


def test_log_follows_the_sops_language_and_takes_lang(cli: Cli) -> None:
    iid = cli("start", PDK, "--title", "Mutasi").stdout.split()[0]
    assert "dimulai" in cli("log", iid).stdout
    assert "started" in cli("log", iid, "--lang", "en").stdout
    wrong = cli("log", iid, "--lang", "xx")
    assert (wrong.exit_code, wrong.stderr) == (2, "Error: --lang must be one of id, en, not 'xx'\n")


def test_a_store_without_its_schema_version_is_one_line(cli: Cli) -> None:
    start(cli)
    with sqlite3.connect(cli.db) as conn:
        conn.execute("DELETE FROM meta WHERE key = 'schema_version'")
    for args in (["status", ID], ["db", "info"]):
        result = cli(*args)
        assert (result.exit_code, result.stderr) == (
            5,
            f"Error: {cli.db} has lost its schema version (meta.schema_version): restore it from a backup\n",
        )
