"""Caps on the fixture pack tests/packs/caps/ (adjustments/caps.yaml), and a minimum from a source.

Points: courses hours / 10, certificates 5/4/3/2/1 -> 20/40/80/120/160, formal credits x 4, no
multipliers. Caps, in order: courses at most 24 a semester and 42 a year, years from 1 March keyed on
the completion date (courses with an occupation code are outside both); at most one certificate
outside the worker's major (highest kept); at most three certificates (highest kept); at most 20
points of formal credits per provider. accredited-learner: at least 30 points, of which at least 18
from accredited providers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from packtools import AS_OF, Broken, Edit, evaluate_with, worker
from views import sentences

from creditengine import Engine, Result, load_record

PACK = "caps"
MAJOR = {"programme": {"major": "advanced_manufacturing"}}


def course(ident: str, hours: int, completed: str, accredited: bool = True, **more: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "type": "course",
        "hours": hours,
        "completed": completed,
        "industry": "general",
        "provider": {"id": "SZ-TB-0042", "accredited": accredited},
        **more,
    }


def cert(ident: str, level: int, industry: str, completed: str) -> dict[str, Any]:
    return {
        "id": ident,
        "type": "certificate",
        "occupation": f"6-0{level}-00-{ident}",
        "level": {"framework": "cn-skill", "value": level},
        "industry": industry,
        "completed": completed,
    }


def credit(ident: str, value: int, provider: str, completed: str) -> dict[str, Any]:
    return {
        "id": ident,
        "type": "formal_credit",
        "credits": {"value": value, "system": "cn-higher-ed"},
        "field": "general",
        "provider": {"id": provider, "accredited": True},
        "completed": completed,
    }


def entries(result: Result) -> list[tuple[str, str, str, str]]:
    """(achievement, base, points, status) per ledger entry, as JSON shows them."""
    return [(e["achievement"], e["base"], e["points"], e["status"]) for e in result.to_dict()["ledger"]]


def effects(result: Result, achievement: str) -> list[tuple[str, str]]:
    return [
        (a["rule"], a["effect"])
        for e in result.to_dict()["ledger"]
        if e["achievement"] == achievement
        for a in e["adjustments"]
    ]


# --- per semester and per year, years from 1 March ------------------------------------------------

SEMESTERS = worker(
    course("C1", 150, "2024-03-10"),  # semester 2024-03-01..2024-08-31: 15
    course("C6", 100, "2024-04-01", occupation="6-31-01-03"),  # a certificate course: outside the caps
    course("C2", 150, "2024-05-20"),  # 15 + 15 = 30 > 24: 9
    course("C3", 200, "2024-09-15"),  # semester 2024-09-01..2025-02-28: 20; year 15 + 9 + 20 = 44 > 42: 18
    course("C4", 100, "2025-01-20"),  # semester 20 + 10 = 30 > 24: 4; year already full: 0
    course("C7", 50, "2025-02-28"),  # last day of the semester and of the year: semester full, 0
    course("C5", 100, "2025-03-01"),  # first day of a new year: 10
)


def test_semester_and_year_caps_from_1_march() -> None:
    result = evaluate_with(PACK, SEMESTERS)
    assert entries(result) == [
        ("C1", "15", "15", "counted"),
        ("C6", "10", "10", "counted"),
        ("C2", "15", "9", "capped"),
        ("C3", "20", "18", "capped"),
        ("C4", "10", "0", "capped"),
        ("C7", "5", "0", "capped"),
        ("C5", "10", "10", "counted"),
    ]
    assert result.totals.all == Decimal(62)


def test_each_cap_says_its_period() -> None:
    result = evaluate_with(PACK, SEMESTERS)
    assert effects(result, "C2") == [("caps/course-semester", "cap 24 per half (2024-03-01..2024-08-31), -6")]
    assert effects(result, "C3") == [("caps/course-year", "cap 42 per year (2024-03-01..2025-02-28), -2")]
    assert effects(result, "C4") == [
        ("caps/course-semester", "cap 24 per half (2024-09-01..2025-02-28), -6"),
        ("caps/course-year", "cap 42 per year (2024-03-01..2025-02-28), -4"),
    ]
    assert effects(result, "C7") == [("caps/course-semester", "cap 24 per half (2024-09-01..2025-02-28), -5")]
    assert effects(result, "C5") == []
    zh = [
        a["effect"]
        for e in result.to_dict("zh")["ledger"]
        if e["achievement"] == "C2"
        for a in e["adjustments"]
    ]
    assert zh == ["封顶：每半年（2024-03-01..2024-08-31） 24 分，-6"]


def test_the_year_cap_alone_when_semesters_are_under_their_cap() -> None:
    # 24 in each semester of one year: 48 > 42, so the last 6 go.
    record = worker(course("C1", 240, "2024-06-01"), course("C2", 240, "2024-12-01"))
    result = evaluate_with(PACK, record)
    assert entries(result) == [("C1", "24", "24", "counted"), ("C2", "24", "18", "capped")]


def test_the_completion_date_decides_the_period_not_the_record_order() -> None:
    # Listed late-first: the earlier course still fills the semester first.
    record = worker(course("C2", 150, "2024-05-20"), course("C1", 150, "2024-03-10"))
    result = evaluate_with(PACK, record)
    assert entries(result) == [("C2", "15", "9", "capped"), ("C1", "15", "15", "counted")]


def test_semesters_from_a_month_end_do_not_drift(broken: Broken) -> None:
    # Years from 31 August: semesters 2023-08-31..2024-02-28 and 2024-02-29..2024-08-30 (the
    # 29th in a leap year, then back to the 31st), not ..2024-08-28 and a new one from the 29th.
    broken.copy(PACK)
    broken.edit(
        "adjustments/caps.yaml",
        'cap: {max: 24, per: half, year_starts: "03-01"}',
        'cap: {max: 24, per: half, year_starts: "08-31"}',
    )
    record = worker(
        course("C1", 200, "2024-06-01"), course("C2", 200, "2024-08-29"), course("C3", 50, "2024-08-31")
    )
    result = Engine.load(broken.root).evaluate(load_record(record), as_of=AS_OF)
    assert entries(result) == [
        ("C1", "20", "20", "counted"),
        ("C2", "20", "4", "capped"),
        ("C3", "5", "5", "counted"),
    ]
    assert effects(result, "C2") == [
        ("caps/course-semester", "cap 24 per half (2024-02-29..2024-08-30), -16")
    ]


def test_an_exemption_keeps_learning_outside_the_cap() -> None:
    # Three certificate courses of 20 points in one semester: none is capped; they use no room either.
    record = worker(
        course("K1", 200, "2024-03-10", occupation="6-31-01-03"),
        course("K2", 200, "2024-04-10", occupation="6-31-01-03"),
        course("C1", 240, "2024-05-10"),
    )
    result = evaluate_with(PACK, record)
    assert [e[3] for e in entries(result)] == ["counted", "counted", "counted"]
    assert result.totals.all == Decimal(64)


# --- count caps ---------------------------------------------------------------------------------------

CERTIFICATES = worker(
    cert("X1", 3, "advanced_manufacturing", "2020-01-01"),  # 80, in the major
    cert("X2", 2, "digital_economy", "2021-01-01"),  # 120, outside: the one kept
    cert("X3", 4, "digital_economy", "2022-01-01"),  # 40, outside: second outside the major
    cert("X4", 4, "advanced_manufacturing", "2023-01-01"),  # 40
    cert("X5", 5, "advanced_manufacturing", "2024-01-01"),  # 20: fourth certificate, the lowest
    **MAJOR,
)


def test_at_most_one_outside_the_major_and_three_in_all_highest_kept() -> None:
    result = evaluate_with(PACK, CERTIFICATES)
    assert entries(result) == [
        ("X1", "80", "80", "counted"),
        ("X2", "120", "120", "counted"),
        ("X3", "40", "0", "capped"),
        ("X4", "40", "40", "counted"),
        ("X5", "20", "0", "capped"),
    ]
    # Capped to nothing, X3 takes no further part: no second "-0" from the certificate count.
    assert effects(result, "X3") == [("caps/outside-major", "at most 1 in all (keep highest), -40")]
    assert effects(result, "X5") == [("caps/certificate-count", "at most 3 in all (keep highest), -20")]
    assert result.to_dict()["totals"] == {
        "all": "240",
        "by_category": {"advanced_manufacturing": "120", "digital_economy": "120"},
    }


def test_outside_the_major_compares_with_the_workers_own_major() -> None:
    # For a digital-economy major, the advanced-manufacturing certificates are the outside ones:
    # X1 (80) is kept, X4 and X5 are capped; then X1, X2, X3 are the three.
    record = dict(
        CERTIFICATES, worker={"id": "W-TEST", "attributes": {"programme": {"major": "digital_economy"}}}
    )
    result = evaluate_with(PACK, record)
    assert [(e[0], e[3]) for e in entries(result)] == [
        ("X1", "counted"),
        ("X2", "counted"),
        ("X3", "counted"),
        ("X4", "capped"),
        ("X5", "capped"),
    ]


def test_without_a_major_no_certificate_is_outside_it() -> None:
    # {ne: {ref: worker.programme.major}} holds only when there is a major to compare with. Then the
    # three highest: X2 120, X1 80, and of X3 and X4 (40 each) the earlier, X3.
    result = evaluate_with(PACK, worker(*CERTIFICATES["achievements"]))
    statuses = {e[0]: e[3] for e in entries(result)}
    assert statuses == {"X1": "counted", "X2": "counted", "X3": "counted", "X4": "capped", "X5": "capped"}
    assert effects(result, "X4") == [("caps/certificate-count", "at most 3 in all (keep highest), -40")]
    assert [rule for rule, _ in effects(result, "X3")] == []


def test_a_certificate_capped_to_nothing_takes_no_place_in_a_later_count_cap(broken: Broken) -> None:
    # With keep: first, the three certificates kept should be the first three that still count:
    # X1, X2 and X4 (X3 is already worth nothing, capped as the second outside the major).
    broken.copy(PACK)
    broken.edit(
        "adjustments/caps.yaml",
        "cap: {count: 3, keep: highest, per: lifetime}",
        "cap: {count: 3, keep: first, per: lifetime}",
    )
    result = Engine.load(broken.root).evaluate(load_record(CERTIFICATES), as_of=AS_OF)
    statuses = {e[0]: e[3] for e in entries(result)}
    assert statuses == {"X1": "counted", "X2": "counted", "X3": "capped", "X4": "counted", "X5": "capped"}
    assert result.totals.all == Decimal(240)


# --- per provider ------------------------------------------------------------------------------------


def test_at_most_20_points_from_one_provider() -> None:
    record = worker(
        credit("F1", 3, "SZPT", "2022-01-15"),  # 12
        credit("F2", 3, "SZPT", "2023-01-15"),  # 12: 24 > 20, 8
        credit("F3", 4, "SZU", "2023-01-15"),  # 16, another provider
    )
    result = evaluate_with(PACK, record)
    assert entries(result) == [
        ("F1", "12", "12", "counted"),
        ("F2", "12", "8", "capped"),
        ("F3", "16", "16", "counted"),
    ]
    assert effects(result, "F2") == [("caps/per-provider", "cap 20 in all, for provider.id=SZPT, -4")]


# --- a minimum from a source (policy requirement) -----------------------------------------------


def minimum(result: Result) -> list[dict[str, Any]]:
    return result.outcome("accredited-learner").to_dict()["missing"]


def test_a_minimum_from_accredited_providers() -> None:
    # 10 accredited + 20 not: 30 in all, but only 10 of the 18 from accredited providers.
    record = worker(course("C1", 100, "2025-03-10"), course("C2", 200, "2025-09-10", accredited=False))
    result = evaluate_with(PACK, record)
    assert result.outcome("accredited-learner").status == "unmet"
    assert sentences(minimum(result)) == [
        {"requirement": "total from provider.accredited = true >= 18", "have": "10", "need": "8"}
    ]


def test_the_minimum_is_met_from_accredited_points() -> None:
    record = worker(
        course("C1", 100, "2025-03-10"),
        course("C2", 200, "2025-09-10", accredited=False),
        course("C3", 80, "2024-04-10"),
    )
    result = evaluate_with(PACK, record)
    assert result.outcome("accredited-learner").to_dict()["because"] == [
        "total >= 30 (has 38)",
        "total from provider.accredited = true >= 18 (has 18)",
    ]


def test_the_minimum_counts_points_after_caps() -> None:
    # 30 accredited points in one semester are capped to 24; 24 >= 18 but 24 < 30 in all.
    result = evaluate_with(PACK, worker(course("C1", 300, "2025-03-10")))
    assert sentences(minimum(result)) == [{"requirement": "total >= 30", "have": "24", "need": "6"}]


def test_a_minimum_from_a_source_in_one_category_names_both(broken: Broken) -> None:
    broken.copy(PACK)
    broken.edit(
        "policies/accredited-learner.yaml",
        "total: {gte: 18, where: {provider.accredited: true}}",
        "total: {gte: 18, category: advanced_manufacturing, where: {provider.accredited: true}}",
    )
    record = worker(
        course("C1", 100, "2025-03-10", industry="advanced_manufacturing"), course("C2", 300, "2024-03-10")
    )
    result = Engine.load(broken.root).evaluate(load_record(record), as_of=AS_OF)
    [gap] = result.outcome("accredited-learner").to_dict()["missing"]
    assert (gap["have"], gap["need"]) == ("10", "8")  # C2 is accredited but general
    assert "advanced_manufacturing" in gap["requirement"]
    assert "provider.accredited = true" in gap["requirement"]


# --- invalid caps: RuleError at FILE:LINE:COL with the key path ----------------------------------

CAPS = "adjustments/caps.yaml"
POLICY = "policies/accredited-learner.yaml"

INVALID = [
    Edit(
        "a cap with both max and count",
        CAPS,
        "cap: {max: 24, per: half",
        "cap: {max: 24, count: 2, per: half",
        "{max: 24, count",
        "rules[0].cap",
        "a cap needs exactly one of max (points) or count (achievements)",
    ),
    Edit(
        "a cap with neither max nor count",
        CAPS,
        "cap: {max: 20, per: lifetime, by: [provider.id]}",
        "cap: {per: lifetime, by: [provider.id]}",
        "{per: lifetime, by",
        "rules[4].cap",
        "a cap needs exactly one of max (points) or count (achievements)",
    ),
    Edit(
        "year_starts not as MM-DD",
        CAPS,
        'year_starts: "03-01"}',
        'year_starts: "3-1"}',
        '"3-1"',
        "rules[0].cap.year_starts",
        "must be a day of the year as MM-DD",
    ),
    Edit(
        "year_starts on a day no year has",
        CAPS,
        'year_starts: "03-01"}',
        'year_starts: "02-30"}',
        '"02-30"',
        "rules[0].cap.year_starts",
        "'02-30' must be a day of the year as MM-DD",
    ),
    Edit(
        "year_starts on 29 February",
        CAPS,
        'year_starts: "03-01"}',
        'year_starts: "02-29"}',
        '"02-29"',
        "rules[0].cap.year_starts",
        "must be a day of the year",
    ),
    Edit(
        "a period staff do not have",
        CAPS,
        "per: half,",
        "per: semester,",
        "semester, year_starts",
        "rules[0].cap.per",
        "'year', 'half', 'quarter', 'month' or 'lifetime'",
    ),
    Edit(
        "keep lowest",
        CAPS,
        "cap: {count: 1, keep: highest",
        "cap: {count: 1, keep: lowest",
        "lowest",
        "rules[2].cap.keep",
        "'highest' or 'first'",
    ),
    Edit(
        "a negative count",
        CAPS,
        "cap: {count: 3,",
        "cap: {count: -3,",
        "-3",
        "rules[3].cap.count",
        "greater than or equal to 0",
    ),
    Edit(
        "a ref to an unknown field",
        CAPS,
        "{ref: worker.programme.major}",
        "{ref: worker.programme.majr}",
        "worker.programme.majr",
        "rules[2].when.industry.ne.ref",
        "ref: unknown field 'worker.programme.majr' (did you mean 'worker.programme.major'?)",
    ),
    Edit(
        "a ref to a field of another type",
        CAPS,
        "{ref: worker.programme.major}",
        "{ref: hours}",
        "hours}",
        "rules[2].when.industry.ne.ref",
        "industry (text) cannot be compared with hours (number)",
    ),
    Edit(
        "a ref with an operator that takes a list",
        CAPS,
        "industry: {ne: {ref: worker.programme.major}}",
        "industry: {not_in: {ref: worker.programme.major}}",
        "{ref: worker",
        "rules[2].when.industry.not_in",
        "not_in cannot compare with another field",
    ),
    Edit(
        "by an unknown field",
        CAPS,
        "by: [provider.id]",
        "by: [provider.ident]",
        "provider.ident",
        "rules[4].cap.by[0]",
        "unknown field 'provider.ident' (did you mean 'provider.id'?)",
    ),
    Edit(
        "an exemption on an unknown field",
        CAPS,
        "unless: {occupation: {exists: true}}",
        "unless: {ocupation: {exists: true}}",
        "{exists: true}",
        "rules[0].unless.ocupation",
        "unknown field 'ocupation' (did you mean 'occupation'?)",
    ),
    Edit(
        "a cap and a multiplier in one rule",
        CAPS,
        "cap: {count: 3, keep: highest, per: lifetime}",
        "cap: {count: 3, keep: highest, per: lifetime}\n    multiply: 1.2",
        "id: certificate-count",
        "rules[3]",
        "an adjustment needs exactly one of multiply, cap, expire_after, dedupe, exclude (has multiply, cap)",
    ),
    Edit(
        "both when and applies_to",
        CAPS,
        "    applies_to: {type: formal_credit}",
        "    applies_to: {type: formal_credit}\n    when: {type: formal_credit}",
        "id: per-provider",
        "rules[4]",
        "when and applies_to are the same thing; give one",
    ),
    Edit(
        "a minimum from a source on an unknown field",
        POLICY,
        "where: {provider.accredited: true}",
        "where: {provider.accreditd: true}",
        "true}",
        "requires.all[1].total.where.provider.accreditd",
        "unknown field 'provider.accreditd' (did you mean 'provider.accredited'?)",
    ),
    Edit(
        "a total with an unknown key",
        POLICY,
        "total: {gte: 18, where:",
        "total: {gte: 18, source:",
        "source:",
        "requires.all[1].total.source",
        "unknown key 'source' in total",
    ),
]


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c.case)
def test_an_invalid_cap_is_refused_at_file_line_column(broken: Broken, case: Edit) -> None:
    broken.refused(PACK, case)
