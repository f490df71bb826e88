"""The flowchart layout shared by the terminal and the printed documents."""

from __future__ import annotations

import re

from sopctl.render.canvas import Canvas, Glyphs
from sopctl.render.chart import layout
from sopctl.sop.procedure import Procedure


def _flow(steps: list[dict], lanes: int = 3) -> Procedure:  # type: ignore[type-arg]
    return Procedure.from_definition(
        {
            "id": "t",
            "name": "T",
            "lanes": [{"id": f"l{i}", "name": f"Lane {i}"} for i in range(lanes)],
            "steps": steps,
        }
    )


def test_loops_go_through_a_gutter_and_point_back_up(catalog) -> None:
    chart = layout(catalog.get("pengelolaan-data-kepegawaian").procedure)
    loop = next(e for e in chart.edges if e.back)
    assert (loop.source, loop.target, loop.label) == (4, 2, "Tidak")
    assert chart.right == 1 and chart.left == 0
    xs = [x for x, _ in loop.points]
    assert max(xs) == chart.lanes  # the first right gutter track


def test_every_flow_becomes_one_edge(catalog) -> None:
    for loaded in catalog:
        flow = loaded.procedure
        chart = layout(flow)
        expected = sorted((s.number, t) for s in flow.steps.values() for t in s.targets)
        assert sorted((e.source, e.target) for e in chart.edges) == expected


def test_overlapping_loops_get_separate_tracks(catalog) -> None:
    chart = layout(catalog.get("pemeliharaan-simpeg").procedure)
    tracks = {(e.source, e.target): e.points[1][0] for e in chart.edges if e.back}
    assert tracks[(3, 2)] != tracks[(4, 3)]


def test_parallel_split_join_and_joint_step_are_drawn() -> None:
    flow = _flow(
        [
            {"step": 1, "kind": "start", "activity": "a", "lanes": ["l0"], "next": [2, 3]},
            {"step": 2, "activity": "b", "lanes": ["l1"], "next": 4},
            {"step": 3, "activity": "c", "lanes": ["l2"], "next": 4},
            {"step": 4, "activity": "rapat", "lanes": ["l1", "l2"], "join": True},
            {"step": 5, "kind": "end", "activity": "e", "lanes": ["l0"]},
        ]
    )
    chart = layout(flow)
    assert chart.nodes[4].lanes == (1, 2)
    assert sorted((e.source, e.target) for e in chart.edges) == [(1, 2), (1, 3), (2, 4), (3, 4), (4, 5)]
    canvas = Canvas(chart, 8, [4] * chart.rows, Glyphs.ascii())
    canvas.draw()
    rows = ["".join(ch for ch, _ in line) for r in range(chart.rows) for line in canvas.body(r)]
    assert any(re.search(r"\+-{9,}\+", row) for row in rows)  # one box across both lanes of step 4
    split = rows[1]  # the middle line of step 1: one line leaving to both lanes
    assert split.count("+") >= 2


def test_a_jump_blocked_by_a_symbol_goes_around() -> None:
    flow = _flow(
        [
            {
                "step": 1,
                "kind": "decision",
                "activity": "a",
                "lanes": ["l0"],
                "branches": [{"label": "Ya", "to": 2}, {"label": "Tidak", "to": 3}],
            },
            {"step": 2, "activity": "b", "lanes": ["l0"]},
            {"step": 3, "kind": "end", "activity": "c", "lanes": ["l0"]},
        ]
    )
    chart = layout(flow)
    jump = next(e for e in chart.edges if e.target == 3 and e.source == 1)
    assert not jump.back
    assert any(x >= chart.lanes or x < 0 for x, _ in jump.points)
