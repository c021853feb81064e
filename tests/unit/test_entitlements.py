"""Entitlements (kind: entitlement) on the fixture pack tests/packs/entitlements/.

skill-subsidy 2024.1: cn-skill 5/4/3 -> CNY 1,000 / 1,500 / 2,000, +30% in a listed shortage
occupation (6-31-01-03, 6-20-03-01); the worker needs 12 months of insurance; claimed within 12
months of the certificate; once per (occupation, level); at most 2 claims a year, years from 1 March.
Its 2023.1 version (800 / 1,200 / 1,600) was in force in 2023. course-voucher: CNY 5 an hour up to
800 for accredited courses, within 90 days, one per half-year. talent-allowance: CNY 3,000 for the
status highly-skilled (a cn-skill certificate at level 3 or above).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from packtools import AS_OF, Broken, Edit, evaluate_with, worker
from views import sentences

from creditengine import Engine, Result, load_record

PACK = "entitlements"
SHORTAGE = "6-31-01-03"
PLAIN = "6-18-01-01"


def cert(ident: str, level: int, completed: str, occupation: str = PLAIN) -> dict[str, Any]:
    return {
        "id": ident,
        "type": "certificate",
        "title": f"Certificate {ident}",
        "occupation": occupation,
        "level": {"framework": "cn-skill", "value": level},
        "completed": completed,
    }


def course(ident: str, hours: int | Decimal, completed: str, accredited: bool = True) -> dict[str, Any]:
    return {
        "id": ident,
        "type": "course",
        "hours": hours,
        "completed": completed,
        "provider": {"id": "SZ-TB-0042", "accredited": accredited},
    }


def claims(result: Result, policy: str = "skill-subsidy") -> list[tuple[list[str], str, str, str]]:
    """(for, status, amount, rule) of each claim of ``policy``."""
    return [
        (c["for"], c["status"], c["amount"], c["rule"])
        for c in result.to_dict()["entitlements"]
        if c["policy"] == policy
    ]


def reasons(result: Result, policy: str = "skill-subsidy") -> list[str]:
    return [c["reason"] for c in result.to_dict()["entitlements"] if c["policy"] == policy]


INSURED = {"insurance_months": 24}


# --- amounts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "amount"), [(5, "1000"), (4, "1500"), (3, "2000")])
def test_the_amount_depends_on_the_certificate_level(level: int, amount: str) -> None:
    result = evaluate_with(PACK, worker(cert("A1", level, "2025-06-01"), **INSURED))
    assert claims(result) == [(["A1"], "granted", amount, "skill-subsidy/by-level")]
    assert reasons(result) == [f"A1: {amount} CNY"]
    [claim] = [c for c in result.entitlements if c.policy == "skill-subsidy"]
    assert (claim.version, claim.currency) == ("2024.1", "CNY")


@pytest.mark.parametrize("level", [2, 1])
def test_levels_outside_the_table_get_no_claim(level: int) -> None:
    result = evaluate_with(PACK, worker(cert("A1", level, "2025-06-01"), **INSURED))
    assert claims(result) == []


@pytest.mark.parametrize(("level", "amount"), [(5, "1300"), (4, "1950"), (3, "2600")])
def test_a_shortage_occupation_adds_30_percent(level: int, amount: str) -> None:
    result = evaluate_with(PACK, worker(cert("A1", level, "2025-06-01", SHORTAGE), **INSURED))
    assert claims(result) == [(["A1"], "granted", amount, "skill-subsidy/by-level")]
    base = {5: 1000, 4: 1500, 3: 2000}[level]
    assert reasons(result) == [f"A1: {base} CNY +30%"]
    assert result.entitlements[0].to_dict("zh")["reason"] == f"A1：{base} CNY +30%"


def test_an_amount_from_a_formula() -> None:
    # min(hours x 5, 800): 120 h -> 600; 200 h -> 800.
    short = evaluate_with(PACK, worker(course("C1", 120, "2025-10-15")))
    assert claims(short, "course-voucher") == [(["C1"], "granted", "600", "course-voucher/by-hours")]
    long = evaluate_with(PACK, worker(course("C2", 200, "2025-12-01")))
    assert claims(long, "course-voucher") == [(["C2"], "granted", "800", "course-voucher/by-hours")]
    unaccredited = evaluate_with(PACK, worker(course("C3", 200, "2025-12-01", accredited=False)))
    assert claims(unaccredited, "course-voucher") == []


def test_an_amount_is_rounded_to_the_entitlements_decimals() -> None:
    # 10.5 h x 5 = 52.5 CNY; course-voucher keeps 0 decimals, rounding half_up (pack.yaml): 53.
    result = evaluate_with(PACK, worker(course("C1", Decimal("10.5"), "2025-12-01")))
    assert claims(result, "course-voucher") == [(["C1"], "granted", "53", "course-voucher/by-hours")]


def test_an_amount_for_a_status_granted_by_a_policy() -> None:
    result = evaluate_with(PACK, worker(cert("A1", 3, "2019-06-01"), **INSURED))
    assert result.outcome("highly-skilled").met
    [allowance] = [c for c in result.to_dict()["entitlements"] if c["policy"] == "talent-allowance"]
    assert sentences(allowance) == {
        "policy": "talent-allowance",
        "version": "2024.1",
        "rule": "talent-allowance/highly-skilled",
        "status": "granted",
        "amount": "3000",
        "currency": "CNY",
        "for": [],
        "reason": "status highly-skilled: 3000 CNY",
    }
    # The 2019 certificate itself is long out of its claim window; the status has no window.
    assert claims(result) == [(["A1"], "refused", "0", "skill-subsidy/claim_within")]


def test_no_status_no_status_amount() -> None:
    result = evaluate_with(PACK, worker(cert("A1", 4, "2025-06-01"), **INSURED))
    assert not result.outcome("highly-skilled").met
    assert claims(result, "talent-allowance") == []


def test_the_version_in_force_on_the_evaluation_date_decides() -> None:
    record = worker(cert("A1", 4, "2023-03-10"), **INSURED)
    result = evaluate_with(PACK, record, as_of=dt.date(2023, 12, 31))
    assert claims(result) == [(["A1"], "granted", "1200", "skill-subsidy/by-level")]
    assert result.entitlements[0].version == "2023.1"
    assert result.to_dict()["pack"]["versions"]["skill-subsidy"] == "2023.1"


# --- eligibility and the claim window ---------------------------------------------------------------


@pytest.mark.parametrize("attributes", [{"insurance_months": 11}, {}])
def test_an_ineligible_worker_is_refused_by_the_eligible_rule(attributes: dict[str, int]) -> None:
    result = evaluate_with(
        PACK, worker(cert("A1", 4, "2025-06-01"), cert("A2", 5, "2025-07-01"), **attributes)
    )
    assert claims(result) == [
        (["A1"], "refused", "0", "skill-subsidy/eligible"),
        (["A2"], "refused", "0", "skill-subsidy/eligible"),
    ]
    assert reasons(result) == [
        "not eligible: needs worker insurance_months >= 12 (would be 1500)",
        "not eligible: needs worker insurance_months >= 12 (would be 1000)",
    ]


def test_twelve_months_of_insurance_is_enough() -> None:
    result = evaluate_with(PACK, worker(cert("A1", 4, "2025-06-01"), insurance_months=12))
    assert claims(result) == [(["A1"], "granted", "1500", "skill-subsidy/by-level")]


def test_the_claim_window_includes_its_last_day() -> None:
    # 12 months after 2024-12-31 is 2025-12-31, the evaluation date: still open.
    # 12 months after 2024-12-30 is 2025-12-30: closed.
    record = worker(cert("A1", 4, "2024-12-30"), cert("A2", 5, "2024-12-31"), **INSURED)
    result = evaluate_with(PACK, record)
    assert claims(result) == [
        (["A1"], "refused", "0", "skill-subsidy/claim_within"),
        (["A2"], "granted", "1000", "skill-subsidy/by-level"),
    ]
    assert reasons(result)[0] == "claim window closed on 2025-12-30 (would be 1500)"
    assert result.entitlements[0].to_dict("zh")["reason"] == "申领期限已于 2025-12-30 届满（本应为 1500）"


def test_a_window_in_days() -> None:
    # 90 days after 2025-10-02 is 2025-12-31; after 2025-10-01 it is 2025-12-30.
    record = worker(course("C1", 100, "2025-10-01"))
    assert claims(evaluate_with(PACK, record), "course-voucher") == [
        (["C1"], "refused", "0", "course-voucher/claim_within")
    ]
    record = worker(course("C1", 100, "2025-10-02"))
    assert claims(evaluate_with(PACK, record), "course-voucher") == [
        (["C1"], "granted", "500", "course-voucher/by-hours")
    ]


# --- once per key, claims per year --------------------------------------------------------------------


def test_the_same_occupation_and_level_is_paid_once() -> None:
    # A re-issued certificate (same occupation, same level) is refused; a higher level is not.
    record = worker(
        cert("A1", 4, "2025-03-05"),
        cert("A2", 4, "2025-04-01"),
        cert("A3", 3, "2025-05-01"),
        **INSURED,
    )
    result = evaluate_with(PACK, record)
    assert claims(result) == [
        (["A1"], "granted", "1500", "skill-subsidy/by-level"),
        (["A2"], "refused", "0", "skill-subsidy/once_per"),
        (["A3"], "granted", "2000", "skill-subsidy/by-level"),
    ]
    assert reasons(result)[1] == f"paid once per occupation={PLAIN}, level.value=4: A1 (would be 1500)"


def test_learning_without_the_key_is_not_a_repeat() -> None:
    # Two level-4 certificates with no occupation on record: nothing says they are the same one.
    first, second = cert("A1", 4, "2025-03-05"), cert("A2", 4, "2025-04-01")
    del first["occupation"], second["occupation"]
    result = evaluate_with(PACK, worker(first, second, **INSURED))
    assert claims(result) == [
        (["A1"], "granted", "1500", "skill-subsidy/by-level"),
        (["A2"], "granted", "1500", "skill-subsidy/by-level"),
    ]


def test_at_most_two_claims_a_year_with_years_starting_1_march() -> None:
    # 2025-02-10 falls in the year 2024-03-01..2025-02-28; the other three in 2025-03-01..2026-02-28,
    # of which the first two are paid. (With calendar years 2025-06-01 would be refused too.)
    record = worker(
        cert("A1", 5, "2025-02-10", "6-01-01-01"),
        cert("A2", 5, "2025-03-05", "6-02-02-02"),
        cert("A3", 5, "2025-06-01", "6-03-03-03"),
        cert("A4", 5, "2025-09-01", "6-04-04-04"),
        **INSURED,
    )
    result = evaluate_with(PACK, record)
    assert claims(result) == [
        (["A1"], "granted", "1000", "skill-subsidy/by-level"),
        (["A2"], "granted", "1000", "skill-subsidy/by-level"),
        (["A3"], "granted", "1000", "skill-subsidy/by-level"),
        (["A4"], "refused", "0", "skill-subsidy/max_claims"),
    ]
    assert reasons(result)[3] == "at most 2 claims per year (2025-03-01..2026-02-28) (would be 1000)"


def test_a_refused_claim_does_not_use_up_the_yearly_limit() -> None:
    # A2 is refused as a repeat of A1, so A3 is the second claim of the year, not the third.
    record = worker(
        cert("A1", 4, "2025-03-05"),
        cert("A2", 4, "2025-04-01"),
        cert("A3", 5, "2025-06-01", "6-03-03-03"),
        **INSURED,
    )
    result = evaluate_with(PACK, record)
    assert [c[1] for c in claims(result)] == ["granted", "refused", "granted"]


def test_one_claim_per_half_year() -> None:
    # Halves from 1 January: C1 and C2 both in 2025-07-01..2025-12-31; the first is paid.
    record = worker(course("C1", 100, "2025-10-10"), course("C2", 100, "2025-11-10"))
    result = evaluate_with(PACK, record)
    assert claims(result, "course-voucher") == [
        (["C1"], "granted", "500", "course-voucher/by-hours"),
        (["C2"], "refused", "0", "course-voucher/max_claims"),
    ]
    assert reasons(result, "course-voucher")[1] == (
        "at most 1 claim per half (2025-07-01..2025-12-31) (would be 500)"
    )


def test_every_refusal_names_the_rule_that_refused_it() -> None:
    record = worker(
        cert("A1", 4, "2023-01-01"),  # window closed
        cert("A2", 4, "2025-03-05"),
        cert("A3", 4, "2025-04-01"),  # once per occupation and level
        cert("A4", 5, "2025-05-01", "6-04-04-04"),
        cert("A5", 3, "2025-06-01", "6-05-05-05"),  # third claim of the year
        **INSURED,
    )
    refused = {c[0][0]: c[3] for c in claims(evaluate_with(PACK, record)) if c[1] == "refused"}
    assert refused == {
        "A1": "skill-subsidy/claim_within",
        "A3": "skill-subsidy/once_per",
        "A5": "skill-subsidy/max_claims",
    }


def test_claims_are_listed_in_date_order_with_zero_for_refused() -> None:
    record = worker(cert("A2", 4, "2025-06-01"), cert("A1", 4, "2023-01-01"), **INSURED)
    data = evaluate_with(PACK, record).to_dict()["entitlements"]
    assert [(c["for"], c["amount"]) for c in data] == [(["A1"], "0"), (["A2"], "1500")]


# --- invalid entitlements: RuleError at FILE:LINE:COL with the key path ---------------------------

FILE = "policies/skill-subsidy.yaml"
VOUCHER = "policies/course-voucher.yaml"
ALLOWANCE = "policies/talent-allowance.yaml"

INVALID = [
    Edit(
        "unknown currency format",
        VOUCHER,
        "currency: CNY",
        "currency: yuan",
        "yuan",
        "currency",
        "a currency is a three-letter code in capitals",
    ),
    Edit(
        "a rule with both when and status",
        ALLOWANCE,
        "    status: highly-skilled",
        "    status: highly-skilled\n    when: {type: certificate}",
        "id: highly-skilled",
        "rules[0]",
        "needs exactly one of when (an achievement) or status",
    ),
    Edit(
        "a rule with neither when nor status",
        ALLOWANCE,
        "    status: highly-skilled\n",
        "",
        "id: highly-skilled",
        "rules[0]",
        "needs exactly one of when (an achievement) or status",
    ),
    Edit(
        "a status no policy grants",
        ALLOWANCE,
        "status: highly-skilled",
        "status: highly-skiled",
        "highly-skiled",
        "rules[0].status",
        "status 'highly-skiled' is granted by no policy (did you mean 'highly-skilled'?)",
    ),
    Edit(
        "an empty claim window",
        VOUCHER,
        "claim_within: {days: 90}",
        "claim_within: {}",
        "{}",
        "claim_within",
        "a period needs years, months or days",
    ),
    Edit(
        "a claim window in weeks",
        VOUCHER,
        "claim_within: {days: 90}",
        "claim_within: {weeks: 12}",
        "weeks",
        "claim_within.weeks",
        "unknown key 'weeks'",
    ),
    Edit(
        "zero claims a year",
        VOUCHER,
        "max_claims: {count: 1, per: half}",
        "max_claims: {count: 0, per: half}",
        "0, per",
        "max_claims.count",
        "greater than or equal to 1",
    ),
    Edit(
        "bad year_starts",
        VOUCHER,
        "max_claims: {count: 1, per: half}",
        'max_claims: {count: 1, per: half, year_starts: "13-01"}',
        '"13-01"',
        "max_claims.year_starts",
        "must be a day of the year as MM-DD",
    ),
    Edit(
        "claims per fortnight",
        VOUCHER,
        "per: half}",
        "per: fortnight}",
        "fortnight",
        "max_claims.per",
        "'year', 'half', 'quarter', 'month' or 'lifetime'",
    ),
    Edit(
        "once per an unknown field",
        FILE,
        'once_per: [occupation, level.value]\nmax_claims: {count: 2, per: year, year_starts: "03-01"}\n'
        "rules:\n  - id: by-level\n    title",
        'once_per: [occupaton, level.value]\nmax_claims: {count: 2, per: year, year_starts: "03-01"}\n'
        "rules:\n  - id: by-level\n    title",
        "occupaton",
        "once_per[0]",
        "unknown field 'occupaton' (did you mean 'occupation'?)",
    ),
    Edit(
        "a bonus over 1000 percent",
        FILE,
        "percent: 30",
        "percent: 3000",
        "3000",
        "rules[0].bonus[0].percent",
        "less than or equal to 1000",
    ),
    Edit(
        "a bonus condition on an unknown field",
        FILE,
        "when: {occupation: {in:",
        "when: {occupaton: {in:",
        '{in: ["6-31',
        "rules[0].bonus[0].when.occupaton",
        "unknown field 'occupaton'",
    ),
    Edit(
        "an amount table with a level not in the framework",
        FILE,
        "table: {5: 1000, 4: 1500, 3: 2000}",
        "table: {6: 1000, 4: 1500, 3: 2000}",
        "1000, 4: 1500",
        "rules[0].amount.table.6",
        "level '6' is not in the framework",
    ),
    Edit(
        "an amount that is no number",
        ALLOWANCE,
        "amount: 3000",
        "amount: lots",
        "lots",
        "rules[0].amount",
        "amount needs a number",
    ),
    Edit(
        "eligibility on an undeclared worker attribute",
        VOUCHER,
        "currency: CNY",
        "currency: CNY\neligible:\n  worker: {insurance_month: {gte: 12}}",
        "{gte: 12}",
        "eligible.worker.insurance_month",
        "unknown field 'insurance_month' (did you mean 'insurance_months'?)",
    ),
    Edit(
        "too many decimals",
        VOUCHER,
        "decimals: 0",
        "decimals: 5",
        "5\nclaim_within",
        "decimals",
        "less than or equal to 4",
    ),
]


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c.case)
def test_an_invalid_entitlement_is_refused_at_file_line_column(broken: Broken, case: Edit) -> None:
    broken.refused(PACK, case)


def test_a_problem_in_the_second_document_of_a_file_is_located_there(broken: Broken) -> None:
    broken.copy(PACK)
    broken.edit(FILE, "decimals: 2", "decimals: two")
    broken.only_problem(FILE, "two", "decimals", "expected a whole number")


def test_a_source_and_its_derivative_are_claimed_once(broken: Broken) -> None:
    # An equivalence added to a copy of the pack: a CNC operator certificate also counts as the
    # shortage-listed electrician trade (illustrative), so its derivative would earn the bonus.
    broken.copy(PACK)
    broken.write(
        "policies/recognition.yaml",
        """\
        id: recognition
        kind: equivalence
        version: "1"
        effective: {from: 2020-01-01}
        title: {en: Recognition}
        reference: "Fixture"
        rules:
          - id: cnc-as-electrician
            reference: "Fixture"
            when: {type: certificate, occupation: "6-18-01-01"}
            counts_as: {occupation: "6-31-01-03"}
        """,
    )
    engine = Engine.load(broken.root)
    result = engine.evaluate(load_record(worker(cert("A1", 4, "2025-06-01"), **INSURED)), as_of=AS_OF)
    assert [d.id for d in result.derived] == ["A1~cnc-as-electrician"]
    data = [c for c in result.to_dict()["entitlements"] if c["policy"] == "skill-subsidy"]
    # One piece of learning, one claim: the better one (1,500 + 30%), the other refused.
    assert [(c["for"], c["status"], c["amount"]) for c in data] == [
        (["A1"], "refused", "0"),
        (["A1~cnc-as-electrician"], "granted", "1950"),
    ]
    assert data[0]["reason"] == "same learning as A1~cnc-as-electrician, claimed there (would be 1500)"
    assert data[0]["rule"] in ("skill-subsidy/by-level", "recognition/cnc-as-electrician")
