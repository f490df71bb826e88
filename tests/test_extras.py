"""The install hint for a missing extra names something pip can actually install."""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from sopctl.extras import install_hint


def _recorded_source() -> str | None:
    for dist in metadata.distributions(name="sopctl"):
        if text := dist.read_text("direct_url.json"):
            url = json.loads(text)["url"]
            return unquote(urlparse(url).path) if url.startswith("file:") else url
    return None


@pytest.mark.parametrize(("extra", "package"), [("pdf", "weasyprint"), ("postgres", "psycopg[binary]")])
def test_the_hint_names_the_source_folder_and_the_packages(extra: str, package: str) -> None:
    hint = install_hint(extra)
    assert f"'sopctl[{extra}]'" not in hint  # sopctl is on no package index: that would fail
    assert f"'{package}>=" in hint  # the extra's own requirement, read from the metadata
    source = _recorded_source()
    if source is None:
        pytest.skip("sopctl was installed without a recorded source")
    assert hint.startswith(f"pip install '{source}[{extra}]'")
    assert Path(source).exists()


def test_the_named_requirement_is_a_valid_one_that_the_test_install_satisfies() -> None:
    from packaging.requirements import Requirement  # pytest's own dependency

    hint = install_hint("pdf")
    requirement = Requirement(hint.rsplit("pip install ", 1)[1].strip("()' "))
    assert requirement.name == "weasyprint"
    # The test extra installs WeasyPrint: the requirement named must be one it meets.
    assert requirement.specifier.contains(metadata.version("weasyprint"))
