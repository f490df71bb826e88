"""The BPS Bengkulu reference SOPs walked at the command line: choosing the start with
--from, naming symbols with --step, the status contract along the way, and who may act."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from sopctl.store import open_store
from tests.conftest import SOPS, Cli, Clock
from tests.test_reference_walks import ORG

LETTERS = "pengelolaan-surat-masuk"
PERFORMANCE = "pengumpulan-data-capaian-kinerja"


def act(cli: Cli, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a command that changes the instance and return its status contract."""
    result = cli(*args, "--json", env=env)
    assert result.exit_code == 0, (args, result.stderr)
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def current(data: dict[str, Any]) -> list[str]:
    return [c["symbol"] for c in data["current"]]


def test_a_letter_by_email_to_the_tim_teknis(cli: Cli, clock: Clock) -> None:
    refused = cli("start", LETTERS, "--title", "Surat permintaan data")
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert refused.stderr == (
        "Error: pengelolaan-surat-masuk has 2 alternative starts: choose one with --from "
        '(1a "Langsung ke Kantor" (Bagian Umum); 1b "Via Email" (Sekretaris))\n'
    )
    started = act(cli, "start", LETTERS, "--title", "Surat permintaan data", "--from", "via email")
    iid = started["id"]
    assert iid == "PSM-2026-0001"
    [first] = started["current"]
    assert (first["step"], first["symbol"], first["text"], first["lanes"]) == (
        1,
        "1b",
        "Via Email",
        ["sekretaris"],
    )

    moves: list[tuple[tuple[str, ...], list[str]]] = [
        (("done", iid, "--step", "1b"), ["3"]),
        (("done", iid, "--step", "3"), ["4b"]),
        (("done", iid, "--step", "4b"), ["5b"]),
        (("decide", iid, "Tidak", "--step", "5b"), ["6b"]),  # not R/T: uploaded by the Sekretaris
        (("done", iid, "--step", "6"), ["7"]),  # row 6: its one current symbol
        (("done", iid, "--step", "7"), ["8a"]),
        (("done", iid, "--step", "8a"), ["8b"]),
        (("decide", iid, "Teknis", "--step", "tujuan-disposisi"), ["9a"]),
        (("done", iid, "--step", "9"), ["10a"]),
        (("done", iid, "--step", "10a"), ["11a"]),
        (("done", iid, "--step", "11a"), []),
    ]
    for args, after in moves:
        clock.advance(minutes=1)
        data = act(cli, *args, "--by", "pegawai")
        assert current(data) == after, args
    assert data["state"] == "done"
    history = [(h["symbol"], h["branch"], h["to_symbol"], h["looped_back"]) for h in data["history"]]
    assert history == [
        ("1b", None, None, False),
        ("3", None, None, False),
        ("4b", None, None, False),
        ("5b", "Tidak", "6b", False),
        ("6b", None, None, False),
        ("7", None, None, False),
        ("8a", None, None, False),
        ("8b", "Teknis", "9a", False),
        ("9a", None, None, False),
        ("10a", None, None, False),
        ("11a", None, None, False),
    ]
    assert [h["step"] for h in data["history"]] == [1, 3, 4, 5, 6, 7, 8, 8, 9, 10, 11]  # printed Nos


def test_the_performance_report_with_a_revision(cli: Cli, clock: Clock) -> None:
    iid = act(cli, "start", PERFORMANCE, "--title", "Capaian Kinerja Triwulan I")["id"]
    assert iid == "PDCK-2026-0001"
    moves: list[tuple[tuple[str, ...], list[str]]] = [
        (("done", iid), ["2a"]),
        (("done", iid), ["2b"]),
        (("decide", iid, "Tidak"), ["1"]),  # a revision: back into the start terminator
        (("done", iid), ["2a"]),
        (("done", iid), ["2b"]),
        (("decide", iid, "Ya"), ["3"]),
        (("done", iid), ["4"]),
        (("done", iid), ["5"]),
        (("done", iid), ["6"]),
        (("done", iid), ["7"]),
        (("done", iid, "--as", "Tim Sakip"), ["8"]),  # the meeting: once, in one of its lanes
        (("done", iid), ["9a"]),  # the join opens once the review is done
        (("done", iid, "--step", "9a"), ["9b"]),
        (("done", iid, "--step", "9b"), ["10"]),
    ]
    for args, after in moves:
        clock.advance(hours=1)
        data = act(cli, *args, "--by", "tim")
        assert current(data) == after, args
    loops = [(h["symbol"], h["pass"], h["branch"]) for h in data["history"] if h["looped_back"]]
    assert loops == [("2b", 1, "Tidak")]
    assert [h["pass"] for h in data["history"] if h["symbol"] == "1"] == [1, 2]
    meeting = [h for h in data["history"] if h["symbol"] == "7"]
    assert [h["lane"] for h in meeting] == ["tim-sakip"]


def test_the_bagian_umum_cannot_do_the_tim_teknis_step(cli: Cli, clock: Clock, tmp_path: Path) -> None:
    shutil.copytree(SOPS, tmp_path / "sops")
    (tmp_path / "org.yaml").write_text(ORG)
    env = {"SOPCTL_SOPS": str(tmp_path / "sops")}
    iid = act(cli, "start", LETTERS, "--title", "Surat", "--from", "1a", "--by", "ani", env=env)["id"]
    for args, who in (
        (("done", iid, "--step", "1a"), "ani"),
        (("done", iid, "--step", "2"), "ani"),
        (("done", iid, "--step", "4a"), "ani"),
        (("decide", iid, "Ya", "--step", "5a"), "ani"),
        (("decide", iid, "Ya", "--step", "5c"), "kepala"),
        (("done", iid, "--step", "8a"), "kepala"),
        (("decide", iid, "Teknis", "--step", "8b"), "ani"),
    ):
        clock.advance(minutes=1)
        data = act(cli, *args, "--by", who, env=env)
    assert current(data) == ["9a"]
    listed = json.loads(cli("ps", "--lane", "tim-teknis", "--json", env=env).stdout)
    assert [row["id"] for row in listed] == [iid]
    events = len(open_store(str(cli.db)).events(iid))
    refused = cli("done", iid, "--step", "9a", "--by", "ani", env=env)
    assert (refused.exit_code, refused.stdout) == (4, "")
    assert refused.stderr == (
        "Error: Ani Lestari (19900101 201503 2 001) may not act as Tim Teknis on 2026-03-02: "
        f"not in their lanes and no delegation covers that date ({tmp_path / 'org.yaml'})\n"
    )
    assert len(open_store(str(cli.db)).events(iid)) == events  # nothing was written
    assert current(act(cli, "done", iid, "--step", "9a", "--by", "tono", env=env)) == ["10a"]
