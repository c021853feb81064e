"""Regression tests for review issue 6 (arithmetic and pricing): each is named for the behaviour
it pins, and each failed before its fix. Packs are one-off, built in ``tmp_path``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import Kit
from hypothesis import given, settings
from hypothesis import strategies as st

from creditengine import ExpressionError, RuleError
from creditengine._ir import Rounding, Scale
from creditengine._ledger import round_exact, round_points

PACK_YAML = """\
name: review
title: {en: Review pack}
scale: {unit: point, decimals: DECIMALS, rounding: half_up}
categories: [advanced_manufacturing, general]
default_category: general
frameworks:
  cn-skill: {levels: [5, 4, 3, 2, 1]}
attributes:
  insurance_months: {type: integer, min: 0}
"""


def pack_yaml(decimals: int = 1) -> str:
    return PACK_YAML.replace("DECIMALS", str(decimals))


def transfer_file(rate: str = "", *, decimals: int = 0, exemptions: str = "", credits: str = "120") -> str:
    return Kit.head("transfer", "programme-transfer") + (
        f"programme: {{id: PROG, title: {{en: Programme}}, credits: {credits}}}\n"
        + (f"rate: {rate}\n" if rate else "")
        + f"decimals: {decimals}\n"
        + exemptions
    )


def only_transfer(result: Any) -> dict[str, Any]:
    [found] = result.to_dict()["transfers"]
    return dict(found)


# --- 1. transfer rate: multiply before dividing -------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "hours", "decimals", "want"),
    [
        ("{points: 30, credits: 3}", 100, 0, "1"),  # 10 / 30 × 3 = 1
        ("{points: 12, credits: 3}", 40, 0, "1"),  # 4 / 12 × 3 = 1
        ("{points: 3, credits: 0.3}", 10, 1, "0.1"),  # 1 / 3 × 0.3 = 0.1
        ("{points: 3, credits: 1}", 20, 1, "0.6"),  # 2 / 3 = 0.666…, still rounded down
    ],
)
def test_transfer_rate_multiplies_before_dividing(
    kit: Kit, rate: str, hours: int, decimals: int, want: str
) -> None:
    files = {
        "pack.yaml": pack_yaml(),
        "conversions/conv.yaml": kit.hours_conversion(),
        "policies/programme-transfer.yaml": transfer_file(rate, decimals=decimals),
    }
    result = kit.evaluate(files, kit.record(kit.course("C1", hours)))
    transfer = only_transfer(result)
    assert (transfer["from_points"], transfer["credits"]) == (want, want), transfer


@settings(max_examples=300, deadline=None)
@given(
    st.decimals(min_value=-(10**12), max_value=10**12, places=6),
    st.integers(min_value=0, max_value=6),
    st.sampled_from(["half_up", "half_even", "down", "up"]),
)
def test_exact_rounding_agrees_with_decimal_quantize(value: Decimal, places: int, rounding: Rounding) -> None:
    # Where decimal arithmetic is exact, the exact helper must round exactly as quantize does.
    scale = Scale("point", places, rounding)
    assert round_exact(value, places=places, rounding=rounding) == round_points(value, scale)
    assert round_exact(value, times=Decimal(3), per=Decimal(3), places=places, rounding=rounding) == (
        round_points(value, scale)
    )


# --- 4. transfer credits honour decimals ---------------------------------------------------------

EXEMPTIONS = """\
exemptions:
  - id: any-course
    when: {type: course}
    courses:
      - {code: P-101, credits: 2.5}
      - {code: P-102, credits: 8}
"""


def test_exempted_credits_are_rounded_down_to_the_transfer_decimals(kit: Kit) -> None:
    files = {
        "pack.yaml": pack_yaml(),
        "conversions/conv.yaml": kit.hours_conversion(),
        "policies/programme-transfer.yaml": transfer_file(decimals=0, exemptions=EXEMPTIONS, credits="120.5"),
    }
    transfer = only_transfer(kit.evaluate(files, kit.record(kit.course("C1", 100))))
    assert [c["credits"] for c in transfer["exemptions"]] == ["2", "8"]
    assert (transfer["credits"], transfer["limit"]) == ("10", "120")
    assert transfer["reason"] == "0 credits from 0 points, 10 from 2 exempted courses"


def test_every_transfer_credit_figure_has_at_most_the_declared_decimals(kit: Kit) -> None:
    files = {
        "pack.yaml": pack_yaml(2),
        "conversions/conv.yaml": kit.conversion(
            """\
            - id: by-hours
              when: {type: course}
              points: {formula: "hours / 7"}
            """
        ),
        "policies/programme-transfer.yaml": transfer_file(
            "{points: 3, credits: 1.25}", decimals=1, exemptions=EXEMPTIONS, credits="33.37"
        ),
    }
    transfer = only_transfer(kit.evaluate(files, kit.record(kit.course("C1", 100))))
    # 100 / 7 = 14.29 points; x 1.25 / 3 = 5.954… -> 5.9; 2.5 + 8 exempted; limit 33.37 -> 33.3.
    figures = [transfer["credits"], transfer["limit"], transfer["from_points"]]
    figures += [c["credits"] for c in transfer["exemptions"]]
    assert figures == ["16.4", "33.3", "5.9", "2.5", "8"]


# --- 2. status entitlements are priced with the worker's attributes ------------------------------

HIGHLY_SKILLED = Kit.head("accreditation", "highly-skilled") + (
    "grants: highly-skilled\n"
    "requires:\n"
    "  achievement: {type: certificate, level.framework: cn-skill, level.value: {gte: 3}}\n"
)


def status_allowance(amount: str) -> str:
    return Kit.head("entitlement", "talent-allowance") + (
        "currency: CNY\n"
        "rules:\n"
        "  - id: highly-skilled\n"
        "    status: highly-skilled\n"
        f"    amount: {amount}\n"
        "    bonus: [{when: {worker.insurance_months: {gte: 12}}, percent: 50}]\n"
    )


@pytest.mark.parametrize(
    ("amount", "want"), [('{formula: "worker.insurance_months * 100"}', "3000"), ("1000", "1500")]
)
def test_status_entitlement_is_priced_with_the_worker_attributes(kit: Kit, amount: str, want: str) -> None:
    files = {
        "pack.yaml": pack_yaml(),
        "policies/highly-skilled.yaml": HIGHLY_SKILLED,
        "policies/talent-allowance.yaml": status_allowance(amount),
    }
    record = kit.record(kit.certificate("A1", 3), attributes={"insurance_months": 20})
    claims = [(c.rule, c.status, c.amount) for c in kit.evaluate(files, record).entitlements]
    assert claims == [("talent-allowance/highly-skilled", "granted", Decimal(want))]


@pytest.mark.parametrize(
    ("amount", "bonus_when", "needle"),
    [
        ('{formula: "hours * 10"}', "{worker.insurance_months: {gte: 12}}", "{formula"),
        ("1000", "{type: course}", "{type: course}"),
    ],
)
def test_status_entitlement_reading_an_achievement_field_is_refused_at_load(
    kit: Kit, tmp_path: Path, amount: str, bonus_when: str, needle: str
) -> None:
    text = status_allowance(amount).replace("{worker.insurance_months: {gte: 12}}", bonus_when)
    files = {
        "pack.yaml": pack_yaml(),
        "policies/highly-skilled.yaml": HIGHLY_SKILLED,
        "policies/talent-allowance.yaml": text,
    }
    with pytest.raises(ExpressionError) as info:
        kit.engine(files)
    [problem] = info.value.problems
    line, column = Kit.where(text, needle)
    assert str(problem).startswith(f"{tmp_path / 'pack/policies/talent-allowance.yaml'}:{line}:{column}: ")
    assert "only worker attributes" in problem.message


# --- 3. lookup-table keys are normalised as record values are ------------------------------------


def credit(ident: str, value: str) -> dict[str, Any]:
    return {
        "id": ident,
        "type": "formal_credit",
        "credits": {"value": Decimal(value), "system": "cn-higher-ed"},
        "completed": "2024-05-01",
    }


def lookup_conversion(lookup: str, table: str) -> str:
    return Kit.head("conversion", "conv") + (
        f"rules:\n  - id: by-table\n    points: {{lookup: {lookup}, table: {table}}}\n"
    )


def test_lookup_number_keys_are_normalised(kit: Kit) -> None:
    files = {
        "pack.yaml": pack_yaml(),
        "conversions/conv.yaml": lookup_conversion("credits.value", "{2.50: 10, 3.0: 12, 4: 16, 1e1: 40}"),
    }
    record = kit.record(
        credit("F1", "2.5"), credit("F2", "2.50"), credit("F3", "3"), credit("F4", "4.0"), credit("F5", "10")
    )
    result = kit.evaluate(files, record)
    assert [(e.achievement, e.points) for e in result.ledger] == [
        ("F1", 10),
        ("F2", 10),
        ("F3", 12),
        ("F4", 16),
        ("F5", 40),
    ]
    assert not result.warnings


def test_lookup_boolean_keys_are_normalised(kit: Kit) -> None:
    files = {
        "pack.yaml": pack_yaml(),
        "conversions/conv.yaml": lookup_conversion("assessment.passed", "{True: 5, FALSE: 1}"),
    }
    passed = kit.course("C1", 10, assessment={"passed": True})
    failed = kit.course("C2", 10, assessment={"passed": False})
    result = kit.evaluate(files, kit.record(passed, failed))
    assert [(e.achievement, e.points) for e in result.ledger] == [("C1", 5), ("C2", 1)]


@pytest.mark.parametrize(
    ("lookup", "table", "needle", "fragment"),
    [
        ("credits.value", "{2.5: 10, 3: 12, 2.50: 11}", "2.50", "same key as 2.5"),
        ("assessment.passed", "{true: 5, True: 6}", "True", "same key as true"),
        ("credits.value", "{10: 40, 1e1: 41}", "1e1", "same key as 10"),
    ],
)
def test_validate_refuses_lookup_keys_that_normalise_to_the_same_value(
    kit: Kit, tmp_path: Path, lookup: str, table: str, needle: str, fragment: str
) -> None:
    text = lookup_conversion(lookup, table)
    with pytest.raises(RuleError) as info:
        kit.engine({"pack.yaml": pack_yaml(), "conversions/conv.yaml": text})
    [problem] = info.value.problems
    line, column = Kit.where(text, needle)
    assert str(problem).startswith(f"{tmp_path / 'pack/conversions/conv.yaml'}:{line}:{column}: "), problem
    assert fragment in problem.message


@pytest.mark.parametrize(
    ("lookup", "table", "needle", "fragment"),
    [
        ("credits.value", "{2.5: 10, two: 12}", "two", "not a number"),
        ("assessment.passed", "{true: 5, yes: 6}", "yes", "not true or false"),
        ("completed", "{2024-13-01: 5}", "2024-13-01", "not a date"),
    ],
)
def test_validate_refuses_lookup_keys_that_can_never_match(
    kit: Kit, tmp_path: Path, lookup: str, table: str, needle: str, fragment: str
) -> None:
    text = lookup_conversion(lookup, table)
    with pytest.raises(RuleError) as info:
        kit.engine({"pack.yaml": pack_yaml(), "conversions/conv.yaml": text})
    [problem] = info.value.problems
    line, column = Kit.where(text, needle)
    assert str(problem).startswith(f"{tmp_path / 'pack/conversions/conv.yaml'}:{line}:{column}: "), problem
    assert fragment in problem.message


# --- 8. a constant divisor of zero is refused at load time ---------------------------------------


def formula_conversion(formula: str) -> str:
    return Kit.head("conversion", "conv") + (
        f'rules:\n  - id: by-formula\n    when: {{type: course}}\n    points: {{formula: "{formula}"}}\n'
    )


@pytest.mark.parametrize(
    ("formula", "divide"),
    [
        ("hours / 0", "/ 0"),
        ("hours / 0.00", "/ 0.00"),
        ("hours ÷ -0", "÷"),
        ("hours / (2 - 2)", "/ ("),
        ("hours / (2 * 3 - 6)", "/ ("),
        ("10 + hours / (0 * hours)", "/ ("),
        ("min(hours, 30) / (max(1, 2) - 2)", "/ ("),
        ("hours / floor(0.5)", "/ f"),
    ],
)
def test_formula_dividing_by_a_constant_zero_is_refused_at_load(
    kit: Kit, tmp_path: Path, formula: str, divide: str
) -> None:
    text = formula_conversion(formula)
    with pytest.raises(ExpressionError) as info:
        kit.engine({"pack.yaml": pack_yaml(), "conversions/conv.yaml": text})
    [problem] = info.value.problems
    line, column = Kit.where(text, divide)
    assert str(problem).startswith(f"{tmp_path / 'pack/conversions/conv.yaml'}:{line}:{column}: "), problem
    assert "divides by zero" in problem.message


@pytest.mark.parametrize("formula", ["hours / (hours - 240)", "hours / round(0.4)", "hours / (0.5 - 0.4)"])
def test_formula_dividing_by_a_divisor_that_may_be_nonzero_loads(kit: Kit, formula: str) -> None:
    kit.engine({"pack.yaml": pack_yaml(), "conversions/conv.yaml": formula_conversion(formula)})
