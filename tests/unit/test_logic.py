"""Reasoning over conditions (creditengine/_logic.py): typed ranges, sets, level orders,
absence; and, checked against the compiled evaluator's own predicates, that what it says
(cannot hold, implies) is true for every generated achievement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditengine._evaluators.codegen import MissingField, generate
from creditengine._expr import (
    ACHIEVEMENT_FIELDS,
    AllOf,
    AnyOf,
    BinOp,
    Compare,
    Condition,
    Exists,
    FieldRef,
    FieldSpec,
    FieldType,
    Not,
    Number,
)
from creditengine._ir import FixedPoints, FormulaPoints, Pack, Points
from creditengine._limits import DEFAULT_LIMITS
from creditengine._lint import _Linter
from creditengine._logic import And, Logic, Ranges
from tests.irtools import CN_SKILL, conversion_pack, matching_pack, nested

MONTHS = FieldSpec(FieldType.INTEGER, (), Decimal(0), None)
FIELDS = {**ACHIEVEMENT_FIELDS, "worker.months": MONTHS}
LOGIC = Logic(FIELDS)
HERE: tuple[str | int, ...] = ()


def c(path: str, op: str, value: Any, order: tuple[str, ...] = ()) -> Compare:
    return Compare(path, op, value, HERE, order)


def every(*items: Condition) -> Condition:
    return AllOf(items, HERE)


def some(*items: Condition) -> Condition:
    return AnyOf(items, HERE)


def possible(cond: Condition) -> bool | None:
    return LOGIC.possible(LOGIC.of(cond))


def implies(a: Condition, b: Condition) -> bool | None:
    return LOGIC.implies(LOGIC.of(a), LOGIC.of(b))


D = Decimal


@pytest.mark.parametrize(
    ("cond", "expected"),
    [
        (every(c("hours", "gt", D(10)), c("hours", "lt", D(5))), False),
        (every(c("hours", "gt", D(10)), c("hours", "lt", D(11))), True),  # 10.5 is a number
        (every(c("hours", "gte", D(10)), c("hours", "lte", D(10))), True),
        (every(c("hours", "gt", D(10)), c("hours", "lte", D(10))), False),
        (every(c("worker.months", "gt", D(2)), c("worker.months", "lt", D(3))), False),  # whole numbers
        (c("worker.months", "lt", D(0)), False),  # declared min: 0
        (c("worker.months", "between", (D(-5), D(0))), True),
        (every(c("hours", "in", (D(1), D(2))), c("hours", "not_in", (D(1), D(2)))), False),
        (every(c("hours", "ne", D(3)), c("hours", "between", (D(3), D(3)))), False),
        (every(c("type", "ne", "course"), c("type", "in", ("course",))), False),
        (
            every(
                c("type", "not_in", ("course", "certificate", "formal_credit", "qualification")),
                c("type", "ne", "award"),
            ),
            False,  # type has five values
        ),
        (every(c("provider.accredited", "ne", True), c("provider.accredited", "ne", False)), False),
        (
            every(
                Not(c("provider.accredited", "eq", True), HERE),
                Not(c("provider.accredited", "eq", False), HERE),
            ),
            True,
        ),
        (every(c("industry", "ne", "a"), c("industry", "ne", "b")), True),  # text has more values
        (every(c("level.value", "gte", "3", CN_SKILL), c("level.value", "eq", "4")), False),
        (every(c("level.value", "gte", "3", CN_SKILL), c("level.value", "eq", "1")), True),
        (every(c("level.value", "between", ("4", "2"), CN_SKILL), c("level.value", "in", ("5", "1"))), False),
        (
            every(
                c("completed", "gte", dt.date(2024, 1, 1)),
                c("completed", "lt", dt.date(2024, 1, 2)),
                c("completed", "ne", dt.date(2024, 1, 1)),
            ),
            False,
        ),
        (every(Exists("hours", False, HERE), c("hours", "ne", D(1))), False),  # a missing field fails ne
        (every(Exists("hours", False, HERE), Not(c("hours", "eq", D(1)), HERE)), True),
        (some(c("hours", "gt", D(1)), c("type", "eq", "award")), True),
    ],
)
def test_whether_a_condition_can_hold(cond: Condition, expected: bool) -> None:
    assert possible(cond) is expected


def test_implication_follows_ranges_and_level_order() -> None:
    assert implies(c("hours", "gt", D(10)), c("hours", "gte", D(10))) is True
    assert implies(c("hours", "gte", D(10)), c("hours", "gt", D(10))) is False
    assert implies(c("level.value", "gte", "2", CN_SKILL), c("level.value", "gte", "3", CN_SKILL)) is True
    assert implies(c("level.value", "gte", "3", CN_SKILL), c("level.value", "gte", "2", CN_SKILL)) is False
    # absence: "not (hours < 5)" holds for a record without hours, "hours >= 5" does not
    assert implies(Not(c("hours", "lt", D(5)), HERE), c("hours", "gte", D(5))) is False
    assert (
        implies(
            every(Not(c("hours", "lt", D(5)), HERE), Exists("hours", True, HERE)), c("hours", "gte", D(5))
        )
        is True
    )


def test_what_it_does_not_understand_never_makes_a_condition_impossible() -> None:
    ref = Compare("field", "eq", None, HERE, (), "worker.programme.major")
    unknown = Compare("title", "contains", "robot", HERE)  # an operator added by a later version
    assert (
        possible(every(ref, Not(Compare("field", "ne", None, HERE, (), "worker.programme.major"), HERE)))
        is True
    )
    assert possible(unknown) is True and possible(Not(unknown, HERE)) is True
    assert implies(c("type", "eq", "course"), unknown) is False
    # the same test written twice is the same test, wherever it is written
    elsewhere = Compare("title", "contains", "robot", ("rules", 3, "when"))
    assert implies(every(unknown, c("type", "eq", "course")), elsewhere) is True
    assert possible(every(unknown, Not(elsewhere, HERE))) is False


def test_conflicts_name_the_fields_that_leave_no_value() -> None:
    cond = every(c("hours", "gt", D(10)), c("hours", "lt", D(5)), c("type", "eq", "course"))
    assert LOGIC.conflicts(LOGIC.of(cond)) == ("hours",)


def test_discrete_ranges_complement_to_whole_numbers() -> None:
    inside = Ranges.of([(D(2), False, D(5), False)], absent=False, discrete=True)
    assert inside.intervals == ((3, True, 4, True),)
    outside = inside.complement()
    assert outside.absent
    assert outside.intervals == ((None, False, 2, True), (5, True, None, False))
    assert inside.meet(outside).empty()


# --- the answers hold for every achievement the compiled evaluator is asked about ---------------

NUMBERS = [D(0), D(5), D(10), D("10.5"), D(20)]
DATES = [dt.date(2023, 12, 31), dt.date(2024, 1, 1), dt.date(2024, 6, 30)]
TEXTS = ["a", "b", "c"]
TYPES = ["course", "certificate", "award"]
MONTH_VALUES = [D(0), D(3), D(12)]

_ORDERED = ["gt", "gte", "lt", "lte"]


def _leaf(
    path: str, pool: list[Any], ordered: bool, order: tuple[str, ...] = ()
) -> st.SearchStrategy[Condition]:
    value = st.sampled_from(pool)
    ops = ["eq", "ne", *(_ORDERED if ordered else [])]
    out = [
        st.builds(
            lambda op, v: Compare(path, op, v, HERE, order if op in _ORDERED else ()),
            st.sampled_from(ops),
            value,
        ),
        st.builds(
            lambda op, vs: Compare(path, op, tuple(vs), HERE),
            st.sampled_from(["in", "not_in"]),
            st.lists(value, min_size=1, max_size=3, unique=True),
        ),
        st.builds(lambda present: Exists(path, present, HERE), st.booleans()),
    ]
    if ordered:
        out.append(
            st.builds(
                lambda a, b: Compare(
                    path, "between", (a, b) if _rank(a, order) <= _rank(b, order) else (b, a), HERE, order
                ),
                value,
                value,
            )
        )
    return st.one_of(out)


def _rank(value: Any, order: tuple[str, ...]) -> Any:
    return order.index(value) if order else value


LEAVES = st.one_of(
    _leaf("hours", NUMBERS, True),
    _leaf("worker.months", MONTH_VALUES, True),
    _leaf("completed", DATES, True),
    _leaf("level.value", list(CN_SKILL), True, CN_SKILL),
    _leaf("industry", TEXTS, False),
    _leaf("type", TYPES, False),
    _leaf("provider.accredited", [True, False], False),
)
CONDITIONS = nested(LEAVES)

#: Facts: the pools' values, values between and beyond them, and absence (a key left out).
FACTS = st.fixed_dictionaries(
    {},
    optional={
        "hours": st.sampled_from([*NUMBERS, D(-1), D(7), D("10.25"), D(99)]),
        "worker.months": st.sampled_from([*MONTH_VALUES, D(1), D(100)]),
        "completed": st.sampled_from([*DATES, dt.date(2020, 1, 1), dt.date(2024, 3, 1), dt.date(2030, 1, 1)]),
        "level.value": st.sampled_from([*CN_SKILL, "9"]),
        "industry": st.sampled_from([*TEXTS, "z"]),
        "type": st.sampled_from([*TYPES, "formal_credit", "qualification"]),
        "provider.accredited": st.booleans(),
    },
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _predicates(*conds: Condition) -> list[Any]:
    generated = generate(matching_pack(list(conds), attributes=(("months", MONTHS),)))
    return [generated.predicate(cond) for cond in conds]


@SETTINGS
@given(CONDITIONS, CONDITIONS, st.lists(FACTS, min_size=30, max_size=30))
def test_a_condition_said_to_imply_another_never_holds_without_it(
    a: Condition, other: Condition, facts: list[dict[str, Any]]
) -> None:
    # b: another condition, or one made to imply a (a and another) so that the property is exercised
    for b in (other, every(a, other)):
        verdict = implies(b, a)
        holds_a, holds_b = _predicates(a, b)
        if verdict is True:
            for fact in facts:
                assert not holds_b(fact) or holds_a(fact), (fact, a, b)
        if b is not other:
            assert verdict in (True, None)  # complete for a conjunction of a itself


@SETTINGS
@given(CONDITIONS, st.lists(FACTS, min_size=30, max_size=30))
def test_a_condition_said_never_to_hold_holds_for_no_achievement(
    cond: Condition, facts: list[dict[str, Any]]
) -> None:
    for candidate in (cond, every(cond, Not(cond, HERE))):
        verdict = possible(candidate)
        (holds,) = _predicates(candidate)
        if verdict is False:
            assert not any(holds(fact) for fact in facts), candidate
        if candidate is not cond:
            assert verdict in (False, None)  # complete for a condition and its negation


#: Points a generated rule may give: fixed, or computed from a field the facts may lack.
POINTS: list[Points] = [
    FixedPoints(D(1)),
    FormulaPoints(BinOp("/", FieldRef("hours", 0), Number(D(10), 0), 0), "hours / 10"),
    FormulaPoints(BinOp("/", FieldRef("hours", 0), Number(D(8), 0), 0), "hours / 8"),
    FormulaPoints(FieldRef("worker.months", 0), "worker.months"),
]


def _decider(pack: Pack, fact: dict[str, Any]) -> int | None:
    """The index of the rule that converts ``fact`` under hit: first, as the compiled evaluator
    and the pipeline decide it: the first rule that matches and whose points can be computed."""
    generated = generate(pack)
    (conversion,) = pack.conversions[0].items
    for index in generated.candidates(conversion)(fact):
        try:
            value = generated.points(conversion.rules[index].points)(fact)
        except MissingField:
            continue  # the pipeline warns and tries the next rule
        if value is not None:
            return index
    return None


@SETTINGS
@given(
    CONDITIONS,
    CONDITIONS,
    st.sampled_from(POINTS),
    st.sampled_from(POINTS),
    st.lists(FACTS, min_size=30, max_size=30),
)
def test_a_rule_lint_calls_shadowed_never_decides(
    a: Condition, other: Condition, points_a: Points, points_b: Points, facts: list[dict[str, Any]]
) -> None:
    for b in (other, every(other, a)):
        pack = conversion_pack([(a, points_a), (b, points_b)], attributes=(("months", MONTHS),))
        linter = _Linter(pack, DEFAULT_LIMITS)
        shadowed = [f for f in linter.run().findings if f.code == "shadowed"]
        gives = LOGIC.possible(And((LOGIC.of(b), linter.yields(points_b))))
        if shadowed:
            assert dict(shadowed[0].params)["rule"] == "generated/r1"
            for fact in facts:
                assert _decider(pack, fact) != 1, (fact, a, b, points_a, points_b)
        elif b is not other and gives and points_a == points_b:
            # b implies a and both compute alike: where b decides, a decided first
            assert possible(every(b, Not(a, HERE))) is None  # only a condition too large to expand escapes


def test_a_catch_all_formula_rule_shadows_a_later_rule_computing_from_the_same_field() -> None:
    course = c("type", "eq", "course")
    occupation = c("occupation", "in", ("welder", "electrician"))
    by_hours, shortage = POINTS[1], POINTS[2]
    pack = conversion_pack([(course, by_hours), (every(course, occupation), shortage)])
    shadowed = [f for f in _Linter(pack, DEFAULT_LIMITS).run().findings if f.code == "shadowed"]
    assert [dict(f.params)["rule"] for f in shadowed] == ["generated/r1"]
    # computed from a field the earlier rule does not read, it decides where that one cannot
    pack = conversion_pack(
        [(course, by_hours), (every(course, occupation), POINTS[3])], attributes=(("months", MONTHS),)
    )
    assert not [f for f in _Linter(pack, DEFAULT_LIMITS).run().findings if f.code == "shadowed"]
    assert _decider(pack, {"type": "course", "occupation": "welder", "worker.months": D(3)}) == 1


@dataclass(frozen=True, slots=True)
class _CaseInsensitive(Compare):
    """A comparison as a later version might write it: one more field changing what eq means."""

    ignore_case: bool = False


def test_a_comparison_with_a_field_added_later_is_opaque() -> None:
    plain = every(c("title", "eq", "Robot"), c("title", "ne", "Robot"))
    assert possible(plain) is False
    flagged = every(
        _CaseInsensitive("title", "eq", "robot", HERE, ignore_case=True), c("title", "eq", "Robot")
    )
    assert possible(flagged) is True
    unflagged = every(_CaseInsensitive("title", "eq", "robot", HERE), c("title", "eq", "Robot"))
    assert possible(unflagged) is False  # the new field at its default: the comparison means what it did
