"""``lint``: what a valid pack says that its authors probably did not mean.

A pack that loads is valid; lint then reasons over its IR (with :mod:`._logic`:
typed ranges, enums, level orders, never the rule text) and reports, each at
FILE:LINE:COL:

- ``unreachable``: a condition, or one ``any:`` branch of it, that can never hold;
- ``never-applies``: an adjustment whose ``unless:`` holds whenever its ``when:`` does;
- ``shadowed``: under a first-match order (``hit: first`` conversions, entitlement
  rules) a rule every achievement of which it could give points for (it matches, and its
  formula's fields are present) an earlier rule already takes;
- ``overlap``: rules of two conversion files in force together that can match one
  achievement, which then gets points from each;
- ``unconverted-level`` / ``unconverted-category``: a declared level or category no
  conversion rule can give points to;
- ``expired`` / ``gap``: a rule file whose last version ends, or whose versions leave days
  uncovered;
- ``never-granted``: a status required where it can never have been granted;
- ``never-met`` / ``never-eligible``: a policy, entitlement or transfer no worker can meet.

Findings are data (code, location, parameters; :mod:`._findings`); ``message`` words them.
A ``# lint: allow CODE — reason`` comment accepts a known finding (``unused-allow`` when it
accepts none).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from ._engine import default_pack_path
from ._errors import CreditEngineError, RuleSyntaxError
from ._expr import (
    ACHIEVEMENT_FIELDS,
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Exists,
    FieldSpec,
    FieldType,
    Not,
    formula_paths,
)
from ._findings import CODES, LintFinding, LintReport, accept
from ._ir import (
    AchievementReq,
    AllReq,
    AnyReq,
    CategoryFrom,
    Conversion,
    ConversionRule,
    Entitlement,
    FixedPoints,
    FormulaPoints,
    LookupPoints,
    Meta,
    NotReq,
    Pack,
    Policy,
    Requirement,
    StatusReq,
    TotalReq,
    Versions,
    Window,
    WorkerReq,
)
from ._limits import DEFAULT_LIMITS, Limits
from ._logic import FALSE, TRUE, And, Formula, Logic, Or
from ._pack import load_pack
from ._source import SourceLocation
from ._yaml import Comment, Document, TooLarge, comments, decode_text, load_documents, read_bounded

__all__ = ["CODES", "LintFinding", "LintReport", "lint"]

Points = FixedPoints | FormulaPoints | LookupPoints


def lint(path: str | os.PathLike[str] | None = None, *, limits: Limits = DEFAULT_LIMITS) -> LintReport:
    """Load a rule pack and report what it says that is probably not meant.

    :param path: the pack folder (default: the packaged pack).
    :param limits: as for :meth:`Engine.load`.
    :raises RuleError: when the pack does not load (that is an error, not a lint warning).

    >>> report = lint()
    >>> [f.code for f in report.findings], [f.code for f in report.accepted]
    ([], ['unconverted-level'])

    .. versionadded:: 0.2
    """
    pack = load_pack(path if path is not None else default_pack_path(), limits=limits)
    return _Linter(pack, limits).run()


class _Documents:
    """The located YAML of the pack's files, read again to place findings inside conditions.

    The pack loaded from these very files a moment ago; if one has changed since, a finding
    falls back to the position its IR node carries.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.files: dict[str, list[Document]] = {}
        self.texts: dict[str, str] = {}

    def documents(self, file: str) -> list[Document]:
        if file not in self.files:
            try:
                text = decode_text(
                    read_bounded(Path(file), self.limits.rule_file_bytes),
                    file,
                    error=RuleSyntaxError,
                    what="rule file",
                )
                self.files[file] = load_documents(text, file, error=RuleSyntaxError, limits=self.limits)
                self.texts[file] = text
            except (OSError, TooLarge, CreditEngineError):  # changed or gone: fall back
                self.files[file] = []
        return self.files[file]

    def lines(self, file: str) -> list[str]:
        """The file's lines (none when it no longer reads as it did)."""
        self.documents(file)
        return self.texts.get(file, "").splitlines()

    def comments(self, file: str) -> list[Comment]:
        """The file's YAML comments."""
        self.documents(file)
        return comments(self.texts.get(file, ""))

    def locate(
        self, start: SourceLocation, at: tuple[str | int, ...], *, key: bool = False
    ) -> SourceLocation:
        """The position of ``at`` (with ``key``, of its key) in the document that starts at ``start``."""
        for doc in self.documents(start.file):
            root = doc.locate(())
            if (root.line, root.column) == (start.line, start.column):
                return doc.locate(at, key=key)
        return SourceLocation(start.file, start.line, start.column, at)


def _window(window: Window) -> str:
    return f"{window.start.isoformat()}..{window.until.isoformat() if window.until else ''}"


def _typed(spec: FieldSpec | None, key: str) -> Any:
    """A lookup-table key (as ``table_key`` wrote it) as a value of the looked-up field's type."""
    kind = spec.type if spec is not None else FieldType.TEXT
    if kind in (FieldType.NUMBER, FieldType.INTEGER):
        return Decimal(key)
    if kind is FieldType.DATE:
        return dt.date.fromisoformat(key)
    if kind is FieldType.BOOL:
        return key == "true"
    return key


def _leaves(cond: Condition) -> Iterator[Compare | Exists]:
    """The field tests of ``cond``, in the order they are written."""
    if isinstance(cond, AllOf | AnyOf):
        for item in cond.items:
            yield from _leaves(item)
    elif isinstance(cond, Not):
        yield from _leaves(cond.item)
    else:
        yield cond


def _key_of(at: tuple[str | int, ...], field: str) -> tuple[str | int, ...]:
    """The key path of ``field``'s key in a test's key path (``when.hours`` of
    ``when.hours.gte``): up to the last key naming the field, or its last part."""
    for index in range(len(at) - 1, -1, -1):
        key = at[index]
        if isinstance(key, str) and (key == field or field.endswith(f".{key}")):
            return at[: index + 1]
    return at


class _Linter:
    def __init__(self, pack: Pack, limits: Limits) -> None:
        self.pack = pack
        self.fields: dict[str, FieldSpec] = {
            **ACHIEVEMENT_FIELDS,
            **{f"worker.{name}": spec for name, spec in pack.attribute_specs.items()},
        }
        self.logic = Logic(self.fields)
        self.worker = Logic(pack.attribute_specs)
        self.docs = _Documents(limits)
        self.found: list[LintFinding] = []
        self.granted: dict[str, Versions[Policy]] = {
            version.grants: group for group in pack.policies for version in group.items
        }
        self._status_memo: dict[tuple[str, Window | None], bool] = {}
        self._produced: dict[str, bool] = {}

    def run(self) -> LintReport:
        self.conditions()
        self.shadowing()
        self.overlaps()
        self.categories()
        self.levels()
        self.versions()
        self.statuses()
        unique = {(f.sort_key(), f.params): f for f in self.found}
        findings, accepted = self.allowed(list(unique.values()))
        return LintReport(
            self.pack.name,
            self.pack.root,
            tuple(sorted(findings, key=LintFinding.sort_key)),
            tuple(sorted(accepted, key=LintFinding.sort_key)),
        )

    def add(self, code: str, location: SourceLocation, **params: str) -> None:
        self.found.append(LintFinding(code, location, tuple(params.items())))

    # --- accepted findings ------------------------------------------------------------------------

    def allowed(self, found: list[LintFinding]) -> tuple[list[LintFinding], list[LintFinding]]:
        """Split ``found`` into the findings still reported and those the pack's ``# lint: allow``
        comments accept (see :func:`._findings.accept`), in every file of the pack."""
        files = {os.path.join(self.pack.root, "pack.yaml")}
        files.update(version.meta.source.file for group in self.pack.groups() for version in group.items)
        return accept(
            found, {file: (self.docs.lines(file), self.docs.comments(file)) for file in sorted(files)}
        )

    # --- formulas of rules ---------------------------------------------------------------------

    def yields(self, points: Points) -> Formula:
        """When points (or an amount) can be computed: every field a formula reads is present, a
        lookup's field is present and, without a default, one of the table's keys."""
        if isinstance(points, FormulaPoints):
            return And(tuple(self.logic.present(p) for p in sorted(set(formula_paths(points.formula)))))
        if isinstance(points, LookupPoints):
            if points.default is not None:
                return self.logic.present(points.path)
            try:
                keys = [_typed(self.fields.get(points.path), key) for key, _ in points.table]
            except (ValueError, ArithmeticError):
                return self.logic.present(points.path)  # cannot say which values: at least present
            return self.logic.one_of(points.path, keys)
        return TRUE

    def in_window(self, conversion: Conversion) -> Formula:
        """A conversion version converts achievements completed in its window (convert_at: completed)."""
        if self.pack.convert_at != "completed":
            return TRUE
        window = conversion.meta.effective
        return self.logic.between("completed", window.start, window.until)

    def converts(self, conversion: Conversion, rule: ConversionRule) -> Formula:
        """When ``rule`` gives points: it matches, its version is used, its points can be computed."""
        return And((self.in_window(conversion), self.logic.of(rule.when), self.yields(rule.points)))

    def conversions(self) -> Iterator[tuple[Conversion, ConversionRule]]:
        for group in self.pack.conversions:
            for version in group.items:
                for rule in version.rules:
                    yield version, rule

    # --- unreachable conditions ----------------------------------------------------------------

    def conditions(self) -> None:
        for version, rule in self.conversions():
            window = self.in_window(version)
            shown = _window(version.meta.effective) if window is not TRUE else ""
            self.condition(version.meta, rule.when, window, shown)
        for group in self.pack.adjustments:
            for adjustments in group.items:
                for adjustment in adjustments.rules:
                    self.condition(adjustments.meta, adjustment.when)
                    if adjustment.unless is None:
                        continue
                    when = self.logic.of(adjustment.when)
                    self.condition(adjustments.meta, adjustment.unless, when)
                    unless = self.logic.of(adjustment.unless)
                    if self.logic.possible(when) and self.logic.implies(when, unless):
                        at = self.docs.locate(adjustments.meta.source, adjustment.unless.at)
                        self.add("never-applies", at, rule=f"{adjustments.meta.id}/{adjustment.id}")
        for equivalences in self.versions_of(self.pack.equivalences):
            for equivalence in equivalences.rules:
                self.condition(equivalences.meta, equivalence.when)
        for entitlement in self.versions_of(self.pack.entitlements):
            for claim in entitlement.rules:
                self.condition(entitlement.meta, claim.when)
                for bonus in claim.bonuses:
                    self.condition(entitlement.meta, bonus.when, self.logic.of(claim.when))
            if entitlement.eligible is not None:
                self.requirement_conditions(entitlement.meta, entitlement.eligible)
        for transfer in self.versions_of(self.pack.transfers):
            self.condition(transfer.meta, transfer.where)
            for exemption in transfer.exemptions:
                self.condition(transfer.meta, exemption.when)
            if transfer.eligible is not None:
                self.requirement_conditions(transfer.meta, transfer.eligible)
        for policy in self.versions_of(self.pack.policies):
            self.requirement_conditions(policy.meta, policy.requires)

    @staticmethod
    def versions_of(groups: tuple[Versions[Any], ...]) -> Iterator[Any]:
        for group in groups:
            yield from group.items

    def requirement_conditions(self, meta: Meta, req: Requirement) -> None:
        match req:
            case AllReq(items=items) | AnyReq(items=items):
                for item in items:
                    self.requirement_conditions(meta, item)
            case NotReq(item=item):
                self.requirement_conditions(meta, item)
            case AchievementReq(condition=cond):
                self.condition(meta, cond)
            case TotalReq(where=where) if where is not None:
                self.condition(meta, where)
            case WorkerReq(condition=cond):
                self.condition(meta, cond, logic=self.worker)

    def condition(
        self,
        meta: Meta,
        cond: Condition | None,
        context: Formula = TRUE,
        window: str = "",
        *,
        logic: Logic | None = None,
    ) -> None:
        """Report ``cond`` when it can never hold where it is used (``context``), else each of
        its ``any:`` branches that cannot."""
        logic = logic or self.logic
        if cond is None or logic.possible(context) is not True:
            return  # a context that cannot hold is reported where it is written
        whole = And((context, logic.of(cond)))
        if logic.possible(whole) is False:
            fields = logic.conflicts(whole)
            self.add(
                "unreachable",
                self.conflict_at(meta, cond, fields),
                fields=", ".join(fields),
                window=window if "completed" in fields else "",
            )
            return
        self.branches(meta, cond, context, logic)

    def branches(self, meta: Meta, cond: Condition, context: Formula, logic: Logic) -> None:
        if isinstance(cond, AllOf):
            for index, item in enumerate(cond.items):
                others = tuple(logic.of(other) for i, other in enumerate(cond.items) if i != index)
                self.branches(meta, item, And((context, *others)), logic)
        elif isinstance(cond, AnyOf):
            for item in cond.items:
                here = And((context, logic.of(item)))
                if logic.possible(here) is False:
                    fields = logic.conflicts(here)
                    at = self.conflict_at(meta, item, fields)
                    self.add("unreachable", at, fields=", ".join(fields), branch="yes")
                else:
                    self.branches(meta, item, context, logic)

    def conflict_at(self, meta: Meta, cond: Condition, fields: tuple[str, ...]) -> SourceLocation:
        """The key of the first field in ``fields`` that ``cond`` tests (``hours:`` in
        ``{type: course, hours: {gte: 100, lt: 50}}``), else ``cond`` itself: the conflict may
        lie with the context (a version's window, an adjustment's ``when:``)."""
        for field in fields:
            for leaf in _leaves(cond):
                if leaf.path == field:
                    return self.docs.locate(meta.source, _key_of(leaf.at, field), key=True)
        return self.docs.locate(meta.source, cond.at)

    # --- first-match orders --------------------------------------------------------------------

    def shadowing(self) -> None:
        for version in self.versions_of(self.pack.conversions):
            if version.hit == "first":
                rules = [(r.id, r.when, self.yields(r.points), r.source) for r in version.rules]
                self.first_match(version.meta, rules, "conversion")
        for entitlement in self.versions_of(self.pack.entitlements):
            rules = [
                (r.id, r.when, self.yields(r.amount), r.source) for r in entitlement.rules if r.status is None
            ]
            self.first_match(entitlement.meta, rules, "entitlement")

    def first_match(
        self,
        meta: Meta,
        rules: list[tuple[str, Condition | None, Formula, SourceLocation]],
        kind: str,
    ) -> None:
        taken: list[tuple[str, Formula]] = []
        for ident, when, yields, source in rules:
            # Where this rule would decide: it matches and its points can be computed (a rule
            # whose formula reads an absent field is passed over, as the engine does).
            gives = And((self.logic.of(when), yields))
            earlier_all = Or(tuple(f for _, f in taken))
            if taken and self.logic.possible(gives) and self.logic.implies(gives, earlier_all):
                earlier = [name for name, f in taken if self.logic.possible(And((gives, f)))]
                self.add(
                    "shadowed",
                    source,
                    rule=f"{meta.id}/{ident}",
                    earlier=", ".join(f"{meta.id}/{name}" for name in earlier),
                    kind=kind,
                )
            taken.append((ident, gives))

    # --- conversion files that both convert one achievement ------------------------------------

    def overlaps(self) -> None:
        groups = self.pack.conversions
        seen: set[tuple[str, str]] = set()
        for index, first in enumerate(groups):
            for second in groups[index + 1 :]:
                for a in first.items:
                    for b in second.items:
                        if not a.meta.effective.overlaps(b.meta.effective):
                            continue
                        for rule_a in a.rules:
                            for rule_b in b.rules:
                                key = (f"{a.meta.id}/{rule_a.id}", f"{b.meta.id}/{rule_b.id}")
                                if key in seen:
                                    continue
                                both = And((self.converts(a, rule_a), self.converts(b, rule_b)))
                                if self.logic.possible(both):
                                    seen.add(key)
                                    self.add(
                                        "overlap",
                                        rule_b.source,
                                        rule=key[1],
                                        other=key[0],
                                    )

    # --- declared categories and levels --------------------------------------------------------

    def produced(self, category: str) -> bool:
        """Whether some conversion rule can put points in ``category``."""
        if category in self._produced:
            return self._produced[category]
        found = False
        for version, rule in self.conversions():
            gives = self.converts(version, rule)
            if isinstance(rule.category, CategoryFrom):
                undeclared = category == self.pack.default_category
                target = TRUE if undeclared else self.logic.one_of(rule.category.path, [category])
            else:
                target = TRUE if rule.category == category else FALSE
            if self.logic.possible(And((gives, target))) is not False:
                found = True
                break
        self._produced[category] = found
        return found

    def header(self, at: tuple[str | int, ...]) -> SourceLocation:
        file = os.path.join(self.pack.root, "pack.yaml")
        docs = self.docs.documents(file)
        return docs[0].locate(at) if docs else SourceLocation(file, 0, 0, at)

    def categories(self) -> None:
        for index, category in enumerate(self.pack.categories):
            if not self.produced(category):
                self.add("unconverted-category", self.header(("categories", index)), category=category)

    def levels(self) -> None:
        types = ACHIEVEMENT_FIELDS["type"].values
        for framework, levels in self.pack.frameworks:
            pinned = self.logic.one_of("level.framework", [framework])
            whens = [rule.when for _, rule in self.conversions()]
            whens += [rule.when for eq in self.versions_of(self.pack.equivalences) for rule in eq.rules]
            kinds: set[str] = set()
            for when in whens:
                formula = self.logic.of(when)
                if when is None or not self.logic.implies(formula, pinned):
                    continue
                kinds.update(
                    t for t in types if self.logic.possible(And((formula, self.logic.one_of("type", [t]))))
                )
            if not kinds:
                continue  # no rule converts by this framework's levels: nothing to check against
            for index, level in enumerate(levels):
                if not self.level_converted(framework, level, frozenset(kinds), set()):
                    self.add(
                        "unconverted-level",
                        self.header(("frameworks", framework, "levels", index)),
                        level=level,
                        framework=framework,
                        types=", ".join(sorted(kinds)),
                    )

    def level_converted(
        self, framework: str, level: str, kinds: frozenset[str], seen: set[tuple[str, str]]
    ) -> bool:
        """Whether an achievement of one of ``kinds`` at ``level`` can get points, directly or
        through the equivalences that map its level."""
        if (framework, level) in seen:
            return False
        seen.add((framework, level))
        base = And(
            (
                self.logic.one_of("level.framework", [framework]),
                self.logic.one_of("level.value", [level]),
                self.logic.one_of("type", kinds),
            )
        )
        for version, rule in self.conversions():
            if self.logic.possible(And((base, self.converts(version, rule)))) is not False:
                return True
        for equivalences in self.versions_of(self.pack.equivalences):
            for rule in equivalences.rules:
                matches = And((base, self.logic.of(rule.when)))
                if self.logic.possible(matches) is False:
                    continue
                sets = dict(rule.sets)
                derived = (
                    frozenset((sets["type"],))
                    if "type" in sets
                    else frozenset(
                        t
                        for t in kinds
                        if self.logic.possible(And((matches, self.logic.one_of("type", [t]))))
                    )
                )
                if rule.framework is None:
                    return True  # the level stays; other fields change: assume it may convert
                target = rule.level
                if rule.level_map is not None and rule.level_map.source_framework == framework:
                    target = rule.level_map.mapping.get(level)
                if target is not None and self.level_converted(rule.framework, target, derived, seen):
                    return True
        return False

    # --- versions --------------------------------------------------------------------------------

    def versions(self) -> None:
        for group in self.pack.groups():
            metas: list[Meta] = [version.meta for version in group.items]
            for earlier, later in itertools.pairwise(metas):
                end = earlier.effective.until
                if end is not None and end + dt.timedelta(days=1) < later.effective.start:
                    self.add(
                        "gap",
                        later.effective_source,
                        file=group.id,
                        start=(end + dt.timedelta(days=1)).isoformat(),
                        end=(later.effective.start - dt.timedelta(days=1)).isoformat(),
                    )
            last = metas[-1]
            if last.effective.until is not None:
                self.add(
                    "expired",
                    last.effective_source,
                    file=group.id,
                    version=last.version,
                    until=last.effective.until.isoformat(),
                    after=(last.effective.until + dt.timedelta(days=1)).isoformat(),
                )

    # --- statuses, policies, eligibility ---------------------------------------------------------

    def grantable(
        self, status: str, window: Window | None = None, trail: frozenset[str] = frozenset()
    ) -> bool:
        """Whether some version of the policy granting ``status`` (in force during ``window``, when
        given) can be met."""
        memo = (status, window)
        if memo in self._status_memo:
            return self._status_memo[memo]
        group = self.granted.get(status)
        result = (
            group is not None
            and status not in trail
            and any(
                self.can_hold(v.requires, v.meta.effective, trail | {status})
                for v in group.items
                if window is None or v.meta.effective.overlaps(window)
            )
        )
        if not trail:
            self._status_memo[memo] = result
        return result

    def can_hold(
        self, req: Requirement, window: Window | None = None, trail: frozenset[str] = frozenset()
    ) -> bool:
        """False when ``req``, decided on a day in ``window``, can certainly never hold; else True."""
        match req:
            case AllReq(items=items):
                return all(self.can_hold(i, window, trail) for i in items)
            case AnyReq(items=items):
                return any(self.can_hold(i, window, trail) for i in items)
            case NotReq():
                return True  # "not" of something that may hold may hold; of anything else, too
            case AchievementReq(condition=cond):
                return self.logic.possible(self.logic.of(cond)) is not False
            case TotalReq(gte=gte, category=category, where=where):
                if gte <= 0:
                    return True
                if where is not None and self.logic.possible(self.logic.of(where)) is False:
                    return False
                return category is None or self.produced(category)
            case StatusReq(status=status):
                return self.grantable(status, window, trail)
            case WorkerReq(condition=cond):
                return self.worker.possible(self.worker.of(cond)) is not False
        return True

    def statuses(self) -> None:
        for policy in self.versions_of(self.pack.policies):
            self.required(policy.meta, policy.requires)
            if not self.can_hold(policy.requires, policy.meta.effective):
                self.add("never-met", policy.requires.source, file=policy.meta.id, status=policy.grants)
        for entitlement in self.versions_of(self.pack.entitlements):
            self.eligibility(entitlement)
        for transfer in self.versions_of(self.pack.transfers):
            if transfer.eligible is not None:
                self.required(transfer.meta, transfer.eligible)
                if not self.can_hold(transfer.eligible, transfer.meta.effective):
                    self.add(
                        "never-eligible",
                        transfer.eligible.source,
                        file=transfer.meta.id,
                        reason="eligible",
                    )

    def eligibility(self, entitlement: Entitlement) -> None:
        meta = entitlement.meta
        if entitlement.eligible is not None:
            self.required(meta, entitlement.eligible)
            if not self.can_hold(entitlement.eligible, meta.effective):
                self.add(
                    "never-eligible",
                    entitlement.eligible.source,
                    file=meta.id,
                    reason="eligible",
                )
                return
        live = False
        for rule in entitlement.rules:
            if rule.status is not None:
                status = StatusReq(rule.status, self.docs.locate(meta.source, (*rule.source.path, "status")))
                self.required(meta, status)
                live = live or self.grantable(rule.status, meta.effective)
            else:
                matches = And((self.logic.of(rule.when), self.yields(rule.amount)))
                live = live or self.logic.possible(matches) is not False
        if not live:
            self.add(
                "never-eligible",
                self.docs.locate(meta.source, ("rules",)),
                file=meta.id,
                reason="rules",
            )

    def required(self, meta: Meta, req: Requirement) -> None:
        """Report each status ``req`` needs (not under ``not:``) that can never have been granted."""
        match req:
            case AllReq(items=items) | AnyReq(items=items):
                for item in items:
                    self.required(meta, item)
            case StatusReq(status=status, source=source):
                group = self.granted.get(status)
                where = {"file": meta.id, "version": meta.version, "window": _window(meta.effective)}
                if group is None:
                    self.add("never-granted", source, status=status, reason="ungranted", policy="", **where)
                elif not any(v.meta.effective.overlaps(meta.effective) for v in group.items):
                    windows = ", ".join(_window(v.meta.effective) for v in group.items)
                    self.add(
                        "never-granted",
                        source,
                        status=status,
                        reason="window",
                        policy=group.id,
                        windows=windows,
                        **where,
                    )
                elif not self.grantable(status, meta.effective):
                    self.add("never-granted", source, status=status, reason="unmet", policy=group.id, **where)
