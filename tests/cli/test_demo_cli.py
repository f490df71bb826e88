"""``sopctl demo``: everything it prints fits an 80-column terminal."""

from __future__ import annotations

import shlex

from rich.cells import cell_len

from tests.conftest import Cli, Clock


def test_the_demo_fits_80_columns(cli: Cli, clock: Clock) -> None:
    clock.set("2026-03-03T09:00")  # the demo's --at times are on 2 March
    result = cli("demo")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    end = lines.index(f"The demo store is {cli.db}; look around with:")
    command = " ".join(lines[end + 1 :]).replace(" \\ ", " ")
    assert shlex.split(command) == ["$", "sopctl", "--db", str(cli.db), "ps"]  # copyable as printed
    assert "NIP pada SK" in result.stdout and "salah ketik" in result.stdout
    too_wide = [line for line in lines if cell_len(line) > 80 and str(cli.db) not in line]
    assert too_wide == []
