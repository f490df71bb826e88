"""How a write waits for another user's change: bounded, and told to the person after a
second (the CLI prints what :attr:`LockWait.notify` is given to say)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sopctl.errors import BusyError

#: How long a write waits for another user's change to the store before it gives up, by
#: default (``SOPCTL_LOCK_TIMEOUT`` at the command line).
LOCK_TIMEOUT_S = 30.0
#: After this long, the person is told that the command is waiting (``LockWait.notify``).
NOTICE_AFTER_S = 1.0


@dataclass(frozen=True)
class LockWait:
    """How a write waits for a lock another user holds: ``timeout`` seconds at most, calling
    ``notify`` once when it has waited ``NOTICE_AFTER_S`` (the CLI says so on stderr)."""

    timeout: float = LOCK_TIMEOUT_S
    notify: Callable[[], None] | None = None

    def gave_up(self, url: str) -> BusyError:
        return BusyError(
            f"{url} is busy: another user's change held it for {self.timeout:g} s, and this "
            "command gave up; nothing was written: try again (SOPCTL_LOCK_TIMEOUT sets the wait)"
        )
