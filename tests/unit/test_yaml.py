"""Located YAML loading (creditengine._yaml): positions, YAML 1.1 surprises, hostile input."""

from __future__ import annotations

import datetime as dt
import json
import time
from decimal import Decimal

import pytest

from creditengine import Limits, RecordError, RuleSyntaxError
from creditengine._models import Num, Strict, Text, validate
from creditengine._yaml import (
    Document,
    NeedsLocating,
    load_documents,
    load_json,
    python_values,
    read_json,
    written_text,
)


def load(text: str, *, limits: Limits | None = None, file: str = "f.yaml") -> Document:
    kwargs = {"limits": limits} if limits is not None else {}
    docs = load_documents(text, file, error=RuleSyntaxError, **kwargs)
    assert len(docs) == 1
    return docs[0]


def refused(text: str, *, limits: Limits | None = None) -> RuleSyntaxError:
    kwargs = {"limits": limits} if limits is not None else {}
    with pytest.raises(RuleSyntaxError) as info:
        load_documents(text, "f.yaml", error=RuleSyntaxError, **kwargs)
    return info.value


class Versioned(Strict):
    version: Text


class Amount(Strict):
    amount: Num


# --- positions ------------------------------------------------------------------------------------

NESTED = """\
name: shenzhen
scale:
  decimals: 1
  levels: [5, 4, 3]
rules:
  - id: first
  - id: second
"""


def test_values_keep_their_line_and_column() -> None:
    doc = load(NESTED)
    decimals = doc.locate(("scale", "decimals"))
    assert (decimals.line, decimals.column) == (3, 13)
    assert str(decimals) == "f.yaml:3:13"
    assert decimals.field == "scale.decimals"
    third_level = doc.locate(("scale", "levels", 2))
    assert (third_level.line, third_level.column) == (4, 18)
    second_id = doc.locate(("rules", 1, "id"))
    assert (second_id.line, second_id.column) == (7, 9)
    assert second_id.field == "rules[1].id"


def test_keys_keep_their_line_and_column() -> None:
    doc = load(NESTED)
    key = doc.locate(("scale", "levels"), key=True)
    assert (key.line, key.column) == (4, 3)
    top = doc.locate(("rules",), key=True)
    assert (top.line, top.column) == (5, 1)


def test_a_missing_path_is_located_at_the_nearest_enclosing_node() -> None:
    doc = load(NESTED)
    loc = doc.locate(("scale", "rounding"))
    assert (loc.line, loc.column) == (3, 3)  # where the scale mapping starts
    assert loc.path == ("scale", "rounding")


def test_documents_in_one_file_keep_file_line_numbers() -> None:
    docs = load_documents("a: 1\n---\nb: 2\n---\nc:\n  d: 3\n", "f.yaml", error=RuleSyntaxError)
    assert [d.data for d in docs] == [{"a": 1}, {"b": 2}, {"c": {"d": 3}}]
    loc = docs[2].locate(("c", "d"))
    assert (loc.line, loc.column) == (6, 6)


def test_unreadable_yaml_is_located_and_uses_the_requested_error_class() -> None:
    with pytest.raises(RecordError) as info:
        load_documents("a: 1\nb: [unclosed\n", "r.yaml", error=RecordError)
    assert info.value.location is not None
    assert info.value.location.file == "r.yaml"
    assert info.value.location.line >= 2
    assert str(info.value).startswith("r.yaml:")


# --- duplicate keys -------------------------------------------------------------------------------


def test_duplicate_key_is_an_error_at_the_second_key() -> None:
    error = refused("a: 1\nb: 2\na: 3\n")
    assert "duplicate key 'a'" in str(error)
    assert "line 1" in error.message
    assert error.location is not None
    assert (error.location.line, error.location.column) == (3, 1)
    assert str(error).startswith("f.yaml:3:1: ")


def test_duplicate_key_in_a_nested_mapping_names_its_path() -> None:
    error = refused("outer:\n  x: 1\n  inner:\n    k: 1\n    k: 2\n")
    assert error.location is not None
    assert (error.location.line, error.location.column) == (5, 5)
    assert error.location.path == ("outer", "inner", "k")
    assert "first at line 4" in error.message


# --- YAML 1.1 surprises ---------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["no", "No", "NO", "yes", "Yes", "on", "On", "off", "OFF", "y", "n"])
def test_yaml_11_booleans_stay_text(word: str) -> None:
    assert load(f"answer: {word}\n").data == {"answer": word}


@pytest.mark.parametrize(("word", "value"), [("true", True), ("false", False), ("True", True)])
def test_true_and_false_are_booleans(word: str, value: bool) -> None:
    assert load(f"answer: {word}\n").data["answer"] is value


@pytest.mark.parametrize("written", ["2024.1", "1.0", "007", "10", "2024-01-05", "1e3"])
def test_a_text_field_keeps_a_number_or_date_as_written(written: str) -> None:
    doc = load(f"version: {written}\n")
    assert validate(Versioned, doc, RuleSyntaxError).version == written


def test_version_2024_10_is_not_read_as_2024_1() -> None:
    doc = load("version: 2024.10\n")
    assert validate(Versioned, doc, RuleSyntaxError).version == "2024.10"


def test_numbers_with_a_fraction_are_exact_decimals() -> None:
    data = load("a: 0.1\nb: 12.50\nc: 3\n").data
    assert data["a"] == Decimal("0.1")
    assert isinstance(data["a"], Decimal)
    assert data["b"] == Decimal("12.50")
    assert data["c"] == 3


@pytest.mark.parametrize("written", [".inf", "-.inf", "+.inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"])
def test_infinity_and_nan_are_refused_as_numbers(written: str) -> None:
    doc = load(f"amount: {written}\n")
    with pytest.raises(RuleSyntaxError) as info:
        validate(Amount, doc, RuleSyntaxError)
    assert str(info.value).startswith("f.yaml:1:9: ")
    assert "amount" in str(info.value)
    assert "number" in str(info.value)


@pytest.mark.parametrize("written", [".inf", ".nan"])
def test_infinity_and_nan_stay_text_where_text_is_wanted(written: str) -> None:
    doc = load(f"version: {written}\n")
    assert validate(Versioned, doc, RuleSyntaxError).version == written


def test_a_number_too_large_is_refused_with_its_location() -> None:
    doc = load("# a huge amount\namount: 1e400\n")
    with pytest.raises(RuleSyntaxError) as info:
        validate(Amount, doc, RuleSyntaxError)
    assert str(info.value).startswith("f.yaml:2:9: ")


# --- refused YAML ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "!!python/object:os.system {}",
        "!!python/object/apply:os.system ['echo pwned']",
        "!!python/name:os.system",
        "!!python/module:os",
        "!foo bar",
        "!foo {a: 1}",
        "!!binary aGVsbG8=",
        "!!set {a, b}",
    ],
)
def test_custom_and_python_tags_are_refused(value: str) -> None:
    error = refused(f"name: x\nhook: {value}\n")
    assert "tag" in error.message
    assert "not allowed" in error.message
    assert error.location is not None
    assert (error.location.line, error.location.column) == (2, 7)


def test_a_python_tag_in_a_record_is_a_record_error() -> None:
    with pytest.raises(RecordError) as info:
        load_documents("worker: !!python/object/apply:os.getcwd []\n", "w.yaml", error=RecordError)
    assert str(info.value).startswith("w.yaml:1:9: ")


def test_merge_keys_are_refused() -> None:
    error = refused("base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n")
    assert "merge" in error.message
    assert error.location is not None
    assert (error.location.line, error.location.column) == (3, 3)


BILLION_LAUGHS = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def test_an_alias_bomb_is_refused_quickly() -> None:
    started = time.perf_counter()
    error = refused(BILLION_LAUGHS)
    assert time.perf_counter() - started < 1.0
    assert "alias" in error.message
    assert "10,000" in error.message
    assert error.location is not None and error.location.line > 0


def test_a_few_aliases_are_fine() -> None:
    data = load("base: &b {k: 1}\nx: *b\ny: *b\n").data
    assert data == {"base": {"k": 1}, "x": {"k": 1}, "y": {"k": 1}}


def test_the_alias_limit_is_configurable() -> None:
    text = "base: &b {k: 1}\nx: *b\ny: *b\nz: *b\n"
    error = refused(text, limits=Limits(alias_nodes=2))
    assert "alias" in error.message


def test_a_recursive_alias_is_refused() -> None:
    error = refused("a: &a [1, *a]\n")
    assert "recursive" in error.message


def _nested(levels: int) -> str:
    return "a: " + "[" * levels + "]" * levels + "\n"


def test_nesting_up_to_the_depth_limit_is_read() -> None:
    data = load(_nested(64)).data
    depth, node = 0, data["a"]
    while node:
        node = node[0]
        depth += 1
    assert depth == 63


def test_nesting_past_the_depth_limit_is_refused() -> None:
    error = refused(_nested(65))
    assert "nesting deeper than 64" in error.message
    assert error.location is not None and error.location.line == 1


def test_the_depth_limit_is_configurable() -> None:
    assert load(_nested(3), limits=Limits(depth=3)).data == {"a": [[[]]]}
    assert "deeper than 3" in refused(_nested(4), limits=Limits(depth=3)).message


def test_a_string_at_the_length_limit_is_read() -> None:
    assert load("a: " + "x" * 4096 + "\n").data["a"] == "x" * 4096


@pytest.mark.parametrize("quote", ["", '"', "'"])
def test_a_string_past_the_length_limit_is_refused(quote: str) -> None:
    error = refused(f"name: x\na: {quote}{'x' * 4097}{quote}\n")
    assert "4,096 characters" in error.message
    assert error.location is not None
    assert (error.location.line, error.location.column) == (2, 4)


def test_a_block_string_past_the_length_limit_is_refused() -> None:
    error = refused("a: |\n  " + "x" * 4097 + "\n")
    assert "4,096 characters" in error.message


def test_the_string_limit_is_configurable() -> None:
    assert "10 characters" in refused("a: abcdefghijk\n", limits=Limits(string_chars=10)).message


def test_a_mapping_key_past_the_length_limit_is_refused() -> None:
    # An explicit key (``? ...``) is a string too; the 4,096-character limit must hold for keys.
    error = refused("? " + "k" * 5000 + "\n: 1\n")
    assert "4,096 characters" in error.message


def test_a_mapping_key_must_be_plain_text() -> None:
    error = refused("? [a, b]\n: 1\n")
    assert "key" in error.message


# --- JSON -----------------------------------------------------------------------------------------

JSON_RECORD = """\
{
  "worker": {"id": "W-1"},
  "achievements": [
    {"id": "A1", "type": "course", "completed": "2024-01-05",
     "hours": 12.5, "passed": true, "note": null}
  ]
}
"""


def test_json_is_read_with_positions() -> None:
    doc = load(JSON_RECORD, file="r.json")
    assert doc.data["worker"] == {"id": "W-1"}
    hours = doc.locate(("achievements", 0, "hours"))
    assert (hours.line, hours.column) == (5, 15)
    assert str(hours) == "r.json:5:15"
    item = doc.locate(("achievements", 0))
    assert (item.line, item.column) == (4, 5)
    key = doc.locate(("achievements", 0, "completed"), key=True)
    assert (key.line, key.column) == (4, 36)


def test_json_values_have_json_types() -> None:
    data = load(JSON_RECORD, file="r.json").data
    item = data["achievements"][0]
    assert item["completed"] == "2024-01-05"  # a JSON string stays text
    assert item["hours"] == Decimal("12.5")
    assert item["passed"] is True
    assert item["note"] is None


def test_json_duplicate_keys_are_refused() -> None:
    error = refused('{"a": 1,\n "a": 2}')
    assert "duplicate key 'a'" in error.message
    assert error.location is not None
    assert (error.location.line, error.location.column) == (2, 2)


def test_tab_indented_json_is_read() -> None:
    text = '{\n\t"worker": {\n\t\t"id": "W-1"\n\t}\n}\n'
    doc = load(text, file="r.json")
    assert doc.data == {"worker": {"id": "W-1"}}
    assert doc.locate(("worker", "id")).line == 3


# --- reading without positions --------------------------------------------------------------------


def typed(value: object) -> object:
    """A value with the type and written text of every part, for comparing readers."""
    if isinstance(value, dict):
        return {key: typed(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [typed(inner) for inner in value]
    return (type(value).__name__, value, written_text(value))


def test_the_json_module_reads_the_values_the_located_reader_does() -> None:
    text = '{"a": [1, -0, 1.50, 1e400, 2024.10, "x\\u00e9", true, null], "b": {"c": 0.000001, "d": ""}}'
    [doc] = load_json(text, "f.json", error=RecordError)
    assert typed(read_json(text, "f.json", error=RecordError)) == typed(doc.data)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}',
        '{"a": NaN}',
        '{"a": -Infinity}',
        '{"a": 1,}',
        "{'a': 1}",
        "",
        '{"a": "' + "x" * 5000 + '"}',
        '{"' + "k" * 5000 + '": 1}',
        "[" * 70 + "]" * 70,
        "[" * 100_000,
        '{"a": 1} {"b": 2}',
    ],
    ids=lambda text: text[:20],
)
def test_json_the_located_reader_refuses_is_left_to_it(text: str) -> None:
    with pytest.raises(NeedsLocating):
        read_json(text, "f.json", error=RecordError)


def test_a_control_character_in_json_is_located_by_either_reader() -> None:
    with pytest.raises(RecordError) as info:
        read_json('{\n  "a": "\x1b"}', "f.json", error=RecordError)
    assert str(info.value).startswith("f.json:2:9: ")


def test_python_values_are_what_the_json_round_trip_reads() -> None:
    data = {
        "f": [0.1, 1e16, 2.0],
        "d": [Decimal("1.50"), Decimal("5"), Decimal("1E+3")],
        "n": [7, True, None],
    }
    text = (
        json.dumps(data, default=str).replace('"1.50"', "1.50").replace('"5"', "5").replace('"1E+3"', "1E+3")
    )
    [doc] = load_json(text, "f.json", error=RecordError)
    assert typed(python_values(data)) == typed(doc.data)
    assert python_values({"day": dt.date(2024, 2, 1)}) == {"day": "2024-02-01"}


@pytest.mark.parametrize(
    "value",
    [
        (1, 2),
        {1, 2},
        dt.datetime(2024, 1, 1, 10, 0),
        float("nan"),
        Decimal("Infinity"),
        "\x00decimal:5",
        {1: "a"},
        "x" * 5000,
        10**5000,
        {"d": [[[]]]},
    ],
    ids=lambda value: type(value).__name__,
)
def test_python_values_leave_anything_unusual_to_the_round_trip(value: object) -> None:
    with pytest.raises(NeedsLocating):
        python_values({"v": value}, Limits(depth=3))
