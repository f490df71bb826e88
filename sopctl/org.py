"""The organisation file: who works here, in which lanes they may act, who stands in for whom.

Example (``org.yaml`` beside the catalogue folder, or ``--org``)::

    schema: 1
    people:
      - nip: "19730104 199703 2 001"
        name: Hj. Indri Astuti, SH, M.Si
        alias: kadis
        position: Kepala Dinas          # jabatan; without lanes, the name of the lane held
        unit: Dinas Komunikasi dan Informatika
      - nip: "19850312 201001 1 004"
        name: Budi Santoso
        alias: budi
        position: Kasubag Umum dan Kepegawaian
        lanes: [kasubag-umpeg]          # lane ids: all the lanes held, whatever the position
    delegations:
      - {kind: Plt., person: budi, for: kepala-dinas, from: 2026-03-01, to: 2026-03-31,
         decree: "SPT No. 800/45/2026"}

A person may act in a lane when the lane's id is in their ``lanes``, or, for someone
without ``lanes``, when their ``position`` is the lane's name (in any case and spacing, and
the whole name: "Kepala Seksi Survei" does not hold the lane "Kepala"), or when a
delegation gives them that lane (by its id, or its name matched the same way) on that date.
A name that several lanes of one SOP share is an error, which ``validate`` reports with the
people and lanes involved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from sopctl.actors import People, one_lane, system_actor
from sopctl.errors import NotPermittedError, Problem, UsageError, ValidationFailed
from sopctl.fields import IsoDate
from sopctl.nip import NipError, parse_nip
from sopctl.run.events import Actor
from sopctl.sop.procedure import LaneDef, Procedure, StepDef


def _nip(value: Any) -> str:
    try:
        return parse_nip(str(value)).digits
    except NipError as exc:
        raise ValueError(str(exc)) from None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, coerce_numbers_to_str=True)


class Person(_Strict):
    nip: Annotated[str, BeforeValidator(_nip)] = Field(description="NIP, 18 digits, spaced or not.")
    name: str = Field(min_length=1, description="Nama with titles, as it should appear on records.")
    alias: str | None = Field(None, pattern=r"^[a-z0-9][a-z0-9._-]*$", description="Short name for --by.")
    position: str = Field("", description="Jabatan, e.g. Kasubag Umpeg.")
    unit: str = Field("", description="Unit kerja.")
    lanes: list[str] | None = Field(
        None,
        description="Lane ids this person may act in, all of them: with this list the position "
        "is not matched against lane names.",
    )


class Delegation(_Strict):
    """A Plt. (pelaksana tugas) or Plh. (pelaksana harian) standing in for a position."""

    kind: Literal["Plt.", "Plh."] = Field(description="Plt. or Plh.")
    person: str = Field(description="The stand-in: NIP or alias.")
    for_: str = Field(alias="for", description="The position or lane id stood in for.")
    from_: IsoDate = Field(alias="from", description="First day, inclusive.")
    to: IsoDate = Field(description="Last day, inclusive.")
    decree: str = Field("", description="The assignment letter (SPT / SK).")

    @model_validator(mode="after")
    def _ordered(self) -> Delegation:
        if self.to < self.from_:
            raise ValueError(f"`to` ({self.to}) is before `from` ({self.from_})")
        return self

    def covers(self, day: dt.date) -> bool:
        return self.from_ <= day <= self.to

    @property
    def title(self) -> str:
        return f"{self.kind} {self.for_}" + (f" ({self.decree})" if self.decree else "")


class OrgFile(_Strict):
    format_version: Literal[1] = Field(alias="schema", description="Format version; currently 1.")
    people: list[Person] = Field(default_factory=list)
    delegations: list[Delegation] = Field(default_factory=list)

    @field_validator("people")
    @classmethod
    def _unique(cls, people: list[Person]) -> list[Person]:
        seen: set[str] = set()
        for person in people:
            for key in filter(None, (person.nip, person.alias)):
                if key in seen:
                    raise ValueError(f'"{key}" names two people: NIPs and aliases must be unique')
                seen.add(key)
        return people

    @model_validator(mode="after")
    def _known_stand_ins(self) -> OrgFile:
        for delegation in self.delegations:
            if _find(self.people, delegation.person) is None:
                raise ValueError(f'delegation to "{delegation.person}": no such person (NIP or alias)')
        return self


def _find(people: list[Person], key: str) -> Person | None:
    wanted = key.strip().lower()
    digits = "".join(wanted.split())
    for person in people:
        if digits == person.nip or (person.alias and wanted == person.alias):
            return person
    return None


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def lanes_named(name: str, flow: Procedure) -> list[LaneDef]:
    """The lanes of ``flow`` (not a third party's) whose name is ``name``, in any case and
    spacing; the whole name, never a part: "Kepala Seksi Survei" is not "Kepala"."""
    wanted = _normal(name)
    return [lane for lane in flow.lanes if _personal(lane) and _normal(lane.name) == wanted]


def _personal(lane: LaneDef) -> bool:
    """A lane a person of the office holds: not a third party's, not an application's."""
    return not lane.external and not lane.system


def stood_in_for(delegation: Delegation, flow: Procedure) -> list[LaneDef]:
    """The lanes of ``flow`` a delegation's ``for`` names: a lane id, else a lane's name."""
    by_id = [lane for lane in flow.lanes if _personal(lane) and lane.id == delegation.for_.strip()]
    return by_id or lanes_named(delegation.for_, flow)


def own_lanes(person: Person, flow: Procedure) -> list[LaneDef]:
    """The lanes of ``flow`` a person holds in their own right: their ``lanes`` when the file
    gives them (the whole truth), else the lanes named by their position."""
    if person.lanes is not None:
        return [lane for lane in flow.lanes if _personal(lane) and lane.id in person.lanes]
    return lanes_named(person.position, flow) if person.position.strip() else []


def position_ambiguity(person: Person, flow: Procedure) -> str | None:
    """Why a person's position cannot say which lane of ``flow`` they hold, if it cannot:
    several lanes share its name. Never with ``lanes``, which names them by id."""
    if person.lanes is not None:
        return None
    who = f"{person.name}, {parse_nip(person.nip).spaced}"
    return _ambiguity(person.position, who, own_lanes(person, flow), flow, "list theirs in `lanes:`")


def delegation_ambiguity(delegation: Delegation, person: Person, flow: Procedure) -> str | None:
    """Why a delegation's ``for`` cannot say which lane of ``flow`` it gives, if it cannot."""
    who = f"{delegation.kind} {person.name}, {parse_nip(person.nip).spaced}"
    return _ambiguity(
        delegation.for_, who, stood_in_for(delegation, flow), flow, "give the lane id in `for:`"
    )


def _ambiguity(text: str, who: str, lanes: list[LaneDef], flow: Procedure, fix: str) -> str | None:
    if len(lanes) < 2:
        return None
    return (
        f'"{text}" ({who}) is the name of several lanes of SOP "{flow.id}": '
        f"{', '.join(lane.id for lane in lanes)}; {fix}"
    )


class Organisation(People):
    """People from an organisation file; refuses anyone who holds no lane of the step."""

    def __init__(self, org: OrgFile, source: str) -> None:
        self.org = org
        self.source = source

    def person(self, by: str) -> Person:
        found = _find(self.org.people, by)
        if found is None:
            raise NotPermittedError(f'no one with NIP or alias "{by}" in {self.source}')
        return found

    def identify(self, by: str, on: dt.date) -> Actor:
        person = self.person(by)
        return Actor(by=by, name=person.name, nip=person.nip, verified=True)

    def actor(self, by: str, step: StepDef, flow: Procedure, lane: str | None, on: dt.date) -> Actor:
        candidates = [lane] if lane is not None else list(step.lanes)
        if all(flow.lane(x).system for x in candidates):
            # An application's step: recorded by any admin; the file lists people, not systems.
            return system_actor(by, flow, one_lane(step, flow, lane), verified=True)
        if _find(self.org.people, by) is None:
            return self.third_party(by, step, flow, candidates)
        person = self.person(by)
        allowed = self.lanes_of(person, flow, on)  # lane id -> delegation title or None
        usable = [x for x in candidates if x in allowed and x in step.lanes]
        if not usable and (why := self.unclear(person, flow, on, candidates)) is not None:
            raise UsageError(why)
        if not usable:
            names = ", ".join(flow.lane(x).name for x in candidates)
            if all(flow.lane(x).external for x in candidates):
                raise NotPermittedError(
                    f"{person.name} ({parse_nip(person.nip).spaced}) may not act as {names}: it is a "
                    "third party's lane; name the third party with --by, as it should appear on the "
                    f"laporan ({self.source})"
                )
            own = "not in their lanes" if person.lanes is not None else "not their position"
            raise NotPermittedError(
                f"{person.name} ({parse_nip(person.nip).spaced}) may not act as {names} on {on.isoformat()}: "
                f"{own} and no delegation covers that date ({self.source})"
            )
        if len(usable) > 1:
            names = ", ".join(flow.lane(x).name for x in usable)
            raise UsageError(
                f"{person.name} holds several lanes of step {step.name} ({names}): say which with --as LANE"
            )
        chosen = usable[0]
        return Actor(
            by=by, lane=chosen, name=person.name, nip=person.nip, delegation=allowed[chosen], verified=True
        )

    def third_party(self, by: str, step: StepDef, flow: Procedure, candidates: list[str]) -> Actor:
        """Someone not in the file, in a lane marked ``external``: a vendor or contractor.

        The file lists the office's people; a third party has no NIP and no entry, so it is
        recorded by the name given, which is what its signature block on the laporan says.
        """
        external = [x for x in candidates if flow.lane(x).external]
        digits = "".join(by.split()).removeprefix("NIP").removeprefix("nip").lstrip(".:")
        if not external or (digits.isascii() and digits.isdigit()):
            # A number is a NIP missing from the file (or mistyped), not a company's name.
            raise NotPermittedError(f'no one with NIP or alias "{by}" in {self.source}')
        spelled = " ".join(by.casefold().split())
        named = next((p for p in self.org.people if " ".join(p.name.casefold().split()) == spelled), None)
        if named is not None:
            # Someone of the office, by name: the record would say they did the vendor's work.
            names = ", ".join(flow.lane(x).name for x in external)
            raise NotPermittedError(
                f"{named.name} ({parse_nip(named.nip).spaced}) may not act as {names}: it is a "
                "third party's lane; name the third party with --by, as it should appear on the "
                f"laporan ({self.source})"
            )
        if len(external) > 1:
            names = ", ".join(flow.lane(x).name for x in external)
            raise UsageError(
                f"step {step.name} has several third parties' lanes ({names}): say which with --as LANE"
            )
        return Actor(by=by, lane=external[0], name=by, verified=True)

    def lanes_of(self, person: Person, flow: Procedure, on: dt.date) -> dict[str, str | None]:
        """The lanes of ``flow`` the person may act in on ``on``: own (None) or by delegation.

        Never a third party's lane (``external``): work the office hands to a vendor is not
        done by one of its people, and a civil servant's name there would sign the laporan
        as the vendor. Nor a lane named by a name several lanes share (see :meth:`unclear`)."""
        allowed: dict[str, str | None] = {}
        for lanes, title, ambiguity in self._grants(person, flow, on):
            for lane in lanes if ambiguity is None else ():
                allowed.setdefault(lane.id, title)
        return allowed

    def unclear(self, person: Person, flow: Procedure, on: dt.date, lanes: list[str]) -> str | None:
        """Why the file cannot say whether the person holds one of ``lanes``, if it cannot: their
        position, or a delegation to them, is a name several lanes of the SOP share. Guessing
        would let someone act in a lane that is not theirs; `validate` reports the same."""
        for named, _, ambiguity in self._grants(person, flow, on):
            if ambiguity is not None and any(lane.id in lanes for lane in named):
                return f"{self.source}: {ambiguity}"
        return None

    def _grants(
        self, person: Person, flow: Procedure, on: dt.date
    ) -> Iterator[tuple[list[LaneDef], str | None, str | None]]:
        """(lanes, delegation title or None, ambiguity or None) for the person's own lanes, then
        for each delegation to them that covers ``on``."""
        yield own_lanes(person, flow), None, _prefixed("the position", position_ambiguity(person, flow))
        for delegation in self.org.delegations:
            if _find([person], delegation.person) and delegation.covers(on):
                ambiguity = _prefixed("the delegation for", delegation_ambiguity(delegation, person, flow))
                yield stood_in_for(delegation, flow), delegation.title, ambiguity


def _prefixed(field: str, ambiguity: str | None) -> str | None:
    return None if ambiguity is None else f"{field} {ambiguity}"


def load_org(path: Path) -> Organisation:
    from sopctl.sop.messages import validate_file

    return Organisation(validate_file(path, OrgFile), str(path))


def org_problems(path: Path, flows: list[Procedure]) -> list[Problem]:
    """Everything wrong with an organisation file, including lanes no SOP of the catalogue has."""
    from sopctl.sop.messages import problem_at, read_model

    try:
        org, source_map = read_model(path, OrgFile)
    except ValidationFailed as exc:
        return exc.problems
    lanes = [lane for flow in flows for lane in flow.lanes]
    ids = sorted({lane.id for lane in lanes})
    # A lane id that is a third party's in every SOP that has it: no one in the file acts in it.
    external = {lane.id for lane in lanes if lane.external} - {lane.id for lane in lanes if not lane.external}
    found = []
    for i, person in enumerate(org.people):
        position = ("people", i, "position")
        for why in filter(None, (position_ambiguity(person, flow) for flow in flows)):
            found.append(problem_at(str(path), source_map, position, why))
        if (part := _part_of_position(person, flows)) is not None:
            found.append(problem_at(str(path), source_map, position, part))
        for j, lane_id in enumerate(person.lanes or ()):
            message = None
            if lane_id not in ids:
                message = f'no SOP in the catalogue has the lane "{lane_id}"{_close(lane_id, ids)}'
            elif lane_id in external:
                message = (
                    f'"{lane_id}" is a third party\'s lane (external: true): '
                    "the office's people do not act in it"
                )
            if message:
                found.append(problem_at(str(path), source_map, ("people", i, "lanes", j), message))
    for k, delegation in enumerate(org.delegations):
        stand_in = _find(org.people, delegation.person)
        assert stand_in is not None  # OrgFile checked that
        for why in filter(None, (delegation_ambiguity(delegation, stand_in, flow) for flow in flows)):
            found.append(problem_at(str(path), source_map, ("delegations", k, "for"), why))
        if lanes and not any(stood_in_for(delegation, flow) for flow in flows):
            found.append(
                problem_at(
                    str(path),
                    source_map,
                    ("delegations", k, "for"),
                    f'"{delegation.for_}" names no lane of any SOP in the catalogue '
                    "(give a lane id or a lane's name)",
                )
            )
    return found


def _part_of_position(person: Person, flows: list[Procedure]) -> str | None:
    """A position that holds no lane but starts with a lane's name ("Kepala Seksi Survei" and
    the lane "Kepala"): sopctl once took that for the lane, and the file may still mean it."""
    if person.lanes is not None or not person.position.strip():
        return None
    if any(lanes_named(person.position, flow) for flow in flows):
        return None
    text = _normal(person.position)
    lanes = {
        lane.id: lane
        for flow in flows
        for lane in flow.lanes
        if not lane.external and text.startswith(_normal(lane.name) + " ")
    }
    if not lanes:
        return None
    lane = max(lanes.values(), key=lambda x: len(x.name))
    return (
        f'"{person.position}" ({person.name}) is the name of no lane, and a position holds a lane '
        f'only by its whole name, not by starting with "{lane.name}": give the lanes held, e.g. '
        f"`lanes: [{lane.id}]`, or `lanes: []` for none"
    )


def _close(word: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""
