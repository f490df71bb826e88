"""Compliance figures (``sopctl stats``) and the monitoring form made from them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sopctl.run.engine import Engine
from sopctl.stats import compute
from sopctl.store import open_store
from tests.conftest import Clock
from tests.flows import CELL_LOOP, catalog_of


@pytest.fixture
def cell_figures(tmp_path: Path, clock: Clock) -> dict[str, list[dict[str, Any]]]:
    """``CELL_LOOP`` run once to its end: steps 2 and 3 share one 30-minute Waktu cell."""
    engine = Engine(open_store(tmp_path / "sopctl.db"), catalog_of(tmp_path / "sops", CELL_LOOP), clock)
    iid = engine.start("sel-ulang", "Sel waktu").state.id
    for _ in range(3):
        clock.advance(minutes=10)
        engine.done(iid, by="Andi")
    clock.advance(minutes=10)
    engine.decide(iid, "Baik", by="Budi")
    clock.advance(minutes=10)
    engine.done(iid, by="Citra")
    return compute(engine)


def test_a_row_inside_a_shared_time_cell_has_the_cells_limit(cell_figures) -> None:  # type: ignore[no-untyped-def]
    """As ``status`` shows it, and as the "within" share is counted: not null because the row's
    own Waktu is empty."""
    steps = {row["step"]: row for row in cell_figures["steps"]}
    assert steps[2]["limit"] == "30 menit"  # the cell's first row: its own limit
    assert steps[3]["limit"] == "30 menit (2-3)"
    assert steps[3]["within_pct"] == 100.0


def test_the_monitoring_form_gives_a_shared_cells_limit(cell_figures) -> None:  # type: ignore[no-untyped-def]
    from sopctl.render.html import stats_html
    from sopctl.render.monitoring import monitoring_document, monitoring_markdown
    from sopctl.render.pages import Paper

    doc = monitoring_document(
        cell_figures, {}, lang="id", threshold=80, since=None, last_day=None, today="2026-03-02"
    )
    [row] = [row for row in doc.sections[0].rows if row.number == 3]
    assert "(batas 30 menit (2-3))" in row.notes
    assert "(batas 30 menit (2-3))" in stats_html(doc, Paper.named("a4"))
    assert "(batas 30 menit (2-3))" in monitoring_markdown(doc)
