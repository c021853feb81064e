"""Entitlements: amounts (e.g. training subsidies) for achievements or statuses,
with eligibility, a claim window, once-per-key and per-period claim limits.
Every refusal names the rule that refused it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
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

__all__ = ["decide_entitlements"]

Amount = Callable[[EntitlementRule, dict[str, Any]], Decimal | None]


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
) -> tuple[Claim, ...]:
    """Every claim of every entitlement in force, granted or refused, in a stable order.

    ``eligible`` is the backend's decision on ``eligible:`` requirements, if it makes one.
    """
    out: list[Claim] = []
    usable = {c.id for c in facts.achievements}
    for entitlement in sorted(entitlements, key=lambda e: e.meta.id):
        claims = _claims(entitlement, [i for i in items if i.id in usable], facts, match, amount, scale)
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


def _claims(
    entitlement: Entitlement,
    items: Sequence[Item],
    facts: PolicyFacts,
    match: Match,
    amount: Amount,
    scale: Scale,
) -> list[_Claim]:
    """One claim per matching achievement (its first matching rule) and per held status."""
    money = Scale(entitlement.currency, entitlement.decimals, scale.rounding)
    claims: list[_Claim] = []

    def claim(rule: EntitlementRule, item: Item | None, facts: dict[str, Any]) -> bool:
        with RuleContext(f"{entitlement.meta.id}/{rule.id}", rule.source):
            value = amount(rule, facts)
            if value is not None:
                claims.append(_priced(rule, item, facts, value, match, money, entitlement.currency))
        return value is not None

    for item in items:
        for rule in entitlement.rules:
            if rule.when is not None and match(rule.when, item.facts) and claim(rule, item, item.facts):
                break
    # A status claim has no achievement: its amount and bonuses read the worker's attributes,
    # named as achievement rules name them (worker.insurance_months).
    worker = {f"worker.{name}": value for name, value in facts.worker.items()}
    for rule in entitlement.rules:
        if rule.status is not None and rule.status in facts.granted:
            claim(rule, None, worker)
    return claims


def _priced(
    rule: EntitlementRule,
    item: Item | None,
    facts: dict[str, Any],
    base: Decimal,
    match: Match,
    money: Scale,
    currency: str,
) -> _Claim:
    percent = sum((b.percent for b in rule.bonuses if match(b.when, facts)), Decimal(0))
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
