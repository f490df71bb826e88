"""``sopctl export``, and the --ascii/--lang flags of show and status, end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PDK = "pengelolaan-data-kepegawaian"


@pytest.fixture
def instance(cli, clock) -> str:  # type: ignore[no-untyped-def]
    result = cli("start", PDK, "--title", "Mutasi ../../x <b>", "--json")
    iid = json.loads(result.stdout)["id"]
    clock.advance(minutes=10)
    cli("done", iid, "--by", "Siti", "--note", "<script>x</script>")
    return iid


def test_export_sop_html_to_the_current_folder(cli, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("export", "sop", PDK, "--format", "html")
    assert result.exit_code == 0, result.stderr
    target = tmp_path / f"SOP-{PDK}.html"
    assert result.stderr == f"wrote {target}\n"
    assert "<svg" in target.read_text(encoding="utf-8")


def test_output_to_a_folder_writes_the_usual_name_inside_it(cli, tmp_path) -> None:
    result = cli("export", "sop", PDK, "-f", "md", "-o", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote {tmp_path / f'SOP-{PDK}.md'}\n"


def test_output_to_a_folder_that_is_not_there_yet(cli, tmp_path) -> None:
    # "-o arsip/" wrote a file named "arsip"; the slash says it is a folder, made as --out does.
    folder = tmp_path / "arsip"
    result = cli("export", "sop", PDK, "-f", "md", "-o", f"{folder}/")
    assert (result.exit_code, result.stderr) == (0, f"wrote {folder / f'SOP-{PDK}.md'}\n")
    deeper = cli("export", "sop", PDK, "-f", "md", "-o", f"{tmp_path}/tidak/ada/")
    assert deeper.exit_code == 2
    assert deeper.stderr.startswith(f"Error: the folder {tmp_path / 'tidak'} does not exist")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["arsip"]


def test_never_overwrites_without_force(cli, tmp_path) -> None:
    out = tmp_path / "sop.md"
    assert cli("export", "sop", PDK, "-f", "md", "-o", str(out)).exit_code == 0
    out.write_text("signed copy", encoding="utf-8")
    again = cli("export", "sop", PDK, "-f", "md", "-o", str(out))
    assert again.exit_code == 2
    assert again.stderr == f"Error: {out} already exists: use --force to replace it\n"
    assert out.read_text(encoding="utf-8") == "signed copy"
    assert cli("export", "sop", PDK, "-f", "md", "-o", str(out), "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# SOP ")


def test_instance_name_from_a_hostile_title_stays_in_the_folder(cli, instance, tmp_path, monkeypatch) -> None:
    tmp_path = tmp_path / "here"
    tmp_path.mkdir()
    monkeypatch.chdir(tmp_path)
    result = cli("export", "instance", instance, "-f", "html")
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == [f"{instance}-Mutasi-x-b.html"]
    html = (tmp_path / f"{instance}-Mutasi-x-b.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>" not in html


def test_instance_json_is_the_status_contract(cli, instance) -> None:
    exported = json.loads(cli("export", "instance", instance, "-f", "json", "-o", "-").stdout)
    assert exported == json.loads(cli("status", instance, "--json").stdout)


def test_markdown_to_stdout_in_english(cli, instance) -> None:
    result = cli("export", "instance", instance, "-f", "md", "-o", "-", "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout.startswith("# SOP Execution Report\n")


def test_batch_export(cli, instance, clock, tmp_path) -> None:
    clock.advance(minutes=5)
    cli("start", "pemeliharaan-simpeg", "--title", "Bulanan")
    out = tmp_path / "arsip"
    out.mkdir()
    result = cli(
        "export", "instance", "--all", "--sop", PDK, "--since", "2026-03-01", "-f", "md", "--out", str(out)
    )
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in out.iterdir()] == [f"{instance}-Mutasi-x-b.md"]
    assert "wrote 1 of 1 instance summaries" in result.stderr
    again = cli("export", "instance", "--all", "-f", "md", "--out", str(out))
    assert "wrote 1 of 2" in again.stderr and "1 already there (use --force to replace)" in again.stderr
    later = cli("export", "instance", "--all", "--since", "2026-03-03", "-f", "md", "--out", str(out))
    assert "wrote 0 of 0" in later.stderr


def test_batch_export_creates_the_folder_it_is_given(cli, instance, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # the example in --help and the README, as written
    result = cli("export", "instance", "--all", "--sop", PDK, "-f", "md", "--out", "arsip/")
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in (tmp_path / "arsip").iterdir()] == [f"{instance}-Mutasi-x-b.md"]


def test_batch_export_creates_only_the_last_folder(cli, instance, tmp_path) -> None:
    typo = tmp_path / "arsp" / "2026"
    result = cli("export", "instance", "--all", "-f", "md", "--out", str(typo))
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: the folder {typo.parent} does not exist (sopctl creates only the last folder of {typo})\n",
    )
    assert not typo.parent.exists()
    bad = cli("export", "instance", "--all", "--since", "kemarin", "--out", str(tmp_path / "new"))
    assert bad.exit_code == 2 and not (tmp_path / "new").exists()  # checked before it is created


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["export", "sop", PDK, "-f", "docx"],
            "Error: --format must be one of html, pdf, md, json, not 'docx'\n",
        ),
        (["export", "sop", PDK, "--lang", "fr"], "Error: --lang must be one of id, en, not 'fr'\n"),
        (
            ["export", "sop", PDK, "-f", "pdf", "-o", "-"],
            "Error: -o - (stdout) is for --format md or json; give a file name\n",
        ),
        (["export", "instance", "-f", "md"], "Error: say which instance (ID), or use --all\n"),
        (
            ["export", "instance", "--all", "--since", "kemarin"],
            'Error: --since "kemarin" is not a date: write it as 2026-01-31\n',
        ),
        (["export", "instance", "NOPE-1", "-f", "md"], None),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, args: list[str], message: str | None) -> None:
    cli("start", PDK, "--title", "Kasus")  # a store, so that NOPE-1 is an unknown instance in it
    result = cli(*args)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("Error: ")
    if message:
        assert result.stderr == message


def test_pdf_without_weasyprint_names_the_install_command(cli, tmp_path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    result = cli("export", "sop", PDK, "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert "'weasyprint>=" in result.stderr and "'sopctl[pdf]'" not in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_show_ascii_and_lang(cli) -> None:
    result = cli("show", PDK, "--ascii", "--lang", "en")
    assert result.exit_code == 0
    assert "+----" in result.stdout and "/---\\" in result.stdout
    assert "| No | Activity" in result.stdout and "TOTAL TIME" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_status_view_at_80_columns(cli, instance) -> None:
    result = cli("status", instance, "--ascii")
    assert result.exit_code == 0
    assert result.stdout.isascii()
    assert "| >2 |" in result.stdout.replace("  ", " ")
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_status_and_show_do_not_import_jinja_or_weasyprint(cli, instance, db_path) -> None:
    """Start-up time: the status path must not pay for the document stack or the SOP models.

    (pydantic itself is imported by Typer 0.29's own adapters, so it is not checked.)
    """
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from sopctl.cli import app\n"
        f"r = CliRunner().invoke(app, ['status', {instance!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "heavy = ('jinja2', 'weasyprint', 'markupsafe', 'sopctl.sop.model', 'sopctl.sop.loader')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    env = {
        "SOPCTL_DB": str(db_path),
        "SOPCTL_SOPS": str(Path(__file__).parents[2] / "sops"),
        "COLUMNS": "80",
        "NO_COLOR": "1",
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_export_stats_monitoring_form(cli, instance, clock, tmp_path) -> None:
    clock.advance(minutes=50)
    cli("done", instance, "--by", "Siti")  # step 2: 50 minutes against 30: late
    md = cli("export", "stats", "--sop", PDK, "-f", "md", "-o", "-", "--threshold", "90")
    assert md.exit_code == 0, md.stderr
    assert "# Formulir Monitoring Pelaksanaan SOP" in md.stdout
    assert "| 1 | Menerima data mutasi pegawai" in md.stdout and "✓ Berjalan dengan baik" in md.stdout
    assert "| 2 | Melakukan pengelolaan berkas" in md.stdout and "✗ Tidak berjalan dengan baik" in md.stdout
    assert "0% tepat waktu" in md.stdout
    html = tmp_path / "m.html"
    assert cli("export", "stats", "-f", "html", "-o", str(html), "--lang", "en").exit_code == 0
    text = html.read_text(encoding="utf-8")
    assert "SOP Monitoring Form" in text and text.count('class="bad"') == 1
    figures = json.loads(cli("export", "stats", "-f", "json", "-o", "-").stdout)
    assert figures == json.loads(cli("stats", "--json").stdout)
    bad = cli("export", "stats", "--threshold", "120", "-f", "md", "-o", "-")
    assert bad.exit_code == 2 and bad.stderr == "Error: --threshold is a percentage from 0 to 100, not 120\n"


def test_the_printed_period_ends_with_the_last_day_counted(cli, instance) -> None:
    # --until is the first day not counted: the form says the period ends the day before.
    md = cli("export", "stats", "--since", "2026-01-01", "--until", "2026-07-01", "-f", "md", "-o", "-")
    assert md.exit_code == 0, md.stderr
    assert "**Periode:** 1 Januari 2026 – 30 Juni 2026\n" in md.stdout
    en = cli("export", "stats", "--until", "2026-03-03", "-f", "md", "-o", "-", "--lang", "en")
    assert "**Period:** … – 2 March 2026\n" in en.stdout


@pytest.mark.parametrize("command", [["stats"], ["export", "stats", "-f", "md"]])
@pytest.mark.parametrize(
    ("since", "until"),
    [("2026-11-30", "2026-11-01"), ("2026-11-01", "2026-11-01")],
    ids=["backwards", "empty"],
)
def test_a_period_that_is_not_forwards_is_refused(
    cli, instance, tmp_path, command: list[str], since: str, until: str
) -> None:
    target = tmp_path / "form.md"
    extra = ["-o", str(target)] if command[0] == "export" else []
    result = cli(*command, "--since", since, "--until", until, *extra)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"Error: --since {since} is not before --until {until}: the period is empty "
        "(--until is the first day not counted)\n",
    )
    assert not target.exists()


def test_a_day_at_the_end_of_the_calendar_is_an_error_not_a_crash(cli, instance) -> None:
    result = cli("stats", "--until", "0001-01-01", "--json")  # there is no day before it
    assert (result.exit_code, result.stderr) == (2, "Error: --until 0001-01-01 is out of range\n")
    assert cli("stats", "--since", "9999-12-31", "--json").exit_code == 0


def test_the_monitoring_form_is_dated_in_office_time(cli) -> None:
    # 18:30 UTC on 2 March is already 3 March in a WITA office: the form says 3 March.
    import datetime as dt

    assert cli("start", "pemeliharaan-simpeg", "--title", "Server").exit_code == 0
    cli.clock.now = dt.datetime(2026, 3, 2, 18, 30, tzinfo=dt.UTC)
    form = cli("export", "stats", "--sop", "pemeliharaan-simpeg", "-f", "md", "-o", "-")
    assert form.exit_code == 0, form.stderr
    assert "3 Maret 2026" in form.stdout and "2 Maret 2026" not in form.stdout


def test_the_monitoring_form_of_jakarta_and_pontianak_is_dated_in_wib(cli, tmp_path, utc_server) -> None:  # type: ignore[no-untyped-def]
    # Both are WIB: one clock, so the form's date is the offices' (3 March), not the computer's.
    import datetime as dt

    from tests.conftest import pontianak_catalogue

    env = pontianak_catalogue(tmp_path)
    for sop in ("pengelolaan-data-kepegawaian", "pdk-pontianak"):
        assert cli("start", sop, "--title", "Mutasi", env=env).exit_code == 0
    cli.clock.now = dt.datetime(2026, 3, 2, 18, 30, tzinfo=dt.UTC)  # 01:30 WIB on 3 March
    form = cli("export", "stats", "-f", "md", "-o", "-", env=env)
    assert form.exit_code == 0, form.stderr
    assert "3 Maret 2026" in form.stdout and "2 Maret 2026" not in form.stdout
