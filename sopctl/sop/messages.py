"""YAML data against a pydantic model, and every error as a person can fix it:
plain words at ``file:line:col``, a misspelt key with its likely meaning, the official
form's labels ("waktu:") read as the keys they stand for.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from sopctl.errors import Problem, ValidationFailed
from sopctl.sop.model import SLUG
from sopctl.sop.yamlsource import SourceMap, YamlError, dotted, parse, read_text

M = TypeVar("M", bound=BaseModel)


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
        expected = str(ctx.get("expected", ""))
        if path == ("schema",) and root.__name__.startswith("Sop"):
            expected = "1 or 2"  # every format version this sopctl reads, whichever it was read as
        return _literal_message(expected, value), "[key]" in error["loc"]
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
    # Format 1's keys in a format-2 file (and the other way round).
    "steps": "rows",
    "rows": "steps",
    "step": "row",
    "row": "step",
    "no": "row",
    "baris": "rows",
    "simbol": "symbols",
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
