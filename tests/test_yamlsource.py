"""The YAML reader: 1.2 scalars, refusals (duplicates, tags, bombs, depth, size), positions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from sopctl.files import MAX_BYTES
from sopctl.sop.yamlsource import MAX_DEPTH, MAX_DIGITS, MAX_VALUES, SourceMap, YamlError, parse, read_text


def _value(text: str) -> Any:
    return parse(f"v: {text}\n")[0]["v"]


def _error(text: str) -> YamlError:
    with pytest.raises(YamlError) as caught:
        parse(text)
    return caught.value


# -- scalars: YAML 1.2 core schema ---------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["no", "No", "on", "off", "yes", "y", "n", "07:30", "1:30", "2022-03-07", "2022-03-07T10:00:00"]
)
def test_yaml_1_1_lookalikes_stay_text(text: str) -> None:
    assert _value(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("True", True),
        ("FALSE", False),
        ("12", 12),
        ("-3", -3),
        ("+4", 4),
        ("012", 12),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("null", None),
        ("~", None),
        ("", None),
        ("'true'", "true"),
        ('"12"', "12"),
        ("'null'", "null"),
        ("!!str 12", "12"),
        ("15 Menit", "15 Menit"),
    ],
)
def test_core_schema_scalars(text: str, expected: Any) -> None:
    value = _value(text)
    assert value == expected
    assert type(value) is type(expected)


def test_block_text_and_plain_structures() -> None:
    data, _ = parse("a: |\n  line one\n  line two\nb: [1, x]\nc: {d: e}\n")
    assert data == {"a": "line one\nline two\n", "b": [1, "x"], "c": {"d": "e"}}


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_an_empty_document_is_none(text: str) -> None:
    assert parse(text)[0] is None


def test_keys_are_always_text() -> None:
    data, _ = parse("1: a\ntrue: b\n1.5: c\n")
    assert data == {"1": "a", "true": "b", "1.5": "c"}


# -- duplicate keys ---------------------------------------------------------------------


def test_a_duplicate_key_names_both_positions() -> None:
    error = _error("name: a\nid: x\nname: b\n")
    assert str(error) == 'name: the key "name" appears twice (first at line 1, column 1)'
    assert (error.line, error.column) == (3, 1)


def test_a_duplicate_key_in_a_nested_flow_mapping() -> None:
    error = _error("steps:\n  - {step: 1, activity: a, step: 2}\n")
    assert str(error) == 'steps[0].step: the key "step" appears twice (first at line 2, column 6)'
    assert (error.line, error.column) == (2, 28)


def test_keys_that_read_the_same_are_duplicates() -> None:
    error = _error("1: a\n'1': b\n")
    assert str(error) == '1: the key "1" appears twice (first at line 1, column 1)'
    assert (error.line, error.column) == (2, 1)


def test_the_same_key_in_different_mappings_is_fine() -> None:
    data, _ = parse("a: {x: 1}\nb: {x: 2}\n")
    assert data == {"a": {"x": 1}, "b": {"x": 2}}


@pytest.mark.parametrize("text", ["[1, 2]: x\n", "? [1, 2]\n: x\n", "{a: 1}: x\n", "~: x\n"])
def test_a_key_must_be_plain_text(text: str) -> None:
    assert str(_error(text)) == "a mapping key must be plain text"


# -- tags, documents, aliases ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a: !!python/object:os.system x\n", "!!python/object:os.system"),
        ("a: !!python/object/apply:os.system [ls]\n", "!!python/object/apply:os.system"),
        ("a: !!python/name:os.system {}\n", "!!python/name:os.system"),
        ("a: !!binary aGVsbG8=\n", "!!binary"),
        ("a: !!int '3'\n", "!!int"),
        ("a: !!timestamp 2022-03-07\n", "!!timestamp"),
        ("a: !custom 1\n", "!custom"),
        ("!!set {a, b}\n", "!!set"),
    ],
)
def test_tags_are_refused(text: str, shown: str) -> None:
    error = _error(text)
    assert str(error) == f'YAML tags such as "{shown}" are not allowed; write plain values'
    assert error.line == 1


def test_plain_core_tags_for_text_lists_and_mappings_are_allowed() -> None:
    data, _ = parse("a: !!str 1\nb: !!seq [1]\nc: !!map {d: 1}\n")
    assert data == {"a": "1", "b": [1], "c": {"d": 1}}


def test_a_second_document_is_refused() -> None:
    error = _error("a: 1\n---\nb: 2\n")
    assert str(error) == "the file holds more than one YAML document (a second ---)"
    assert (error.line, error.column) == (2, 1)


def test_one_document_with_markers_is_fine() -> None:
    assert parse("---\na: 1\n...\n")[0] == {"a": 1}


def test_aliases_repeat_a_value() -> None:
    data, _ = parse("a: &x [1, 2]\nb: *x\n")
    assert data == {"a": [1, 2], "b": [1, 2]}


def test_an_alias_to_nothing_is_refused() -> None:
    error = _error("a: *nowhere\n")
    assert str(error) == "the alias *nowhere names no anchor defined before it"
    assert (error.line, error.column) == (1, 4)


BOMB = "\n".join(
    [
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi", strict=True)),
    ]
)


def test_an_alias_bomb_stops_at_the_value_limit() -> None:
    error = _error(BOMB)
    assert str(error) == f"the file expands to more than {MAX_VALUES:,} values (too many aliases?)"
    # at the alias that crossed the limit: the first *e on line 6
    assert (error.line, error.column) == (6, 8)


def test_many_values_under_the_limit_are_fine() -> None:
    data, _ = parse("a: &a [" + ", ".join(["1"] * 1000) + "]\nb: [" + ", ".join(["*a"] * 90) + "]\n")
    assert len(data["b"]) == 90


# -- depth -------------------------------------------------------------------------------


@pytest.mark.parametrize("opener", ["[", "- "])
def test_deep_nesting_stops_at_the_depth_limit(opener: str) -> None:
    error = _error(opener * 100_000)
    assert str(error) == f"nested more than {MAX_DEPTH} levels deep"
    assert error.line == 1


def test_deep_block_mappings_stop_at_the_depth_limit() -> None:
    text = "".join(" " * level + f"k{level}:\n" for level in range(100))
    error = _error(text)
    assert str(error) == f"nested more than {MAX_DEPTH} levels deep"
    assert (error.line, error.column) == (MAX_DEPTH + 1, MAX_DEPTH + 1)


def test_nesting_up_to_the_limit_is_fine() -> None:
    data, _ = parse("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    depth = 0
    while isinstance(data, list) and data:
        data, depth = data[0], depth + 1
    assert depth == MAX_DEPTH - 1


# -- syntax errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        (
            "a: 'open\n",
            (2, 1),
            "found unexpected end of stream (while scanning a quoted scalar started at line 1, column 4)",
        ),
        (
            "lanes:\n  - staf\n  kepala: x\n",
            (3, 3),
            "did not find expected '-' indicator "
            "(while parsing a block collection started at line 2, column 3); "
            'an item of this list starts with "- ", and its keys line up under the first',
        ),
        (  # "-" for no time limit, unquoted
            "steps:\n  - step: 1\n    time: -\n",
            (3, 11),
            "block sequence entries are not allowed in this context; "
            'a lone "-" starts a list: for no time limit write it in quotes, "-"',
        ),
        (
            "steps:\n  - step: 1\n    activity: x\n     lanes: [staf]\n",
            (4, 11),
            "mapping values are not allowed in this context; "
            "this key is indented further than the one above it (5 spaces, not 4)",
        ),
        (
            "steps:\n  - step: 1\n     lanes: [staf]\n",
            (3, 11),
            "mapping values are not allowed in this context; "
            "this key is indented further than the one above it (5 spaces, not 4)",
        ),
        (
            "steps:\n  - step: 1\n    activity: x\n\tlanes: [a]\n",
            (4, 1),
            "found a tab character that violates indentation "
            "(while scanning a plain scalar started at line 3, column 15); indent with spaces",
        ),
        (
            "name: a\n  \tb: c\n",
            (2, 5),
            "mapping values are not allowed in this context; "
            "this line is indented with a tab: indent with spaces",
        ),
        (
            "a: {x: 1\n",
            (2, 1),
            "did not find expected ',' or '}' (while parsing a flow mapping started at line 1, column 4)",
        ),
        (
            "activity: Catatan: lihat lampiran\n",
            (1, 18),
            'mapping values are not allowed in this context; put text that contains ": " in quotes',
        ),
        (
            "steps:\n\t- 1\n",
            (2, 1),
            "found character that cannot start any token; this is a tab: indent with spaces",
        ),
        ("a: [\n", (2, 1), "did not find expected node content"),
    ],
)
def test_a_syntax_error_is_one_line_with_a_position(
    text: str, position: tuple[int, int], message: str
) -> None:
    error = _error(text)
    assert str(error) == f"not valid YAML: {message}"
    assert (error.line, error.column) == position


@pytest.mark.parametrize(
    ("text", "position", "code"),
    [("a: x\x00y\n", (1, 5), "0000"), ("a: 1\nb: é\x07\n", (2, 5), "0007"), ("a: \ud800\n", (1, 4), "D800")],
)
def test_a_control_character_is_one_line_with_a_position(
    text: str, position: tuple[int, int], code: str
) -> None:
    error = _error(text)
    assert str(error) == f"the character U+{code} is not allowed in a YAML file: delete it"
    assert (error.line, error.column) == position


@pytest.mark.parametrize(
    ("text", "position", "digits"),
    [
        ("a: 1\nnumber: " + "9" * 5000 + "\n", (2, 9), "5,000"),
        ("steps:\n  - step: -" + "1" * 4301 + "\n", (2, 11), "4,301"),
        ("a: [1, " + "9" * 101 + "]\n", (1, 8), "101"),
        ("? " + "7" * 200 + "\n: x\n", (1, 3), "200"),  # a key
    ],
)
def test_a_whole_number_too_long_to_read_is_refused_at_its_position(
    text: str, position: tuple[int, int], digits: str
) -> None:
    # Python reads at most 4,300 digits: a ValueError inside the reader, once exit 70.
    error = _error(text)
    assert str(error) == (
        f"a whole number of {digits} digits: sopctl reads at most {MAX_DIGITS}; "
        "if it is text, put it in quotes"
    )
    assert (error.line, error.column) == position


def test_long_numbers_that_sopctl_can_read() -> None:
    assert _value("9" * MAX_DIGITS) == int("9" * MAX_DIGITS)
    assert _value('"' + "9" * 5000 + '"') == "9" * 5000  # quoted: text
    assert _value("1" + "0" * 5000 + ".5") == float("inf")  # a float has no digit limit


@pytest.mark.parametrize(
    ("text", "position", "described"),
    [
        ("name: Mutasi \u202egnipmaS\n", (1, 14), "U+202E (RIGHT-TO-LEFT OVERRIDE), which reorders"),
        ("id: kepala\u200b-dinas\n", (1, 11), "U+200B (ZERO WIDTH SPACE), an invisible character"),
        ("a: 1\n# a comment \u2066hid\u2069den\n", (2, 13), "U+2066 (LEFT-TO-RIGHT ISOLATE), which reorders"),
        ("a: x\u061c\n", (1, 5), "U+061C (ARABIC LETTER MARK), which reorders"),
        ("a: b\nc: d\ufeff\n", (2, 5), "U+FEFF (ZERO WIDTH NO-BREAK SPACE), an invisible character"),
        ("a: \u200d\n", (1, 4), "U+200D (ZERO WIDTH JOINER), an invisible character"),
        ("\u202aa: 1\n", (1, 1), "U+202A (LEFT-TO-RIGHT EMBEDDING), which reorders"),
    ],
)
def test_bidi_and_zero_width_characters_are_refused_at_their_position(
    text: str, position: tuple[int, int], described: str
) -> None:
    error = _error(text)
    assert str(error).startswith(f"the file holds {described}")
    assert str(error).endswith(": delete it (editors often do not show it)")
    assert (error.line, error.column) == position


def test_an_escaped_bidi_character_is_refused_at_its_value() -> None:
    error = _error('a: 1\nname: "Mutasi \\u202Egnipmas"\n')
    assert str(error) == (
        "the text holds U+202E (RIGHT-TO-LEFT OVERRIDE), which reorders the text around it "
        "when shown: remove it"
    )
    assert (error.line, error.column) == (2, 7)


def test_a_leading_byte_order_mark_is_not_refused() -> None:
    assert parse("\ufeffa: 1\n")[0] == {"a": 1}  # a copy pinned in the store keeps it


# -- files: encoding and size ------------------------------------------------------------


def test_read_text_strips_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffa: ä\n".encode())
    assert read_text(path) == "a: ä\n"


def test_non_utf8_bytes_are_refused_with_their_position(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"id: x\nname: Pengelolaan\nactivity: Kepala Badan ke Dinas\xe9\n")
    with pytest.raises(YamlError) as caught:
        read_text(path)
    assert str(caught.value) == "not UTF-8 text: byte 0xe9 cannot be read; save the file as UTF-8"
    assert (caught.value.line, caught.value.column) == (3, 32)


def test_the_column_of_a_bad_byte_counts_characters(tmp_path: Path) -> None:
    path = tmp_path / "mixed.yaml"
    # "—" is three bytes in UTF-8; the Latin-1 "é" after it is one bad byte.
    path.write_bytes("id: x\nremarks: Kasubag — Sekretaris ".encode() + b"\xe9\n")
    with pytest.raises(YamlError) as caught:
        read_text(path)
    assert (caught.value.line, caught.value.column) == (2, 31)


def test_a_bad_byte_after_a_byte_order_mark_is_named_and_placed_right(tmp_path: Path) -> None:
    path = tmp_path / "bom-latin1.yaml"
    path.write_bytes(b"\xef\xbb\xbfab: \xff\n")
    with pytest.raises(YamlError) as caught:
        read_text(path)
    assert str(caught.value) == "not UTF-8 text: byte 0xff cannot be read; save the file as UTF-8"
    assert (caught.value.line, caught.value.column) == (1, 5)


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written to disk
    with pytest.raises(YamlError) as caught:
        read_text(path)
    assert str(caught.value) == (
        f"the file is 50.0 MB; sopctl reads files of at most {MAX_BYTES // 1_048_576} MB"
    )


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(YamlError) as caught:
        read_text(tmp_path / "nope.yaml")
    assert str(caught.value) == "no such file"


# -- the source map ----------------------------------------------------------------------

MAPPED = """\
id: contoh
steps:
  - step: 1
    time: 15 Menit
    lanes: [staf, kepala]
  - {step: 2, time: 1 hari}
"""


def test_the_source_map_has_the_position_of_every_value() -> None:
    _, source = parse(MAPPED)
    assert source.values == {
        (): (1, 1),
        ("id",): (1, 5),
        ("steps",): (3, 3),
        ("steps", 0): (3, 5),
        ("steps", 0, "step"): (3, 11),
        ("steps", 0, "time"): (4, 11),
        ("steps", 0, "lanes"): (5, 12),
        ("steps", 0, "lanes", 0): (5, 13),
        ("steps", 0, "lanes", 1): (5, 19),
        ("steps", 1): (6, 5),
        ("steps", 1, "step"): (6, 12),
        ("steps", 1, "time"): (6, 21),
    }


def test_the_source_map_has_the_position_of_every_key() -> None:
    _, source = parse(MAPPED)
    assert source.keys == {
        ("id",): (1, 1),
        ("steps",): (2, 1),
        ("steps", 0, "step"): (3, 5),
        ("steps", 0, "time"): (4, 5),
        ("steps", 0, "lanes"): (5, 5),
        ("steps", 1, "step"): (6, 6),
        ("steps", 1, "time"): (6, 15),
    }


def test_locate_falls_back_to_the_nearest_ancestor() -> None:
    _, source = parse(MAPPED)
    assert source.locate(("steps", 0, "time")) == (4, 11)
    assert source.locate(("steps", 0, "time"), key=True) == (4, 5)
    assert source.locate(("steps", 1, "activity")) == (6, 5)
    assert source.locate(("steps", 1, "activity"), key=True) == (6, 5)
    assert source.locate(("nowhere", 3)) == (1, 1)
    assert SourceMap().locate(("a",)) == (1, 1)


def test_positions_count_characters_not_bytes() -> None:
    _, source = parse("nama: Dinas Pendidikan\nketerangan: é é x\n")
    assert source.values[("keterangan",)] == (2, 13)
    error = _error("é: 1\né: 2\n")
    assert (error.line, error.column) == (2, 1)


# -- without libyaml ----------------------------------------------------------------------


def _outcome(text: str) -> object:
    try:
        data, source = parse(text)
    except YamlError as error:
        return (str(error), error.line, error.column)
    return (data, source.values, source.keys)


@pytest.mark.parametrize(
    "text",
    [
        MAPPED,
        "a: no\nb: 07:30\nc: 2022-03-07\nd: true\ne: 12\nf: 1.5\ng: null\n",
        "name: a\nname: b\n",
        "a: !!python/object:os.system x\n",
        "a: 1\n---\nb: 2\n",
        BOMB,
        "[" * 100_000,
        "- " * 100_000,
        "a: " + "[{x: " * 600,
        "".join(" " * level + f"k{level}:\n" for level in range(1500)),
        "a: x\x00y\n",
    ],
    ids=[
        "positions",
        "scalars",
        "duplicate",
        "tag",
        "documents",
        "bomb",
        "flow depth",
        "block depth",
        "mixed flow depth",
        "deep block mapping",
        "NUL",
    ],
)
def test_the_pure_python_parser_gives_the_same_results(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Where PyYAML has no libyaml (some platforms, some wheels), its Python parser is used.
    with_libyaml = _outcome(text)
    monkeypatch.setattr("sopctl.sop.yamlsource._Parser", yaml.SafeLoader)
    assert _outcome(text) == with_libyaml


def test_an_escaped_control_character_is_refused_with_its_position() -> None:
    with pytest.raises(YamlError) as caught:
        parse('name: ok\ntitle: "rapat \\e[2J"\n')
    assert (caught.value.line, caught.value.column) == (2, 8)
    assert caught.value.message == "the text holds the control character U+001B; remove it"
    assert parse('note: "tab\\there\\nnewline"\n')[0] == {"note": "tab\there\nnewline"}
