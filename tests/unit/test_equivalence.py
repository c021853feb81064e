"""Equivalence (kind: equivalence) on the fixture pack tests/packs/equivalence/.

A Macao intermediate maintenance electrician (mo-dsal) counts as the mainland level-4 electrician
(cn-skill, through the pack's level map), which in turn joins an illustrative bay-area register
(gba): A -> B -> C. Points in that pack: cn-skill 5/4/3/2/1 -> 20/40/80/120/160, mo-dsal
junior/intermediate/senior -> 10/30/60, gba registered -> 25; advanced manufacturing x1.2; one
certificate per occupation (highest); at most two certificates (first earned).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from packtools import AS_OF, Broken, Edit, evaluate_with, worker

from creditengine import Engine, Result, load_record
from creditengine._explain import render

PACK = "equivalence"
MACAO = "cross-border/macao-electrician"
HK = "cross-border/hk-registered-electrician"
GBA = "gba-register/electrician"


def macao(ident: str = "A1", grade: str = "intermediate", completed: str = "2019-09-30") -> dict[str, Any]:
    return {
        "id": ident,
        "type": "certificate",
        "title": "Maintenance electrician",
        "level": {"framework": "mo-dsal", "value": grade},
        "industry": "advanced_manufacturing",
        "completed": completed,
        "issuer": {"id": "MO-DSAL", "jurisdiction": "macao"},
    }


def mainland(
    ident: str, level: int, occupation: str, completed: str, industry: str = "advanced_manufacturing"
) -> dict[str, Any]:
    return {
        "id": ident,
        "type": "certificate",
        "title": f"Certificate {occupation}",
        "occupation": occupation,
        "level": {"framework": "cn-skill", "value": level},
        "industry": industry,
        "completed": completed,
        "issuer": {"id": "SZ-HRSS", "jurisdiction": "shenzhen"},
    }


def ledger(result: Result) -> list[tuple[str, str, str, str, str]]:
    """(achievement, rule, base, points, status) per ledger entry, as JSON shows them."""
    return [
        (e["achievement"], e["rule"], e["base"], e["points"], e["status"]) for e in result.to_dict()["ledger"]
    ]


def derived(result: Result) -> list[tuple[str, str, list[str]]]:
    return [(d["id"], d["rule"], d["from"]) for d in result.to_dict()["derived"]]


def effects(result: Result, achievement: str) -> list[tuple[str, str, str]]:
    return [
        (a["rule"], a["version"], a["effect"])
        for e in result.to_dict()["ledger"]
        if e["achievement"] == achievement
        for a in e["adjustments"]
    ]


# --- derivation and chaining ----------------------------------------------------------------------


def test_a_derived_achievement_is_listed_with_its_source_rule_and_version() -> None:
    result = evaluate_with(PACK, worker(macao()))
    assert result.to_dict()["derived"] == [
        {"id": "A1~cn-skill-4", "rule": MACAO, "version": "2022.1", "from": ["A1"]},
        {"id": "A1~cn-skill-4~gba-registered", "rule": GBA, "version": "2023.1", "from": ["A1~cn-skill-4"]},
    ]


def test_chains_a_to_b_to_c_and_stops_when_nothing_new_is_derived() -> None:
    # A1 (mo-dsal intermediate) -> A1~cn-skill-4 (level map) -> ~gba-registered; nothing matches C.
    result = evaluate_with(PACK, worker(macao()))
    assert [d.id for d in result.derived] == ["A1~cn-skill-4", "A1~cn-skill-4~gba-registered"]
    assert result.unmatched == ()  # A1 is converted (and through its derivatives)


def test_derived_achievements_are_converted_and_adjusted_like_real_ones() -> None:
    result = evaluate_with(PACK, worker(macao()))
    # A1 on its own: 30; A1~cn-skill-4: 40 x 1.2 (industry copied from the source) = 48;
    # the register entry: 25. One piece of learning: only the best (A1~cn-skill-4) counts.
    assert ledger(result) == [
        ("A1", "certificates/mo-dsal-by-grade", "30", "0", "duplicate"),
        ("A1~cn-skill-4", "certificates/cn-skill-by-level", "40", "48", "counted"),
        ("A1~cn-skill-4~gba-registered", "certificates/gba-register", "25", "0", "duplicate"),
    ]
    assert effects(result, "A1~cn-skill-4") == [
        ("certificate-adjustments/priority-industry", "2020.1", "x1.2")
    ]
    assert result.to_dict()["totals"] == {"all": "48", "by_category": {"advanced_manufacturing": "48"}}


def test_the_source_and_its_derivatives_count_once_naming_the_joining_equivalence() -> None:
    result = evaluate_with(PACK, worker(macao()))
    assert effects(result, "A1") == [
        (MACAO, "2022.1", "same learning as A1~cn-skill-4, which counts instead, -30")
    ]
    assert effects(result, "A1~cn-skill-4~gba-registered") == [
        (GBA, "2023.1", "same learning as A1~cn-skill-4, which counts instead, -25")
    ]
    zh = [a["effect"] for e in result.to_dict("zh")["ledger"] for a in e["adjustments"]]
    assert "与 A1~cn-skill-4 为同一学习成果，以 A1~cn-skill-4 计分，-30" in zh


def test_policies_see_derived_achievements() -> None:
    result = evaluate_with(PACK, worker(macao()))
    level_4 = result.outcome("level-4-electrician").to_dict()
    assert level_4["status"] == "met"
    assert level_4["because"] == [
        "A1~cn-skill-4 (Maintenance electrician): type = certificate, level.framework = cn-skill, "
        "occupation = 6-31-01-03, level.value >= 4"
    ]
    registered = result.outcome("registered-electrician").to_dict()
    assert registered["status"] == "met"
    assert registered["because"] == [
        "A1~cn-skill-4~gba-registered (Registered bay-area electrician): "
        "level.framework = gba, level.value = registered"
    ]


def test_a_fixed_target_level_and_a_changed_type() -> None:
    # A Hong Kong award (no conversion of its own) counts as a level-4 certificate titled Electrician.
    award = {
        "id": "H1",
        "type": "award",
        "title": "Registered electrical worker (grade A)",
        "industry": "advanced_manufacturing",
        "completed": "2024-02-01",
        "issuer": {"id": "HK-EMSD", "jurisdiction": "hong_kong"},
    }
    result = evaluate_with(PACK, worker(award))
    assert derived(result) == [
        ("H1~cn-skill-4", HK, ["H1"]),
        ("H1~cn-skill-4~gba-registered", GBA, ["H1~cn-skill-4"]),
    ]
    assert ledger(result) == [
        ("H1~cn-skill-4", "certificates/cn-skill-by-level", "40", "48", "counted"),
        ("H1~cn-skill-4~gba-registered", "certificates/gba-register", "25", "0", "duplicate"),
    ]
    assert result.unmatched == ()
    assert render(result.outcome("level-4-electrician").because[0]).startswith(
        "H1~cn-skill-4 (Electrician): "
    )


def test_a_level_with_no_match_in_the_level_map_is_reported_and_nothing_is_derived() -> None:
    result = evaluate_with(PACK, worker(macao(grade="senior")))
    assert result.derived == ()
    assert [render(w) for w in result.warnings] == [
        "A1: cross-border/macao-electrician has no cn-skill level for mo-dsal level senior; nothing derived"
    ]
    assert "没有对应的 cn-skill 等级" in render(result.warnings[0], "zh")
    # The Macao grade still converts on its own: 60 x 1.2.
    assert ledger(result) == [("A1", "certificates/mo-dsal-by-grade", "60", "72", "counted")]
    assert result.outcome("level-4-electrician").status == "unmet"


def test_equivalences_in_force_on_the_evaluation_date_decide() -> None:
    record = worker(macao())
    # Before cross-border (2022-09-01): nothing derived; A1 converts on its own, 30 x 1.2.
    before = evaluate_with(PACK, record, as_of=dt.date(2022, 8, 31))
    assert before.derived == ()
    assert ledger(before) == [("A1", "certificates/mo-dsal-by-grade", "30", "36", "counted")]
    assert before.outcome("level-4-electrician").status == "unmet"
    # Between cross-border and gba-register (2023-01-01): the chain stops at B.
    between = evaluate_with(PACK, record, as_of=dt.date(2022, 12, 31))
    assert derived(between) == [("A1~cn-skill-4", MACAO, ["A1"])]
    assert between.outcome("level-4-electrician").status == "met"
    assert between.outcome("registered-electrician").status == "unmet"
    assert "gba-register" not in between.to_dict()["pack"]["versions"]
    assert evaluate_with(PACK, record).to_dict()["pack"]["versions"]["gba-register"] == "2023.1"


# --- the source and its derivative are one piece of learning for caps and de-duplication ----------


def test_a_source_and_its_derivative_take_one_place_under_a_count_cap() -> None:
    # At most two certificates, first earned kept. A1 (2019) and A1~cn-skill-4 are one certificate,
    # so the welder (2021) is the second and the cook (2023) the third.
    record = worker(
        macao(),
        mainland("A2", 4, "6-18-02-04", "2021-05-01"),
        mainland("A3", 5, "4-03-02-01", "2023-03-01", industry="modern_services"),
    )
    result = evaluate_with(PACK, record)
    assert ledger(result) == [
        ("A1", "certificates/mo-dsal-by-grade", "30", "0", "duplicate"),
        ("A1~cn-skill-4", "certificates/cn-skill-by-level", "40", "48", "counted"),
        ("A1~cn-skill-4~gba-registered", "certificates/gba-register", "25", "0", "duplicate"),
        ("A2", "certificates/cn-skill-by-level", "40", "48", "counted"),
        ("A3", "certificates/cn-skill-by-level", "20", "0", "capped"),
    ]
    assert effects(result, "A3") == [
        ("certificate-adjustments/two-certificates", "2020.1", "at most 2 in all (keep first), -20")
    ]
    assert result.totals.all == 96


def test_a_derived_certificate_is_de_duplicated_against_a_real_one() -> None:
    # The new mainland level-3 electrician supersedes the Macao certificate's level-4 equivalent.
    record = worker(macao(), mainland("A4", 3, "6-31-01-03", "2024-05-01"))
    result = evaluate_with(PACK, record)
    assert derived(result) == [
        ("A1~cn-skill-4", MACAO, ["A1"]),
        ("A4~gba-registered", GBA, ["A4"]),
        ("A1~cn-skill-4~gba-registered", GBA, ["A1~cn-skill-4"]),
    ]
    assert ledger(result) == [
        ("A1", "certificates/mo-dsal-by-grade", "30", "0", "duplicate"),
        ("A1~cn-skill-4", "certificates/cn-skill-by-level", "40", "0", "duplicate"),
        ("A1~cn-skill-4~gba-registered", "certificates/gba-register", "25", "0", "duplicate"),
        ("A4", "certificates/cn-skill-by-level", "80", "96", "counted"),
        ("A4~gba-registered", "certificates/gba-register", "25", "0", "duplicate"),
    ]
    assert effects(result, "A1~cn-skill-4") == [
        (
            "certificate-adjustments/one-per-occupation",
            "2020.1",
            "duplicate of A4 (occupation=6-31-01-03, keep highest), -40",
        )
    ]
    assert effects(result, "A4~gba-registered") == [
        (GBA, "2023.1", "same learning as A4, which counts instead, -25")
    ]
    assert result.totals.all == 96


def test_a_derivative_worth_more_than_its_source_counts_instead_of_it() -> None:
    # The source is the lower entry here: A1 (30) gives way to A1~cn-skill-4 (40), whatever the order.
    result = evaluate_with(PACK, worker(macao(completed="2024-01-10")))
    statuses = {e.achievement: e.status for e in result.ledger}
    assert statuses == {
        "A1": "duplicate",
        "A1~cn-skill-4": "counted",
        "A1~cn-skill-4~gba-registered": "duplicate",
    }


# --- invalid equivalences: RuleError at FILE:LINE:COL with the key path ---------------------------

CROSS = "policies/cross-border.yaml"
REG = "policies/gba-register.yaml"

INVALID = [
    Edit(
        "unknown key in counts_as",
        CROSS,
        '      occupation: "6-31-01-03"\n      level: {framework: cn-skill, map: true}',
        '      occupation: "6-31-01-03"\n      colour: red\n      level: {framework: cn-skill, map: true}',
        "colour",
        "rules[0].counts_as.colour",
        "unknown key 'colour'",
    ),
    Edit(
        "counts_as type that is no achievement type",
        CROSS,
        "      type: certificate\n      title: Electrician",
        "      type: diploma\n      title: Electrician",
        "diploma",
        "rules[1].counts_as.type",
        "'course', 'certificate', 'formal_credit', 'qualification' or 'award'",
    ),
    Edit(
        "a level both fixed and mapped",
        REG,
        "level: {framework: gba, value: registered}",
        "level: {framework: gba, value: registered, map: true}",
        "{framework: gba, value",
        "rules[0].counts_as.level",
        "either as value: or as map: true",
    ),
    Edit(
        "map: true without level.framework in when",
        CROSS,
        "      level.framework: mo-dsal\n",
        "      level.framework: {in: [mo-dsal]}\n",  # not one framework: which map?
        "true}",
        "rules[0].counts_as.level.map",
        "map: true needs level.framework in when",
    ),
    Edit(
        "missing level map",
        "pack.yaml",
        "  - {from: mo-dsal, to: cn-skill, map: {junior: 5, intermediate: 4}}\n",
        "  - {from: mo-dsal, to: gba, map: {senior: registered}}\n",
        "NEEDLE-IN-CROSS",
        "",
        "",
    ),
    Edit(
        "unknown target framework",
        REG,
        "level: {framework: gba, value: registered}",
        "level: {framework: gbb, value: registered}",
        "gbb",
        "rules[0].counts_as.level.framework",
        "unknown framework 'gbb' (did you mean 'gba'?)",
    ),
    Edit(
        "target level not in its framework",
        REG,
        "level: {framework: gba, value: registered}",
        "level: {framework: gba, value: fellow}",
        "fellow",
        "rules[0].counts_as.level.value",
        "level 'fellow' is not in framework gba (registered, chartered)",
    ),
    Edit(
        "unknown field in when",
        REG,
        "{type: certificate, level.framework: cn-skill,",
        "{typ: certificate, level.framework: cn-skill,",
        "certificate, level.framework: cn-skill, occ",
        "rules[0].when.typ",
        "unknown field 'typ' (did you mean 'type'?)",
    ),
    Edit(
        "level comparison without level.framework in when",
        REG,
        "{type: certificate, level.framework: cn-skill,",
        "{type: certificate,",
        "4}}",
        "rules[0].when.level.value.gte",
        "a level comparison must name level.framework",
    ),
    Edit(
        "duplicate rule id",
        CROSS,
        "  - id: hk-registered-electrician",
        "  - id: macao-electrician",
        "macao-electrician",
        "rules[1].id",
        "duplicate rule id 'macao-electrician'",
        2,
    ),
    Edit(
        "no when",
        REG,
        '    when: {type: certificate, level.framework: cn-skill, occupation: "6-31-01-03", '
        "level.value: {gte: 4}}\n",
        "",
        "id: electrician",
        "rules[0]",
        "missing required key 'when'",
    ),
]


@pytest.mark.parametrize("case", [c for c in INVALID if c.case != "missing level map"], ids=lambda c: c.case)
def test_an_invalid_equivalence_is_refused_at_file_line_column(broken: Broken, case: Edit) -> None:
    broken.refused(PACK, case)


def test_a_counts_as_that_changes_nothing_is_refused(broken: Broken) -> None:
    broken.copy(PACK)
    broken.edit(
        CROSS,
        '    counts_as:\n      occupation: "6-31-01-03"\n      level: {framework: cn-skill, map: true}',
        "    counts_as: {}",
    )
    error = broken.error()
    problem = broken.problem_at(error, CROSS, "{}")
    assert problem.location is not None and problem.location.field == "rules[0].counts_as"
    assert problem.message == "counts_as changes nothing"
    # (Such a rule would also match its own derivative: the cycle may be reported as well.)
    assert all("counts_as" in p.message or "without end" in p.message for p in error.problems)


def test_a_when_that_fails_to_parse_is_one_problem_not_a_level_map_one_too(broken: Broken) -> None:
    # The condition names level.framework: mo-dsal; only the misspelt field is wrong.
    broken.copy(PACK)
    broken.edit(CROSS, "      issuer.jurisdiction: macao", "      issuer.jurisdicton: macao")
    broken.only_problem(
        CROSS, "macao\n", "rules[0].when.issuer.jurisdicton", "did you mean 'issuer.jurisdiction'?"
    )


def test_a_missing_level_map_is_reported_where_map_true_asks_for_it(broken: Broken) -> None:
    [case] = [c for c in INVALID if c.case == "missing level map"]
    broken.copy(PACK)
    broken.edit(case.file, case.old, case.new)
    broken.only_problem(
        CROSS,
        "true}",
        "rules[0].counts_as.level.map",
        "pack.yaml has no level_maps entry from mo-dsal to cn-skill",
    )


def test_a_cycle_between_two_files_is_refused_naming_both(broken: Broken) -> None:
    root = broken.copy(PACK)
    # The register now derives a Macao certificate again: macao-electrician -> electrician -> ...
    broken.edit(
        REG,
        "      title: Registered bay-area electrician\n      level: {framework: gba, value: registered}",
        "      title: Maintenance electrician\n      level: {framework: mo-dsal, value: intermediate}",
    )
    text = broken.text(CROSS)
    broken.edit(CROSS, text[text.index("  - id: hk-registered-electrician") :], "")  # only the two rules
    problem = broken.only_problem(CROSS, "id: macao-electrician", "rules[0]", "without end")
    assert problem.message == (
        "equivalence rules could derive each other without end: "
        f"{MACAO} -> {GBA} -> {MACAO} (files: {root / CROSS}, {root / REG})"
    )


def test_a_cycle_is_refused_whichever_other_rules_the_files_hold(broken: Broken) -> None:
    root = broken.copy(PACK)
    broken.edit(
        REG,
        "      title: Registered bay-area electrician\n      level: {framework: gba, value: registered}",
        "      title: Maintenance electrician\n      level: {framework: mo-dsal, value: intermediate}",
    )
    error = broken.error()
    assert len(error.problems) == 1, str(error)
    [problem] = error.problems
    assert problem.location is not None
    assert problem.location.file == str(root / CROSS)
    assert problem.location.path[0] == "rules"
    assert f"{GBA} -> {MACAO}" in problem.message
    assert f"(files: {root / CROSS}, {root / REG})" in problem.message


def test_no_cycle_when_a_derivative_keeps_a_type_the_other_rule_refuses(broken: Broken) -> None:
    # The register's derivative keeps type certificate (from its own when; counts_as does not change
    # it), so it can never match hk-registered-electrician (type award): no cycle, a valid pack.
    broken.copy(PACK)
    broken.edit(REG, "      title: Registered bay-area electrician\n", "")
    engine = Engine.load(broken.root)
    result = engine.evaluate(load_record(worker(macao())), as_of=AS_OF)
    assert [d.id for d in result.derived] == ["A1~cn-skill-4", "A1~cn-skill-4~gba-registered"]


def test_a_rule_that_derives_itself_again_is_a_cycle(broken: Broken) -> None:
    root = broken.copy(PACK)
    # Setting only the title keeps every fact the rule's own condition reads.
    broken.edit(
        REG,
        "      title: Registered bay-area electrician\n      level: {framework: gba, value: registered}",
        "      title: Electrician (register)",
    )
    problem = broken.only_problem(REG, "id: electrician", "rules[0]", "without end")
    assert problem.message == (
        f"equivalence rules could derive each other without end: {GBA} -> {GBA} (files: {root / REG})"
    )


def test_every_problem_of_several_broken_equivalences_is_listed(broken: Broken) -> None:
    broken.copy(PACK)
    broken.edit(REG, "level: {framework: gba, value: registered}", "level: {framework: gba, value: fellow}")
    broken.edit(CROSS, "      level.framework: mo-dsal\n", "      level.framework: {in: [mo-dsal]}\n")
    error = broken.error()
    assert len(error.problems) == 2, str(error)
    broken.problem_at(error, REG, "fellow")
    broken.problem_at(error, CROSS, "true}")
