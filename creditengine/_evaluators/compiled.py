"""The compiled evaluator: the IR turned into Python closures once, then run per record.

Closures are built from the IR only (never from rule text) and hold no
mutable state, so one evaluator is safe to share between threads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import Any

from .._entitlements import decide_entitlements
from .._equivalence import derive, derived_records
from .._errors import EvaluationError, RuleContext
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
from .._facts import AttributeUses, Item, items_of, worker_facts
from .._ir import (
    AchievementReq,
    AdjustmentSet,
    AllReq,
    AnyReq,
    Conversion,
    ConversionRule,
    Entitlement,
    EntitlementRule,
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
from .._ledger import Work, apply_adjustments, count_learning_once, round_points, totals_of
from .._limits import DEFAULT_LIMITS
from .._policies import Candidate, PolicyFacts, decide, policies_in_force
from .._record import WorkerRecord
from .._results import LedgerEntry, PackInfo, Phrase, Result, format_points
from .._transfers import decide_transfers

__all__ = ["CompiledEvaluator"]

Predicate = Callable[[dict[str, Any]], bool]
Calc = Callable[[dict[str, Any]], Decimal]


class _MissingField(Exception):
    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: bool(a == b),
    "ne": lambda a, b: bool(a != b),
    "gt": lambda a, b: bool(a > b),
    "gte": lambda a, b: bool(a >= b),
    "lt": lambda a, b: bool(a < b),
    "lte": lambda a, b: bool(a <= b),
}


def _compare(cond: Compare) -> Predicate:
    path, op, value = cond.path, cond.op, cond.value
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


# Results never depend on the caller's decimal settings (precision, traps, rounding).
_DECIMALS = Context(prec=34, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])


class _Compiler:
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
                    raise _MissingField(path)
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
                raise _MissingField(path)
            return table.get(table_key(key), default)

        return look


class CompiledEvaluator:
    """Evaluates records with closures compiled from the pack's IR.

    :param pack: the compiled rule pack.
    """

    name = "compiled"

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self._compiler = _Compiler(pack)
        self._points: dict[int, Callable[[dict[str, Any]], Decimal | None]] = {}
        self._amounts: dict[int, Callable[[dict[str, Any]], Decimal | None]] = {}
        # Each conversion version's rules with their compiled predicates, in order.
        self._rules: dict[int, list[tuple[ConversionRule, Predicate | None]]] = {}
        for group in pack.conversions:
            for version in group.items:
                self._rules[id(version)] = [
                    (rule, self._compiler.condition(rule.when) if rule.when is not None else None)
                    for rule in version.rules
                ]
                for rule in version.rules:
                    self._points[id(rule)] = self._compiler.points(rule.points)
        for adjustment_group in pack.adjustments:
            for adjustment_set in adjustment_group.items:
                for adjustment in adjustment_set.rules:
                    for cond in (adjustment.when, adjustment.unless):
                        if cond is not None:
                            self._compiler.condition(cond)
        for entitlement_group in pack.entitlements:
            for entitlement in entitlement_group.items:
                for entitlement_rule in entitlement.rules:
                    self._amounts[id(entitlement_rule)] = self._compiler.points(entitlement_rule.amount)
        for policy_group in pack.policies:
            for policy in policy_group.items:
                self._compile_requirement(policy.requires)
        self._categories = frozenset(pack.categories)
        self._attributes = dict(pack.attributes)
        self._frameworks = dict(pack.frameworks)
        self._attribute_uses = AttributeUses(pack)
        self._policies_on: dict[dt.date, list[Policy]] = {}

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

    # --- conversion ---------------------------------------------------------------

    def _rule_points(
        self, conversion: Conversion, rule: ConversionRule, item: Item, warnings: list[Phrase]
    ) -> Decimal | None:
        name = f"{conversion.meta.id}/{rule.id}"
        with RuleContext(name, rule.source):  # the evaluation adds the worker
            return self._priced(rule, name, item, warnings)

    def _priced(self, rule: ConversionRule, name: str, item: Item, warnings: list[Phrase]) -> Decimal | None:
        facts = item.facts
        try:
            value = self._points[id(rule)](facts)
        except _MissingField as missing:
            warnings.append(
                Phrase(
                    f"{item.id}: {name} needs {missing.path}, which the record lacks",
                    f"{item.id}：{name} 需要 {missing.path}，记录中没有",
                )
            )
            return None
        except ArithmeticError as exc:  # decimal's DivisionByZero, Overflow, InvalidOperation
            raise EvaluationError(f"{item.id}: arithmetic failed ({type(exc).__name__})") from exc
        if value is None:
            lookup = rule.points
            if item.level_reported and isinstance(lookup, LookupPoints) and lookup.path == "level.value":
                return None  # the level itself was reported as outside its framework
            key = facts.get(lookup.path) if isinstance(lookup, LookupPoints) else None
            warnings.append(
                Phrase(
                    f"{item.id}: {name} has no value for {key}",
                    f"{item.id}：{name} 没有 {key} 对应的分值",
                )
            )
            return None
        if not value.is_finite() or abs(value) > DEFAULT_LIMITS.number_magnitude:
            raise EvaluationError(f"{item.id}: points out of range ({format_points(value)})")
        if value < 0:
            warnings.append(
                Phrase(
                    f"{item.id}: {name} gave {format_points(value)} points; counted as 0",
                    f"{item.id}：{name} 计算得 {format_points(value)} 分，按 0 分计",
                )
            )
            value = Decimal(0)
        return round_points(value, self.pack.scale)

    def _category(self, rule: ConversionRule, item: Item, warnings: list[Phrase]) -> str:
        facts = item.facts
        if isinstance(rule.category, str):
            return rule.category
        value = facts.get(rule.category.path)
        if isinstance(value, str) and value in self._categories:
            return value
        fallback = self.pack.default_category or ""
        path = rule.category.path
        if value is None:
            en, zh = f"no {path}", f"没有 {path}"
        else:
            en, zh = f"{path} {value} is not a category", f"{path} {value} 不是积分类别"
        warnings.append(
            Phrase(f"{item.id}: {en}; counted under {fallback}", f"{item.id}：{zh}，计入 {fallback}")
        )
        return fallback

    def _convert(self, item: Item, as_of: dt.date, warnings: list[Phrase]) -> list[Work]:
        day = item.completed if self.pack.convert_at == "completed" else as_of
        out: list[Work] = []
        for group in self.pack.conversions:
            conversion = group.in_force(day)
            if conversion is None:
                continue
            hits: list[tuple[ConversionRule, Decimal]] = []
            for rule, predicate in self._rules[id(conversion)]:
                if predicate is not None and not predicate(item.facts):
                    continue
                value = self._rule_points(conversion, rule, item, warnings)
                if value is None:
                    continue
                hits.append((rule, value))
                if conversion.hit == "first":
                    break
            if conversion.hit == "max" and hits:
                hits = [max(hits, key=lambda h: h[1])]  # max() keeps the first of equals
            for rule, value in hits:
                out.append(
                    Work(
                        achievement=item.id,
                        order=(item.completed, item.position, item.depth, len(out)),
                        facts=item.facts,
                        rule=f"{conversion.meta.id}/{rule.id}",
                        version=conversion.meta.version,
                        base=value,
                        points=value,
                        category=self._category(rule, item, warnings),
                    )
                )
        if not out and item.depth == 0:
            warnings.extend(self._why_unmatched(item, day))
        return out

    def _why_unmatched(self, item: Item, day: dt.date) -> list[Phrase]:
        """Say so when a version not in force on the day would have converted it."""
        notes = []
        for group in self.pack.conversions:
            if group.in_force(day) is not None:
                continue
            for version in group.items:
                if any(self._compiler.match(r.when, item.facts) for r in version.rules):
                    notes.append(
                        Phrase(
                            f"{item.id}: {group.id} version {version.meta.version} would convert it, "
                            f"but is in force {version.meta.effective}, not on {day.isoformat()}",
                            f"{item.id}：{group.id} {version.meta.version} 版可换算，"
                            f"但其有效期为 {version.meta.effective}，不含 {day.isoformat()}",
                        )
                    )
                    break
        return notes

    # --- the whole evaluation -------------------------------------------------------

    def evaluate(self, record: WorkerRecord, as_of: dt.date) -> Result:
        """Evaluate one worker record on ``as_of``.

        :raises RecordError: when a worker attribute does not fit its declared type.
        :raises EvaluationError: when a rule cannot be applied (e.g. division by zero).
        """
        with localcontext(_DECIMALS):
            try:
                return self._evaluate(record, as_of)
            except EvaluationError as exc:
                if exc.worker is not None:
                    raise
                raise exc.located(worker=record.worker.id) from exc.__cause__
            except ArithmeticError as exc:  # outside any rule: still never decimal's own exception
                raise EvaluationError(
                    f"arithmetic failed ({type(exc).__name__})", worker=record.worker.id
                ) from exc

    def _evaluate(self, record: WorkerRecord, as_of: dt.date) -> Result:
        pack = self.pack
        warnings: list[Phrase] = []
        worker = worker_facts(record, self._attributes, warnings)
        worker_view = {f"worker.{k}": v for k, v in worker.items()}
        items = items_of(record, as_of, worker_view, warnings, frameworks=self._frameworks)
        days = (i.completed if pack.convert_at == "completed" else as_of for i in items)
        self._attribute_uses.warn_absent(worker, as_of, days, warnings)
        equivalences = [e for g in pack.equivalences if (e := g.in_force(as_of)) is not None]
        items += derive(items, equivalences, match=self._compiler.match, warnings=warnings)
        work: list[Work] = []
        for item in items:
            work.extend(self._convert(item, as_of, warnings))
        lineage = {i.id: i for i in items}
        count_learning_once(work, lineage)
        converted = {lineage[w.achievement].root for w in work}
        unmatched = [i.id for i in items if i.depth == 0 and i.id not in converted]
        adjustment_sets = [s for g in pack.adjustments if (s := g.in_force(as_of)) is not None]
        apply_adjustments(work, adjustment_sets, match=self._compiler.match, as_of=as_of, scale=pack.scale)
        work.sort(key=lambda w: w.order[1:])
        ledger = tuple(w.freeze() for w in work)
        totals = totals_of(ledger, pack.categories)
        gone = {e.achievement for e in ledger if e.status in ("expired", "excluded")}
        kept = {e.achievement for e in ledger if e.status not in ("expired", "excluded")}
        candidates = [Candidate(i.id, i.title, i.facts) for i in items if i.id not in gone or i.id in kept]
        policies = self._policies_on.get(as_of)
        if policies is None:
            policies = self._policies_on.setdefault(as_of, policies_in_force(pack, as_of))
        counted = [(w.facts, w.points, w.category) for w in work if w.status in ("counted", "capped")]
        policy_facts = PolicyFacts(candidates, totals, worker, counted)
        outcomes = decide(policies, policy_facts, self._compiler.match)
        entitlements = [n for g in pack.entitlements if (n := g.in_force(as_of)) is not None]
        claims = decide_entitlements(
            entitlements,
            items,
            policy_facts,
            match=self._compiler.match,
            amount=self._amount,
            as_of=as_of,
            scale=pack.scale,
        )
        transfers = [t for g in pack.transfers if (t := g.in_force(as_of)) is not None]
        transferred = decide_transfers(transfers, policy_facts, match=self._compiler.match)
        return Result(
            worker=record.worker.id,
            as_of=as_of,
            pack=PackInfo(
                pack.name,
                pack.fingerprint,
                self._versions_used(
                    ledger, adjustment_sets, policies, equivalences, entitlements, transfers, as_of
                ),
            ),
            ledger=ledger,
            totals=totals,
            outcomes=outcomes,
            unmatched=tuple(unmatched),
            warnings=tuple(warnings),
            derived=derived_records(items),
            entitlements=claims,
            transfers=transferred,
        )

    def _amount(self, rule: EntitlementRule, facts: dict[str, Any]) -> Decimal | None:
        try:
            value = self._amounts[id(rule)](facts)
        except _MissingField:
            return None
        except ArithmeticError as exc:  # the entitlement names the rule (RuleContext)
            subject = facts.get("id", f"status {rule.status}")
            raise EvaluationError(f"{subject}: arithmetic failed ({type(exc).__name__})") from exc
        if value is not None and (not value.is_finite() or abs(value) > DEFAULT_LIMITS.number_magnitude):
            raise EvaluationError(f"amount out of range ({format_points(value)})")
        return None if value is None else max(value, Decimal(0))  # an amount is never negative

    def _versions_used(
        self,
        ledger: tuple[LedgerEntry, ...],
        adjustment_sets: list[AdjustmentSet],
        policies: list[Policy],
        equivalences: list[Equivalence],
        entitlements: list[Entitlement],
        transfers: list[Transfer],
        as_of: dt.date,
    ) -> tuple[tuple[str, str], ...]:
        """Every rule file id with the version(s) this evaluation used."""
        used: dict[str, set[str]] = {}
        for entry in ledger:
            used.setdefault(entry.rule.split("/", 1)[0], set()).add(entry.version)
        for meta in (
            *(a.meta for a in adjustment_sets),
            *(p.meta for p in policies),
            *(e.meta for e in equivalences),
            *(e.meta for e in entitlements),
            *(t.meta for t in transfers),
        ):
            used.setdefault(meta.id, set()).add(meta.version)
        for group in self.pack.conversions:
            if group.id not in used and (version := group.in_force(as_of)) is not None:
                used[group.id] = {version.meta.version}
        return tuple((ident, ", ".join(sorted(v))) for ident, v in sorted(used.items()))
