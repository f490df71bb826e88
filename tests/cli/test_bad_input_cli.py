"""Bad input is refused, never a crash or a hang: each case once ended in "internal error"
(exit 70) or blocked forever, and is now one line on stderr, a documented exit code, and
nothing written (no store is created by a ``start`` that fails)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from sopctl import files
from tests.conftest import Cli
from tests.test_format2_rules import edit as edit2
from tests.test_loader import MINIMAL, edit

PDK = "pengelolaan-data-kepegawaian"
LONG = "a" * 300  # a file name may be at most 255 bytes (ENAMETOOLONG)
DIGITS = "9" * 5000  # Python reads at most 4,300 digits (ValueError)
HUGE = "18446744073709551617"  # 2**64 + 1 (OverflowError in the store)
TOO_LONG = "a whole number of 5,000 digits: sopctl reads at most 100; if it is text, put it in quotes"


def one_line(result, code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    """``result`` ended with ``code`` and exactly the line ``Error: message``."""
    assert (result.exit_code, result.stderr) == (code, f"Error: {message}\n")


def sop_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "contoh.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# -- 1. a number of 5,000 digits -----------------------------------------------------------


def test_a_number_of_5000_digits_in_an_sop_file(cli: Cli, tmp_path: Path) -> None:
    path = sop_file(tmp_path, edit(("name: Contoh SOP\n", f"name: Contoh SOP\nlanguage: {DIGITS}\n")))
    where = f"{path}:4:11: {TOO_LONG}"
    result = cli("validate", str(path))
    assert (result.exit_code, result.stdout) == (1, where + "\n")
    one_line(cli("start", str(path), "--title", "Kasus"), 2, f"{where}; nothing was done")
    assert not cli.db.exists()


@pytest.mark.parametrize(
    ("option", "text", "position"),
    [
        ("--org", f"schema: 1\npeople:\n  - {{nip: {DIGITS}, name: Budi}}\n", "3:11"),
        ("--config", f"holidays:\n  national: {DIGITS}\n", "2:13"),
    ],
)
def test_a_number_of_5000_digits_in_a_site_file(
    cli: Cli, tmp_path: Path, option: str, text: str, position: str
) -> None:
    path = tmp_path / "site.yaml"
    path.write_text(text, encoding="utf-8")
    message = f"{path}:{position}: {TOO_LONG}"
    one_line(cli(option, str(path), "start", PDK, "--title", "Kasus"), 2, f"{message}; nothing was done")
    assert not cli.db.exists()
    result = cli(option, str(path), "validate")
    assert (result.exit_code, result.stdout) == (1, message + "\n")


# -- 2. numbers beyond their bounds ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (edit(("  - step: 3\n", f"  - step: {HUGE}\n")), "21:11: steps[2].step"),
        (edit2(("  - row: 4\n", f"  - row: {HUGE}\n")), "27:10: rows[3].row"),
    ],
)
def test_a_row_number_the_store_cannot_keep_is_refused_by_validate(
    cli: Cli, tmp_path: Path, text: str, where: str
) -> None:
    path = sop_file(tmp_path, text)
    result = cli("validate", str(path))
    assert result.exit_code == 1
    assert result.stdout == f"{path}:{where}: must be at most 9999\n"
    started = cli("start", str(path), "--title", "Kasus")
    assert started.exit_code == 2 and "internal error" not in started.stderr
    assert not cli.db.exists()


def test_a_step_of_5000_digits_names_no_step(cli: Cli, tmp_path: Path) -> None:
    # Found by the fuzz test: int() of --step refused 5,000 digits (exit 70).
    assert cli("start", PDK, "--title", "Kasus").exit_code == 0
    result = cli("done", "PDK-2026-0001", "--by", "siti", "--step", DIGITS)
    assert result.exit_code == 2
    assert re.fullmatch(f"Error: {PDK} has no (step|symbol) 9{{39}}…\n", result.stderr)  # format 1 or 2


def test_office_hours_of_5000_digits_are_not_a_time_of_day(cli: Cli, tmp_path: Path) -> None:
    config = tmp_path / "sopctl.yaml"
    config.write_text(f'office_hours:\n  monday: {{open: "{DIGITS}:00", close: "16:00"}}\n')
    result = cli("--config", str(config), "validate")
    assert result.exit_code == 1
    assert result.stdout == (
        f'{config}:2:11: office_hours.monday: "{"9" * 39}…" is not a time of day: write HH:MM, e.g. 07:30\n'
    )


# -- 3. files that are not regular files ----------------------------------------------------------


@pytest.mark.parametrize("option", ["--org", "--config"])
def test_dev_zero_as_a_site_file_is_refused_before_it_is_read(cli: Cli, option: str, no_hang: None) -> None:
    what = "organisation file" if option == "--org" else "config file"
    for command in (("validate",), ("start", PDK, "--title", "Kasus")):
        one_line(cli(option, "/dev/zero", *command), 2, f"the {what} /dev/zero is a device, not a file")
    assert not cli.db.exists()


@pytest.mark.parametrize("option", ["--org", "--config"])
def test_a_folder_a_fifo_or_a_socket_as_a_site_file(
    cli: Cli,
    tmp_path: Path,
    fifo: Path,
    unix_socket: Path,
    option: str,
    no_hang: None,
) -> None:
    what = "organisation file" if option == "--org" else "config file"
    for path, kind in ((tmp_path, "folder"), (fifo, "named pipe (FIFO)"), (unix_socket, "socket")):
        one_line(cli(option, str(path), "validate"), 2, f"the {what} {path} is a {kind}, not a file")
        one_line(
            cli(option, str(path), "start", PDK, "--title", "Kasus"),
            2,
            f"the {what} {path} is a {kind}, not a file",
        )
    assert not cli.db.exists()


@pytest.mark.parametrize(
    "command",
    [
        ("validate", "{}"),
        ("show", "{}"),
        ("start", "{}", "--title", "Kasus"),
        ("export", "sop", "{}", "-f", "md", "-o", "-"),
    ],
)
def test_a_fifo_as_an_sop_file_is_refused_not_waited_on(
    cli: Cli,
    fifo: Path,
    unix_socket: Path,
    command: tuple[str, ...],
    no_hang: None,
) -> None:
    advice = "give SOP files or folders" if command[0] == "validate" else "give an SOP file"
    for path, kind in ((fifo, "named pipe (FIFO)"), (unix_socket, "socket"), (Path("/dev/null"), "device")):
        args = [arg.format(path) for arg in command]
        one_line(cli(*args), 2, f"{path} is a {kind}, not a file: {advice}")
    assert not cli.db.exists()


def test_a_fifo_as_the_catalogue_folder(cli: Cli, fifo: Path, no_hang: None) -> None:
    one_line(
        cli("--sops", str(fifo), "validate"),
        2,
        f"{fifo} is a named pipe (FIFO), not a file: give SOP files or folders",
    )
    one_line(
        cli("--sops", str(fifo), "list"),
        2,
        f"the catalogue folder {fifo} is not a folder (give --sops DIR or set SOPCTL_SOPS)",
    )


# -- 4. names the system refuses, and stores that are not files -----------------------------------


def test_a_store_name_over_255_bytes(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / f"{LONG}.db"
    for command in (("start", PDK, "--title", "Kasus"), ("ps",), ("check",)):
        one_line(cli("--db", str(db), *command), 5, f"the store {db} cannot be opened: File name too long")
    deeper = tmp_path / LONG / "sopctl.db"
    one_line(cli("--db", str(deeper), "ps"), 5, f"the store {deeper} cannot be opened: File name too long")


def test_a_catalogue_name_over_255_bytes_for_the_demo(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / LONG
    one_line(
        cli("--sops", str(folder), "demo"),
        2,
        f"the demo SOP {folder}/pengelolaan-data-kepegawaian.yaml cannot be opened: File name too long",
    )


def test_a_fifo_or_a_device_as_the_store(cli: Cli, fifo: Path, no_hang: None) -> None:
    for path, kind in (
        (fifo, "named pipe (FIFO)"),
        (Path("/dev/null"), "device"),
        (Path("/dev/zero"), "device"),
    ):
        one_line(
            cli("--db", str(path), "start", PDK, "--title", "Kasus"),
            5,
            f"{path} is a {kind}, not a database file",
        )
        one_line(cli("--db", str(path), "ps"), 5, f"{path} is a {kind}, not a database file")


def test_an_output_name_over_255_bytes(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for target in (tmp_path / f"{LONG}.md", tmp_path / LONG / "sop.md"):
        one_line(
            cli("export", "sop", PDK, "-f", "md", "-o", str(target)),
            2,
            f"cannot write {target}: File name too long",
        )
    assert cli("start", PDK, "--title", "Kasus").exit_code == 0
    out = tmp_path / LONG
    one_line(
        cli("export", "instance", "--all", "-f", "md", "--out", str(out)),
        2,
        f"cannot write {out}: File name too long",
    )
    assert os.listdir(tmp_path) == [cli.db.name]


def test_a_fifo_a_device_or_a_folder_as_a_backup_to_restore(
    cli: Cli, tmp_path: Path, fifo: Path, no_hang: None
) -> None:
    for path, kind in ((fifo, "named pipe (FIFO)"), (Path("/dev/zero"), "device"), (tmp_path, "folder")):
        one_line(
            cli("--db", str(tmp_path / "new.db"), "db", "restore", str(path)),
            2,
            f"{path} is a {kind}, not a backup file",
        )
    assert not (tmp_path / "new.db").exists()


def test_a_name_over_255_bytes_in_a_db_command(cli: Cli, tmp_path: Path) -> None:
    # The last line of defence: the error boundary, for paths no check looked at first.
    assert cli("start", PDK, "--title", "Kasus").exit_code == 0
    long = str(tmp_path / LONG)
    shown = long[:79] + "…"
    for args in (("db", "backup", f"{long}/x.db"), ("db", "copy", "--from", str(cli.db), "--to", long)):
        one_line(cli(*args), 2, f"cannot use {shown}: File name too long")


def test_other_os_errors_are_still_bugs(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, "Input/output error", "/somewhere")

    monkeypatch.setattr("sopctl.sop.loader.load_catalog", broken)
    result = cli("validate")
    assert result.exit_code == 70 and result.stderr.startswith("Error: internal error: OSError: ")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_output_folder_without_permission(cli: Cli, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = cli("export", "sop", PDK, "-f", "md", "-o", str(locked / "sop.md"))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "Permission denied" in result.stderr


# -- 5. arguments that are not text --------------------------------------------------------------

NOT_UTF8 = os.fsdecode(b"Mutasi \xff")  # a Latin-1 byte, kept by Python as a lone surrogate


@pytest.mark.parametrize(
    "args",
    [
        ("start", PDK, "--title", NOT_UTF8),
        ("show", NOT_UTF8),
        ("status", NOT_UTF8),
        ("ps", "--sop", NOT_UTF8),
        ("validate", NOT_UTF8 + ".yaml"),
        ("check", "--lane", NOT_UTF8),
        ("export", "sop", PDK, "-f", "md", "-o", NOT_UTF8 + ".md"),
        ("--sops", NOT_UTF8, "list"),
        (NOT_UTF8,),
    ],
)
def test_an_argument_that_is_not_utf8_is_refused_before_anything_is_done(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    monkeypatch.chdir(tmp_path)
    shown = next(arg for arg in args if NOT_UTF8 in arg).replace(NOT_UTF8, "Mutasi \\xff")
    one_line(
        cli(*args),
        2,
        f'an argument holds bytes that are not UTF-8 text ("{shown}"): give it in UTF-8 '
        "(rename a file whose name is not); nothing was done",
    )
    assert os.listdir(tmp_path) == []


def test_a_lone_surrogate_no_byte_stands_for_is_refused_too(cli: Cli) -> None:
    # Found by the fuzz test (only a program can pass one, not a shell): verify crashed.
    one_line(
        cli("verify", "\ud800x"),
        2,
        'an argument holds bytes that are not UTF-8 text ("\\ud800x"): give it in UTF-8 '
        "(rename a file whose name is not); nothing was done",
    )


def test_a_variable_that_is_not_utf8_is_refused_too(cli: Cli, tmp_path: Path) -> None:
    db = str(tmp_path / NOT_UTF8)
    result = cli("start", PDK, "--title", "Kasus", env={"SOPCTL_DB": db})
    assert result.exit_code == 2 and result.stderr.startswith(
        "Error: an argument holds bytes that are not UTF-8"
    )
    assert os.listdir(tmp_path) == []


# -- 6. a catalogue folder that is not one ---------------------------------------------------------


def test_the_root_folder_as_catalogue_stops_early(cli: Cli) -> None:
    result = cli("--sops", "/", "validate")  # it walked the whole disk for 12 s, then crashed
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: the folder / ")
    assert result.stderr.endswith("a catalogue folder holds SOP files: is it the right folder?\n")


def test_a_catalogue_folder_with_too_many_entries(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MAX_ENTRIES", 2)
    for name in ("a.yaml", "b.yaml", "c.txt"):
        (tmp_path / name).write_text("schema: 2\n")
    message = (
        f"the folder {tmp_path} holds more than 2 files and folders; a catalogue folder holds SOP files: "
        "is it the right folder?"
    )
    one_line(cli("--sops", str(tmp_path), "validate"), 2, message)
    one_line(cli("--sops", str(tmp_path), "start", PDK, "--title", "Kasus"), 2, message)
    assert not cli.db.exists()


# -- 7. durations ----------------------------------------------------------------------------------


def test_a_warning_window_of_5000_digits(cli: Cli) -> None:
    assert cli("start", PDK, "--title", "Kasus").exit_code == 0
    one_line(
        cli("check", "--warn-before", f"{DIGITS} menit"),
        2,
        f'--warn-before: the time "{"9" * 20}…" is 5,006 characters long, not a time: write it as '
        '"15 menit", "2 jam", "1 hari", "3 hari kerja", "1 minggu", "1-3 hari"',
    )
    one_line(
        cli("export", "stats", "-f", "md", "--threshold", DIGITS),
        2,
        "--threshold is a percentage from 0 to 100, not inf",
    )
    one_line(
        cli("check", "--at", DIGITS),
        2,
        f'--at "{"9" * 39}…" is not a time: write it as 2026-03-17T09:20 (office time) '
        "or 2026-03-17T09:20+08:00",
    )
    one_line(
        cli("stats", "--since", DIGITS), 2, f'--since "{"9" * 39}…" is not a date: write it as 2026-01-31'
    )
    one_line(
        cli("--lock-timeout", DIGITS, "ps"),
        2,
        f'--lock-timeout: input should be less than or equal to 3600, not "{"9" * 39}…"',
    )


# -- 8. a file with 90,000 problems ----------------------------------------------------------------


def test_ninety_thousand_unknown_keys_print_a_hundred_lines_and_a_count(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text(MINIMAL + "".join(f"k{n}: 1\n" for n in range(90_000)))
    result = cli("validate", str(path))
    lines = result.stdout.splitlines()
    assert result.exit_code == 1 and len(lines) == 101
    assert lines[-1] == f"… and 89,900 more problems in {path}"
    assert result.stderr == "1 SOP file(s) checked: 0 valid, 90,000 problem(s) in 1 file(s)\n"
    started = cli("start", str(path), "--title", "Kasus")
    assert (started.exit_code, started.stderr.splitlines()[-2:]) == (
        2,
        [f"… and 89,900 more problems in {path}", "Error: 90,000 problems found; nothing was done"],
    )
    assert not cli.db.exists()


# -- 9. invisible characters -------------------------------------------------------------------------


def test_a_right_to_left_override_in_an_sop_file(cli: Cli, tmp_path: Path) -> None:
    path = sop_file(tmp_path, edit(("name: Contoh SOP", "name: \u202ePOS hotnoC")))
    message = (
        f"{path}:3:7: the file holds U+202E (RIGHT-TO-LEFT OVERRIDE), which reorders the text around it "
        "when shown: delete it (editors often do not show it)"
    )
    result = cli("validate", str(path))
    assert (result.exit_code, result.stdout) == (1, message + "\n")
    one_line(cli("start", str(path), "--title", "Kasus"), 2, f"{message}; nothing was done")
    one_line(
        cli("export", "sop", str(path), "-f", "html", "-o", str(tmp_path / "x.html")),
        2,
        f"{message}; nothing was done",
    )
    assert not cli.db.exists() and not (tmp_path / "x.html").exists()


@pytest.mark.parametrize("option", ["--org", "--config"])
def test_a_zero_width_space_in_a_site_file(cli: Cli, tmp_path: Path, option: str) -> None:
    path = tmp_path / "site.yaml"
    text = "schema: 1\npeople:\n  - {nip: '19850312 201001 1 004', name: Bu\u200bdi}\n"
    path.write_text(text if option == "--org" else "clocks:\n  pemeliharaan\u200b-simpeg: elapsed\n")
    position = "3:44" if option == "--org" else "2:15"
    one_line(
        cli(option, str(path), "start", PDK, "--title", "Kasus"),
        2,
        f"{path}:{position}: the file holds U+200B (ZERO WIDTH SPACE), an invisible character: delete it "
        "(editors often do not show it); nothing was done",
    )
    assert not cli.db.exists()


@pytest.mark.parametrize(
    ("args", "what", "char"),
    [
        (
            ("start", PDK, "--title", "Mutasi\u200bSiti"),
            "the title",
            "U+200B (ZERO WIDTH SPACE), an invisible character",
        ),
        (
            ("start", PDK, "--title", "Kasus", "--by", "bu\u2066di"),
            "--by",
            "U+2066 (LEFT-TO-RIGHT ISOLATE), which reorders the text around it when shown",
        ),
        (
            ("start", PDK, "--title", "Kasus", "--ref", "\ufeff12"),
            "--ref",
            "U+FEFF (ZERO WIDTH NO-BREAK SPACE), an invisible character",
        ),
    ],
)
def test_invisible_characters_in_text_typed_on_the_command_line(
    cli: Cli, args: tuple[str, ...], what: str, char: str
) -> None:
    one_line(cli(*args), 2, f"{what} contains {char}; remove it")
    assert not cli.db.exists()
