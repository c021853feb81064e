"""Errors that teach (issue 9): the four mistakes a new policy officer made, each answered with
what to write instead, at FILE:LINE:COL.

- a worker attribute written at worker level (or at the top of the record) is sent to
  ``worker.attributes``;
- an unknown condition operator lists every operator and what it tests;
- a wrong period (``per: semester``) says that ``half`` is a half year, a semester;
- a title cut by an unquoted comma in a flow mapping (``{en: A, B}``) says to quote the text.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from creditengine import Engine, RecordError, RuleError, load_record, load_records
from creditengine._expr import OPERATORS
from creditengine._lower import OPERATOR_WORDS
from creditengine._schemas import json_schemas

ROOT = Path(__file__).resolve().parents[2]
ATTRIBUTE_HINT = (
    "for a worker attribute (declared in pack.yaml under attributes:), put it under worker.attributes"
)


def record_problems(tmp_path: Path, name: str, text: str) -> list[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RecordError) as info:
        load_records(path)
    return [str(problem).replace(f"{tmp_path}/", "") for problem in info.value.problems]


def pack_problems(tmp_path: Path, file: str, old: str, new: str) -> list[str]:
    """The default pack, copied and edited once: its located problems, relative to the copy."""
    root = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", root)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RuleError) as info:
        Engine.load(root)
    return [str(problem).replace(f"{tmp_path}/", "") for problem in info.value.problems]


# --- a worker attribute one level too high -------------------------------------------------------


def test_a_misplaced_attribute_the_pack_declares_is_named_when_the_pack_is_given(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    text = "worker:\n  id: W-1\n  insurance_months: 18\n  programme: {track: associate}\nbonus: 1\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RecordError) as info:
        load_records(path, attributes=Engine.load().attributes)
    assert [str(p).replace(f"{tmp_path}/", "") for p in info.value.problems] == [
        "w.yaml:3:3: unknown key 'insurance_months': the pack declares insurance_months as a worker "
        "attribute; put it under worker.attributes (worker: {attributes: {insurance_months: ...}}) "
        "(at worker.insurance_months)",
        "w.yaml:4:3: unknown key 'programme': the pack declares programme.major, programme.track as "
        "worker attributes; put it under worker.attributes (worker: {attributes: {programme: ...}}) "
        "(at worker.programme)",
        "w.yaml:5:1: unknown key 'bonus': only worker and achievements are allowed here; " + ATTRIBUTE_HINT,
    ]


def test_the_default_pack_declares_the_attribute_these_records_misplace() -> None:
    assert "insurance_months" in dict(Engine.load().pack.attributes)


def test_an_attribute_at_worker_level_is_sent_to_worker_attributes(tmp_path: Path) -> None:
    text = "worker:\n  id: W-1\n  insurance_months: 18\nachievements: []\n"
    assert record_problems(tmp_path, "w.yaml", text) == [
        "w.yaml:3:3: unknown key 'insurance_months': only id, name, jurisdiction and attributes are "
        f"allowed here; {ATTRIBUTE_HINT} (at worker.insurance_months)"
    ]


def test_an_attribute_at_the_top_of_a_record_is_sent_to_worker_attributes(tmp_path: Path) -> None:
    text = "worker: {id: W-1}\nprogramme: {track: associate}\n"
    assert record_problems(tmp_path, "w.yaml", text) == [
        "w.yaml:2:1: unknown key 'programme': only worker and achievements are allowed here; "
        + ATTRIBUTE_HINT
    ]


def test_the_hint_is_the_same_in_a_json_record_and_a_dict(tmp_path: Path) -> None:
    data = {"worker": {"id": "W-1", "insurance_months": 18}}
    [problem] = record_problems(tmp_path, "w.json", json.dumps(data, indent=2))
    assert problem.startswith("w.json:4:5: unknown key 'insurance_months': only id, name")
    assert problem.endswith(f"{ATTRIBUTE_HINT} (at worker.insurance_months)")
    with pytest.raises(RecordError) as info:
        load_record(data)
    assert ATTRIBUTE_HINT in str(info.value)


def test_a_misspelt_worker_key_gets_the_key_meant_not_the_attribute_hint(tmp_path: Path) -> None:
    text = "worker: {id: W-1, atributes: {insurance_months: 18}}\n"
    assert record_problems(tmp_path, "w.yaml", text) == [
        "w.yaml:1:19: unknown key 'atributes' (did you mean 'attributes'?) (at worker.atributes)"
    ]


def test_an_unknown_achievement_key_gets_no_attribute_hint(tmp_path: Path) -> None:
    text = "worker: {id: W-1}\nachievements:\n  - {id: A1, type: course, completed: 2024-01-01, grade: B}\n"
    assert record_problems(tmp_path, "w.yaml", text) == [
        "w.yaml:3:51: unknown key 'grade' (at achievements[0].grade)"
    ]


def test_an_attribute_on_an_achievement_is_sent_to_worker_attributes(tmp_path: Path) -> None:
    # A new user's trial: insurance_months on an achievement got "did you mean 'hours'?".
    path = tmp_path / "w.yaml"
    text = (
        "worker: {id: W-1}\nachievements:\n"
        "  - {id: A1, type: course, completed: 2024-01-01, insurance_months: 3}\n"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RecordError) as info:
        load_records(path, attributes=Engine.load().attributes)
    assert [str(p).replace(f"{tmp_path}/", "") for p in info.value.problems] == [
        "w.yaml:3:51: unknown key 'insurance_months': the pack declares insurance_months as a worker "
        "attribute, which describes the worker, not one achievement; put it under worker.attributes "
        "(worker: {attributes: {insurance_months: ...}}) (at achievements[0].insurance_months)"
    ]


def test_an_attribute_value_in_another_case_suggests_the_declared_one(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("worker: {id: W-1, attributes: {programme.track: Associate}}\n", encoding="utf-8")
    with pytest.raises(RecordError) as info:
        Engine.load().evaluate(load_record(path), as_of=dt.date(2025, 12, 31))
    assert "'Associate' is not one of associate, bachelor (did you mean 'associate'?)" in str(info.value)


# --- an unknown operator -------------------------------------------------------------------------


def test_an_unknown_operator_lists_every_operator(tmp_path: Path) -> None:
    problems = pack_problems(
        tmp_path, "policies/highly-skilled-worker.yaml", "level.value: {gte: 3}", "level.value: {greater: 3}"
    )
    assert problems == [
        "rules/policies/highly-skilled-worker.yaml:16:90: unknown operator 'greater' (did you mean 'gte'?); "
        "the operators are eq and ne (equal, not equal), in and not_in (one of a list, none of it), "
        "gt, gte, lt and lte (more than, at least, less than, at most), between ([low, high], both "
        "included), exists (true or false), and contains and starts_with (text holding, or beginning "
        "with, a text; ignore_case: true beside them ignores case) "
        "(at requires.any[0].achievement.level.value.greater)"
    ]


def test_the_operator_list_names_every_operator_the_parser_knows() -> None:
    named = {word.strip("(),") for word in OPERATOR_WORDS.split()}
    assert set(OPERATORS) <= named


# --- per: half is a half year (semester) ---------------------------------------------------------

PERIODS = (
    "must be one of 'year', 'half', 'quarter', 'month' or 'lifetime' "
    "(half = a half year (semester): six months from year_starts)"
)


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("semester", " (did you mean 'half'?)"),
        ("half-year", " (did you mean 'half'?)"),
        ("yera", " (did you mean 'year'?)"),
        ("fortnight", ""),
    ],
)
def test_a_wrong_cap_period_explains_half_as_a_semester(tmp_path: Path, written: str, hint: str) -> None:
    problems = pack_problems(tmp_path, "adjustments/caps-and-validity.yaml", "per: year,", f"per: {written},")
    assert problems == [
        "rules/adjustments/caps-and-validity.yaml:28:25: rules[1].cap.per: "
        f"{PERIODS}, got text {written!r}{hint}"
    ]


def test_a_wrong_claim_limit_period_explains_half_too(tmp_path: Path) -> None:
    problems = pack_problems(
        tmp_path,
        "policies/skill-upgrade-subsidy.yaml",
        "max_claims: {count: 3, per: year}",
        "max_claims: {count: 3, per: semester}",
    )
    assert problems == [
        "rules/policies/skill-upgrade-subsidy.yaml:17:29: max_claims.per: "
        f"{PERIODS}, got text 'semester' (did you mean 'half'?)"
    ]


def test_editors_show_what_half_means_too() -> None:
    schemas = json_schemas()
    cap = schemas["adjustment"]["$defs"]["CapModel"]["properties"]["per"]
    claims = schemas["entitlement"]["$defs"]["MaxClaimsModel"]["properties"]["per"]
    for per in (cap, claims):
        assert "half (a half year: a semester)" in per["description"]
        assert per["enum"] == ["year", "half", "quarter", "month", "lifetime"]


# --- an unquoted comma in a flow mapping ---------------------------------------------------------

QUOTE = "a comma in {...} ends the text before it, and YAML read the rest as another key; quote this text"


def test_a_title_cut_by_a_comma_says_to_quote_it(tmp_path: Path) -> None:
    problems = pack_problems(
        tmp_path,
        "adjustments/caps-and-validity.yaml",
        'title: {en: "Priority industries, caps and validity"',
        "title: {en: Priority industries, caps and validity",
    )
    assert problems == [
        f"rules/adjustments/caps-and-validity.yaml:12:34: unknown key 'caps and validity': {QUOTE}: "
        'en: "Priority industries, caps and validity" (at title.caps and validity)'
    ]


def test_a_title_cut_by_two_commas_is_one_problem_with_the_whole_text(tmp_path: Path) -> None:
    problems = pack_problems(
        tmp_path,
        "adjustments/caps-and-validity.yaml",
        "title: {en: At most 60 course points per calendar year",
        "title: {en: At most 60 course points, per calendar year, courses only",
    )
    assert problems == [
        f"rules/adjustments/caps-and-validity.yaml:26:43: unknown key 'per calendar year': {QUOTE}: "
        'en: "At most 60 course points, per calendar year, courses only" '
        "(at rules[1].title.per calendar year)"
    ]


def test_a_record_name_cut_by_a_comma_says_to_quote_it(tmp_path: Path) -> None:
    text = (
        "worker: {id: W-1}\nachievements:\n"
        "  - id: A1\n    type: course\n    completed: 2024-01-01\n"
        "    provider: {id: SZPT, name: Shenzhen Polytechnic, training base}\n"
    )
    assert record_problems(tmp_path, "w.yaml", text) == [
        f"w.yaml:6:54: unknown key 'training base': {QUOTE}: "
        'name: "Shenzhen Polytechnic, training base" (at achievements[0].provider.training base)'
    ]


def test_a_key_without_a_value_on_its_own_line_is_not_taken_for_cut_text(tmp_path: Path) -> None:
    text = "worker:\n  id: W-1\n  name: Li Wei\n  months_insured:\n"
    [problem] = record_problems(tmp_path, "w.yaml", text)
    assert "quote this text" not in problem
    assert ATTRIBUTE_HINT in problem


def test_json_text_is_quoted_so_a_null_key_is_not_taken_for_cut_text(tmp_path: Path) -> None:
    text = '{"worker": {"id": "W-1", "name": "Li Wei", "nickname": null}}'
    [problem] = record_problems(tmp_path, "w.json", text)
    assert "quote this text" not in problem
