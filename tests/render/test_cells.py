"""Double-width and zero-width characters in the tables sopctl draws itself: a name like
李小龍 or "rina 🙂" takes the columns it really takes, and the right border stays put."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from sopctl.render.cells import chop, columns, graphemes
from sopctl.render.grid import pad, wrap
from sopctl.render.status_view import status_view
from sopctl.render.swimlane import flow_table
from sopctl.run.engine import Engine
from sopctl.sop.procedure import Procedure
from tests.render.conftest import PDK, render_text


def test_columns_give_a_wide_character_two_entries_and_a_combining_one_none() -> None:
    assert columns("李a", "b") == [("李", "b"), ("", "b"), ("a", "b")]
    assert columns("e\u0301x") == [("e\u0301", ""), ("x", "")]
    assert graphemes("👍🏽🙂") == ["👍🏽", "🙂"]
    assert chop("李小龍abc", 3) == ["李", "小", "龍a", "bc"]


def test_a_cut_never_halves_a_wide_character() -> None:
    assert pad(columns("a李"), 2) == [("a", ""), (" ", "")]
    assert "".join(ch for ch, _ in pad(columns("李小"), 5)) == "李小 "


def test_wrap_counts_columns() -> None:
    lines = wrap([("李小龍 rina 🙂 kasubag", "")], 8)
    assert ["".join(ch for ch, _ in line) for line in lines] == ["李小龍", "rina 🙂", "kasubag"]
    assert all(len(line) <= 8 for line in lines)


def _widths(text: str) -> set[int]:
    """The widths of the lines of the drawn table (from its top border to its bottom one)."""
    lines = text.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith(("┌", "+")))
    bottom = next(i for i, line in enumerate(lines) if line.startswith(("└", "+")) and i > top)
    return {cell_len(line.rstrip()) for line in lines[top : bottom + 1]}


@pytest.mark.parametrize("width", [80, 120])
def test_status_with_wide_names_keeps_its_border(engine: Engine, width: int) -> None:
    iid = engine.start(PDK, "Uji 李小龍 🙂").state.id
    engine.done(iid, by="李小龍")
    engine.done(iid, by="rina 🙂")
    text = render_text(status_view(engine.status(iid), width), width)
    assert "李小龍 (PU)" in text and "rina 🙂 (PU)" in text
    assert _widths(text) == {width}


def test_wide_lane_names_and_branch_labels_keep_the_border(catalog) -> None:  # type: ignore[no-untyped-def]
    data = catalog.get(PDK).definition()
    data["lanes"][1]["short"] = "科长"
    data["lanes"][1]["name"] = "科长"
    decision = next(s for row in data["rows"] for s in row["symbols"] if s.get("branches"))
    decision["branches"][0]["label"] = "是的"
    flow = Procedure.from_definition(data)
    for width in (80, 120):
        text = render_text(flow_table(flow, width), width)
        assert "科长" in text and "是的" in text
        assert len(_widths(text)) == 1
