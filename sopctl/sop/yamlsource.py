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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sopctl.errors import UsageError
from sopctl.files import FileError, read_bytes
from sopctl.invisible import INVISIBLE, describe

MAX_DEPTH = 32
MAX_VALUES = 100_000
#: The longest whole number a file may hold, in digits.
MAX_DIGITS = 100

_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_ESCAPED_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_STR_TAGS = {"tag:yaml.org,2002:str", "!"}

Path_ = tuple[str | int, ...]


def dotted(path: Sequence[str | int]) -> str:
    """("steps", 2, "time") -> "steps[2].time"."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


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

    def only(self, paths: list[Path_]) -> SourceMap:
        """A smaller map that still locates ``paths`` (each as its nearest known ancestor)."""
        kept = SourceMap()
        for path in paths:
            kept.values[path] = self.locate(path)
            if path in self.keys:
                kept.keys[path] = self.keys[path]
        return kept

    def locate(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The position of ``path``, or of its nearest ancestor that has one."""
        if key and path in self.keys:
            return self.keys[path]
        for end in range(len(path), -1, -1):
            if path[:end] in self.values:
                return self.values[path[:end]]
        return (1, 1)


def read_text(path: Path) -> str:
    """A file's text, refusing anything but a regular file of at most 2 MB
    (:func:`sopctl.files.read_bytes`), and bytes that are not UTF-8."""
    try:
        data = read_bytes(path)
    except FileError as exc:
        raise YamlError(exc.message) from None
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
    text = text.removeprefix("\ufeff")  # a byte order mark (a copy pinned in the store keeps it)
    if hidden := INVISIBLE.search(text):
        raise _position_in(
            text,
            hidden.start(),
            f"the file holds {describe(hidden.group())}: delete it (editors often do not show it)",
        )
    try:
        return _parse(text, _Parser)
    except _ParserLimit:
        # libyaml 0.2.6 and later stop at a nesting depth of their own, and its scanner reads
        # far ahead of the events we see, so its limit can come before ours. Our limit decides:
        # the pure-Python parser reads lazily, so it meets MAX_DEPTH where the text does.
        return _parse(text, yaml.SafeLoader)


class _ParserLimit(Exception):
    """The parser underneath refused the text for a limit of its own, not for its syntax."""


def _parse(text: str, parser: Any) -> tuple[Any, SourceMap]:
    builder = _Builder()
    loader = None
    # One loop over libyaml's events, dispatched on their exact type: this is where
    # validating a large catalogue spends most of its time.
    scalar, alias = yaml.ScalarEvent, yaml.AliasEvent
    mapping, sequence = yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    document = yaml.DocumentStartEvent
    try:
        loader = parser(text)  # the reader checks the characters here
        get = loader.get_event
        while (event := get()) is not None:
            kind = type(event)
            if kind is scalar:
                builder.scalar(event)
            elif kind is mapping or kind is sequence:
                builder.start(event, kind is mapping)
            elif kind in ends:
                builder.end()
            elif kind is alias:
                builder.alias(event)
            elif kind is document:
                builder.document(event)
    except yaml.MarkedYAMLError as exc:
        if parser is not yaml.SafeLoader and "maximum nesting depth" in str(exc.problem):
            raise _ParserLimit from None
        raise _syntax_error(exc, text) from None
    except (yaml.reader.ReaderError, UnicodeEncodeError):  # the C parser cannot encode a lone surrogate
        raise _unprintable(text) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"not valid YAML: {' '.join(str(exc).split())}") from None
    finally:
        if loader is not None:
            loader.dispose()
    return builder.root, builder.map


# What YAML may hold (YAML 1.2, 5.1): the reader refuses anything else.
_UNPRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _unprintable(text: str) -> YamlError:
    found = _UNPRINTABLE.search(text)
    if found is None:  # cannot happen: the reader refuses only these characters
        return YamlError("not valid YAML: the text holds a character YAML does not allow")
    message = f"the character U+{ord(found.group()):04X} is not allowed in a YAML file: delete it"
    return _position_in(text, found.start(), message)


def _position_in(text: str, index: int, message: str) -> YamlError:
    """``message`` at the line and column of ``text[index]``."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return YamlError(message, line, column)


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
    message += _hint(exc, text, mark)
    return YamlError(
        f"not valid YAML: {message}",
        (mark.line + 1) if mark else 0,
        (mark.column + 1) if mark else 0,
    )


#: A line that is one key and its value ("    lanes: [staf]", "  - step: 1"); group 1 runs
#: up to the key's column.
_KEY_LINE = re.compile(r"^( *(?:- +)?)[\w-]+:(?: |$)")


def _hint(exc: yaml.MarkedYAMLError, text: str, mark: Any) -> str:
    """What to do about the usual mistakes behind libyaml's messages, when the text shows it."""
    if mark is None:
        return ""
    line = _line_at(text, mark.line)
    indent = line[: len(line) - len(line.lstrip())]
    if "tab" in (exc.problem or ""):
        return "; indent with spaces"
    if line[mark.column : mark.column + 1] == "\t":
        return "; this is a tab: indent with spaces"
    if "\t" in indent:
        return "; this line is indented with a tab: indent with spaces"
    if (
        exc.problem == "block sequence entries are not allowed in this context"
        and line[mark.column :].strip() == "-"
    ):
        return '; a lone "-" starts a list: for no time limit write it in quotes, "-"'
    if exc.problem == "mapping values are not allowed in this context":
        key = _KEY_LINE.match(line)
        if key and mark.column == len(key.group(0).rstrip()) - 1:
            above = _KEY_LINE.match(_line_at(text, mark.line - 1))
            if above and len(key.group(1)) > len(above.group(1)):
                deeper, level = len(key.group(1)), len(above.group(1))
                return f"; this key is indented further than the one above it ({deeper} spaces, not {level})"
        return '; put text that contains ": " in quotes'
    if exc.problem == "did not find expected '-' indicator":
        return '; an item of this list starts with "- ", and its keys line up under the first'
    return ""


def _line_at(text: str, line: int) -> str:
    lines = text.split("\n")
    return lines[line] if 0 <= line < len(lines) else ""


def _position(event: Any) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1)


class _Frame:
    """An open mapping or sequence, with its path and the key waiting for its value."""

    __slots__ = ("anchor", "container", "has_key", "is_map", "path", "pending_key", "weight")

    def __init__(self, container: Any, path: Path_, anchor: str | None, is_map: bool) -> None:
        self.container = container
        self.path = path
        self.anchor = anchor
        self.is_map = is_map
        self.weight = 1
        self.pending_key: str | None = None
        self.has_key = False


class _Builder:
    def __init__(self) -> None:
        self.map = SourceMap()
        self.values = self.map.values
        self.stack: list[_Frame] = []
        self.top: _Frame | None = None
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.documents = 0
        self.root: Any = None
        self.total = 0

    # -- events -------------------------------------------------------------------

    def document(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            raise YamlError("the file holds more than one YAML document (a second ---)", *_position(event))

    def scalar(self, event: Any) -> None:
        value: str = event.value
        if _ESCAPED_CONTROL.search(value):
            bad = _ESCAPED_CONTROL.search(value)
            assert bad is not None
            # Written as an escape ("\e", "\x1b"): an ESC would drive the terminal of whoever
            # reads this text later, a NUL would cut it short.
            raise YamlError(
                f"the text holds the control character U+{ord(bad.group()):04X}; remove it",
                *_position(event),
            )
        if not value.isascii() and (hidden := INVISIBLE.search(value)):  # written as "\u202e"
            raise YamlError(f"the text holds {describe(hidden.group())}: remove it", *_position(event))
        tag = event.tag
        if tag is not None and tag not in _STR_TAGS:
            _check_tag(tag, _position(event))
        data: Any = value
        if tag is None and event.implicit[0] and not event.style:
            data = _resolve(value, event)
        if event.anchor:
            self.anchors[event.anchor] = (data, 1)
        frame = self.top
        if frame is not None and frame.is_map and not frame.has_key:
            self._take_key(data, event)
            return
        self._place(data, event)
        if frame is not None:
            frame.weight += 1
        self._count(1, event)

    def alias(self, event: Any) -> None:
        if event.anchor not in self.anchors:
            raise YamlError(f"the alias *{event.anchor} names no anchor defined before it", *_position(event))
        value, weight = self.anchors[event.anchor]
        frame = self.top
        if frame is not None and frame.is_map and not frame.has_key:
            self._take_key(value, event)
            return
        self._place(value, event)
        if frame is not None:
            frame.weight += weight
        self._count(weight, event)

    def start(self, event: Any, is_map: bool) -> None:
        tag = event.tag
        if tag is not None and tag not in _STR_TAGS:
            _check_tag(tag, _position(event))
        if len(self.stack) >= MAX_DEPTH:
            raise YamlError(f"nested more than {MAX_DEPTH} levels deep", *_position(event))
        container: Any = {} if is_map else []
        path = self._child_path()
        self._place(container, event)
        self._count(1, event)
        frame = _Frame(container, path, event.anchor, is_map)
        self.stack.append(frame)
        self.top = frame

    def end(self) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            self.anchors[frame.anchor] = (frame.container, frame.weight)
        self.top = self.stack[-1] if self.stack else None
        if self.top is not None:
            self.top.weight += frame.weight

    # -- helpers ----------------------------------------------------------------

    def _child_path(self) -> Path_:
        """The path of the value about to be placed in the innermost container."""
        frame = self.top
        if frame is None:
            return ()
        if frame.is_map:
            return (*frame.path, frame.pending_key)  # type: ignore[arg-type]
        return (*frame.path, len(frame.container))

    def _take_key(self, key: Any, event: Any) -> None:
        frame = self.top
        assert frame is not None
        if isinstance(key, (dict, list)) or key is None:
            raise YamlError("a mapping key must be plain text", *_position(event))
        key = str(key) if not isinstance(key, bool) else str(key).lower()
        if key in frame.container:
            line, column = self.map.keys[(*frame.path, key)]
            raise YamlError(
                f'{dotted((*frame.path, key))}: the key "{key}" appears twice (first at line {line}, '
                f"column {column})",
                *_position(event),
            )
        frame.pending_key = key
        frame.has_key = True
        self.map.keys[(*frame.path, key)] = _position(event)

    def _place(self, value: Any, event: Any) -> None:
        frame = self.top
        if frame is None:
            self.root = value
            self.values[()] = _position(event)
            return
        if frame.is_map:
            if not frame.has_key:  # a collection used as a key
                raise YamlError("a mapping key must be plain text", *_position(event))
            key = frame.pending_key
            self.values[(*frame.path, key)] = _position(event)  # type: ignore[arg-type]
            frame.container[key] = value
            frame.has_key = False
        else:
            self.values[(*frame.path, len(frame.container))] = _position(event)
            frame.container.append(value)

    def _count(self, weight: int, event: Any) -> None:
        """Count values as if every alias were written out in full."""
        self.total += weight
        if self.total > MAX_VALUES:
            raise YamlError(
                f"the file expands to more than {MAX_VALUES:,} values (too many aliases?)", *_position(event)
            )


def _resolve(value: str, event: Any) -> Any:
    """A plain scalar by YAML 1.2's core schema (as far as sopctl's files need it)."""
    if value in _NULL:
        return None
    if value in _BOOL:
        return _BOOL[value]
    if value[:1] in _NUMBER_START:
        if _INT.match(value):
            digits = len(value.lstrip("+-"))
            if digits > MAX_DIGITS:
                # Python reads at most 4,300 digits (less when set so); no number in sopctl's
                # files needs more than a NIP's 18.
                raise YamlError(
                    f"a whole number of {digits:,} digits: sopctl reads at most {MAX_DIGITS}; "
                    "if it is text, put it in quotes",
                    *_position(event),
                )
            return int(value)
        if _FLOAT.match(value):
            return float(value)
    return value


_NUMBER_START = frozenset("0123456789+-.")


def _check_tag(tag: str, mark: tuple[int, int]) -> None:
    if tag.startswith("tag:yaml.org,2002:") and tag.rsplit(":", 1)[1] in {"map", "seq"}:
        return
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    raise YamlError(f'YAML tags such as "{shown}" are not allowed; write plain values', *mark)
