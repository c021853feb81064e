"""Credit transfer: counted points and named certificates become credits toward
a formal programme, at a rate, up to a maximum share of the programme."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal

from ._errors import RuleContext
from ._facts import Match
from ._ir import Transfer
from ._ledger import round_exact
from ._policies import Eligible, PolicyFacts, ineligibility
from ._results import ExemptedCourse, TransferOutcome
from ._trace import Reason, wording

__all__ = ["decide_transfers"]


def _credits(
    value: Decimal, decimals: int, *, times: Decimal = Decimal(1), per: Decimal = Decimal(1)
) -> Decimal:
    """``value × times / per`` in credits, computed exactly and rounded once.

    Credits are never rounded up: a worker gets no credit that was not fully earned.
    """
    return round_exact(value, times=times, per=per, places=decimals, rounding="down")


@functools.lru_cache(maxsize=256)  # a transfer's limit never changes, and exact fractions are slow
def _limit(programme_credits: Decimal, decimals: int, max_share: Decimal | None) -> Decimal:
    """The most credits a transfer recognises: the programme's credits times its maximum share."""
    return _credits(programme_credits, decimals, times=max_share or Decimal(1))


def decide_transfers(
    transfers: Sequence[Transfer], facts: PolicyFacts, *, match: Match, eligible: Eligible | None = None
) -> tuple[TransferOutcome, ...]:
    """The credits each transfer in force recognises for this worker.

    ``eligible`` is the backend's decision on ``eligible:`` requirements, if it makes one.
    """
    outcomes = []
    for transfer in sorted(transfers, key=lambda t: t.meta.id):
        with RuleContext(transfer.meta.id, transfer.meta.source):
            outcomes.append(_decide(transfer, facts, match, eligible))
    return tuple(outcomes)


def _decide(
    transfer: Transfer, facts: PolicyFacts, match: Match, eligible: Eligible | None
) -> TransferOutcome:
    title = wording(transfer.programme_title, transfer.programme)
    size = transfer.programme_credits
    refusal = ineligibility(transfer.eligible, facts, match, eligible)
    if transfer.credits_from is not None:  # the programme's size is the worker's, from the record
        own = facts.worker.get(transfer.credits_from)
        size = own if isinstance(own, Decimal) and own > 0 else Decimal(0)
        if refusal is None and not size:
            refusal = Reason("transfer.no_programme_size", {"attribute": transfer.credits_from, "value": own})
    limit = _limit(size, transfer.decimals, transfer.max_share)
    if refusal is not None:
        return TransferOutcome(
            transfer.meta.id,
            transfer.meta.version,
            transfer.programme,
            title,
            "refused",
            Decimal(0),
            limit,
            Decimal(0),
            Decimal(0),
            (),
            False,
            refusal,
        )
    points = Decimal(0)
    from_points = Decimal(0)
    if transfer.rate is not None:
        per_points, credits = transfer.rate
        points = sum(
            (
                p
                for entry, p, category in facts.counted
                if (transfer.categories is None or category in transfer.categories)
                and (transfer.where is None or match(transfer.where, entry))
            ),
            Decimal(0),
        )
        from_points = _credits(points, transfer.decimals, times=credits, per=per_points)
    exempted: list[ExemptedCourse] = []
    for exemption in transfer.exemptions:
        by = next((c for c in facts.achievements if match(exemption.when, c.facts)), None)
        if by is None:
            continue
        for course in exemption.courses:
            exempted.append(
                ExemptedCourse(
                    course.code,
                    wording(course.title, course.code),
                    _credits(course.credits, transfer.decimals),
                    by.id,
                    f"{transfer.meta.id}/{exemption.id}",
                )
            )
    from_exemptions = sum((c.credits for c in exempted), Decimal(0))
    total = from_exemptions + from_points
    capped = total > limit
    granted = min(total, limit)
    reason = Reason(
        "transfer.credits",
        {
            "by_rate": transfer.rate is not None,  # an exemption-only transfer counts no points
            "from_points": from_points,
            "points": points,
            "from_exemptions": from_exemptions,
            "courses": len(exempted),
            "capped": capped,
            "limit": limit,
            "max_share": transfer.max_share,
            "programme_credits": size,
        },
    )
    return TransferOutcome(
        transfer.meta.id,
        transfer.meta.version,
        transfer.programme,
        title,
        "granted",
        granted,
        limit,
        points,
        from_points,
        tuple(exempted),
        capped,
        reason,
    )
