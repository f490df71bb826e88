"""A case of a format-2 SOP in its printouts: the laporan, the progress lines, ``log`` and
``ps`` name symbols as people do ("2b"), never by the numbers the flow keys them by, and a
step done in an application's lane is the application's: no person, no NIP, no signature
(``tests/render/rows2.py``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sopctl.org import load_org
from sopctl.render.document import instance_document
from sopctl.render.html import instance_html
from sopctl.render.instance_view import log_table, ps_table
from sopctl.render.markdown import instance_markdown
from sopctl.render.pages import Paper
from sopctl.render.progress import completed_line, now_due
from sopctl.run.engine import Engine
from sopctl.views import status_json
from tests.flows import catalog_of
from tests.render.conftest import render_text
from tests.render.rows2 import ORG, ROWS2, walk

#: The symbols the walk (rows2.WALK) completes, in order, by name.
DONE = ["1a", "1b", "2a", "2b", "1b", "2a", "2b", "3", "4a", "4b"]


@pytest.fixture
def engine(tmp_path: Path, store, clock) -> Engine:  # type: ignore[no-untyped-def]
    org = tmp_path / "org.yaml"
    org.write_text(ORG)
    return Engine(store, catalog_of(tmp_path / "sops", ROWS2), clock, people=load_org(org), os_user="tester")


def test_the_laporan_names_each_pass_by_its_symbol(engine, clock) -> None:  # type: ignore[no-untyped-def]
    doc = instance_document(walk(engine, clock))
    assert [run.symbol for run in doc.runs] == DONE
    assert [run.step for run in doc.runs] == [1, 1, 2, 2, 1, 2, 2, 3, 4, 4]  # their rows' Nos
    assert doc.runs[3].outcome == "Tidak → 1b (kembali)" and doc.runs[9].outcome == "Biasa → 5a"
    assert doc.current == [f"5a — Menindaklanjuti disposisi ({doc.t['due']} 2026-03-03 08:50 WIB)"]
    html = instance_html(doc, Paper.named("a4"))
    cells = re.findall(r'<tr class="run[^"]*"[^>]*>\s*<td class="num-col">(\w+)', html)
    assert cells == DONE
    markdown = instance_markdown(doc)
    assert "| 2b #2 |" in markdown and "| 1b #2 |" in markdown


def test_an_applications_step_is_its_own_no_person_no_nip_no_signature(engine, clock) -> None:  # type: ignore[no-untyped-def]
    doc = instance_document(walk(engine, clock))
    portal = doc.runs[7]
    assert (portal.symbol, portal.lane, portal.who, portal.nip) == ("3", "Portal Pintar", "Portal Pintar", "")
    assert [s.lane for s in doc.signers] == ["Staf Umum", "Kasubag Umum", "Kepala Dinas"]
    html = instance_html(doc, Paper.named("a4"))
    assert "operator loket" not in html
    assert html.count('class="name"') == 3  # a signature block per person's lane, none for the portal
    assert "Portal Pintar," not in instance_markdown(doc)  # no "Portal Pintar," over a signature


def test_progress_lines_name_symbols(engine, clock) -> None:  # type: ignore[no-untyped-def]
    view = walk(engine, clock, 3)  # 1a, 1b, 2a done: 2b, the check, is due
    assert now_due(view)[0].startswith("  now due: step 2b [Kasubag Umum] Memeriksa kelengkapan berkas")
    assert now_due(view)[0].endswith("— decide (Lengkap?): Ya / Tidak")
    assert completed_line(view).startswith(f"{view.state.id}: step 2a done by Budi Santoso as Kasubag Umum;")
    view = walk(engine, clock, 8)
    assert completed_line(view).startswith(f"{view.state.id}: step 3 done in Portal Pintar;")
    decided = walk(engine, clock, 4)
    assert "→ Tidak, to step 1b;" in completed_line(decided)


def test_log_and_ps_name_symbols(engine, clock) -> None:  # type: ignore[no-untyped-def]
    view = walk(engine, clock)
    text = render_text(log_table(view.events, view), 120)
    assert re.findall(r"(?:selesai|diputuskan) (\w+)", text) == DONE
    portal = next(line for line in text.splitlines() if "selesai 3 " in line)
    assert "Portal Pintar" in portal and "operator" not in portal and "?" not in portal
    rows = [status_json(view.state, view.flow, view.calendar, view.now, history=False)]
    assert "5a" in render_text(ps_table(rows), 100).split()
