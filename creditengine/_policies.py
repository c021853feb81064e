"""Policies: pick the version in force, order by the statuses they need, and
decide each with its reasons (why) and gaps (why not)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ._errors import EvaluationError
from ._expr import AllOf, Compare, Condition, Exists
from ._facts import Match
from ._ir import (
    AchievementReq,
    AllReq,
    AnyReq,
    NotReq,
    Pack,
    Policy,
    Requirement,
    StatusReq,
    TotalReq,
    WorkerReq,
    statuses_in,
)
from ._results import Missing, Outcome, Totals
from ._source import SourceLocation
from ._trace import Describer, Reason, wording

__all__ = [
    "Candidate",
    "Eligible",
    "PolicyFacts",
    "Verdict",
    "decide",
    "ineligibility",
    "judge",
    "policies_in_force",
]


@dataclass(frozen=True, slots=True)
class Candidate:
    """An achievement a policy may rely on (not expired or excluded)."""

    id: str
    title: str | None
    facts: dict[str, Any]


@dataclass
class PolicyFacts:
    """What policies read: usable achievements, totals, worker attributes, statuses so far."""

    achievements: Sequence[Candidate]
    totals: Totals
    worker: dict[str, Any]
    counted: Sequence[tuple[dict[str, Any], Decimal, str]] = ()  # (facts, points, category) per counted entry
    granted: dict[str, str] = field(default_factory=dict)  # status -> policy id
    describe: Describer = field(default_factory=lambda: Describer(()))  # the pack's, built once


@dataclass
class Verdict:
    """A requirement's decision with its reasons or gaps."""

    met: bool
    because: list[Reason]
    missing: list[Missing]


def policies_in_force(pack: Pack, as_of: dt.date) -> list[Policy]:
    """Policies in force on ``as_of``, each after the policies whose statuses it needs."""
    active = [p for group in pack.policies if (p := group.in_force(as_of)) is not None]
    by_status = {p.grants: p for p in active}
    ordered: list[Policy] = []
    placed: set[str] = set()

    def place(policy: Policy) -> None:
        if policy.meta.id in placed:
            return
        placed.add(policy.meta.id)  # cycles were refused at load time
        for status in sorted({req.status for req in statuses_in(policy.requires)}):
            if status in by_status:
                place(by_status[status])
        ordered.append(policy)

    for policy in sorted(active, key=lambda p: p.meta.id):
        place(policy)
    return ordered


def _closest(cond: Condition, facts: PolicyFacts, match: Match) -> Reason | None:
    """The achievement that meets most parts of ``cond``, and the parts it fails."""
    parts = cond.items if isinstance(cond, AllOf) else (cond,)
    best: tuple[int, Candidate, list[Condition]] | None = None
    for candidate in facts.achievements:
        failed = [p for p in parts if not match(p, candidate.facts)]
        score = len(parts) - len(failed)
        if score and failed and (best is None or score > best[0]):
            best = (score, candidate, failed)
    if best is None:
        return None
    _, candidate, failed = best
    misses: list[dict[str, Any]] = []
    for part in failed:
        miss: dict[str, Any] = {"condition": facts.describe.condition(part)}
        if isinstance(part, Compare | Exists):
            miss["has"] = candidate.facts.get(part.path)
        misses.append(miss)
    return Reason(
        "policy.closest", {"achievement": candidate.id, "title": candidate.title, "failed": tuple(misses)}
    )


def _holds(code: str, req: Requirement, facts: PolicyFacts, **more: Any) -> Verdict:
    """``req`` holds: one reason, naming the requirement."""
    return Verdict(True, [Reason(code, {"requirement": facts.describe.requirement(req), **more})], [])


def _unmet(
    req: Requirement,
    facts: PolicyFacts,
    *,
    have: Decimal | None = None,
    need: Decimal | None = None,
    detail: Reason | None = None,
) -> Verdict:
    """``req`` is unmet: one gap, naming the requirement."""
    requirement = Reason("policy.requirement", {"requirement": facts.describe.requirement(req)})
    return Verdict(False, [], [Missing(requirement, have=have, need=need, detail=detail)])


def judge(req: Requirement, facts: PolicyFacts, match: Match) -> Verdict:
    """Whether ``req`` holds, with reasons (met) or what is missing (unmet)."""
    match req:
        case AllReq(items=items):
            verdicts = [judge(item, facts, match) for item in items]
            met = all(v.met for v in verdicts)
            because = [b for v in verdicts for b in v.because] if met else []
            return Verdict(met, because, [m for v in verdicts if not v.met for m in v.missing])
        case AnyReq(items=items):
            verdicts = [judge(item, facts, match) for item in items]
            if any(v.met for v in verdicts):
                return Verdict(True, [b for v in verdicts if v.met for b in v.because], [])
            option = Missing(Reason("policy.any_of", {}), options=tuple(tuple(v.missing) for v in verdicts))
            return Verdict(False, [], [option])
        case NotReq(item=item):
            inner = judge(item, facts, match)
            if inner.met:
                return _unmet(req, facts, detail=Reason("policy.but", {"because": tuple(inner.because)}))
            return _holds("policy.holds", req, facts)
        case TotalReq():
            return _total(req, facts, match)
        case StatusReq(status=status):
            by = facts.granted.get(status)
            if by is not None:
                return Verdict(True, [Reason("policy.status_granted", {"status": status, "by": by})], [])
            return _unmet(req, facts)
        case WorkerReq(condition=condition):
            if match(condition, facts.worker):
                return _holds("policy.requirement", req, facts)
            return _unmet(req, facts)
        case AchievementReq():
            return _achievements(req, facts, match)


def _total(req: TotalReq, facts: PolicyFacts, match: Match) -> Verdict:
    """Counted points (overall, in a category, or from matching entries) against ``req.gte``."""
    total: Decimal
    if req.where is not None:
        total = sum(
            (
                points
                for entry, points, category in facts.counted
                if req.category in (None, category) and match(req.where, entry)
            ),
            Decimal(0),
        )
    else:
        total = facts.totals.all if req.category is None else facts.totals.category(req.category)
    if total >= req.gte:
        return _holds("policy.total_met", req, facts, have=total)
    return _unmet(req, facts, have=total, need=req.gte - total)


def _achievements(req: AchievementReq, facts: PolicyFacts, match: Match) -> Verdict:
    """At least ``req.at_least`` achievements match; unmet, the closest one and what it fails."""
    matched = [c for c in facts.achievements if match(req.condition, c.facts)]
    if len(matched) >= req.at_least:
        cond = facts.describe.condition(req.condition)
        return Verdict(
            True,
            [
                Reason("policy.achievement_met", {"achievement": c.id, "title": c.title, "condition": cond})
                for c in matched
            ],
            [],
        )
    have = Decimal(len(matched)) if req.at_least > 1 else None
    need = Decimal(req.at_least - len(matched)) if req.at_least > 1 else None
    return _unmet(req, facts, have=have, need=need, detail=_closest(req.condition, facts, match))


#: ``eligible(requirement, facts)``: a backend's decision on an ``eligible:`` requirement,
#: or None when it leaves the decision to :func:`judge` alone.
Eligible = Callable[[Requirement, PolicyFacts], bool | None]


def ineligibility(
    req: Requirement | None,
    facts: PolicyFacts,
    match: Match,
    eligible: Eligible | None = None,
    *,
    rule: str | None = None,
    location: SourceLocation | None = None,
) -> Reason | None:
    """Why the worker is not eligible under ``req`` (an ``eligible:`` requirement), or None.

    With ``eligible`` (a backend's decision), the backend and :func:`judge` must agree.

    :raises EvaluationError: when they do not, naming ``rule`` (the pipeline adds the worker).
    """
    if req is None:
        return None
    met = judge(req, facts, match).met
    decided = None if eligible is None else eligible(req, facts)
    if decided is not None and decided != met:
        raise EvaluationError(
            f"the evaluator decided the worker {'eligible' if decided else 'not eligible'}, "
            "the pipeline's judge did not",
            rule=rule,
            location=location,
        )
    if met:
        return None
    return Reason("policy.not_eligible", {"requirement": facts.describe.requirement(req)})


def decide(policies: Sequence[Policy], facts: PolicyFacts, match: Match) -> tuple[Outcome, ...]:
    """Decide every policy in order; a met policy grants its status to those after it."""
    outcomes = []
    for policy in policies:
        verdict = judge(policy.requires, facts, match)
        if verdict.met:
            facts.granted[policy.grants] = policy.meta.id
        outcomes.append(
            Outcome(
                policy=policy.meta.id,
                version=policy.meta.version,
                title=wording(policy.meta.title, policy.meta.id),
                grants=policy.grants,
                status="met" if verdict.met else "unmet",
                because=tuple(verdict.because),
                missing=tuple(verdict.missing),
            )
        )
    return tuple(outcomes)
