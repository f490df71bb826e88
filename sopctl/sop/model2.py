"""Format version 2: the flowchart table as real SOP AP documents draw it.

A numbered row (No, Kegiatan, Kelengkapan, Waktu, Output, Ket.) holds one or more
**symbols**, each in its lane(s), each with its own flows. A symbol is named by its
row's No when it is the row's only symbol (``5``), else by the No and its place in the
row (``5a``, ``5b``, ...); an ``id`` is a second name that never changes when a row gets
another symbol. See the README, "The SOP format".
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, WithJsonSchema

from sopctl.sop.model import SLUG, Branch, Lane, Sop, SopBase
from sopctl.sop.types import (
    MAX_ROW,
    TEXT_OR_LIST,
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

SymbolRef = Annotated[
    StepRef,
    Field(description="A symbol: its name (`5`, `5b`), its `id`, or a row's No when the row has one symbol."),
]


CALENDAR_NAME = r"^[a-z0-9][a-z0-9_-]*$"

CalendarName = Annotated[
    str | None,
    Field(
        description="A calendar of the site config's `calendars:` (e.g. `layanan`), or `office` "
        "(the office hours) or `always` (round the clock, e.g. an online self-service step).",
        pattern=CALENDAR_NAME,
    ),
]


class Timeout(Strict):
    """A flow the symbol takes by itself when it has been current for ``after``."""

    # A default, as every Waktu has (pydantic versions print a required one's schema differently);
    # the checks refuse a timeout without a time, at its line.
    after: Waktu = Field(None, description='How long it waits, e.g. "3 hari", "14 hari kalender".')
    to: SymbolRef = Field(
        description="Where the flow then goes. An end symbol closes the case there (nobody has to act)."
    )


class Opens(Strict):
    """When a symbol reached early becomes current: at the end of a period (the one it is reached
    in, or the one the case started in); reached after that end, it is current at once."""

    after: Literal["month", "quarter", "half", "year"] = Field(
        description="The period whose end it waits for: month, quarter, half (a semester) or year."
    )
    day: WholeNumber | None = Field(
        None,
        ge=1,
        le=28,
        description='The day of the following month it opens on (1-28), e.g. 5 for "by the 5th"; '
        "default: the first day, at the office's opening.",
    )
    of: Literal["reached", "start"] = Field(
        "reached",
        description="Whose period: the one the flow reaches the symbol in (default), or the one the "
        'case started in ("after the fourth quarter ends" of a case begun in the fourth quarter).',
    )


class Symbol(Strict):
    """One symbol in a row: a terminator, a process box or a decision diamond, in its lane(s)."""

    id: str | None = Field(
        None,
        description="A name of its own, kept when the row changes, e.g. `tujuan-disposisi`.",
        pattern=SLUG,
    )
    kind: Literal["start", "process", "decision", "end"] = Field(
        "process",
        description="start/end = terminator (capsule), process = rectangle, decision = diamond.",
    )
    lanes: Annotated[list[str], BeforeValidator(as_list), WithJsonSchema(TEXT_OR_LIST)] = Field(
        description="Pelaksana — the lane the symbol is drawn in; several for a joint step done once "
        "by any of them (a meeting).",
        min_length=1,
    )
    text: OptionalText = Field(
        "", description='The text inside the symbol: "Setuju?", "R/T", "Via Email"; empty for none.'
    )
    next: Annotated[SymbolRef | list[SymbolRef] | None, BeforeValidator(refs_not_bool)] = Field(
        None,
        description="The symbol(s) that follow; several = a parallel split. Default: the next row's "
        "symbol, when this is its row's last symbol and the next row has one.",
    )
    join: bool = Field(False, description="Wait until every incoming flow from earlier symbols has arrived.")
    branches: list[Branch] = Field(
        default_factory=list, description="For a decision: the labelled exits. The first is the main path."
    )
    waits_for: OptionalText = Field(
        "",
        description="Who the office waits on here (Pemohon, the vendor): while the symbol is current "
        "the office's clock stops by itself, and no official is late for it.",
    )
    timeout: Timeout | None = Field(
        None, description="A flow taken by itself when the symbol has been current this long."
    )
    opens: Opens | None = Field(
        None, description="Reached before a period ends, the symbol waits for the period's end."
    )
    calendar: CalendarName = None

    @property
    def next_refs(self) -> list[int | str]:
        if self.next is None:
            return []
        return list(self.next) if isinstance(self.next, list) else [self.next]


class Row(Strict):
    """One numbered row of the flowchart table, as printed."""

    # Not "no": a YAML 1.1 reader (PyYAML, many editors' plugins) takes the key `no` for false.
    row: WholeNumber = Field(description="No — the row's number, exactly as printed.", ge=1, le=MAX_ROW)
    activity: RequiredText = Field(description="Kegiatan/Aktivitas/Uraian Prosedur — what is done.")
    requirements: TextList = Field(
        default_factory=list, description="Mutu Baku: Kelengkapan/Persyaratan — what the row needs."
    )
    time: Waktu = Field(
        None,
        description="Mutu Baku: Waktu — as written; '-' for none. One deadline for the row: symbols in "
        "sequence in it (a hand-over) share it.",
    )
    time_covers: WholeNumber = Field(
        1,
        ge=1,
        le=MAX_ROW,
        description="How many rows, from this one down, the Waktu cell spans (a merged cell).",
    )
    output: OptionalText = Field("", description="Mutu Baku: Output — what the row produces.")
    remarks: OptionalText = Field("", description="Keterangan (Ket.) — remarks.")
    page_break: bool = Field(
        False,
        description="The document's page ends after this row: its flows continue through off-page "
        "connectors, as drawn.",
    )
    symbols: list[Symbol] = Field(description="The row's symbols, in the document's order.", min_length=1)


class Labels(Strict):
    """The official labels a document words its own way; unset ones print as the standard form."""

    requirements: str | None = Field(None, description='For "Kelengkapan", e.g. "Persyaratan/Perlengkapan".')
    time: str | None = Field(None, description='For "Waktu".')
    output: str | None = Field(None, description='For "Output".')
    remarks: str | None = Field(None, description='For "Keterangan", e.g. "Ket".')
    activity: str | None = Field(None, description='For "Kegiatan", e.g. "Uraian Prosedur".')
    made: str | None = Field(None, description='For "Tanggal Pembuatan".')
    revised: str | None = Field(None, description='For "Tanggal Revisi".')
    effective: str | None = Field(None, description='For "Tanggal Efektif", e.g. "Tanggal Pengesahan".')
    qualifications: str | None = Field(
        None, description='For "Kualifikasi Pelaksana", e.g. "Kualifikasi Pelaksanaan".'
    )
    equipment: str | None = Field(None, description='For "Peralatan/Perlengkapan".')
    records: str | None = Field(None, description='For "Pencatatan dan Pendataan".')


class Service(Strict):
    """Standar Pelayanan: the service as the public is promised it, with a limit for the case."""

    requirements: TextList = Field(
        default_factory=list, description="Persyaratan — what the applicant brings."
    )
    fee: OptionalText = Field("", description='Biaya/Tarif, e.g. "Tidak dipungut biaya".')
    product: OptionalText = Field("", description="Produk Layanan — what the applicant receives.")
    time: Waktu = Field(
        None,
        description='Waktu Penyelesaian, e.g. "3 hari kerja": the limit for the case as a whole; '
        'unset or "-": none.',
    )
    from_: SymbolRef | None = Field(
        None,
        alias="from",
        description="The symbol whose becoming current starts the service clock (e.g. the one after "
        '"persyaratan dinyatakan lengkap"); default: the case\'s start.',
    )
    until: SymbolRef | None = Field(
        None, description="The symbol whose completion stops it; default: the case's end."
    )
    calendar: CalendarName = None


class SopV2(SopBase):
    """An SOP in format version 2: numbered rows holding one or more symbols each."""

    model_config = ConfigDict(title="sopctl SOP AP document, format version 2")

    format_version: Annotated[Literal[2], BeforeValidator(check_version)] = Field(
        alias="schema", description="Format version of this file: 2."
    )
    labels: Labels = Field(default_factory=Labels, description="The document's own wording of the labels.")
    starts: Literal["alternatives", "together"] = Field(
        "alternatives",
        description="With several start symbols: `alternatives` (each case begins at one, chosen with "
        "`sopctl start --from`) or `together` (all open at once).",
    )
    lanes: list[Lane] = Field(description="Pelaksana — the swimlanes, left to right.", min_length=1)
    rows: list[Row] = Field(
        description="The flowchart rows, top to bottom, numbered as printed.", min_length=1
    )
    total_time: TotalWaktu = Field(
        None,
        description="TOTAL WAKTU as stated in the document, checked against the sum along the main "
        "path; `none` when the document states none (none is printed); unset: the sum is printed.",
    )
    calendar: CalendarName = None
    service: Service | None = Field(
        None, description="Standar Pelayanan: the service block and its limit for the whole case."
    )


#: The model of each format version.
MODELS: dict[int, type[Sop] | type[SopV2]] = {1: Sop, 2: SopV2}

AnySop = Sop | SopV2


def json_schema() -> dict[str, Any]:
    """The JSON Schema of SOP files (what ``sopctl schema`` prints): version 2, or version 1."""
    from pydantic.json_schema import models_json_schema

    _, defs = models_json_schema([(m, "validation") for m in (SopV2, Sop)], by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "sopctl SOP AP document",
        "$comment": "Format of one sopctl SOP file, version 2 or 1; see the sopctl README.",
        "oneOf": [{"$ref": f"#/$defs/{name}"} for name in ("SopV2", "Sop")],
        **defs,
    }
