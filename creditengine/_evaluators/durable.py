"""The durable-rules backend: conversion rules matched by a Rete network (durable-rules 2.0.28).

Each conversion version becomes one or more durable-rules rulesets, registered on
this backend's own ``durable.engine.Host`` (never ``durable.lang``'s module-global
rulesets) under a name made of the pack fingerprint, the conversion id and version,
and a counter, so several packs, or versions of one, coexist. ``candidates`` asserts
an achievement's facts as one fact into a fresh state, collects the rules whose
actions fired, deletes the state and returns their indexes in rule order.

What goes through the Rete network (conditions compiled to durable-rules dicts, with
``not`` pushed down to the leaves by De Morgan, so every test below may be negated):

- ``eq``/``ne`` as ``{field: v}``/``$neq``; ``in`` as ``$or`` of equalities,
  ``not_in`` as ``$and`` of ``$neq``; ``between`` as ``$gte`` + ``$lte``;
  ``gt``/``gte``/``lt``/``lte`` as ``$gt``/``$gte``/``$lt``/``$lte``; ``exists`` as ``$ex``/``$nex``;
  ``all``/``any``/``not`` as ``$and``/``$or`` (negations as ``$nex`` or the complement);
- on text, enum and level names (as text), numbers (as integers in millionths,
  exact in 64 bits), dates (as ISO text, which sorts as dates do) and booleans;
- ordered level comparisons on the level's rank in the condition's framework (the
  framework's order, computed in Python when the fact is asserted: the Rete only
  compares the rank with the bound's rank).

What is evaluated in Python, for that test only (its result is asserted as a 0/1
field the Rete network tests in its place):

- ``ref`` comparisons (one fact field with another): durable-rules compares a field
  with another fact's field in joins, not with a field of the same fact;
- a constant durable-rules cannot compare exactly: a number that is not a whole
  number of millionths or is beyond 64 bits, text containing NUL (compared by
  ``strcmp``) or longer than 60,000 bytes;
- a whole ``when`` too large for one ruleset (see ``_PATHS`` below).

And for a whole call, by the compiled backend's generated kernel: facts with a value
that does not have its field's declared type (validated records never give one).

``match`` and ``points`` are the compiled backend's generated kernels for now:
points are arithmetic, which the pipeline and the generated code own, and
conditions outside conversions (adjustments, equivalences, policies, entitlements,
transfers) are not in the Rete network yet.

How durable-rules is made safe (``../shared/notes/durable-rules.md``, re-measured):

- a synchronous host: its two background timer threads, which race the caller, are never started;
- one worker in the network at a time (a lock shared by every instance), each call in
  a fresh state (unique sid) deleted afterwards, so at most one state lives per ruleset;
- every fact carries a guard field, and every rule tests it first: the state, which
  durable-rules also matches against rules, then matches none (else a rule testing
  only ``$nex`` refires forever on it);
- a catch-all rule fires for every fact: no fact is left unhandled
  (``MessageNotHandledException``) and an action always runs before the state is
  deleted (deleting a state in which no action ran crashes the process);
- rulesets are kept small (measured: more than 512 alternatives under one node hangs
  ``create_ruleset``, more than 256 identical ones fail with error 108, a large
  ``$and`` of ``$or`` fails with error 113): a conversion's rules are split over
  several rulesets;
- an exception in an action (left by durable-rules in the state's ``exception`` key)
  and any error of the engine become an :class:`EvaluationError` naming the rule.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import itertools
import json
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import ModuleType
from typing import Any

from .._errors import BackendUnavailableError, EvaluationError
from .._expr import ACHIEVEMENT_FIELDS, AllOf, AnyOf, Compare, Condition, Exists, FieldSpec, FieldType, Not
from .._ir import Conversion, Pack, Points
from .base import Decide, Derive, Facts
from .compiled import CompiledKernels

__all__ = ["DurableKernels", "durable_available"]

#: Most alternatives (disjunctive-normal-form paths) in one ruleset: every node of the
#: network then has far fewer than the 256 / 512 children at which durable-rules fails.
_PATHS = 128
#: Most tests over all those paths in one ruleset (keeps the node pool small).
_TESTS = 2048
_MILLIONTHS = 6
_INT64 = 2**63
_TEXT_BYTES = 60_000
_GUARD = "ce"  # on every asserted fact; the state never has it
_CATCH_ALL = -1

# The C engine keeps global state; one call in the network at a time, whatever the instance.
_LOCK = threading.Lock()
_SIDS = itertools.count(1)
_RULESETS = itertools.count(1)

Expr = dict[str, Any]
Predicate = Callable[[Facts], bool]


@functools.cache
def _runtime() -> tuple[ModuleType, type]:
    """durable.engine and a synchronous Host subclass of it.

    Imported on first use, not with this module: the engine runs without durable-rules
    (Python 3.13+, where 2.0.28 fails to import), and only this backend needs it.
    """
    engine = importlib.import_module("durable.engine")

    class SyncHost(engine.Host):  # type: ignore[misc, name-defined]
        """A host whose actions are looked up in ``actions`` and that never starts its timers."""

        def __init__(self) -> None:
            self.actions: dict[str, Callable[[Any], None]] = {}
            super().__init__()

        def _run(self) -> None:
            # The background dispatcher races the caller (wrong results, then a crash);
            # everything runs synchronously in assert_fact instead. No timers are used.
            return None

        def get_action(self, action_name: str) -> Callable[[Any], None]:
            return self.actions[action_name]

    return engine, SyncHost


def durable_available() -> str | None:
    """None when durable-rules imports; else why not, in one line."""
    try:
        _runtime()
    except ImportError as exc:  # an undefined symbol in its C extension is an ImportError too
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return None


# --- values --------------------------------------------------------------------------


class _Inexpressible(Exception):
    """A value durable-rules cannot compare exactly as its field's type requires."""


def _encode(value: object, kind: FieldType) -> object:
    """A fact value or constant as durable-rules compares it, for a field of type ``kind``.

    :raises _Inexpressible: when the value is not of that type, or cannot be compared exactly.
    """
    if kind in (FieldType.TEXT, FieldType.ENUM, FieldType.LEVEL):
        if type(value) is not str or "\x00" in value or len(value.encode("utf-8")) > _TEXT_BYTES:
            raise _Inexpressible
        return value
    if kind in (FieldType.NUMBER, FieldType.INTEGER):
        if type(value) is int:
            value = Decimal(value)
        if type(value) is not Decimal or not value.is_finite():
            raise _Inexpressible
        exponent = value.as_tuple().exponent
        if not isinstance(exponent, int) or exponent < -_MILLIONTHS or value.adjusted() > 15:
            raise _Inexpressible
        scaled = int(value.scaleb(_MILLIONTHS))  # exact: at most 22 digits, far below precision
        if not -_INT64 < scaled < _INT64:
            raise _Inexpressible
        return scaled
    if kind is FieldType.DATE:
        if type(value) is not dt.date:
            raise _Inexpressible
        return value.isoformat()
    if type(value) is not bool:
        raise _Inexpressible
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


# --- conditions into durable-rules dicts ------------------------------------------------

_COMPLEMENT = {"gt": "lte", "gte": "lt", "lt": "gte", "lte": "gt"}


def _size(expr: Expr) -> tuple[int, int]:
    """(paths, tests) of ``expr`` in disjunctive normal form: what the network is built from."""
    if "$or" in expr:
        sizes = [_size(e) for e in expr["$or"]]
        return sum(p for p, _ in sizes), sum(t for _, t in sizes)
    if "$and" in expr:
        paths, tests = 1, 0
        for p, t in (_size(e) for e in expr["$and"]):
            tests, paths = tests * p + t * paths, paths * p
        return paths, tests
    return 1, 1


def _any(parts: list[Expr]) -> Expr:
    return parts[0] if len(parts) == 1 else {"$or": parts}


def _all(parts: list[Expr]) -> Expr:
    return parts[0] if len(parts) == 1 else {"$and": parts}


@dataclass
class _Encoding:
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
            return _all(parts) if isinstance(cond, AllOf) == positive else _any(parts)
        if isinstance(cond, Not):
            return self.expr(cond.item, not positive)
        if isinstance(cond, Exists):
            return {"$ex" if cond.present == positive else "$nex": {self.slot(cond.path): 1}}
        for path in (cond.path, cond.ref):
            if path is not None:
                self.slot(path)  # type-checked when asserted, like every field the rules read
        if cond.ref is not None:
            return self.atom(_python(cond), positive)
        try:
            holds, fails = self.compare(cond)
        except _Inexpressible:
            return self.atom(_python(cond), positive)
        if positive:
            return holds
        # Every comparison fails on an absent field; its negation holds there.
        slot = self.rank_slot(cond.path, cond.order) if cond.order else self.slot(cond.path)
        return {"$or": [{"$nex": {slot: 1}}, fails]}

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
            members = [_encode(v, kind) for v in value]
            equal = _any([{slot: m} for m in members])
            differ = _all([{"$neq": {slot: m}} for m in members])
            return (equal, differ) if op == "in" else (differ, equal)
        if op == "between":
            first, last = _encode(value[0], kind), _encode(value[1], kind)
            return (
                {"$and": [{"$gte": {slot: first}}, {"$lte": {slot: last}}]},
                {"$or": [{"$lt": {slot: first}}, {"$gt": {slot: last}}]},
            )
        constant = _encode(value, kind)
        if op == "eq":
            return {slot: constant}, {"$neq": {slot: constant}}
        if op == "ne":
            return {"$neq": {slot: constant}}, {slot: constant}
        return {f"${op}": {slot: constant}}, {f"${_COMPLEMENT[op]}": {slot: constant}}

    def fact(self, facts: Facts) -> dict[str, Any]:
        """The one fact asserted for ``facts``.

        :raises _Inexpressible: when a value does not have its field's declared type.
        """
        out: dict[str, Any] = {_GUARD: 1}
        for path, (slot, kind) in self.fields.items():
            if path in facts:
                out[slot] = _encode(facts[path], kind)
        for (path, order), slot in self.ranks.items():
            level = facts.get(path)
            if level in order:
                out[slot] = order.index(level)
        for slot, predicate in self.atoms:
            out[slot] = 1 if predicate(facts) else 0
        return out


@dataclass(frozen=True)
class _Ruleset:
    name: str
    rules: tuple[int, ...]  # the conversion's rule indexes it holds


@dataclass(frozen=True)
class _Network:
    """One conversion version in the Rete network: its encoding and rulesets."""

    conversion: Conversion
    encoding: _Encoding
    rulesets: tuple[_Ruleset, ...]


def _ruleset_name(pack: Pack, conversion: Conversion) -> str:
    text = (
        f"ce-{pack.fingerprint.removeprefix('sha256:')[:16]}-{conversion.meta.id}-{conversion.meta.version}"
    )
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text) + f"-{next(_RULESETS)}"


class DurableKernels:
    """The pipeline's kernels with conversion matching done by durable-rules' Rete network.

    :param pack: the compiled rule pack.
    :raises BackendUnavailableError: when durable-rules cannot be imported.
    """

    name = "durable"
    derive: Derive | None = None  # the pipeline's breadth-first derivation (Rete: a later step)
    decide: Decide | None = None  # the pipeline's dependency-ordered decisions (Rete: a later step)

    def __init__(self, pack: Pack) -> None:
        try:
            engine, host_class = _runtime()
        except ImportError as exc:
            raise BackendUnavailableError(
                f"the durable evaluator needs durable-rules, which cannot be imported here ({exc}); "
                "use the compiled evaluator"
            ) from exc
        self.pack = pack
        self._engine = engine
        self._compiled = CompiledKernels(pack)
        self._host = host_class()
        self._fired: list[int] = []
        self._specs: dict[str, FieldSpec] = {
            **ACHIEVEMENT_FIELDS,
            **{f"worker.{name}": spec for name, spec in pack.attributes},
        }
        #: Calls answered by the Rete network and by the compiled kernel (ill-typed facts).
        self.rete_calls = 0
        self.python_calls = 0
        self._networks: dict[int, _Network] = {}
        for group in pack.conversions:
            for version in group.items:
                self._networks[id(version)] = self._network(version)

    @property
    def source(self) -> str:
        """The generated Python module of the compiled kernels this backend delegates to."""
        return self._compiled.source

    def _action(self, index: int) -> Callable[[Any], None]:
        def action(closure: Any) -> None:  # one parameter: durable-rules runs it synchronously
            self._fired.append(index)

        return action

    def _network(self, conversion: Conversion) -> _Network:
        encoding = _Encoding(self._specs)
        compiled: list[tuple[int, Expr]] = []
        for index, rule in enumerate(conversion.rules):
            if rule.when is None:
                compiled.append((index, {_GUARD: 1}))
                continue
            expr = encoding.expr(rule.when)
            paths, tests = _size(expr)
            if paths > _PATHS or tests > _TESTS:  # too large for one ruleset: Python for this when
                expr = encoding.atom(functools.partial(self._compiled.match, rule.when), True)
            compiled.append((index, {"$and": [{_GUARD: 1}, expr]}))
        # Consecutive rules share a ruleset while they fit in its budget.
        chunks: list[list[tuple[int, Expr]]] = [[]]
        paths = tests = 0
        for index, expr in compiled:
            p, t = _size(expr)
            if chunks[-1] and (paths + p > _PATHS or tests + t > _TESTS):
                chunks.append([])
                paths = tests = 0
            chunks[-1].append((index, expr))
            paths, tests = paths + p, tests + t
        rulesets = []
        for chunk in chunks:
            name = _ruleset_name(self.pack, conversion)
            definition: dict[str, Any] = {
                f"r{index}": {"all": [{"m": expr}], "run": f"{name}/{index}"} for index, expr in chunk
            }
            definition["catch-all"] = {"all": [{"m": {_GUARD: 1}}], "run": f"{name}/{_CATCH_ALL}"}
            for index, _ in [*chunk, (_CATCH_ALL, None)]:
                self._host.actions[f"{name}/{index}"] = self._action(index)
            try:
                # Registration consumes the dict (it removes "run"): hand it a copy.
                self._host.register_rulesets({name: json.loads(json.dumps(definition))})
            except Exception as exc:  # durable-rules says only "error code: NNN"
                raise EvaluationError(
                    f"durable-rules refused the conversion's rules ({exc})",
                    rule=conversion.meta.id,
                    location=conversion.meta.source,
                ) from exc
            rulesets.append(_Ruleset(name, tuple(index for index, _ in chunk)))
        return _Network(conversion, encoding, tuple(rulesets))

    def match(self, cond: Condition | None, facts: Facts) -> bool:
        """Whether ``cond`` holds for ``facts`` (the compiled kernel: not in the Rete network yet)."""
        return self._compiled.match(cond, facts)

    def points(self, points: Points, facts: Facts) -> Decimal | None:
        """The value of a points or amount expression (the compiled kernel: arithmetic is not inference)."""
        return self._compiled.points(points, facts)

    def candidates(self, conversion: Conversion, facts: Facts) -> Sequence[int]:
        """Indexes of the conversion's rules whose ``when`` holds, in order, as the Rete network fires them.

        :raises EvaluationError: when an action fails or durable-rules reports an error.
        """
        network = self._networks[id(conversion)]
        try:
            fact = network.encoding.fact(facts)
        except _Inexpressible:
            with _LOCK:
                self.python_calls += 1
            return self._compiled.candidates(conversion, facts)
        fired: list[int] = []
        with _LOCK:
            self.rete_calls += 1
            for ruleset in network.rulesets:
                fired += self._fire(network, ruleset, fact)
        return sorted(set(fired))

    def _fire(self, network: _Network, ruleset: _Ruleset, fact: dict[str, Any]) -> list[int]:
        """The rules of ``ruleset`` that fire for ``fact``, in a fresh state deleted afterwards."""
        conversion = network.conversion
        sid = str(next(_SIDS))
        self._fired.clear()
        try:
            state = self._host.assert_fact(ruleset.name, {**fact, "sid": sid, "id": sid})
        except self._engine.MessageNotHandledException as exc:  # pragma: no cover - the catch-all handles all
            # The state is left alone: deleting one in which no action ran crashes the process.
            raise EvaluationError(
                "durable-rules handled no rule for this achievement",
                rule=conversion.meta.id,
                location=conversion.meta.source,
            ) from exc
        except Exception as exc:
            raise self._failure(conversion, str(exc)) from exc
        fired = list(self._fired)
        if _CATCH_ALL not in fired:  # pragma: no cover - every fact has the guard it tests
            # Not deleted: deleting a state in which no action ran crashes the process.
            raise self._failure(conversion, "the catch-all rule did not fire")
        try:
            self._host.delete_state(ruleset.name, sid)
        except Exception as exc:  # pragma: no cover - the catch-all's action made the state
            raise self._failure(conversion, str(exc)) from exc
        if isinstance(state, dict) and "exception" in state:
            raise self._failure(conversion, str(state["exception"]).splitlines()[0][:200], fired)
        return [index for index in fired if index != _CATCH_ALL]

    def _failure(self, conversion: Conversion, why: str, fired: Sequence[int] = ()) -> EvaluationError:
        """The error for a failed call, naming the rule whose action ran last, if any."""
        ran = [index for index in fired if index != _CATCH_ALL]
        if ran:
            rule = conversion.rules[ran[-1]]
            return EvaluationError(
                f"durable-rules: {why}", rule=f"{conversion.meta.id}/{rule.id}", location=rule.source
            )
        return EvaluationError(
            f"durable-rules: {why}", rule=conversion.meta.id, location=conversion.meta.source
        )
