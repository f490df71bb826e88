"""Small SOPs for engine tests: parallel split and join, joint steps, time cells."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from sopctl.loader import Catalog, load_catalog

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
