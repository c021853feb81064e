"""Conditions and values in durable-rules' terms: what the Rete network can compare exactly.

A condition becomes a durable-rules expression over the *slots* of one flat fact
(``f0``, ``f1``... for fields, ``r0``... for level ranks, ``p0``... for tests made in
Python), with ``not`` pushed down to the leaves by De Morgan; a fact becomes the slot
values it is asserted with. No durable-rules import here: this is a compiler of the
IR into plain dicts (``durable.py`` registers and runs them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .._conditions import TEXT_TESTS, fold
from .._entitlements import Conditions
from .._equivalence import Outcome
from .._expr import AllOf, AnyOf, Compare, Condition, Exists, FieldSpec, FieldType, Not
from .._facts import Item
from .._ir import (
    AchievementReq,
    AllReq,
    AnyReq,
    Entitlement,
    Equivalence,
    EquivalenceRule,
    NotReq,
    Policy,
    Requirement,
    StatusReq,
    WorkerReq,
    requirement_nodes,
)
from .base import Facts

__all__ = [
    "ALTERNATIVES",
    "GUARD",
    "JOINED",
    "PATHS",
    "TESTS",
    "Chain",
    "ClaimTests",
    "Decider",
    "Decision",
    "Derivation",
    "Encoding",
    "Expr",
    "Inexpressible",
    "Literal",
    "Matching",
    "Predicate",
    "TooLarge",
    "all_of",
    "alternatives",
    "any_of",
    "claim_tests",
    "decider_rules",
    "literal",
    "size",
]

#: Most alternatives (disjunctive-normal-form paths) in one ruleset: every node of the
#: network then has far fewer than the 256 / 512 children at which durable-rules fails.
PATHS = 128
#: Most tests over all those paths in one ruleset (keeps the node pool small).
TESTS = 2048
_MILLIONTHS = 6
_INT64 = 2**63
_TEXT_BYTES = 60_000
GUARD = "ce"  # on every asserted fact; the state never has it

Expr = dict[str, Any]
Predicate = Callable[[Facts], bool]


# --- values --------------------------------------------------------------------------


class Inexpressible(Exception):
    """A value durable-rules cannot compare exactly as its field's type requires."""


def encode(value: object, kind: FieldType) -> object:
    """A fact value or constant as durable-rules compares it, for a field of type ``kind``.

    :raises Inexpressible: when the value is not of that type, or cannot be compared exactly.
    """
    if kind in (FieldType.TEXT, FieldType.ENUM, FieldType.LEVEL):
        if type(value) is not str or "\x00" in value or len(value.encode("utf-8")) > _TEXT_BYTES:
            raise Inexpressible
        return value
    if kind in (FieldType.NUMBER, FieldType.INTEGER):
        if type(value) is int:
            value = Decimal(value)
        if type(value) is not Decimal or not value.is_finite():
            raise Inexpressible
        exponent = value.as_tuple().exponent
        if not isinstance(exponent, int) or exponent < -_MILLIONTHS or value.adjusted() > 15:
            raise Inexpressible
        scaled = int(value.scaleb(_MILLIONTHS))  # exact: at most 22 digits, far below precision
        if not -_INT64 < scaled < _INT64:
            raise Inexpressible
        return scaled
    if kind is FieldType.DATE:
        if type(value) is not dt.date:
            raise Inexpressible
        return value.isoformat()
    if type(value) is not bool:
        raise Inexpressible
    return value


_PYTHON_TESTS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: bool(a == b),
    "ne": lambda a, b: bool(a != b),
    "gt": lambda a, b: bool(a > b),
    "gte": lambda a, b: bool(a >= b),
    "lt": lambda a, b: bool(a < b),
    "lte": lambda a, b: bool(a <= b),
}


def _python(cond: Compare) -> Predicate:
    """``cond`` as Python, with the generated code's semantics (``codegen._Writer.compare``)."""
    path, op, value, test = cond.path, cond.op, cond.value, _PYTHON_TESTS.get(cond.op)
    if cond.fold or op in TEXT_TESTS:
        return _text_python(cond)
    if cond.ref is not None:
        ref = cond.ref
        assert test is not None
        return lambda f: (v := f.get(path)) is not None and (w := f.get(ref)) is not None and test(v, w)
    if cond.order:
        rank = {level: i for i, level in enumerate(cond.order)}
        if op == "between":
            low, high = rank[value[0]], rank[value[1]]
            return lambda f: (r := rank.get(f.get(path))) is not None and low <= r <= high  # type: ignore[arg-type]
        bound = rank[value]
        assert test is not None
        return lambda f: (r := rank.get(f.get(path))) is not None and test(r, bound)  # type: ignore[arg-type]
    if op == "eq":
        return lambda f: bool(f.get(path) == value)
    if op == "in":
        members = frozenset(value)
        return lambda f: f.get(path) in members
    if op == "not_in":
        members = frozenset(value)
        return lambda f: (v := f.get(path)) is not None and v not in members
    if op == "between":
        low, high = value
        return lambda f: (v := f.get(path)) is not None and bool(low <= v <= high)
    assert test is not None
    return lambda f: (v := f.get(path)) is not None and test(v, value)


def _text_python(cond: Compare) -> Predicate:
    """A text test (``contains``, ``starts_with``) or an ``ignore_case`` one, as ``codegen`` writes them."""
    path, op, value = cond.path, cond.op, cond.value
    read = fold if cond.fold else (lambda v: v)
    if op in TEXT_TESTS:
        text_test = TEXT_TESTS[op]
        return lambda f: text_test(read(f.get(path)), value)
    if cond.ref is not None:
        ref, test = cond.ref, _PYTHON_TESTS[op]
        return lambda f: (
            (v := f.get(path)) is not None and (w := f.get(ref)) is not None and test(read(v), read(w))
        )
    if op == "eq":
        return lambda f: bool(read(f.get(path)) == value)
    members = frozenset(value) if op in ("in", "not_in") else frozenset((value,))
    if op == "in":
        return lambda f: read(f.get(path)) in members
    return lambda f: (v := f.get(path)) is not None and read(v) not in members  # ne, not_in


# --- conditions into durable-rules dicts ------------------------------------------------

_COMPLEMENT = {"gt": "lte", "gte": "lt", "lt": "gte", "lte": "gt"}


def size(expr: Expr) -> tuple[int, int]:
    """(paths, tests) of ``expr`` in disjunctive normal form: what the network is built from."""
    if "$or" in expr:
        sizes = [size(e) for e in expr["$or"]]
        return sum(p for p, _ in sizes), sum(t for _, t in sizes)
    if "$and" in expr:
        paths, tests = 1, 0
        for p, t in (size(e) for e in expr["$and"]):
            tests, paths = tests * p + t * paths, paths * p
        return paths, tests
    return 1, 1


def _joined(key: str, parts: list[Expr]) -> Expr:
    """``parts`` under ``key`` (``$or``/``$and``), nested ones of the same key flattened and
    repeats dropped: the same test, and durable-rules refuses some nestings of ``$or``
    (error 113, found by ``make fuzz``: ``not`` of ``all`` of ``all``s)."""
    flat: list[Expr] = []
    for part in parts:
        for item in part[key] if list(part) == [key] else [part]:
            if item not in flat:
                flat.append(item)
    return flat[0] if len(flat) == 1 else {key: flat}


def any_of(parts: list[Expr]) -> Expr:
    return _joined("$or", parts)


def all_of(parts: list[Expr]) -> Expr:
    return _joined("$and", parts)


@dataclass
class Encoding:
    """How one conversion version's facts become one durable-rules fact: field by field."""

    specs: Mapping[str, FieldSpec]
    fields: dict[str, tuple[str, FieldType]] = field(default_factory=dict)  # path -> (slot, type)
    ranks: dict[tuple[str, tuple[str, ...]], str] = field(default_factory=dict)  # (path, order) -> slot
    atoms: list[tuple[str, Predicate]] = field(default_factory=list)  # Python-evaluated tests

    def slot(self, path: str) -> str:
        known = self.fields.get(path)
        if known is None:
            spec = self.specs.get(path)
            if spec is None:  # pragma: no cover - conditions only name declared fields
                raise ValueError(f"no declared type for {path!r}")
            known = self.fields[path] = (f"f{len(self.fields)}", spec.type)
        return known[0]

    def rank_slot(self, path: str, order: tuple[str, ...]) -> str:
        self.slot(path)  # the level itself is type-checked like any field
        key = (path, order)
        if key not in self.ranks:
            self.ranks[key] = f"r{len(self.ranks)}"
        return self.ranks[key]

    def atom(self, predicate: Predicate, positive: bool) -> Expr:
        slot = f"p{len(self.atoms)}"
        self.atoms.append((slot, predicate))
        return {slot: 1 if positive else 0}

    def expr(self, cond: Condition, positive: bool = True) -> Expr:
        """``cond`` (or its negation) as a durable-rules expression on this encoding's slots."""
        if isinstance(cond, AllOf | AnyOf):
            if not cond.items:  # pragma: no cover - the parser never builds an empty one
                raise ValueError("an empty all/any")
            parts = [self.expr(item, positive) for item in cond.items]
            return all_of(parts) if isinstance(cond, AllOf) == positive else any_of(parts)
        if isinstance(cond, Not):
            return self.expr(cond.item, not positive)
        if isinstance(cond, Exists):
            return {"$ex" if cond.present == positive else "$nex": {self.slot(cond.path): 1}}
        for path in (cond.path, cond.ref):
            if path is not None:
                self.slot(path)  # type-checked when asserted, like every field the rules read
        if cond.ref is not None or cond.fold or cond.op in TEXT_TESTS:  # tested in Python
            return self.atom(_python(cond), positive)
        try:
            holds, fails = self.compare(cond)
        except Inexpressible:
            return self.atom(_python(cond), positive)
        if positive:
            return holds
        # Every comparison fails on an absent field; its negation holds there.
        slot = self.rank_slot(cond.path, cond.order) if cond.order else self.slot(cond.path)
        return any_of([{"$nex": {slot: 1}}, fails])

    def compare(self, cond: Compare) -> tuple[Expr, Expr]:
        """(holds, fails on a present value) for a comparison with constants."""
        op, value = cond.op, cond.value
        if cond.order:
            slot = self.rank_slot(cond.path, cond.order)
            rank = {level: i for i, level in enumerate(cond.order)}
            if op == "between":
                low, high = rank[value[0]], rank[value[1]]
                return (
                    {"$and": [{"$gte": {slot: low}}, {"$lte": {slot: high}}]},
                    {"$or": [{"$lt": {slot: low}}, {"$gt": {slot: high}}]},
                )
            bound = rank[value]
            return {f"${op}": {slot: bound}}, {f"${_COMPLEMENT[op]}": {slot: bound}}
        slot, kind = self.slot(cond.path), self.fields[cond.path][1]
        if op in ("in", "not_in"):
            members = [encode(v, kind) for v in value]
            equal = any_of([{slot: m} for m in members])
            differ = all_of([{"$neq": {slot: m}} for m in members])
            return (equal, differ) if op == "in" else (differ, equal)
        if op == "between":
            first, last = encode(value[0], kind), encode(value[1], kind)
            return (
                {"$and": [{"$gte": {slot: first}}, {"$lte": {slot: last}}]},
                {"$or": [{"$lt": {slot: first}}, {"$gt": {slot: last}}]},
            )
        constant = encode(value, kind)
        if op == "eq":
            return {slot: constant}, {"$neq": {slot: constant}}
        if op == "ne":
            return {"$neq": {slot: constant}}, {slot: constant}
        return {f"${op}": {slot: constant}}, {f"${_COMPLEMENT[op]}": {slot: constant}}

    def fact(self, facts: Facts) -> dict[str, Any]:
        """The one fact asserted for ``facts``.

        :raises Inexpressible: when a value does not have its field's declared type.
        """
        out: dict[str, Any] = {GUARD: 1}
        for path, (slot, kind) in self.fields.items():
            if path in facts:
                out[slot] = encode(facts[path], kind)
        for (path, order), slot in self.ranks.items():
            level = facts.get(path)
            if level in order:
                out[slot] = order.index(level)
        for slot, predicate in self.atoms:
            out[slot] = 1 if predicate(facts) else 0
        return out


# --- requirements into alternatives of leaf and status facts ----------------------------

#: A test on one fact asserted during a decision: ``("l", leaf, held)`` on a requirement
#: leaf's value, ``("s", status, granted)`` on a status decided by its policy.
Literal = tuple[str, object, bool]
#: Most alternatives, and most facts joined in one, for one requirement (a larger one is
#: decided in Python: durable-rules' joins grow with the product of their facts).
ALTERNATIVES = 32
JOINED = 12


class TooLarge(Exception):
    """A requirement whose alternatives exceed ``ALTERNATIVES`` or ``JOINED``."""


def alternatives(
    req: Requirement, leaf: Callable[[Requirement], int], positive: bool = True
) -> list[frozenset[Literal]]:
    """``req`` (or its negation) as alternatives, each a set of literals that must all hold.

    ``leaf`` numbers the requirements decided before the policies are (achievements,
    worker conditions, totals); statuses stay literals on the facts policies assert.

    :raises TooLarge: past ``ALTERNATIVES`` alternatives or ``JOINED`` literals in one.
    """
    match req:
        case AllReq(items=items) | AnyReq(items=items):
            parts = [alternatives(item, leaf, positive) for item in items]
            if isinstance(req, AllReq) != positive:  # a disjunction: any alternative of any part
                out = list(dict.fromkeys(alt for part in parts for alt in part))
            else:  # a conjunction: one alternative of every part, joined
                out = [frozenset()]
                for part in parts:
                    out = list(dict.fromkeys(a | b for a in out for b in part if _consistent(a | b)))
                    if len(out) > ALTERNATIVES:
                        raise TooLarge
        case NotReq(item=item):
            out = alternatives(item, leaf, not positive)
        case StatusReq(status=status):
            out = [frozenset({("s", status, positive)})]
        case _:
            out = [frozenset({("l", leaf(req), positive)})]
    if len(out) > ALTERNATIVES or any(len(alt) > JOINED for alt in out):
        raise TooLarge
    return out


def _consistent(alternative: frozenset[Literal]) -> bool:
    """No fact is required both to hold and not to."""
    return len({(kind, key) for kind, key, _ in alternative}) == len(alternative)


# --- one decision: the policies (or an eligible: requirement) as one ruleset ----------


@dataclass(frozen=True)
class Decider:
    """The policies in force together as one ruleset (see the module docstring)."""

    name: str
    policies: tuple[Policy, ...]
    leaves: tuple[Requirement, ...]  # achievement, worker and total requirements, numbered
    achievements: Encoding  # slots of the achievement leaves' conditions
    worker: Encoding  # slots of the worker leaves' conditions
    ungranted: tuple[str, ...]  # statuses required that no policy here grants (asserted as held or not)


def decider_rules(
    policies: tuple[Policy, ...],
    name: str,
    specs: Mapping[str, FieldSpec],
    worker_specs: Mapping[str, FieldSpec],
    python: Callable[[Condition], Predicate],
) -> tuple[Decider, dict[str, Any], dict[str, tuple[int, bool | None]]] | None:
    """The ruleset deciding ``policies``: its decider, its definition, and what each action
    does (``(j, None)``: a fact matches leaf ``j``; ``(i, met)``: policy ``i`` is decided);
    None when a requirement is too large for it (Python decides)."""
    leaves: list[Requirement] = []
    numbers: dict[int, int] = {}

    def leaf(req: Requirement) -> int:
        if id(req) not in numbers:
            numbers[id(req)] = len(leaves)
            leaves.append(req)
        return numbers[id(req)]

    try:
        ways = [
            (alternatives(p.requires, leaf, True), alternatives(p.requires, leaf, False)) for p in policies
        ]
    except TooLarge:
        return None
    achievements, worker = Encoding(specs), Encoding(worker_specs)
    definition: dict[str, Any] = {}
    actions: dict[str, tuple[int, bool | None]] = {}
    paths = tests = 0
    for j, req in enumerate(leaves):
        if isinstance(req, AchievementReq | WorkerReq):
            kind, encoding = ("a", achievements) if isinstance(req, AchievementReq) else ("w", worker)
            expr = encoding.expr(req.condition)
            p, t = size(expr)
            if paths + p > PATHS // 2 or tests + t > TESTS // 2:  # Python tests this condition
                expr = encoding.atom(python(req.condition), True)
                p, t = 1, 1
            paths, tests = paths + p, tests + t
            definition[f"l{j}"] = {
                "all": [{"m": {"$and": [{GUARD: 1}, {"k": kind}, expr]}}],
                "run": f"{name}/l{j}",
            }
            actions[f"{name}/l{j}"] = (j, None)
    for i, (met, unmet) in enumerate(ways):
        for held, alts in ((True, met), (False, unmet)):
            for a, alt in enumerate(alts):
                joined = [{f"x{n}": literal(*lit)} for n, lit in enumerate(sorted(alt, key=repr))]
                rule = f"p{i}{'m' if held else 'u'}{a}"
                definition[rule] = {
                    "all": joined or [{"x0": {"$and": [{GUARD: 1}, {"k": "w"}]}}],
                    "run": f"{name}/{rule}",
                }
                actions[f"{name}/{rule}"] = (i, held)
                paths, tests = paths + 1, tests + 4 * max(len(joined), 1)
    if paths > PATHS or tests > TESTS:
        return None
    granted = {p.grants for p in policies}
    required = {s.status for p in policies for s in requirement_nodes(p.requires) if isinstance(s, StatusReq)}
    ungranted = tuple(sorted(required - granted))
    return Decider(name, policies, tuple(leaves), achievements, worker, ungranted), definition, actions


@dataclass
class Decision:
    """One decision in the network: leaf hits counted, and what each policy was decided."""

    decider: Decider
    hits: list[set[str]]  # per leaf: the facts (achievements, the worker) matching its condition
    decided: dict[int, bool] = field(default_factory=dict)  # policy index -> met
    error: BaseException | None = None
    rule: int | None = None  # the policy whose action failed
    facts: int = 0

    def next_id(self) -> str:
        self.facts += 1
        return str(self.facts)


def literal(kind: str, key: object, value: bool) -> Expr:
    """The test on a leaf (``l``) or status (``s``) fact of a decision."""
    return {"$and": [{GUARD: 1}, {"k": kind}, {kind: key}, {"v": 1 if value else 0}]}


# --- equivalence chaining: the equivalences in force together as one ruleset ---------------


@dataclass(frozen=True)
class Chain:
    """The equivalences in force together as one ruleset: rule ``k`` derives from facts without ``a{k}``."""

    name: str
    rules: tuple[tuple[Equivalence, EquivalenceRule], ...]
    encoding: Encoding

    def fact(self, item: Item, node: int) -> dict[str, Any]:
        """The fact asserted for ``item`` (node ``node`` of the call): its slots and lineage.

        :raises Inexpressible: when a value does not have its field's declared type.
        """
        out = self.encoding.fact(item.facts)
        for k, (equivalence, rule) in enumerate(self.rules):
            out[f"a{k}"] = 1 if f"{equivalence.meta.id}/{rule.id}" in item.applied else 0
        out["n"] = node
        out["id"] = str(node)
        return out


@dataclass
class Derivation:
    """One derivation in the network: every achievement asserted, and what each rule did with it."""

    chain: Chain
    items: list[Item]
    outcomes: list[dict[int, Outcome]]
    nodes: dict[int, int] = field(default_factory=dict)  # id(item) -> node
    error: BaseException | None = None
    rule: int | None = None  # the rule whose action failed

    def add(self, item: Item) -> int:
        self.items.append(item)
        self.outcomes.append({})
        self.nodes[id(item)] = len(self.items) - 1
        return len(self.items) - 1


# --- entitlement conditions: an entitlement's rules' and bonuses' conditions as one ruleset ---


@dataclass(frozen=True)
class ClaimTests:
    """Rule ``t{k}`` of the ruleset tests condition ``tests[k]`` on every subject asserted
    (an achievement, or the worker for status rules), each a fact numbered ``n``."""

    name: str
    tests: tuple[tuple[int, int | None], ...]  # (rule index, bonus index, or None for its when)
    encoding: Encoding

    def facts(self, subjects: Sequence[Facts]) -> list[dict[str, Any]]:
        """The facts asserted for ``subjects``, numbered ``n`` in their order.

        :raises Inexpressible: when a value does not have its field's declared type.
        """
        return [{**self.encoding.fact(s), "n": n, "id": str(n)} for n, s in enumerate(subjects)]

    def conditions(self, hits: set[int]) -> Conditions:
        """What the tests that fired for one subject say holds."""
        fired = [self.tests[k] for k in hits]
        return Conditions(
            frozenset(r for r, j in fired if j is None),
            frozenset((r, j) for r, j in fired if j is not None),
        )


def claim_tests(
    entitlement: Entitlement,
    name: str,
    specs: Mapping[str, FieldSpec],
    python: Callable[[Condition], Predicate],
) -> tuple[ClaimTests, dict[str, Any]] | None:
    """The ruleset testing ``entitlement``'s conditions, and its definition (actions ``{name}/{k}``);
    None when there are too many to fit one ruleset (Python matches them)."""
    encoding = Encoding(specs)
    tests: list[tuple[int, int | None]] = []
    definition: dict[str, Any] = {}
    paths = total = 0
    for r, rule in enumerate(entitlement.rules):
        conditions = [(None, rule.when)] if rule.when is not None else []
        for j, cond in [*conditions, *((j, b.when) for j, b in enumerate(rule.bonuses))]:
            expr = encoding.expr(cond)
            p, t = size(expr)
            if paths + p > PATHS // 2 or total + t > TESTS // 2:  # Python tests this condition
                expr, p, t = encoding.atom(python(cond), True), 1, 1
            paths, total = paths + p, total + t
            definition[f"t{len(tests)}"] = {
                "all": [{"m": {"$and": [{GUARD: 1}, expr]}}],
                "run": f"{name}/{len(tests)}",
            }
            tests.append((r, j))
    if paths > PATHS:
        return None
    return ClaimTests(name, tuple(tests), encoding), definition


@dataclass
class Matching:
    """One matching in the network: the tests that fired for each subject."""

    tests: ClaimTests
    hits: list[
        set[int]
    ]  # per subject: indexes into ``tests.tests`` (a set: a test fires once per alternative)
    error: BaseException | None = None
    test: int | None = None  # the test whose action failed
