"""A second, minimal backend for tests: kernels from the IR as Python closures (no code generation).

It shows that a backend reuses the pipeline (``Pipeline(pack, ClosureKernels(pack))``)
and is the reference the generated code is checked against: it was the compiled
evaluator before code generation, and its semantics are the rule language's.

Closures are built from the IR only (never from rule text) and hold no
mutable state, so one evaluator is safe to share between threads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from creditengine._evaluators.base import Decide, Derive, Eligible, Entitled, Facts, MissingField
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
    table_key,
)
from creditengine._ir import (
    AchievementReq,
    AllReq,
    AnyReq,
    Conversion,
    FixedPoints,
    FormulaPoints,
    LookupPoints,
    NotReq,
    Pack,
    Points,
    Requirement,
    TotalReq,
    WorkerReq,
)
from creditengine._ledger import round_points

__all__ = ["ClosureKernels", "Compiler"]

Predicate = Callable[[dict[str, Any]], bool]
Calc = Callable[[dict[str, Any]], Decimal]


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: bool(a == b),
    "ne": lambda a, b: bool(a != b),
    "gt": lambda a, b: bool(a > b),
    "gte": lambda a, b: bool(a >= b),
    "lt": lambda a, b: bool(a < b),
    "lte": lambda a, b: bool(a <= b),
}


def _text(cond: Compare) -> Predicate:
    """Text tests and ``ignore_case`` ones, written apart from the engine's (an independent oracle)."""
    path, op, value = cond.path, cond.op, cond.value

    def read(v: Any) -> Any:
        return v.lower().casefold() if cond.fold and isinstance(v, str) else v

    if op == "contains":
        return lambda f: isinstance(v := read(f.get(path)), str) and v.find(value) >= 0
    if op == "starts_with":
        return lambda f: isinstance(v := read(f.get(path)), str) and v[: len(value)] == value
    if cond.ref is not None:
        ref, test_ref = cond.ref, _OPERATORS[op]
        return lambda f: (
            (v := f.get(path)) is not None and (r := f.get(ref)) is not None and test_ref(read(v), read(r))
        )
    if op == "eq":
        return lambda f: read(f.get(path)) == value
    if op == "ne":
        return lambda f: (v := f.get(path)) is not None and read(v) != value
    members = frozenset(value)  # as the engine's in: an unhashable fact raises alike
    if op == "in":
        return lambda f: read(f.get(path)) in members
    return lambda f: (v := f.get(path)) is not None and read(v) not in members


def _compare(cond: Compare) -> Predicate:
    path, op, value = cond.path, cond.op, cond.value
    if cond.fold or op in ("contains", "starts_with"):
        return _text(cond)
    if cond.ref is not None:
        ref, test_ref = cond.ref, _OPERATORS[op]
        return lambda f: (v := f.get(path)) is not None and (r := f.get(ref)) is not None and test_ref(v, r)
    if cond.order:
        rank = {level: i for i, level in enumerate(cond.order)}
        if op == "between":
            low, high = rank[value[0]], rank[value[1]]
            return lambda f: (r := rank.get(f.get(path))) is not None and low <= r <= high  # type: ignore[arg-type]
        bound = rank[value]
        tests: dict[str, Callable[[int], bool]] = {
            "gt": lambda r: r > bound,
            "gte": lambda r: r >= bound,
            "lt": lambda r: r < bound,
            "lte": lambda r: r <= bound,
        }
        test = tests[op]
        return lambda f: (r := rank.get(f.get(path))) is not None and test(r)  # type: ignore[arg-type]
    if op == "eq":
        return lambda f: f.get(path) == value
    if op == "ne":
        return lambda f: (v := f.get(path)) is not None and v != value
    if op == "in":
        members = frozenset(value)
        return lambda f: f.get(path) in members
    if op == "not_in":
        members = frozenset(value)
        return lambda f: (v := f.get(path)) is not None and v not in members
    if op == "between":
        low, high = value
        return lambda f: (v := f.get(path)) is not None and low <= v <= high
    ordered: dict[str, Callable[[Any], bool]] = {
        "gt": lambda v: v > value,
        "gte": lambda v: v >= value,
        "lt": lambda v: v < value,
        "lte": lambda v: v <= value,
    }
    check = ordered[op]
    return lambda f: (v := f.get(path)) is not None and check(v)


def _chain(parts: list[Predicate], *, conjunction: bool) -> Predicate:
    """``p1(f) and p2(f) and ...`` (or ``or``) as nested closures: no generator per call."""
    fn = parts[-1]
    for part in reversed(parts[:-1]):
        fn = _and(part, fn) if conjunction else _or(part, fn)
    return fn


def _and(first: Predicate, rest: Predicate) -> Predicate:
    return lambda f: first(f) and rest(f)


def _or(first: Predicate, rest: Predicate) -> Predicate:
    return lambda f: first(f) or rest(f)


class Compiler:
    """Compiles conditions once; ``match`` looks them up by identity."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.predicates: dict[int, Predicate] = {}
        self._keep: list[Condition] = []  # identity keys stay valid while we hold the nodes

    def condition(self, cond: Condition) -> Predicate:
        known = self.predicates.get(id(cond))
        if known is not None:
            return known
        fn: Predicate
        if isinstance(cond, Compare):
            fn = _compare(cond)
        elif isinstance(cond, Exists):
            path, present = cond.path, cond.present
            fn = lambda f: (path in f) is present  # noqa: E731
        elif isinstance(cond, AllOf | AnyOf):
            fn = _chain([self.condition(c) for c in cond.items], conjunction=isinstance(cond, AllOf))
        else:
            assert isinstance(cond, Not)
            inner = self.condition(cond.item)
            fn = lambda f: not inner(f)  # noqa: E731
        self.predicates[id(cond)] = fn
        self._keep.append(cond)
        return fn

    def match(self, cond: Condition | None, facts: dict[str, Any]) -> bool:
        if cond is None:
            return True
        fn = self.predicates.get(id(cond))
        if fn is None:
            fn = self.condition(cond)
        return fn(facts)

    def formula(self, node: Formula) -> Calc:
        scale = self.pack.scale
        if isinstance(node, Number):
            value = node.value
            return lambda f: value
        if isinstance(node, FieldRef):
            path = node.path

            def read(f: dict[str, Any]) -> Decimal:
                value = f.get(path)
                if value is None:
                    raise MissingField(path)
                return Decimal(value)

            return read
        if isinstance(node, Neg):
            inner = self.formula(node.operand)
            return lambda f: -inner(f)
        if isinstance(node, BinOp):
            left, right = self.formula(node.left), self.formula(node.right)
            ops: dict[str, Calc] = {
                "+": lambda f: left(f) + right(f),
                "-": lambda f: left(f) - right(f),
                "*": lambda f: left(f) * right(f),
                "/": lambda f: left(f) / right(f),
            }
            return ops[node.op]
        assert isinstance(node, Call)
        args = tuple(self.formula(a) for a in node.args)
        if node.name == "min":
            return lambda f: min(a(f) for a in args)
        if node.name == "max":
            return lambda f: max(a(f) for a in args)
        if node.name == "floor":
            return lambda f: args[0](f).to_integral_value(rounding=ROUND_FLOOR)
        if node.name == "ceil":
            return lambda f: args[0](f).to_integral_value(rounding=ROUND_CEILING)
        second = node.args[1] if len(node.args) == 2 else None
        places = int(second.value) if isinstance(second, Number) else 0
        return lambda f: round_points(args[0](f), scale, places)

    def points(
        self, points: FixedPoints | FormulaPoints | LookupPoints
    ) -> Callable[[dict[str, Any]], Decimal | None]:
        if isinstance(points, FixedPoints):
            value = points.value
            return lambda f: value
        if isinstance(points, FormulaPoints):
            return self.formula(points.formula)
        table = dict(points.table)
        path, default = points.path, points.default

        def look(f: dict[str, Any]) -> Decimal | None:
            key = f.get(path)
            if key is None:
                raise MissingField(path)
            return table.get(table_key(key), default)

        return look


class ClosureKernels:
    """Kernels compiled from the pack's IR: closures built once, shared by threads.

    :param pack: the compiled rule pack.
    """

    name = "closures"
    derive: Derive | None = None  # the pipeline's breadth-first derivation
    decide: Decide | None = None  # the pipeline's dependency-ordered decisions
    eligible: Eligible | None = None  # the pipeline's judge alone decides eligibility
    entitled: Entitled | None = None  # the pipeline matches entitlement conditions

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self._compiler = Compiler(pack)
        self._points: dict[int, Callable[[dict[str, Any]], Decimal | None]] = {}
        # Each conversion version's rules with their compiled predicates, in order.
        self._rules: dict[int, list[tuple[int, Predicate | None]]] = {}
        for group in pack.conversions:
            for version in group.items:
                self._rules[id(version)] = [
                    (index, self._compiler.condition(rule.when) if rule.when is not None else None)
                    for index, rule in enumerate(version.rules)
                ]
                for rule in version.rules:
                    self._points[id(rule.points)] = self._compiler.points(rule.points)
        for adjustment_group in pack.adjustments:
            for adjustment_set in adjustment_group.items:
                for adjustment in adjustment_set.rules:
                    for cond in (adjustment.when, adjustment.unless):
                        if cond is not None:
                            self._compiler.condition(cond)
        for entitlement_group in pack.entitlements:
            for entitlement in entitlement_group.items:
                for entitlement_rule in entitlement.rules:
                    self._points[id(entitlement_rule.amount)] = self._compiler.points(entitlement_rule.amount)
        for policy_group in pack.policies:
            for policy in policy_group.items:
                self._compile_requirement(policy.requires)
        self._keep = pack  # the IR nodes keyed by identity above stay alive with the pack

    def _compile_requirement(self, req: Requirement) -> None:
        if isinstance(req, AllReq | AnyReq):
            for item in req.items:
                self._compile_requirement(item)
        elif isinstance(req, NotReq):
            self._compile_requirement(req.item)
        elif isinstance(req, TotalReq) and req.where is not None:
            self._compiler.condition(req.where)
        elif isinstance(req, AchievementReq | WorkerReq):
            self._compiler.condition(req.condition)
            if isinstance(req.condition, AllOf):
                for part in req.condition.items:
                    self._compiler.condition(part)

    def match(self, cond: Condition | None, facts: Facts) -> bool:
        """Whether ``cond`` holds for ``facts``."""
        return self._compiler.match(cond, facts)  # type: ignore[arg-type]

    def candidates(self, conversion: Conversion, facts: Facts) -> Iterator[int]:
        """Indexes of the conversion's rules whose ``when`` holds, in order."""
        for index, predicate in self._rules[id(conversion)]:
            if predicate is None or predicate(facts):  # type: ignore[arg-type]
                yield index

    def points(self, points: Points, facts: Facts) -> Decimal | None:
        """The value of a points or amount expression."""
        return self._points[id(points)](facts)  # type: ignore[arg-type]
