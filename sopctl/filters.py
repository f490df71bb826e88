"""``--sop`` and ``--lane`` checked against the SOPs that exist, so that a typo is refused
instead of matching nothing (a nightly ``check`` printing "0 overdue" would never be noticed).

An SOP exists when the catalogue has it or the store has instances of it (its file may have
been removed since); a lane, when one of those SOPs has it, in any version. The store is asked
first, so the usual filter is found there without loading the catalogue.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from sopctl.errors import NotFoundError, UsageError
from sopctl.run.engine import Engine
from sopctl.sop.procedure import Procedure

if TYPE_CHECKING:
    from sopctl.sop.loader import LoadedSop

#: How many lane ids a message lists when no close one is found.
LISTED_LANES = 3


def check_filters(engine: Engine, *, sop: str | None = None, lane: str | None = None) -> None:
    """Raise :class:`NotFoundError` for an SOP id or lane id that no SOP has."""
    if sop is not None:
        _check_sop(engine, sop)
    if lane is not None:
        _check_lane(engine, lane, sop)


def _check_sop(engine: Engine, sop: str) -> None:
    known = {sop_id for sop_id, _ in engine.store.pinned_versions()}
    if sop in known:
        return
    known |= {loaded.sop.id for loaded in _catalogue(engine)}
    if sop in known:
        return
    close = difflib.get_close_matches(sop, sorted(known), n=1, cutoff=0.5)
    hint = f' (did you mean "{close[0]}"?)' if close else ""
    listed = f"; known: {', '.join(sorted(known))}" if known and not close else ""
    raise NotFoundError(f'no SOP "{sop}" in the catalogue or the store{hint}{listed}')


def _check_lane(engine: Engine, lane: str, sop: str | None) -> None:
    flows = [engine.flow_for_hash(h) for sop_id, h in engine.store.pinned_versions() if sop in (None, sop_id)]
    if any(lane == known.id for flow in flows for known in flow.lanes):
        return
    flows += [loaded.procedure for loaded in _catalogue(engine) if sop in (None, loaded.sop.id)]
    ids = list(dict.fromkeys(known.id for flow in flows for known in flow.lanes))
    if lane in ids:
        return
    where = f'SOP "{sop}"' if sop is not None else "any SOP"
    raise NotFoundError(f'no lane "{lane}" in {where} ({_lane_hint(lane, ids, flows, sop)})')


def _lane_hint(lane: str, ids: list[str], flows: list[Procedure], sop: str | None) -> str:
    wanted = " ".join(lane.split()).casefold()
    named = list(
        dict.fromkeys(
            known.id
            for flow in flows
            for known in flow.lanes
            if wanted in (known.name.casefold(), known.short.casefold())
        )
    )
    if named:  # a lane's name or abbreviation, where its id is wanted
        return "--lane takes a lane id: did you mean " + " or ".join(f'"{i}"' for i in named) + "?"
    close = difflib.get_close_matches(lane, ids, n=1, cutoff=0.5)
    if close:
        return f'did you mean "{close[0]}"?'
    if not ids:
        return "there are no SOPs in the catalogue or the store"
    if sop is not None:
        return f"its lanes: {', '.join(ids)}"
    more = ", …" if len(ids) > LISTED_LANES else ""
    return f"lanes are ids like {', '.join(sorted(ids)[:LISTED_LANES])}{more}"


def _catalogue(engine: Engine) -> list[LoadedSop]:
    """The catalogue's SOPs; none without a catalogue folder (the store is then all there is)."""
    try:
        catalog = engine.catalog()
    except UsageError:
        return []
    return list(catalog) if catalog is not None else []
