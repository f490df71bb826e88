"""Read YAML safely, remembering where every value came from.

We build Python data straight from libyaml's event stream (CSafeLoader's parser
when available) instead of ``yaml.safe_load``, for four reasons:

* every value's line and column is kept, so an error names ``file:line:col``;
* limits hold before any work is done: file size, nesting depth, and the number
  of values after expanding aliases (an "alias bomb" stops at the limit);
* scalars follow YAML 1.2's core schema: ``no``, ``on``, ``07:30`` and
  ``2022-03-07`` stay text (YAML 1.1 would make them False, True, 450 and a date);
* a key given twice is an error instead of silently keeping the last one.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sopctl.errors import UsageError

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32
MAX_VALUES = 100_000

_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_ESCAPED_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_STR_TAGS = {"tag:yaml.org,2002:str", "!"}

Path_ = tuple[str | int, ...]


class YamlError(UsageError):
    """The text is not YAML we accept; ``line``/``column`` are 1-based (0: unknown)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass
class SourceMap:
    """Where each value (and each mapping key) starts, by its path of keys and indexes."""

    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The position of ``path``, or of its nearest ancestor that has one."""
        if key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            if path[:end] in self.values:
                return self.values[path[:end]]
        return (1, 1)


def read_text(path: Path) -> str:
    """A file's text, refusing huge files and bytes that are not UTF-8."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise YamlError("no such file") from None
    except OSError as exc:
        raise YamlError(f"cannot read: {exc.strerror}") from None
    if size > MAX_BYTES:
        raise YamlError(
            f"the file is {size / 1_048_576:.1f} MB; an SOP file may be at most {MAX_BYTES // 1_048_576} MB"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise YamlError(f"cannot read: {exc.strerror}") from None
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        # Columns count characters, as the YAML parser's do: the bytes before the
        # bad one on its line are valid UTF-8.
        column = len(data[line_start : exc.start].decode("utf-8")) + 1
        raise YamlError(
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be read; save the file as UTF-8",
            line,
            column,
        ) from None


def parse(text: str) -> tuple[Any, SourceMap]:
    """Parse one YAML document into plain data and a :class:`SourceMap`."""
    builder = _Builder()
    try:
        for event in yaml.parse(text, Loader=_Parser):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text) from None
    except (yaml.reader.ReaderError, UnicodeEncodeError):  # the C parser cannot encode a lone surrogate
        raise _unprintable(text) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"not valid YAML: {' '.join(str(exc).split())}") from None
    return builder.result()


# What YAML may hold (YAML 1.2, 5.1): the reader refuses anything else.
_UNPRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _unprintable(text: str) -> YamlError:
    found = _UNPRINTABLE.search(text)
    if found is None:  # cannot happen: the reader refuses only these characters
        return YamlError("not valid YAML: the text holds a character YAML does not allow")
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return YamlError(
        f"the character U+{ord(found.group()):04X} is not allowed in a YAML file: delete it",
        line,
        column,
    )


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> YamlError:
    """libyaml's two-part message ("while parsing X at A: found Y at B") as one line."""
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or exc.context or "the text cannot be read"
    start = exc.context_mark
    if (
        exc.problem
        and exc.context
        and start
        and mark
        and (start.line, start.column) != (mark.line, mark.column)
    ):
        message += f" ({exc.context} started at line {start.line + 1}, column {start.column + 1})"
    if mark and _char_at(text, mark.line, mark.column) == "\t" and "tab" not in message:
        message += "; this is a tab: indent with spaces"
    elif exc.problem == "mapping values are not allowed in this context":
        message += '; put text that contains ": " in quotes'
    return YamlError(
        f"not valid YAML: {message}",
        (mark.line + 1) if mark else 0,
        (mark.column + 1) if mark else 0,
    )


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    return lines[line][column : column + 1] if line < len(lines) else ""


class _Builder:
    def __init__(self) -> None:
        self.map = SourceMap()
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.documents = 0
        self.root: Any = None
        self.total = 0

    def result(self) -> tuple[Any, SourceMap]:
        return self.root, self.map

    def feed(self, event: Any) -> None:
        mark = (event.start_mark.line + 1, event.start_mark.column + 1)
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise YamlError("the file holds more than one YAML document (a second ---)", *mark)
        elif isinstance(event, yaml.ScalarEvent):
            self._add(self._scalar(event, mark), 1, mark, event.anchor)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                raise YamlError(f"the alias *{event.anchor} names no anchor defined before it", *mark)
            value, weight = self.anchors[event.anchor]
            self._add(value, weight, mark, None)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._check_tag(event.tag, mark, plain=True)
            if len(self.stack) >= MAX_DEPTH:
                raise YamlError(f"nested more than {MAX_DEPTH} levels deep", *mark)
            container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
            path = self._child_path()
            self._place(container, mark)
            self._count(1, mark)
            self.stack.append(_Frame(container, path, event.anchor))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = self.stack.pop()
            if frame.anchor:
                self.anchors[frame.anchor] = (frame.container, frame.weight)
            if self.stack:
                self.stack[-1].weight += frame.weight

    # -- helpers ----------------------------------------------------------------

    def _scalar(self, event: Any, mark: tuple[int, int]) -> Any:
        value: str = event.value
        bad = _ESCAPED_CONTROL.search(value)
        if bad:
            # Written as an escape ("\e", "\x1b"): an ESC would drive the terminal of whoever
            # reads this text later, a NUL would cut it short.
            raise YamlError(
                f"the text holds the control character U+{ord(bad.group()):04X}; remove it", *mark
            )
        plain = event.implicit[0] and event.style in (None, "")
        self._check_tag(event.tag, mark, plain=plain)
        if not plain or event.tag in _STR_TAGS:
            return value
        if value in _NULL:
            return None
        if value in _BOOL:
            return _BOOL[value]
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value):
            return float(value)
        return value

    @staticmethod
    def _check_tag(tag: str | None, mark: tuple[int, int], *, plain: bool) -> None:
        if tag is None or tag in _STR_TAGS:
            return
        if tag.startswith("tag:yaml.org,2002:") and tag.rsplit(":", 1)[1] in {"map", "seq"}:
            return
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        raise YamlError(f'YAML tags such as "{shown}" are not allowed; write plain values', *mark)

    def _child_path(self) -> Path_:
        """The path of the value about to be placed in the innermost container."""
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return (*frame.path, len(frame.container))
        return (*frame.path, frame.pending_key)  # type: ignore[arg-type]

    def _add(self, value: Any, weight: int, mark: tuple[int, int], anchor: str | None) -> None:
        if anchor:
            self.anchors[anchor] = (value, weight)
        if self.stack and isinstance(self.stack[-1].container, dict) and not self.stack[-1].has_key:
            self._take_key(value, mark)
            return
        self._place(value, mark)
        if self.stack:
            self.stack[-1].weight += weight
        self._count(weight, mark)

    def _take_key(self, key: Any, mark: tuple[int, int]) -> None:
        frame = self.stack[-1]
        if isinstance(key, (dict, list)) or key is None:
            raise YamlError("a mapping key must be plain text", *mark)
        key = str(key) if not isinstance(key, bool) else str(key).lower()
        if key in frame.container:
            line, column = self.map.keys[(*frame.path, key)]
            raise YamlError(f'the key "{key}" appears twice (first at line {line}, column {column})', *mark)
        frame.pending_key = key
        frame.has_key = True
        self.map.keys[(*frame.path, key)] = mark

    def _place(self, value: Any, mark: tuple[int, int]) -> None:
        if not self.stack:
            self.root = value
            self.map.values[()] = mark
            return
        frame = self.stack[-1]
        path = self._child_path()
        self.map.values[path] = mark
        if isinstance(frame.container, list):
            frame.container.append(value)
        else:
            if not frame.has_key:  # a collection used as a key
                raise YamlError("a mapping key must be plain text", *mark)
            frame.container[frame.pending_key] = value
            frame.has_key = False

    def _count(self, weight: int, mark: tuple[int, int]) -> None:
        """Count values as if every alias were written out in full."""
        self.total += weight
        if self.total > MAX_VALUES:
            raise YamlError(f"the file expands to more than {MAX_VALUES:,} values (too many aliases?)", *mark)


@dataclass
class _Frame:
    container: Any
    path: Path_
    anchor: str | None
    weight: int = 1
    pending_key: str | None = None
    has_key: bool = False
