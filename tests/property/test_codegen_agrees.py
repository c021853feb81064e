"""The generated module agrees with the closure compiler (tests/backends/closures.py) on every node.

Three sources of nodes: the default pack, every fixture pack under tests/packs/, and
packs whose conditions, formulas and points hypothesis builds directly as IR. Facts
are drawn from the pack's own literals plus random values of every type (and absent
fields); results must be equal (same type, same text), or both raise the same
exception (MissingField with the same path).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditengine import Engine
from creditengine._evaluators.codegen import Generated, MissingField, generate
from creditengine._expr import (
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
)
from creditengine._ir import (
    AchievementReq,
    AdjustmentSet,
    AllReq,
    AnyReq,
    Conversion,
    Entitlement,
    Equivalence,
    FixedPoints,
    FormulaPoints,
    LookupPoints,
    NotReq,
    Pack,
    Policy,
    Requirement,
    TotalReq,
    Transfer,
    WorkerReq,
)
from creditengine._pack import load_pack
from creditengine._pipeline import _DECIMALS
from tests.backends.closures import Compiler as _Compiler
from tests.irtools import conversion_pack, nested

Points = FixedPoints | FormulaPoints | LookupPoints
PACKS = Path(__file__).resolve().parents[1] / "packs"
FIXTURES = sorted(p.name for p in PACKS.iterdir() if (p / "pack.yaml").is_file())
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- walking a pack (independently of codegen's own walk) ------------------------------


def _requirement(req: Requirement) -> Iterator[Condition]:
    if isinstance(req, AllReq | AnyReq):
        for item in req.items:
            yield from _requirement(item)
    elif isinstance(req, NotReq):
        yield from _requirement(req.item)
    elif isinstance(req, TotalReq):
        if req.where is not None:
            yield req.where
    elif isinstance(req, AchievementReq | WorkerReq):
        yield req.condition
        if isinstance(req.condition, AllOf):
            yield from req.condition.items


def pack_nodes(pack: Pack) -> tuple[list[Condition], list[Points], list[Conversion]]:
    """Every condition, points node and conversion version of a pack."""
    conditions: list[Condition | None] = []
    points: list[Points] = []
    conversions: list[Conversion] = []
    for version in pack.all_versions():
        if isinstance(version, Conversion):
            conversions.append(version)
            for rule in version.rules:
                conditions.append(rule.when)
                points.append(rule.points)
        elif isinstance(version, AdjustmentSet):
            for adjustment in version.rules:
                conditions += [adjustment.when, adjustment.unless]
        elif isinstance(version, Policy):
            conditions += _requirement(version.requires)
        elif isinstance(version, Equivalence):
            conditions += [r.when for r in version.rules]
        elif isinstance(version, Entitlement):
            if version.eligible is not None:
                conditions += _requirement(version.eligible)
            for entitlement_rule in version.rules:
                conditions += [entitlement_rule.when, *(b.when for b in entitlement_rule.bonuses)]
                points.append(entitlement_rule.amount)
        else:
            assert isinstance(version, Transfer)
            if version.eligible is not None:
                conditions += _requirement(version.eligible)
            conditions += [version.where, *(e.when for e in version.exemptions)]
    return [c for c in conditions if c is not None], points, conversions


def _literals(cond: Condition) -> Iterator[Any]:
    if isinstance(cond, Compare):
        yield from cond.value if isinstance(cond.value, tuple) else (cond.value,)
        yield from cond.order
    elif isinstance(cond, AllOf | AnyOf):
        for item in cond.items:
            yield from _literals(item)
    elif isinstance(cond, Not):
        yield from _literals(cond.item)


def _refs(cond: Condition) -> Iterator[str]:
    if isinstance(cond, Compare) and cond.ref is not None:
        yield cond.ref
    elif isinstance(cond, AllOf | AnyOf):
        for item in cond.items:
            yield from _refs(item)
    elif isinstance(cond, Not):
        yield from _refs(cond.item)


def _formula_numbers(node: Formula) -> Iterator[Decimal]:
    if isinstance(node, Number):
        yield node.value
    elif isinstance(node, BinOp):
        yield from _formula_numbers(node.left)
        yield from _formula_numbers(node.right)
    elif isinstance(node, Neg):
        yield from _formula_numbers(node.operand)
    elif isinstance(node, Call):
        for arg in node.args:
            yield from _formula_numbers(arg)


def pack_vocabulary(pack: Pack) -> tuple[list[str], list[Any]]:
    """The field paths a pack reads and the literals it writes (table keys also as numbers/bools)."""
    conditions, points, _ = pack_nodes(pack)
    paths: set[str] = {"type", "title", "hours"}
    literals: list[Any] = []
    for cond in conditions:
        paths.update(condition_paths(cond))
        paths.update(_refs(cond))
        literals += [v for v in _literals(cond) if v is not None]
    for node in points:
        if isinstance(node, FormulaPoints):
            paths.update(formula_paths(node.formula))
            literals += _formula_numbers(node.formula)
        elif isinstance(node, LookupPoints):
            paths.add(node.path)
            for key, value in node.table:
                literals += [key, value]
                if key in ("true", "false"):
                    literals.append(key == "true")
                with contextlib.suppress(ArithmeticError):
                    literals.append(Decimal(key))
    unique = {(type(v).__name__, str(v)): v for v in literals}
    return sorted(paths), [unique[k] for k in sorted(unique)]


# --- facts and outcomes -------------------------------------------------------------------

RANDOM_VALUES = st.one_of(
    st.text(max_size=4),
    st.decimals(min_value=-1000, max_value=1000, places=2),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)),
    st.integers(min_value=-3, max_value=10),
    st.just([]),  # no record gives a list, but a Mapping may: unhashable values must agree too
)


def facts_for(paths: list[str], literals: list[Any]) -> st.SearchStrategy[dict[str, Any]]:
    value = st.one_of(st.sampled_from(literals), RANDOM_VALUES) if literals else RANDOM_VALUES
    return st.fixed_dictionaries({}, optional={path: value for path in paths})


def outcome(function: Callable[[dict[str, Any]], Any], facts: dict[str, Any]) -> tuple[Any, ...]:
    """What a call gave, comparable across the two compilers."""
    try:
        with localcontext(_DECIMALS):
            value = function(facts)
    except MissingField as missing:
        return ("missing", missing.path)
    except Exception as exc:
        return ("raised", type(exc).__name__)
    if isinstance(value, tuple | list):
        return ("value", tuple(value))
    return ("value", type(value).__name__, str(value))


def brute_force(compiler: _Compiler, conversion: Conversion) -> Callable[[dict[str, Any]], Any]:
    return lambda f: [i for i, rule in enumerate(conversion.rules) if compiler.match(rule.when, f)]


def assert_candidates(generated: Generated, compiler: _Compiler, conversion: Conversion, facts: Any) -> None:
    """candidates() is the brute-force list of matching rules, in order.

    When some rule's test raises (an ill-typed fact: a list, a text where a number is
    compared), the brute force raises; candidates() then raises the same exception, or
    -- when dispatch skipped that rule because it cannot match -- returns exactly the
    rules whose test holds.
    """
    mine = outcome(generated.candidates(conversion), facts)
    expected = outcome(brute_force(compiler, conversion), facts)
    if expected[0] != "value" and mine[0] == "value":
        holding = []
        for i, rule in enumerate(conversion.rules):
            try:
                with localcontext(_DECIMALS):
                    if compiler.match(rule.when, facts):
                        holding.append(i)
            except Exception:
                continue
        expected = ("value", tuple(holding))
    assert mine == expected, conversion.meta.id


def check_agreement(pack: Pack, generated: Generated, facts: dict[str, Any]) -> None:
    compiler = _Compiler(pack)
    conditions, points, conversions = pack_nodes(pack)
    for cond in conditions:
        assert outcome(generated.predicate(cond), facts) == outcome(compiler.condition(cond), facts), cond
    for node in points:
        assert outcome(generated.points(node), facts) == outcome(compiler.points(node), facts), node
    for conversion in conversions:
        assert_candidates(generated, compiler, conversion, facts)


# --- the shipped packs ----------------------------------------------------------------------

_LOADED: dict[str, tuple[Pack, Generated, list[str], list[Any]]] = {}


def loaded(name: str) -> tuple[Pack, Generated, list[str], list[Any]]:
    if name not in _LOADED:
        pack = Engine.load().pack if name == "default" else load_pack(PACKS / name)
        _LOADED[name] = (pack, generate(pack), *pack_vocabulary(pack))
    return _LOADED[name]


@pytest.mark.parametrize("name", ["default", *FIXTURES])
@SETTINGS
@given(data=st.data())
def test_generated_functions_agree_with_the_closures_on_a_shipped_pack(
    name: str, data: st.DataObject
) -> None:
    pack, generated, paths, literals = loaded(name)
    check_agreement(pack, generated, data.draw(facts_for(paths, literals)))


# --- packs built from hypothesis-generated IR ----------------------------------------------

LEVELS = ("5", "4", "3", "2", "1")
PATHS = ("type", "title", "hours", "provider.id", "provider.accredited", "completed", "level.value")
SCALARS = st.sampled_from(
    [
        "course",
        "certificate",
        "a",
        "b",
        "5",
        "true",
        Decimal("1"),
        Decimal("1.0"),
        Decimal("2.5"),
        Decimal("-3"),
        Decimal("0"),
        True,
        False,
        dt.date(2020, 1, 1),
        dt.date(2024, 6, 30),
    ]
)
HERE: tuple[str | int, ...] = ()
KEYED = st.sampled_from(["type", "title", "provider.id", "hours"])


def compares() -> st.SearchStrategy[Condition]:
    path = st.sampled_from(PATHS)
    plain = st.builds(
        lambda p, op, v: Compare(p, op, v, HERE),
        path,
        st.sampled_from(["eq", "ne", "gt", "gte", "lt", "lte"]),
        SCALARS,
    )
    members = st.builds(
        lambda p, op, v: Compare(p, op, tuple(v), HERE),
        path,
        st.sampled_from(["in", "not_in"]),
        st.lists(SCALARS, min_size=1, max_size=3),
    )
    between = st.builds(
        lambda p, v: Compare(p, "between", tuple(v), HERE), path, st.lists(SCALARS, min_size=2, max_size=2)
    )
    levels = st.builds(
        lambda op, a, b: Compare("level.value", op, (a, b) if op == "between" else a, HERE, LEVELS),
        st.sampled_from(["gt", "gte", "lt", "lte", "between"]),
        st.sampled_from(LEVELS),
        st.sampled_from(LEVELS),
    )
    refs = st.builds(
        lambda p, op, r: Compare(p, op, None, HERE, (), r),
        path,
        st.sampled_from(["eq", "ne", "gt", "gte", "lt", "lte"]),
        path,
    )
    exists = st.builds(lambda p, present: Exists(p, present, HERE), path, st.booleans())
    words = st.text(alphabet="aAbBİiß", max_size=3)
    text = st.builds(
        lambda p, op, v, fold: Compare(p, op, v.casefold() if fold else v, HERE, fold=fold),
        path,
        st.sampled_from(["contains", "starts_with"]),
        words,
        st.booleans(),
    )
    folded = st.builds(
        lambda p, op, v: Compare(
            p, op, tuple(w.casefold() for w in v) if op.endswith("in") else v[0].casefold(), HERE, fold=True
        ),
        path,
        st.sampled_from(["eq", "ne", "in", "not_in"]),
        st.lists(words, min_size=1, max_size=3),
    )
    return st.one_of(plain, members, between, levels, refs, exists, text, folded)


CONDITIONS: st.SearchStrategy[Condition] = nested(compares())

NUMBERS = st.decimals(min_value=-50, max_value=50, places=2).map(lambda d: Number(d, 0))
FORMULAS: st.SearchStrategy[Formula] = st.recursive(
    NUMBERS
    | st.sampled_from(["hours", "title", "completed", "provider.accredited"]).map(lambda p: FieldRef(p, 0)),
    lambda inner: st.one_of(
        st.builds(lambda op, a, b: BinOp(op, a, b, 0), st.sampled_from("+-*/"), inner, inner),
        st.builds(lambda a: Neg(a, 0), inner),
        st.builds(
            lambda n, args: Call(n, tuple(args), 0),
            st.sampled_from(["min", "max"]),
            st.lists(inner, min_size=2, max_size=3),
        ),
        st.builds(lambda n, a: Call(n, (a,), 0), st.sampled_from(["floor", "ceil", "round"]), inner),
        st.builds(lambda a, p: Call("round", (a, Number(Decimal(p), 0)), 0), inner, st.integers(0, 3)),
    ),
    max_leaves=6,
)
POINTS: st.SearchStrategy[Points] = st.one_of(
    st.decimals(min_value=0, max_value=100, places=1).map(FixedPoints),
    FORMULAS.map(lambda f: FormulaPoints(f, "generated")),
    st.builds(
        lambda path, rows, default: LookupPoints(path, tuple(rows), default),
        st.sampled_from(PATHS),
        st.lists(
            st.tuples(
                st.sampled_from(["5", "1", "true", "false", "a", "2020-01-01", "2.5", "course"]),
                st.decimals(min_value=0, max_value=100, places=1),
            ),
            max_size=4,
        ),
        st.none() | st.decimals(min_value=0, max_value=10, places=0),
    ),
)


@st.composite
def keyed_condition(draw: st.DrawFn) -> Condition | None:
    """A rule's ``when``: often top-level eq/in tests (what candidates() indexes) and more."""
    parts: list[Condition] = []
    for path in draw(st.lists(KEYED, max_size=3, unique=True)):
        values = draw(st.lists(SCALARS, min_size=1, max_size=3))
        parts.append(
            Compare(path, "in", tuple(values), HERE)
            if len(values) > 1
            else Compare(path, "eq", values[0], HERE)
        )
    if draw(st.booleans()):
        parts.append(draw(CONDITIONS))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 and draw(st.booleans()) else AllOf(tuple(parts), HERE)


def pack_of(rules: list[tuple[Condition | None, Points]], hit: str = "first") -> Pack:
    """A pack holding one conversion of ``rules`` (built as IR, not from YAML)."""
    return conversion_pack(rules, hit=hit)


FACT_VALUES = st.one_of(SCALARS, RANDOM_VALUES)
GENERATED_FACTS = st.fixed_dictionaries({}, optional={path: FACT_VALUES for path in PATHS})


@SETTINGS
@given(
    rules=st.lists(st.tuples(st.none() | CONDITIONS, POINTS), min_size=1, max_size=4),
    facts=st.lists(GENERATED_FACTS, min_size=1, max_size=6),
)
def test_generated_conditions_formulas_and_points_agree_with_the_closures(
    rules: list[tuple[Condition | None, Points]], facts: list[dict[str, Any]]
) -> None:
    pack = pack_of(rules)
    generated = generate(pack)
    for one in facts:
        check_agreement(pack, generated, one)


@SETTINGS
@given(
    whens=st.lists(keyed_condition(), min_size=1, max_size=40),
    facts=st.lists(GENERATED_FACTS, min_size=1, max_size=10),
)
def test_candidates_are_the_brute_force_matches_in_rule_order(
    whens: list[Condition | None], facts: list[dict[str, Any]]
) -> None:
    pack = pack_of([(when, FixedPoints(Decimal(1))) for when in whens])
    generated = generate(pack)
    (conversion,) = pack.conversions[0].items
    compiler = _Compiler(pack)
    for one in facts:
        assert_candidates(generated, compiler, conversion, one)
