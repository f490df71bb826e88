"""The organisation file: who works here, in which lanes they may act, who stands in for whom.

Example (``org.yaml`` beside the catalogue folder, or ``--org``)::

    schema: 1
    people:
      - nip: "19730104 199703 2 001"
        name: Hj. Indri Astuti, SH, M.Si
        alias: kadis
        position: Kepala Dinas          # jabatan; matched against lane names
        unit: Dinas Komunikasi dan Informatika
      - nip: "19850312 201001 1 004"
        name: Budi Santoso
        alias: budi
        position: Kasubag Umum dan Kepegawaian
        lanes: [kasubag-umpeg]          # lane ids, when the position is not the lane's name
    delegations:
      - {kind: Plt., person: budi, for: kepala-dinas, from: 2026-03-01, to: 2026-03-31,
         decree: "SPT No. 800/45/2026"}

A person may act in a lane when the lane's id is in their ``lanes``, or when their
``position`` is the lane's name (or starts with it: "Kepala Badan Kepegawaian dan
Pengembangan SDM" holds the lane "Kepala Badan"), or when a delegation gives them
that lane (by id, or a position matched the same way) on that date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from sopctl.actors import People
from sopctl.errors import NotPermittedError, Problem, UsageError, ValidationFailed
from sopctl.events import Actor
from sopctl.fields import IsoDate
from sopctl.nip import NipError, parse_nip
from sopctl.procedure import LaneDef, Procedure, StepDef


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
    lanes: list[str] = Field(default_factory=list, description="Lane ids this person may act in.")


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


def holds(title: str, lane: LaneDef) -> bool:
    """A position or lane id that names ``lane``: its id, its name, or a longer title starting with it."""
    text = " ".join(title.lower().split())
    name = " ".join(lane.name.lower().split())
    return text in (lane.id, name) or text.startswith(name + " ")


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
        if _find(self.org.people, by) is None:
            return self.third_party(by, step, flow, candidates)
        person = self.person(by)
        allowed = self.lanes_of(person, flow, on)  # lane id -> delegation title or None
        usable = [x for x in candidates if x in allowed and x in step.lanes]
        if not usable:
            names = ", ".join(flow.lane(x).name for x in candidates)
            if all(flow.lane(x).external for x in candidates):
                raise NotPermittedError(
                    f"{person.name} ({parse_nip(person.nip).spaced}) may not act as {names}: it is a "
                    "third party's lane; name the third party with --by, as it should appear on the "
                    f"laporan ({self.source})"
                )
            raise NotPermittedError(
                f"{person.name} ({parse_nip(person.nip).spaced}) may not act as {names} on {on.isoformat()}: "
                f"not their position and no delegation covers that date ({self.source})"
            )
        if len(usable) > 1:
            names = ", ".join(flow.lane(x).name for x in usable)
            raise UsageError(
                f"{person.name} holds several lanes of step {step.number} ({names}): say which with --as LANE"
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
                f"step {step.number} has several third parties' lanes ({names}): say which with --as LANE"
            )
        return Actor(by=by, lane=external[0], name=by, verified=True)

    def lanes_of(self, person: Person, flow: Procedure, on: dt.date) -> dict[str, str | None]:
        """The lanes of ``flow`` the person may act in on ``on``: own (None) or by delegation.

        Never a third party's lane (``external``): work the office hands to a vendor is not
        done by one of its people, and a civil servant's name there would sign the laporan
        as the vendor."""
        allowed: dict[str, str | None] = {}
        lanes = [lane for lane in flow.lanes if not lane.external]
        for lane in lanes:
            if lane.id in person.lanes or (person.position and holds(person.position, lane)):
                allowed[lane.id] = None
        for delegation in self.org.delegations:
            if _find([person], delegation.person) and delegation.covers(on):
                for lane in lanes:
                    if lane.id not in allowed and holds(delegation.for_, lane):
                        allowed[lane.id] = delegation.title
        return allowed


def load_org(path: Path) -> Organisation:
    from sopctl.loader import validate_file

    return Organisation(validate_file(path, OrgFile), str(path))


def org_problems(path: Path, flows: list[Procedure]) -> list[Problem]:
    """Everything wrong with an organisation file, including lanes no SOP of the catalogue has."""
    from sopctl.loader import problem_at, read_model

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
        for j, lane_id in enumerate(person.lanes):
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
        if lanes and not any(holds(delegation.for_, lane) for lane in lanes):
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


def _close(word: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""
