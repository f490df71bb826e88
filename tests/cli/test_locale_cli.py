"""Any locale: ``--ascii`` is pure ASCII whatever the SOP text holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli

SIMPEG = "pemeliharaan-simpeg"  # its legal basis holds "–" (en dash)
ID = "SIMPEG-2026-0001"
TITLE = "Mutasi “Siti” – Jeneponto…"


@pytest.fixture
def db(cli: Cli) -> Path:
    assert cli("start", SIMPEG, "--title", TITLE).exit_code == 0
    return cli.db


@pytest.mark.parametrize("command", ["show", "status"])
def test_ascii_is_pure_ascii_even_on_a_utf8_terminal(cli: Cli, db: Path, command: str) -> None:
    result = cli(command, SIMPEG if command == "show" else ID, "--ascii")
    assert result.exit_code == 0, result.stderr
    assert "–" in cli(command, SIMPEG if command == "show" else ID).stdout
    assert [ch for ch in result.stdout if not ch.isascii()] == []
    if command == "status":
        assert 'Mutasi "Siti" - Jeneponto...' in result.stdout
