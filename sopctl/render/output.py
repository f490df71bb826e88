"""Writing documents to disk: safe file names, no overwriting, nothing half-written.

A name derived from an instance's title is user text: it is reduced to
letters, digits, dots, dashes and underscores, so no title can steer the file
out of the chosen folder (``../``, ``/``, control characters). Files are written
to a temporary file in the same folder and then moved into place, so a reader
never sees half a document, and an existing file is replaced only with
``force``.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from sopctl.errors import UsageError

EXTENSIONS = {"html": "html", "pdf": "pdf", "md": "md", "json": "json"}
MAX_NAME = 80


def safe_name(text: str, fallback: str = "dokumen") -> str:
    """A file-name part from any text: "Mutasi a.n. Siti/../x" -> "Mutasi-a-n-Siti-x".

    Only ASCII letters, digits, "_" and "-" survive: no dot (so no "..", no
    hidden file, no second extension), no separator, no control character.
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r"[^A-Za-z0-9_-]+", "-", plain)
    plain = re.sub(r"-{2,}", "-", plain).strip("-_")
    return plain[:MAX_NAME].rstrip("-_") or fallback


def document_name(stem: str, title: str | None, fmt: str) -> str:
    parts = [safe_name(stem)]
    if title:
        parts.append(safe_name(title))
    return "-".join(parts) + "." + EXTENSIONS[fmt]


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, checked to stay inside ``folder``."""
    target = (folder / name).resolve()
    if target.parent != folder.resolve():
        raise UsageError(f"the file name {name!r} would leave the folder {folder}")
    return target


def ensure_folder(folder: Path) -> None:
    """Create ``folder`` if it is missing, like ``mkdir`` without ``-p``: its parent must
    exist, so a mistyped parent (``/mnt/arsp/2026``) is an error, not a new tree."""
    if folder.is_dir():
        return
    if folder.exists():
        raise UsageError(f"{folder} exists and is not a folder")
    if not folder.parent.is_dir():
        raise UsageError(
            f"the folder {folder.parent} does not exist (sopctl creates only the last folder of {folder})"
        )
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the folder {folder}: {exc.strerror}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_file(path: Path, data: bytes, *, force: bool) -> None:
    """Write ``data`` to ``path`` atomically; refuse to replace a file without ``force``."""
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(f"the folder {folder} does not exist")
    if path.is_dir():
        raise UsageError(f"{path} is a folder: name the file to write")
    if path.exists() and not force:
        raise UsageError(f"{path} already exists: use --force to replace it")
    try:
        _write(path, data, force=force)
    except OSError as exc:  # a read-only or full disk, no permission: nothing was written
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def _write(path: Path, data: bytes, *, force: bool) -> None:
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".sopctl-", suffix=".part")
    try:
        # mkstemp makes the file private (0600); a document gets the permissions any new file would.
        os.chmod(temp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(temp, path)
        else:
            # A hard link fails if the name was taken meanwhile: no silent overwrite.
            try:
                os.link(temp, path)
            except FileExistsError:
                raise UsageError(f"{path} already exists: use --force to replace it") from None
            except OSError:
                if path.exists():
                    raise UsageError(f"{path} already exists: use --force to replace it") from None
                os.replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
