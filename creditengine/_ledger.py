"""The ledger: apply adjustments to converted points, then keep totals.

Adjustments run in a fixed order, whatever order the files list them in:
expiry, de-duplication, multipliers, caps (within a stage, by file id then
rule order). Matching is the evaluator's job: it hands in ``match``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from fractions import Fraction
from typing import Any

from ._errors import EvaluationError, RuleContext
from ._expr import table_key
from ._facts import Item, Match
from ._ir import (
    Action,
    AdjustmentRule,
    AdjustmentSet,
    Cap,
    Dedupe,
    Exclude,
    Expire,
    LimitTable,
    Multiply,
    Period,
    Rounding,
    Scale,
)
from ._limits import DEFAULT_LIMITS
from ._results import Adjustment, LedgerEntry, Status, Totals
from ._trace import Reason, format_points, wording

__all__ = [
    "Step",
    "Work",
    "add_months",
    "adjustment_order",
    "apply_adjustments",
    "count_learning_once",
    "exclude_unconverted",
    "limit_for",
    "period_of",
    "round_exact",
    "round_points",
    "totals_of",
]

_ROUNDING = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN, "up": ROUND_UP}
#: Months in each period but ``lifetime``.
_MONTHS: dict[Period, int] = {"year": 12, "half": 6, "quarter": 3, "month": 1}


def round_points(value: Decimal, scale: Scale, places: int | None = None) -> Decimal:
    """Round to the scale's decimals (or ``places``) with the pack's rounding rule."""
    digits = scale.decimals if places is None else places
    return value.quantize(Decimal(1).scaleb(-digits), rounding=_ROUNDING[scale.rounding])


def round_exact(
    value: Decimal,
    *,
    times: Decimal = Decimal(1),
    per: Decimal = Decimal(1),
    places: int,
    rounding: Rounding,
) -> Decimal:
    """``value × times / per`` rounded once to ``places`` with ``rounding``.

    Computed with exact fractions, so no intermediate result is rounded (``10 / 30 × 3`` is 1,
    not 0.999…) and neither the caller's decimal context nor the size of the numbers matters.
    """
    exact = Fraction(value) * Fraction(times) / Fraction(per) * 10**places
    whole, rest = divmod(exact.numerator, exact.denominator)  # floor division: 0 <= rest < denominator
    if rest:
        twice = 2 * rest
        if rounding == "down":
            whole += exact < 0  # towards zero
        elif rounding == "up":
            whole += exact > 0  # away from zero
        elif rounding == "half_up":
            whole += twice > exact.denominator or (twice == exact.denominator and exact > 0)
        else:
            whole += twice > exact.denominator or (twice == exact.denominator and whole % 2 == 1)
    return Decimal(f"{whole}E-{places}")  # the string constructor is exact and context-free


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, clipped to the month's last day (Jan 31 + 1 → Feb 28).

    :raises ValueError: past the calendar's ends (year 1 to 9999).
    """
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = 29 if month == 1 and calendar.isleap(year) else _MONTH_DAYS[month]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass
class Work:
    """A ledger entry while adjustments are applied (mutable, private to one evaluation)."""

    achievement: str
    order: tuple[dt.date, int, int, int]  # completed, record position, derivation depth, entry position
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


def _drop(w: Work, rule: str, version: str, code: str, params: dict[str, Any], status: Status) -> None:
    """Take every point from an entry, recording which rule did it and why (with the points cut)."""
    params["cut"] = w.points
    w.adjustments.append(Adjustment(rule, version, Reason(code, params)))
    w.points = Decimal(0)
    w.status = status


def count_learning_once(work: Sequence[Work], lineage: Mapping[str, Item]) -> None:
    """A source and what is derived from it are one piece of learning: of the
    achievements in one lineage that earned points, only the best one counts."""
    groups: dict[str, dict[str, list[Work]]] = {}
    for w in work:
        groups.setdefault(lineage[w.achievement].root, {}).setdefault(w.achievement, []).append(w)
    for by_achievement in groups.values():
        if len(by_achievement) < 2:
            continue
        keeper = min(
            by_achievement,
            key=lambda a: (-sum(e.base for e in by_achievement[a]), lineage[a].depth, a),
        )
        kept = lineage[keeper]
        for achievement, entries in by_achievement.items():
            if achievement == keeper:
                continue
            # Name the equivalence that joins the two: the one that derived whichever is deeper.
            link = lineage[achievement] if lineage[achievement].depth > kept.depth else kept
            for w in entries:
                params = {"keeper": keeper}
                _drop(w, link.rule or "", link.version or "", "ledger.same_learning", params, "duplicate")


def exclude_unconverted(
    items: Sequence[Item], steps: Sequence[Step], *, match: Match, category: str
) -> list[Work]:
    """Entries saying why learning that no conversion matched is excluded.

    An ``exclude`` rule says a kind of learning is worth nothing here, whether or not a
    conversion would price it: an achievement none converts, which the first exclusion in
    force matches, gets one 0-point ``excluded`` entry naming that rule and its reason
    (instead of being listed as unmatched, and with no "-0" cut). Such learning is then
    gone for policies, entitlements and transfers, as any excluded learning is.
    """
    exclusions = [(name, version, rule) for name, version, rule in steps if isinstance(rule.action, Exclude)]
    out: list[Work] = []
    for item in items:
        for name, version, rule in exclusions:
            if match(rule.when, item.facts) and (rule.unless is None or not match(rule.unless, item.facts)):
                assert isinstance(rule.action, Exclude)
                reason = Reason("ledger.excluded_unconverted", {"reason": wording(rule.action.reason)})
                zero = Decimal(0)
                order = (item.completed, item.position, item.depth, 0)
                out.append(Work(item.id, order, item.facts, name, version, zero, zero, category, "excluded"))
                out[-1].adjustments.append(Adjustment(name, version, reason))
                break
    return out


@functools.lru_cache(maxsize=8192)  # a pure function of a date: caps and claim limits ask it again and again
def period_of(day: dt.date, per: Period, year_starts: tuple[int, int]) -> tuple[dt.date, dt.date] | None:
    """The period (first and last day) holding ``day``; None for ``lifetime``.

    Years start on ``year_starts`` (month, day); halves, quarters and months are
    counted from that day.
    """
    if per == "lifetime":
        return None
    step = _MONTHS[per]
    month, dom = year_starts
    # Count whole steps from one anchor (never from a clipped month end, which would drift).
    anchor = dt.date(day.year - 1, month, dom)
    k = ((day.year - anchor.year) * 12 + day.month - anchor.month) // step + 1
    while add_months(anchor, k * step) > day:
        k -= 1
    return add_months(anchor, k * step), add_months(anchor, (k + 1) * step) - dt.timedelta(days=1)


#: The order adjustments run in, whatever order the files list them in.
_STAGES: dict[type[Action], int] = {Exclude: 0, Expire: 1, Dedupe: 2, Multiply: 3, Cap: 4}


def _stage(rule: AdjustmentRule) -> int:
    return _STAGES[type(rule.action)]


#: One adjustment rule ready to apply: its full name, its file's version, the rule.
Step = tuple[str, str, AdjustmentRule]


def adjustment_order(sets: Sequence[AdjustmentSet]) -> tuple[Step, ...]:
    """The rules of the adjustment files in force, in the order they apply: by stage,
    then file id, then position in the file (whatever order the files list them in)."""
    ordered = sorted(
        ((_stage(rule), s.meta.id, position, s, rule) for s in sets for position, rule in enumerate(s.rules)),
        key=lambda item: item[:3],
    )
    return tuple((f"{s.meta.id}/{rule.id}", s.meta.version, rule) for _, _, _, s, rule in ordered)


def apply_adjustments(
    work: Sequence[Work],
    steps: Sequence[Step],
    *,
    match: Match,
    as_of: dt.date,
    scale: Scale,
    warnings: list[Reason] | None = None,
) -> None:
    """Apply every adjustment rule in force (see :func:`adjustment_order`) to the working ledger, in place.

    ``warnings`` receives a note for each cap whose limit the worker's record gives no row for.
    """
    for name, version, rule in steps:
        targets = [
            w
            for w in work
            # An entry capped to nothing has left the ledger: it takes no place in a later cap.
            if (w.status == "counted" or (w.status == "capped" and w.points > 0))
            and match(rule.when, w.facts)
            and (rule.unless is None or not match(rule.unless, w.facts))
        ]
        with RuleContext(name, rule.source):
            _apply(rule.action, targets, name, version, as_of, scale, warnings)


def _apply(
    action: Action,
    targets: list[Work],
    name: str,
    version: str,
    as_of: dt.date,
    scale: Scale,
    warnings: list[Reason] | None = None,
) -> None:
    match action:
        case Exclude():
            reason = wording(action.reason)
            for w in targets:
                _drop(w, name, version, "ledger.excluded", {"reason": reason}, "excluded")
        case Expire():
            _expire(targets, action, name, version, as_of)
        case Dedupe():
            _dedupe(targets, action, name, version)
        case Multiply():
            _multiply(targets, action, name, version, scale)
        case Cap():
            _cap(targets, action, name, version, warnings)


def _multiply(targets: list[Work], action: Multiply, name: str, version: str, scale: Scale) -> None:
    factor = format_points(action.factor)
    effect = Reason("ledger.multiplied", {"factor": action.factor})
    for w in targets:
        points = w.points * action.factor
        if abs(points) > DEFAULT_LIMITS.number_magnitude:  # as a conversion's points may not
            raise EvaluationError(
                f"{w.achievement}: points out of range ({format_points(w.points)} x{factor})"
            )
        w.points = round_points(points, scale)
        w.adjustments.append(Adjustment(name, version, effect))


def _expire(targets: list[Work], action: Expire, name: str, version: str, as_of: dt.date) -> None:
    for w in targets:
        start: dt.date | None = w.facts.get(action.field)
        if start is None:
            continue  # no expiry date on record: nothing expires
        try:
            last = add_months(start, action.years * 12 + action.months) + dt.timedelta(days=action.days)
        except (OverflowError, ValueError):
            continue  # past the calendar's end (e.g. expires: 9999-12-31): never expires
        if as_of > last:
            _drop(w, name, version, "ledger.expired", {"until": last}, "expired")


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
        keys = tuple(zip(action.keys, key, strict=True))
        for achievement, entries in by_achievement.items():
            if achievement == keeper:
                continue
            for w in entries:
                params = {"keeper": keeper, "keys": keys, "keep": action.keep}
                _drop(w, name, version, "ledger.duplicate", params, "duplicate")


def limit_for(table: LimitTable, value: Any) -> Decimal | None:
    """The limit ``table`` gives a worker whose attribute has ``value`` (None when absent):
    its row, else ``default``; None when neither fits (the worker is not capped)."""
    if value is None:
        return table.default
    return table.rows.get(table_key(value), table.default)


def _limit_of(
    table: LimitTable, targets: list[Work], name: str, warnings: list[Reason] | None
) -> tuple[Decimal, tuple[str, Any]] | None:
    """A cap's limit for this worker (every entry carries the same worker facts), and the
    attribute and value that chose it; None, with a warning, when no row and no default fit."""
    value = targets[0].facts.get(table.path)
    limit = limit_for(table, value)
    if limit is None:
        if warnings is not None:
            warnings.append(
                Reason("ledger.no_limit", {"rule": name, "attribute": table.path, "value": value})
            )
        return None
    return limit, (table.path, value)


def _cap(targets: list[Work], action: Cap, name: str, version: str, warnings: list[Reason] | None) -> None:
    if not targets:
        return
    count, most = action.count, action.max
    chosen: tuple[tuple[str, Any], ...] = ()
    if action.limit_by is not None:
        found = _limit_of(action.limit_by, targets, name, warnings)
        if found is None:
            return  # no limit for this worker: nothing is cut
        limit, pair = found
        count, most = (int(limit), None) if action.limit_by.counts else (None, limit)
        chosen = (pair,)
    groups: dict[tuple[Any, ...], list[Work]] = {}
    for w in sorted(targets, key=lambda w: w.order):
        period = period_of(w.facts["completed"], action.per, action.year_starts)
        key = (period, *(w.facts.get(path) for path in action.by))
        groups.setdefault(key, []).append(w)
    for (period, *values), members in groups.items():
        span = {"per": action.per, "period": period, "by": (*zip(action.by, values, strict=True), *chosen)}
        if action.cut_first:
            span["cut_first"] = action.cut_first
            if action.cut_titles:  # each category by its own words, for the Chinese sentence
                span["cut_titles"] = tuple(map(wording, action.cut_titles, action.cut_first))
        if count is not None:
            _cap_count(members, action, count, name, version, span)
        else:
            assert most is not None
            if action.keep == "highest":  # cut: lowest (a count cap says keep: highest)
                span["cut_lowest"] = True
            # Members are in completion order already; only another cut order sorts again.
            if action.cut_first or action.keep == "highest":
                members = sorted(members, key=_kept_first(action))
            _cap_points(members, most, name, version, span)


def _kept_first(action: Cap) -> Any:
    """The order in which a cap keeps entries: the first keep their points, the last are cut.

    By completion date (the latest are cut), by points (``cut: lowest``: the fewest are cut,
    then the latest), or by category (``cut: {categories: [...]}``: those listed first are cut
    first, unlisted categories last, each by date).
    """
    last = len(action.cut_first)

    def key(w: Work) -> tuple[Any, ...]:
        if action.cut_first:
            place = action.cut_first.index(w.category) if w.category in action.cut_first else last
            return (-place, w.order)
        return (-w.points, w.order) if action.keep == "highest" else (w.order,)

    return key


def _cap_points(members: list[Work], limit: Decimal, name: str, version: str, span: dict[str, Any]) -> None:
    spent = Decimal(0)
    for w in members:
        room = max(limit - spent, Decimal(0))
        if w.points <= room:
            spent += w.points
            continue
        cut = w.points - room
        spent += room
        w.points = room
        w.status = "capped"
        effect = Reason("ledger.capped_points", {"limit": limit, **span, "cut": cut})
        w.adjustments.append(Adjustment(name, version, effect))


def _cap_count(
    members: list[Work], action: Cap, limit: int, name: str, version: str, span: dict[str, Any]
) -> None:
    # Achievements count, not entries: an achievement's entries stay or go together.
    by_achievement: dict[str, list[Work]] = {}
    for w in members:
        by_achievement.setdefault(w.achievement, []).append(w)

    kept_first = _kept_first(action)

    def rank(entries: list[Work]) -> tuple[Any, ...]:
        first = min(e.order for e in entries)
        if action.cut_first:
            return tuple(kept_first(min(entries, key=lambda e: e.order)))  # by its first entry's category
        return (-sum(e.points for e in entries), first) if action.keep == "highest" else (first,)

    ranked = sorted(by_achievement, key=lambda a: rank(by_achievement[a]))
    for achievement in ranked[limit:]:
        for w in by_achievement[achievement]:
            params = {"limit": limit, **span, "keep": action.keep}
            _drop(w, name, version, "ledger.capped_count", params, "capped")


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
