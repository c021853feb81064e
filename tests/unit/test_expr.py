"""Conditions and formulas (creditengine._expr): parsed into typed trees, checked at load time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from creditengine import RuleSyntaxError
from creditengine._expr import (
    ACHIEVEMENT_FIELDS,
    AllOf,
    AnyOf,
    BinOp,
    Call,
    Compare,
    Condition,
    Exists,
    FieldRef,
    Formula,
    Neg,
    Not,
    Number,
    condition_paths,
    formula_paths,
    parse_condition,
    parse_formula,
)
from creditengine._yaml import load_documents

FRAMEWORKS = {
    "cn-skill": ("5", "4", "3", "2", "1"),
    "hkqf": ("1", "2", "3", "4", "5", "6", "7"),
    "mo-dsal": ("junior", "intermediate", "senior"),
}

Problems = list[tuple[tuple[str | int, ...], str, int]]


def yaml_value(text: str) -> Any:
    """A YAML flow value read as the pack loader reads it (YInt, YDecimal, YDate, ...)."""
    return load_documents(f"v: {text}\n", "t.yaml", error=RuleSyntaxError)[0].data["v"]


def condition(text: str) -> tuple[Condition | None, Problems]:
    problems: Problems = []
    result = parse_condition(
        yaml_value(text),
        ("when",),
        lambda path, message, column: problems.append((path, message, column)),
        fields=ACHIEVEMENT_FIELDS,
        frameworks=FRAMEWORKS,
    )
    return result, problems


def good_condition(text: str) -> Condition:
    result, problems = condition(text)
    assert problems == []
    assert result is not None
    return result


def bad_condition(text: str) -> Problems:
    result, problems = condition(text)
    assert result is None
    assert problems
    return problems


def formula(text: object) -> tuple[Formula | None, Problems]:
    problems: Problems = []
    result = parse_formula(
        text,
        ("points", "formula"),
        lambda path, message, column: problems.append((path, message, column)),
        fields=ACHIEVEMENT_FIELDS,
    )
    return result, problems


def good_formula(text: str) -> Formula:
    result, problems = formula(text)
    assert problems == []
    assert result is not None
    return result


def bad_formula(text: object) -> tuple[str, int]:
    result, problems = formula(text)
    assert result is None
    assert len(problems) >= 1
    path, message, column = problems[0]
    assert path == ("points", "formula")
    return message, column


def compute(node: Formula, **fields: Decimal) -> Decimal:
    """Evaluate a formula tree of numbers, fields and + - * / (a test-side reference)."""
    if isinstance(node, Number):
        return node.value
    if isinstance(node, FieldRef):
        return fields[node.path.replace(".", "_")]
    if isinstance(node, Neg):
        return -compute(node.operand, **fields)
    if isinstance(node, Call):
        args = [compute(a, **fields) for a in node.args]
        return {"min": min, "max": max}[node.name](args)
    assert isinstance(node, BinOp)
    left, right = compute(node.left, **fields), compute(node.right, **fields)
    return {"+": left + right, "-": left - right, "*": left * right, "/": left / right}[node.op]


# --- conditions: operators ------------------------------------------------------------------------


def test_a_plain_value_means_equality() -> None:
    cond = good_condition("{type: certificate}")
    assert cond == Compare("type", "eq", "certificate", ("when", "type"))


@pytest.mark.parametrize(
    ("text", "op", "value"),
    [
        ("{hours: {eq: 10}}", "eq", Decimal(10)),
        ("{industry: {ne: general}}", "ne", "general"),
        ("{hours: {gt: 10}}", "gt", Decimal(10)),
        ("{hours: {gte: 10.5}}", "gte", Decimal("10.5")),
        ("{assessment.score: {lt: 60}}", "lt", Decimal(60)),
        ("{assessment.attendance: {lte: 0.8}}", "lte", Decimal("0.8")),
        ("{hours: {between: [10, 20]}}", "between", (Decimal(10), Decimal(20))),
        ("{industry: {in: [a, b]}}", "in", ("a", "b")),
        ("{industry: {not_in: [a]}}", "not_in", ("a",)),
        ("{completed: {gte: 2024-01-01}}", "gte", dt.date(2024, 1, 1)),
        (
            "{expires: {between: [2024-01-01, 2024-12-31]}}",
            "between",
            (dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ),
        ("{provider.accredited: true}", "eq", True),
        ("{occupation: 0601}", "eq", "0601"),
    ],
)
def test_each_operator_parses_with_a_typed_value(text: str, op: str, value: object) -> None:
    cond = good_condition(text)
    assert isinstance(cond, Compare)
    assert cond.op == op
    assert cond.value == value
    assert type(cond.value) is type(value)


@pytest.mark.parametrize(
    ("text", "present"), [("{level.value: {exists: true}}", True), ("{expires: {exists: false}}", False)]
)
def test_exists_tests_presence(text: str, present: bool) -> None:
    cond = good_condition(text)
    assert isinstance(cond, Exists)
    assert cond.present is present


def test_several_keys_must_all_hold() -> None:
    cond = good_condition("{type: course, hours: {gte: 10, lt: 100}}")
    assert isinstance(cond, AllOf)
    assert [(c.path, c.op) for c in cond.items if isinstance(c, Compare)] == [
        ("type", "eq"),
        ("hours", "gte"),
        ("hours", "lt"),
    ]


def test_all_any_and_not_nest() -> None:
    cond = good_condition("{any: [{type: course}, {all: [{type: award}, {not: {industry: general}}]}]}")
    assert isinstance(cond, AnyOf)
    assert cond.items[0] == Compare("type", "eq", "course", ("when", "any", 0, "type"))
    inner = cond.items[1]
    assert isinstance(inner, AllOf)
    assert isinstance(inner.items[1], Not)
    assert inner.items[1].item == Compare(
        "industry", "eq", "general", ("when", "any", 1, "all", 1, "not", "industry")
    )
    assert sorted(set(condition_paths(cond))) == ["industry", "type"]


def test_a_level_comparison_follows_the_framework_order() -> None:
    cond = good_condition("{level.framework: cn-skill, level.value: {gte: 3}}")
    assert isinstance(cond, AllOf)
    level = cond.items[1]
    assert isinstance(level, Compare)
    assert level.value == "3"
    assert level.order == FRAMEWORKS["cn-skill"]


def test_named_levels_compare_too() -> None:
    cond = good_condition("{level.framework: mo-dsal, level.value: {between: [intermediate, senior]}}")
    assert isinstance(cond, AllOf)
    assert cond.items[1] == Compare(
        "level.value",
        "between",
        ("intermediate", "senior"),
        ("when", "level.value", "between"),
        FRAMEWORKS["mo-dsal"],
    )


# --- conditions: errors ---------------------------------------------------------------------------


def test_unknown_field_suggests_the_closest_name() -> None:
    [(path, message, _)] = bad_condition("{industy: advanced_manufacturing}")
    assert path == ("when", "industy")
    assert "unknown field 'industy'" in message
    assert "did you mean 'industry'?" in message


def test_unknown_field_inside_any_is_located_by_its_path() -> None:
    [(path, message, _)] = bad_condition("{any: [{type: course}, {provider.acredited: true}]}")
    assert path == ("when", "any", 1, "provider.acredited")
    assert "did you mean 'provider.accredited'?" in message


def test_level_comparison_without_level_framework_is_an_error() -> None:
    [(path, message, _)] = bad_condition("{type: certificate, level.value: {gte: 3}}")
    assert path == ("when", "level.value", "gte")
    assert "level.framework" in message


def test_level_not_in_the_framework_is_an_error() -> None:
    [(path, message, _)] = bad_condition("{level.framework: cn-skill, level.value: {gte: 9}}")
    assert path == ("when", "level.value", "gte")
    assert "'9'" in message
    assert "cn-skill" in message


def test_level_equality_checks_the_framework_too() -> None:
    [(_, message, _)] = bad_condition("{level.framework: hkqf, level.value: 8}")
    assert "not in framework hkqf" in message


def test_unknown_framework_suggests_the_closest_name() -> None:
    [(path, message, _)] = bad_condition("{level.framework: cn-skil, level.value: {gte: 3}}")
    assert path == ("when", "level.framework")
    assert "did you mean 'cn-skill'?" in message


@pytest.mark.parametrize(
    ("text", "path", "fragment"),
    [
        ("{hours: abc}", ("when", "hours"), "needs a number"),
        ("{hours: {gt: abc}}", ("when", "hours", "gt"), "needs a number"),
        ("{hours: {gt: true}}", ("when", "hours", "gt"), "needs a number"),
        ("{hours: {gt: .inf}}", ("when", "hours", "gt"), "needs a number"),
        ("{hours: {between: [1, x]}}", ("when", "hours", "between", 1), "needs a number"),
        ("{completed: {gte: 2024}}", ("when", "completed", "gte"), "needs a date"),
        ("{completed: {gte: 2023-02-30}}", ("when", "completed", "gte"), "YYYY-MM-DD"),
        ("{provider.accredited: yes}", ("when", "provider.accredited"), "true or false"),
        ("{type: seminar}", ("when", "type"), "not one of"),
        ("{industry: 12}", None, None),
        ("{industry: {gt: a}}", ("when", "industry", "gt"), "compares numbers, dates or levels"),
        ("{hours: {between: [1]}}", ("when", "hours", "between"), "exactly two"),
        ("{hours: {in: 3}}", ("when", "hours", "in"), "non-empty list"),
        ("{hours: {in: []}}", ("when", "hours", "in"), "non-empty list"),
        ("{hours: [1, 2]}", ("when", "hours"), "write {in: [...]}"),
        ("{hours: {}}", ("when", "hours"), "empty operator map"),
        ("{hours: {gteq: 1}}", ("when", "hours", "gteq"), "unknown operator 'gteq'"),
        ("{hours: {exists: 1}}", ("when", "hours", "exists"), "true or false"),
        ("{type: null}", ("when", "type"), "needs text"),
        ("{any: []}", ("when", "any"), "non-empty list"),
        ("{not: [{type: course}]}", ("when", "not"), "non-empty mapping"),
        ("[]", ("when",), "non-empty mapping"),
        ("{}", ("when",), "non-empty mapping"),
    ],
)
def test_wrong_value_types_are_reported_at_their_path(
    text: str, path: tuple[str | int, ...] | None, fragment: str | None
) -> None:
    if path is None:
        # A number where text is wanted is read as written (industry codes can be digits).
        assert good_condition(text) == Compare("industry", "eq", "12", ("when", "industry"))
        return
    problems = bad_condition(text)
    assert problems[0][0] == path
    assert fragment is not None and fragment in problems[0][1]


def test_every_problem_in_a_condition_is_reported() -> None:
    problems = bad_condition("{typ: course, hours: abc, completed: {gt: soon}}")
    assert [p[0] for p in problems] == [("when", "typ"), ("when", "hours"), ("when", "completed", "gt")]


# --- formulas -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 - 4 - 3", 3),
        ("12 / 3 / 2", 2),
        ("2 * 3 + 4 * 5", 26),
        ("-2 * 3", -6),
        ("2 * -3", -6),
        ("- -4", 4),
        ("10 - -2", 12),
        ("1 - (2 - 3)", 2),
        ("0.5 * 3", Decimal("1.5")),
        ("hours / 10", 12),
        ("min(credits_value * 2, 30)", 30),
    ],
)
def test_formula_precedence_and_associativity(text: str, value: int | Decimal) -> None:
    node = good_formula(text.replace("credits_value", "credits.value"))
    assert compute(node, hours=Decimal(120), credits_value=Decimal(20)) == value


@pytest.mark.parametrize(
    ("unicode", "ascii"),
    [("hours × 2 ÷ 5", "hours * 2 / 5"), ("credits.value − 1", "credits.value - 1"), ("2×3÷4", "2*3/4")],
)
def test_unicode_operators_mean_the_ascii_ones(unicode: str, ascii: str) -> None:
    assert good_formula(unicode) == good_formula(ascii)


@pytest.mark.parametrize(
    "text",
    [
        "min(1, 2)",
        "min(1, 2, 3, 4)",
        "max(hours, 1)",
        "round(hours / 3)",
        "round(hours / 3, 2)",
        "floor(hours)",
        "ceil(hours / 7)",
    ],
)
def test_functions_with_the_right_number_of_arguments_parse(text: str) -> None:
    node = good_formula(text)
    assert isinstance(node, Call)
    assert node.name == text.split("(")[0]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("min(1)", "min takes at least 2 arguments, got 1"),
        ("max(hours)", "max takes at least 2 arguments, got 1"),
        ("floor(1, 2)", "floor takes 1 arguments, got 2"),
        ("ceil()", "expected a number, field or '('"),
        ("round(1, 2, 3)", "round takes 1 to 2 arguments, got 3"),
        ("round(hours, 1.5)", "whole number of places"),
        ("round(hours, hours)", "whole number of places"),
        ("min", "min is a function"),
    ],
)
def test_function_arity_is_checked(text: str, fragment: str) -> None:
    message, _ = bad_formula(text)
    assert fragment in message
    assert repr(text) in message


def test_unknown_function_suggests_the_closest_name() -> None:
    message, column = bad_formula("1 + mn(hours, 2)")
    assert "unknown function 'mn'" in message
    assert "did you mean 'min'?" in message
    assert column == 4


def test_unknown_field_in_a_formula_suggests_the_closest_name() -> None:
    message, column = bad_formula("credits.value * 2 + hour")
    assert "unknown field 'hour'" in message
    assert "did you mean 'hours'?" in message
    assert column == 20


@pytest.mark.parametrize(
    "field", ["industry", "completed", "level.value", "provider.accredited", "type", "title"]
)
def test_a_non_numeric_field_is_refused_in_a_formula(field: str) -> None:
    message, column = bad_formula(f"2 * {field}")
    assert f"{field} is" in message
    assert "not a number" in message
    assert column == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hours $ 2", "$"),
        ("hours ** 2", "*"),
        ("3 hours", "h"),
        ("hours)", ")"),
        ("__import__('os')", "'"),
        ("hours; 1", ";"),
    ],
)
def test_a_syntax_error_names_the_column_of_the_offending_character(text: str, expected: str) -> None:
    _, column = bad_formula(text)
    assert text[column] == expected
    if expected == "*":
        assert column == text.index("**") + 1


@pytest.mark.parametrize("text", ["hours / ", "(hours", "min(1, 2", ""])
def test_a_formula_that_ends_early_is_reported_at_its_end(text: str) -> None:
    message, column = bad_formula(text)
    assert "the end" in message
    assert column == len(text)


def test_a_malformed_number_is_refused() -> None:
    message, _ = bad_formula("1..2 * hours")
    assert "malformed number" in message


@pytest.mark.parametrize("value", [5, None, ["hours"]])
def test_a_formula_must_be_text(value: object) -> None:
    message, _ = bad_formula(value)
    assert "must be text" in message


def test_formula_paths_lists_every_field_read() -> None:
    node = good_formula("min(credits.value * 2, hours / 10) + -assessment.score")
    assert sorted(formula_paths(node)) == ["assessment.score", "credits.value", "hours"]
