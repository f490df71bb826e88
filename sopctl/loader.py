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
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from sopctl.checks import check_sop
from sopctl.errors import NotFoundError, Problem, UsageError, ValidationFailed
from sopctl.model import SCHEMA_VERSION, SLUG, RelatedSop, Sop
from sopctl.procedure import Procedure
from sopctl.yamlsource import SourceMap, YamlError, dotted, parse, read_text

SUFFIXES = (".yaml", ".yml")
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class LoadedSop:
    """A valid SOP with the file it came from."""

    sop: Sop
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
    if path.is_dir():
        raise NotFoundError(f"{shown} is a folder: give an SOP file, or use sopctl validate for a folder")
    if not path.exists():
        raise NotFoundError(f"{shown}: no such file")
    loaded, problems = _load(path, shown)
    if loaded is None:
        raise ValidationFailed(problems)
    return loaded


def _load(path: Path, shown: str) -> tuple[LoadedSop | None, list[Problem]]:
    try:
        text = read_text(path)
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
                f"reads version {SCHEMA_VERSION}: upgrade sopctl",
            )
        ]
    try:
        sop = Sop.model_validate(data)
    except ValidationError as exc:
        return None, _from_pydantic(exc, data, source_map, shown, Sop)
    problems = [_problem(shown, source_map, finding.path, finding.message) for finding in check_sop(sop)]
    if problems:
        return None, sorted(problems, key=lambda p: (p.line, p.column))
    return LoadedSop(sop, path, text, source_map), []


def _problem(
    shown: str, source_map: SourceMap, path: tuple[str | int, ...], message: str, *, key: bool = False
) -> Problem:
    line, column = source_map.locate(path, key=key)
    where = dotted(path)
    return Problem(shown, line, column, f"{where}: {message}" if where else message)


# -- pydantic errors -> plain words ---------------------------------------------------

_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "list_type": "a list",
    "dict_type": "a mapping (key: value)",
    "model_type": "a mapping (key: value)",
    "model_attributes_type": "a mapping (key: value)",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
}
_PATTERN_HINTS = {
    SLUG: 'use lower-case letters, digits and dashes, e.g. "kasubag-umpeg"',
    r"^[A-Z][A-Z0-9]{1,7}$": 'use 2-8 capital letters or digits, starting with a letter, e.g. "PDK"',
}


def validate_file(path: Path, model: type[M], display: str | None = None) -> M:
    """Read a YAML file into ``model``; raise :class:`ValidationFailed` with every problem."""
    return read_model(path, model, display)[0]


def read_model(
    path: Path, model: type[M], display: str | None = None, *, text: str | None = None
) -> tuple[M, SourceMap]:
    """Like :func:`validate_file`, with the source map for checks the model cannot make;
    ``text`` is the file's content when it comes from elsewhere (a copy in the store)."""
    shown = display or str(path)
    try:
        data, source_map = parse(read_text(path) if text is None else text)
    except YamlError as exc:
        raise ValidationFailed([Problem(shown, exc.line, exc.column, exc.message)]) from None
    if not isinstance(data, dict):
        what = "empty" if data is None else f"{_describe(data)}, not a mapping of keys"
        raise ValidationFailed([Problem(shown, 1, 1, f"the file is {what}")])
    try:
        return model.model_validate(data), source_map
    except ValidationError as exc:
        raise ValidationFailed(_from_pydantic(exc, data, source_map, shown, model)) from None


def problem_at(
    file: str, source_map: SourceMap, path: tuple[str | int, ...], message: str, *, key: bool = False
) -> Problem:
    """A problem at a YAML path, for checks made after validation; with ``key``, at the
    mapping key rather than its value."""
    return _problem(file, source_map, path, message, key=key)


def _from_pydantic(
    exc: ValidationError, data: Any, source_map: SourceMap, shown: str, root: type[BaseModel]
) -> list[Problem]:
    grouped: dict[tuple[str | int, ...], list[dict[str, Any]]] = {}
    for error in exc.errors(include_url=False):
        path = _data_path(error["loc"], data, error["type"])
        grouped.setdefault(path, []).append(dict(error))
    # A misspelt required key is one mistake: "unknown key "lane" (did you mean "lanes"?)"
    # says it all, so the "missing "lanes"" it causes is not reported as well.
    misspelt = {
        (*path[:-1], guess)
        for path, errors in grouped.items()
        if any(e["type"] == "extra_forbidden" for e in errors)
        and (guess := _closest_key(path, root)) is not None
    }
    for path in misspelt & grouped.keys():
        if rest := [e for e in grouped[path] if e["type"] != "missing"]:
            grouped[path] = rest
        else:
            del grouped[path]
    problems: list[Problem] = []
    for path, errors in grouped.items():
        messages = _messages(path, errors, data, root)
        for message, at_key in messages:
            problems.append(_problem(shown, source_map, path, message, key=at_key))
    return sorted(set(problems), key=lambda p: (p.line, p.column, p.message))


def _data_path(loc: Sequence[str | int], data: Any, kind: str) -> tuple[str | int, ...]:
    """Keep the parts of pydantic's ``loc`` that exist in the data (drop union tags)."""
    path: list[str | int] = []
    node = data
    for position, part in enumerate(loc):
        last = position == len(loc) - 1
        if isinstance(node, list):
            present = isinstance(part, int) and part < len(node)
        else:
            present = isinstance(node, dict) and part in node
        if present:
            path.append(part)
            node = node[part]
        elif last and kind in ("missing", "extra_forbidden"):
            path.append(part)
    return tuple(path)


def _messages(
    path: tuple[str | int, ...], errors: list[dict[str, Any]], data: Any, root: type[BaseModel]
) -> list[tuple[str, bool]]:
    value = _value_at(data, path)
    if len(errors) > 1 and all(e["type"] in _EXPECTED for e in errors):
        wanted = list(dict.fromkeys(_EXPECTED[e["type"]] for e in errors))
        return [(f"expected {' or '.join(wanted)}, not {_describe(value)}", False)]
    return list(dict.fromkeys(_message(path, error, value, root) for error in errors))


def _message(
    path: tuple[str | int, ...], error: dict[str, Any], value: Any, root: type[BaseModel]
) -> tuple[str, bool]:
    kind, ctx = error["type"], error.get("ctx") or {}
    if "[key]" in error["loc"] and path:
        value = path[-1]  # the error is about a mapping key, not its value
    if kind == "missing":
        return f'missing required key "{path[-1]}"', False
    if kind == "extra_forbidden":
        guess = _closest_key(path, root)
        hint = (
            f' (did you mean "{guess}"?)'
            if guess
            else f"; known keys: {', '.join(_known_keys(path[:-1], root))}"
        )
        return f'unknown key "{path[-1]}"{hint}', True
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, not {_describe(value)}", False
    if kind == "literal_error":
        return _literal_message(str(ctx.get("expected", "")), value), "[key]" in error["loc"]
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, "), False
    if kind == "string_pattern_mismatch":
        return (
            f"{value!r} is not allowed here: {_PATTERN_HINTS.get(ctx.get('pattern', ''), error['msg'])}",
            False,
        )
    if kind == "string_too_short":
        return "must not be empty", False
    if kind == "too_short":
        return (
            "must not be empty"
            if isinstance(value, str)
            else f"needs at least {ctx.get('min_length', 1)} item(s)"
        ), False
    if kind == "string_too_long":
        return f"may have at most {ctx.get('max_length')} characters", False
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}", False
    return str(error["msg"]), False


def _literal_message(expected: str, value: Any) -> str:
    """pydantic's "'a', 'b' or 'c'" (or "1" for a number) as a list of choices."""
    found = re.findall(r"'([^']*)'|(-?\d+)", expected)
    options = [text or number for text, number in found]
    numbers = [number for _, number in found if number]
    if isinstance(value, str) and value in numbers:
        return f"write {value} as a number, without quotes"
    close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
    hint = f' (did you mean "{close[0]}"?)' if close else ""
    choices = f"must be {options[0]}" if len(options) == 1 else f"must be one of {', '.join(options)}"
    return f"{choices}, not {value!r}{hint}"


#: The official form's labels (and their usual variants), for an author who writes the label
#: instead of the key: "waktu:" is meant as "time:".
_LABEL_KEYS = {
    "waktu": "time",
    "aktivitas": "activity",
    "kegiatan": "activity",
    "pelaksana": "lanes",
    "kelengkapan": "requirements",
    "persyaratan": "requirements",
    "keluaran": "output",
    "keterangan": "remarks",
    "ket": "remarks",
    "langkah": "step",
    "nomor": "number",
    "kode": "code",
    "nama": "name",
    "bahasa": "language",
    "dasar_hukum": "legal_basis",
    "kualifikasi": "qualifications",
    "kualifikasi_pelaksana": "qualifications",
    "keterkaitan": "related",
    "peralatan": "equipment",
    "perlengkapan": "equipment",
    "peringatan": "warnings",
    "pencatatan": "records",
    "total_waktu": "total_time",
    "tanggal": "dates",
    "disahkan_oleh": "approved_by",
    "jabatan": "position",
    "cabang": "branches",
    "ke": "to",
    "lanjut": "next",
    "lajur": "lanes",
}


def _closest_key(path: tuple[str | int, ...], root: type[BaseModel]) -> str | None:
    """The known key an unknown key at ``path`` was probably meant to be."""
    known = _known_keys(path[:-1], root)
    label = _LABEL_KEYS.get(str(path[-1]).strip().lower().replace(" ", "_").rstrip("."))
    if label in known:
        return label
    close = difflib.get_close_matches(str(path[-1]), known, n=1, cutoff=0.5)
    return close[0] if close else None


def _known_keys(path: tuple[str | int, ...], root: type[BaseModel]) -> list[str]:
    model: type[BaseModel] | None = root
    for part in path:
        if isinstance(part, int) or model is None:
            continue
        info = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        model = _model_in(info.annotation) if info else None
    if model is None:
        return []
    return [f.alias or n for n, f in model.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _value_at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f'the text "{value}"' if len(value) < 40 else "a text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


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

    def related_names(self, sop: Sop) -> dict[str, str]:
        """The names of the catalogue SOPs that ``sop`` lists under Keterkaitan, by id: the
        printed SOP names them as people know them, not by their ids."""
        ids = [r.sop for r in sop.related if isinstance(r, RelatedSop)]
        return {ref: self.sops[ref].sop.name for ref in ids if ref in self.sops}


def sop_files(paths: Iterable[Path]) -> list[tuple[Path, list[Problem]]]:
    """Expand folders into their YAML files; a missing path is a usage error."""
    found: list[tuple[Path, list[Problem]]] = []
    for path in paths:
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.suffix in SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not files:
                found.append(
                    (path, [Problem(str(path), 0, 0, "no SOP files (*.yaml, *.yml) in this folder")])
                )
            found.extend((f, []) for f in files)
        elif path.exists():
            found.append((path, []))
        else:
            raise UsageError(f"{path}: no such file or folder")
    return found


#: From this many files on, they are read on every core (each file stands alone).
PARALLEL_FROM = 64


def _load_one(path: Path) -> tuple[LoadedSop | None, list[Problem]]:
    """One file, in a worker: keep only the positions the catalogue-wide checks report at,
    so that little has to travel back to the parent."""
    loaded, problems = _load(path, str(path))
    if loaded is not None:
        related = range(len(loaded.sop.related))
        wanted = [(), ("id",), ("code",), ("related",), *((("related", i, "sop")) for i in related)]
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
