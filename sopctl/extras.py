"""How to install an optional extra, said in a way that works from where the user is.

sopctl is not on a package index, so ``pip install 'sopctl[pdf]'`` fails. What works is
the folder or wheel sopctl was installed from (recorded by pip in ``direct_url.json``,
PEP 610), or the extra's own packages by name, read from the installed metadata so the
hint never drifts from ``pyproject.toml``. Only called when an extra is missing, so the
metadata is read then and never on a command's ordinary path.
"""

from __future__ import annotations

import json
import re
from importlib import metadata
from urllib.parse import unquote, urlparse

_EXTRA_MARKER = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")


def install_hint(extra: str) -> str:
    """The command to install *extra*, e.g. ``pip install '/home/ana/sopctl[pdf]'``."""
    # A stray sopctl.egg-info in the current folder may come first on sys.path: prefer the
    # distribution pip recorded a source for.
    found = sorted(metadata.distributions(name="sopctl"), key=lambda d: not d.read_text("direct_url.json"))
    if not found:  # run from a source tree that was never installed
        return f"pip install '.[{extra}]' in the sopctl folder"
    dist = found[0]
    packages = _extra_packages(dist, extra)
    source = _installed_from(dist)
    by_name = "pip install " + " ".join(f"'{p}'" for p in packages) if packages else ""
    if source:
        hint = f"pip install '{source}[{extra}]'"
        return f"{hint} (or: {by_name})" if by_name else hint
    return by_name or f"pip install '<the sopctl folder or wheel>[{extra}]'"


def _extra_packages(dist: metadata.Distribution, extra: str) -> list[str]:
    found = []
    for requirement in dist.requires or []:
        name, _, marker = requirement.partition(";")
        match = _EXTRA_MARKER.search(marker)
        if match and match.group(1) == extra:
            found.append(name.strip().replace(" ", ""))
    return found


def _installed_from(dist: metadata.Distribution) -> str | None:
    """The local folder or wheel pip installed sopctl from, if it recorded one."""
    text = dist.read_text("direct_url.json")
    if not text:
        return None
    try:
        url = json.loads(text)["url"]
    except (ValueError, KeyError, TypeError):
        return None
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return url if isinstance(url, str) else None
    return unquote(parsed.path)
