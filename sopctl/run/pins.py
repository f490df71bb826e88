"""Whether a pinned SOP copy is still what the instance was started on.

The store checks a copy's text against its SHA-256 whenever it reads it. Its parsed
definition, which the engine runs, is checked here: against the digest the instance's start
event records (instances started since sopctl recorded one), else against the meaning its
own text gives (the flow: steps, lanes, limits, branches), which an older sopctl's
definitions share with today's even where their JSON has fewer keys.
"""

from __future__ import annotations

from typing import Any

from sopctl.sop.procedure import Procedure
from sopctl.store.copies import PinnedSop


def definition_agrees(pinned: PinnedSop, recorded: str | None) -> bool:
    """Whether ``pinned.definition`` is what was pinned: its digest is ``recorded``, or (no
    digest recorded) it runs as the flow its text gives."""
    if recorded is not None:
        return pinned.definition_hash == recorded
    from sopctl.sop.loader import definition_of

    rebuilt = definition_of(pinned.source, pinned.file or pinned.sop_id)
    if rebuilt is None:
        return False
    try:
        stored = Procedure.from_definition(pinned.definition)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError):
        return False
    return meaning(stored) == meaning(Procedure.from_definition(rebuilt))


def meaning(flow: Procedure) -> tuple[Any, ...]:
    """What an instance's run depends on: its clock, lanes and every symbol's flow and limit."""
    steps = tuple(
        (
            n,
            s.kind,
            s.name,
            s.lanes,
            None if s.limit is None else s.limit.text,
            s.covered_by,
            s.cell,
            s.next,
            s.join,
            tuple((b.label, b.to) for b in s.branches),
            s.waits_for,
            None if s.timeout is None else (s.timeout.after.text, s.timeout.to),
            s.opens,
            s.calendar,
        )
        for n, s in flow.steps.items()
    )
    lanes = tuple((x.id, x.name, x.external, x.system) for x in flow.lanes)
    service: tuple[Any, ...] | None = None
    if flow.service is not None:
        limit = flow.service.limit
        service = (
            limit.text if limit else None,
            flow.service.start,
            flow.service.until,
            flow.service.calendar,
        )
    return (flow.id, flow.timezone, flow.clock, flow.starts_mode, flow.calendar, service, lanes, steps)
