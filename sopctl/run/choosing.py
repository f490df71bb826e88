"""Which step a command means: the one it names (by name, id or row No), or the only one that
fits; a named step someone else finished is a conflict; without a name, a change entered
after the command began is one too; and a retry that finds its own write is no command at
all (:meth:`StepChoice._already`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sopctl.errors import ConflictError, InvalidStateError, NotFoundError, UsageError
from sopctl.run.events import (
    DECIDED,
    Event,
)
from sopctl.run.instance import (
    ABORTED,
    FINISHED,
    RUNNING,
)
from sopctl.run.naming import named_symbol, names
from sopctl.run.reader import (
    InstanceView,
    Loaded,
    Reader,
    _local,
)
from sopctl.sop.procedure import Procedure, StepDef

if TYPE_CHECKING:
    pass


class StepChoice(Reader):
    def _already(
        self,
        loaded: Loaded,
        step: int | str | None,
        by: str,
        kind: str,
        payload: dict[str, Any],
        at: dt.datetime | None,
    ) -> InstanceView | None:
        """The instance as it is, when this named step was already completed by the same person
        with the same outcome: a command retried after a failure that hid whether its write
        landed (a server lost at commit) recognises its own write instead of a conflict."""
        state, flow = loaded.state, loaded.flow
        if step is None:
            return None
        try:
            number = named_symbol(flow, step, state.current)
        except (UsageError, NotFoundError):
            return None
        if number in state.current:
            return None
        runs = [r for r in state.runs if r.step == number]
        if not runs:
            return None
        last = runs[-1]
        event = next((e for e in reversed(loaded.events) if e.seq == last.seq), None)
        if event is None or event.type != kind or (event.actor is None or event.actor.by != by.strip()):
            return None
        recorded = event.data
        if kind == DECIDED:
            chosen = flow.step(number).branch(str(payload["branch"]))
            if chosen is None or recorded.get("branch") != chosen.label:
                return None
        for key in ("note", "output"):
            if recorded.get(key) != payload.get(key):
                return None
        if at is not None and self._moment(at, flow, self.clock(), allow_future=True) != event.at:
            return None
        return replace(self.status(state.id), now=event.at, already=True)

    def _current_step(
        self, loaded: Loaded, step: int | str | None, *, decision: bool, seen_at: dt.datetime | None = None
    ) -> StepDef:
        state, flow = loaded.state, loaded.flow
        if step is not None and state.state in (FINISHED, ABORTED):
            number = named_symbol(flow, step, state.current)
            runs = [r for r in state.runs if r.step == number]
            if runs:  # someone else completed it, and with it the instance
                raise ConflictError(
                    f"instance {state.id} changed: step {flow.label(number)} is no longer current "
                    f"({_how_ended(runs[-1], flow)}; the instance is {state.state})"
                )
        self._require(loaded, RUNNING, "act on")
        if step is None and seen_at is not None and loaded.events[-1].entered_at > seen_at:
            newest = loaded.events[-1]
            who = (newest.actor.name or newest.actor.by) if newest.actor else "someone"
            raise ConflictError(
                f"instance {state.id} changed after this command began ({who} recorded "
                f"{_what(newest, flow)} at {_local(newest.entered_at, flow)}; current: "
                f"{names(flow, state.current)}): look at `sopctl status {state.id}` and name the step "
                "with --step"
            )
        if step is not None:
            number = named_symbol(flow, step, state.current)
            name = flow.label(number)
            if number not in state.current:
                done = [r for r in state.runs if r.step == number]
                if done:
                    # Whoever named this step saw it current: someone else got there first.
                    raise ConflictError(
                        f"instance {state.id} changed: step {name} is no longer current "
                        f"({_how_ended(done[-1], flow)}; current: {names(flow, state.current)})"
                    )
                raise InvalidStateError(
                    f"step {name} is not current in {state.id} (current: {names(flow, state.current)})"
                )
            chosen = flow.step(number)
        else:
            fitting = [n for n in state.current if (flow.step(n).kind == "decision") == decision]
            if len(state.current) == 1:
                chosen = flow.step(next(iter(state.current)))
            elif len(fitting) == 1:
                chosen = flow.step(fitting[0])
            else:
                raise UsageError(
                    f"steps {names(flow, state.current)} are current in {state.id}: "
                    "say which with --step NAME"
                )
        if decision and chosen.kind != "decision":
            raise UsageError(
                f"step {chosen.name} is not a decision: complete it with `sopctl done {state.id}`"
            )
        if not decision and chosen.kind == "decision":
            labels = " or ".join(b.label for b in chosen.branches)
            raise UsageError(
                f"step {chosen.name} is a decision: record its outcome with "
                f"`sopctl decide {state.id} BRANCH` ({labels})"
            )
        return chosen


def _how_ended(run: Any, flow: Procedure) -> str:
    """ "done by Budi at …", or, when nobody did it, "it timed out at … and went on by itself"."""
    when = _local(run.completed_at, flow)
    if run.timed_out:
        return f"step {flow.label(run.step)} timed out at {when} and the flow went on by itself"
    return f"done by {_who_did(run)} at {when}"


def _who_did(run: Any) -> str:
    return str((run.actor or {}).get("name") or (run.actor or {}).get("by") or "someone")


def _what(event: Event, flow: Procedure) -> str:
    if event.step is not None and event.step in flow.steps:
        return f"step {flow.label(event.step)}"
    return f"a {event.type} event"
