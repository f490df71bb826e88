"""Who may act, and what text may go into the record.

:class:`People` is the policy without an organisation file: the lane is taken
from ``--as`` (or the step's only lane) and the record is marked unverified.
``sopctl.org.Organisation`` replaces it when an organisation file exists.
"""

from __future__ import annotations

import datetime as dt
import re

from sopctl.errors import UsageError
from sopctl.run.events import Actor
from sopctl.sop.procedure import Procedure, StepDef


class People:
    """Decides who may act in which lane; the default trusts ``--as`` (unverified)."""

    def actor(self, by: str, step: StepDef, flow: Procedure, lane: str | None, on: dt.date) -> Actor:
        lane = one_lane(step, flow, lane)
        if flow.lane(lane).system:
            return system_actor(by, flow, lane, verified=False)
        return Actor(by=by, lane=lane, verified=False)

    def identify(self, by: str, on: dt.date) -> Actor:
        """Who opened, held, resumed or cancelled an instance (no lane involved)."""
        return Actor(by=by)


def one_lane(step: StepDef, flow: Procedure, lane: str | None) -> str:
    """The lane an actor acts in: ``--as``, or the step's only lane."""
    if lane is not None:
        return lane
    if len(step.lanes) > 1:
        names = ", ".join(flow.lane(lane_id).name for lane_id in step.lanes)
        raise UsageError(f"step {step.name} is done jointly by {names}: say in which lane with --as LANE")
    return step.lanes[0]


def system_actor(by: str, flow: Procedure, lane: str, *, verified: bool) -> Actor:
    """A step in an application's lane (a portal): whoever records it (an admin, ``by``) needs
    no organisation entry, and the record names the system as the one that acted, with no NIP."""
    return Actor(by=by, lane=lane, name=flow.lane(lane).name, verified=verified)


#: Tab and newline may appear in notes; other control characters (an ESC that would
#: drive the terminal of whoever reads the log, a NUL) may not.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: A name is one line: a tab or line break would split a signature block or a log row.
_CONTROL_IN_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: Embeddings, overrides and isolates reorder the text around them when it is shown, so
#: that a note could read differently in the log than it was typed.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
MAX_TEXT = 4000


def check_text(value: str | None, what: str, *, one_line: bool = False) -> None:
    """Refuse text that would be unsafe or unreadable in the record (``one_line``: a name)."""
    if value is None:
        return
    bad = (_CONTROL_IN_NAME if one_line else _CONTROL).search(value)
    if bad:
        raise UsageError(f"{what} contains the control character U+{ord(bad.group()):04X}; remove it")
    bad = _BIDI.search(value)
    if bad:
        raise UsageError(
            f"{what} contains U+{ord(bad.group()):04X}, which reorders the text around it when "
            "shown; remove it"
        )
    if len(value) > MAX_TEXT:
        raise UsageError(f"{what} is {len(value)} characters long; at most {MAX_TEXT} are kept")
