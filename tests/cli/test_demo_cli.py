"""``sopctl demo``: the Quick start's main job, on a store of its own."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

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


def test_demo_keep_says_where_its_store_is(cli: Cli) -> None:
    cli.clock.now = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
    result = cli("demo", "--keep")
    assert result.exit_code == 0, result.stderr
    kept = re.search(r"The demo store is (\S+);", result.stdout)
    assert kept is not None and kept[1] != str(cli.db)
    store = open_store(Path(kept[1]))
    try:
        assert [row["id"] for row in store.instances()] == ["PDK-2026-0001"]
    finally:
        store.close()
        shutil.rmtree(Path(kept[1]).parent)
