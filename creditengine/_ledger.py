"""The ledger: apply adjustments to converted points, then keep totals.

Adjustments run in a fixed order, whatever order the files list them in:
expiry, de-duplication, multipliers, caps (within a stage, by file id then
rule order). Matching is the evaluator's job: it hands in ``match``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from typing import Any

from ._expr import Condition
from ._ir import AdjustmentRule, AdjustmentSet, Cap, Dedupe, Expire, Multiply, Scale
from ._results import Adjustment, LedgerEntry, Phrase, Status, Totals, format_points

__all__ = ["Work", "add_months", "apply_adjustments", "round_points", "totals_of"]

_ROUNDING = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN, "up": ROUND_UP}

Match = Callable[[Condition | None, dict[str, Any]], bool]


def round_points(value: Decimal, scale: Scale, places: int | None = None) -> Decimal:
    """Round to the scale's decimals (or ``places``) with the pack's rounding rule."""
    digits = scale.decimals if places is None else places
    return value.quantize(Decimal(1).scaleb(-digits), rounding=_ROUNDING[scale.rounding])


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, clipped to the month's last day (Jan 31 + 1 → Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - some day of every month exists


@dataclass
class Work:
    """A ledger entry while adjustments are applied (mutable, private to one evaluation)."""

    achievement: str
    order: tuple[dt.date, int, int]  # completed, record position, entry position
    facts: dict[str, Any]
    rule: str
    version: str
    base: Decimal
    points: Decimal
    category: str
    status: Status = "counted"
    adjustments: list[Adjustment] = field(default_factory=list)

    def freeze(self) -> LedgerEntry:
        """The finished, immutable ledger entry."""
        return LedgerEntry(
            self.achievement,
            self.rule,
            self.version,
            self.base,
            tuple(self.adjustments),
            self.points,
            self.category,
            self.status,
        )


def _period(day: dt.date, cap: Cap) -> tuple[dt.date, dt.date] | None:
    if cap.per == "lifetime":
        return None
    step = {"year": 12, "half": 6, "quarter": 3, "month": 1}[cap.per]
    month, dom = cap.year_starts
    start = dt.date(day.year, month, dom)
    if start > day:
        start = add_months(start, -12)
    while add_months(start, step) <= day:
        start = add_months(start, step)
    return start, add_months(start, step) - dt.timedelta(days=1)


def _stage(rule: AdjustmentRule) -> int:
    return {Expire: 0, Dedupe: 1, Multiply: 2, Cap: 3}[type(rule.action)]


def apply_adjustments(
    work: Sequence[Work],
    sets: Sequence[AdjustmentSet],
    *,
    match: Match,
    as_of: dt.date,
    scale: Scale,
) -> None:
    """Apply every adjustment rule in force to the working ledger, in place."""
    ordered = sorted(
        ((_stage(rule), s.meta.id, position, s, rule) for s in sets for position, rule in enumerate(s.rules)),
        key=lambda item: item[:3],
    )
    for _, _, _, adjustment_set, rule in ordered:
        name = f"{adjustment_set.meta.id}/{rule.id}"
        version = adjustment_set.meta.version
        targets = [w for w in work if w.status in ("counted", "capped") and match(rule.when, w.facts)]
        action = rule.action
        if isinstance(action, Expire):
            _expire(targets, action, name, version, as_of)
        elif isinstance(action, Dedupe):
            _dedupe(targets, action, name, version)
        elif isinstance(action, Multiply):
            for w in targets:
                w.points = round_points(w.points * action.factor, scale)
                factor = format_points(action.factor)
                w.adjustments.append(Adjustment(name, version, Phrase(f"x{factor}", f"×{factor}")))
        else:
            _cap(targets, action, name, version)


def _expire(targets: list[Work], action: Expire, name: str, version: str, as_of: dt.date) -> None:
    for w in targets:
        start: dt.date | None = w.facts.get(action.field)
        if start is None:
            continue  # no expiry date on record: nothing expires
        last = add_months(start, action.years * 12 + action.months) + dt.timedelta(days=action.days)
        if as_of > last:
            w.adjustments.append(
                Adjustment(
                    name,
                    version,
                    Phrase(
                        f"expired: counted until {last.isoformat()}, -{format_points(w.points)}",
                        f"已过期：有效期至 {last.isoformat()}，-{format_points(w.points)}",
                    ),
                )
            )
            w.points = Decimal(0)
            w.status = "expired"


def _dedupe(targets: list[Work], action: Dedupe, name: str, version: str) -> None:
    # Keys belong to achievements: all entries of one achievement stay or go together.
    groups: dict[tuple[Any, ...], dict[str, list[Work]]] = {}
    for w in targets:
        if any(k not in w.facts for k in action.keys):
            continue
        key = tuple(w.facts[k] for k in action.keys)
        groups.setdefault(key, {}).setdefault(w.achievement, []).append(w)
    for key, by_achievement in groups.items():
        if len(by_achievement) < 2:
            continue

        def rank(entries: list[Work]) -> tuple[Any, ...]:
            first = min(e.order for e in entries)
            if action.keep == "highest":
                return (-sum(e.points for e in entries), first)
            return (first,)

        keeper = min(by_achievement, key=lambda a: rank(by_achievement[a]))
        shown = ", ".join(f"{k}={v}" for k, v in zip(action.keys, key, strict=True))
        for achievement, entries in by_achievement.items():
            if achievement == keeper:
                continue
            keep_zh = "最高" if action.keep == "highest" else "最早"
            for w in entries:
                cut = format_points(w.points)
                effect = Phrase(
                    f"duplicate of {keeper} ({shown}, keep {action.keep}), -{cut}",
                    f"与 {keeper} 重复（{shown}，保留{keep_zh}），-{cut}",
                )
                w.adjustments.append(Adjustment(name, version, effect))
                w.points = Decimal(0)
                w.status = "duplicate"


def _cap(targets: list[Work], action: Cap, name: str, version: str) -> None:
    used: dict[tuple[dt.date, dt.date] | None, Decimal] = {}
    for w in sorted(targets, key=lambda w: w.order):
        period = _period(w.facts["completed"], action)
        spent = used.get(period, Decimal(0))
        room = max(action.max - spent, Decimal(0))
        if w.points <= room:
            used[period] = spent + w.points
            continue
        cut = w.points - room
        used[period] = spent + room
        w.points = room
        w.status = "capped"
        limit = format_points(action.max)
        if period is None:
            en, zh = f"cap {limit} in all", f"封顶：累计 {limit}"
        else:
            span = f"{period[0].isoformat()}..{period[1].isoformat()}"
            en, zh = (
                f"cap {limit} per {action.per} ({span})",
                f"封顶：每{_PER_ZH[action.per]} {limit}（{span}）",
            )
        w.adjustments.append(
            Adjustment(name, version, Phrase(f"{en}, -{format_points(cut)}", f"{zh}，-{format_points(cut)}"))
        )


_PER_ZH = {"year": "年", "half": "半年", "quarter": "季度", "month": "月", "lifetime": ""}


def totals_of(entries: Sequence[LedgerEntry], categories: Sequence[str]) -> Totals:
    """Counted points overall and by category, in the pack's category order."""
    by: dict[str, Decimal] = {}
    total = Decimal(0)
    for e in entries:
        if e.status in ("counted", "capped"):
            total += e.points
            by[e.category] = by.get(e.category, Decimal(0)) + e.points
    order = {c: i for i, c in enumerate(categories)}
    ranked = sorted(by.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    return Totals(total, tuple(ranked))
