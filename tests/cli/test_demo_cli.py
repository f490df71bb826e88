"""``sopctl demo``: the Quick start's main job, on a store of its own, fitting 80 columns."""

from __future__ import annotations

import datetime as dt
import re
import shlex
import shutil
from pathlib import Path

from rich.cells import cell_len

from sopctl.store import open_store
from tests.conftest import Cli


def test_demo_walks_the_case_and_leaves_the_users_store_alone(cli: Cli) -> None:
    cli.clock.now = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)  # after the demo's --at times
    assert cli("start", "pengelolaan-data-kepegawaian", "--title", "Kasus nyata").exit_code == 0
    before = cli.db.read_bytes()
    result = cli("demo")  # SOPCTL_DB names the user's store: the demo must not write there
    assert result.exit_code == 0, result.stderr
    assert "$ sopctl decide PDK-2026-0001 tidak --by budi" in result.stdout
    assert "PDK-2026-0001: step 10 done" in result.stdout
    assert cli.db.read_bytes() == before


def test_demo_keep_fits_80_columns_and_says_where_its_store_is(cli: Cli) -> None:
    cli.clock.set("2026-03-03T09:00")  # the demo's --at times are on 2 March
    result = cli("demo", "--keep")
    assert result.exit_code == 0, result.stderr
    kept = re.search(r"The demo store is (\S+); look around with:\n", result.stdout)
    assert kept is not None and kept[1] != str(cli.db)
    try:
        lines = result.stdout.splitlines()
        end = lines.index(f"The demo store is {kept[1]}; look around with:")
        command = " ".join(lines[end + 1 :]).replace(" \\ ", " ")
        assert shlex.split(command) == ["$", "sopctl", "--db", kept[1], "ps"]  # copyable as printed
        assert "NIP pada SK" in result.stdout and "salah ketik" in result.stdout
        too_wide = [line for line in lines if cell_len(line) > 80 and kept[1] not in line]
        assert too_wide == []
        store = open_store(Path(kept[1]))
        try:
            assert [row["id"] for row in store.instances()] == ["PDK-2026-0001"]
        finally:
            store.close()
    finally:
        shutil.rmtree(Path(kept[1]).parent)
