"""The pipeline: the one order of evaluation stages, whatever the backend.

    facts -> derive -> convert -> count once -> adjust -> totals -> decide -> entitle -> transfer

A backend supplies kernels (``_evaluators/base.py``): matching, candidate rules
and point expressions, and, where it can do them better, derivation and status
decisions. Everything else is written once here and in the stage modules it
calls: ledger arithmetic (caps, dedupe, expiry, rounding), totals, entitlement
and transfer arithmetic, result assembly. Evaluation records reasons, never
sentences (``_trace``); the renderer makes sentences when a result is shown.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import Any

from ._entitlements import decide_entitlements
from ._equivalence import derive, derived_records
from ._errors import EvaluationError, RuleContext
from ._evaluators.base import Kernels, MissingField
from ._expr import condition_paths
from ._facts import AttributeUses, Item, items_of, worker_facts
from ._ir import (
    AchievementReq,
    AdjustmentSet,
    CategoryFrom,
    Conversion,
    ConversionRule,
    Entitlement,
    EntitlementRule,
    Equivalence,
    LookupPoints,
    Pack,
    Policy,
    Transfer,
    Versions,
    requirement_nodes,
)
from ._ledger import (
    Step,
    Work,
    adjustment_order,
    apply_adjustments,
    count_learning_once,
    exclude_unconverted,
    round_points,
    totals_of,
)
from ._limits import DEFAULT_LIMITS
from ._policies import Candidate, PolicyFacts, decide, policies_in_force
from ._record import WorkerRecord
from ._results import LedgerEntry, PackInfo, Result
from ._trace import Describer, Reason, format_points, wording
from ._transfers import decide_transfers

__all__ = ["Pipeline"]

# Results never depend on the caller's decimal settings (precision, traps, rounding).
_DECIMALS = Context(prec=34, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])
_LIMIT = DEFAULT_LIMITS.number_magnitude


@dataclass(frozen=True)
class _InForce:
    """The rule file versions in force during one stretch of days (no boundary inside it)."""

    conversions: tuple[Conversion, ...]
    adjustments: tuple[AdjustmentSet, ...]
    steps: tuple[Step, ...]  # their rules in the order they apply
    equivalences: tuple[Equivalence, ...]
    policies: tuple[Policy, ...]  # each after the policies whose statuses it needs
    entitlements: tuple[Entitlement, ...]
    transfers: tuple[Transfer, ...]
    idle: tuple[tuple[Versions[Conversion], tuple[Conversion, ...]], ...]  # conversion ids with none in force


class _Calendar:
    """Versions in force, resolved once per stretch between effective-window boundaries.

    The stretches are few (at most two per rule file version), so they are all built
    when the pack is compiled: nothing is resolved, or cached, per record.
    """

    def __init__(self, pack: Pack) -> None:
        edges: set[dt.date] = set()
        for group in pack.groups():
            for version in group.items:
                edges.add(version.meta.effective.start)
                if version.meta.effective.until is not None and version.meta.effective.until < dt.date.max:
                    edges.add(version.meta.effective.until + dt.timedelta(days=1))
        self._starts = sorted(edges)
        days = [dt.date.min, *self._starts]
        self._stretches = [self._resolve(pack, day) for day in days]

    @staticmethod
    def _resolve(pack: Pack, day: dt.date) -> _InForce:
        def live(groups: Sequence[Versions[Any]]) -> tuple[Any, ...]:
            return tuple(v for g in groups if (v := g.in_force(day)) is not None)

        return _InForce(
            conversions=live(pack.conversions),
            adjustments=live(pack.adjustments),
            steps=adjustment_order(live(pack.adjustments)),
            equivalences=live(pack.equivalences),
            policies=tuple(policies_in_force(pack, day)),
            entitlements=live(pack.entitlements),
            transfers=live(pack.transfers),
            idle=tuple((g, g.items) for g in pack.conversions if g.in_force(day) is None),
        )

    def on(self, day: dt.date) -> _InForce:
        """What is in force on ``day``."""
        return self._stretches[bisect.bisect_right(self._starts, day)]


class Pipeline:
    """Evaluates worker records: the stages in their one order, on a backend's kernels.

    :param pack: the compiled rule pack.
    :param kernels: the backend (see ``_evaluators/base.py``).
    """

    def __init__(self, pack: Pack, kernels: Kernels) -> None:
        self.pack = pack
        self.kernels = kernels
        self.name = kernels.name
        self._match = kernels.match
        self._calendar = _Calendar(pack)
        self._categories = frozenset(pack.categories)
        self._attribute_uses = AttributeUses(pack)
        # Entries that carry no conversion (excluded unconverted learning) sit in this category.
        self._no_category = pack.default_category or pack.categories[0]
        requirements = [p.requires for g in pack.policies for p in g.items]
        requirements += [e.eligible for g in pack.entitlements for e in g.items if e.eligible is not None]
        requirements += [t.eligible for g in pack.transfers for t in g.items if t.eligible is not None]
        self._category_titles = dict(pack.category_titles)
        # For sentences only: the fields whose values are categories, and statuses by the title
        # of the policy that grants them (its latest version's).
        self._category_fields = tuple(
            sorted(
                {
                    r.category.path
                    for g in pack.conversions
                    for c in g.items
                    for r in c.rules
                    if isinstance(r.category, CategoryFrom)
                }
            )
        )
        self._status_titles = tuple({p.grants: p.meta.title for g in pack.policies for p in g.items}.items())
        self._describe = Describer(requirements, self._category_titles)
        # Whether an achievement: requirement tests its own points: only then are they looked up.
        self._reads_points = any(
            "points" in condition_paths(node.condition)
            for req in requirements
            for node in requirement_nodes(req)
            if isinstance(node, AchievementReq)
        )
        # (stretch, conversion versions in a ledger) -> the result's pack versions; the stretches
        # are kept by the calendar for the pipeline's life, so their ids are stable keys.
        self._versions: dict[tuple[int, frozenset[tuple[str, str]]], tuple[tuple[str, str], ...]] = {}

    def evaluate(self, record: WorkerRecord, as_of: dt.date) -> Result:
        """Evaluate one worker record on ``as_of``.

        :raises RecordError: when a worker attribute does not fit its declared type.
        :raises EvaluationError: when a rule cannot be applied (e.g. division by zero),
            naming the worker, the rule and its location.
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

    # --- the stages, in order ------------------------------------------------------

    def _evaluate(self, record: WorkerRecord, as_of: dt.date) -> Result:
        pack, match = self.pack, self._match
        now = self._calendar.on(as_of)
        warnings: list[Reason] = []
        worker = worker_facts(record, pack.attribute_specs, warnings)
        worker_view = {f"worker.{k}": v for k, v in worker.items()}
        items = items_of(record, as_of, worker_view, warnings, frameworks=pack.framework_levels)
        days = (i.completed if pack.convert_at == "completed" else as_of for i in items)
        self._attribute_uses.warn_absent(worker, as_of, days, warnings)
        if self.kernels.derive is not None:
            items += self.kernels.derive(items, now.equivalences, warnings)
        else:
            items += derive(items, now.equivalences, match=match, warnings=warnings)
        work: list[Work] = []
        for item in items:
            work.extend(self._convert(item, as_of, warnings))
        lineage = {i.id: i for i in items}
        count_learning_once(work, lineage)
        converted = {lineage[w.achievement].root for w in work}
        unconverted = [i for i in items if i.depth == 0 and i.id not in converted]
        excluded = exclude_unconverted(unconverted, now.steps, match=match, category=self._no_category)
        work += excluded
        gone_unconverted = {w.achievement for w in excluded}
        unmatched = [i.id for i in unconverted if i.id not in gone_unconverted]
        apply_adjustments(work, now.steps, match=match, as_of=as_of, scale=pack.scale, warnings=warnings)
        work.sort(key=lambda w: w.order[1:])
        ledger = tuple(w.freeze() for w in work)
        totals = totals_of(ledger, pack.categories)
        gone = {e.achievement for e in ledger if e.status in ("expired", "excluded")}
        kept = {e.achievement for e in ledger if e.status not in ("expired", "excluded")}
        own = self._own_points(ledger) if self._reads_points else {}
        candidates = [
            Candidate(i.id, i.title, {**i.facts, "points": own[i.id]} if i.id in own else i.facts)
            for i in items
            if i.id not in gone or i.id in kept
        ]
        counted = [(w.facts, w.points, w.category) for w in work if w.status in ("counted", "capped")]
        facts = PolicyFacts(candidates, totals, worker, counted, describe=self._describe)
        if self.kernels.decide is not None:
            outcomes = self.kernels.decide(now.policies, facts)
        else:
            outcomes = decide(now.policies, facts, match)
        claims = decide_entitlements(
            now.entitlements,
            items,
            facts,
            match=match,
            amount=self._amount,
            as_of=as_of,
            scale=pack.scale,
            eligible=self.kernels.eligible,
            entitled=self.kernels.entitled,
        )
        transferred = decide_transfers(now.transfers, facts, match=match, eligible=self.kernels.eligible)
        return Result(
            worker=record.worker.id,
            as_of=as_of,
            pack=PackInfo(
                pack.name,
                pack.fingerprint,
                self._versions_used(ledger, now),
                pack.category_titles,
                self._status_titles,
                self._category_fields,
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

    @staticmethod
    def _own_points(ledger: tuple[LedgerEntry, ...]) -> dict[str, Decimal]:
        """Each achievement's points in the totals (0 when all its entries were set aside)."""
        own: dict[str, Decimal] = {}
        for entry in ledger:
            counts = entry.status in ("counted", "capped")
            own[entry.achievement] = own.get(entry.achievement, Decimal(0)) + (entry.points if counts else 0)
        return own

    # --- conversion ------------------------------------------------------------------

    def _convert(self, item: Item, as_of: dt.date, warnings: list[Reason]) -> list[Work]:
        day = item.completed if self.pack.convert_at == "completed" else as_of
        out: list[Work] = []
        for conversion in self._calendar.on(day).conversions:
            hits: list[tuple[ConversionRule, Decimal]] = []
            for index in self.kernels.candidates(conversion, item.facts):
                rule = conversion.rules[index]
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

    def _rule_points(
        self, conversion: Conversion, rule: ConversionRule, item: Item, warnings: list[Reason]
    ) -> Decimal | None:
        facts = item.facts
        name = f"{conversion.meta.id}/{rule.id}"
        with RuleContext(name, rule.source):  # the evaluation adds the worker
            try:
                value = self.kernels.points(rule.points, facts)
            except ArithmeticError as exc:  # decimal's DivisionByZero, Overflow, InvalidOperation
                raise EvaluationError(f"{item.id}: arithmetic failed ({type(exc).__name__})") from exc
            except MissingField as missing:
                params = {"achievement": item.id, "rule": name, "field": missing.path}
                warnings.append(Reason("convert.missing_field", params))
                return None
            if value is None:
                lookup = rule.points
                if item.level_reported and isinstance(lookup, LookupPoints) and lookup.path == "level.value":
                    return None  # the level itself was reported as outside its framework
                key = facts.get(lookup.path) if isinstance(lookup, LookupPoints) else None
                warnings.append(
                    Reason("convert.no_table_value", {"achievement": item.id, "rule": name, "key": key})
                )
                return None
            if not value.is_finite() or abs(value) > _LIMIT:
                raise EvaluationError(f"{item.id}: points out of range ({format_points(value)})")
            if value < 0:
                warnings.append(
                    Reason("convert.negative_points", {"achievement": item.id, "rule": name, "points": value})
                )
                value = Decimal(0)
            return round_points(value, self.pack.scale)

    def _category(self, rule: ConversionRule, item: Item, warnings: list[Reason]) -> str:
        if isinstance(rule.category, str):
            return rule.category
        path = rule.category.path
        value = item.facts.get(path)
        if isinstance(value, str) and value in self._categories:
            return value
        fallback = self.pack.default_category or ""
        if value is None:
            params: dict[str, Any] = {"achievement": item.id, "field": path, "fallback": fallback}
            warnings.append(Reason("convert.no_category", self._titled(params, fallback)))
        else:
            params = {"achievement": item.id, "field": path, "value": value, "fallback": fallback}
            params = self._titled(params, fallback)
            warnings.append(Reason("convert.not_a_category", params))
        return fallback

    def _titled(self, params: dict[str, Any], category: str) -> dict[str, Any]:
        """``params`` with the category's own titles (pack.yaml), when it has them."""
        titles = self._category_titles.get(category)
        if titles:
            params["fallback_title"] = wording(titles, category)
        return params

    def _why_unmatched(self, item: Item, day: dt.date) -> list[Reason]:
        """Say so when a version not in force on the day would have converted it."""
        notes = []
        for group, versions in self._calendar.on(day).idle:
            for version in versions:
                if any(self._match(r.when, item.facts) for r in version.rules):
                    window = version.meta.effective
                    params = {
                        "achievement": item.id,
                        "rule_file": group.id,
                        "version": version.meta.version,
                        "window": (window.start, window.until),
                        "day": day,
                    }
                    notes.append(Reason("convert.version_not_in_force", params))
                    break
        return notes

    # --- entitlements ------------------------------------------------------------------

    def _amount(self, rule: EntitlementRule, facts: dict[str, Any]) -> Decimal | None:
        # The entitlement names the rule (RuleContext in _entitlements); the evaluation the worker.
        try:
            value = self.kernels.points(rule.amount, facts)
        except MissingField:
            return None
        except ArithmeticError as exc:
            subject = facts.get("id", f"status {rule.status}")
            raise EvaluationError(f"{subject}: arithmetic failed ({type(exc).__name__})") from exc
        if value is not None and (not value.is_finite() or abs(value) > _LIMIT):
            raise EvaluationError(f"amount out of range ({format_points(value)})")
        return None if value is None else max(value, Decimal(0))  # an amount is never negative

    # --- the result ----------------------------------------------------------------------

    def _versions_used(self, ledger: tuple[LedgerEntry, ...], now: _InForce) -> tuple[tuple[str, str], ...]:
        """Every rule file id with the version(s) this evaluation used.

        Few records differ in the conversion versions their ledger used, so the answer is
        kept per stretch and set of those (bounded: cleared past a few thousand).
        """
        converted = frozenset((entry.rule.split("/", 1)[0], entry.version) for entry in ledger)
        key = (id(now), converted)
        known = self._versions.get(key)
        if known is None:
            if len(self._versions) > 4096:
                self._versions.clear()
            known = self._versions[key] = self._list_versions(converted, now)
        return known

    def _list_versions(
        self, converted: frozenset[tuple[str, str]], now: _InForce
    ) -> tuple[tuple[str, str], ...]:
        used: dict[str, set[str]] = {}
        for ident, version in converted:
            used.setdefault(ident, set()).add(version)
        for meta in (
            *(a.meta for a in now.adjustments),
            *(p.meta for p in now.policies),
            *(e.meta for e in now.equivalences),
            *(e.meta for e in now.entitlements),
            *(t.meta for t in now.transfers),
        ):
            used.setdefault(meta.id, set()).add(meta.version)
        for conversion in now.conversions:
            used.setdefault(conversion.meta.id, {conversion.meta.version})
        return tuple((ident, ", ".join(sorted(v))) for ident, v in sorted(used.items()))
