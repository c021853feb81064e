"""Worker records (creditengine._record): load_record / load_records and their located errors."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from creditengine import Limits, RecordError, SourceLocation, WorkerRecord, load_record, load_records
from creditengine._limits import DEFAULT_LIMITS
from creditengine._record import _DECIMAL_TOKEN, _json_default, _record_from
from creditengine._yaml import Document, load_documents, load_json, written_text

GOOD = """\
worker:
  id: W-000123
  name: Li Wei
  jurisdiction: shenzhen
  attributes:
    insurance_months: 18
achievements:
  - id: A1
    type: course
    title: Industrial robot operation
    provider: {id: SZ-TB-0042, accredited: true}
    completed: 2023-06-30
    hours: 120
    industry: advanced_manufacturing
    assessment: {passed: true, score: 86, attendance: 0.95}
  - id: A2
    type: certificate
    occupation: 0601
    level: {framework: cn-skill, value: 3}
    completed: 2024-03-01
"""


def write(tmp_path: Path, text: str, name: str = "worker.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def position(text: str, needle: str) -> tuple[int, int]:
    index = text.index(needle)
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def test_a_good_record_loads_with_exact_types(tmp_path: Path) -> None:
    record = load_record(write(tmp_path, GOOD))
    assert isinstance(record, WorkerRecord)
    assert record.worker.id == "W-000123"
    course, certificate = record.achievements
    assert course.hours == Decimal(120)
    assert course.completed == dt.date(2023, 6, 30)
    assert course.assessment is not None and course.assessment.attendance == Decimal("0.95")
    assert certificate.occupation == "0601"  # written unquoted, kept as written
    assert certificate.level is not None and certificate.level.value == "3"
    facts = course.facts()
    assert facts["provider.accredited"] is True
    assert facts["assessment.score"] == Decimal(86)
    assert "level.value" not in facts


def test_a_record_remembers_where_its_parts_came_from(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    record = load_record(path)
    loc = record.locate("achievements", 1, "occupation")
    assert (loc.line, loc.column) == position(GOOD, "0601")
    assert loc.file == str(path)


BAD: list[tuple[str, str, str, str, str]] = [
    # (case, replace this, with this, located at, field in the message)
    ("missing worker id", "  id: W-000123\n", "", "name: Li Wei", "worker"),
    ("negative hours", "hours: 120", "hours: -5", "-5", "achievements[0].hours"),
    (
        "impossible date",
        "completed: 2024-03-01",
        "completed: 2023-02-30",
        "2023-02-30",
        "achievements[1].completed",
    ),
    (
        "duplicate achievement id",
        "  - id: A2",
        "  - id: A1",
        "A1\n    type: certificate",
        "achievements[1].id",
    ),
    ("unknown achievement type", "type: course", "type: seminar", "seminar", "achievements[0].type"),
    (
        "unknown achievement key",
        "    hours: 120\n",
        "    hours: 120\n    colour: red\n",
        "colour",
        "achievements[0].colour",
    ),
    ("unknown worker key", "  name: Li Wei\n", "  name: Li Wei\n  age: 41\n", "age", "worker.age"),
    ("unknown top-level key", "achievements:\n", "notes: x\nachievements:\n", "notes", "notes"),
    ("infinite hours", "hours: 120", "hours: .inf", ".inf", "achievements[0].hours"),
    ("yes is not a number", "hours: 120", "hours: yes", "yes", "achievements[0].hours"),
    (
        "attendance above 1",
        "attendance: 0.95",
        "attendance: 1.5",
        "1.5",
        "achievements[0].assessment.attendance",
    ),
    (
        "text where a flag is wanted",
        "accredited: true",
        "accredited: yes",
        "yes",
        "achievements[0].provider.accredited",
    ),
    ("too many decimal places", "hours: 120", "hours: 1.1234567", "1.1234567", "achievements[0].hours"),
    (
        "a date and time",
        "completed: 2023-06-30",
        "completed: 2023-06-30T10:00:00",
        "2023-06-30T",
        "achievements[0].completed",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "needle", "field"), [case[1:] for case in BAD], ids=[c[0] for c in BAD]
)
def test_a_bad_record_names_file_line_column_and_field(
    tmp_path: Path, old: str, new: str, needle: str, field: str
) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    path = write(tmp_path, text)
    with pytest.raises(RecordError) as info:
        load_record(path)
    line, column = position(text, needle)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}:{column}: "), message
    assert field in message
    assert "\n" not in message  # one problem, one line


def test_a_missing_worker_id_says_which_key_is_missing(tmp_path: Path) -> None:
    with pytest.raises(RecordError) as info:
        load_record(write(tmp_path, GOOD.replace("  id: W-000123\n", "")))
    assert "missing required key 'id'" in str(info.value)


@pytest.mark.parametrize("written", ['""', "''", "", "null"])
def test_an_empty_worker_id_is_refused(tmp_path: Path, written: str) -> None:
    # The worker id is the skill bank key: an empty one identifies nobody.
    path = write(tmp_path, GOOD.replace("id: W-000123", f"id: {written}"))
    with pytest.raises(RecordError) as info:
        load_record(path)
    assert str(info.value).startswith(f"{path}:2:")
    assert "worker.id" in str(info.value)


def test_a_duplicate_achievement_id_points_back_at_the_first(tmp_path: Path) -> None:
    with pytest.raises(RecordError) as info:
        load_record(write(tmp_path, GOOD.replace("  - id: A2", "  - id: A1")))
    assert "duplicate achievement id 'A1'" in str(info.value)
    assert "achievements[0]" in str(info.value)


def test_an_unknown_type_lists_the_known_types(tmp_path: Path) -> None:
    with pytest.raises(RecordError) as info:
        load_record(write(tmp_path, GOOD.replace("type: course", "type: seminar")))
    for kind in ("course", "certificate", "formal_credit", "qualification", "award"):
        assert kind in str(info.value)


def test_every_problem_in_a_record_is_reported(tmp_path: Path) -> None:
    text = GOOD.replace("hours: 120", "hours: -1").replace("completed: 2024-03-01", "completed: 2023-02-30")
    with pytest.raises(RecordError) as info:
        load_record(write(tmp_path, text))
    assert len(info.value.problems) == 2
    assert "achievements[0].hours" in str(info.value)
    assert "achievements[1].completed" in str(info.value)


# --- several records in one file ------------------------------------------------------------------


def test_a_json_list_holds_several_records(tmp_path: Path) -> None:
    records = [
        {"worker": {"id": "W-1"}, "achievements": [{"id": "A1", "type": "award", "completed": "2024-01-01"}]},
        {"worker": {"id": "W-2"}},
    ]
    path = write(tmp_path, json.dumps(records, indent=2), "workers.json")
    loaded = load_records(path)
    assert [r.worker.id for r in loaded] == ["W-1", "W-2"]
    assert loaded[0].achievements[0].completed == dt.date(2024, 1, 1)


def test_an_error_in_the_second_json_record_is_located_in_the_file(tmp_path: Path) -> None:
    records = [
        {"worker": {"id": "W-1"}},
        {
            "worker": {"id": "W-2"},
            "achievements": [{"id": "A1", "type": "course", "completed": "2024-01-01", "hours": -3}],
        },
    ]
    text = json.dumps(records, indent=2)
    path = write(tmp_path, text, "workers.json")
    with pytest.raises(RecordError) as info:
        load_records(path)
    line, column = position(text, "-3")
    assert str(info.value).startswith(f"{path}:{line}:{column}: ")
    assert "hours" in str(info.value)


def test_several_yaml_documents_hold_several_records(tmp_path: Path) -> None:
    path = write(tmp_path, "worker: {id: W-1}\n---\nworker: {id: W-2}\n---\n# nothing\n")
    assert [r.worker.id for r in load_records(path)] == ["W-1", "W-2"]


def test_an_error_in_the_second_yaml_document_is_located_at_its_line(tmp_path: Path) -> None:
    text = "worker: {id: W-1}\n---\nworker: {id: W-2, shoe_size: 42}\n"
    path = write(tmp_path, text)
    with pytest.raises(RecordError) as info:
        load_records(path)
    assert str(info.value).startswith(f"{path}:3:")
    assert "shoe_size" in str(info.value)


def test_load_record_wants_exactly_one_record(tmp_path: Path) -> None:
    path = write(tmp_path, "worker: {id: W-1}\n---\nworker: {id: W-2}\n")
    with pytest.raises(RecordError, match="expected one worker record, found 2"):
        load_record(path)
    empty = write(tmp_path, "# no record here\n", "empty.yaml")
    with pytest.raises(RecordError, match="found 0"):
        load_record(empty)
    assert load_records(empty) == []


@pytest.mark.parametrize("text", ["- 1\n- 2\n", "just text\n", "42\n"])
def test_a_record_must_be_a_mapping(tmp_path: Path, text: str) -> None:
    with pytest.raises(RecordError, match="must be a mapping"):
        load_record(write(tmp_path, text))


def test_a_missing_file_is_a_record_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(RecordError) as info:
        load_record(path)
    assert str(info.value).startswith(str(path))


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("worker: {id: Zoë}\n".encode("latin-1"))
    with pytest.raises(RecordError, match="UTF-8"):
        load_record(path)


def test_the_record_file_size_limit_holds(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    with pytest.raises(RecordError, match="the limit is 100"):
        load_record(path, limits=Limits(record_file_bytes=100))


def test_the_achievement_count_limit_holds(tmp_path: Path) -> None:
    items = [{"id": f"A{i}", "type": "award", "completed": "2024-01-01"} for i in range(3)]
    data = {"worker": {"id": "W-1"}, "achievements": items}
    assert len(load_record(data, limits=Limits(achievements=3)).achievements) == 3
    with pytest.raises(RecordError, match="more than 2 achievements"):
        load_record(data, limits=Limits(achievements=2))


def test_a_tag_in_a_record_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "worker: !!python/object/apply:os.getcwd []\n")
    with pytest.raises(RecordError) as info:
        load_record(path)
    assert str(info.value).startswith(f"{path}:1:9: ")


# --- a dict gets the same checks ------------------------------------------------------------------


def good_dict() -> dict[str, Any]:
    return {
        "worker": {"id": "W-1", "attributes": {"insurance_months": 3}},
        "achievements": [
            {"id": "A1", "type": "course", "completed": dt.date(2024, 1, 5), "hours": Decimal("12.5")},
            {
                "id": "A2",
                "type": "certificate",
                "completed": "2024-02-01",
                "level": {"framework": "cn-skill", "value": 3},
            },
        ],
    }


def test_a_dict_loads_like_a_file() -> None:
    record = load_record(good_dict())
    assert record.achievements[0].hours == Decimal("12.5")
    assert record.achievements[0].completed == dt.date(2024, 1, 5)
    assert record.achievements[1].level is not None and record.achievements[1].level.value == "3"


DICT_BAD: list[tuple[str, Any, str]] = [
    ("missing worker id", lambda d: d["worker"].pop("id"), "worker"),
    ("negative hours", lambda d: d["achievements"][0].update(hours=-1), "achievements[0].hours"),
    (
        "impossible date",
        lambda d: d["achievements"][0].update(completed="2023-02-30"),
        "achievements[0].completed",
    ),
    ("duplicate achievement id", lambda d: d["achievements"][1].update(id="A1"), "achievements[1].id"),
    (
        "unknown achievement type",
        lambda d: d["achievements"][0].update(type="seminar"),
        "achievements[0].type",
    ),
    ("unknown key", lambda d: d["achievements"][0].update(colour="red"), "achievements[0].colour"),
    ("float infinity", lambda d: d["achievements"][0].update(hours=float("inf")), "achievements[0].hours"),
]


@pytest.mark.parametrize(("change", "field"), [c[1:] for c in DICT_BAD], ids=[c[0] for c in DICT_BAD])
def test_a_bad_dict_gets_the_same_located_errors(change: Any, field: str) -> None:
    data = good_dict()
    change(data)
    with pytest.raises(RecordError) as info:
        load_record(data)
    assert field in str(info.value)
    assert info.value.location is not None
    assert info.value.location.line > 0


# --- the fast path: validate first, locate only an error ------------------------------------------
# A dict or a .json file is validated as it stands; only a record that fails is read again with
# every node's position. These tests hold the result to what the position-tracking read reports.


def located_error(text: str, name: str, *, is_json: bool, limits: Limits = DEFAULT_LIMITS) -> RecordError:
    """The error of the position-tracking read (every node located): what the fast path must match."""
    load = load_json if is_json else load_documents
    with pytest.raises(RecordError) as info:
        for top in load(text, name, error=RecordError, limits=limits, what="record file"):
            if top.data is None:
                continue
            listed = isinstance(top.data, list)
            for doc in [top.child(i) for i in range(len(top.data))] if listed else [top]:
                _record_from(doc, limits)
    return info.value


def described(error: RecordError) -> tuple[str, list[tuple[SourceLocation | None, str]]]:
    return str(error), [(problem.location, problem.message) for problem in error.problems]


def deep(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {"leaf": 1}
    for _ in range(levels):
        value = {"d": value}
    return value


FAST_BAD: list[tuple[str, Any, str, Limits]] = [
    # (case, change to good_dict(), in the message, limits)
    ("wrong type", lambda d: d["achievements"][0].update(hours="many"), "expected a number", Limits()),
    ("unknown key", lambda d: d["achievements"][1].update(titel="x"), "unknown key 'titel'", Limits()),
    ("bad date", lambda d: d["achievements"][1].update(completed="2024-02-30"), "not a real date", Limits()),
    ("number over the limit", lambda d: d["achievements"][0].update(hours=10**13), "outside ±", Limits()),
    (
        "too many decimal places",
        lambda d: d["achievements"][0].update(hours=1.1234567),
        "more than 6 decimal places",
        Limits(),
    ),
    ("too deep", lambda d: d["worker"]["attributes"].update(x=deep(70)), "nesting deeper than 64", Limits()),
    ("text too long", lambda d: d["worker"].update(name="n" * 5000), "longer than 4,096", Limits()),
    (
        "key too long",
        lambda d: d["worker"]["attributes"].update({"k" * 5000: 1}),
        "longer than 4,096",
        Limits(),
    ),
    ("duplicate achievement id", lambda d: d["achievements"][1].update(id="A1"), "duplicate", Limits()),
    ("control character in an id", lambda d: d["worker"].update(id="W\x1b[2J"), "U+001B", Limits()),
    ("bidi override in an id", lambda d: d["achievements"][0].update(id="A\u202e1"), "U+202E", Limits()),
    ("missing worker id", lambda d: d["worker"].pop("id"), "missing required key 'id'", Limits()),
    ("not a mapping", lambda d: d.update(worker=["W-1"]), "expected a mapping", Limits()),
    ("too many achievements", lambda d: None, "more than 1 achievements", Limits(achievements=1)),
    ("tilde in an id", lambda d: d["achievements"][0].update(id="A~1"), "reserved", Limits()),
]


def bad_dict(change: Any) -> dict[str, Any]:
    data = good_dict()
    data["achievements"][0]["completed"] = "2024-01-05"  # JSON and YAML files hold text
    data["achievements"][0]["hours"] = 12.5
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "fragment", "limits"), [c[1:] for c in FAST_BAD], ids=[c[0] for c in FAST_BAD]
)
def test_a_bad_dict_is_reported_as_the_located_read_reports_it(
    change: Any, fragment: str, limits: Limits
) -> None:
    data = bad_dict(change)
    with pytest.raises(RecordError) as info:
        load_record(data, limits=limits)
    text = json.dumps(data)  # what load_record(dict) locates in
    assert described(info.value) == described(located_error(text, "<record>", is_json=True, limits=limits))
    assert fragment in str(info.value)
    assert re.match(r"<record>:1:\d+: ", str(info.value)), str(info.value)


@pytest.mark.parametrize(
    ("change", "fragment", "limits"), [c[1:] for c in FAST_BAD], ids=[c[0] for c in FAST_BAD]
)
@pytest.mark.parametrize("form", ["one.json", "list.json", "one.yaml", "documents.yaml"])
def test_a_bad_record_file_is_reported_as_the_located_read_reports_it(
    tmp_path: Path, form: str, change: Any, fragment: str, limits: Limits
) -> None:
    data = bad_dict(change)
    other = {"worker": {"id": "W-0"}}
    if form == "one.json":
        text = json.dumps(data, indent=2)
    elif form == "list.json":
        text = json.dumps([other, data], indent=2)  # the second record is the bad one
    elif form == "one.yaml":
        text = yaml.safe_dump(data, sort_keys=False, width=10_000)
    else:
        text = yaml.safe_dump_all([other, data], sort_keys=False, width=10_000)
    path = write(tmp_path, text, form)
    with pytest.raises(RecordError) as info:
        load_records(path, limits=limits)
    reference = located_error(text, str(path), is_json=form.endswith(".json"), limits=limits)
    assert described(info.value) == described(reference)
    assert fragment in str(info.value)
    location = info.value.location
    assert location is not None and location.file == str(path) and location.line >= 1, str(info.value)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"worker": {"id": "W-1", "id": "W-2"}}', "duplicate key 'id'"),
        ('{"worker": {"id": "W-1"},}', "a comma before '}'"),
        ('{"worker": {"id": "W-1"}, "achievements": [{"hours": NaN}]}', "expected a JSON value"),
        ('{"worker": {"id": "W-\x1b"}}', "control character U+001B"),
        ('{"worker": {"id": "W-1"}} // note', "comments are not allowed"),
        ("{'worker': 1}", "a key is text in double quotes"),
        ('{"worker": {"id": "W-1"}}\n{"worker": {"id": "W-2"}}', "after the JSON value"),
    ],
)
def test_json_the_json_module_refuses_is_located_as_before(tmp_path: Path, text: str, fragment: str) -> None:
    path = write(tmp_path, text, "worker.json")
    with pytest.raises(RecordError) as info:
        load_records(path)
    assert described(info.value) == described(located_error(text, str(path), is_json=True))
    assert fragment in str(info.value)
    assert info.value.location is not None and info.value.location.line >= 1


def test_a_dict_loads_the_values_the_json_round_trip_gives() -> None:
    # load_record(dict) used to write the dict as JSON and read it back: keep every value's type.
    data = good_dict()
    data["worker"]["attributes"].update(
        ratio=0.1, big=1e16, exact=Decimal("1.50"), whole=Decimal("5"), day=dt.date(2020, 1, 2), n=[1, 2.5]
    )
    data["achievements"][0]["title"] = 2024.10  # a float where text is wanted: its JSON text
    record = load_record(data)
    text = _DECIMAL_TOKEN.sub(r"\1", json.dumps(data, default=_json_default))
    [doc] = load_json(text, "<record>", error=RecordError)
    expected = _record_from(doc, Limits())
    assert record == expected
    for key, value in expected.worker.attributes.items():
        got = record.worker.attributes[key]
        assert (type(got), got, written_text(got)) == (type(value), value, written_text(value)), key
    assert record.achievements[0].title == "2024.1"
    assert written_text(record.worker.attributes["big"]) == "1e+16"


def test_a_record_holds_no_source_document(tmp_path: Path) -> None:
    # A record once kept its file's every position: megabytes when pickled from a large file.
    data = bad_dict(lambda d: None)
    items = [{**data, "worker": {**data["worker"], "id": f"W-{i}"}} for i in range(300)]
    json_path = write(tmp_path, json.dumps(items, indent=2), "workers.json")
    yaml_path = write(tmp_path, yaml.safe_dump_all(items, sort_keys=False), "workers.yaml")
    records = [load_record(data), load_records(json_path)[150], load_records(yaml_path)[150]]
    alone = len(pickle.dumps(load_record(data).model_copy()))
    for record in records:
        assert len(pickle.dumps(record)) < alone + 1_000


def test_a_json_record_locates_its_attributes_in_its_file(tmp_path: Path) -> None:
    items = [
        {"worker": {"id": f"W-{i}", "attributes": {"months": i, "programme": {"track": "x"}}}}
        for i in range(3)
    ]
    text = json.dumps(items, indent=2)
    path = write(tmp_path, text, "workers.json")
    record = load_records(path)[2]
    months = record.locate("worker", "attributes", "months")
    line, column = position(text, '"months": 2')
    assert (months.file, months.line, months.column) == (str(path), line, column + len('"months": '))
    assert months.path == (2, "worker", "attributes", "months")
    track = record.locate("worker", "attributes", "programme", "track")
    assert track == located_doc(text, path).locate((2, "worker", "attributes", "programme", "track"))
    missing = record.locate("worker", "attributes", "absent", "deeper")
    assert missing == located_doc(text, path).locate((2, "worker", "attributes", "absent", "deeper"))
    other = record.locate("worker", "id")  # not an attribute: the file is read again
    assert other == located_doc(text, path).locate((2, "worker", "id"))


def located_doc(text: str, path: Path) -> Document:
    load = load_json if path.suffix == ".json" else load_documents
    [doc] = load(text, str(path), error=RecordError)
    return doc


def test_a_yaml_record_locates_its_attributes_without_reading_again(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    record = load_record(path)
    path.unlink()  # the positions of its attributes were kept
    loc = record.locate("worker", "attributes", "insurance_months")
    assert (loc.line, loc.column) == position(GOOD, "18")


def test_a_record_file_changed_since_loading_is_named_without_a_line(tmp_path: Path) -> None:
    path = write(tmp_path, json.dumps({"worker": {"id": "W-1", "attributes": {"months": 3}}}), "w.json")
    record = load_record(path)
    path.write_text("\n\n" + path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    loc = record.locate("worker", "attributes", "months")
    assert (loc.file, loc.line, str(loc)) == (str(path), 0, str(path))


def test_a_dict_record_locates_by_worker() -> None:
    record = load_record(good_dict())
    loc = record.locate("worker", "attributes", "insurance_months")
    assert str(loc) == "<record of worker W-1>"
    assert loc.field == "worker.attributes.insurance_months"
