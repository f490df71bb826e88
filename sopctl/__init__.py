"""sopctl: run Indonesian government SOPs (SOP AP) as executable procedures.

The public API (see the README, "Python API"): load a catalogue of SOPs, open
a store, and drive instances with an :class:`Engine`::

    from sopctl import Engine, load_catalog, open_store
    engine = Engine(open_store("sopctl.db"), load_catalog(["sops"]), clock)

Names are imported on first use so that ``import sopctl`` stays cheap.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = [
    "Engine",
    "Sop",
    "SopV2",
    "SopctlError",
    "errors",
    "load_catalog",
    "open_store",
]

_LAZY = {
    "Engine": ("sopctl.run.engine", "Engine"),
    "Sop": ("sopctl.sop.model", "Sop"),
    "SopV2": ("sopctl.sop.model2", "SopV2"),
    "SopctlError": ("sopctl.errors", "SopctlError"),
    "load_catalog": ("sopctl.sop.loader", "load_catalog"),
    "open_store": ("sopctl.store", "open_store"),
}


def __getattr__(name: str) -> Any:
    if name == "errors":
        import sopctl.errors

        return sopctl.errors
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'sopctl' has no attribute {name!r}")
