"""What staff could not say directly before (issue 9), on the fixture pack tests/packs/language:
exclusions of learning no conversion prices, one achievement's own points in a requirement,
named lists, text tests, cap limits by worker attribute, which entries a cap cuts first, a
programme size from the worker's record, and a transitional value as a date condition. Every
record is evaluated by both evaluators (``evaluate_with``), and every invalid use is refused at
FILE:LINE:COL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from packtools import AS_OF, Broken, Edit, evaluate_with, worker

from creditengine import Engine, Result, load_record

PACK = "language"
PACK_YAML = "pack.yaml"
LEARNING = "conversions/learning.yaml"
LIMITS = "adjustments/limits.yaml"
DIPLOMA = "policies/diploma-holder.yaml"
SUBSIDY = "policies/shortage-subsidy.yaml"
TRANSFER = "policies/programme-transfer.yaml"
ASSOCIATE = {"track": "associate", "major": "Mechatronics", "credits": 60}
BACHELOR = {"track": "bachelor", "major": "Mechatronics", "credits": 240}


def cert(ident: str, occupation: str, level: int | None, completed: str = "2024-03-01") -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": ident,
        "type": "certificate",
        "title": "Certificate",
        "occupation": occupation,
    }
    if level is not None:
        out["level"] = {"framework": "cn-skill", "value": level}
    return {**out, "completed": completed}


def credit(ident: str, value: int, field: str, completed: str = "2024-01-10") -> dict[str, Any]:
    credits = {"value": value, "system": "cn-higher-ed"}
    return {
        "id": ident,
        "type": "formal_credit",
        "title": "Credit",
        "credits": credits,
        "field": field,
        "completed": completed,
    }


def course(ident: str, hours: int, completed: str, title: str = "Course") -> dict[str, Any]:
    return {"id": ident, "type": "course", "title": title, "hours": hours, "completed": completed}


def diploma(ident: str, credits: int, title: str = "Higher DIPLOMA in Engineering") -> dict[str, Any]:
    value = {"value": credits, "system": "hkqf"}
    return {"id": ident, "type": "qualification", "title": title, "credits": value, "completed": "2019-07-01"}


def entries(result: Result, lang: str = "en") -> dict[str, dict[str, Any]]:
    return {e["achievement"]: e for e in result.to_dict(lang)["ledger"]}


def effects(result: Result, achievement: str, lang: str = "en") -> list[str]:
    return [a["effect"] for a in entries(result, lang)[achievement]["adjustments"]]


def points(result: Result) -> dict[str, str]:
    return {ident: e["points"] for ident, e in entries(result).items()}


# --- 1. exclusion of learning no conversion matches ------------------------------------------


def test_an_exclusion_names_unconverted_learning_with_its_reason_and_no_minus_zero() -> None:
    result = evaluate_with(PACK, worker(cert("A1", "4-99-00-01", None), programme=ASSOCIATE))
    entry = entries(result)["A1"]
    assert (entry["rule"], entry["base"], entry["points"], entry["status"]) == (
        "limits/withdrawn",
        "0",
        "0",
        "excluded",
    )
    assert effects(result, "A1") == [
        "excluded: occupation withdrawn from the national catalogue (no conversion matched it)"
    ]
    assert effects(result, "A1", "zh") == ["不计分：该职业已退出国家职业资格目录（无换算规则适用）"]
    assert "-0" not in result.to_json()
    assert result.to_dict()["unmatched"] == []


def test_unconverted_learning_no_exclusion_matches_stays_unmatched() -> None:
    result = evaluate_with(PACK, worker(cert("A1", "4-03-02-01", None), programme=ASSOCIATE))
    assert result.to_dict()["unmatched"] == ["A1"]
    assert result.to_dict()["ledger"] == []


def test_converted_learning_an_exclusion_matches_is_cut_as_before() -> None:
    result = evaluate_with(PACK, worker(cert("A1", "4-99-00-01", 4), programme=ASSOCIATE))
    assert effects(result, "A1") == ["excluded: occupation withdrawn from the national catalogue, -40"]


# --- 2. one achievement's own points in a requirement ------------------------------------------


@pytest.mark.parametrize(("credits", "met"), [(59, False), (60, True), (240, True)])
def test_a_diploma_needs_60_credits_and_60_points_of_its_own(credits: int, met: bool) -> None:
    # Two more diplomas of 30 credits: a total would sum them; one achievement's points never do.
    record = worker(diploma("Q1", credits), diploma("Q2", 30), diploma("Q3", 30), programme=ASSOCIATE)
    assert evaluate_with(PACK, record).outcome("diploma-holder").met is met


def test_own_points_are_what_is_left_after_adjustments(tmp_path: Path) -> None:
    broken = Broken(tmp_path)
    broken.copy(PACK)
    broken.write(
        "adjustments/qualification-cap.yaml",
        """\
        id: qualification-cap
        kind: adjustment
        version: "2020.1"
        effective: {from: 2000-01-01}
        title: {en: At most 50 points from qualifications}
        rules:
          - id: fifty
            applies_to: {type: qualification}
            cap: {max: 50, per: lifetime}
        """,
    )
    record = load_record(worker(diploma("Q1", 60), programme=ASSOCIATE))
    for engine in ("compiled", "durable"):
        outcome = (
            Engine.load(broken.root, engine=engine).evaluate(record, as_of=AS_OF).to_dict()["outcomes"][0]
        )
        assert outcome["status"] == "unmet"
        assert "points >= 60 (has 50)" in json.dumps(outcome)


# --- 3 and 4. named lists and text tests --------------------------------------------------------


def test_a_named_list_from_pack_yaml_picks_the_listed_occupations() -> None:
    record = worker(cert("A1", "6-31-01-03", 3), cert("A2", "6-18-02-04", 4), cert("A3", "6-99-00-01", 4))
    claims = evaluate_with(PACK, record).to_dict()["entitlements"]
    assert [(c["for"], c["amount"]) for c in claims] == [(["A1"], "1000"), (["A2"], "1000")]


@pytest.mark.parametrize(
    ("title", "met"),
    [
        ("Higher Diploma in Engineering", True),
        ("HIGHER DIPLOMA", True),
        ("Diplomacy", True),
        ("Degree", False),
    ],
)
def test_contains_with_ignore_case_reads_the_title_in_any_case(title: str, met: bool) -> None:
    record = worker(diploma("Q1", 60, title), programme=ASSOCIATE)
    assert evaluate_with(PACK, record).outcome("diploma-holder").met is met


@pytest.mark.parametrize(("occupation", "status"), [("4-99-00-02", "excluded"), ("4-09-00-01", "counted")])
def test_starts_with_tests_the_beginning_of_the_text(occupation: str, status: str) -> None:
    result = evaluate_with(PACK, worker(cert("A1", occupation, 4), programme=ASSOCIATE))
    assert entries(result)["A1"]["status"] == status


def test_ignore_case_compares_a_field_with_a_worker_attribute_in_any_case() -> None:
    # The worker's major is "Mechatronics"; the credits' fields are written in other cases.
    record = worker(
        credit("F1", 2, "MECHATRONICS"), credit("F2", 2, "mechatronics"), credit("F3", 2, "english")
    )
    result = evaluate_with(PACK, {**record, "worker": {"id": "W-1", "attributes": {"programme": ASSOCIATE}}})
    assert {k: e["category"] for k, e in entries(result).items()} == {
        "F1": "major",
        "F2": "major",
        "F3": "elective",
    }


def test_text_tests_read_in_both_languages() -> None:
    record = worker(diploma("Q1", 60), programme=ASSOCIATE)
    outcome = evaluate_with(PACK, record).to_dict("zh")["outcomes"][0]
    assert "名称 包含 diploma（不区分大小写）" in outcome["because"][0]
    assert "本项积分 >= 60" in outcome["because"][0]


# --- 5. a count cap whose limit depends on a worker attribute ---------------------------------


CERTIFICATES = [cert("C1", "6-31-01-03", 3), cert("C2", "6-18-02-04", 4), cert("C3", "4-03-02-01", 5)]


@pytest.mark.parametrize(
    ("programme", "kept"),
    [(ASSOCIATE, {"C1": "80", "C2": "40", "C3": "0"}), (BACHELOR, {"C1": "80", "C2": "40", "C3": "20"})],
)
def test_the_certificate_count_follows_the_track(programme: dict[str, Any], kept: dict[str, str]) -> None:
    assert points(evaluate_with(PACK, worker(*CERTIFICATES, programme=programme))) == kept


def test_a_count_limit_by_attribute_names_the_value_that_chose_it() -> None:
    result = evaluate_with(PACK, worker(*CERTIFICATES, programme=ASSOCIATE))
    assert effects(result, "C3") == [
        "at most 2 in all, as worker programme.track is associate (keep highest), -20"
    ]


def test_a_worker_without_the_attribute_is_not_capped_and_is_told_so() -> None:
    result = evaluate_with(PACK, worker(*CERTIFICATES))
    assert points(result) == {"C1": "80", "C2": "40", "C3": "20"}
    assert (
        "limits/certificates-by-track: no limit, as the record has no worker programme.track; not capped"
    ) in result.to_dict()["warnings"]


# --- 6. which entries a cap cuts first -------------------------------------------------------


def test_a_category_order_cuts_electives_before_major_courses() -> None:
    # 40 points at most: the major courses (20 + 16) are kept, the elective (16, the earliest) is cut.
    record = worker(
        credit("F1", 5, "mechatronics"),
        credit("F2", 4, "english", "2023-01-10"),
        credit("F3", 4, "mechatronics"),
    )
    result = evaluate_with(PACK, {**record, "worker": {"id": "W-1", "attributes": {"programme": ASSOCIATE}}})
    assert points(result) == {"F1": "20", "F2": "4", "F3": "16"}
    assert effects(result, "F2") == ["cap 40 in all, cutting elective, then major first, -12"]
    assert effects(result, "F2", "zh") == ["封顶：累计 40 分，依次优先削减 选修课程、专业课程，-12"]


def test_lowest_first_cuts_the_smallest_course_not_the_latest() -> None:
    record = worker(
        course("K1", 150, "2025-02-01"), course("K2", 60, "2025-03-01"), course("K3", 100, "2025-04-01")
    )
    result = evaluate_with(PACK, record)
    assert points(result) == {"K1": "15", "K2": "0", "K3": "5"}
    assert effects(result, "K2") == ["cap 20 per year (2025-01-01..2025-12-31), lowest cut first, -6"]


# --- 7. a transfer programme's size from the worker's record -----------------------------------


@pytest.mark.parametrize(
    ("programme", "limit", "credits"), [(ASSOCIATE, "30", "10"), ({**ASSOCIATE, "credits": 12}, "6", "6")]
)
def test_the_transfer_limit_is_half_the_workers_own_programme(
    programme: dict[str, Any], limit: str, credits: str
) -> None:
    # 40 points of credits (the cap's most) at 4 points a credit: 10 credits, at most half the programme.
    record = worker(
        *(credit(f"F{i}", 5, "mechatronics", f"20{10 + i}-01-10") for i in range(3)), programme=programme
    )
    transfer = evaluate_with(PACK, record).to_dict()["transfers"][0]
    assert (transfer["status"], transfer["limit"], transfer["credits"]) == ("granted", limit, credits)


def test_a_record_without_the_programme_size_is_refused_with_the_reason() -> None:
    transfer = evaluate_with(PACK, worker(credit("F1", 5, "english"))).to_dict()["transfers"][0]
    assert transfer["status"] == "refused"
    assert transfer["reason"] == (
        "the record has no worker programme.credits (the programme's credits), so no limit can be set"
    )


# --- 8. a transitional value as a date condition ----------------------------------------------


@pytest.mark.parametrize(("completed", "value"), [("2009-02-28", "30"), ("2009-03-01", "20")])
def test_a_date_condition_on_completed_keeps_the_value_of_the_day(completed: str, value: str) -> None:
    result = evaluate_with(PACK, worker(cert("A1", "4-04-05-01", None, completed), programme=BACHELOR))
    assert points(result) == {"A1": value}


# --- every invalid use, at FILE:LINE:COL --------------------------------------------------------

INVALID = [
    Edit(
        "contains on a number field",
        DIPLOMA,
        "credits.value: {gte: 60}",
        "credits.value: {contains: 60}",
        "60}",
        "requires.achievement.credits.value.contains",
        "contains tests text; credits.value is number",
    ),
    Edit(
        "ignore_case on a number field",
        DIPLOMA,
        "credits.value: {gte: 60}",
        "credits.value: {gte: 60, ignore_case: true}",
        "true}",
        "requires.achievement.credits.value.ignore_case",
        "ignore_case compares text; credits.value is number",
        2,
    ),
    Edit(
        "an unknown list",
        SUBSIDY,
        "{list: shortage-occupations}",
        "{list: shortage-occupation}",
        "shortage-occupation}",
        "rules[0].when.occupation.in.list",
        "unknown list 'shortage-occupation' (did you mean 'shortage-occupations'?)",
    ),
    Edit(
        "a named list without in",
        SUBSIDY,
        "occupation: {in: {list: shortage-occupations}}",
        "occupation: {list: shortage-occupations}",
        "shortage-occupations}",
        "rules[0].when.occupation.list",
        "unknown operator 'list': a named list goes under in or not_in: {in: {list: NAME}}",
    ),
    Edit(
        "a list of text used on a number field",
        SUBSIDY,
        "occupation: {in: {list: shortage-occupations}}",
        "hours: {in: {list: shortage-occupations}}",
        "shortage-occupations}",
        "rules[0].when.hours.in.list",
        "hours in needs a number, got '6-31-01-03'",
    ),
    Edit(
        "a cut order naming an undeclared category",
        LIMITS,
        "cut: {categories: [elective, major]}",
        "cut: {categories: [electives, major]}",
        "electives, major]",
        "rules[2].cap.cut.categories[0]",
        "unknown category 'electives' (did you mean 'elective'?)",
    ),
    Edit(
        "cut beside keep",
        LIMITS,
        "      keep: highest",
        "      keep: highest\n      cut: lowest",
        "count:",
        "rules[1].cap",
        "keep: and cut: say the same thing",
    ),
    Edit(
        "a limit looked up by an achievement field",
        LIMITS,
        "lookup: worker.programme.track",
        "lookup: industry",
        "industry",
        "rules[1].cap.count.lookup",
        "a cap's limit is looked up by a worker attribute (worker.NAME), not 'industry'",
    ),
    Edit(
        "a limit table key that is not a value of the attribute",
        LIMITS,
        "table: {bachelor: 3, associate: 2}",
        "table: {bachelor: 3, asociate: 2}",
        "asociate",
        "rules[1].cap.count.table.asociate",
        "table key asociate: not one of associate, bachelor (did you mean 'associate'?)",
    ),
    Edit(
        "a count limit that is not whole",
        LIMITS,
        "table: {bachelor: 3, associate: 2}",
        "table: {bachelor: 3, associate: 2.5}",
        "associate: 2.5",
        "rules[1].cap.count.table.associate",
        "a count of achievements is a whole number, got 2.5",
    ),
    Edit(
        "a programme size from a text attribute",
        TRANSFER,
        "{ref: worker.programme.credits}",
        "{ref: worker.programme.major}",
        "worker.programme.major",
        "programme.credits.ref",
        "'worker.programme.major' is not a number attribute of the worker",
    ),
    Edit(
        "own points outside a policy's achievement requirement",
        SUBSIDY,
        "when: {type: certificate,",
        "when: {points: {gte: 1}, type: certificate,",
        "{gte: 1}",
        "rules[0].when.points",
        "an achievement's own points can be tested only in a policy's achievement: requirement",
    ),
    Edit(
        "a named list holding a mapping",
        PACK_YAML,
        'shortage-occupations: ["6-31-01-03", "6-18-02-04"]',
        'shortage-occupations: ["6-31-01-03", {code: "6-18-02-04"}]',
        "{code",
        "lists.shortage-occupations[1]",
        "a list holds plain values (text, numbers, dates), got a mapping",
    ),
]


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c.case)
def test_an_invalid_use_is_refused_at_file_line_column(tmp_path: Path, case: Edit) -> None:
    Broken(tmp_path).refused(PACK, case)
