"""``sopctl log`` and ``sopctl ps`` in the terminal: nothing cut, ids whole."""

from __future__ import annotations

import datetime as dt

import pytest
from rich.cells import cell_len

from sopctl.render.instance_view import log_table, ps_table
from sopctl.run.engine import Engine
from sopctl.views import status_json
from tests.render.conftest import PDK, render_text

NOTE = "NIP pada SK salah ketik"


@pytest.fixture
def sent_back(engine: Engine, clock) -> str:  # type: ignore[no-untyped-def]
    """The demo's case: step 4 sends the file back with a note, all entered the next day."""
    iid = engine.start(PDK, "Mutasi a.n. Siti Aminah", ref="800/123").state.id
    start = clock.now
    clock.advance(days=1)
    for minutes in (10, 20, 30):
        engine.done(iid, by="siti", at=start + dt.timedelta(minutes=minutes))
    engine.decide(iid, "tidak", by="budi", note=NOTE, at=start + dt.timedelta(minutes=50))
    return iid


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def _last_column(lines: list[str], header: str) -> str:
    """The text of a table's last column, every row's lines joined."""
    rule = next(i for i, line in enumerate(lines) if line.lstrip().startswith("─"))
    at = next(line.index(header) for line in lines[:rule] if header in line)
    body = lines[rule + 1 : lines.index("", rule)]  # to the table's bottom edge
    return " ".join(filter(None, (line[at:].strip() for line in body)))


@pytest.mark.parametrize("width", [60, 80, 120])
def test_log_shows_every_word_of_a_note(engine: Engine, sent_back: str, width: int) -> None:
    view = engine.log(sent_back)
    lines = _lines(render_text(log_table(view.events, view, "en"), width))
    assert max(cell_len(line) for line in lines) <= width
    assert _last_column(lines, "Note") == NOTE


def test_log_speaks_the_sops_language_unless_told(engine: Engine, sent_back: str) -> None:
    view = engine.log(sent_back)
    assert view.flow.language == "id"
    indonesian = _lines(render_text(log_table(view.events, view), 100))
    assert indonesian[1].split()[:4] == ["#", "Kapan", "(WIB)", "Kejadian"]
    assert "diputuskan 4 → Tidak" in "\n".join(indonesian)
    assert _last_column(indonesian, "Catatan") == NOTE
    english = _lines(render_text(log_table(view.events, view, "en"), 100))
    assert english[1].split()[:4] == ["#", "When", "(WIB)", "What"]
    assert "decided 4 → Tidak" in "\n".join(english)


@pytest.mark.parametrize("width", [60, 80, 120])
def test_ps_keeps_ids_whole(engine: Engine, sent_back: str, width: int) -> None:
    rows = [status_json(v.state, v.flow, v.calendar, v.now, history=False) for v in engine.summaries()]
    lines = _lines(render_text(ps_table(rows), width))
    assert max(cell_len(line) for line in lines) <= width
    words = [word for line in lines for word in line.split()]
    assert sent_back in words and PDK in words
    assert all(word in words for word in ["Mutasi", "a.n.", "Siti", "Aminah"])


def test_ps_at_80_columns_is_a_table(engine: Engine, sent_back: str) -> None:
    rows = [status_json(v.state, v.flow, v.calendar, v.now, history=False) for v in engine.summaries()]
    lines = _lines(render_text(ps_table(rows), 80))
    assert lines[1].split() == ["ID", "SOP", "Title", "State", "Current"]
    assert lines[3].split()[:2] == ["PDK-2026-0001", PDK]
