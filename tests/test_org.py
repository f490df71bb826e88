"""People, lanes and delegation: who may complete which step, and what each event records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sopctl.errors import NotPermittedError, UsageError, ValidationFailed
from sopctl.org import load_org
from sopctl.run.engine import Engine
from sopctl.run.events import Actor
from sopctl.sop.loader import Catalog
from sopctl.store import Store, open_store
from tests.conftest import WIB, Cli, Clock

PDK = "pengelolaan-data-kepegawaian"
ORG = """\
schema: 1
people:
  - {nip: "19900101 201503 2 001", name: Rina Marlina, alias: rina, position: Pengadministrasi Umum}
  - {nip: "19850312 201001 1 004", name: Budi Santoso, alias: budi,
     position: Kasubag Umum dan Kepegawaian, lanes: [kasubag-umpeg]}
  - {nip: "19791120 200501 2 003", name: Sari Dewi, alias: sari, position: Sekretaris}
  - {nip: "19730104 199703 2 001", name: "Hj. Indri Astuti, SH, M.Si", alias: kadis,
     position: Kepala Dinas Komunikasi dan Informatika, lanes: [kepala-dinas]}
delegations:
  - {kind: Plt., person: sari, for: Kepala Dinas, from: 2026-03-02, to: 2026-03-06,
     decree: "SPT No. 800/45/2026"}
"""


@pytest.fixture
def org_engine(tmp_path: Path, store: Store, catalog: Catalog, clock: Clock) -> Engine:
    path = tmp_path / "org.yaml"
    path.write_text(ORG)
    return Engine(store, catalog, clock, people=load_org(path), os_user="operator")


def to_step(engine: Engine, clock: Clock, iid: str, number: int) -> None:
    """Walk the personnel SOP's main path until ``number`` is current, as the right people."""
    who = {1: "rina", 2: "rina", 3: "rina", 4: "budi", 5: "rina", 6: "rina", 7: "budi", 8: "sari", 9: "kadis"}
    while number not in engine.status(iid).state.current:
        current = next(iter(engine.status(iid).state.current))
        clock.advance(minutes=5)
        if current == 4:
            engine.decide(iid, "ya", by="budi")
        else:
            engine.done(iid, by=who[current])


def test_a_person_acts_in_the_lane_of_their_position(org_engine: Engine, clock: Clock) -> None:
    iid = org_engine.start(PDK, "Mutasi", by="rina").state.id
    clock.advance(minutes=5)
    run = org_engine.done(iid, by="19900101 201503 2 001").state.runs[-1]  # by spaced NIP
    assert run.actor == {
        "by": "19900101 201503 2 001",
        "lane": "pengadministrasi-umum",
        "name": "Rina Marlina",
        "nip": "199001012015032001",
        "delegation": None,
        "verified": True,
    }
    assert org_engine.status(iid).state.unverified_events == 0


def test_someone_outside_the_lane_is_refused_and_nothing_is_written(org_engine: Engine, clock: Clock) -> None:
    iid = org_engine.start(PDK, "Mutasi").state.id
    clock.advance(minutes=5)
    with pytest.raises(
        NotPermittedError,
        match=r"Budi Santoso \(19850312 201001 1 004\) may not act as "
        r"Pengadministrasi Umum on 2026-03-02",
    ):
        org_engine.done(iid, by="budi")
    with pytest.raises(NotPermittedError, match='no one with NIP or alias "joko"'):
        org_engine.done(iid, by="joko")
    with pytest.raises(NotPermittedError):
        org_engine.done(iid, by="budi", as_lane="pengadministrasi-umum")
    assert len(org_engine.store.events(iid)) == 1


def test_lanes_given_by_id_count_too(org_engine: Engine, clock: Clock) -> None:
    iid = org_engine.start(PDK, "Mutasi").state.id
    to_step(org_engine, clock, iid, 4)
    clock.advance(minutes=5)
    run = org_engine.decide(iid, "tidak", by="budi").state.runs[-1]
    assert run.actor is not None and run.actor["lane"] == "kasubag-umpeg"


@pytest.mark.parametrize(
    ("day", "allowed"),
    [("2026-03-01", False), ("2026-03-02", True), ("2026-03-06", True), ("2026-03-09", False)],
)
def test_a_plt_acts_for_the_head_only_inside_the_delegation(
    org_engine: Engine, clock: Clock, day: str, allowed: bool
) -> None:
    clock.set("2026-02-27T08:00")
    iid = org_engine.start(PDK, "Mutasi").state.id
    to_step(org_engine, clock, iid, 9)  # step 9: the Kepala Dinas gives direction
    clock.set(f"{day}T15:00")
    if allowed:
        run = org_engine.done(iid, by="sari").state.runs[-1]
        assert run.actor is not None
        assert (run.actor["lane"], run.actor["delegation"]) == (
            "kepala-dinas",
            "Plt. Kepala Dinas (SPT No. 800/45/2026)",
        )
    else:
        with pytest.raises(NotPermittedError, match="no delegation covers that date"):
            org_engine.done(iid, by="sari")
    # The head herself may always act in her own lane.
    if not allowed:
        assert org_engine.done(iid, by="kadis").state.runs[-1].actor["delegation"] is None  # type: ignore[index]


def test_the_delegation_is_judged_on_the_date_the_step_was_done(org_engine: Engine, clock: Clock) -> None:
    clock.set("2026-02-27T08:00")
    iid = org_engine.start(PDK, "Mutasi").state.id
    to_step(org_engine, clock, iid, 9)
    clock.set("2026-03-20T10:00")  # entered later, for something done inside the window
    run = org_engine.done(iid, by="sari", at=dt.datetime(2026, 3, 5, 9, 0)).state.runs[-1]
    assert run.actor is not None and run.actor["delegation"].startswith("Plt.")
    event = org_engine.store.events(iid)[-1]
    assert event.at == dt.datetime(2026, 3, 5, 9, 0, tzinfo=WIB)
    assert event.entered_at == dt.datetime(2026, 3, 20, 10, 0, tzinfo=WIB)  # backdating is visible
    assert event.os_user == "operator"


def test_start_hold_and_cancel_record_known_people(org_engine: Engine, clock: Clock) -> None:
    iid = org_engine.start(PDK, "Mutasi", by="kadis").state.id
    first = org_engine.store.events(iid)[0]
    assert first.actor is not None and (first.actor.name, first.actor.verified) == (
        "Hj. Indri Astuti, SH, M.Si",
        True,
    )
    with pytest.raises(NotPermittedError):
        org_engine.hold(iid, reason="x", by="stranger")


def test_organisation_file_errors(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(
        "schema: 1\n"
        "people:\n"
        "  - {nip: '19901301 201503 2 001', name: A, alias: a}\n"
        "  - {nip: '19900101 201503 3 001', name: B}\n"
        "  - {nip: '19900101 201503 2 001', name: C, alias: C!}\n"
        "delegations:\n"
        "  - {kind: Plt, person: nobody, for: x, from: 2026-03-02, to: 2026-03-01}\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        load_org(path)
    lines = [str(p).removeprefix(f"{path}:") for p in caught.value.problems]
    assert lines == [
        '3:11: people[0].nip: NIP "19901301 201503 2 001": the first 8 digits (19901301) must be a real '
        "birth date, YYYYMMDD",
        '4:11: people[1].nip: NIP "19900101 201503 3 001": digit 15 is the gender, 1 or 2, not 3',
        "5:52: people[2].alias: 'C!' is not allowed here: String should match pattern "
        "'^[a-z0-9][a-z0-9._-]*$'",
        "7:12: delegations[0].kind: must be one of Plt., Plh., not 'Plt' (did you mean \"Plt.\"?)",
    ]
    path.write_text(
        "schema: 1\npeople: [{nip: '19900101 201503 2 001', name: A, alias: a}]\n"
        "delegations: [{kind: Plh., person: b, for: x, from: 2026-03-02, to: 2026-03-01}]\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        load_org(path)
    assert [str(p).removeprefix(f"{path}:") for p in caught.value.problems] == [
        "3:15: delegations[0]: `to` (2026-03-01) is before `from` (2026-03-02)"
    ]


def test_joint_step_with_two_of_the_persons_lanes_needs_as(
    tmp_path: Path, store: Store, clock: Clock
) -> None:
    from tests.flows import PARALLEL, catalog_of

    org = tmp_path / "org.yaml"
    org.write_text(
        "schema: 1\npeople:\n  - {nip: '19900101 201503 2 001', name: Ani, alias: ani, "
        "lanes: [staf, kasubag, kadis]}\n"
    )
    engine = Engine(store, catalog_of(tmp_path / "sops", PARALLEL), clock, people=load_org(org))
    iid = engine.start("paralel", "Rapat").state.id
    for step in (1, 2, 3, 4):
        clock.advance(minutes=1)
        engine.done(iid, by="ani", step=step)
    clock.advance(minutes=1)
    with pytest.raises(UsageError, match="holds several lanes of step 5"):
        engine.done(iid, by="ani")
    run = engine.done(iid, by="ani", as_lane="kadis").state.runs[-1]
    assert run.actor is not None and run.actor["lane"] == "kadis"


def test_a_broken_site_file_is_bad_input_to_the_other_commands(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from tests.conftest import SOPS

    shutil.copytree(SOPS, tmp_path / "sops")
    (tmp_path / "sopctl.yaml").write_text("office_hours:\n  monday: {open: '25:00', close: '16:00'}\n")
    assert cli("start", "pengelolaan-data-kepegawaian", "--title", "Kasus").exit_code == 0
    result = cli("check", env={"SOPCTL_SOPS": str(tmp_path / "sops")})
    assert result.exit_code == 2  # not 1: for check that means "something is overdue"
    assert result.stderr.startswith(f"Error: {tmp_path}/sopctl.yaml:2:")
    assert result.stderr.endswith("; nothing was done\n") and result.stderr.count("\n") == 1


def test_validate_checks_the_site_files_beside_the_catalogue(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from tests.conftest import SOPS

    shutil.copytree(SOPS, tmp_path / "sops")
    (tmp_path / "org.yaml").write_text(
        "schema: 1\npeople:\n"
        "  - {nip: '19850312 201001 1 004', name: Budi, alias: budi, lanes: [kasubag-umpg]}\n"
        "delegations:\n"
        "  - {kind: Plt., person: budi, for: Kepala Dinas, from: 2026-03-01, to: 2026-03-31}\n"
    )
    (tmp_path / "sopctl.yaml").write_text("office_hours:\n  monday: {open: '08:00', close: '07:00'}\n")
    result = cli("validate", env={"SOPCTL_SOPS": str(tmp_path / "sops")})
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{tmp_path}/sopctl.yaml:2:11: office_hours.monday: closes at 07:00, not after it opens at 08:00",
        f'{tmp_path}/org.yaml:3:69: people[0].lanes[0]: no SOP in the catalogue has the lane "kasubag-umpg" '
        '(did you mean "kasubag-umpeg"?)',
    ]
    (tmp_path / "sopctl.yaml").unlink()
    (tmp_path / "org.yaml").write_text((tmp_path / "org.yaml").read_text().replace("umpg", "umpeg"))
    assert cli("validate", env={"SOPCTL_SOPS": str(tmp_path / "sops")}).exit_code == 0


# -- third parties: a lane marked `external` (pihak ketiga) -------------------------------------

VENDOR_ORG = """\
schema: 1
people:
  - {nip: "19900101 201503 2 001", name: Ani Lestari, alias: ani, position: Staf}
"""


@pytest.fixture
def vendor_engine(tmp_path: Path, store: Store, clock: Clock) -> Engine:
    """Staff hand the repair to a vendor (step 2), then meet it (step 3, a joint step)."""
    from tests import flows

    lanes = [*flows.LANES[:2], {"id": "vendor", "name": "Pihak Ketiga", "short": "PK", "external": True}]
    data = flows.sop(
        "perbaikan",
        [
            flows.step(1, "staf", "start"),
            flows.step(2, "vendor"),
            flows.step(3, ["staf", "vendor"]),
            flows.step(4, "staf", "end"),
        ],
        lanes=lanes,
    )
    org = tmp_path / "org.yaml"
    org.write_text(VENDOR_ORG)
    catalog = flows.catalog_of(tmp_path / "sops", data)
    return Engine(store, catalog, clock, people=load_org(org), os_user="operator")


def at_vendor_step(engine: Engine, clock: Clock) -> str:
    iid = engine.start("perbaikan", "Server rusak", by="ani").state.id
    clock.advance(minutes=5)
    engine.done(iid, by="ani")
    clock.advance(minutes=5)
    return iid


def test_a_third_party_is_recorded_by_the_name_given(vendor_engine: Engine, clock: Clock) -> None:
    iid = at_vendor_step(vendor_engine, clock)
    run = vendor_engine.done(iid, by="  PT Maju Jaya ").state.runs[-1]
    # The organisation file lists the office's people; a vendor is named, and is in no way an
    # unverified civil servant: no "?" in the log, no "unverified" note in status.
    assert run.actor == {
        "by": "PT Maju Jaya",
        "lane": "vendor",
        "name": "PT Maju Jaya",
        "nip": None,
        "delegation": None,
        "verified": True,
    }
    assert vendor_engine.status(iid).state.unverified_events == 0


def test_in_a_joint_step_the_third_party_takes_its_own_lane(vendor_engine: Engine, clock: Clock) -> None:
    iid = at_vendor_step(vendor_engine, clock)
    vendor_engine.done(iid, by="CV Sinar")
    clock.advance(minutes=5)
    view = vendor_engine.done(iid, by="Budi (CV Sinar)", step=3)
    assert view.state.runs[-1].actor["lane"] == "vendor"  # type: ignore[index]


def test_a_civil_servant_may_not_act_in_a_third_partys_lane(vendor_engine: Engine, clock: Clock) -> None:
    iid = at_vendor_step(vendor_engine, clock)
    refusal = (
        r"Ani Lestari \(19900101 201503 2 001\) may not act as Pihak Ketiga: it is a third party's "
        r"lane; name the third party with --by"
    )
    # By alias, NIP, or by her name as the file spells it (any case and spacing).
    for by in ("ani", "199001012015032001", "Ani Lestari", "ani  lestari"):
        with pytest.raises(NotPermittedError, match=refusal):
            vendor_engine.done(iid, by=by)
        with pytest.raises(NotPermittedError, match=refusal):
            vendor_engine.done(iid, by=by, as_lane="vendor")
    assert len(vendor_engine.store.events(iid)) == 2  # nothing written


def test_a_number_is_not_a_third_partys_name(vendor_engine: Engine, clock: Clock) -> None:
    """An unknown NIP is most likely a civil servant missing from the file, or a typo."""
    iid = at_vendor_step(vendor_engine, clock)
    with pytest.raises(NotPermittedError, match='no one with NIP or alias "19900101 201503 2 009"'):
        vendor_engine.done(iid, by="19900101 201503 2 009")
    with pytest.raises(NotPermittedError, match=r'no one with NIP or alias "NIP\. 199001012015032009"'):
        vendor_engine.done(iid, by="NIP. 199001012015032009")
    assert len(vendor_engine.store.events(iid)) == 2


def test_a_name_outside_the_org_file_acts_only_in_a_third_partys_lane(
    vendor_engine: Engine, clock: Clock
) -> None:
    iid = vendor_engine.start("perbaikan", "Server rusak").state.id
    clock.advance(minutes=5)
    with pytest.raises(NotPermittedError, match=r'no one with NIP or alias "PT Maju Jaya" in .*org\.yaml$'):
        vendor_engine.done(iid, by="PT Maju Jaya")
    iid = at_vendor_step(vendor_engine, clock)
    vendor_engine.done(iid, by="PT Maju Jaya")
    clock.advance(minutes=5)
    with pytest.raises(NotPermittedError, match='no one with NIP or alias "PT Maju Jaya"'):
        vendor_engine.done(iid, by="PT Maju Jaya", as_lane="staf")


@pytest.mark.parametrize(
    ("by", "message"),
    [
        ("", "say who did the step with --by"),
        ("   ", "say who did the step with --by"),
        ("PT\x1b[2JMaju", "--by contains the control character U+001B; remove it"),
        ("PT Maju\nJaya", "--by contains the control character U+000A; remove it"),
        ("PT\tMaju", "--by contains the control character U+0009; remove it"),
    ],
)
def test_a_name_is_one_line_of_plain_text(vendor_engine: Engine, clock: Clock, by: str, message: str) -> None:
    iid = at_vendor_step(vendor_engine, clock)
    with pytest.raises(UsageError) as caught:
        vendor_engine.done(iid, by=by)
    assert str(caught.value) == message
    assert len(vendor_engine.store.events(iid)) == 2


def test_validate_says_no_one_in_the_file_holds_a_third_partys_lane(tmp_path: Path) -> None:
    from sopctl.org import org_problems
    from sopctl.sop.procedure import Procedure
    from tests import flows

    lanes = [*flows.LANES[:1], {"id": "vendor", "name": "Pihak Ketiga", "short": "PK", "external": True}]
    data = flows.sop(
        "vendor-uji", [flows.step(1, "staf", "start"), flows.step(2, "vendor", "end")], lanes=lanes
    )
    flow = flows.catalog_of(tmp_path / "sops", data).get("vendor-uji").procedure
    assert isinstance(flow, Procedure)
    org = tmp_path / "org.yaml"
    org.write_text(
        "schema: 1\npeople:\n  - {nip: '19900101 201503 2 001', name: Ani, lanes: [staf, vendor]}\n"
    )
    assert [str(p) for p in org_problems(org, [flow])] == [
        f'{org}:3:61: people[0].lanes[1]: "vendor" is a third party\'s lane (external: true): '
        "the office's people do not act in it"
    ]


UJI = """\
schema: 1
id: uji
name: Uji
timezone: Asia/Jakarta
lanes:
  - {id: kasi, name: Kepala Seksi}
  - {id: vendor, name: Pihak Ketiga, external: true}
steps:
  - {step: 1, kind: start, activity: Terima, lanes: [kasi], time: 30 menit}
  - {step: 2, activity: Perbaikan, lanes: [vendor]}
  - {step: 3, kind: end, activity: Selesai, lanes: [kasi], time: 15 menit}
"""


def test_cli_a_third_partys_step_is_done_by_its_name(tmp_path: Path, cli, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "sops").mkdir()
    (tmp_path / "sops" / "uji.yaml").write_text(UJI)
    (tmp_path / "org.yaml").write_text(
        "schema: 1\npeople:\n"
        '  - {nip: "19810101 200601 1 008", name: Yan Kasi, alias: kasi, position: Kepala Seksi}\n'
    )
    env = {"SOPCTL_SOPS": str(tmp_path / "sops")}
    assert cli("start", "uji", "--title", "t", env=env).exit_code == 0
    clock.advance(minutes=10)
    assert cli("done", "UJI-2026-0001", "--by", "kasi", env=env).exit_code == 0
    clock.advance(minutes=10)
    refused = cli("done", "UJI-2026-0001", "--by", "kasi", env=env)
    assert (refused.exit_code, refused.stdout) == (4, "")
    assert refused.stderr == (
        "Error: Yan Kasi (19810101 200601 1 008) may not act as Pihak Ketiga: it is a third party's "
        "lane; name the third party with --by, as it should appear on the laporan "
        f"({tmp_path / 'org.yaml'})\n"
    )
    bad = cli("done", "UJI-2026-0001", "--by", "PT\x1b[31mVendor", env=env)
    assert (bad.exit_code, bad.stderr) == (
        2,
        "Error: --by contains the control character U+001B; remove it\n",
    )
    done = cli("done", "UJI-2026-0001", "--by", "PT Vendor", env=env)
    assert done.exit_code == 0, done.stderr
    assert done.stdout.startswith("UJI-2026-0001: step 2 done by PT Vendor as Pihak Ketiga;")
    log = cli("log", "UJI-2026-0001", env=env)
    assert "PT Vendor" in log.stdout and "?" not in log.stdout and log.stderr == ""
    events = open_store(str(cli.db)).events("UJI-2026-0001")
    assert len(events) == 3 and events[-1].actor == Actor(
        "PT Vendor", "vendor", "PT Vendor", None, None, True
    )


# -- a lane is held only by those who hold it -------------------------------------------------

SURVEI = """\
schema: 1
id: survei
name: Survei Lapangan
timezone: Asia/Jakarta
lanes:
  - {id: kepala, name: Kepala}
  - {id: seksi-survei, name: Seksi Survei}
steps:
  - {step: 1, kind: start, activity: Siapkan rencana survei, lanes: [seksi-survei], time: 30 menit}
  - {step: 2, activity: Setujui rencana, lanes: [kepala], time: 30 menit}
  - {step: 3, kind: end, activity: Laksanakan survei, lanes: [seksi-survei], time: 1 jam}
"""
SURVEI_ORG = """\
schema: 1
people:
  - {nip: "19810101 200601 1 008", name: Yan Prasetyo, alias: kasi, position: Kepala Seksi Survei,
     lanes: [seksi-survei]}
  - {nip: "19730104 199703 2 001", name: Dewi Lestari, alias: kepala, position: "  KEPALA "}
"""


def signers(cli: Cli, iid: str, env: dict[str, str]) -> dict[str, str]:
    """The laporan's signature blocks: the line above each signature ("Kepala,") -> the name."""
    laporan = cli("export", "instance", iid, "-f", "md", "-o", "-", env=env)
    assert laporan.exit_code == 0, laporan.stderr
    blocks = laporan.stdout[laporan.stdout.index("……………………,") :].split("\n\n\n")
    above = [block.rsplit("\n\n", 1)[-1] for block in blocks[:-1]]
    return dict(zip(above, (block.split("\n")[0].strip("* ") for block in blocks[1:]), strict=True))


def test_cli_a_position_that_starts_with_a_lanes_name_does_not_hold_it(
    tmp_path: Path, cli: Cli, clock: Clock
) -> None:
    # A head of section ("Kepala Seksi Survei", lanes: [seksi-survei]) is not the head of
    # office, whose lane real SOPs call just "Kepala".
    (tmp_path / "sops").mkdir()
    (tmp_path / "sops" / "survei.yaml").write_text(SURVEI)
    org = tmp_path / "org.yaml"
    org.write_text(SURVEI_ORG)
    env = {"SOPCTL_SOPS": str(tmp_path / "sops")}
    iid = "SUR-2026-0001"
    assert cli("start", "survei", "--title", "Survei jalan", "--by", "kasi", env=env).exit_code == 0
    clock.advance(minutes=10)
    assert cli("done", iid, "--by", "kasi", env=env).exit_code == 0
    clock.advance(minutes=10)
    for extra in ([], ["--as", "kepala"]):
        refused = cli("done", iid, "--by", "kasi", *extra, env=env)
        assert (refused.exit_code, refused.stdout) == (4, "")
        assert refused.stderr == (
            "Error: Yan Prasetyo (19810101 200601 1 008) may not act as Kepala on 2026-03-02: "
            f"not in their lanes and no delegation covers that date ({org})\n"
        )
    assert len(open_store(str(cli.db)).events(iid)) == 2  # nothing written
    assert signers(cli, iid, env) == {"Seksi Survei,": "Yan Prasetyo"}
    # The head herself holds it: her position is the lane's name, in any case and spacing.
    assert cli("done", iid, "--by", "kepala", env=env).exit_code == 0
    assert signers(cli, iid, env) == {"Kepala,": "Dewi Lestari", "Seksi Survei,": "Yan Prasetyo"}


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ("position: Kepala, lanes: [seksi-survei]", "not in their lanes"),  # the list is all
        ("position: Kepala, lanes: []", "not in their lanes"),
        ("position: Kepala Seksi Survei", "not their position"),  # a whole name, not its start
    ],
)
def test_a_lane_is_held_by_the_lanes_given_or_the_whole_position(
    tmp_path: Path, store: Store, clock: Clock, entry: str, why: str
) -> None:
    (tmp_path / "sops").mkdir()
    (tmp_path / "sops" / "survei.yaml").write_text(SURVEI)
    org = tmp_path / "org.yaml"
    org.write_text(
        "schema: 1\npeople:\n"
        "  - {nip: '19810101 200601 1 008', name: Yan, alias: kasi, lanes: [seksi-survei]}\n"
        f"  - {{nip: '19730104 199703 2 001', name: Dewi, alias: dewi, {entry}}}\n"
    )
    from sopctl.sop.loader import load_catalog

    engine = Engine(store, load_catalog([tmp_path / "sops"]), clock, people=load_org(org))
    iid = engine.start("survei", "Survei").state.id
    engine.done(iid, by="kasi")
    with pytest.raises(NotPermittedError, match=f"Dewi .* may not act as Kepala on 2026-03-02: {why}"):
        engine.done(iid, by="dewi")
    assert len(engine.store.events(iid)) == 2


SHARED_NAMES = """\
schema: 1
id: anggaran
name: Anggaran
timezone: Asia/Jakarta
lanes:
  - {id: kepala, name: Kepala}
  - {id: staf-umum, name: Staf}
  - {id: staf-keuangan, name: STAF}
steps:
  - {step: 1, kind: start, activity: Susun, lanes: [staf-umum], time: 30 menit}
  - {step: 2, activity: Hitung, lanes: [staf-keuangan], time: 30 menit}
  - {step: 3, kind: end, activity: Setujui, lanes: [kepala], time: 30 menit}
"""


def test_validate_names_the_people_and_lanes_of_an_ambiguous_match(
    tmp_path: Path, cli: Cli, clock: Clock
) -> None:
    sops = tmp_path / "sops"
    sops.mkdir()
    (sops / "anggaran.yaml").write_text(SHARED_NAMES)
    (sops / "survei.yaml").write_text(SURVEI)
    org = tmp_path / "org.yaml"
    org.write_text(
        "schema: 1\npeople:\n"
        "  - {nip: '19900101 201503 2 001', name: Ani, alias: ani, position: Staf}\n"
        "  - {nip: '19850312 201001 1 004', name: Budi, alias: budi, position: Staf, lanes: [staf-umum]}\n"
        "  - {nip: '19810101 200601 1 008', name: Yan, alias: yan, position: Kepala Seksi Survei}\n"
        "delegations:\n"
        "  - {kind: Plh., person: budi, for: staf, from: 2026-03-02, to: 2026-03-06}\n"
        "  - {kind: Plh., person: yan, for: staf-keuangan, from: 2026-03-02, to: 2026-03-06}\n"
    )
    env = {"SOPCTL_SOPS": str(sops)}
    result = cli("validate", env=env)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f'{org}:3:69: people[0].position: "Staf" (Ani, 19900101 201503 2 001) is the name of several '
        'lanes of SOP "anggaran": staf-umum, staf-keuangan; list theirs in `lanes:`',
        f'{org}:5:69: people[2].position: "Kepala Seksi Survei" (Yan) is the name of no lane, and a '
        'position holds a lane only by its whole name, not by starting with "Kepala": give the lanes '
        "held, e.g. `lanes: [kepala]`, or `lanes: []` for none",
        f'{org}:7:37: delegations[0].for: "staf" (Plh. Budi, 19850312 201001 1 004) is the name of '
        'several lanes of SOP "anggaran": staf-umum, staf-keuangan; give the lane id in `for:`',
    ]
    # Run anyway, the file refuses to guess which lane is meant: bad input, nothing written.
    iid = "ANG-2026-0001"
    assert cli("start", "anggaran", "--title", "APBD", "--by", "ani", env=env).exit_code == 0
    clock.advance(minutes=5)
    refused = cli("done", iid, "--by", "ani", env=env)
    assert (refused.exit_code, refused.stderr) == (
        2,
        f'Error: {org}: the position "Staf" (Ani, 19900101 201503 2 001) is the name of several lanes '
        'of SOP "anggaran": staf-umum, staf-keuangan; list theirs in `lanes:`\n',
    )
    assert len(open_store(str(cli.db)).events(iid)) == 1
    # Lanes given by id are clear: Budi's own, Yan's delegation.
    assert cli("done", iid, "--by", "budi", env=env).exit_code == 0
    clock.advance(minutes=5)
    unclear = cli("done", iid, "--by", "budi", env=env)
    assert (unclear.exit_code, unclear.stderr) == (
        2,
        f'Error: {org}: the delegation for "staf" (Plh. Budi, 19850312 201001 1 004) is the name of '
        'several lanes of SOP "anggaran": staf-umum, staf-keuangan; give the lane id in `for:`\n',
    )
    assert cli("done", iid, "--by", "yan", env=env).exit_code == 0
    assert cli("done", iid, "--by", "yan", env=env).exit_code == 4  # "Kepala Seksi Survei" is not "Kepala"
    assert len(open_store(str(cli.db)).events(iid)) == 3
