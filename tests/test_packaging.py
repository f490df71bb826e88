"""pyproject.toml lists the packages by hand (so the reference SOPs ship as sopctl.reference):
a new package folder that is not listed would be missing from every install."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_folder_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    # Folders of modules, with or without an __init__.py (sopctl/render is a namespace package).
    found = {".".join(module.parent.relative_to(ROOT).parts) for module in (ROOT / "sopctl").rglob("*.py")}
    assert found | {"sopctl.reference"} == set(config["packages"])
    assert config["package-dir"]["sopctl.reference"] == "sops"
    assert (ROOT / "sops" / "pengelolaan-data-kepegawaian.yaml").is_file()
