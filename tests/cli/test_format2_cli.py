"""Format 2 at the command line: choosing a start, naming a symbol, the status contract."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli
from tests.flows import catalog_of
from tests.test_format2_shapes import GRID, STARTS


def test_start_from_step_by_name_and_the_contract(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "sops"
    catalog_of(folder, GRID, STARTS)
    env = {"SOPCTL_SOPS": str(folder)}
    refused = cli("start", "awal", "--title", "Surat", env=env)
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert refused.stderr == (
        'Error: awal has 2 alternative starts: choose one with --from (1a "Langsung ke Kantor" '
        '(Bagian Umum); 1b "Via Email" (Staf))\n'
    )
    assert not (tmp_path / "sopctl.db").exists()  # a refused first start leaves no store
    started = cli("start", "awal", "--title", "Surat", "--from", "Via Email", "--json", env=env)
    assert started.exit_code == 0, started.stderr
    [now] = json.loads(started.stdout)["current"]
    assert (now["step"], now["symbol"], now["text"], now["lanes"]) == (1, "1b", "Via Email", ["staf"])

    iid = json.loads(cli("start", "grid", "--title", "Surat", "--json", env=env).stdout)["id"]
    for _ in range(3):
        assert cli("done", iid, "--by", "sari", env=env).exit_code == 0
    assert cli("decide", iid, "Umum", "--by", "sari", env=env).exit_code == 0
    wrong = cli("done", iid, "--by", "budi", "--step", "3a", env=env)
    assert (wrong.exit_code, wrong.stderr) == (2, f"Error: step 3a is not current in {iid} (current: 3b)\n")
    done = cli("done", iid, "--by", "rina", "--step", "3", "--json", env=env)
    assert done.exit_code == 0, done.stderr
    status = json.loads(done.stdout)
    assert [c["symbol"] for c in status["current"]] == ["4b"]
    decided = [h for h in status["history"] if h["symbol"] == "2b"]
    assert [(h["branch"], h["to"], h["to_symbol"], h["looped_back"]) for h in decided] == [
        ("Umum", 3, "3b", False)
    ]
    unknown = cli("done", iid, "--by", "rina", "--step", "9z", env=env)
    assert (unknown.exit_code, unknown.stderr) == (2, "Error: grid has no symbol '9z'\n")
