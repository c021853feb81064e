"""Entitlements: amounts (e.g. training subsidies) for achievements or statuses,
with eligibility, a claim window, once-per-key and per-period claim limits.
Every refusal names the rule that refused it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ._errors import RuleContext
from ._facts import Item, Match
from ._ir import Entitlement, EntitlementRule, Scale
from ._ledger import add_months, period_of, round_points
from ._policies import Eligible, PolicyFacts, ineligibility
from ._results import Claim
from ._trace import Reason

__all__ = ["Conditions", "Entitled", "decide_entitlements"]

Amount = Callable[[EntitlementRule, dict[str, Any]], Decimal | None]


@dataclass(frozen=True, slots=True)
class Conditions:
    """Which of an entitlement's conditions hold for one achievement (or the worker).

    A backend that matches them itself (a Rete network) answers with these; a claim then
    goes to the first rule in ``rules`` whose amount is known, plus the bonuses in ``bonuses``.
    """

    rules: frozenset[int]  # indexes of ``entitlement.rules`` whose ``when`` holds
    bonuses: frozenset[tuple[int, int]]  # (rule index, bonus index) whose ``when`` holds


#: ``entitled(entitlement, subjects)``: the :class:`Conditions` holding for each of ``subjects``
#: (achievements' facts, or the worker's for status rules), in their order; None leaves them
#: to ``match``.
Entitled = Callable[[Entitlement, Sequence[Mapping[str, Any]]], Sequence[Conditions] | None]


@dataclass
class _Claim:
    rule: EntitlementRule
    item: Item | None  # None for a status rule
    amount: Decimal
    reason: Reason
    refused: Reason | None = None
    refused_by: str | None = None

    @property
    def order(self) -> tuple[Any, ...]:
        if self.item is None:
            return (dt.date.max, 0, 0, self.rule.id)
        return (self.item.completed, self.item.position, self.item.depth, self.item.id)


def decide_entitlements(
    entitlements: Sequence[Entitlement],
    items: Sequence[Item],
    facts: PolicyFacts,
    *,
    match: Match,
    amount: Amount,
    as_of: dt.date,
    scale: Scale,
    eligible: Eligible | None = None,
    entitled: Entitled | None = None,
) -> tuple[Claim, ...]:
    """Every claim of every entitlement in force, granted or refused, in a stable order.

    ``eligible`` is the backend's decision on ``eligible:`` requirements, and ``entitled`` on
    the rules' and bonuses' conditions, if it makes them.
    """
    out: list[Claim] = []
    usable = {c.id for c in facts.achievements}
    for entitlement in sorted(entitlements, key=lambda e: e.meta.id):
        tests = _Tests(entitlement, [i for i in items if i.id in usable], facts, match, entitled)
        claims = _claims(entitlement, tests, amount, scale)
        name = entitlement.meta.id
        refusal = ineligibility(
            entitlement.eligible,
            facts,
            match,
            eligible,
            rule=f"{name}/eligible",
            location=entitlement.meta.source,
        )
        if refusal is not None:
            _refuse(claims, f"{name}/eligible", refusal)
        if entitlement.claim_within is not None:
            window = entitlement.claim_within
            for claim in claims:
                if claim.refused or claim.item is None:
                    continue
                try:
                    last = add_months(claim.item.completed, window.years * 12 + window.months)
                    last += dt.timedelta(days=window.days)
                except (OverflowError, ValueError):
                    continue  # a window past the calendar's end never closes
                if as_of > last:
                    _refuse([claim], f"{name}/claim_within", Reason("claim.window_closed", {"last": last}))
        _one_per_learning(claims, name)
        if entitlement.once_per:
            _once_per(claims, entitlement.once_per, name)
        if entitlement.max_claims is not None:
            limit = entitlement.max_claims
            used: dict[tuple[dt.date, dt.date] | None, int] = {}
            for claim in sorted(claims, key=lambda c: c.order):
                if claim.refused or claim.item is None:
                    continue
                period = period_of(claim.item.completed, limit.per, limit.year_starts)
                if used.get(period, 0) >= limit.count:
                    params = {"count": limit.count, "per": limit.per, "period": period}
                    _refuse([claim], f"{name}/max_claims", Reason("claim.max_claims", params))
                else:
                    used[period] = used.get(period, 0) + 1
        for claim in sorted(claims, key=lambda c: c.order):
            granted = claim.refused is None
            out.append(
                Claim(
                    policy=name,
                    version=entitlement.meta.version,
                    rule=claim.refused_by if not granted and claim.refused_by else f"{name}/{claim.rule.id}",
                    status="granted" if granted else "refused",
                    amount=claim.amount if granted else Decimal(0),
                    currency=entitlement.currency,
                    sources=(claim.item.id,) if claim.item is not None else (),
                    reason=claim.reason if granted else _refusal(claim),
                )
            )
    return tuple(out)


def _refusal(claim: _Claim) -> Reason:
    """The refusal, saying what the claim would have been."""
    assert claim.refused is not None
    return Reason(claim.refused.code, {**claim.refused.params, "would_be": claim.amount})


def _refuse(claims: Sequence[_Claim], rule: str, why: Reason) -> None:
    for claim in claims:
        if claim.refused is None:
            claim.refused, claim.refused_by = why, rule


class _Tests:
    """The entitlement's conditions on each subject: its usable achievements, then (when a
    status rule applies) the worker; decided by the backend when it can, else by ``match``."""

    def __init__(
        self,
        entitlement: Entitlement,
        items: Sequence[Item],
        facts: PolicyFacts,
        match: Match,
        entitled: Entitled | None,
    ) -> None:
        self.entitlement, self.items, self._match = entitlement, items, match
        #: The status rules whose status is held (one claim each, after the achievements').
        self.statuses = [
            r
            for r, rule in enumerate(entitlement.rules)
            if rule.status is not None and rule.status in facts.granted
        ]
        # A status claim has no achievement: its amount and bonuses read the worker's attributes,
        # named as achievement rules name them (worker.insurance_months).
        self.worker = {f"worker.{name}": value for name, value in facts.worker.items()}
        subjects: list[Mapping[str, Any]] = [item.facts for item in items]
        if self.statuses:
            subjects.append(self.worker)
        self._held = None if entitled is None or not subjects else entitled(entitlement, subjects)

    def when(self, n: int, r: int) -> bool:
        """Whether rule ``r``'s ``when`` holds for subject ``n``."""
        if self._held is not None:
            return r in self._held[n].rules
        when = self.entitlement.rules[r].when
        return when is not None and self._match(when, self.items[n].facts)

    def percent(self, n: int, r: int, facts: dict[str, Any]) -> Decimal:
        """The bonus percent of rule ``r`` for subject ``n`` (whose facts are ``facts``)."""
        bonuses = self.entitlement.rules[r].bonuses
        if self._held is not None:
            held = self._held[n].bonuses
            return sum((b.percent for j, b in enumerate(bonuses) if (r, j) in held), Decimal(0))
        return sum((b.percent for b in bonuses if self._match(b.when, facts)), Decimal(0))


def _claims(entitlement: Entitlement, tests: _Tests, amount: Amount, scale: Scale) -> list[_Claim]:
    """One claim per matching achievement (its first matching rule) and per held status."""
    money = Scale(entitlement.currency, entitlement.decimals, scale.rounding)
    claims: list[_Claim] = []

    def claim(n: int, r: int, item: Item | None, facts: dict[str, Any]) -> bool:
        rule = entitlement.rules[r]
        with RuleContext(f"{entitlement.meta.id}/{rule.id}", rule.source):
            value = amount(rule, facts)
            if value is not None:
                percent = tests.percent(n, r, facts)
                claims.append(_priced(rule, item, value, percent, money, entitlement.currency))
        return value is not None

    for n, item in enumerate(tests.items):
        for r in range(len(entitlement.rules)):
            if tests.when(n, r) and claim(n, r, item, item.facts):
                break
    for r in tests.statuses:
        claim(len(tests.items), r, None, tests.worker)
    return claims


def _priced(
    rule: EntitlementRule, item: Item | None, base: Decimal, percent: Decimal, money: Scale, currency: str
) -> _Claim:
    total = round_points(base * (1 + percent / 100), money)
    reason = Reason(
        "claim.amount",
        {
            "achievement": item.id if item is not None else None,
            "status": rule.status if item is None else None,
            "base": base,
            "currency": currency,
            "percent": percent,
        },
    )
    return _Claim(rule, item, total, reason)


def _one_per_learning(claims: list[_Claim], name: str) -> None:
    """A source and its derived achievements are one piece of learning: one claim."""
    by_root: dict[str, list[_Claim]] = {}
    for claim in claims:
        if claim.item is not None and claim.refused is None:
            by_root.setdefault(claim.item.root, []).append(claim)
    for group in by_root.values():
        keep = min(group, key=lambda c: (-c.amount, c.item.depth if c.item else 0, c.order))
        for claim in group:
            if claim is not keep and keep.item is not None and claim.item is not None:
                # Refused by the equivalence that makes the two one piece of learning.
                link = claim.item if claim.item.depth > keep.item.depth else keep.item
                _refuse(
                    [claim],
                    link.rule or f"{name}/{keep.rule.id}",
                    Reason("claim.same_learning", {"keeper": keep.item.id}),
                )


def _once_per(claims: list[_Claim], keys: Sequence[str], name: str) -> None:
    groups: dict[tuple[Any, ...], list[_Claim]] = {}
    for claim in claims:
        if claim.item is None or claim.refused is not None:
            continue
        if any(k not in claim.item.facts for k in keys):
            continue  # no key, nothing to repeat: as de-duplication in the ledger does
        key = tuple(claim.item.facts[k] for k in keys)
        groups.setdefault(key, []).append(claim)
    for key, group in groups.items():
        keep = min(group, key=lambda c: (-c.amount, c.order))
        pairs = tuple(zip(keys, key, strict=True))
        for claim in group:
            if claim is not keep and keep.item is not None:
                why = Reason("claim.once_per", {"keys": pairs, "keeper": keep.item.id})
                _refuse([claim], f"{name}/once_per", why)
