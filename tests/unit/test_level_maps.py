"""Framework level maps on the fixture pack tests/packs/level-maps/.

hkqf -> cn-skill {3: 4, 4: 3, 5: 2, 6: 2} (many-to-one; 1, 2 and 7 have no match) and
mo-dsal -> cn-skill {junior: 5, intermediate: 4} (senior has no match). A qualification or Macao
certificate counts as the mapped mainland certificate (5/4/3/2/1 -> 20/40/80/120/160 points);
senior-worker needs a cn-skill certificate at level 3 or above, in the framework's order.
"""

from __future__ import annotations

from typing import Any

import pytest
from packtools import Broken, Edit, evaluate_with, fixture_engine, worker

from creditengine import RuleSyntaxError
from creditengine._explain import render

PACK = "level-maps"


def qualification(ident: str, level: int) -> dict[str, Any]:
    return {
        "id": ident,
        "type": "qualification",
        "title": f"QF level {level}",
        "level": {"framework": "hkqf", "value": level},
        "completed": "2020-07-01",
    }


def macao(ident: str, grade: str) -> dict[str, Any]:
    return {
        "id": ident,
        "type": "certificate",
        "level": {"framework": "mo-dsal", "value": grade},
        "completed": "2020-07-01",
    }


def test_the_maps_are_compiled_as_declared() -> None:
    maps = {(m.source_framework, m.target_framework): m.map for m in fixture_engine(PACK).pack.level_maps}
    assert maps == {
        ("hkqf", "cn-skill"): (("3", "4"), ("4", "3"), ("5", "2"), ("6", "2")),
        ("mo-dsal", "cn-skill"): (("junior", "5"), ("intermediate", "4")),
    }


@pytest.mark.parametrize(
    ("level", "derived", "points"),
    [
        (3, "Q~cn-skill-4", "40"),
        (4, "Q~cn-skill-3", "80"),
        (5, "Q~cn-skill-2", "120"),
        (6, "Q~cn-skill-2", "120"),
    ],
)
def test_a_mapped_level(level: int, derived: str, points: str) -> None:
    result = evaluate_with(PACK, worker(qualification("Q", level)))
    assert [(d.id, d.rule, d.sources) for d in result.derived] == [
        (derived, "recognised-levels/hkqf", ("Q",))
    ]
    assert [(e["achievement"], e["points"]) for e in result.to_dict()["ledger"]] == [(derived, points)]
    assert result.warnings == ()
    assert result.unmatched == ()


def test_many_to_one_two_levels_give_the_same_target_level() -> None:
    result = evaluate_with(PACK, worker(qualification("Q5", 5), qualification("Q6", 6)))
    assert [d.id for d in result.derived] == ["Q5~cn-skill-2", "Q6~cn-skill-2"]
    assert result.totals.all == 240  # two qualifications, two pieces of learning


@pytest.mark.parametrize("level", [1, 2, 7])
def test_a_level_with_no_match_is_reported_not_guessed(level: int) -> None:
    result = evaluate_with(PACK, worker(qualification("Q", level)))
    assert result.derived == ()
    assert [render(w) for w in result.warnings] == [
        f"Q: recognised-levels/hkqf has no cn-skill level for hkqf level {level}; nothing derived"
    ]
    assert (
        render(result.warnings[0], "zh")
        == f"Q：recognised-levels/hkqf 中 hkqf {level} 级没有对应的 cn-skill 等级，未推导"
    )
    assert result.unmatched == ("Q",)
    assert result.ledger == ()


def test_text_levels_and_their_gap() -> None:
    result = evaluate_with(
        PACK, worker(macao("M1", "junior"), macao("M2", "intermediate"), macao("M3", "senior"))
    )
    assert [d.id for d in result.derived] == ["M1~cn-skill-5", "M2~cn-skill-4"]
    assert [render(w) for w in result.warnings] == [
        "M3: recognised-levels/mo-dsal has no cn-skill level for mo-dsal level senior; nothing derived"
    ]
    assert result.unmatched == ("M3",)


@pytest.mark.parametrize(("level", "status"), [(3, "unmet"), (4, "met"), (5, "met"), (2, "unmet")])
def test_a_policy_compares_mapped_levels_in_the_target_frameworks_order(level: int, status: str) -> None:
    # QF 4 -> level 3 (meets "level 3 or above"); QF 3 -> level 4 (does not); QF 2 -> nothing.
    result = evaluate_with(PACK, worker(qualification("Q", level)))
    assert result.outcome("senior-worker").status == status


# --- invalid level maps: RuleError at FILE:LINE:COL with the key path ----------------------------

MAP_LINE = "  - {from: hkqf, to: cn-skill, map: {3: 4, 4: 3, 5: 2, 6: 2}}"

INVALID = [
    Edit(
        "a source level not in its framework",
        "pack.yaml",
        MAP_LINE,
        "  - {from: hkqf, to: cn-skill, map: {3: 4, 4: 3, 5: 2, 6: 2, 8: 1}}",
        "1}}",
        "level_maps[0].map.8",
        "level '8' is not in framework hkqf",
    ),
    Edit(
        "a target level not in its framework",
        "pack.yaml",
        MAP_LINE,
        "  - {from: hkqf, to: cn-skill, map: {3: 4, 4: 3, 5: 2, 6: 0}}",
        "0}}",
        "level_maps[0].map.6",
        "level '0' is not in framework cn-skill",
    ),
    Edit(
        "a map without a target",
        "pack.yaml",
        "{from: hkqf, to: cn-skill, map:",
        "{from: hkqf, map:",
        "{from: hkqf, map",
        "level_maps[0]",
        "missing required key 'to'",
    ),
    Edit(
        "a level listed twice in a framework",
        "pack.yaml",
        "mo-dsal: {levels: [junior, intermediate, senior]}",
        "mo-dsal: {levels: [junior, intermediate, junior]}",
        "junior]",  # the second 'junior', named at its own column
        "frameworks.mo-dsal.levels[2]",
        "levels must be unique",
    ),
]


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c.case)
def test_an_invalid_level_map_is_refused_at_file_line_column(broken: Broken, case: Edit) -> None:
    broken.refused(PACK, case)


@pytest.mark.parametrize(
    ("old", "new", "needle", "field", "wrong", "right", "source"),
    [
        (
            "{from: hkqf, to: cn-skill",
            "{from: hkfq, to: cn-skill",
            "hkfq",
            "level_maps[0].from",
            "hkfq",
            "hkqf",
            "hkqf",
        ),
        (
            "{from: mo-dsal, to: cn-skill",
            "{from: mo-dsal, to: cn-skil",
            "cn-skil,",
            "level_maps[1].to",
            "cn-skil",
            "cn-skill",
            "mo-dsal",
        ),
    ],
)
def test_a_map_with_an_unknown_framework_is_refused_where_it_is_written(
    broken: Broken, old: str, new: str, needle: str, field: str, wrong: str, right: str, source: str
) -> None:
    broken.copy(PACK)
    broken.edit("pack.yaml", old, new)
    error = broken.error()
    problem = broken.problem_at(error, "pack.yaml", needle)
    assert problem.location is not None and problem.location.field == field
    assert problem.message == f"unknown framework {wrong!r} (did you mean {right!r}?)"
    # The equivalence that needed the map then has none: said where its map: true asks for it.
    others = [p.message for p in error.problems if p is not problem]
    assert others == [f"pack.yaml has no level_maps entry from {source} to cn-skill"]


def test_one_level_mapped_twice_is_a_duplicate_key(broken: Broken) -> None:
    # One-to-many is not a map: YAML would silently keep the last value; the loader refuses it.
    broken.copy(PACK)
    broken.edit("pack.yaml", MAP_LINE, "  - {from: hkqf, to: cn-skill, map: {3: 4, 4: 3, 5: 2, 6: 2, 3: 5}}")
    error = broken.error()
    assert isinstance(error, RuleSyntaxError)
    problem = broken.problem_at(error, "pack.yaml", "3: 5}}")
    assert "duplicate key" in problem.message
