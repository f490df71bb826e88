"""``sopctl list`` in the terminal: SOP ids whole, names and agencies wrapped, nothing cut."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from sopctl.render.catalog_view import catalog_rows, catalog_table
from sopctl.sop.loader import Catalog
from tests.flows import NO_TOTAL_ROWS, catalog_of
from tests.render.conftest import render_text


@pytest.mark.parametrize("width", [60, 80, 120])
def test_list_keeps_ids_whole_and_every_word(catalog: Catalog, width: int) -> None:
    sops = sorted(catalog, key=lambda loaded: loaded.sop.id)
    lines = [line.rstrip() for line in render_text(catalog_table(sops), width).splitlines()]
    assert max(cell_len(line) for line in lines) <= width
    words = [word for line in lines for word in line.split()]
    for loaded in sops:
        assert loaded.sop.id in words
        assert all(word in words for word in loaded.sop.name.split())
        assert all(word in words for word in loaded.sop.organization.agency.split())


def test_list_at_80_columns_is_a_table_with_one_line_per_id(catalog: Catalog) -> None:
    sops = sorted(catalog, key=lambda loaded: loaded.sop.id)
    lines = render_text(catalog_table(sops), 80).splitlines()
    assert lines[1].split() == ["ID", "Name", "/", "agency", "Steps", "Lanes", "Total"]
    assert lines[3].split()[:3] == ["pemeliharaan-simpeg", "Pemeliharaan", "Sistem"]
    assert lines[3].split()[-3:] == ["8", "4", "-"]


def test_list_counts_printed_rows_and_shows_a_total_not_stated_as_none(tmp_path) -> None:  # type: ignore[no-untyped-def]
    loaded = catalog_of(tmp_path, NO_TOTAL_ROWS).get("tanpa-total")
    assert len(loaded.procedure.steps) == 3  # 1a, 1b and 2: the symbols of two rows
    [row] = catalog_rows([loaded])
    assert (row["steps"], row["total_time"]) == (2, None)
    lines = render_text(catalog_table([loaded]), 80).splitlines()
    assert lines[3].split()[0] == "tanpa-total"
    assert lines[3].split()[-3:] == ["2", "3", "-"]
