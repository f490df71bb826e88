"""Small SOPs for engine tests: parallel split and join, joint steps, time cells."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from sopctl.sop.loader import Catalog, load_catalog

LANES = [
    {"id": "staf", "name": "Staf", "short": "ST"},
    {"id": "kasubag", "name": "Kasubag", "short": "KS"},
    {"id": "kadis", "name": "Kepala Dinas", "short": "KD"},
]


def sop(sop_id: str, steps: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "schema": 1,
        "id": sop_id,
        "name": f"Test {sop_id}",
        "timezone": "Asia/Jakarta",
        "lanes": LANES,
        "steps": steps,
        **extra,
    }


def step(
    number: int, lanes: str | list[str], kind: str = "process", time: str = "30 menit", **extra: Any
) -> dict[str, Any]:
    return {
        "step": number,
        "kind": kind,
        "activity": f"Activity {number}",
        "lanes": [lanes] if isinstance(lanes, str) else lanes,
        "time": time,
        **extra,
    }


PARALLEL = sop(
    "paralel",
    [
        step(1, "staf", "start", next=[2, 3]),
        step(2, "kasubag", next=4),
        step(3, "kadis", next=4),
        step(4, "staf", join=True),
        step(5, ["kasubag", "kadis"], "end", time="1 jam"),  # a joint step: a meeting
    ],
)

TWO_STARTS = sop(
    "dua-awal",
    [
        step(1, "staf", "start", next=3),
        step(2, "kasubag", "start", next=3),
        step(3, "kadis", "end", join=True),
    ],
)

TIME_CELL = sop(
    "sel-waktu",
    [
        step(1, "staf", "start", time="1 jam", time_covers=2),
        step(2, "kasubag", time="-"),
        step(3, "kadis", "end"),
    ],
)

#: A time cell over steps 2-3 and a check that sends work back into either of its rows:
#: "Belum" to the covered row 3 alone, "Ulang" to the covering row 2.
CELL_LOOP = sop(
    "sel-ulang",
    [
        step(1, "staf", "start"),
        step(2, "kasubag", time_covers=2),
        step(3, "staf", time="-"),
        step(
            4,
            "kasubag",
            "decision",
            time="1 jam",
            branches=[{"label": "Baik", "to": 5}, {"label": "Belum", "to": 3}, {"label": "Ulang", "to": 2}],
        ),
        step(5, "kadis", "end", time="15 menit"),
    ],
)

NESTED_LOOP = sop(
    "loop-ganda",
    [
        step(1, "staf", "start"),
        step(
            2,
            "kasubag",
            "decision",
            branches=[{"label": "Lengkap", "to": 3}, {"label": "Belum lengkap", "to": 1}],
        ),
        step(3, "kadis", "decision", branches=[{"label": "Setuju", "to": 4}, {"label": "Tolak", "to": 2}]),
        step(4, "staf", "end"),
    ],
)

NO_LIMIT = sop("tanpa-waktu", [step(1, "staf", "start", time="-"), step(2, "staf", "end", time="-")])


def catalog_of(folder: Path, *sops: dict[str, Any]) -> Catalog:
    folder.mkdir(parents=True, exist_ok=True)
    for data in sops:
        (folder / f"{data['id']}.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    loaded = load_catalog([folder])
    assert not loaded.problems, loaded.problems
    return loaded


#: A correction after the join sends the work back into one branch only.
LOOP_INTO_BRANCH = sop(
    "loop-cabang",
    [
        step(1, "staf", "start", next=[2, 3]),
        step(2, "kasubag", next=4),
        step(3, "kadis", next=4),
        step(4, "staf", join=True),
        step(5, "kasubag", "decision", branches=[{"label": "Ya", "to": 6}, {"label": "Tidak", "to": 3}]),
        step(6, "kadis", "end"),
    ],
)


#: Abbreviated lane headers as offices write them; "Kasubid" makes every lane 7 columns wide.
SHORTS = ["Pegawai", "Staf", "Kasubid", "Kabid", "Kaban", "Bend"]


def lanes_sop(count: int) -> dict[str, Any]:
    """``count`` lanes (1..6) and every kind of flow: correction loops, a parallel split and
    its join, a joint step, two-digit step numbers, and words as long as the official ones."""
    lanes = [
        {"id": f"lajur-{i + 1}", "name": f"Pejabat Lajur Ke {i + 1}", "short": SHORTS[i]}
        for i in range(count)
    ]

    def at(i: int) -> str:
        return str(lanes[i % count]["id"])

    def act(
        number: int, lane: int | list[int], text: str, kind: str = "process", **extra: Any
    ) -> dict[str, Any]:
        where = sorted({at(i) for i in lane}) if isinstance(lane, list) else at(lane)
        return step(number, where, kind, activity=text, **extra)

    return sop(
        f"lajur-{count}",
        [
            act(1, 0, "Pegawai mengajukan permohonan cuti beserta berkas persyaratan", "start"),
            act(
                2,
                1,
                "Staf memeriksa kelengkapan berkas permohonan",
                "decision",
                branches=[{"label": "Lengkap", "to": 3}, {"label": "Tidak lengkap", "to": 1}],
            ),
            act(3, 2, "Staf membuat konsep surat izin", next=[4, 5]),
            act(4, 3, "Kasubid memeriksa dan memaraf konsep", next=6),
            act(5, 4, "Bendahara memastikan ketersediaan anggaran", next=6),
            act(
                6,
                [0, count - 1],
                "Klarifikasi bersama",
                "decision",
                join=True,
                branches=[{"label": "Setuju", "to": 7}, {"label": "Perbaiki", "to": 3}],
            ),
            act(7, 5, "Kepala Badan menandatangani surat izin cuti"),
            act(8, 1, "Staf mengagendakan, memberi nomor dan mengarsipkan surat"),
            act(9, 3, "Kabid mengetahui"),
            act(10, 0, "Pegawai menerima surat izin cuti", "end"),
        ],
        lanes=lanes,
    )


#: Format 2: two alternative starts in one row, an end, and no TOTAL WAKTU in the document.
NO_TOTAL_ROWS = {
    "schema": 2,
    "id": "tanpa-total",
    "name": "Test tanpa-total",
    "timezone": "Asia/Jakarta",
    "lanes": LANES,
    "rows": [
        {
            "row": 1,
            "activity": "Menerima berkas",
            "time": "10 menit",
            "symbols": [
                {"kind": "start", "lanes": ["staf"], "text": "Langsung", "next": 2},
                {"kind": "start", "lanes": ["kasubag"], "text": "Via Email", "next": 2},
            ],
        },
        {
            "row": 2,
            "activity": "Mengarsipkan berkas",
            "time": "5 menit",
            "symbols": [{"kind": "end", "lanes": ["staf"]}],
        },
    ],
    "total_time": "none",
}
