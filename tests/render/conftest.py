"""Fixtures for rendering tests: instances walked to known states, and exact text output.

Golden files live in ``golden/``; after a deliberate change to the output,
regenerate them with ``UPDATE_GOLDEN=1 python -m pytest tests/render`` and
read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.text import Text

from sopctl.run.engine import Engine
from sopctl.run.reader import InstanceView

GOLDEN = Path(__file__).parent / "golden"
PDK = "pengelolaan-data-kepegawaian"
SIMPEG = "pemeliharaan-simpeg"


def render_text(renderable: RenderableType, width: int) -> str:
    console = Console(width=width, record=True, color_system=None, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


def table_lines(renderable: RenderableType) -> list[str]:
    """The lines of the flow table as drawn, before a console wraps a line too long for it
    (which would put the right border on a line of its own and still look "narrow enough")."""
    if isinstance(renderable, Text) and renderable.plain.startswith(("┌", "+")):
        return renderable.plain.split("\n")
    for part in renderable.renderables if isinstance(renderable, Group) else []:
        if lines := table_lines(part):
            return lines
    return []


def table_width(renderable: RenderableType) -> int:
    lines = table_lines(renderable)
    assert lines, "no flow table in the output"
    return max(cell_len(line) for line in lines)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with UPDATE_GOLDEN=1 and check it"
    assert text == path.read_text(encoding="utf-8")


@pytest.fixture(name="render_text")
def render_text_fixture():  # type: ignore[no-untyped-def]
    return render_text


@pytest.fixture(name="table_width")
def table_width_fixture():  # type: ignore[no-untyped-def]
    return table_width


@pytest.fixture(name="golden")
def golden_fixture():  # type: ignore[no-untyped-def]
    return check_golden


@pytest.fixture
def remarked(tmp_path: Path, catalog):  # type: ignore[no-untyped-def]
    """PDK with remarks (Ket.): ``remarked({0: "text"})`` gives it loaded, with "text" as the
    remarks of its first step."""
    import yaml

    from sopctl.sop.loader import load_sop

    def load(remarks: dict[int, str]):  # type: ignore[no-untyped-def]
        data = catalog.get(PDK).definition()
        for index, text in remarks.items():
            data["rows"][index]["remarks"] = text
        path = tmp_path / "dengan-keterangan.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return load_sop(path)

    return load


@pytest.fixture
def corrected(engine: Engine, clock) -> InstanceView:  # type: ignore[no-untyped-def]
    """PDK walked through a correction loop: step 2 late on its first pass, step 5 now current."""
    iid = engine.start(PDK, "Mutasi a.n. Siti Aminah", ref="800/12/Umpeg").state.id
    for minutes, action in (
        (10, ("done", "Siti")),
        (40, ("done", "Siti")),
        (10, ("done", "Siti")),
        (20, ("tidak", "Budi")),
        (20, ("done", "Siti")),
        (10, ("done", "Siti")),
        (15, ("Ya", "Budi")),
    ):
        clock.advance(minutes=minutes)
        verb, who = action
        if verb == "done":
            engine.done(iid, by=who)
        else:
            engine.decide(iid, verb, by=who)
    clock.advance(minutes=5)
    return engine.status(iid)


@pytest.fixture
def held(engine: Engine, clock) -> InstanceView:  # type: ignore[no-untyped-def]
    """SIMPEG on hold while a third party repairs the network."""
    clock.set("2026-03-02T09:00:00")
    iid = engine.start(SIMPEG, "Pemeriksaan bulanan").state.id
    clock.advance(minutes=20)
    engine.done(iid, by="Rahmat")
    clock.advance(hours=2)
    engine.hold(iid, reason="perbaikan oleh pihak ketiga")
    clock.advance(hours=1)
    return engine.status(iid)


DELEGATED_ORG = """\
schema: 1
people:
  - {nip: "19900101 201503 2 001", name: Rina Marlina, alias: rina, position: Pengadministrasi Umum}
  - {nip: "19850312 201001 1 004", name: Budi Santoso, alias: budi, position: Kasubag Umpeg}
  - {nip: "19791120 200501 2 003", name: Sari Dewi, alias: sari, position: Sekretaris}
delegations:
  - {kind: Plt., person: budi, for: Kepala Dinas, from: 2026-03-02, to: 2026-03-06,
     decree: "SPT No. 800/45/2026"}
  - {kind: Plh., person: sari, for: Kasubag Umpeg, from: 2026-03-02, to: 2026-03-02}
"""


@pytest.fixture
def delegated(tmp_path: Path, store, catalog, clock) -> InstanceView:  # type: ignore[no-untyped-def]
    """PDK walked to its end while two officials are away: Budi acts as Plt. Kepala Dinas
    (step 9), and Sari as Plh. Kasubag Umpeg (step 10) as well as in her own lane (step 8)."""
    from sopctl.org import load_org

    org = tmp_path / "org.yaml"
    org.write_text(DELEGATED_ORG)
    engine = Engine(store, catalog, clock, people=load_org(org))
    iid = engine.start(PDK, "Mutasi a.n. Siti Aminah").state.id
    for who in ("rina", "rina", "rina", "budi", "rina", "rina", "budi", "sari", "budi", "sari"):
        clock.advance(minutes=5)
        if len(engine.status(iid).state.runs) == 3:  # step 4, the review
            engine.decide(iid, "ya", by=who)
        else:
            engine.done(iid, by=who)
    return engine.status(iid)
