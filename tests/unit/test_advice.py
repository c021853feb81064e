"""Explanations (``Engine.explain``, ``evaluate --explain``): the rule each decision cites, and the
smallest changes that would meet an unmet policy, in English and Chinese, on a small pack.

The pack: courses at one point per 10 hours and certificates by level, both in the category the
achievement's industry names; ``making`` counts 1.5 times; at most 30 course points a year;
one certificate per occupation. Two policies: ``making-expert`` (a certificate at level 3 or
higher, or 60 points in making) and ``senior-maker`` (100 points in all and 60 in making).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import textwrap
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from creditengine import Engine, Explanation, load_record
from creditengine._schemas import ResultDocument

AS_OF = dt.date(2025, 12, 31)
ROOT = Path(__file__).resolve().parents[2]

PACK = {
    "pack.yaml": """\
        name: advice
        title: {en: Advice test, zh: 建议测试}
        scale: {unit: point, decimals: 1, rounding: half_up}
        categories:
          - {id: making, title: {en: Making, zh: 制造}}
          - {id: general, title: {en: General, zh: 综合}}
        default_category: general
        frameworks:
          cn-skill: {levels: [5, 4, 3, 2, 1]}
        """,
    "conversions/courses.yaml": """\
        id: courses
        kind: conversion
        version: "2024.1"
        effective: {from: 2020-01-01}
        title: {en: Training courses, zh: 培训课程}
        reference: "Course rules, art. 3"
        hit: first
        rules:
          - id: by-hours
            when: {type: course}
            points: {formula: "hours / 10"}
            category: "{industry}"
        """,
    "conversions/certificates.yaml": """\
        id: certificates
        kind: conversion
        version: "2024.1"
        effective: {from: 2020-01-01}
        title: {en: Skill certificates, zh: 技能证书}
        hit: first
        rules:
          - id: by-level
            when: {type: certificate, level.framework: cn-skill}
            points: {lookup: level.value, table: {5: 20, 4: 40, 3: 80}}
            category: "{industry}"
        """,
    "adjustments/adj.yaml": """\
        id: adj
        kind: adjustment
        version: "2024.1"
        effective: {from: 2020-01-01}
        title: {en: Bonus and caps, zh: 加成与上限}
        rules:
          - id: making-bonus
            when: {industry: making}
            multiply: 1.5
          - id: course-cap
            applies_to: {type: course}
            cap: {max: 30, per: year}
          - id: once
            applies_to: {type: certificate}
            dedupe: {key: [occupation], keep: highest}
        """,
    "policies/making-expert.yaml": """\
        id: making-expert
        kind: accreditation
        version: "2025.2"
        effective: {from: 2025-01-01}
        title: {en: Making expert, zh: 制造专家}
        reference: "Expert scheme, section 4"
        grants: expert
        requires:
          any:
            - achievement: {type: certificate, level.framework: cn-skill, level.value: {gte: 3}}
            - total: {category: making, gte: 60}
        """,
    "policies/senior-maker.yaml": """\
        id: senior-maker
        kind: accreditation
        version: "2025.1"
        effective: {from: 2025-01-01}
        title: {en: Senior maker, zh: 资深制造者}
        reference: "Maker scheme, art. 9"
        grants: senior-maker
        requires:
          all:
            - total: {gte: 100}
            - total: {category: making, gte: 60}
        """,
}


def course(ident: str, hours: int | str, completed: str = "2025-03-01") -> dict[str, Any]:
    return {"id": ident, "type": "course", "hours": hours, "industry": "making", "completed": completed}


def certificate(ident: str, level: int, occupation: str = "6-31-01-03") -> dict[str, Any]:
    return {
        "id": ident,
        "type": "certificate",
        "title": "Fitter",
        "occupation": occupation,
        "industry": "making",
        "level": {"framework": "cn-skill", "value": level},
        "completed": "2025-02-01",
    }


def record(*achievements: dict[str, Any]) -> dict[str, Any]:
    return {"worker": {"id": "W-ADVICE"}, "achievements": list(achievements)}


@pytest.fixture
def engine(make_pack: Callable[[dict[str, str]], Path]) -> Engine:
    return Engine.load(make_pack(PACK))


def explain(engine: Engine, *achievements: dict[str, Any]) -> Explanation:
    return engine.explain(load_record(record(*achievements)), as_of=AS_OF)


def decision(explanation: Explanation, ident: str, lang: str = "en") -> dict[str, Any]:
    [found] = [d for d in explanation.to_dict(lang) if d["rule"]["id"] == ident]
    return found


def tree(changes: list[dict[str, Any]]) -> list[Any]:
    """Changes as nested sentences: ``[sentence, [ways...]]`` or a bare sentence."""
    return [[c["change"], tree(c["then"])] if "then" in c else c["change"] for c in changes]


# --- the rule each decision cites -------------------------------------------------------------


def test_a_decision_cites_the_rule_files_title_id_version_and_reference(engine: Engine) -> None:
    explanation = explain(engine, course("C1", 40), certificate("K1", 5))
    en, zh = decision(explanation, "making-expert"), decision(explanation, "making-expert", "zh")
    assert en["summary"] == "Making expert (making-expert, version 2025.2): not met"
    assert zh["summary"] == "制造专家（making-expert，2025.2 版）：不符合"
    assert en["rule"] == {
        "id": "making-expert",
        "version": "2025.2",
        "title": "Making expert",
        "reference": "Expert scheme, section 4",
    }
    assert zh["rule"]["title"] == "制造专家"
    # The why-not is the outcome's own, with the missing amount exact.
    assert en["why_not"][0]["options"][1][0]["requirement"] == "total making >= 60"
    assert en["why_not"][0]["options"][1][0]["need"] == "24"


def test_a_met_policy_says_why_and_suggests_nothing(engine: Engine) -> None:
    explanation = explain(engine, certificate("K1", 3))
    en = decision(explanation, "making-expert")
    assert en["summary"] == "Making expert (making-expert, version 2025.2): met"
    # Level 3 gives 80 x1.5 = 120 in making: both alternatives hold, and both are said.
    assert en["why"] == [
        "K1 (Fitter): type = certificate, level.framework = cn-skill, level.value >= 3",
        "total making >= 60 (has 120)",
    ]
    assert en["changes"] == []
    assert explanation.result.outcome("making-expert").met


# --- the smallest changes -------------------------------------------------------------------


def test_an_unmet_any_lists_each_alternative_with_its_smallest_change_in_english(engine: Engine) -> None:
    # Making: C1 40 h -> 4 x1.5 = 6; K1 level 5 -> 20 x1.5 = 30; 36 in all, 24 short of 60.
    # Courses used 6 of the 30-point cap in 2025, so 24 more fit.
    explanation = explain(engine, course("C1", 40), certificate("K1", 5))
    assert tree(decision(explanation, "making-expert")["changes"]) == [
        [
            "any one of 2 alternatives, the smallest gap first:",
            [
                [
                    "alternative (1) (smallest gap)",
                    ["an achievement like K1 (Fitter) but with level.value = 3 (instead of 5)"],
                ],
                [
                    "alternative (2)",
                    [
                        [
                            "24 more points for total making >= 60 (has 36)",
                            [
                                "e.g. an achievement with type = certificate, level.framework = cn-skill, "
                                "industry = making, level.value = 5: 20 points "
                                "(certificates/by-level 2024.1: Skill certificates), "
                                "×1.5 (adj/making-bonus) = 30; counted once per occupation (adj/once)",
                                "e.g. 160 hours in an achievement with type = course, industry = making: "
                                "hours / 10 = 16 points (courses/by-hours 2024.1: Training courses), "
                                "×1.5 (adj/making-bonus) = 24",
                            ],
                        ]
                    ],
                ],
            ],
        ]
    ]


def test_the_same_changes_in_chinese(engine: Engine) -> None:
    explanation = explain(engine, course("C1", 40), certificate("K1", 5))
    assert tree(decision(explanation, "making-expert", "zh")["changes"]) == [
        [
            "满足 2 项中任一项即可，按差距从小到大：",
            [
                ["第 1 项（差距最小）", ["一项与 K1（Fitter） 类似、但等级为 3（现为 5）的成果"]],
                [
                    "第 2 项",
                    [
                        [
                            "还差 24 分才满足 制造类积分 >= 60（已有 36）",
                            [
                                "例如一项成果满足：类型 = 证书，等级框架 = cn-skill，"
                                "行业 = 制造，等级 = 5："
                                "20 分（certificates/by-level，2024.1 版：技能证书），"
                                "×1.5（adj/making-bonus） = 30 分；同一职业只计一次（adj/once）",
                                "例如一项成果满足：类型 = 培训课程，行业 = 制造，学时 160："
                                "学时 / 10 = 16 分（courses/by-hours，2024.1 版：培训课程），"
                                "×1.5（adj/making-bonus） = 24 分",
                            ],
                        ]
                    ],
                ],
            ],
        ]
    ]


def test_the_suggested_learning_meets_the_policy_and_one_step_less_does_not(engine: Engine) -> None:
    # 24.1 short: 16.1 points x1.5 = 24.15, rounded half up to 24.2 (enough); 16.0 x1.5 = 24.0 is not.
    held = (course("C1", 39), certificate("K1", 5))  # 3.9 x1.5 = 5.85 -> 5.9; 30 + 5.9 = 35.9
    explanation = explain(engine, *held)
    [points] = [c for c in _walk(decision(explanation, "making-expert")) if c["code"] == "advice.points"]
    assert points["params"]["need"] == "24.1"
    [route] = [c for c in points["then"] if c["code"] == "advice.learning"]
    assert route["params"]["amount"] == "161"
    assert route["params"]["points"] == "16.1" and route["params"]["counted"] == "24.2"
    met = explain(engine, *held, course("NEW", 161, "2025-12-31")).result.outcome("making-expert")
    short = explain(engine, *held, course("NEW", 160, "2025-12-31")).result.outcome("making-expert")
    assert met.met and not short.met


def test_a_reached_cap_is_said_to_be_reached_instead_of_suggesting_more(engine: Engine) -> None:
    # 200 h of making courses in 2025: 20 x1.5 = 30 points, the whole yearly course cap.
    explanation = explain(engine, course("C1", 200))
    [points] = [c for c in _walk(decision(explanation, "making-expert")) if c["code"] == "advice.points"]
    # Routes follow the pack's conversion files (by id): certificates, then courses.
    assert tree(points["then"]) == [
        "e.g. an achievement with type = certificate, level.framework = cn-skill, industry = making, "
        "level.value = 5: 20 points (certificates/by-level 2024.1: Skill certificates), "
        "×1.5 (adj/making-bonus) = 30; counted once per occupation (adj/once)",
        "not from courses/by-hours: adj/course-cap caps it at 30 per year (2025-01-01..2025-12-31) "
        "(30 used), already reached",
    ]
    zh = [c for c in _walk(decision(explanation, "making-expert", "zh")) if c["code"] == "advice.capped"]
    assert zh[0]["change"] == (
        "不能再从 courses/by-hours 取得："
        "adj/course-cap 每年（2025-01-01..2025-12-31）上限 30 分（已用 30），已达上限"
    )


def test_a_cap_that_leaves_too_little_room_is_not_offered_for_the_whole_amount(engine: Engine) -> None:
    # 120 h: 12 x1.5 = 18 of the 30-point cap used; 42 short of 60, only 12 fit this year.
    explanation = explain(engine, course("C1", 120))
    [capped] = [c for c in _walk(decision(explanation, "making-expert")) if c["code"] == "advice.capped"]
    assert capped["change"] == (
        "at most 12 more from courses/by-hours, not enough: adj/course-cap caps it at 30 per year "
        "(2025-01-01..2025-12-31) (18 used)"
    )
    learning = [c for c in _walk(decision(explanation, "making-expert")) if c["code"] == "advice.learning"]
    assert learning == []
    # Certificates are not capped: level 4 is the smallest that gives 42 (40 x1.5 = 60; level 5 gives 30).
    [table] = [c for c in _walk(decision(explanation, "making-expert")) if c["code"] == "advice.table"]
    assert table["params"]["condition"]["all"][-1] == {"field": "level.value", "op": "eq", "value": "4"}


def test_a_cap_in_an_earlier_year_leaves_this_years_room_whole(engine: Engine) -> None:
    explanation = explain(engine, course("C1", 200, "2024-06-01"))  # 30 points in 2024
    [route] = [c for c in _walk(decision(explanation, "making-expert")) if c["code"] == "advice.learning"]
    assert route["params"]["amount"] == "200"  # 30 more in 2025: 20 points x1.5


def test_points_in_all_and_in_a_category_are_one_change_not_two(engine: Engine) -> None:
    # senior-maker: 100 in all and 60 in making. K1 level 5 gives 30 in making.
    explanation = explain(engine, certificate("K1", 5))
    changes = decision(explanation, "senior-maker")["changes"]
    assert [c["change"] for c in changes] == [
        "70 more points in all, to meet total >= 100 and total making >= 60 "
        "(points in a category count toward the total too)"
    ]
    assert [c["change"] for c in changes[0]["then"]] == [
        "30 more points for total making >= 60 (has 30)",
        "40 more points in any category",
    ]
    zh = decision(explanation, "senior-maker", "zh")["changes"][0]["change"]
    assert zh == "共还差 70 分，以满足 总积分 >= 100、制造类积分 >= 60（类别积分同时计入总积分）"


def test_explanations_follow_the_result_schema_and_keep_the_result_unchanged(engine: Engine) -> None:
    rec = load_record(record(course("C1", 40), certificate("K1", 5)))
    explanation = engine.explain(rec, as_of=AS_OF)
    assert explanation.result.to_json() == engine.evaluate(rec, as_of=AS_OF).to_json()
    for lang in ("en", "zh"):
        document = {**explanation.result.to_dict(lang), "explanation": explanation.to_dict(lang)}
        ResultDocument.model_validate(json.loads(json.dumps(document, ensure_ascii=False)))
    data = explanation.to_dict()
    assert [d["subject"] for d in data] == ["policy", "policy"]
    assert all("code" in c and "params" in c for d in data for c in _walk(d))


def test_the_nearest_passing_level_is_the_next_one_in_the_frameworks_order(
    make_pack: Callable[[dict[str, str]], Path],
) -> None:
    # level.value > 4 in cn-skill's order (5 lowest ... 1 highest) is passed first by level 3.
    strict = PACK["policies/making-expert.yaml"].replace("{gte: 3}", "{gt: 4}")
    engine = Engine.load(make_pack({**PACK, "policies/making-expert.yaml": strict}))
    explanation = explain(engine, certificate("K1", 5))
    [change] = [c for c in _walk(decision(explanation, "making-expert")) if c["code"] == "advice.change"]
    assert change["change"] == "an achievement like K1 (Fitter) but with level.value = 3 (instead of 5)"


def _walk(item: dict[str, Any]) -> list[dict[str, Any]]:
    """Every change in a decision (or under a change), depth first."""
    out = []
    for change in item.get("changes", item.get("then", [])):
        out.append(change)
        out.extend(_walk(change))
    return out


# --- honesty: every suggested achievement meets what it was suggested for ------------------------


def _achievement_from(condition: dict[str, Any], field: str | None, amount: str | None) -> dict[str, Any]:
    """A record achievement with the fields a suggestion fixes (``type = course, ...``)."""
    parts = condition.get("all", [condition])
    fixed = {part["field"]: part["value"] for part in parts if part.get("op") == "eq"}
    if field is not None:
        fixed[field] = Decimal(amount or "0")
    item: dict[str, Any] = {"id": "NEW", "title": "Suggested", "completed": AS_OF.isoformat()}
    for path, value in fixed.items():
        *outer, last = path.split(".")
        into = item
        for key in outer:
            into = into.setdefault(key, {})
        into[last] = value
    if "provider" in item:
        item["provider"].setdefault("id", "P-NEW")
    if "level" in item and "framework" not in item["level"]:
        return {}
    return item


def test_every_suggested_achievement_of_the_default_pack_gives_the_points_missing() -> None:
    # A generated population on the default pack: for each "N more points" change, each way
    # suggested (a course's hours, a table's level), added to the record as it stands, must
    # raise that total by at least N (that one step less would not is checked on the small pack).
    from tests.golden.population import population

    engine = Engine.load()
    checked = 0
    for raw in population(29, 40):
        rec = load_record(raw)
        explanation = engine.explain(rec, as_of=AS_OF)
        for decision in explanation.to_dict():
            for change in _walk(decision):
                if change["code"] != "advice.points":
                    continue
                total = change["params"]["requirement"]["total"]
                if "where" in total:
                    continue
                category, need = total.get("category"), Decimal(change["params"]["need"])
                have = Decimal(change["params"]["have"])
                for way in change.get("then", []):
                    if way["code"] not in ("advice.learning", "advice.table"):
                        continue
                    params = way["params"]
                    field = params.get("field")
                    added = _achievement_from(params["condition"], field, params.get("amount"))
                    if not added:
                        continue
                    if added.get("type") == "certificate":
                        added["occupation"] = "9-99-99-99"  # an occupation the worker does not hold
                    more = {**raw, "achievements": [*raw.get("achievements", []), added]}
                    after = engine.evaluate(load_record(more), as_of=AS_OF).totals
                    got = after.all if category is None else after.category(category)
                    assert got - have >= need, (raw["worker"]["id"], way["change"])
                    checked += 1
    assert checked > 20


def test_a_learning_amount_the_rule_would_refuse_is_not_suggested(
    make_pack: Callable[[dict[str, str]], Path],
) -> None:
    # 1 point short (31 wanted, K1 gives 30): 0.7 points x1.5 = 1.05 -> 1.1, i.e. 7 hours of course.
    lower = PACK["policies/making-expert.yaml"].replace("gte: 60", "gte: 31")
    files = {**PACK, "policies/making-expert.yaml": lower}
    plain = explain(Engine.load(make_pack(files)), certificate("K1", 5))
    [route] = [c for c in _walk(decision(plain, "making-expert")) if c["code"] == "advice.learning"]
    assert route["params"]["amount"] == "7"
    # A course counts only from 100 hours: 7 hours would convert to nothing, so no course is offered.
    courses = PACK["conversions/courses.yaml"].replace(
        "when: {type: course}", "when: {type: course, hours: {gte: 100}}"
    )
    strict = explain(
        Engine.load(make_pack({**files, "conversions/courses.yaml": courses})), certificate("K1", 5)
    )
    assert [c for c in _walk(decision(strict, "making-expert")) if c["code"] == "advice.learning"] == []


def test_explanations_read_back_from_json_render_the_same_sentences(engine: Engine) -> None:
    # Like results, explanations keep codes and params beside sentences, so a stored one can be
    # shown again later, in either language, from its JSON alone.
    from creditengine._explain import render, speaking
    from creditengine._trace import Reason

    explanation = explain(engine, course("C1", 120), certificate("K1", 5))
    stored = json.loads(json.dumps(explanation.to_dict("en"), ensure_ascii=False))
    for lang in ("en", "zh"):
        shown = explanation.to_dict(lang)
        for decision, again in zip(stored, shown, strict=True):
            # Shown again with the pack's own words (category titles), as the result shows them.
            with speaking(explanation.result.pack.words(lang)):
                assert render(Reason(**decision["summary_reason"]), lang) == again["summary"]
                changes = [(c["code"], c["params"]) for c in _walk(decision)]
                assert len(changes) > 3
                for (code, params), change in zip(changes, _walk(again), strict=True):
                    assert render(Reason(code, params), lang) == change["change"]


def test_an_exclusion_that_depends_on_facts_not_fixed_is_said_beside_the_suggestion(
    make_pack: Callable[[dict[str, str]], Path],
) -> None:
    # Withdrawn occupations are excluded: the suggested certificate names no occupation, so the
    # suggestion says so; courses are excluded outright, so none is suggested.
    rules = """\
          - id: withdrawn
            when: {type: certificate, occupation: {in: ["4-99-00-01"]}}
            exclude: {reason: {en: withdrawn, zh: 已退出目录}}
          - id: no-courses
            when: {type: course}
            exclude: {reason: {en: not counted here, zh: 此处不计}}
        """
    adjustments = textwrap.dedent(PACK["adjustments/adj.yaml"]) + textwrap.indent(
        textwrap.dedent(rules), "  "
    )
    engine = Engine.load(make_pack({**PACK, "adjustments/adj.yaml": adjustments}))
    explanation = explain(engine, certificate("K1", 5))
    ways = [c for c in _walk(decision(explanation, "making-expert")) if c["code"].startswith("advice.")]
    assert [c["code"] for c in ways if c["code"] in ("advice.learning", "advice.table")] == ["advice.table"]
    [table] = [c for c in ways if c["code"] == "advice.table"]
    assert table["change"].endswith(
        "; counted once per occupation (adj/once); not if adj/withdrawn excludes it"
    )
    [zh] = [c for c in _walk(decision(explanation, "making-expert", "zh")) if c["code"] == "advice.table"]
    assert zh["change"].endswith("；同一职业只计一次（adj/once）；adj/withdrawn 排除的不计")


# --- caps whose limit is looked up by a worker attribute ---------------------------------------

_TRACKS = "attributes:\n  programme.track: {type: enum, values: [associate, bachelor]}\n"


def _track_capped(make_pack: Callable[[dict[str, str]], Path], cap: str) -> Engine:
    """The advice pack with the course cap's limit looked up by the worker's track."""
    adjustments = PACK["adjustments/adj.yaml"].replace("cap: {max: 30, per: year}", cap)
    pack_yaml = textwrap.dedent(PACK["pack.yaml"]) + _TRACKS
    return Engine.load(make_pack({**PACK, "pack.yaml": pack_yaml, "adjustments/adj.yaml": adjustments}))


def _explain_track(engine: Engine, track: str | None, *achievements: dict[str, Any]) -> Explanation:
    head: dict[str, Any] = {"id": "W-TRACK"}
    if track is not None:
        head["attributes"] = {"programme": {"track": track}}
    return engine.explain(load_record({"worker": head, "achievements": list(achievements)}), as_of=AS_OF)


def test_a_cap_limited_by_a_worker_attribute_leaves_the_room_of_that_workers_limit(
    make_pack: Callable[[dict[str, str]], Path],
) -> None:
    # 120 h of making courses: 12 x1.5 = 18 points this year; 42 more wanted in making.
    engine = _track_capped(
        make_pack,
        "cap: {max: {lookup: worker.programme.track, table: {associate: 30, bachelor: 90}}, per: year}",
    )
    associate = _explain_track(engine, "associate", course("C1", 120))
    [capped] = [c for c in _walk(decision(associate, "making-expert")) if c["code"] == "advice.capped"]
    assert capped["params"]["room"] == "12"  # 30 - 18, as evaluation caps an associate
    assert capped["change"] == (
        "at most 12 more from courses/by-hours, not enough: adj/course-cap caps it at 30 per year "
        "(2025-01-01..2025-12-31) for worker programme.track = associate (18 used)"
    )
    # A bachelor's limit is 90: the whole 42 fits, so more hours are suggested.
    bachelor = _explain_track(engine, "bachelor", course("C1", 120))
    [route] = [c for c in _walk(decision(bachelor, "making-expert")) if c["code"] == "advice.learning"]
    assert route["params"]["amount"] == "280"
    # No track, no row and no default: evaluation does not cap this worker, nor does the advice.
    unknown = _explain_track(engine, None, course("C1", 120))
    assert [c for c in _walk(decision(unknown, "making-expert")) if c["code"] == "advice.capped"] == []
    assert [c for c in _walk(decision(unknown, "making-expert")) if c["code"] == "advice.learning"]


def test_a_count_cap_limited_by_a_worker_attribute_is_reached_at_that_workers_limit(
    make_pack: Callable[[dict[str, str]], Path],
) -> None:
    engine = _track_capped(
        make_pack,
        "cap: {count: {lookup: worker.programme.track, table: {associate: 1, bachelor: 2}}, per: year}",
    )
    courses = (course("C1", 100), course("C2", 50, "2025-04-01"))  # 15 + 7.5 points a year
    associate = _explain_track(engine, "associate", *courses)
    [capped] = [c for c in _walk(decision(associate, "making-expert")) if c["code"] == "advice.capped"]
    assert capped["params"]["room"] == "0"
    assert (
        "counts at most 1 per year (2025-01-01..2025-12-31) for worker programme.track = associate"
        in (capped["change"])
    )
    bachelor = _explain_track(engine, "bachelor", *courses)
    assert [c for c in _walk(decision(bachelor, "making-expert")) if c["code"] == "advice.capped"] != []


_LIMITED_CAPS = """\
id: limited-caps
kind: adjustment
version: "2024.1"
effective: {from: 2010-01-01}
title: {en: Caps by track, zh: 按学制的上限}
reference: "Test pack"
rules:
  - id: course-count
    applies_to: {type: course}
    cap: {count: {lookup: worker.programme.track, table: {associate: 5, bachelor: 6}}, per: year}
  - id: certificate-points
    applies_to: {type: certificate}
    cap: {max: {lookup: worker.programme.track, table: {associate: 100}}, per: lifetime}
  - id: credit-points
    applies_to: {type: formal_credit}
    cap: {max: {lookup: worker.programme.track, table: {bachelor: 40}, default: 20}, per: year}
"""


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_is_explained_under_caps_limited_by_worker_attributes(
    tmp_path: Path, path: Path
) -> None:
    # Property: whatever the record (with the track, another track, or none), --explain runs in
    # both languages on the default pack plus caps whose limits are looked up by the track.
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "rules", pack, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (pack / "adjustments" / "limited-caps.yaml").write_text(_LIMITED_CAPS, encoding="utf-8")
    engine = Engine.load(pack)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    attributes = raw["worker"].get("attributes") or {}
    for track in ("associate", "bachelor", None):
        programme = {k: v for k, v in (attributes.get("programme") or {}).items() if k != "track"}
        if track is not None:
            programme["track"] = track
        head = {**raw["worker"], "attributes": {**attributes, "programme": programme}}
        rec = load_record({**raw, "worker": head})
        for day in (dt.date(2024, 12, 31), AS_OF):
            explanation = engine.explain(rec, as_of=day)
            for lang in ("en", "zh"):
                assert explanation.to_dict(lang), (path.stem, track, day, lang)


# --- whole learning amounts and the rule each suggestion cites -----------------------------------


def test_suggested_credits_are_whole_and_still_give_the_points_missing() -> None:
    # 100 more advanced_manufacturing points: 100 / 1.2 = 83.3 points = 20.825 mainland credits,
    # suggested as 21 credits (84 points x1.2 = 100.8), which meet the requirement when added.
    engine = Engine.load()
    raw = yaml.safe_load((ROOT / "examples" / "course-heavy-capped.yaml").read_text(encoding="utf-8"))
    explanation = engine.explain(load_record(raw), as_of=AS_OF)
    learning = [c for d in explanation.to_dict() for c in _walk(d) if c["code"] == "advice.learning"]
    assert learning and all(Decimal(c["params"]["amount"]) % 1 == 0 for c in learning), [
        c["change"] for c in learning
    ]
    [credits] = [
        c
        for c in learning
        if c["params"]["field"] == "credits.value"
        and "cn-higher-ed-credits" in c["params"]["rule"]
        and "field = advanced_manufacturing" in c["change"]
    ]
    assert credits["change"] == (
        "e.g. 21 credits.value in an achievement with type = formal_credit, credits.system = cn-higher-ed, "
        "field = advanced_manufacturing: credits.value × 4 = 84 points (cn-higher-ed-credits/by-credit "
        "2022.1: Four points per mainland credit), ×1.2 (caps-and-validity/priority-industries) = 100.8"
    )
    added = {
        "id": "NEW",
        "type": "formal_credit",
        "title": "Suggested",
        "credits": {"system": "cn-higher-ed", "value": 21},
        "field": "advanced_manufacturing",
        "completed": AS_OF.isoformat(),
    }
    after = engine.evaluate(load_record({**raw, "achievements": [*raw["achievements"], added]}), as_of=AS_OF)
    assert after.totals.category("advanced_manufacturing") >= Decimal(100)


def test_a_suggestion_cites_the_rules_own_title_else_its_files(
    make_pack: Callable[[dict[str, str]], Path],
) -> None:
    titled = PACK["conversions/courses.yaml"].replace(
        "- id: by-hours\n",
        "- id: by-hours\n            title: {en: One point per 10 hours, zh: 每10学时1分}\n",
    )
    engine = Engine.load(make_pack({**PACK, "conversions/courses.yaml": titled}))
    explanation = explain(engine, certificate("K1", 5))
    [route] = [c for c in _walk(decision(explanation, "making-expert")) if c["code"] == "advice.learning"]
    assert "(courses/by-hours 2024.1: One point per 10 hours)" in route["change"]
    [zh] = [c for c in _walk(decision(explanation, "making-expert", "zh")) if c["code"] == "advice.learning"]
    assert "（courses/by-hours，2024.1 版：每10学时1分）" in zh["change"]
    # certificates/by-level has no title of its own: its file's title is cited.
    [table] = [c for c in _walk(decision(explanation, "making-expert")) if c["code"] == "advice.table"]
    assert "(certificates/by-level 2024.1: Skill certificates)" in table["change"]


def test_a_cap_limited_by_a_worker_attribute_says_so_in_a_sentence(
    make_pack: Callable[[dict[str, str]], Path],
) -> None:
    engine = _track_capped(
        make_pack,
        "cap: {count: {lookup: worker.programme.track, table: {associate: 1, bachelor: 2}}, per: year}",
    )
    result = _explain_track(engine, "associate", course("C1", 100), course("C2", 50, "2025-04-01")).result
    [en] = [
        a["effect"] for e in result.to_dict("en")["ledger"] for a in e["adjustments"] if "cap" in a["rule"]
    ]
    [zh] = [
        a["effect"] for e in result.to_dict("zh")["ledger"] for a in e["adjustments"] if "cap" in a["rule"]
    ]
    assert (
        en == "at most 1 per year (2025-01-01..2025-12-31), as worker programme.track is associate "
        "(keep first), -7.5"
    )
    assert (
        zh == "劳动者属性 programme.track 为 associate 时，每年（2025-01-01..2025-12-31）"
        "最多 1 项（保留最早），-7.5"
    )
