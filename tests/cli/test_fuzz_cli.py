"""Fuzzing the command line: whatever the arguments, and however a reference SOP is mangled,
sopctl answers with a documented exit code, never 70 ("internal error") and never a
traceback, and a command that fails leaves the record as it was (no store made, no event).

Three examples per command line and 25 mangled files keep the suite fast (a few seconds);
CI runs ten times as many and more with ``SOPCTL_FUZZ_EXAMPLES=30`` (.ci/run): 30 per command
line, 300 files. A failure prints the arguments or the mangled file.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SOPS, Cli

#: Examples per command line and for mangled files (CI: many more). Read before the isolation
#: fixture clears every SOPCTL_* variable.
EXAMPLES = int(os.environ.get("SOPCTL_FUZZ_EXAMPLES") or 0)
_SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}

PDK = "pengelolaan-data-kepegawaian"
ID = "PDK-2026-0001"
#: The codes the README documents ("Exit codes"), but 70 (a bug) and 130 (Ctrl-C).
DOCUMENTED = {0, 1, 2, 3, 4, 5}
REFERENCE = sorted(SOPS.glob("*.yaml"))

#: Values that once crashed or hung a command, and others of their kind.
NASTY = [
    "",
    " ",
    "-",
    "--",
    "0",
    "-1",
    "1.5",
    "9" * 5000,
    "9" * 5000 + " menit",
    "18446744073709551617",
    "1e309",
    "nan",
    "1 jm",
    "2026-02-30",
    "2026-03-02T25:00",
    "0001-01-01T00:00",
    "a" * 300,
    "a" * 300 + "/x.yaml",
    "Mutasi \u202egnipmaS",
    "zero\u200bwidth",
    "\ufeffbom",
    "\x1b[2J",
    "tab\tnew\nline",
    os.fsdecode(b"latin \xe9"),  # a byte that is not UTF-8, as Python keeps it
    "\ud800",  # a lone surrogate no byte stands for
    "'; DROP TABLE events; --",
    "%",
    "../../etc/passwd",
    "/dev/zero",
    "/dev/null",
    "sops",
    "x.yaml",
    PDK,
    ID,
    "1",
    "2b",
]
#: Two times in three a value known to be hard, else any text (no NUL: no process gets one).
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from(NASTY),
    st.text(st.characters(exclude_characters="\x00"), max_size=30),
)

#: Every command, with the places a value goes ("{}").
TEMPLATES = [
    ("validate", "{}"),
    ("show", "{}"),
    ("show", PDK, "--lang", "{}"),
    ("list",),
    ("start", PDK, "--title", "{}"),
    ("start", "{}", "--title", "Kasus"),
    ("start", PDK, "--title", "Kasus", "--ref", "{}", "--by", "{}"),
    ("start", PDK, "--title", "Kasus", "--at", "{}"),
    ("start", PDK, "--title", "Kasus", "--from", "{}"),
    ("done", ID, "--by", "{}"),
    ("done", ID, "--by", "siti", "--step", "{}"),
    ("done", ID, "--by", "siti", "--note", "{}", "--at", "{}"),
    ("done", "{}", "--by", "siti", "--as", "{}"),
    ("decide", ID, "{}", "--by", "budi", "--step", "{}"),
    ("hold", ID, "--by", "siti", "--reason", "{}"),
    ("resume", ID, "--by", "{}", "--at", "{}"),
    ("cancel", ID, "--by", "siti", "--reason", "{}"),
    ("status", "{}", "--lang", "{}"),
    ("ps", "--sop", "{}", "--state", "{}", "--lane", "{}"),
    ("log", "{}"),
    ("check", "--warn-before", "{}"),
    ("check", "--at", "{}", "--lane", "{}", "--sop", "{}"),
    ("stats", "--since", "{}", "--until", "{}"),
    ("export", "sop", PDK, "-f", "{}", "--paper", "{}"),
    ("export", "sop", "{}", "-f", "md", "-o", "-"),
    ("export", "sop", PDK, "-f", "md", "-o", "{}"),
    ("export", "instance", ID, "-f", "json", "-o", "{}"),
    ("export", "instance", "--all", "-f", "md", "--out", "{}", "--since", "{}"),
    ("export", "stats", "-f", "md", "--threshold", "{}", "-o", "{}"),
    ("verify", "{}"),
    ("db", "info"),
    ("db", "backup", "{}"),
    ("db", "restore", "{}"),
    ("db", "copy", "--from", "{}", "--to", "{}"),
    ("--db", "{}", "ps"),
    ("--sops", "{}", "list"),
    ("--org", "{}", "validate"),
    ("--config", "{}", "check"),
    ("--sops", "{}", "demo"),
    ("--lock-timeout", "{}", "start", PDK, "--title", "Kasus"),
    ("{}",),
]


@pytest.fixture
def base_store(cli: Cli, tmp_path: Path) -> Path:
    """A store with one instance of PDK, copied for each example (a command may change it)."""
    assert cli("start", PDK, "--title", "Kasus").exit_code == 0
    return cli.db


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The current folder: documents written with a relative -o land here."""
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    yield here


def _events(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])


def _well_behaved(result: Any, args: tuple[str, ...]) -> None:
    assert "Traceback" not in result.stderr, args
    assert "internal error" not in result.stderr, (args, result.stderr)
    assert result.exit_code in DOCUMENTED, (args, result.exit_code, result.stderr)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: " ".join(t))
@settings(max_examples=EXAMPLES or 3, **_SETTINGS)  # type: ignore[arg-type]
@given(values=st.lists(TEXT, min_size=3, max_size=3))
def test_any_arguments_get_a_documented_exit_code_and_change_nothing_when_refused(
    cli: Cli, base_store: Path, workdir: Path, template: tuple[str, ...], values: list[str]
) -> None:
    fill = iter(values)
    args = tuple(next(fill) if part == "{}" else part for part in template)
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "sopctl.db"
        shutil.copy(base_store, db)
        before = _events(db)
        result = cli(*args, env={"SOPCTL_DB": str(db)})
        _well_behaved(result, args)
        if result.exit_code >= 2:
            assert _events(db) == before, args  # a refused command records nothing


# -- mangled SOP files --------------------------------------------------------------------------

#: Lines that once crashed the reader, or may: numbers, aliases, tags, keys of every kind.
NASTY_LINES = [
    "k: " + "9" * 5000,
    "step: 18446744073709551617",
    "row: 18446744073709551617",
    "time_covers: 18446744073709551617",
    "time: " + "9" * 5000 + " menit",
    "time: 1e309 hari",
    "a: &x [*x]",
    "<<: *x",
    "? [a, b]",
    "!!python/object:os.system x: 1",
    "---",
    "...",
    "name: Mutasi \u202egnipmaS",
    "id: kepala\u200bdinas",
    "next: [1, 1, 1]",
    "branches: [{label: Ya, to: 99999}]",
    "lanes: []",
    "schema: 99999999999999999999",
    "total_time: 9999 bulan",
    "\tkind: decision",
]
CHARS = [
    "\u202e",
    "\u200b",
    "\ufeff",
    "\x00",
    "\x1b",
    "\t",
    "\r",
    "é",
    ":",
    "-",
    "[",
    "{",
    "&a",
    "*a",
    '"',
    "'",
    "\\",
]


@st.composite
def mangled_sop(draw: Any) -> str:
    """A reference SOP with one to three mutations: a value replaced, a line deleted or
    doubled, a line or a character put in, the indentation changed, the file cut short."""
    lines = draw(st.sampled_from(REFERENCE)).read_text(encoding="utf-8").split("\n")
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["value", "delete", "double", "line", "char", "indent", "cut"]))
        line = lines[at]
        if kind == "value" and ": " in line:
            lines[at] = line.split(": ", 1)[0] + ": " + draw(TEXT).replace("\n", " ")
        elif kind == "delete":
            del lines[at]
        elif kind == "double":
            lines.insert(at, line)
        elif kind == "line":
            indent = line[: len(line) - len(line.lstrip())]
            lines.insert(at, indent + draw(st.sampled_from(NASTY_LINES)))
        elif kind == "char":
            column = draw(st.integers(0, len(line)))
            lines[at] = line[:column] + draw(st.sampled_from(CHARS)) + line[column:]
        elif kind == "indent":
            lines[at] = " " * draw(st.integers(0, 8)) + line.lstrip()
        elif kind == "cut":
            lines = lines[:at]
        if not lines:
            lines = [""]
    return "\n".join(lines)


@settings(max_examples=EXAMPLES * 10 or 25, **_SETTINGS)  # type: ignore[arg-type]
@given(text=mangled_sop())
def test_a_mangled_sop_file_is_refused_in_words_and_starts_nothing(
    cli: Cli, workdir: Path, text: str
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "mangled.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        db = Path(scratch) / "sopctl.db"
        env = {"SOPCTL_DB": str(db)}
        for args in (
            ("validate", str(path)),
            ("show", str(path)),
            ("export", "sop", str(path), "-f", "md", "-o", "-"),
            ("start", str(path), "--title", "Kasus"),
        ):
            result = cli(*args, env=env)
            _well_behaved(result, args)
            if result.exit_code >= 2:
                assert result.stderr.splitlines()[-1].startswith("Error: "), (args, result.stderr)
        if result.exit_code != 0:
            assert not db.exists(), "a start that failed left a store behind"
