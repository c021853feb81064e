"""Reasoning about conditions as sets of facts: can a condition hold, does one imply another.

``creditengine lint`` asks these questions of a pack's conditions. Each field a
condition reads gets a set of possible values, by its declared type: numbers
and dates as unions of intervals, text, levels, enums and booleans as finite
(or all-but-finite) sets, each with or without "absent" (a field the record
does not have fails every test except ``exists: false``, so absence is a value
of its own). A condition is turned into a disjunction of conjunctions of such
sets; it can hold when one conjunction leaves every field a value.

The answers are sound, never guesses: "cannot hold" and "implies" are only said
when true for every possible achievement. What this module does not understand
(comparisons with another field, operators added after it was written, nodes of
unknown types) becomes an opaque test that may be true or false independently,
so it can never make a condition look impossible; two identical opaque tests
are still known to agree. Facts are treated as independent of each other
(nothing ties ``level.value`` to ``level.framework``), which only ever errs
towards "can hold". A condition too large to expand is "unknown" (``None``).

Only the standard library is imported.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from decimal import Decimal
from typing import Any, TypeAlias

from ._expr import AllOf, AnyOf, Compare, Condition, Exists, FieldSpec, FieldType, Not

__all__ = ["Formula", "Logic", "Ranges", "Values"]

#: Past this many conjunctions a condition is too large to expand; the answer is "unknown".
MOST_TERMS = 2048


@dataclass(frozen=True, slots=True)
class Values:
    """A set of text-like values (text, enum, level, boolean), possibly with "absent".

    ``cofinite`` means every value except ``values``.
    """

    values: frozenset[Any]
    cofinite: bool
    absent: bool

    def meet(self, other: Values) -> Values:
        """The intersection."""
        a, b = self.values, other.values
        if not self.cofinite and not other.cofinite:
            out, cofinite = a & b, False
        elif self.cofinite and other.cofinite:
            out, cofinite = a | b, True
        elif self.cofinite:
            out, cofinite = b - a, False
        else:
            out, cofinite = a - b, False
        return Values(frozenset(out), cofinite, self.absent and other.absent)

    def complement(self) -> Values:
        """Everything else, absence included."""
        return Values(self.values, not self.cofinite, not self.absent)

    def empty(self, universe: frozenset[Any] | None) -> bool:
        """Whether no value (of ``universe``, when the type has finitely many) is left."""
        if self.absent:
            return False
        if not self.cofinite:
            return not (self.values & universe if universe is not None else self.values)
        return universe is not None and universe <= self.values


#: One interval: (low, low included, high, high included); None is unbounded.
Interval: TypeAlias = tuple[Any, bool, Any, bool]


@dataclass(frozen=True, slots=True)
class Ranges:
    """A set of numbers (or date ordinals) as sorted, disjoint intervals, possibly with "absent".

    With ``discrete`` (integers, dates) every interval is kept closed on whole numbers.
    """

    intervals: tuple[Interval, ...]
    absent: bool
    discrete: bool

    @staticmethod
    def of(intervals: Iterable[Interval], *, absent: bool, discrete: bool) -> Ranges:
        """Normalised: empty intervals dropped, the rest sorted and merged."""
        kept = [i for i in (_whole(i) if discrete else i for i in intervals) if not _void(i)]
        kept.sort(key=_low_key)
        merged: list[Interval] = []
        for item in kept:
            if merged and _touches(merged[-1], item, discrete):
                last = merged[-1]
                merged[-1] = _upper(last, item)
            else:
                merged.append(item)
        return Ranges(tuple(merged), absent, discrete)

    def meet(self, other: Ranges) -> Ranges:
        """The intersection."""
        pieces = [_cut(a, b) for a in self.intervals for b in other.intervals]
        return Ranges.of(pieces, absent=self.absent and other.absent, discrete=self.discrete)

    def complement(self) -> Ranges:
        """Everything else, absence included."""
        out: list[Interval] = []
        low: Any = None
        low_in = False
        for lo, lo_in, hi, hi_in in self.intervals:
            out.append((low, low_in, lo, not lo_in))
            low, low_in = hi, not hi_in
        out.append((low, low_in, None, False))
        if not self.intervals:
            out = [(None, False, None, False)]
        # An unbounded end is "included" only as a formality: None marks it.
        fixed = [
            (lo, lo_in if lo is not None else False, hi, hi_in if hi is not None else False)
            for lo, lo_in, hi, hi_in in out
            if not (lo is None and hi is None and self.intervals)
        ]
        return Ranges.of(fixed, absent=not self.absent, discrete=self.discrete)

    def empty(self, universe: frozenset[Any] | None = None) -> bool:
        """Whether no value is left."""
        return not self.absent and not self.intervals


Domain: TypeAlias = Values | Ranges


def _whole(i: Interval) -> Interval:
    lo, lo_in, hi, hi_in = i
    if lo is not None:
        lo = math.ceil(lo) if lo_in else math.floor(lo) + 1
    if hi is not None:
        hi = math.floor(hi) if hi_in else math.ceil(hi) - 1
    return (lo, lo is not None, hi, hi is not None)


def _void(i: Interval) -> bool:
    lo, lo_in, hi, hi_in = i
    if lo is None or hi is None:
        return False
    return bool(lo > hi or (lo == hi and not (lo_in and hi_in)))


def _low_key(i: Interval) -> tuple[int, Any, int]:
    lo, lo_in, _, _ = i
    return (0, 0, 0) if lo is None else (1, lo, 0 if lo_in else 1)


def _touches(a: Interval, b: Interval, discrete: bool) -> bool:
    """Whether ``b`` (starting no earlier than ``a``) overlaps or adjoins ``a``."""
    _, _, hi, hi_in = a
    lo, lo_in, _, _ = b
    if hi is None or lo is None:
        return True
    if discrete:
        return bool(lo <= hi + 1)
    return bool(lo < hi or (lo == hi and (hi_in or lo_in)))


def _upper(a: Interval, b: Interval) -> Interval:
    lo, lo_in, hi_a, in_a = a
    _, _, hi_b, in_b = b
    if hi_a is None or hi_b is None:
        return (lo, lo_in, None, False)
    if hi_a > hi_b:
        return (lo, lo_in, hi_a, in_a)
    if hi_b > hi_a:
        return (lo, lo_in, hi_b, in_b)
    return (lo, lo_in, hi_a, in_a or in_b)


def _cut(a: Interval, b: Interval) -> Interval:
    lo_a, in_la, hi_a, in_ha = a
    lo_b, in_lb, hi_b, in_hb = b
    if lo_a is None or (lo_b is not None and lo_b > lo_a):
        lo, lo_in = lo_b, in_lb
    elif lo_b is None or lo_a > lo_b:
        lo, lo_in = lo_a, in_la
    else:
        lo, lo_in = lo_a, in_la and in_lb
    if hi_a is None or (hi_b is not None and hi_b < hi_a):
        hi, hi_in = hi_b, in_hb
    elif hi_b is None or hi_a < hi_b:
        hi, hi_in = hi_a, in_ha
    else:
        hi, hi_in = hi_a, in_ha and in_hb
    return (lo, lo_in, hi, hi_in)


# --- formulas over tests ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Test:
    """One test: ``path`` takes a value of ``domain``; or, with ``domain=None``, an opaque test
    known only by ``key`` (equal keys are the same test)."""

    key: str
    path: str
    domain: Domain | None


@dataclass(frozen=True, slots=True)
class Lit:
    """A test or its negation."""

    test: Test
    positive: bool


@dataclass(frozen=True, slots=True)
class And:
    """Every item holds (no items: always)."""

    items: tuple[Formula, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """At least one item holds (no items: never)."""

    items: tuple[Formula, ...]


Formula: TypeAlias = Lit | And | Or

TRUE: Formula = And(())
FALSE: Formula = Or(())


class TooLarge(Exception):
    """A condition expands past ``MOST_TERMS`` conjunctions."""


class Logic:
    """Satisfiability and implication of conditions over one set of readable fields.

    :param fields: the facts conditions may read, with their types (as lowering used them).

    >>> from creditengine._expr import Compare, AllOf
    >>> logic = Logic({"hours": FieldSpec(FieldType.NUMBER)})
    >>> both = AllOf((Compare("hours", "gt", Decimal(10), ()), Compare("hours", "lt", Decimal(5), ())), ())
    >>> logic.possible(logic.of(both))
    False
    """

    def __init__(self, fields: Mapping[str, FieldSpec]) -> None:
        self.fields = fields

    # --- building formulas -------------------------------------------------------------------

    def of(self, cond: Condition | None) -> Formula:
        """The formula of a condition (``None``, no condition, always holds)."""
        if cond is None:
            return TRUE
        if isinstance(cond, AllOf):
            return And(tuple(self.of(item) for item in cond.items))
        if isinstance(cond, AnyOf):
            return Or(tuple(self.of(item) for item in cond.items))
        if isinstance(cond, Not):
            return negate(self.of(cond.item))
        if isinstance(cond, Exists):
            return self.present(cond.path) if cond.present else negate(self.present(cond.path))
        if isinstance(cond, Compare):
            return self.compare(cond)
        return _opaque(cond)

    def present(self, path: str) -> Formula:
        """``path`` is present (any value)."""
        spec = self.fields.get(path)
        if spec is None:
            return Lit(Test(f"exists {path}", path, None), True)
        return self._lit(path, self._everything(spec, absent=False))

    def one_of(self, path: str, values: Iterable[Any]) -> Formula:
        """``path`` equals one of ``values`` (already of the field's type)."""
        spec = self.fields.get(path)
        items = frozenset(values)
        if spec is None:
            return Lit(Test(f"in {path} {sorted(map(repr, items))}", path, None), True)
        if spec.type in _RANGED:
            points = [(v, True, v, True) for v in (_number(spec, v) for v in items) if v is not None]
            if len(points) != len(items):
                return Lit(Test(f"in {path} {sorted(map(repr, items))}", path, None), True)
            return self._lit(
                path, Ranges.of(points, absent=False, discrete=spec.type is not FieldType.NUMBER)
            )
        return self._lit(path, Values(items, False, False))

    def between(self, path: str, low: dt.date, high: dt.date | None) -> Formula:
        """A date field within ``[low, high]`` (``high=None``: no end)."""
        spec = self.fields.get(path)
        if spec is None or spec.type is not FieldType.DATE:
            return Lit(Test(f"between {path} {low} {high}", path, None), True)
        hi = high.toordinal() if high is not None else None
        return self._lit(
            path, Ranges.of([(low.toordinal(), True, hi, hi is not None)], absent=False, discrete=True)
        )

    def compare(self, cond: Compare) -> Formula:
        """One comparison; opaque when it compares with another field or is not understood."""
        spec = self.fields.get(cond.path)
        understood = spec is not None and cond.ref is None and not _modified(cond)
        domain = self._compare(cond, spec) if understood and spec is not None else None
        return _opaque(cond) if domain is None else self._lit(cond.path, domain)

    def _lit(self, path: str, domain: Domain) -> Formula:
        return Lit(Test(f"{path} {domain!r}", path, domain), True)

    def _everything(self, spec: FieldSpec, *, absent: bool) -> Domain:
        if spec.type in _RANGED:
            return Ranges.of(
                [(None, False, None, False)], absent=absent, discrete=spec.type is not FieldType.NUMBER
            )
        return Values(frozenset(), True, absent)

    def _compare(self, cond: Compare, spec: FieldSpec) -> Domain | None:
        op, value = cond.op, cond.value
        if spec.type is FieldType.LEVEL and op in ("gt", "gte", "lt", "lte", "between"):
            return self._levels(cond)
        if spec.type in _RANGED:
            return self._ranged(op, value, spec)
        if op in ("eq", "ne"):
            if isinstance(value, list | tuple | dict | set) or value is None:
                return None
            chosen = Values(frozenset((value,)), False, False)
        elif op in ("in", "not_in"):
            if not isinstance(value, tuple) or any(isinstance(v, list | tuple | dict) for v in value):
                return None
            chosen = Values(frozenset(value), False, False)
        else:
            return None
        if op in ("ne", "not_in"):  # present and none of them
            return Values(chosen.values, True, False)
        return chosen

    def _levels(self, cond: Compare) -> Domain | None:
        order = cond.order
        rank = {level: i for i, level in enumerate(order)}
        value = cond.value
        try:
            if cond.op == "between":
                low, high = rank[value[0]], rank[value[1]]
            else:
                target = rank[value]
        except (KeyError, TypeError, IndexError):
            return None
        tests = {
            "gt": lambda r: r > target,
            "gte": lambda r: r >= target,
            "lt": lambda r: r < target,
            "lte": lambda r: r <= target,
            "between": lambda r: low <= r <= high,
        }
        return Values(frozenset(level for level, r in rank.items() if tests[cond.op](r)), False, False)

    def _ranged(self, op: str, value: Any, spec: FieldSpec) -> Domain | None:
        discrete = spec.type is not FieldType.NUMBER
        if op in ("in", "not_in", "between"):
            if not isinstance(value, tuple):
                return None
            numbers = [_number(spec, v) for v in value]
        else:
            numbers = [_number(spec, value)]
        if any(n is None for n in numbers):
            return None
        v = numbers[0]
        shapes: dict[str, list[Interval]] = {
            "eq": [(v, True, v, True)],
            "ne": [(None, False, v, False), (v, False, None, False)],
            "gt": [(v, False, None, False)],
            "gte": [(v, True, None, False)],
            "lt": [(None, False, v, False)],
            "lte": [(None, False, v, True)],
            "in": [(n, True, n, True) for n in numbers],
            "between": [(numbers[0], True, numbers[-1], True)],
        }
        if op == "not_in":
            inside = Ranges.of(shapes["in"], absent=True, discrete=discrete)
            return inside.complement()
        if op not in shapes:
            return None
        return Ranges.of(shapes[op], absent=False, discrete=discrete)

    # --- questions ---------------------------------------------------------------------------

    def possible(self, formula: Formula) -> bool | None:
        """Whether some achievement (or worker) could make ``formula`` hold; None: too large to tell."""
        try:
            return bool(self._dnf(formula))
        except TooLarge:
            return None

    def conflicts(self, formula: Formula) -> tuple[str, ...]:
        """When ``formula`` cannot hold: the fields whose tests contradict each other, sorted."""
        found: set[str] = set()
        try:
            for term in _dnf_raw(formula):
                found.update(self._conflict(term))
        except TooLarge:
            return ()
        return tuple(sorted(found))

    def implies(self, premise: Formula, conclusion: Formula) -> bool | None:
        """Whether ``conclusion`` holds whenever ``premise`` does; None: too large to tell."""
        holds = self.possible(And((premise, negate(conclusion))))
        return None if holds is None else not holds

    def _dnf(self, formula: Formula) -> list[tuple[Lit, ...]]:
        """The formula as conjunctions of literals, those that cannot hold dropped as they appear."""
        if isinstance(formula, Lit):
            return [] if self._conflict((formula,)) else [(formula,)]
        if isinstance(formula, Or):
            out: list[tuple[Lit, ...]] = []
            for item in formula.items:
                out.extend(self._dnf(item))
                if len(out) > MOST_TERMS:
                    raise TooLarge
            return out
        terms: list[tuple[Lit, ...]] = [()]
        for item in formula.items:
            parts = self._dnf(item)
            terms = [a + b for a in terms for b in parts if not self._conflict(a + b)]
            if len(terms) > MOST_TERMS:
                raise TooLarge
            if not terms:
                return []
        return terms

    def _conflict(self, lits: tuple[Lit, ...]) -> list[str]:
        """The fields (or opaque tests' paths) left with no value by this conjunction."""
        fields: dict[str, Domain] = {}
        opaque: dict[str, bool] = {}
        bad: list[str] = []
        for lit in lits:
            test = lit.test
            if test.domain is None:
                if opaque.setdefault(test.key, lit.positive) != lit.positive:
                    bad.append(test.path)
                continue
            spec = self.fields[test.path]
            have = fields.get(test.path) or self._bounded(spec)
            domain = test.domain if lit.positive else test.domain.complement()
            fields[test.path] = have.meet(domain)  # type: ignore[arg-type]
        for path, domain in fields.items():
            if domain.empty(_universe(self.fields[path])):
                bad.append(path)
        return bad

    def _bounded(self, spec: FieldSpec) -> Domain:
        """Every value a field can take: its declared min and max bound numbers."""
        if spec.type in _RANGED and (spec.low is not None or spec.high is not None):
            return Ranges.of(
                [(spec.low, spec.low is not None, spec.high, spec.high is not None)],
                absent=True,
                discrete=spec.type is not FieldType.NUMBER,
            )
        return self._everything(spec, absent=True)


_RANGED = (FieldType.NUMBER, FieldType.INTEGER, FieldType.DATE)


#: The fields of ``Compare`` this module knows the meaning of.
_COMPARE_FIELDS = frozenset({"path", "op", "value", "at", "order", "ref"})


def _modified(cond: Compare) -> bool:
    """Whether a comparison sets a field added after this module was written (a flag such as
    "ignore case" would change what ``eq`` means): such a comparison is opaque."""
    return any(f.name not in _COMPARE_FIELDS and getattr(cond, f.name) != f.default for f in fields(cond))


def _universe(spec: FieldSpec) -> frozenset[Any] | None:
    if spec.type is FieldType.ENUM:
        return frozenset(spec.values)
    if spec.type is FieldType.BOOL:
        return frozenset((True, False))
    return None


def _number(spec: FieldSpec, value: Any) -> Any:
    """A literal as a point on the field's line: Decimal, or a date's ordinal; None if neither."""
    if spec.type is FieldType.DATE:
        return value.toordinal() if isinstance(value, dt.date) else None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    return Decimal(value)


def _opaque(node: object) -> Formula:
    """A test this module does not understand: known only by what it says, wherever it is written."""
    # Two copies of one test differ only in where they are written (their ``at`` key path).
    if is_dataclass(node) and not isinstance(node, type) and "at" in {f.name for f in fields(node)}:
        node = replace(node, at=())
    path = getattr(node, "path", "?")
    return Lit(Test(f"opaque {node!r}", str(path), None), True)


def negate(formula: Formula) -> Formula:
    """The formula's negation, negations pushed down to the tests."""
    if isinstance(formula, Lit):
        return Lit(formula.test, not formula.positive)
    if isinstance(formula, And):
        return Or(tuple(negate(item) for item in formula.items))
    return And(tuple(negate(item) for item in formula.items))


def _dnf_raw(formula: Formula) -> list[tuple[Lit, ...]]:
    """The formula as a list of conjunctions of literals."""
    if isinstance(formula, Lit):
        return [(formula,)]
    if isinstance(formula, Or):
        out: list[tuple[Lit, ...]] = []
        for item in formula.items:
            out.extend(_dnf_raw(item))
            if len(out) > MOST_TERMS:
                raise TooLarge
        return out
    terms: list[tuple[Lit, ...]] = [()]
    for item in formula.items:
        terms = [a + b for a in terms for b in _dnf_raw(item)]
        if len(terms) > MOST_TERMS:
            raise TooLarge
    return terms
