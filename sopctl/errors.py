"""The error types sopctl raises, and the exit code each one maps to.

Library code raises these; only ``sopctl.cli`` turns them into ``Error: …`` on
stderr and a process exit code (see ``sopctl.cli.main``).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, documented in the README ("Exit codes")."""

    OK = 0
    #: The command ran and found something wrong: an invalid SOP file, an
    #: overdue step, a tampered log, an instance that differs between two stores.
    FINDINGS = 1
    #: Bad input: wrong arguments, an unknown id, a step that is not current...
    USAGE = 2
    #: Someone else changed the instance between reading and writing it.
    CONFLICT = 3
    #: The person may not act in any lane of the step (organisation file).
    NOT_PERMITTED = 4
    #: The store cannot be used: none there, not a sopctl database, newer schema, unreachable.
    STORE = 5
    #: A bug in sopctl; the traceback is in the log file.
    INTERNAL = 70


class SopctlError(Exception):
    """Root of every error sopctl reports to the user as one line."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(SopctlError):
    """The input is wrong in a way the user can fix by changing it."""


class NotFoundError(UsageError):
    """An SOP, instance, step, branch or file named by the user does not exist."""


class InvalidStateError(UsageError):
    """The instance is not in a state where this action is possible."""


class ConflictError(SopctlError):
    """The instance changed under us (another admin acted first)."""

    exit_code = ExitCode.CONFLICT


class BusyError(ConflictError):
    """Another user's change held the store longer than this command would wait (exit 3)."""


class NotPermittedError(SopctlError):
    """The person does not hold any lane of the step on that date."""

    exit_code = ExitCode.NOT_PERMITTED


class StoreError(SopctlError):
    """The database cannot be opened or is not one sopctl can use."""

    exit_code = ExitCode.STORE


class LogError(StoreError):
    """An instance's stored log cannot be read or replayed: it was changed outside sopctl.

    The message says which event and why, for a person (``sopctl verify`` reports it as a
    finding; any other command stops on it)."""


class NoStoreError(StoreError):
    """Nothing was ever recorded at the location a command that only reads was given.

    Read as empty, a mistyped ``--db`` would pass every check silently (``check``: 0 overdue)."""

    def __init__(self, location: str, why: str = "nothing has been started there") -> None:
        self.location = location
        super().__init__(f"no store at {location} ({why})")


class ValidationFailed(SopctlError):
    """One or more SOP, config or org files are invalid; ``problems`` lists every one.

    Bad input to the command that read them (exit 2); only ``validate``, whose job is to
    find them, exits 1 for them."""

    exit_code = ExitCode.USAGE

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        n = len(problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} found")


class Problem:
    """One thing wrong in one file, at a line and column (1-based, 0 if unknown)."""

    __slots__ = ("column", "file", "line", "message")

    def __init__(self, file: str, line: int, column: int, message: str) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.message = message

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}: {self.message}"
        return f"{self.file}: {self.message}"

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "column": self.column, "message": self.message}
