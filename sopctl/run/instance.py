"""The state of one instance, and how each event changes it.

:func:`apply` is the only place where flow semantics live, used both when a
command makes a new event and when the state is rebuilt from the log:

* completing a step activates its next step(s): several = a parallel split;
* a decision activates the target of the chosen branch, which may be an
  earlier step: it is opened again as a new pass (a correction loop);
* a join (``join: true``) opens when a flow has arrived from every step above
  it that leads into it, or from every one that a current step can still reach
  (the others will not come again, e.g. after a correction loop re-ran one
  branch); a flow from a step below it (a loop back) opens it directly;
* activating a step that is already current changes nothing;
* the instance is done when no step is current.

Due times and measured durations are not computed here: commands compute them
with the calendar and record them in the event, so replaying the log never
depends on today's calendar settings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sopctl.errors import LogError
from sopctl.run.events import (
    CANCELLED,
    DECIDED,
    DONE,
    HELD,
    REPAIRED,
    RESUMED,
    STARTED,
    TIMED_OUT,
    Event,
    parse_utc,
    utc_text,
)
from sopctl.sop.procedure import Branch, Procedure, StepDef

RUNNING, ON_HOLD, FINISHED, ABORTED = "running", "held", "done", "cancelled"


@dataclass(frozen=True)
class Activation:
    """What a command records for a step it makes current."""

    step: int
    pass_no: int
    due_at: dt.datetime | None
    #: The limit measured on the instance's clock: working and wall seconds.
    limit_seconds: int | None = None
    limit_wall_seconds: int | None = None
    #: When its timeout falls due, if it has one.
    timeout_at: dt.datetime | None = None
    #: When it becomes current, when that is later than the flow reaching it (``opens``).
    opens_at: dt.datetime | None = None
    #: Its limit is a strict bound ("kurang dari 1 bulan"): done at ``due_at`` is late.
    strict: bool = False

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "step": self.step,
            "pass": self.pass_no,
            "due_at": utc_text(self.due_at) if self.due_at else None,
            "limit_s": self.limit_seconds,
            "limit_wall_s": self.limit_wall_seconds,
            # Only when true: the records (and hashes) of every other step stay as they were.
            **({"strict": True} if self.strict else {}),
        }
        # Only when set: the events of every SOP without them keep their old form.
        if self.timeout_at is not None:
            data["timeout_at"] = utc_text(self.timeout_at)
        if self.opens_at is not None:
            data["opens_at"] = utc_text(self.opens_at)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Activation:
        due, timeout, opens = data.get("due_at"), data.get("timeout_at"), data.get("opens_at")
        return cls(
            int(data["step"]),
            int(data["pass"]),
            parse_utc(due) if due else None,
            data.get("limit_s"),
            data.get("limit_wall_s"),
            parse_utc(timeout) if timeout else None,
            parse_utc(opens) if opens else None,
            data.get("strict") is True,
        )


@dataclass(frozen=True)
class Current:
    """A step that is waiting to be done."""

    step: int
    pass_no: int
    activated_at: dt.datetime
    due_at: dt.datetime | None
    limit_seconds: int | None = None
    limit_wall_seconds: int | None = None
    held_seconds: int = 0
    held_wall_seconds: int = 0
    timeout_at: dt.datetime | None = None
    strict: bool = False

    @property
    def deadline(self) -> dt.datetime | None:
        """The first moment something is due: its limit, or its timeout."""
        if self.due_at is None or self.timeout_at is None:
            return self.due_at or self.timeout_at
        return min(self.due_at, self.timeout_at)


@dataclass(frozen=True)
class ServiceRun:
    """The service limit of a case (Standar Pelayanan): from when it started, due when; moved
    later by holds and by waits on the applicant (``paused_s`` working seconds, on the service's
    calendar); ended when, having taken ``working_s`` of it."""

    started_at: dt.datetime
    due_at: dt.datetime | None
    paused_s: int = 0
    ended_at: dt.datetime | None = None
    working_s: int | None = None
    limit_s: int | None = None

    @property
    def within(self) -> bool | None:
        if self.due_at is None or self.ended_at is None:
            return None
        return self.ended_at <= self.due_at


@dataclass(frozen=True)
class StepRun:
    """One completed pass of a step, with its timing against the standard."""

    seq: int
    step: int
    pass_no: int
    activated_at: dt.datetime
    completed_at: dt.datetime
    due_at: dt.datetime | None
    actor: dict[str, Any] | None
    note: str | None
    output: str | None
    branch: str | None
    target: int | None
    working_seconds: int
    wall_seconds: int
    held_seconds: int
    held_wall_seconds: int
    limit_seconds: int | None
    limit_wall_seconds: int | None
    #: Its flow went back to a symbol at or above it in the printed order: a correction loop.
    looped_back: bool = False
    #: Nobody completed it: its timeout passed and the flow went on by itself.
    timed_out: bool = False
    #: Held to a strict bound: done at its due time is late.
    strict: bool = False

    @property
    def within(self) -> bool | None:
        """Done by its due time (before it, for a strict bound); None when the step has no
        time limit."""
        if self.due_at is None:
            return None
        return self.completed_at < self.due_at if self.strict else self.completed_at <= self.due_at

    @property
    def timed(self) -> bool:
        """This pass got a deadline of its own (it entered its time cell)."""
        return self.limit_seconds is not None


@dataclass
class InstanceState:
    """What an instance is now, as replaying its events gives it."""

    id: str
    sop_id: str
    sop_hash: str
    title: str
    ref: str | None
    started_at: dt.datetime
    state: str = RUNNING
    ended_at: dt.datetime | None = None
    current: dict[int, Current] = field(default_factory=dict)
    arrivals: dict[int, set[int]] = field(default_factory=dict)
    passes: dict[int, int] = field(default_factory=dict)
    runs: list[StepRun] = field(default_factory=list)
    held_since: dt.datetime | None = None
    held_seconds: int = 0
    held_wall_seconds: int = 0
    seq: int = 0
    last_hash: str = ""
    last_at: dt.datetime | None = None
    unverified_events: int = 0
    service: ServiceRun | None = None

    def copy(self) -> InstanceState:
        """A copy whose containers can change without changing this state's."""
        # Not dataclasses.replace: that calls __init__ with every field, and a batch
        # script's step copies its state several times (a fifth of a step's Python time).
        new = object.__new__(InstanceState)
        new.__dict__.update(self.__dict__)
        new.current = dict(self.current)
        new.arrivals = {k: set(v) for k, v in self.arrivals.items()}
        new.passes = dict(self.passes)
        new.runs = list(self.runs)
        return new


#: Asked for each step an event makes current: (state, step, pass, at, source) -> record.
#: ``source`` is the step whose completion leads there; None for a start and for a join
#: opened because the flows it still waited for will not come.
Activator = Callable[[InstanceState, int, int, dt.datetime, int | None], Activation]


def recorded(event: Event) -> Activator:
    """Replay: take activations from what the event recorded."""
    table = {int(a["step"]): Activation.from_dict(a) for a in event.data.get("activated", ())}

    def activation(
        state: InstanceState, step: int, pass_no: int, at: dt.datetime, source: int | None
    ) -> Activation:
        if step not in table:
            raise LogError(f"{_named(event)} leads to step {step}, but its record does not open that step")
        return table[step]

    return activation


def apply(state: InstanceState | None, event: Event, flow: Procedure, activate: Activator) -> InstanceState:
    """The state after ``event``; ``state`` is not changed."""
    if event.type == STARTED:
        if state is not None:
            raise LogError(f"{_named(event)} starts the instance a second time")
        new = InstanceState(
            id=event.instance_id,
            sop_id=flow.id,
            sop_hash=event.data["sop_hash"],
            title=event.data["title"],
            ref=event.data.get("ref"),
            started_at=event.at,
        )
        # An SOP whose starts are alternatives records the one the case began at.
        for number in event.data.get("starts") or flow.starts:
            _open(new, flow, int(number), event.at, activate, None)
        return _finish(new, event)
    if state is None:
        raise LogError(f"{_named(event)} comes before the instance's start")
    new = state.copy()
    if event.type in (DONE, DECIDED, TIMED_OUT):
        step = flow.step(_completed_step(event, flow, new.current))
        current = new.current.pop(step.number)
        target = None
        if event.type == DECIDED:
            branch = _chosen_branch(event, step)
            target = branch.to
            targets: tuple[int, ...] = (branch.to,)
        elif event.type == TIMED_OUT:
            if step.timeout is None:
                raise LogError(f"{_named(event)} times out step {step.number}, which has no timeout")
            target = step.timeout.to
            targets = (target,)
        else:
            targets = step.next
        timing = event.data.get("timing", {})
        new.runs.append(
            StepRun(
                seq=event.seq,
                step=step.number,
                pass_no=current.pass_no,
                activated_at=current.activated_at,
                completed_at=event.at,
                due_at=current.due_at,
                actor=event.actor.as_dict() if event.actor else None,
                note=event.data.get("note"),
                output=event.data.get("output"),
                branch=event.data.get("branch"),
                target=target,
                working_seconds=int(timing.get("working_s", 0)),
                wall_seconds=int(timing.get("wall_s", 0)),
                held_seconds=current.held_seconds,
                held_wall_seconds=current.held_wall_seconds,
                limit_seconds=current.limit_seconds,
                limit_wall_seconds=current.limit_wall_seconds,
                looped_back=_loops(flow, step.number, target, targets),
                timed_out=event.type == TIMED_OUT,
                strict=current.strict,
            )
        )
        for number in targets:
            if event.type == TIMED_OUT and flow.step(number).kind == "end":
                continue  # an automatic close: the case ends there, and nobody has to act at it
            _arrive(new, flow, number, step.number, event.at, activate)
        _settle_joins(new, flow, event.at, activate)
        if not new.current:
            new.state, new.ended_at = FINISHED, event.at
            new.arrivals.clear()
    elif event.type == HELD:
        new.state, new.held_since = ON_HOLD, event.at
    elif event.type == RESUMED:
        held = int(event.data.get("held_s", 0))
        held_wall = int(event.data.get("held_wall_s", 0))
        dues = {int(k): parse_utc(v) for k, v in event.data.get("due", {}).items()}
        timeouts = {int(k): parse_utc(v) for k, v in event.data.get("timeouts", {}).items()}
        new.current = {
            n: replace(
                c,
                due_at=dues.get(n, c.due_at),
                timeout_at=timeouts.get(n, c.timeout_at),
                held_seconds=c.held_seconds + held,
                held_wall_seconds=c.held_wall_seconds + held_wall,
            )
            for n, c in new.current.items()
        }
        new.state, new.held_since = RUNNING, None
        new.held_seconds += held
        new.held_wall_seconds += held_wall
    elif event.type == REPAIRED:
        pass  # the tables were rebuilt from the log: the state is the log's, unchanged
    elif event.type == CANCELLED:
        new.state, new.ended_at, new.held_since = ABORTED, event.at, None
        new.current.clear()
        new.arrivals.clear()
    else:
        raise LogError(f"event {event.seq} has an unknown type {event.type!r}")
    service = event.data.get("service")
    if service is not None:
        new.service = service_after(new.service, service)
    return _finish(new, event)


def service_after(run: ServiceRun | None, data: dict[str, Any]) -> ServiceRun:
    """The service limit after an event's ``service`` record: it starts (``started_at``), moves
    (``due_at`` with ``paused_s``), or ends (``ended_at`` with ``working_s``)."""
    if "started_at" in data:
        due = data.get("due_at")
        run = ServiceRun(
            parse_utc(data["started_at"]), parse_utc(due) if due else None, limit_s=data.get("limit_s")
        )
    if run is None:
        raise LogError("an event moves or ends a service limit that never started")
    if "paused_s" in data:
        due = data.get("due_at")
        moved = parse_utc(due) if due else None
        run = replace(run, due_at=moved, paused_s=run.paused_s + int(data["paused_s"]))
    if "ended_at" in data:
        run = replace(run, ended_at=parse_utc(data["ended_at"]), working_s=int(data["working_s"]))
    return run


def _loops(flow: Procedure, source: int, branch_to: int | None, targets: tuple[int, ...]) -> bool:
    """Whether a completed pass went back up the printed table. Format 1 counted only a
    decision's branch (a `next` back up was never a correction there, and stored projections
    say so); by the rows' order, not by their numbers."""
    if flow.format >= 2:
        return any(flow.is_loop(source, t) for t in targets)
    return branch_to is not None and flow.is_loop(source, branch_to)


def _named(event: Event) -> str:
    return f"event {event.seq} ({event.type})"


def _completed_step(event: Event, flow: Procedure, current: dict[int, Current]) -> int:
    """The step a done or decided event completes, if the replay has it current. The engine
    checks this before it records an event; a stored log that fails it was changed."""
    if event.step is None:
        raise LogError(f"{_named(event)} names no step")
    if event.step not in flow.steps:
        raise LogError(f"{_named(event)} names step {event.step}, which {flow.id} does not have")
    if event.step not in current:
        raise LogError(
            f"{_named(event)} completes step {event.step}, which was not current then "
            f"({_which_were(sorted(current))})"
        )
    return event.step


def _which_were(numbers: list[int]) -> str:
    if not numbers:
        return "no step was"
    if len(numbers) == 1:
        return f"step {numbers[0]} was"
    return f"steps {', '.join(map(str, numbers[:-1]))} and {numbers[-1]} were"


def _chosen_branch(event: Event, step: StepDef) -> Branch:
    label = event.data.get("branch")
    branch = step.branch(label) if isinstance(label, str) else None
    if branch is None:
        if label is None:
            raise LogError(f"{_named(event)} records no branch of step {step.number}")
        raise LogError(f"{_named(event)} takes the branch {label!r}, which step {step.number} does not have")
    return branch


def _finish(new: InstanceState, event: Event) -> InstanceState:
    new.seq, new.last_hash, new.last_at = event.seq, event.hash, event.at
    if event.actor is not None and not event.actor.verified:
        new.unverified_events += 1
    return new


def _arrive(
    state: InstanceState, flow: Procedure, number: int, source: int, at: dt.datetime, activate: Activator
) -> None:
    step = flow.step(number)
    waits_for = flow.forward_incoming(number) if step.join else ()
    if source in waits_for:
        arrived = state.arrivals.setdefault(number, set())
        arrived.add(source)
        if not arrived.issuperset(waits_for):
            return
        del state.arrivals[number]
    _open(state, flow, number, at, activate, source)


def _settle_joins(state: InstanceState, flow: Procedure, at: dt.datetime, activate: Activator) -> None:
    """Open every waiting join that no current step can still reach through a missing branch.

    A join waits for the flows that can still come. When a correction loop re-runs one
    branch after the join already opened, or a branch ends elsewhere, the other branch
    will not arrive again; waiting for it would stop the instance for good.
    """
    for number in sorted(state.arrivals):
        missing = set(flow.forward_incoming(number)) - state.arrivals[number]
        if not any(_can_reach(flow, start, missing, avoid=number) for start in state.current):
            del state.arrivals[number]
            _open(state, flow, number, at, activate, None)


def _can_reach(flow: Procedure, start: int, goals: set[int], avoid: int) -> bool:
    seen, todo = {start}, [start]
    while todo:
        here = todo.pop()
        if here in goals:
            return True
        for target in flow.step(here).targets:
            if target != avoid and target not in seen:
                seen.add(target)
                todo.append(target)
    return False


def _open(
    state: InstanceState,
    flow: Procedure,
    number: int,
    at: dt.datetime,
    activate: Activator,
    source: int | None,
) -> None:
    if number in state.current:
        return
    pass_no = state.passes.get(number, 0) + 1
    state.passes[number] = pass_no
    record = activate(state, number, pass_no, at, source)
    state.current[number] = Current(
        number,
        pass_no,
        record.opens_at or at,
        record.due_at,
        record.limit_seconds,
        record.limit_wall_seconds,
        timeout_at=record.timeout_at,
        strict=record.strict,
    )


def replay(events: list[Event], flow: Procedure) -> InstanceState:
    """The state after all ``events``, from their records alone.

    A log that cannot be replayed (changed outside sopctl) is :class:`LogError`, naming the
    event that cannot be applied and why."""
    state: InstanceState | None = None
    for event in events:
        try:
            state = apply(state, event, flow, recorded(event))
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            # What the checks in apply do not foresee: a value of the wrong kind in the data.
            raise LogError(f"{_named(event)} holds data that sopctl cannot read") from exc
    if state is None:
        raise LogError("the log is empty")
    return state


def started_on(events: list[Event]) -> str:
    """The hash of the SOP version an instance runs on, as its first event records it."""
    first = events[0]
    if first.type != STARTED:
        raise LogError(f"it begins with {_named(first)}, not with the instance's start")
    sop_hash = first.data.get("sop_hash") if isinstance(first.data, dict) else None
    if not isinstance(sop_hash, str):
        raise LogError(f"{_named(first)} does not record the SOP version it started on")
    return sop_hash
