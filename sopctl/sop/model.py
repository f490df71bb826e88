"""The SOP AP document as pydantic models: the YAML format, field by field.

Each field's description gives the official Indonesian label (Permenpan RB
35/2012) beside its English meaning; ``sopctl schema`` prints them as a JSON
Schema. This module does no I/O: ``sopctl.sop.loader`` reads files and maps errors
back to YAML lines, ``sopctl.sop.checks`` adds the rules that span fields.
"""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator, ConfigDict, Discriminator, Field, Tag, WithJsonSchema, field_validator

from sopctl.nip import NipError, parse_nip
from sopctl.sop.procedure import initials
from sopctl.sop.types import (
    MAX_ROW,
    TEXT_OR_LIST,
    DocDate,
    OptionalText,
    RequiredText,
    StepRef,
    Strict,
    TextList,
    TotalWaktu,
    Waktu,
    WholeNumber,
    as_list,
    check_version,
    refs_not_bool,
)

#: The newest format version this sopctl reads (every older one still loads).
SCHEMA_VERSION = 2
SLUG = r"^[a-z0-9][a-z0-9-]*$"
#: Indonesia's zones in the IANA database, none with DST (zone1970.tab, country ID).
#: Any other zone would run an Indonesian office on another country's clock changes.
OFFICE_ZONES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
#: IANA's backward-compatible links to those zones: one name per zone in the catalogue.
_OLD_ZONE_NAMES = {"Asia/Ujung_Pandang": "Asia/Makassar"}
_USE_ZONES = "use Asia/Jakarta or Asia/Pontianak (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)"


class Organization(Strict):
    """The agency header at the top of the document."""

    government: str = Field("", description="Pemerintah — the government, e.g. Pemerintah Kota Tangerang.")
    agency: str = Field("", description="Instansi (dinas/badan/kantor) — the agency.")
    division: str = Field("", description="Bidang/Sekretariat — the division.")
    unit: str = Field("", description="Sub Bidang/Sub Bagian/Seksi — the unit.")


class Dates(Strict):
    made: DocDate = Field(None, description="Tanggal Pembuatan — when the SOP was finished.")
    revised: DocDate = Field(None, description="Tanggal Revisi — when it was last revised.")
    effective: DocDate = Field(None, description="Tanggal Efektif/Pengesahan — when it was signed.")


class Approver(Strict):
    """Disahkan oleh: who signed the SOP."""

    position: str = Field("", description="Jabatan — the approver's position.")
    name: str = Field("", description="Nama — the approver's name with titles.")
    nip: str | None = Field(None, description="NIP — 18 digits, spaced or not: `19621001 198701 1 015`.")
    signature: Literal["wet", "electronic"] = Field(
        "wet",
        description="How the document was signed: `wet` (a signature space on the printout) or "
        "`electronic` (Tanda Tangan Elektronik, TTE: a certificate, e.g. from BSrE/BSSN, instead).",
    )
    verification: OptionalText = Field(
        "",
        description="For a TTE: the verification text or code the document prints beside its QR "
        "code, printed in place of the wet-signature space.",
    )

    @field_validator("nip")
    @classmethod
    def _valid_nip(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        try:
            parse_nip(value)
        except NipError as exc:
            raise ValueError(str(exc)) from None
        return value


class RelatedSop(Strict):
    sop: str = Field(description="The `id` of a related SOP in the catalogue.", pattern=SLUG)


# A mapping is a reference to a catalogue SOP, anything else free text; choosing
# by shape keeps pydantic from reporting both alternatives' errors. pydantic puts
# the tag in an error's location, so a tag must never read as a key of the data
# (a tag "sop" made `related[0].x` show as `related[0].sop.x`).
_Related = Annotated[
    Annotated[RelatedSop, Tag("<catalogue sop>")] | Annotated[str, Tag("<free text>")],
    Discriminator(lambda v: "<catalogue sop>" if isinstance(v, (dict, RelatedSop)) else "<free text>"),
]


class Lane(Strict):
    """Pelaksana: one swimlane column, in the document's left-to-right order."""

    id: str = Field(description="A short, stable name used by steps, e.g. `kasubag-umpeg`.", pattern=SLUG)
    name: RequiredText = Field(description="Nama pelaksana — the column heading, e.g. Kasubag Umpeg.")
    short: str | None = Field(
        None,
        description="Abbreviation for narrow headers, e.g. KSU; default: the initials.",
        max_length=8,
    )
    external: bool = Field(
        False, description="An outside party (pihak ketiga), not an official of the agency."
    )
    system: bool = Field(
        False,
        description="An application, not a person (Aplikasi Pelayanan, Portal Pintar): its steps are "
        "recorded by any admin, with no organisation entry, NIP or signature line.",
    )

    @property
    def abbreviation(self) -> str:
        return self.short or initials(self.name)


class Branch(Strict):
    """One labelled exit of a decision (diamond)."""

    label: RequiredText = Field(
        description="The label on the arrow: Ya, Tidak, Lengkap, Tidak lengkap, or a category."
    )
    to: StepRef = Field(description="Where this branch goes; may be an earlier step (a correction loop).")


class Step(Strict):
    """One row of the flowchart table (Bagian Flowchart)."""

    step: WholeNumber = Field(
        description="No — the step number printed in the first column.", ge=1, le=MAX_ROW
    )
    id: str | None = Field(None, description="Optional stable name for the step.", pattern=SLUG)
    kind: Literal["start", "process", "decision", "end"] = Field(
        "process",
        description="Symbol: start/end = terminator (capsule), process = rectangle, decision = diamond.",
    )
    activity: RequiredText = Field(description="Kegiatan/Aktivitas/Uraian Prosedur — what is done.")
    lanes: Annotated[list[str], BeforeValidator(as_list), WithJsonSchema(TEXT_OR_LIST)] = Field(
        description="Pelaksana — the lane(s) that act; several for a joint step (e.g. a meeting).",
        min_length=1,
    )
    requirements: TextList = Field(
        default_factory=list, description="Mutu Baku: Kelengkapan/Persyaratan — what the step needs."
    )
    time: Waktu = Field(None, description="Mutu Baku: Waktu — the time limit, as written; '-' for none.")
    time_covers: WholeNumber = Field(
        1,
        ge=1,
        le=MAX_ROW,
        description="How many rows, from this one down, the Waktu cell spans (a cell covering two steps).",
    )
    output: OptionalText = Field("", description="Mutu Baku: Output — what the step produces.")
    remarks: OptionalText = Field("", description="Keterangan (Ket.) — remarks.")
    next: Annotated[StepRef | list[StepRef] | None, BeforeValidator(refs_not_bool)] = Field(
        None,
        description="The step(s) that follow; default the next row. Several = a parallel split.",
    )
    join: bool = Field(False, description="Wait until every incoming flow from earlier steps has arrived.")
    branches: list[Branch] = Field(
        default_factory=list,
        description="For a decision: the labelled exits. The first is the main path.",
    )

    @property
    def next_refs(self) -> list[int | str]:
        if self.next is None:
            return []
        return list(self.next) if isinstance(self.next, list) else [self.next]


class SopBase(Strict):
    """What every format version of an SOP AP document (Permenpan RB 35/2012) holds: the
    identity section, the office's timezone and clock."""

    model_config = ConfigDict(
        title="sopctl SOP AP document",
        json_schema_extra={"$comment": "Format of one sopctl SOP file; see the sopctl README."},
    )

    format_version: int = Field(alias="schema", description="Format version of this file.")
    id: str = Field(
        description="Stable identifier, lower case with dashes, e.g. `pemeliharaan-simpeg`.", pattern=SLUG
    )
    code: str | None = Field(
        None,
        pattern=r"^[A-Z][A-Z0-9]{1,7}$",
        description="Prefix of instance ids (`PDK` gives PDK-2026-0007); default: the id's initials.",
    )
    name: RequiredText = Field(description="Nama SOP — the procedure's name.")
    number: OptionalText = Field("", description="Nomor SOP — the document number.")
    language: Literal["id", "en"] = Field("id", description="Bahasa — the document's language.")
    timezone: str = Field(
        "Asia/Jakarta",
        description="Zona waktu of the office: Asia/Jakarta or Asia/Pontianak (WIB), Asia/Makassar "
        "(WITA), Asia/Jayapura (WIT).",
        json_schema_extra={"enum": list(OFFICE_ZONES)},
    )
    clock: Literal["working", "elapsed"] = Field(
        "working", description="How limits run: office working time (default) or wall-clock time."
    )
    organization: Organization = Field(default_factory=Organization)
    dates: Dates = Field(default_factory=Dates)
    approved_by: Approver = Field(default_factory=Approver, description="Disahkan oleh — the approver.")
    legal_basis: TextList = Field(default_factory=list, description="Dasar Hukum — the legal basis.")
    qualifications: TextList = Field(
        default_factory=list, description="Kualifikasi Pelaksana — what the actors must know or have."
    )
    related: Annotated[list[_Related], BeforeValidator(as_list)] = Field(
        default_factory=list,
        description="Keterkaitan — related SOPs: `{sop: id}` for one in the catalogue, else free text.",
    )
    equipment: TextList = Field(default_factory=list, description="Peralatan/Perlengkapan — equipment.")
    warnings: TextList = Field(
        default_factory=list, description="Peringatan — what goes wrong if the SOP is not followed."
    )
    records: TextList = Field(
        default_factory=list, description="Pencatatan dan Pendataan — the records kept."
    )

    @field_validator("timezone")
    @classmethod
    def _office_zone(cls, value: str) -> str:
        if value in OFFICE_ZONES:
            return value
        if value in _OLD_ZONE_NAMES:
            new = _OLD_ZONE_NAMES[value]
            raise ValueError(f'"{value}" is the old name of {new}: write {new} ({OFFICE_ZONES[new]})')
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f'unknown timezone "{value}": {_USE_ZONES}') from None
        raise ValueError(f'"{value}" is not an Indonesian timezone: {_USE_ZONES}')

    @property
    def instance_code(self) -> str:
        return self.code or initials(self.id.replace("-", " ")).upper()


class Sop(SopBase):
    """An SOP in format version 1: one numbered row is one step, one symbol, fixed lanes."""

    model_config = ConfigDict(title="sopctl SOP AP document, format version 1")

    format_version: Annotated[Literal[1], BeforeValidator(check_version)] = Field(
        alias="schema", description="Format version of this file: 1."
    )
    lanes: list[Lane] = Field(description="Pelaksana — the swimlanes, left to right.", min_length=1)
    steps: list[Step] = Field(description="The flowchart rows, top to bottom.", min_length=1)
    total_time: TotalWaktu = Field(
        None,
        description="TOTAL WAKTU as stated in the document, in one unit or several "
        '("5 hari 2 jam 30 menit"); checked against the sum along the main path.',
    )


#: Format version 1 by its name in the code; ``Sop`` stays for the public API.
SopV1 = Sop
