"""The files sopctl is given: what a path is, reading one safely, walking a folder within bounds.

One rule for every file sopctl reads (SOP files, the organisation file, the site config, an
SOP a pinned instance came from): only a regular file, of at most :data:`MAX_BYTES`, opened
without blocking. A named pipe would otherwise wait forever for a writer, and a device such
as ``/dev/zero`` would be read until memory runs out. A path the system cannot even look up
(a name over 255 bytes, a folder without permission) is a :class:`FileError` in one line,
never an ``OSError`` that ends the command as a bug.

A catalogue folder is walked within bounds as well (:func:`walk`): ``--sops /`` stops early
with a clear error instead of reading the whole disk.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sopctl.errors import UsageError

#: The largest file sopctl reads (SOP, organisation, site config): 2 MB.
MAX_BYTES = 2 * 1024 * 1024
#: A catalogue folder is searched through at most this many entries (files and folders) ...
MAX_ENTRIES = 10_000
#: ... and at most this many folders deep below it.
MAX_DEPTH = 10

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


class FileError(UsageError):
    """A path that cannot be read as a file; the message says why, without the path, and
    ``reason`` is the system's word for it where it gave one ("File name too long")."""

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason or message


def kind(path: Path | str) -> str | None:
    """What ``path`` is ("file", "folder", "named pipe (FIFO)", "socket", "device"), following
    symlinks; None when nothing is there. A path the system refuses to look up is a
    :class:`FileError`."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        raise FileError(_cannot(exc), _reason(exc)) from None
    return _kind(mode)


def _kind(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device"


def not_a_file(what: str) -> str:
    """Why a path of kind ``what`` cannot be read: "is a folder, not a file"."""
    return f"is a {what}, not a file"


def _reason(exc: BaseException) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def _cannot(exc: BaseException) -> str:
    return f"cannot be opened: {_reason(exc)}"


def read_bytes(path: Path | str, *, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them, else a
    :class:`FileError`. Opened without blocking, and checked to be a regular file on the
    open descriptor, so a FIFO put in its place meanwhile is refused, not waited on."""
    try:
        fd = os.open(path, _FLAGS)
    except (FileNotFoundError, NotADirectoryError):
        raise FileError("no such file") from None
    except OSError as exc:
        found = _quiet_kind(path)  # a socket cannot be opened at all: say what it is
        raise FileError(not_a_file(found) if found not in (None, "file") else _cannot(exc)) from None
    except ValueError as exc:
        raise FileError(_cannot(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileError(not_a_file(_kind(info.st_mode)))
        if info.st_size > limit:
            raise FileError(_too_large(info.st_size, limit))
        chunks = []
        left = limit + 1  # the file may grow while it is read: never more than the limit
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise FileError(_too_large(len(data), limit))
        return data
    except OSError as exc:
        raise FileError(f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _quiet_kind(path: Path | str) -> str | None:
    try:
        return kind(path)
    except FileError:
        return None


def _too_large(size: int, limit: int) -> str:
    return f"the file is {size / 1_048_576:.1f} MB; sopctl reads files of at most {limit // 1_048_576} MB"


# -- walking a catalogue folder ------------------------------------------------------------


@dataclass
class Walk:
    """What a folder walk found: the files, in order, and the folders it could not read."""

    files: list[Path] = field(default_factory=list)
    #: Folders below the top that could not be read, with why (they are skipped).
    unreadable: list[tuple[Path, str]] = field(default_factory=list)


def walk(top: Path, suffixes: Sequence[str]) -> Walk:
    """The files under ``top`` whose names end in one of ``suffixes``, sorted; hidden files and
    folders (a name starting with ".") are left out, symlinked folders are not followed (no
    loops, no walk out of the catalogue), and a file or folder that vanishes meanwhile is not
    an error. More than :data:`MAX_ENTRIES` entries, or folders more than :data:`MAX_DEPTH`
    deep, is a :class:`FileError`: that is not a catalogue folder (``--sops /``)."""
    found = Walk()
    seen = 0
    pending: list[tuple[Path, int]] = [(top, 0)]
    while pending:
        folder, depth = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except (FileNotFoundError, NotADirectoryError):
            continue  # removed meanwhile
        except OSError as exc:
            if folder == top:
                raise FileError(f"cannot be read: {exc.strerror or exc}") from None
            found.unreadable.append((folder, exc.strerror or str(exc)))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            seen += 1
            if seen > MAX_ENTRIES:
                raise FileError(
                    f"holds more than {MAX_ENTRIES:,} files and folders; a catalogue folder holds "
                    "SOP files: is it the right folder?"
                )
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
                is_file = not is_folder and entry.name.endswith(tuple(suffixes)) and entry.is_file()
            except OSError:  # vanished, or a symlink that leads nowhere readable
                continue
            if is_folder:
                if depth + 1 > MAX_DEPTH:
                    raise FileError(
                        f"has folders nested more than {MAX_DEPTH} deep ({Path(entry.path)}); "
                        "a catalogue folder holds SOP files: is it the right folder?"
                    )
                pending.append((Path(entry.path), depth + 1))
            elif is_file:
                found.files.append(Path(entry.path))
    found.files.sort()
    return found
