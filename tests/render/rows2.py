"""A small format-2 SOP with every shape of row the renderers must draw, independent of
the reference files in ``sops/``.

Its symbols are numbered 1..11 inside the flow, while people see their names: row 2 holds
symbols 3 and 4 ("2a", "2b"), row 3 symbol 5 ("3"). A renderer that prints a number where a
name belongs shows a wrong step here.
"""

from __future__ import annotations

from typing import Any

LANES = [
    {"id": "staf", "name": "Staf Umum", "short": "Staf"},
    {"id": "kasubag", "name": "Kasubag Umum", "short": "Kasubag"},
    {"id": "portal", "name": "Portal Pintar", "short": "Portal", "system": True},
    {"id": "kadis", "name": "Kepala Dinas", "short": "Kadis"},
]

VERIFICATION = "Keaslian dokumen dapat dicek di https://tte.example.go.id kode UJI-123"


def _row(no: int, activity: str, time: str, *symbols: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "row": no,
        "activity": activity,
        "requirements": [f"Berkas {no}"],
        "time": time,
        "output": f"Hasil {no}",
        "symbols": list(symbols),
        **extra,
    }


ROWS2: dict[str, Any] = {
    "schema": 2,
    "id": "baris-dua",
    "code": "BD",
    "name": "Uji Baris Dua",
    "timezone": "Asia/Jakarta",
    "organization": {"agency": "Dinas Uji"},
    "dates": {"made": "2025-06-02", "effective": "2025-06-03"},
    "approved_by": {
        "position": "Kepala Dinas Uji",
        "name": "Dr. Uji Coba",
        "nip": "196210011987011015",
        "signature": "electronic",
        "verification": VERIFICATION,
    },
    "labels": {"requirements": "Sumber Data", "effective": "Tanggal Pengesahan", "remarks": "Keterangan"},
    "lanes": LANES,
    "rows": [
        # A start terminator and a process in one row, in one lane.
        _row(
            1,
            "Menerima berkas permohonan",
            "10 menit",
            {"kind": "start", "lanes": "staf", "text": "Langsung", "next": "1b"},
            {"lanes": "staf", "next": "2a"},
        ),
        # A process and its decision in one lane; "Tidak" goes back up into row 1.
        _row(
            2,
            "Memeriksa kelengkapan berkas",
            "20 menit",
            {"lanes": "kasubag", "next": "2b"},
            {
                "kind": "decision",
                "lanes": "kasubag",
                "text": "Lengkap?",
                "branches": [{"label": "Ya", "to": 3}, {"label": "Tidak", "to": "1b"}],
            },
        ),
        # An application's lane.
        _row(3, "Mencatat berkas di Portal Pintar", "5 menit", {"lanes": "portal", "next": "4a"}),
        # A hand-over inside the row, and the document's page ends after it.
        _row(
            4,
            "Memberikan disposisi",
            "15 menit",
            {"lanes": "kadis", "next": "4b"},
            {
                "kind": "decision",
                "lanes": "kasubag",
                "text": "Jenis?",
                "branches": [{"label": "Biasa", "to": "5a"}, {"label": "Penting", "to": "5b"}],
            },
            page_break=True,
        ),
        # The same activity in lane A or lane B, by the path taken.
        _row(
            5,
            "Menindaklanjuti disposisi",
            "1 hari",
            {"lanes": "staf", "next": "6a"},
            {"lanes": "kadis", "next": "6b"},
        ),
        # Several ends.
        _row(
            6,
            "Mengarsipkan berkas",
            "5 menit",
            {"kind": "end", "lanes": "staf"},
            {"kind": "end", "lanes": "kadis"},
        ),
    ],
    "total_time": "none",
}

ORG = """\
schema: 1
people:
  - {nip: "19900101 201503 2 001", name: Rina Marlina, alias: rina, position: Staf Umum}
  - {nip: "19850312 201001 1 004", name: Budi Santoso, alias: budi, position: Kasubag Umum}
  - {nip: "19791120 200501 2 003", name: Sari Dewi, alias: sari, position: Kepala Dinas}
"""

#: How a case is walked through ``ROWS2`` by :func:`walk`: each entry is (who, branch or
#: None for done). Row 2's check sends the file back once (Tidak → 1b), row 3 is done by the
#: portal's operator, row 4 goes the "Biasa" way (5a, Staf Umum), where the case then is.
WALK = [
    ("rina", None),  # 1a
    ("rina", None),  # 1b
    ("budi", None),  # 2a
    ("budi", "Tidak"),  # 2b: back to 1b
    ("rina", None),  # 1b, pass 2
    ("budi", None),  # 2a, pass 2
    ("budi", "Ya"),  # 2b, pass 2
    ("operator loket", None),  # 3, in Portal Pintar
    ("sari", None),  # 4a
    ("budi", "Biasa"),  # 4b: to 5a
]


def walk(engine: Any, clock: Any, steps: int = len(WALK)) -> Any:
    """A case of ``baris-dua`` moved ``steps`` entries of :data:`WALK`, 5 minutes apart;
    its view."""
    iid = engine.start("baris-dua", "Permohonan a.n. Siti").state.id
    for who, branch in WALK[:steps]:
        clock.advance(minutes=5)
        if branch is None:
            engine.done(iid, by=who)
        else:
            engine.decide(iid, branch, by=who)
    return engine.status(iid)
