"""``sopctl stats`` in the terminal: activities never shortened, SOP ids whole."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from sopctl.render.stats_view import stats_tables
from sopctl.run.engine import Engine
from sopctl.stats import compute
from tests.render.conftest import PDK, SIMPEG, render_text


@pytest.fixture
def figures(engine: Engine, clock) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """Steps 1-3 of PDK and step 1 of SIMPEG done."""
    pdk = engine.start(PDK, "Mutasi a.n. Siti Aminah").state.id
    simpeg = engine.start(SIMPEG, "Pemeriksaan bulanan").state.id
    for _ in range(3):
        clock.advance(minutes=10)
        engine.done(pdk, by="siti")
    engine.done(simpeg, by="rahmat")
    return compute(engine)


def _text(figures: dict, width: int) -> list[str]:  # type: ignore[type-arg]
    tables = stats_tables(figures)
    return [line.rstrip() for table in tables for line in render_text(table, width).splitlines()]


@pytest.mark.parametrize("width", [60, 80, 120])
def test_stats_shows_whole_activities_and_ids(figures: dict, width: int) -> None:  # type: ignore[type-arg]
    lines = _text(figures, width)
    assert max(cell_len(line) for line in lines) <= width
    words = [word for line in lines for word in line.split()]
    assert PDK in words and SIMPEG in words
    for row in figures["steps"]:
        assert all(word in words for word in row["activity"].split()), row["activity"]


def test_stats_has_a_table_per_sop_at_80_columns(figures: dict) -> None:  # type: ignore[type-arg]
    lines = _text(figures, 80)
    titles = [line for line in lines if line.startswith("Per ")]
    assert titles == [f"Per step: {SIMPEG}", f"Per lane: {SIMPEG}", f"Per step: {PDK}", f"Per lane: {PDK}"]
    header = lines.index(f"Per step: {PDK}") + 2
    assert lines[header].split() == ["No", "Activity", "Limit", "n", "Median", "p90", "Within", "Loops"]
