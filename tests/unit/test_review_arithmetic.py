"""Regression tests for review issue 6 (arithmetic and pricing): each is named for the behaviour
it pins, and each failed before its fix. Packs are one-off, built in ``tmp_path``."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF, Kit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditengine import CreditEngineError, Engine, EvaluationError, ExpressionError, RuleError, load_record
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
    assert transfer["reason"] == "10 credits from 2 exempted courses"  # exemptions only: no points


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
        # two keys that normalise to the same value
        ("credits.value", "{2.5: 10, 3: 12, 2.50: 11}", "2.50", "same key as 2.5"),
        ("assessment.passed", "{true: 5, True: 6}", "True", "same key as true"),
        ("credits.value", "{10: 40, 1e1: 41}", "1e1", "same key as 10"),
        # a key that can never match the field's type
        ("credits.value", "{2.5: 10, two: 12}", "two", "not a number"),
        ("assessment.passed", "{true: 5, yes: 6}", "yes", "not true or false"),
        ("completed", "{2024-13-01: 5}", "2024-13-01", "not a date"),
    ],
)
def test_validate_refuses_lookup_keys_that_normalise_to_the_same_value_or_can_never_match(
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


# --- 5. arithmetic failures are evaluation errors naming worker, rule and location ---------------


def multiply_file(*factors: str) -> str:
    rules = "".join(f"  - {{id: m{i}, multiply: {factor}}}\n" for i, factor in enumerate(factors, 1))
    return Kit.head("adjustment", "adj") + "rules:\n" + rules


def test_points_multiplied_past_the_limit_are_an_evaluation_error_naming_worker_rule_and_location(
    kit: Kit, tmp_path: Path
) -> None:
    adjustments = multiply_file("1000000", "1000000", "1000000")
    files = {
        "pack.yaml": pack_yaml(6),
        "conversions/conv.yaml": kit.hours_conversion(),
        "adjustments/adj.yaml": adjustments,
    }
    with pytest.raises(EvaluationError) as info:
        kit.evaluate(files, kit.record(kit.course("A1", 100_000_000_000)))
    error = info.value
    line, column = Kit.where(adjustments, "{id: m1")
    assert (error.worker, error.rule) == ("W-TEST", "adj/m1")
    assert str(error) == (
        f"{tmp_path / 'pack/adjustments/adj.yaml'}:{line}:{column}: "
        "worker W-TEST, rule adj/m1: A1: points out of range (10000000000 x1000000) (at rules[0])"
    )


def test_amount_arithmetic_failure_names_the_worker_and_the_entitlement_rule(
    kit: Kit, tmp_path: Path
) -> None:
    allowance = Kit.head("entitlement", "pay") + (
        "currency: CNY\nrules:\n"
        "  - {id: per-hour, when: {type: course}, amount: {formula: '1000 / (hours - 240)'}}\n"
    )
    files = {
        "pack.yaml": pack_yaml(),
        "conversions/conv.yaml": kit.hours_conversion(),
        "policies/pay.yaml": allowance,
    }
    with pytest.raises(EvaluationError) as info:
        kit.evaluate(files, kit.record(kit.course("A1", 240)))
    line, column = Kit.where(allowance, "{id: per-hour")
    assert (info.value.worker, info.value.rule) == ("W-TEST", "pay/per-hour")
    assert str(info.value).startswith(
        f"{tmp_path / 'pack/policies/pay.yaml'}:{line}:{column}: worker W-TEST, rule pay/per-hour: "
        "A1: arithmetic failed (DivisionByZero)"
    )


def test_round_to_more_places_than_decimals_keep_is_an_evaluation_error(kit: Kit) -> None:
    files = {
        "pack.yaml": pack_yaml(),
        "conversions/conv.yaml": kit.conversion(
            """\
            - id: by-hours
              when: {type: course}
              points: {formula: "round(hours / 3, 40)"}
            """
        ),
    }
    with pytest.raises(EvaluationError, match=r"worker W-TEST, rule conv/by-hours: A1: arithmetic failed"):
        kit.evaluate(files, kit.record(kit.course("A1", 100)))


# Numbers at the documented limits (±10^12, 6 decimal places) and next to them.
EXTREMES = ["0.000001", "1", "999999.999999", "1000000", "999999999999.999999", "1000000000000"]
FORMULAS = [
    "hours / 10",
    "hours * {a}",
    "hours * hours * {a}",
    "hours / {a}",
    "round(hours * {a}, 6)",
    "round(hours / 3, {n})",
    "ceil(hours / {a}) - {a}",
    "floor(hours * {a})",
    "min(hours * {a} * {a}, {a})",
    "max(hours, {a}) / (hours - {a})",
    "-hours * {a}",
    "worker.insurance_months * {a} + hours",
    "{a} / (worker.insurance_months - {a})",
]
HOURS = ["0", "0.000001", "3", "240", "999999.999999", "999999999999.999999", "1000000000000"]


@st.composite
def extreme_case(draw: st.DrawFn) -> tuple[dict[str, str], dict[str, Any]]:
    def number() -> str:
        return draw(st.sampled_from(EXTREMES))

    def formula() -> str:
        template = draw(st.sampled_from(FORMULAS))
        return template.format(a=number(), n=draw(st.sampled_from([0, 6, 20, 28, 34, 40])))

    decimals = draw(st.integers(min_value=0, max_value=6))
    rounding = draw(st.sampled_from(["half_up", "half_even", "down", "up"]))
    files = {
        "pack.yaml": pack_yaml(decimals).replace("half_up", rounding),
        "conversions/conv.yaml": Kit.head("conversion", "conv")
        + f'rules:\n  - id: by-formula\n    when: {{type: course}}\n    points: {{formula: "{formula()}"}}\n',
    }
    factors = draw(st.lists(st.sampled_from(EXTREMES), max_size=3))
    cap = draw(st.sampled_from(["", *EXTREMES]))
    adjustments = multiply_file(*factors) if factors else ""
    if cap:
        cap_rule = f"  - {{id: cap, applies_to: {{type: course}}, cap: {{max: {cap}, per: year}}}}\n"
        adjustments = (adjustments or Kit.head("adjustment", "adj") + "rules:\n") + cap_rule
    if adjustments:
        files["adjustments/adj.yaml"] = adjustments
    percent = draw(st.sampled_from(["1000", "-99.999999"]))
    files["policies/pay.yaml"] = Kit.head("entitlement", "pay") + (
        f"currency: CNY\ndecimals: {draw(st.integers(0, 4))}\nrules:\n"
        f'  - id: per-course\n    when: {{type: course}}\n    amount: {{formula: "{formula()}"}}\n'
        f"    bonus: [{{when: {{hours: {{gte: 1}}}}, percent: {percent}}}]\n"
    )
    share = draw(st.sampled_from(["", "0.000001", "1"]))
    files["policies/programme-transfer.yaml"] = transfer_file(
        f"{{points: {number()}, credits: {number()}}}",
        decimals=draw(st.integers(0, 4)),
        credits=number(),
        exemptions="exemptions:\n  - id: any\n    when: {type: course}\n"
        f"    courses: [{{code: X-1, credits: {number()}}}]\n",
    ) + (f"max_share: {share}\n" if share else "")
    courses = [
        {
            "id": f"A{i}",
            "type": "course",
            "hours": Decimal(draw(st.sampled_from(HOURS))),
            "completed": "2024-05-01",
        }
        for i in range(draw(st.integers(1, 3)))
    ]
    months = draw(st.sampled_from([0, 1, 10**12]))
    return files, {
        "worker": {"id": "W-X", "attributes": {"insurance_months": months}},
        "achievements": courses,
    }


ALLOWED = (CreditEngineError, TypeError, ValueError)


def _outcome(engine: Engine, record: dict[str, Any]) -> str:
    try:
        return engine.evaluate(load_record(record), as_of=AS_OF).to_json()
    except ALLOWED as exc:
        return f"{type(exc).__name__}: {exc}"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extreme_case())
def test_extreme_numbers_raise_only_library_errors_and_stay_deterministic(
    case: tuple[dict[str, str], dict[str, Any]],
) -> None:
    files, record = case
    with tempfile.TemporaryDirectory() as folder:
        root = Kit.write_pack(Path(folder), files)
        try:
            engine = Engine.load(root)
        except ALLOWED:
            return  # refused at load time, as a pack of a divisor that is always 0 is
        first, second = _outcome(engine, record), _outcome(engine, record)
    assert first == second
    if first.startswith("EvaluationError"):
        assert "worker W-X, rule " in first, first
