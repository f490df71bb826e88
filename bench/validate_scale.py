"""Validation at scale: validate a folder of 1,000 generated SOP files.

The files are copies of the two reference SOPs in ``sops/``, each with its own ``id``
and ``code`` (so the catalogue-wide checks, unique ids and instance prefixes, run
too), and a varied number of steps: every third copy of the personnel-data SOP gets
extra process steps before its end. Timed, medians over --repeat runs:

* API: ``load_catalog`` on the folder (read, parse, validate, check each file and
  the catalogue);
* CLI: ``sopctl validate DIR`` end to end in a new process;
* reference: libyaml's safe loader on the same files (parsing alone, no validation).

    python bench/validate_scale.py --files 1000 --repeat 5
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median

import yaml
from common import SOPS, Row, ms, print_table, timed

from sopctl.sop.loader import load_catalog

EXTRA_STEP = """  - step: {number}
    activity: Memeriksa ulang kelengkapan berkas kepegawaian tahap {number}
    lanes: [kasubag-umpeg]
    requirements: [Data dan informasi kepegawaian]
    time: 15 Menit
    output: Data dan informasi kepegawaian

"""


def make_files(folder: Path, count: int) -> None:
    sources = sorted(SOPS.glob("*.yaml"))
    texts = [path.read_text(encoding="utf-8") for path in sources]
    for index in range(count):
        text = texts[index % len(texts)]
        original = re.search(r"^id: (\S+)", text, re.MULTILINE)
        assert original is not None
        sop_id = f"{original.group(1)}-{index:04d}"
        text = re.sub(r"^id: \S+", f"id: {sop_id}", text, count=1, flags=re.MULTILINE)
        text = re.sub(r"^code: .*$", f"code: G{index:04d}", text, count=1, flags=re.MULTILINE)
        if "pengelolaan-data-kepegawaian" in sop_id and index % 3 == 0:
            # Three more steps before the end step (10): steps 7..9 become 7..9 plus 91..93.
            extra = "".join(EXTRA_STEP.format(number=n) for n in (91, 92, 93))
            text = text.replace("  - step: 10\n", extra + "  - step: 10\n", 1)
            text = text.replace("total_time: 210 Menit", "total_time: 255 Menit")
        (folder / f"{sop_id}.yaml").write_text(text, encoding="utf-8")


def parse_only(folder: Path) -> int:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    count = 0
    for path in sorted(folder.glob("*.yaml")):
        with path.open(encoding="utf-8") as stream:
            yaml.load(stream, Loader=loader)
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="sopctl-validate-") as tmp:
        folder = Path(tmp)
        make_files(folder, args.files)
        catalog = load_catalog([folder])
        if catalog.problems or len(catalog.sops) != args.files:
            raise SystemExit(f"generated files do not validate: {catalog.problems[:3]}")
        cli = [sys.executable, "-m", "sopctl", "validate", str(folder)]
        subprocess.run(cli, check=True, capture_output=True, env=env)  # warm-up, writes bytecode
        times: dict[str, list[float]] = {"parse": [], "api": [], "cli": []}
        for _ in range(args.repeat):
            times["parse"].append(timed(lambda: parse_only(folder)))
            times["api"].append(timed(lambda: load_catalog([folder])))
            times["cli"].append(timed(lambda: subprocess.run(cli, check=True, capture_output=True, env=env)))
    parse, api, cli_s = (median(times[k]) for k in ("parse", "api", "cli"))
    rows = [
        Row("API load_catalog", ms(api), ms(parse) + " YAML parse", f"{api / parse:.1f}x", "< 3 s", api < 3),
        Row(
            "CLI sopctl validate",
            ms(cli_s),
            ms(parse) + " YAML parse",
            f"{cli_s / parse:.1f}x",
            "< 3 s",
            cli_s < 3,
        ),
    ]
    print_table(f"Validation: {args.files} SOP files, median of {args.repeat}", rows)


if __name__ == "__main__":
    main()
