"""The code generator: one Python module per pack, written from the IR and compiled once.

As jinja2's ``CodeGenerator`` writes Python source from its node tree and
``environment.py`` hands it to ``compile()``, :func:`generate` walks every
condition, formula and points node of a :class:`~creditengine._ir.Pack`, writes
one module of plain functions (conditions inlined on fact values, ``all`` as
``and`` chains, constants hoisted to module level), compiles it once and keeps
the functions by node identity.

Safety: nothing from rule text becomes code. Identifiers are generated
(``_p0``, ``_v1``, ``_k2`` ...); every constant is written by :func:`_literal`
(``str.__repr__`` of text, ``_D('…')`` of a Decimal's text, ``_date(y, m, d)``),
field paths are text literals, and comments hold rule names only through
``repr`` (which escapes every line break). The module runs with no builtins:
it sees only the helpers in :data:`_RUNTIME`.

The semantics are those of the closure compiler in ``compiled.py`` (``_compare``,
``_Compiler.condition/formula/points``, ``_table_key``), operation for operation,
so the two agree on every fact mapping, exceptions included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any, TypeAlias

from .._conditions import TEXT_TESTS, fold, text_contains, text_starts_with
from .._expr import (
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
from .._ir import (
    AchievementReq,
    AdjustmentSet,
    Conversion,
    Entitlement,
    Equivalence,
    FixedPoints,
    FormulaPoints,
    LookupPoints,
    Pack,
    Policy,
    Requirement,
    TotalReq,
    Transfer,
    WorkerReq,
    requirement_nodes,
)
from .._ledger import round_points
from .._source import SourceLocation
from .base import MissingField

__all__ = ["Generated", "MissingField", "generate"]

#: One achievement's (or the worker's) facts: field path -> value.
Facts: TypeAlias = Mapping[str, Any]
#: A generated condition: whether it holds for the facts.
Predicate: TypeAlias = Callable[[Facts], bool]
#: A generated points node: the points, or None when a lookup has no row and no default.
PointsFunction: TypeAlias = Callable[[Facts], Decimal | None]
#: A conversion's generated rule finder: indexes of the rules whose ``when`` holds.
Candidates: TypeAlias = Callable[[Facts], tuple[int, ...]]
#: Any points node of the IR.
Points: TypeAlias = FixedPoints | FormulaPoints | LookupPoints

#: Nesting (of conditions or formula nodes) past which a subtree becomes its own function,
#: so generated expressions stay far below the parser's nesting limits.
_SPLIT = 16
#: Fewest rules worth a dispatch on a fact value; smaller groups are tested in turn.
_INDEX_FROM = 6
#: Levels of dispatch (e.g. ``type``, then ``title``) before rules are tested in turn.
_INDEX_DEPTH = 2


def _absent(path: str) -> Decimal:
    raise MissingField(path)


def _floor(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_FLOOR)


def _ceil(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_CEILING)


#: Every name generated code may use besides its own ``_p``/``_v``/``_k``... definitions.
_RUNTIME: Mapping[str, object] = {
    "_D": Decimal,
    "_date": dt.date,
    "_Missing": MissingField,
    "_absent": _absent,
    "_frozenset": frozenset,
    "_tuple": tuple,
    "_min": min,
    "_max": max,
    "_floor": _floor,
    "_ceil": _ceil,
    "_round": round_points,
    "_key": table_key,
    "_Error": Exception,
    "_fold": fold,
    "_contains": text_contains,
    "_starts_with": text_starts_with,
}

_COMPARE = {"eq": "==", "ne": "!=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
_ORDERED = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
_ARITHMETIC = {"+": "+", "-": "-", "*": "*", "/": "/"}


def _literal(value: object) -> str:
    """Python source for one constant; refuses anything but None, bool, int, str, Decimal, date."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return int.__repr__(int(value))
    if isinstance(value, str):
        return str.__repr__(value)
    if isinstance(value, Decimal):
        return f"_D({str.__repr__(Decimal.__str__(value))})"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"_date({int(value.year)}, {int(value.month)}, {int(value.day)})"
    raise TypeError(f"no literal for a {type(value).__name__}")


def _comment(**parts: object) -> str:
    """A one-line comment; every value goes through ``repr``, which escapes line breaks."""
    text = "# " + " ".join(f"{label}={value!r}" for label, value in parts.items() if value is not None)
    if any(ch in text for ch in "\r\n\x00"):  # pragma: no cover - repr() never leaves one
        raise ValueError("a comment must stay on one line")
    return text


@dataclass(frozen=True)
class Generated:
    """A pack's generated module: its source text and the compiled functions, by node identity.

    The nodes are kept alongside their functions, so identities stay valid for the
    life of this object.

    :param source: the whole generated module; the same pack always gives the same text.
    """

    source: str
    _predicates: Mapping[int, tuple[Condition, Predicate]] = field(repr=False, compare=False)
    _points: Mapping[int, tuple[Points, PointsFunction]] = field(repr=False, compare=False)
    _candidates: Mapping[int, tuple[Conversion, Candidates]] = field(repr=False, compare=False)

    def by_identity(
        self,
    ) -> tuple[dict[int, Predicate], dict[int, PointsFunction], dict[int, Candidates]]:
        """Every predicate, points function and candidates function keyed by ``id()`` of its node,
        for a backend's hot path (valid while this object, which keeps the nodes, lives)."""
        return (
            {key: function for key, (_, function) in self._predicates.items()},
            {key: function for key, (_, function) in self._points.items()},
            {key: function for key, (_, function) in self._candidates.items()},
        )

    def predicate(self, cond: Condition) -> Predicate:
        """The function testing ``cond`` on a fact mapping.

        :raises KeyError: when ``cond`` (this very node) is not part of the pack.
        """
        node, function = self._predicates[id(cond)]
        if node is not cond:  # pragma: no cover - ids of the nodes we hold are never reused
            raise KeyError(cond)
        return function

    def points(self, points: Points) -> PointsFunction:
        """The function computing ``points`` from a fact mapping: a Decimal, or None when a
        lookup has no row and no default.

        It raises :class:`MissingField` when a formula or lookup reads an absent field, and
        decimal's ``ArithmeticError`` subclasses as the arithmetic does.

        :raises KeyError: when ``points`` (this very node) is not part of the pack.
        """
        node, function = self._points[id(points)]
        if node is not points:  # pragma: no cover
            raise KeyError(points)
        return function

    def candidates(self, conversion: Conversion) -> Candidates:
        """The function giving, for an achievement's facts, the indexes of ``conversion``'s
        rules whose ``when`` holds (a rule without one always does), in rule order.

        :raises KeyError: when ``conversion`` (this very version) is not part of the pack.
        """
        node, function = self._candidates[id(conversion)]
        if node is not conversion:  # pragma: no cover
            raise KeyError(conversion)
        return function


def generate(pack: Pack) -> Generated:
    """Write, compile and load the module for ``pack``; every node is compiled here, once.

    :raises TypeError: when a node holds a constant of a type no rule can write.
    """
    writer = _Writer(pack)
    writer.pack_file()
    source = writer.source()
    code = compile(source, "<creditengine generated>", "exec")
    namespace: dict[str, Any] = {"__builtins__": {}, **_RUNTIME, "_scale": pack.scale}
    exec(code, namespace)  # the module defines functions and constants only
    return Generated(
        source,
        {key: (node, namespace[name]) for key, (node, name) in writer.predicates.items()},
        {key: (node, namespace[name]) for key, (node, name) in writer.points.items()},
        {key: (node, namespace[name]) for key, (node, name) in writer.candidates.items()},
    )


@dataclass
class _Index:
    """A conversion's rules arranged for dispatch: by the value of ``path``, then the rest."""

    rules: tuple[int, ...]
    path: str | None = None
    buckets: dict[Any, _Index] = field(default_factory=dict)
    rest: _Index | None = None


def _keys(when: Condition | None) -> dict[str, tuple[Any, ...]]:
    """The fact values a rule can match, from its top-level ``eq`` and ``in`` tests: path -> values.

    Any conjunct of the top-level ``all`` is necessary, so a fact whose value is not
    among them cannot match the rule.
    """
    out: dict[str, tuple[Any, ...]] = {}
    stack = [when] if when is not None else []
    while stack:
        node = stack.pop(0)
        if isinstance(node, AllOf):
            stack[:0] = node.items
        elif (
            isinstance(node, Compare)
            and node.ref is None
            and not node.order
            and not node.fold  # a folded test matches other spellings than its value
            and node.path not in out
        ):
            values = node.value if node.op == "in" else (node.value,) if node.op == "eq" else ()
            if values and all(_hashable(v) for v in values):
                out[node.path] = tuple(values)
    return out


def _hashable(value: object) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    return isinstance(value, str | int | dt.date)


def _index(
    rules: tuple[int, ...],
    keys: list[dict[str, tuple[Any, ...]]],
    depth: int = 0,
    used: frozenset[str] = frozenset(),
) -> _Index:
    """Split ``rules`` on the fact path most of them key on (more distinct values first).

    Each bucket (rules keyed on one value) is split again up to ``_INDEX_DEPTH`` nested
    lookups; the rest (rules not keyed on the path) is split on another path.
    """
    node = _Index(rules)
    if len(rules) < _INDEX_FROM or depth >= _INDEX_DEPTH:
        return node
    values: dict[str, set[Any]] = {}
    counts: dict[str, int] = {}
    for i in rules:
        for path, keyed in keys[i].items():
            if path not in used:
                counts[path] = counts.get(path, 0) + 1
                values.setdefault(path, set()).update(keyed)
    choices = [(count, len(values[path]), path == "type", path) for path, count in counts.items()]
    if not choices or max(choices)[0] < 2:
        return node
    path = max(choices)[3]
    buckets: dict[Any, list[int]] = {}
    for i in rules:
        for value in keys[i].get(path, ()):
            bucket = buckets.setdefault(value, [])  # equal values (1 and 1.0) share a bucket, as == does
            if not bucket or bucket[-1] != i:
                bucket.append(i)
    below = used | {path}
    node.path = path
    node.buckets = {value: _index(tuple(b), keys, depth + 1, below) for value, b in buckets.items()}
    rest = tuple(i for i in rules if path not in keys[i])
    node.rest = _index(rest, keys, depth, below) if rest else None  # a second lookup, not a nested one
    return node


class _Writer:
    """Writes the module: constants first, then one function per node, in pack order."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.constants: list[str] = []
        self.functions: list[str] = []
        self.interned: dict[tuple[str, ...], str] = {}
        self.counts: dict[str, int] = {}
        self.predicates: dict[int, tuple[Condition, str]] = {}
        self.points: dict[int, tuple[Points, str]] = {}
        self.candidates: dict[int, tuple[Conversion, str]] = {}

    def source(self) -> str:
        header = [
            "# Generated by creditengine._evaluators.codegen from a rule pack's IR; do not edit.",
            "# Names are generated; rule text appears only in repr() literals and comments.",
            _comment(pack=self.pack.name, fingerprint=self.pack.fingerprint),
            "",
        ]
        return "\n".join([*header, *self.constants, "", *self.functions]) + "\n"

    def name(self, prefix: str) -> str:
        n = self.counts.get(prefix, 0)
        self.counts[prefix] = n + 1
        return f"_{prefix}{n}"

    def hoist(self, prefix: str, key: tuple[str, ...], definition: str) -> str:
        """A module-level constant, defined once for equal definitions."""
        known = self.interned.get(key)
        if known is None:
            known = self.interned[key] = self.name(prefix)
            self.constants.append(f"{known} = {definition}")
        return known

    def const(self, value: object) -> str:
        """A constant in an expression: text, numbers of ints and bools inline, the rest hoisted."""
        text = _literal(value)
        if isinstance(value, Decimal | dt.date):
            return self.hoist("k", ("k", text), text)
        return text

    def members(self, values: tuple[Any, ...]) -> str:
        items = tuple(_literal(v) for v in values)
        return self.hoist("s", ("s", *items), f"_frozenset(({', '.join(items)},))")

    def ranks(self, order: tuple[str, ...]) -> tuple[str, dict[str, int]]:
        rank = {level: i for i, level in enumerate(order)}
        body = ", ".join(f"{_literal(level)}: {i}" for level, i in rank.items())
        return self.hoist("r", ("r", *(_literal(v) for v in order)), "{" + body + "}"), rank

    def where(self, location: SourceLocation) -> str:
        """FILE:LINE, the file relative to the pack's folder: the same pack gives the same
        source wherever it was loaded from."""
        file, root = location.file, self.pack.root.rstrip("/\\")
        for sep in ("/", "\\"):
            if root and file.startswith(root + sep):
                file = file[len(root) + 1 :]
                break
        return f"{file}:{location.line}"

    # --- walking the pack --------------------------------------------------------------

    def pack_file(self) -> None:
        for group in self.pack.groups():
            for version in group.items:
                meta = version.meta
                where = {"file": meta.id, "version": meta.version}
                match version:
                    case Conversion():
                        self.conversion(version, where)
                    case AdjustmentSet():
                        for adjustment in version.rules:
                            at = {**where, "rule": adjustment.id, "at": self.where(adjustment.source)}
                            for role, cond in (("when", adjustment.when), ("unless", adjustment.unless)):
                                if cond is not None:
                                    self.predicate(cond, {**at, "node": role})
                    case Policy():
                        self.requirement(version.requires, where)
                    case Equivalence():
                        for equivalence in version.rules:
                            at = {**where, "rule": equivalence.id, "at": self.where(equivalence.source)}
                            self.predicate(equivalence.when, {**at, "node": "when"})
                    case Entitlement():
                        self.entitlement(version, where)
                    case Transfer():
                        self.transfer(version, where)

    def conversion(self, version: Conversion, where: dict[str, str]) -> None:
        for rule in version.rules:
            at = {**where, "rule": rule.id, "at": self.where(rule.source)}
            if rule.when is not None:
                self.predicate(rule.when, {**at, "node": "when"})
            self.points_function(rule.points, {**at, "node": "points"})
        self.candidates_function(version, {**where, "node": "candidates"})

    def entitlement(self, version: Entitlement, where: dict[str, str]) -> None:
        if version.eligible is not None:
            self.requirement(version.eligible, where)
        for rule in version.rules:
            at = {**where, "rule": rule.id, "at": self.where(rule.source)}
            if rule.when is not None:
                self.predicate(rule.when, {**at, "node": "when"})
            for n, bonus in enumerate(rule.bonuses):
                self.predicate(bonus.when, {**at, "node": f"bonuses[{n}].when"})
            self.points_function(rule.amount, {**at, "node": "amount"})

    def transfer(self, version: Transfer, where: dict[str, str]) -> None:
        if version.eligible is not None:
            self.requirement(version.eligible, where)
        if version.where is not None:
            self.predicate(version.where, {**where, "node": "where"})
        for exemption in version.exemptions:
            at = {**where, "rule": exemption.id, "at": self.where(exemption.source)}
            self.predicate(exemption.when, {**at, "node": "when"})

    def requirement(self, req: Requirement, where: dict[str, str]) -> None:
        for node in requirement_nodes(req):
            match node:
                case TotalReq(where=cond) if cond is not None:
                    self.predicate(cond, {**where, "at": self.where(node.source), "node": "total where"})
                case AchievementReq(condition=cond) | WorkerReq(condition=cond):
                    at = {**where, "at": self.where(node.source)}
                    kind = "achievement" if isinstance(node, AchievementReq) else "worker"
                    self.predicate(cond, {**at, "node": kind})
                    if isinstance(cond, AllOf):  # the why-not explanation tests each part
                        for n, part in enumerate(cond.items):
                            self.predicate(part, {**at, "node": f"{kind} part {n}"})

    # --- conditions ----------------------------------------------------------------------

    def predicate(self, cond: Condition, note: Mapping[str, object]) -> None:
        if id(cond) in self.predicates:
            return
        name = self.name("p")
        body = self.condition(cond, 0)
        self.functions += [_comment(**note), f"def {name}(f):", f"    return {body}", ""]
        self.predicates[id(cond)] = (cond, name)

    def condition(self, cond: Condition, depth: int) -> str:
        """A Python expression (reading the facts ``f``) that holds exactly when ``cond`` does."""
        if depth >= _SPLIT:
            name = self.name("x")
            body = self.condition(cond, 0)
            self.functions += [f"def {name}(f):", f"    return {body}", ""]
            return f"{name}(f)"
        match cond:
            case Compare():
                return self.compare(cond)
            case Exists():
                return f"({_literal(cond.path)} {'in' if cond.present else 'not in'} f)"
            case AllOf(items=()):
                return "True"
            case AnyOf(items=()):
                return "False"
            case AllOf() | AnyOf():
                joint = " and " if isinstance(cond, AllOf) else " or "
                return "(" + joint.join(self.condition(c, depth + 1) for c in cond.items) + ")"
            case Not():
                return f"(not {self.condition(cond.item, depth + 1)})"
        raise TypeError(f"not a condition: {type(cond).__name__}")

    def compare(self, cond: Compare) -> str:
        path, op, value = _literal(cond.path), cond.op, cond.value
        if cond.ref is not None:
            test = _COMPARE[op]
            ref = _literal(cond.ref)
            if cond.fold:
                return (
                    f"((v := f.get({path})) is not None and (w := f.get({ref})) is not None "
                    f"and _fold(v) {test} _fold(w))"
                )
            return f"((v := f.get({path})) is not None and (w := f.get({ref})) is not None and v {test} w)"
        if op in TEXT_TESTS:
            read = f"_fold(f.get({path}))" if cond.fold else f"f.get({path})"
            return f"_{op}({read}, {self.const(value)})"
        if cond.fold:  # ignore_case: the fact folded as the values were when parsed
            if op == "eq":
                return f"(_fold(f.get({path})) == {self.const(value)})"
            if op == "in":
                return f"(_fold(f.get({path})) in {self.members(value)})"
            test = "!=" if op == "ne" else "not in"
            operand = self.const(value) if op == "ne" else self.members(value)
            return f"((v := f.get({path})) is not None and _fold(v) {test} {operand})"
        if cond.order:
            table, rank = self.ranks(cond.order)
            read = f"(v := {table}.get(f.get({path}))) is not None"
            if op == "between":
                return f"({read} and {rank[value[0]]} <= v <= {rank[value[1]]})"
            return f"({read} and v {_ORDERED[op]} {rank[value]})"
        if op == "eq":
            return f"(f.get({path}) == {self.const(value)})"
        if op == "ne":
            return f"((v := f.get({path})) is not None and v != {self.const(value)})"
        if op == "in":
            return f"(f.get({path}) in {self.members(value)})"
        if op == "not_in":
            return f"((v := f.get({path})) is not None and v not in {self.members(value)})"
        if op == "between":
            low, high = value
            return f"((v := f.get({path})) is not None and {self.const(low)} <= v <= {self.const(high)})"
        return f"((v := f.get({path})) is not None and v {_ORDERED[op]} {self.const(value)})"

    # --- formulas and points -------------------------------------------------------------

    def points_function(self, points: Points, note: Mapping[str, object]) -> None:
        if id(points) in self.points:
            return
        name = self.name("v")
        lines = [_comment(**note), f"def {name}(f):"]
        match points:
            case FixedPoints():
                lines.append(f"    return {self.const(points.value)}")
            case FormulaPoints():
                lines.append(f"    return {self.formula(points.formula, 0)}")
            case LookupPoints():
                table = dict(points.table)
                rows = ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in table.items())
                constant = self.hoist("t", ("t", rows), "{" + rows + "}")
                path = _literal(points.path)
                default = "None" if points.default is None else self.const(points.default)
                lines += [
                    f"    k = f.get({path})",
                    "    if k is None:",
                    f"        raise _Missing({path})",
                    f"    return {constant}.get(_key(k), {default})",
                ]
        self.functions += [*lines, ""]
        self.points[id(points)] = (points, name)

    def formula(self, node: Formula, depth: int) -> str:
        """A Python expression computing ``node`` as the closure compiler does, in the same order."""
        if depth >= _SPLIT:
            name = self.name("x")
            body = self.formula(node, 0)
            self.functions += [f"def {name}(f):", f"    return {body}", ""]
            return f"{name}(f)"
        match node:
            case Number():
                return self.const(node.value)
            case FieldRef():
                path = _literal(node.path)
                return f"(_D(v) if (v := f.get({path})) is not None else _absent({path}))"
            case Neg():
                return f"(-{self.formula(node.operand, depth + 1)})"
            case BinOp():
                return self.arithmetic(node, depth)
            case Call():
                return self.call(node, depth)
        raise TypeError(f"not a formula: {type(node).__name__}")

    def arithmetic(self, node: BinOp, depth: int) -> str:
        # ``a + b + c ...`` parses left-deep, as deep as the text is long: walk the chain in a
        # loop (no recursion per term) and close a function every _SPLIT terms.
        chain = []
        left: Formula = node
        while isinstance(left, BinOp):
            chain.append(left)
            left = left.left
        out = self.formula(left, depth + 1)
        for n, link in enumerate(reversed(chain)):
            if n and n % _SPLIT == 0:
                name = self.name("x")
                self.functions += [f"def {name}(f):", f"    return {out}", ""]
                out = f"{name}(f)"
            out = f"({out} {_ARITHMETIC[link.op]} {self.formula(link.right, depth + 1)})"
        return out

    def call(self, node: Call, depth: int) -> str:
        first = self.formula(node.args[0], depth + 1)
        if node.name in ("min", "max"):
            # Nested pairs, as the closures' min(a(f) for a in args) runs: each argument is
            # computed only after the ones before it were compared (a NaN raises first).
            out = first
            for n, arg in enumerate(node.args[1:]):
                out = f"_{node.name}({out}, {self.formula(arg, depth + 2 + n)})"
            return out
        if node.name in ("floor", "ceil"):
            return f"_{node.name}({first})"
        if node.name != "round":
            raise TypeError(f"unknown function {node.name!r}")
        second = node.args[1] if len(node.args) == 2 else None
        places = int(second.value) if isinstance(second, Number) else 0
        return f"_round({first}, _scale, {_literal(places)})"

    # --- candidate rules ------------------------------------------------------------------

    def candidates_function(self, conversion: Conversion, note: Mapping[str, object]) -> None:
        name = self.name("c")
        rules = conversion.rules
        index = _index(tuple(range(len(rules))), [_keys(rule.when) for rule in rules])
        lines = [_comment(**note), f"def {name}(f):", "    r = []"]
        if index.path is None:  # a few rules (inlined: the common case) or none with a key
            lines += self.tests(conversion, index.rules, "    ", inline=len(rules) < _INDEX_FROM)
        else:
            every = self.leaf(conversion, index.rules)
            lines += [
                "    try:",
                f"        {self.dispatch(conversion, index)}(f, r)",
                "    except _Error:  # e.g. an unhashable fact value: test every rule, as in turn",
                "        r = []",
                f"        {every}(f, r)",
                "    r.sort()",
            ]
        self.functions += [*lines, "    return _tuple(r)", ""]
        self.candidates[id(conversion)] = (conversion, name)

    def tests(
        self, conversion: Conversion, rules: tuple[int, ...], indent: str, *, inline: bool = False
    ) -> list[str]:
        """Test ``rules`` in turn: their conditions inlined, or calls of their ``_p`` functions
        (so a rule's condition is written once however many buckets hold it)."""
        lines = []
        for i in rules:
            when = conversion.rules[i].when
            if when is None:
                lines.append(f"{indent}r.append({i})")
                continue
            test = self.condition(when, 1) if inline else f"{self.predicates[id(when)][1]}(f)"
            lines += [f"{indent}if {test}:", f"{indent}    r.append({i})"]
        return lines

    def leaf(self, conversion: Conversion, rules: tuple[int, ...]) -> str:
        name = self.name("l")
        self.functions += [f"def {name}(f, r):", *self.tests(conversion, rules, "    "), ""]
        return name

    def dispatch(self, conversion: Conversion, index: _Index) -> str:
        """A function ``(f, r)`` appending the matching rules of ``index`` to ``r``."""
        if index.path is None:
            return self.leaf(conversion, index.rules)
        entries = [
            f"{_literal(value)}: {self.dispatch(conversion, sub)}" for value, sub in index.buckets.items()
        ]
        table = self.name("b")
        rest = self.dispatch(conversion, index.rest) if index.rest is not None else None
        name = self.name("n")
        self.functions += [
            f"{table} = {{{', '.join(entries)}}}",
            f"def {name}(f, r):",
            f"    s = {table}.get(f.get({_literal(index.path)}))",
            "    if s is not None:",
            "        s(f, r)",
            *([f"    {rest}(f, r)"] if rest is not None else []),
            "",
        ]
        return name
