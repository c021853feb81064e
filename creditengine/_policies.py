"""Policies: pick the version in force, order by the statuses they need, and
decide each with its reasons (why) and gaps (why not)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ._explain import condition_phrase, requirement_phrase, show_value, titles_phrase
from ._expr import AllOf, Compare, Condition, Exists
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
)
from ._results import Missing, Outcome, Phrase, Totals, format_points

__all__ = ["Candidate", "PolicyFacts", "Verdict", "decide", "ineligibility", "judge", "policies_in_force"]

Match = Callable[[Condition | None, dict[str, Any]], bool]


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


@dataclass
class Verdict:
    """A requirement's decision with its reasons or gaps."""

    met: bool
    because: list[Phrase]
    missing: list[Missing]


def _required_statuses(req: Requirement) -> Iterable[str]:
    if isinstance(req, StatusReq):
        yield req.status
    elif isinstance(req, AllReq | AnyReq):
        for item in req.items:
            yield from _required_statuses(item)
    elif isinstance(req, NotReq):
        yield from _required_statuses(req.item)


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
        for status in sorted(set(_required_statuses(policy.requires))):
            if status in by_status:
                place(by_status[status])
        ordered.append(policy)

    for policy in sorted(active, key=lambda p: p.meta.id):
        place(policy)
    return ordered


def _describe(candidate: Candidate) -> str:
    return f"{candidate.id} ({candidate.title})" if candidate.title else candidate.id


def _closest(cond: Condition, facts: PolicyFacts, match: Match) -> Phrase | None:
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
    en, zh = [], []
    for part in failed:
        text = condition_phrase(part)
        actual = ""
        if isinstance(part, Compare | Exists):
            value = candidate.facts.get(part.path)
            actual = show_value(value) if value is not None else "none"
        en.append(f"{text.en} (has {actual})" if actual else text.en)
        zh.append(f"{text.zh}（实际 {actual}）" if actual else text.zh)
    name = _describe(candidate)
    return Phrase(f"{name} fails {'; '.join(en)}", f"{name} 不满足 {'；'.join(zh)}")


def judge(req: Requirement, facts: PolicyFacts, match: Match) -> Verdict:
    """Whether ``req`` holds, with reasons (met) or what is missing (unmet)."""
    if isinstance(req, AllReq | AnyReq):
        verdicts = [judge(item, facts, match) for item in req.items]
        if isinstance(req, AllReq):
            met = all(v.met for v in verdicts)
            because = [b for v in verdicts for b in v.because] if met else []
            return Verdict(met, because, [m for v in verdicts if not v.met for m in v.missing])
        if any(v.met for v in verdicts):
            return Verdict(True, [b for v in verdicts if v.met for b in v.because], [])
        option = Missing(
            Phrase("any one of these", "满足以下任一项"),
            options=tuple(tuple(v.missing) for v in verdicts),
        )
        return Verdict(False, [], [option])
    if isinstance(req, NotReq):
        inner = judge(req.item, facts, match)
        text = requirement_phrase(req)
        if inner.met:
            reasons = "; ".join(b.en for b in inner.because)
            reasons_zh = "；".join(b.text("zh") for b in inner.because)
            return Verdict(False, [], [Missing(text, detail=Phrase(f"but {reasons}", f"但 {reasons_zh}"))])
        return Verdict(True, [Phrase(f"{text.en}: holds", f"{text.zh}：成立")], [])
    if isinstance(req, TotalReq):
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
        text = requirement_phrase(req)
        if total >= req.gte:
            shown = format_points(total)
            return Verdict(True, [Phrase(f"{text.en} (has {shown})", f"{text.zh}（已有 {shown}）")], [])
        return Verdict(False, [], [Missing(text, have=total, need=req.gte - total)])
    if isinstance(req, StatusReq):
        by = facts.granted.get(req.status)
        if by is not None:
            return Verdict(
                True, [Phrase(f"status {req.status} (granted by {by})", f"已获资格 {req.status}（{by}）")], []
            )
        return Verdict(False, [], [Missing(requirement_phrase(req))])
    if isinstance(req, WorkerReq):
        text = requirement_phrase(req)
        if match(req.condition, facts.worker):
            return Verdict(True, [text], [])
        return Verdict(False, [], [Missing(text)])
    assert isinstance(req, AchievementReq)
    matched = [c for c in facts.achievements if match(req.condition, c.facts)]
    cond = condition_phrase(req.condition)
    if len(matched) >= req.at_least:
        return Verdict(
            True, [Phrase(f"{_describe(c)}: {cond.en}", f"{_describe(c)}：{cond.zh}") for c in matched], []
        )
    have = Decimal(len(matched)) if req.at_least > 1 else None
    need = Decimal(req.at_least - len(matched)) if req.at_least > 1 else None
    detail = _closest(req.condition, facts, match)
    return Verdict(False, [], [Missing(requirement_phrase(req), have=have, need=need, detail=detail)])


def ineligibility(req: Requirement | None, facts: PolicyFacts, match: Match) -> Phrase | None:
    """Why the worker is not eligible under ``req`` (an ``eligible:`` requirement), or None."""
    if req is None or judge(req, facts, match).met:
        return None
    need = requirement_phrase(req)
    return Phrase(f"not eligible: needs {need.en}", f"不符合条件：需要{need.zh}")


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
                title=titles_phrase(policy.meta.title, policy.meta.id),
                grants=policy.grants,
                status="met" if verdict.met else "unmet",
                because=tuple(verdict.because),
                missing=tuple(verdict.missing),
            )
        )
    return tuple(outcomes)
