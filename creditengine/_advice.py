"""Explanations (``evaluate --explain``): every decision with the rule file that made it
(title, id, version, reference), why and why not, and for an unmet policy the smallest
changes that would meet it, computed from the missing amounts.

Like the trace, explanations are data: changes are :class:`~._trace.Reason` values with
``advice.*`` codes that ``_explain`` renders in English or Chinese.

How the smallest change is found, honestly:

- a missing total is stated exactly (``28 more points``); then, for each conversion rule
  in force that can give points in that category, the learning that would give them: a
  linear formula (``hours / 10``) is inverted, a table's smallest value that is enough is
  named. Multipliers a new achievement would certainly get are counted (and a multiplier
  below 1 whenever it might apply); caps are counted in the period holding the evaluation
  date, so a cap already reached is said to be reached instead of suggesting more of it,
  and a route a cap would stop short is not offered for the whole amount;
- an achievement requirement names the achievement that comes closest and the parts it
  fails, each with the value that would pass (``level.value = 3 instead of 5``);
- of ``any`` alternatives, the one with the smallest gap is shown: fewest unmet
  requirements, then fewest points missing (a status no policy in force grants is last).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any, Literal

from ._conditions import may_match
from ._equivalence import derive
from ._explain import render, speaking
from ._expr import AllOf, BinOp, Call, Compare, Condition, FieldRef, Formula, Not, Number
from ._facts import Match, items_of, worker_facts
from ._ir import (
    Cap,
    Conversion,
    ConversionRule,
    Dedupe,
    Exclude,
    FormulaPoints,
    LookupPoints,
    Meta,
    Multiply,
    Pack,
)
from ._ledger import Step, adjustment_order, limit_for, period_of, round_points
from ._record import WorkerRecord
from ._results import Missing, Result
from ._trace import Described, Reason, Wording, describe_condition, wording

__all__ = ["Change", "Citation", "Explained", "Explanation", "explain"]

Subject = Literal["policy", "entitlement", "transfer"]


@dataclass(frozen=True, slots=True)
class Citation:
    """The rule file a decision cites: id, version, title and ``reference`` (its legal basis)."""

    id: str
    version: str
    title: Wording
    reference: str | None

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON form: the title in ``lang``, the reference as the rule file writes it."""
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title.text(lang),
            "reference": self.reference,
        }


@dataclass(frozen=True, slots=True)
class Change:
    """One change that would help meet a requirement; ``then`` holds the ways to make it."""

    reason: Reason
    then: tuple[Change, ...] = ()

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON form: the sentence, its code and params, and the ways to make it."""
        out: dict[str, Any] = {"change": render(self.reason, lang), **self.reason.to_json()}
        if self.then:
            out["then"] = [c.to_dict(lang) for c in self.then]
        return out


@dataclass(frozen=True, slots=True)
class Explained:
    """One decision (a policy, an entitlement claim or a credit transfer) explained.

    ``summary`` cites the rule file and says what was decided; ``why`` holds the reasons
    (met, granted) or the refusal; ``why_not`` what is missing (unmet policies); ``changes``
    the smallest changes that would meet an unmet policy or an unmet eligibility.
    """

    subject: Subject
    rule: Citation
    status: str
    summary: Reason
    why: tuple[Reason, ...] = ()
    why_not: tuple[Missing, ...] = ()
    changes: tuple[Change, ...] = ()

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON form: sentences in ``lang`` with the codes and params beside them."""
        return {
            "subject": self.subject,
            "rule": self.rule.to_dict(lang),
            "status": self.status,
            "summary": render(self.summary, lang),
            "why": [render(r, lang) for r in self.why],
            "why_not": [m.to_dict(lang) for m in self.why_not],
            "changes": [c.to_dict(lang) for c in self.changes],
            "summary_reason": self.summary.to_json(),
            "why_reasons": [r.to_json() for r in self.why],
        }


@dataclass(frozen=True)
class Explanation:
    """A result with every decision in it explained (see :meth:`Engine.explain`).

    .. versionadded:: 0.3
    """

    result: Result
    decisions: tuple[Explained, ...]

    def to_dict(self, lang: str = "en") -> list[dict[str, Any]]:
        """JSON form: one entry per decision, in the result's order (policies, claims, transfers)."""
        with speaking(self.result.pack.words(lang)):
            return [d.to_dict(lang) for d in self.decisions]


# --- what a new achievement would be worth ---------------------------------------------------


def _certainly(cond: Condition | None, known: dict[str, Any]) -> bool:
    """Whether ``cond`` holds whatever the fields ``known`` does not fix turn out to be."""
    return cond is None or not may_match(Not(cond, cond.at), known)


def _possibly(cond: Condition | None, known: dict[str, Any]) -> bool:
    """Whether ``cond`` could hold for some value of the fields ``known`` does not fix."""
    return cond is None or may_match(cond, known)


@dataclass(frozen=True, slots=True)
class _Fate:
    """What the adjustments in force would do to a new achievement with the facts known."""

    factors: tuple[tuple[str, Decimal], ...]  # multipliers applied: (rule, factor)
    room: Decimal | None  # the points the caps leave in the evaluation date's period (None: no cap)
    cap: Reason | None  # the cap that leaves the least room
    once_per: tuple[tuple[str, tuple[str, ...]], ...]  # dedupe rules that may apply: (rule, keys)
    excluded: bool  # an exclude rule certainly applies
    may_exclude: tuple[str, ...] = ()  # exclude rules that apply to some such achievements


class _Advisor:
    """Changes that would meet unmet requirements, for one evaluated record."""

    def __init__(self, pack: Pack, result: Result, record: WorkerRecord, match: Match) -> None:
        self.pack, self.result, self.match, self.as_of = pack, result, match, result.as_of
        worker = worker_facts(record, pack.attribute_specs, [])
        view = {f"worker.{k}": v for k, v in worker.items()}
        self.worker = view  # the attributes a cap's limit may be looked up by, as the ledger sees them
        items = items_of(record, self.as_of, view, [], frameworks=pack.framework_levels)
        equivalences = [e for g in pack.equivalences if (e := g.in_force(self.as_of)) is not None]
        items += derive(items, equivalences, match=match, warnings=[])
        self.facts = {item.id: item.facts for item in items}
        live = [a for g in pack.adjustments if (a := g.in_force(self.as_of)) is not None]
        self.steps: tuple[Step, ...] = adjustment_order(live)
        self.conversions: list[Conversion] = [
            c for g in pack.conversions if (c := g.in_force(self.as_of)) is not None
        ]
        self.granted_by = {o.grants: o for o in result.outcomes}

    # --- requirements --------------------------------------------------------------------

    def changes(self, missing: Sequence[Missing]) -> tuple[Change, ...]:
        """The changes that would meet every requirement in ``missing`` (an ``all``)."""
        out: list[Change] = []
        totals = [m for m in missing if _kind(m) == "total" and "where" not in _total(m)]
        overall = [m for m in totals if "category" not in _total(m)]
        by_category = [m for m in totals if "category" in _total(m)]
        combined = bool(overall) and bool(by_category)
        if combined:
            out.append(self._combined(overall, by_category))
        merged = {id(m) for m in totals} if combined else set()
        for item in missing:
            if id(item) in merged:
                continue
            out.extend(self._change(item))
        return tuple(out)

    def _change(self, item: Missing) -> list[Change]:
        kind = _kind(item)
        requirement = item.requirement.params.get("requirement")
        if kind == "any":
            return [self._alternative(item)]
        if kind == "total" and item.need is not None:
            total = _total(item)
            routes = () if "where" in total else self._routes(total.get("category"), item.need)
            params = {"requirement": requirement, "have": item.have, "need": item.need}
            return [Change(Reason("advice.points", params), routes)]
        if kind == "achievement":
            return [self._achievement(item)]
        if kind == "status":
            status = _data(requirement)["status"]
            outcome = self.granted_by.get(status)
            by = None if outcome is None else outcome.policy
            return [Change(Reason("advice.status", {"status": status, "by": by}))]
        return [Change(Reason("advice.requirement", {"requirement": requirement}))]

    def _combined(self, overall: list[Missing], by_category: list[Missing]) -> Change:
        """Points in all and in categories at once: category points count toward the total too."""
        need_all = max(m.need or Decimal(0) for m in overall)
        parts = sum((m.need or Decimal(0) for m in by_category), Decimal(0))
        need = max(need_all, parts)
        then = [self._change(m)[0] for m in by_category]
        if need > parts:
            rest = need - parts
            then.append(Change(Reason("advice.points_rest", {"need": rest}), self._routes(None, rest)))
        params = {
            "need": need,
            "requirements": tuple(m.requirement.params["requirement"] for m in (*overall, *by_category)),
        }
        return Change(Reason("advice.points_with", params), tuple(then))

    def _alternative(self, item: Missing) -> Change:
        """``any``: every alternative with what would meet it, the smallest gap first."""
        ranked = sorted(range(len(item.options)), key=lambda i: (self._gap(item.options[i]), i))
        then = tuple(
            Change(
                Reason("advice.option", {"option": i + 1, "smallest": rank == 0}),
                self.changes(item.options[i]),
            )
            for rank, i in enumerate(ranked)  # ties: the alternative written first
        )
        return Change(Reason("advice.alternatives", {"options": len(item.options)}), then)

    def _gap(self, option: Sequence[Missing]) -> tuple[bool, int, Decimal]:
        """How far an alternative is: whether it cannot be met now, unmet requirements, points."""
        blocked, count, points = False, 0, Decimal(0)
        for item in option:
            kind = _kind(item)
            if kind == "any":
                inner = min(self._gap(o) for o in item.options)
                blocked, count, points = blocked or inner[0], count + inner[1], points + inner[2]
                continue
            count += 1
            if kind == "total":
                points += item.need or Decimal(0)
            elif kind == "status":
                blocked = (
                    blocked or _data(item.requirement.params["requirement"])["status"] not in self.granted_by
                )
        return blocked, count, points

    def _achievement(self, item: Missing) -> Change:
        """An achievement requirement: the closest achievement and the values it would need."""
        requirement = item.requirement.params["requirement"]
        wanted = _data(requirement)["achievement"]
        if item.need is not None:
            params = {"requirement": requirement, "need": item.need}
            return Change(Reason("advice.achievements", params))
        detail = item.detail
        if detail is None or detail.code != "policy.closest":
            return Change(Reason("advice.achievement", {"condition": wanted}))
        changes = []
        for failed in detail.params["failed"]:
            cond = _data(failed["condition"])
            changes.append(
                {"condition": cond, "has": failed.get("has"), "to": self._value_that_passes(cond, wanted)}
            )
        params = {
            "achievement": detail.params["achievement"],
            "title": detail.params["title"],
            "changes": tuple(changes),
            "condition": wanted,
        }
        return Change(Reason("advice.change", params))

    def _value_that_passes(self, cond: dict[str, Any], wanted: dict[str, Any]) -> Any:
        """The value nearest the failing one that passes ``cond``, or None when there is none to name."""
        op, value = cond.get("op"), cond.get("value")
        if "ref" in cond or op is None:
            return None
        if op in ("eq", "gte", "lte"):
            return value
        if op == "in" and isinstance(value, list) and len(value) == 1:
            return value[0]
        if op in ("gt", "lt") and cond.get("field") == "level.value":
            framework = next(
                (c.get("value") for c in wanted.get("all", [wanted]) if c.get("field") == "level.framework"),
                None,
            )
            levels = self.pack.framework(str(framework)) if framework is not None else None
            if levels and str(value) in levels:
                index = levels.index(str(value)) + (1 if op == "gt" else -1)
                return levels[index] if 0 <= index < len(levels) else None
        return None

    # --- routes to points -------------------------------------------------------------

    def _routes(self, category: str | None, need: Decimal) -> tuple[Change, ...]:
        """For each conversion rule in force that gives points in ``category``: the learning
        that would give ``need`` counted points, or the cap that stops it."""
        out: list[Change] = []
        for conversion in self.conversions:
            for index, rule in enumerate(conversion.rules):
                known = _known(rule.when)
                if category is not None:
                    if isinstance(rule.category, str):
                        if rule.category != category:
                            continue
                    else:
                        known[rule.category.path] = category
                earlier = conversion.rules[:index] if conversion.hit == "first" else ()
                change = self._route(conversion, rule, known, need, earlier)
                if change is not None:
                    out.append(change)
        return tuple(out)

    def _route(
        self,
        conversion: Conversion,
        rule: ConversionRule,
        known: dict[str, Any],
        need: Decimal,
        earlier: Sequence[ConversionRule],
    ) -> Change | None:
        name = f"{conversion.meta.id}/{rule.id}"
        points = rule.points
        if isinstance(points, LookupPoints):
            return self._table_route(conversion, rule, known, need, earlier)
        linear = _linear(points.formula) if isinstance(points, FormulaPoints) else None
        if linear is None:
            return None  # neither a table nor a linear formula: the missing amount is all we can say
        path, times, per, most = linear
        if any(_possibly(r.when, known) for r in earlier):
            return None  # an earlier rule could take the achievement first
        fate = self._fate(known)
        if fate.excluded:
            return None
        if fate.room is not None and fate.room < need:
            return Change(self._capped(name, conversion.meta, fate))
        base = self._base_for(need, fate)
        if most is not None and base > most:
            return None  # more than one achievement would be needed: not one simple step
        exact = (base * per / times).quantize(Decimal("0.000001"), rounding=ROUND_CEILING)
        # Learning comes in whole hours and credits: the whole amount at or above the exact one,
        # unless only the exact one converts and counts (a rule that tests the amount).
        whole = exact.to_integral_value(rounding=ROUND_CEILING)
        tried = (
            (amount, self._amount_counts(rule, known, path, amount, times, per, most, need))
            for amount in dict.fromkeys((whole, exact))
        )
        amount, found = next(((a, f) for a, f in tried if f is not None), (exact, None))
        if found is None:
            return None
        known, fate, base = found
        condition = _with(rule.when, {k: v for k, v in known.items() if k != path})  # amount said apart
        params = {
            "rule": name,
            "version": conversion.meta.version,
            "title": _rule_title(conversion, rule),
            "field": path,
            "amount": amount,
            "times": times,
            "per": per,
            "points": base,
            "counted": self._forward(base, fate),
            "factors": fate.factors,
            "once_per": fate.once_per,
            "unless": fate.may_exclude,
            "condition": condition,
        }
        return Change(Reason("advice.learning", params))

    def _amount_counts(
        self,
        rule: ConversionRule,
        known: dict[str, Any],
        path: str,
        amount: Decimal,
        times: Decimal,
        per: Decimal,
        most: Decimal | None,
        need: Decimal,
    ) -> tuple[dict[str, Any], _Fate, Decimal] | None:
        """The facts, fate and converted points of an achievement with ``amount`` of ``path``,
        or None when it would not convert or would not count as ``need`` points."""
        base = round_points(amount * times / per, self.pack.scale)  # what the amount converts to
        if most is not None:
            base = min(base, most)
        # The amount itself may be tested (``hours >= 8``), by the rule or by an adjustment:
        # the suggestion stands only if the achievement with it still converts and still counts.
        known = {**known, path: amount}
        if not _possibly(rule.when, known):
            return None
        fate = self._fate(known)
        if fate.excluded or (fate.room is not None and fate.room < need) or self._forward(base, fate) < need:
            return None
        return known, fate, base

    def _table_route(
        self,
        conversion: Conversion,
        rule: ConversionRule,
        known: dict[str, Any],
        need: Decimal,
        earlier: Sequence[ConversionRule],
    ) -> Change | None:
        assert isinstance(rule.points, LookupPoints)
        name = f"{conversion.meta.id}/{rule.id}"
        capped: Change | None = None
        for key, value in sorted(rule.points.table, key=lambda kv: kv[1]):
            facts = {**known, rule.points.path: key}
            if not _possibly(rule.when, facts) or any(_possibly(r.when, facts) for r in earlier):
                continue
            fate = self._fate(facts)
            if fate.excluded:
                continue
            counted = self._forward(round_points(value, self.pack.scale), fate)
            if counted < need:
                continue
            if fate.room is not None and fate.room < need:
                capped = capped or Change(self._capped(name, conversion.meta, fate))
                continue
            params = {
                "rule": name,
                "version": conversion.meta.version,
                "title": _rule_title(conversion, rule),
                "points": value,
                "counted": counted,
                "factors": fate.factors,
                "once_per": fate.once_per,
                "unless": fate.may_exclude,
                "condition": _with(rule.when, facts),
            }
            return Change(Reason("advice.table", params))
        return capped

    def _capped(self, name: str, meta: Meta, fate: _Fate) -> Reason:
        assert fate.cap is not None and fate.room is not None
        params = {"route": name, "version": meta.version, "room": fate.room, "cap": fate.cap}
        return Reason("advice.capped", params)

    def _fate(self, known: dict[str, Any]) -> _Fate:
        factors: list[tuple[str, Decimal]] = []
        once_per: list[tuple[str, tuple[str, ...]]] = []
        may_exclude: list[str] = []
        room: Decimal | None = None
        cap: Reason | None = None
        for name, _, rule in self.steps:
            certain = _certainly(rule.when, known) and (
                rule.unless is None or not _possibly(rule.unless, known)
            )
            possible = _possibly(rule.when, known) and (
                rule.unless is None or not _certainly(rule.unless, known)
            )
            action = rule.action
            if isinstance(action, Exclude) and certain:
                return _Fate((), None, None, (), True)
            if isinstance(action, Exclude) and possible:
                may_exclude.append(name)  # said beside the suggestion: it depends on facts not fixed
            if isinstance(action, Dedupe) and possible:
                once_per.append((name, action.keys))
            if isinstance(action, Multiply) and (certain if action.factor >= 1 else possible):
                factors.append((name, action.factor))
            if isinstance(action, Cap) and possible:
                left, why = self._cap_room(name, rule.when, rule.unless, action, known)
                if left is not None and why is not None and (room is None or left < room):
                    room, cap = left, why
        return _Fate(tuple(factors), room, cap, tuple(once_per), False, tuple(may_exclude))

    def _cap_room(
        self, name: str, when: Condition | None, unless: Condition | None, cap: Cap, known: dict[str, Any]
    ) -> tuple[Decimal | None, Reason | None]:
        """The points (or, for a count cap, 0 or None) a cap leaves in the evaluation date's period;
        (None, None) when a limit looked up by a worker attribute gives this worker none."""
        most, limit_count = cap.max, cap.count
        chosen: tuple[tuple[str, Any], ...] = ()
        if cap.limit_by is not None:  # this worker's limit, exactly as the ledger looks it up
            value = self.worker.get(cap.limit_by.path)
            limit = limit_for(cap.limit_by, value)
            if limit is None:
                return None, None  # no row and no default: the ledger does not cap this worker
            most, limit_count = (None, int(limit)) if cap.limit_by.counts else (limit, None)
            chosen = ((cap.limit_by.path, value),)
        period = period_of(self.as_of, cap.per, cap.year_starts)
        group = {path: known[path] for path in cap.by if path in known}
        used, count, achievements = Decimal(0), 0, set()
        for entry in self.result.ledger:
            facts = self.facts.get(entry.achievement)
            if facts is None or entry.status not in ("counted", "capped") or entry.points <= 0:
                continue
            if not self.match(when, facts) or (unless is not None and self.match(unless, facts)):
                continue
            if period is not None and period_of(facts["completed"], cap.per, cap.year_starts) != period:
                continue
            if any(facts.get(path) != value for path, value in group.items()):
                continue
            used += entry.points
            if entry.achievement not in achievements:
                achievements.add(entry.achievement)
                count += 1
        fresh = len(group) < len(cap.by)  # a new provider (or other group) starts with the whole cap
        params: dict[str, Any] = {"rule": name, "per": cap.per, "period": period, "by": cap.by}
        if chosen:
            params["chosen"] = chosen
        if limit_count is not None:
            params |= {"count": limit_count, "used": count}
            reached = not fresh and count >= limit_count
            return (Decimal(0) if reached else None), Reason("advice.cap_count", params)
        if most is None:
            raise ValueError(f"{name}: a cap with neither max nor count")  # lowering forbids it
        left = most if fresh else max(most - used, Decimal(0))
        return left, Reason("advice.cap_points", params | {"limit": most, "used": used})

    def _forward(self, base: Decimal, fate: _Fate) -> Decimal:
        """Counted points from ``base`` after the multipliers, rounded as the ledger rounds."""
        points = round_points(base, self.pack.scale)
        for _, factor in fate.factors:
            points = round_points(points * factor, self.pack.scale)
        return points

    def _base_for(self, need: Decimal, fate: _Fate) -> Decimal:
        """The fewest converted points (on the scale) that count as at least ``need``."""
        factor = Decimal(1)
        for _, f in fate.factors:
            factor *= f
        step = Decimal(1).scaleb(-self.pack.scale.decimals)
        base = (need / factor).quantize(step, rounding=ROUND_CEILING) if factor else need
        while self._forward(base, fate) < need:  # rounding after each multiplier may fall short
            base += step
        while base - step > 0 and self._forward(base - step, fate) >= need:
            base -= step
        return base


# --- helpers ----------------------------------------------------------------------------------


def _data(desc: Any) -> dict[str, Any]:
    return desc.data if isinstance(desc, Described) else desc


def _kind(item: Missing) -> str:
    if item.requirement.code == "policy.any_of":
        return "any"
    desc = _data(item.requirement.params.get("requirement", {}))
    return next(iter(desc), "") if desc else ""


def _total(item: Missing) -> dict[str, Any]:
    total: dict[str, Any] = _data(item.requirement.params["requirement"])["total"]
    return total


def _known(cond: Condition | None) -> dict[str, Any]:
    """The fields a condition fixes to one value (``type = course``): what a new achievement would have."""
    known: dict[str, Any] = {}
    if cond is None:
        return known
    for part in cond.items if isinstance(cond, AllOf) else (cond,):
        if not isinstance(part, Compare) or part.ref is not None:
            continue
        if part.op == "eq":
            known[part.path] = part.value
        elif part.op == "in" and len(part.value) == 1:
            known[part.path] = part.value[0]
    return known


def _with(cond: Condition | None, known: dict[str, Any]) -> dict[str, Any]:
    """``cond`` described, with the fields the suggestion fixes that it does not say added."""
    parts: list[dict[str, Any]] = []
    if cond is not None:
        desc = describe_condition(cond)
        parts = list(desc["all"]) if "all" in desc else [desc]
    said = _known(cond)
    for path, value in known.items():
        if path not in said:
            parts.append(
                {"field": path, "op": "eq", "value": value if isinstance(value, str | bool) else str(value)}
            )
    return {"all": parts} if len(parts) != 1 else parts[0]


def _linear(formula: Formula) -> tuple[str, Decimal, Decimal, Decimal | None] | None:
    """``field × times / per`` (at most ``most`` with ``min(…, most)``) when the formula is that simple."""
    if isinstance(formula, Call) and formula.name == "min" and len(formula.args) == 2:
        inner, bound = formula.args
        if isinstance(inner, Number):
            inner, bound = bound, inner
        found = _linear(inner)
        if found is None or not isinstance(bound, Number) or found[3] is not None:
            return None
        return found[0], found[1], found[2], bound.value
    if isinstance(formula, FieldRef):
        return formula.path, Decimal(1), Decimal(1), None
    if not isinstance(formula, BinOp):
        return None
    left, right, op = formula.left, formula.right, formula.op
    if op == "*" and isinstance(left, Number):
        left, right = right, left
    if not isinstance(left, FieldRef) or not isinstance(right, Number) or right.value <= 0:
        return None
    if op == "*":
        return left.path, right.value, Decimal(1), None
    if op == "/":
        return left.path, Decimal(1), right.value, None
    return None


def _rule_title(conversion: Conversion, rule: ConversionRule) -> Wording:
    """What a suggestion cites: the rule's own title, or its file's when the rule has none."""
    if rule.title:
        return wording(rule.title, rule.id)
    return wording(conversion.meta.title, conversion.meta.id)


def _cite(meta: Meta) -> Citation:
    return Citation(meta.id, meta.version, wording(meta.title, meta.id), meta.reference)


def _summary(code: str, rule: Citation, **params: Any) -> Reason:
    return Reason(code, {"title": rule.title, "id": rule.id, "version": rule.version, **params})


def explain(pack: Pack, result: Result, record: WorkerRecord, match: Match) -> Explanation:
    """Every decision in ``result`` explained, with the changes that would meet the unmet ones.

    :param pack: the pack that evaluated ``record`` into ``result``.
    :param match: the evaluator's matching kernel.
    """
    advisor = _Advisor(pack, result, record, match)
    metas = {g.id: {v.meta.version: v.meta for v in g.items} for g in pack.groups()}

    def cite(ident: str, version: str) -> Citation:
        return _cite(metas[ident][version])

    decisions: list[Explained] = []
    for outcome in result.outcomes:
        rule = cite(outcome.policy, outcome.version)
        summary = _summary("explain.policy", rule, status=outcome.status)
        changes = advisor.changes(outcome.missing) if not outcome.met else ()
        decisions.append(
            Explained("policy", rule, outcome.status, summary, outcome.because, outcome.missing, changes)
        )
    for claim in result.entitlements:
        rule = cite(claim.policy, claim.version)
        summary = _summary(
            "explain.claim",
            rule,
            status=claim.status,
            amount=claim.amount,
            currency=claim.currency,
            **{"for": claim.sources},
        )
        why, changes = _eligibility(claim.reason)
        decisions.append(Explained("entitlement", rule, claim.status, summary, why, (), changes))
    for transfer in result.transfers:
        rule = cite(transfer.policy, transfer.version)
        summary = _summary(
            "explain.transfer",
            rule,
            status=transfer.status,
            programme=transfer.programme,
            programme_title=transfer.title,
            credits=transfer.credits,
        )
        why, changes = _eligibility(transfer.reason)
        decisions.append(Explained("transfer", rule, transfer.status, summary, why, (), changes))
    return Explanation(result, tuple(decisions))


def _eligibility(reason: Reason) -> tuple[tuple[Reason, ...], tuple[Change, ...]]:
    """Why a claim or transfer was decided, and for a refusal for eligibility the requirement
    that would make the worker eligible.

    Eligibility that tests only who the worker is (``worker: {programme.track: associate}``)
    is no change the worker makes by learning: it is said as who is eligible, with no change.
    """
    if reason.code != "policy.not_eligible":
        return (reason,), ()
    requirement = reason.params["requirement"]
    if _about_the_worker(_data(requirement)):
        return (Reason("advice.eligible_only", dict(reason.params)),), ()  # would_be kept
    return (reason,), (Change(Reason("advice.requirement", {"requirement": requirement})),)


def _about_the_worker(desc: dict[str, Any]) -> bool:
    """Whether a described requirement tests worker attributes only."""
    if "worker" in desc:
        return True
    parts = desc.get("all") or ()
    return bool(parts) and all(_about_the_worker(_data(part)) for part in parts)
