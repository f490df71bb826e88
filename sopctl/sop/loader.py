"""Find, read and validate SOP files; every problem with its ``file:line:col``.

``load_catalog`` reads a folder (or files), validates each SOP and the rules
across them (unique ids, related SOPs that exist), and reports every problem of
every file at once.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sopctl.errors import NotFoundError, Problem, UsageError, ValidationFailed, cap_problems
from sopctl.files import FileError, kind, not_a_file, walk
from sopctl.sop.checks import check_sop
from sopctl.sop.messages import _describe, _from_pydantic, _problem
from sopctl.sop.model import SCHEMA_VERSION, SLUG, RelatedSop
from sopctl.sop.model2 import MODELS, AnySop
from sopctl.sop.procedure import Procedure
from sopctl.sop.yamlsource import SourceMap, YamlError, parse, read_text

SUFFIXES = (".yaml", ".yml")
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class LoadedSop:
    """A valid SOP with the file it came from."""

    sop: AnySop
    path: Path
    text: str
    source_map: SourceMap = field(repr=False)

    @cached_property
    def digest(self) -> str:
        """SHA-256 of the file's text: what an instance pins."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def version(self) -> str:
        return self.digest[:12]

    def definition(self) -> dict[str, Any]:
        """The SOP as JSON data, with defaults filled in (the pinned form)."""
        data = self.sop.model_dump(mode="json", by_alias=True)
        data["code"] = self.sop.instance_code
        return data

    @cached_property
    def procedure(self) -> Procedure:
        return Procedure.from_definition(self.definition())


def load_sop(path: Path, display: str | None = None) -> LoadedSop:
    """Read and validate one SOP file on its own; raise :class:`ValidationFailed`.

    A path that is not a file is the caller's mistake, not a finding in an SOP:
    :class:`NotFoundError` (exit 2), as for an unknown catalogue id.
    """
    shown = display or str(path)
    found = _kind(path, shown)
    if found == "folder":
        raise NotFoundError(f"{shown} is a folder: give an SOP file, or use sopctl validate for a folder")
    if found is None:
        raise NotFoundError(f"{shown}: no such file")
    if found != "file":
        raise UsageError(f"{shown} {not_a_file(found)}: give an SOP file")
    loaded, problems = _load(path, shown)
    if loaded is None:
        raise ValidationFailed(problems)
    return loaded


def model_for(data: dict[str, Any]) -> type[AnySop]:
    """The model of a file's format version; a file whose version is missing or wrong is read
    as the version its flowchart's key says (``rows:`` is 2, ``steps:`` 1), so that the
    errors it gets are about that version."""
    version = data.get("schema")
    if isinstance(version, int) and not isinstance(version, bool) and version in MODELS:
        return MODELS[version]
    return MODELS[1] if "steps" in data and "rows" not in data else MODELS[2]


def definition_of(text: str, shown: str) -> dict[str, Any] | None:
    """The definition (pinned form) an SOP file's text gives, or None if it does not load: what
    a pinned copy's stored definition is checked against when its start did not record its
    digest."""
    loaded, _ = _load(Path(shown), shown, text)
    return None if loaded is None else loaded.definition()


def _load(path: Path, shown: str, text: str | None = None) -> tuple[LoadedSop | None, list[Problem]]:
    try:
        text = read_text(path) if text is None else text
        data, source_map = parse(text)
    except YamlError as exc:
        return None, [Problem(shown, exc.line, exc.column, exc.message)]
    if data is None:
        return None, [
            Problem(shown, 1, 1, f"the file is empty: an SOP file starts with `schema: {SCHEMA_VERSION}`")
        ]
    if not isinstance(data, dict):
        return None, [
            Problem(
                shown,
                1,
                1,
                f"an SOP file is a mapping of keys (schema:, id:, name:, ...), not {_describe(data)}",
            )
        ]
    version = data.get("schema")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        line, column = source_map.locate(("schema",))
        return None, [
            Problem(
                shown,
                line,
                column,
                f"this file is in format version {version}; this sopctl "
                f"reads versions 1 to {SCHEMA_VERSION}: upgrade sopctl",
            )
        ]
    model = model_for(data)
    try:
        sop = model.model_validate(data)
    except ValidationError as exc:
        return None, _from_pydantic(exc, data, source_map, shown, model)
    problems = [_problem(shown, source_map, finding.path, finding.message) for finding in check_sop(sop)]
    if problems:
        return None, cap_problems(sorted(problems, key=lambda p: (p.line, p.column)), shown)
    return LoadedSop(sop, path, text, source_map), []


# -- the catalogue --------------------------------------------------------------------


@dataclass
class Catalog:
    """The SOPs found under some paths, and every problem found on the way."""

    sops: dict[str, LoadedSop]
    problems: list[Problem]
    files: int = 0
    #: Files that did not load, by the id they declare and by their name without extension.
    broken: dict[str, str] = field(default_factory=dict)

    def get(self, ref: str) -> LoadedSop:
        """An SOP by catalogue id, or by the path of a YAML file."""
        if ref in self.sops:
            return self.sops[ref]
        if ref.endswith(SUFFIXES) or "/" in ref:
            return load_sop(Path(ref), ref)
        if ref in self.broken:
            raise ValidationFailed([p for p in self.problems if p.file == self.broken[ref]])
        close = difflib.get_close_matches(ref, list(self.sops), n=1, cutoff=0.5)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        known = f"; known: {', '.join(sorted(self.sops))}" if self.sops and not close else ""
        raise NotFoundError(f'no SOP "{ref}" in the catalogue{hint}{known}')

    def __iter__(self) -> Any:
        return iter(self.sops.values())

    def related_names(self, sop: AnySop) -> dict[str, str]:
        """The names of the catalogue SOPs that ``sop`` lists under Keterkaitan, by id: the
        printed SOP names them as people know them, not by their ids."""
        ids = [r.sop for r in sop.related if isinstance(r, RelatedSop)]
        return {ref: self.sops[ref].sop.name for ref in ids if ref in self.sops}


def sop_files(paths: Iterable[Path]) -> list[tuple[Path, list[Problem]]]:
    """Expand folders into their YAML files (within the bounds of :func:`sopctl.files.walk`);
    a path that is missing, or neither a file nor a folder, is a usage error. A folder below
    that cannot be read is a problem of its own, and its files are not checked."""
    found: list[tuple[Path, list[Problem]]] = []
    for path in paths:
        what = _kind(path, str(path))
        if what == "folder":
            try:
                walked = walk(path, SUFFIXES)
            except FileError as exc:
                raise UsageError(f"the folder {path} {exc.message}") from None
            for folder, why in walked.unreadable:
                problem = f"cannot read this folder ({why}): its SOP files were not checked"
                found.append((folder, [Problem(str(folder), 0, 0, problem)]))
            if not walked.files and not walked.unreadable:
                found.append(
                    (path, [Problem(str(path), 0, 0, "no SOP files (*.yaml, *.yml) in this folder")])
                )
            found.extend((f, [] if _text(f) else [_misnamed(f)]) for f in walked.files)
        elif what == "file":
            found.append((path, []))
        elif what is None:
            raise UsageError(f"{path}: no such file or folder")
        else:
            raise UsageError(f"{path} {not_a_file(what)}: give SOP files or folders")
    return found


def _text(path: Path) -> bool:
    """Whether the name of ``path`` is text (UTF-8 bytes): the store and the printed SOP
    name the file an instance came from."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _misnamed(path: Path) -> Problem:
    return Problem(str(path), 0, 0, "the file's name is not UTF-8 text: rename it")


def _kind(path: Path, shown: str) -> str | None:
    """What ``path`` is (:func:`sopctl.files.kind`), a name the system refuses a usage error."""
    try:
        return kind(path)
    except FileError as exc:
        raise UsageError(f"{shown} {exc.message}") from None


#: From this many files on, they are read on every core (each file stands alone).
PARALLEL_FROM = 64


def _load_one(path: Path) -> tuple[LoadedSop | None, list[Problem]]:
    """One file, in a worker: keep only the positions the catalogue-wide checks report at,
    so that little has to travel back to the parent."""
    loaded, problems = _load(path, str(path))
    if loaded is not None:
        related = range(len(loaded.sop.related))
        wanted = [(), ("id",), ("code",), ("related",), *((("related", i, "sop")) for i in related)]
        # The calendars it names, checked against the site config by `validate`.
        wanted += [("calendar",), ("service", "calendar")]
        for r, row in enumerate(getattr(loaded.sop, "rows", ())):
            wanted += [("rows", r, "symbols", i, "calendar") for i in range(len(row.symbols))]
        loaded = replace(loaded, source_map=loaded.source_map.only(wanted))
    return loaded, problems


def _load_all(paths: list[Path]) -> list[tuple[LoadedSop | None, list[Problem]]]:
    """Every file's result, in order; a large catalogue on all cores (forked workers
    start with everything already imported, so they cost little to start)."""
    import multiprocessing
    import os

    cores = os.cpu_count() or 1
    if len(paths) < PARALLEL_FROM or cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [_load_one(path) for path in paths]
    with multiprocessing.get_context("fork").Pool(min(cores, 8)) as pool:
        return pool.map(_load_one, paths, chunksize=max(1, len(paths) // (cores * 8)))


def load_catalog(paths: Sequence[Path]) -> Catalog:
    """Load and validate every SOP under ``paths``; never raises for a bad file."""
    sops: dict[str, LoadedSop] = {}
    problems: list[Problem] = []
    files = 0
    codes: dict[str, LoadedSop] = {}
    #: Files that did not load, by name without extension and by the id they declare.
    broken: dict[str, str] = {}
    #: Ids declared by more than one file, with the first file that declared them.
    taken: dict[str, LoadedSop] = {}
    listing = sop_files(paths)
    results = iter(_load_all([path for path, listed in listing if not listed]))
    for path, listed in listing:
        if listed:
            problems.extend(listed)
            continue
        files += 1
        shown = str(path)
        loaded, found = next(results)
        problems.extend(found)
        if loaded is None:
            broken.setdefault(path.stem, shown)
            if declared := _declared_id(path):
                broken.setdefault(declared, shown)
            continue
        sop = loaded.sop
        if sop.id in sops or sop.id in taken:
            # Which of the two a command meant cannot be known: neither is used.
            first = sops.pop(sop.id, None) or taken[sop.id]
            taken[sop.id] = first
            problems.append(
                _problem(
                    shown, loaded.source_map, ("id",), f'the id "{sop.id}" is already used by {first.path}'
                )
            )
            problems.append(
                _problem(
                    str(first.path), first.source_map, ("id",), f'the id "{sop.id}" is also used by {shown}'
                )
            )
            broken.setdefault(sop.id, shown)
            continue
        if sop.instance_code in codes:
            problems.append(
                _problem(
                    shown,
                    loaded.source_map,
                    ("code",) if sop.code else ("id",),
                    f'the instance prefix "{sop.instance_code}" is already used by '
                    f"{codes[sop.instance_code].path}: set a different `code:`",
                )
            )
            broken.setdefault(sop.id, shown)
            continue
        sops[sop.id] = loaded
        codes[sop.instance_code] = loaded
    # An SOP whose Keterkaitan names one that did not load is not used either (its printed
    # form would be wrong); that may in turn leave others without theirs, hence the loop.
    while found := _related_problems(sops, broken):
        problems.extend(found)
        for problem in found:
            for sop_id in [i for i, loaded in sops.items() if str(loaded.path) == problem.file]:
                broken.setdefault(sop_id, str(sops.pop(sop_id).path))
    return Catalog(sops, problems, files, {ref: file for ref, file in broken.items() if ref not in sops})


def _related_problems(sops: dict[str, LoadedSop], broken: dict[str, str]) -> list[Problem]:
    """A problem for every ``{sop: id}`` under Keterkaitan that is not in ``sops``."""
    found = []
    for loaded in sops.values():
        for index, related in enumerate(loaded.sop.related):
            if isinstance(related, RelatedSop) and related.sop not in sops:
                if related.sop in broken:
                    message = f'the related SOP "{related.sop}" did not load: fix {broken[related.sop]} first'
                else:
                    close = difflib.get_close_matches(related.sop, list(sops), n=1, cutoff=0.5)
                    hint = (
                        f' (did you mean "{close[0]}"?)'
                        if close
                        else "; write it as plain text if it is not in the catalogue"
                    )
                    message = f'no SOP with id "{related.sop}" in the catalogue{hint}'
                found.append(
                    _problem(str(loaded.path), loaded.source_map, ("related", index, "sop"), message)
                )
    return found


def _declared_id(path: Path) -> str | None:
    """The ``id:`` a file that did not load gives itself, if it can be read at all (so that
    ``show ID`` names the broken file instead of saying there is no such SOP)."""
    try:
        data, _ = parse(read_text(path))
    except (YamlError, OSError):
        return None
    declared = data.get("id") if isinstance(data, dict) else None
    return declared if isinstance(declared, str) and re.fullmatch(SLUG, declared) else None
