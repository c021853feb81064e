"""The facts rules read: one flat mapping per achievement (real or derived), plus
the worker's declared attributes, checked against their types in pack.yaml; and
warnings for what rules cannot read: levels outside the pack's frameworks and
attributes the record lacks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ._errors import RecordError
from ._expr import AllOf, AnyOf, Compare, Condition, FieldSpec, FieldType, suggest
from ._ir import (
    AchievementReq,
    AdjustmentSet,
    AllReq,
    AnyReq,
    Conversion,
    Entitlement,
    Equivalence,
    Pack,
    Policy,
    Requirement,
    RuleFile,
    TotalReq,
    Transfer,
)
from ._limits import number_problem
from ._record import Achievement, WorkerRecord
from ._trace import Reason, format_points

__all__ = ["AttributeUses", "Item", "Match", "items_of", "worker_facts"]

#: ``match(cond, facts)``: whether a condition holds for facts (no condition always holds);
#: the evaluator's kernel, handed to every stage that matches.
Match = Callable[[Condition | None, dict[str, Any]], bool]


@dataclass
class Item:
    """An achievement as rules see it: a record's own, or one derived by equivalence.

    ``root`` is the record achievement it comes from: a source and everything
    derived from it are one piece of learning.
    """

    id: str
    title: str | None
    completed: dt.date
    position: int
    facts: dict[str, Any]
    root: str
    depth: int = 0
    applied: frozenset[str] = field(default_factory=frozenset)  # equivalence rules in its lineage
    rule: str | None = None  # the equivalence rule that derived it
    version: str | None = None
    sources: tuple[str, ...] = ()
    # Its level is not one of its framework's (or the framework is unknown): already warned
    # about, so rules that look the level up do not blame their own tables for it.
    level_reported: bool = False


def items_of(
    record: WorkerRecord,
    as_of: dt.date,
    worker_view: Mapping[str, Any],
    warnings: list[Reason],
    *,
    frameworks: Mapping[str, tuple[str, ...]],
) -> list[Item]:
    """The record's achievements completed by ``as_of``; later ones are left out with a warning.

    Levels outside their framework, unknown frameworks and an expiry before completion
    are warned about here, once per achievement, since no rule could say why it fails.
    """
    items = []
    for position, achievement in enumerate(record.achievements):
        _check_dates(achievement, warnings)
        if achievement.completed > as_of:
            warnings.append(
                Reason(
                    "record.completed_after_as_of",
                    {"achievement": achievement.id, "completed": achievement.completed},
                )
            )
            continue
        facts = achievement.facts()
        facts.update(worker_view)
        item = Item(achievement.id, achievement.title, achievement.completed, position, facts, achievement.id)
        item.level_reported = _level_reported(achievement, frameworks, warnings)
        items.append(item)
    return items


def _check_dates(achievement: Achievement, warnings: list[Reason]) -> None:
    expires = achievement.expires
    if expires is not None and expires < achievement.completed:
        params = {"achievement": achievement.id, "expires": expires, "completed": achievement.completed}
        warnings.append(Reason("record.expires_before_completed", params))


def _level_reported(
    achievement: Achievement, frameworks: Mapping[str, tuple[str, ...]], warnings: list[Reason]
) -> bool:
    """Warn when the achievement's level is not in the pack's frameworks; whether it did."""
    level = achievement.level
    if level is None:
        return False
    ident, name = achievement.id, level.framework
    levels = frameworks.get(name)
    if levels is None:
        params = {"achievement": ident, "framework": name, "known": tuple(frameworks)}
        warnings.append(Reason("record.unknown_framework", params))
        return True
    if level.value in levels:
        return False
    params = {"achievement": ident, "level": level.value, "framework": name, "levels": levels}
    warnings.append(Reason("record.level_not_in_framework", params))
    return True


def worker_facts(
    record: WorkerRecord, declared: Mapping[str, FieldSpec], warnings: list[Reason]
) -> dict[str, Any]:
    """The worker's attributes as dotted paths, each checked against its declared type.

    :raises RecordError: located at the attribute, when a value does not fit its type.
    """
    flat: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict) and prefix not in declared:
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        else:
            flat[prefix] = value

    walk("", record.worker.attributes)
    facts: dict[str, Any] = {}
    for path, value in sorted(flat.items()):
        spec = declared.get(path)
        if spec is None:
            warnings.append(Reason("record.attribute_undeclared", {"attribute": path}))
            continue
        if value is None:
            continue
        facts[path] = _attribute(value, spec, path, record)
    return facts


def _attribute(value: Any, spec: FieldSpec, path: str, record: WorkerRecord) -> Any:
    """A worker attribute checked against its declared type (pack.yaml ``attributes``)."""
    kind = spec.type

    def refuse(why: str) -> RecordError:
        # Located only when refused: finding a position costs more than the check itself.
        location = record.locate("worker", "attributes", *path.split("."))
        return RecordError(f"worker.attributes.{path}: {why}", location=location)

    if kind in (FieldType.INTEGER, FieldType.NUMBER):
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise refuse(f"expected a number, got {value!r}")
        number = Decimal(value)
        if problem := number_problem(number):
            raise refuse(problem)
        if kind is FieldType.INTEGER and number != number.to_integral_value():
            raise refuse(f"expected a whole number, got {value}")
        if spec.low is not None and number < spec.low:
            raise refuse(f"{value} is below the minimum {format_points(spec.low)}")
        if spec.high is not None and number > spec.high:
            raise refuse(f"{value} is above the maximum {format_points(spec.high)}")
        return number
    if kind is FieldType.BOOL:
        if not isinstance(value, bool):
            raise refuse(f"expected true or false, got {value!r}")
        return value
    if kind is FieldType.DATE:
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise refuse(f"{value!r} is not a date (YYYY-MM-DD)") from None
        if not isinstance(value, dt.date):
            raise refuse(f"expected a date, got {value!r}")
        return dt.date(value.year, value.month, value.day)
    text = value if isinstance(value, str) else getattr(value, "text", None)
    if not isinstance(text, str):
        raise refuse(f"expected text, got {value!r}")
    if kind is FieldType.ENUM and text not in spec.values:
        raise refuse(f"{text!r} is not one of {', '.join(spec.values)}" + suggest(text, spec.values))
    return str(text)


# --- worker attributes a rule tests ------------------------------------------------

# A rule whose condition tests a worker attribute the record lacks fails that test, like any
# missing field. The sentence depends on the condition's role in the rule; "partly" is for a
# test that is not decisive (it sits in one branch of an ``any:``): a decisive test lies on
# every way the condition can hold, so its failure switches the rule off for this worker.
#: What a missing attribute does to the rule testing it (the renderer words each).
ROLES = ("when", "unless", "bonus", "requires", "partly")


@dataclass(frozen=True, slots=True)
class _Use:
    rule: str  # FILE-ID/RULE-ID, or FILE-ID for a file-wide condition
    attribute: str  # as declared in pack.yaml, without "worker."
    role: str  # one of ROLES


def _tested(cond: Condition | None, decisive: bool) -> Iterator[tuple[str, bool]]:
    """The worker attributes ``cond`` compares, each with whether its failure fails ``cond``."""
    match cond:
        case Compare():
            for path in (cond.path, cond.ref):
                if path is not None and path.startswith("worker."):
                    yield path.removeprefix("worker."), decisive
        case AllOf(items=items) | AnyOf(items=items):
            # Every part of an ``all`` is on every way it holds; a part of an ``any`` only if alone.
            keep = decisive and (isinstance(cond, AllOf) or len(items) == 1)
            for part in items:
                yield from _tested(part, keep)
    # ``exists`` tests presence itself, and under ``not`` a failing test makes the condition
    # hold: neither is switched off by an absent attribute.


def _required(req: Requirement | None, decisive: bool) -> Iterator[tuple[str, bool]]:
    """The worker attributes the achievement conditions of ``req`` compare.

    ``worker:`` requirements are left out: a failed one is already named in the outcome
    (``missing``) or the refusal (``not eligible: needs worker ...``).
    """
    match req:
        case AllReq(items=items) | AnyReq(items=items):
            keep = decisive and (isinstance(req, AllReq) or len(items) == 1)
            for item in items:
                yield from _required(item, keep)
        case AchievementReq(condition=cond) | TotalReq(where=cond):
            yield from _tested(cond, decisive)


def _uses(rule: str, tests: Iterable[tuple[str, bool]], role: str) -> list[_Use]:
    return [_Use(rule, attr, role if decisive else "partly") for attr, decisive in tests]


def _uses_of(version: RuleFile) -> tuple[_Use, ...]:
    """Every (rule, attribute) test in one rule file version, in file order."""
    ident = version.meta.id
    out: list[_Use] = []
    match version:
        case Conversion() | Equivalence():
            for rule in version.rules:
                out += _uses(f"{ident}/{rule.id}", _tested(rule.when, True), "when")
        case AdjustmentSet():
            for adjustment in version.rules:
                name = f"{ident}/{adjustment.id}"
                out += _uses(name, _tested(adjustment.when, True), "when")
                out += _uses(name, _tested(adjustment.unless, True), "unless")
        case Policy():
            out += _uses(ident, _required(version.requires, True), "requires")
        case Entitlement():
            out += _uses(ident, _required(version.eligible, True), "requires")
            for entitlement_rule in version.rules:
                name = f"{ident}/{entitlement_rule.id}"
                out += _uses(name, _tested(entitlement_rule.when, True), "when")
                for bonus in entitlement_rule.bonuses:
                    out += _uses(name, _tested(bonus.when, True), "bonus")
        case Transfer():
            out += _uses(ident, _required(version.eligible, True), "requires")
            out += _uses(ident, _tested(version.where, True), "when")
            for exemption in version.exemptions:
                out += _uses(f"{ident}/{exemption.id}", _tested(exemption.when, True), "when")
    # Once per rule and attribute: the first role, unless a later one switches the rule off.
    first: dict[tuple[str, str], _Use] = {}
    for use in out:
        key = (use.rule, use.attribute)
        if key not in first or (first[key].role == "partly" and use.role != "partly"):
            first[key] = use
    return tuple(first.values())


class AttributeUses:
    """Which rules test which worker attributes: built once per pack, checked per record.

    :param pack: the compiled pack.
    """

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self._uses = {id(version): _uses_of(version) for version in pack.all_versions()}
        self._tested = frozenset(use.attribute for uses in self._uses.values() for use in uses)

    def warn_absent(
        self, present: Collection[str], as_of: dt.date, days: Iterable[dt.date], warnings: list[Reason]
    ) -> None:
        """Warn, once per rule and attribute in pack order, for every test of an absent attribute.

        :param present: the attributes the record has.
        :param days: the days conversions are chosen on (one per achievement).
        """
        absent = self._tested.difference(present)
        if not absent:
            return
        on = set(days)
        versions: list[RuleFile] = [
            version
            for group in self.pack.conversions
            for version in group.items
            if any(version.meta.effective.contains(day) for day in on)
        ]
        pack = self.pack
        for groups in (pack.adjustments, pack.policies, pack.equivalences, pack.entitlements, pack.transfers):
            for group in groups:
                in_force: RuleFile | None = group.in_force(as_of)
                if in_force is not None:
                    versions.append(in_force)
        for version in versions:
            for use in self._uses[id(version)]:
                if use.attribute in absent:
                    params = {"rule": use.rule, "attribute": use.attribute, "role": use.role}
                    warnings.append(Reason("record.attribute_absent", params))
