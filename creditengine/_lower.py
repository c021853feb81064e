"""Lower validated rule files to the IR: parse conditions, formulas, points and
requirements, checking names against pack.yaml (categories, frameworks, attributes).

Problems are collected, never raised one at a time, so a pack shows all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from ._conditions import OWN_POINTS
from ._errors import ExpressionError, Problem, RuleError, RuleSchemaError
from ._expr import (
    ACHIEVEMENT_FIELDS,
    AllOf,
    Compare,
    Condition,
    FieldSpec,
    FieldType,
    condition_paths,
    formula_paths,
    level_key,
    parse_condition,
    parse_formula,
    suggest,
)
from ._ir import (
    AchievementReq,
    AdjustmentRule,
    AdjustmentSet,
    AllReq,
    AnyReq,
    Bonus,
    Cap,
    CategoryFrom,
    ClaimLimit,
    Conversion,
    ConversionRule,
    Course,
    Dedupe,
    Entitlement,
    EntitlementRule,
    Equivalence,
    EquivalenceRule,
    Exclude,
    Exemption,
    Expire,
    FixedPoints,
    FormulaPoints,
    LevelMap,
    LookupPoints,
    Meta,
    Multiply,
    NotReq,
    Policy,
    Requirement,
    StatusReq,
    TotalReq,
    Transfer,
    Window,
    WorkerReq,
    statuses_in,
)
from ._limits import number_problem
from ._lowercaps import CapLowering, table_key_of
from ._packfiles import (
    AccreditationFile,
    AdjustmentFile,
    ConversionFile,
    EntitlementFile,
    EquivalenceFile,
    PackFile,
    RuleFileBase,
    TransferFile,
)
from ._source import SourceLocation
from ._yaml import Document

R = TypeVar("R")

__all__ = ["OPERATOR_WORDS", "Lowering", "Problems", "framework_named", "titles_of"]


def _month_day(text: str) -> tuple[int, int]:
    month, day = (int(part) for part in text.split("-"))
    return month, day


def framework_named(when: Condition | None) -> str | None:
    """The framework a condition pins with ``level.framework: NAME`` at its top level."""
    items = when.items if isinstance(when, AllOf) else (when,) if when is not None else ()
    for item in items:
        if isinstance(item, Compare) and item.path == "level.framework" and item.op == "eq":
            return str(item.value)
    return None


_ATTRIBUTE_TYPES = {
    "integer": FieldType.INTEGER,
    "decimal": FieldType.NUMBER,
    "text": FieldType.TEXT,
    "enum": FieldType.ENUM,
    "boolean": FieldType.BOOL,
    "date": FieldType.DATE,
}
_REQUIREMENT_KEYS = ("all", "any", "not", "achievement", "total", "status", "worker")


def _points_paths(points: FixedPoints | FormulaPoints | LookupPoints) -> Iterator[str]:
    """Every field a points (or amount) rule reads."""
    if isinstance(points, FormulaPoints):
        yield from formula_paths(points.formula)
    elif isinstance(points, LookupPoints):
        yield points.path


#: Said after "unknown operator 'x'" (named by _expr, which is at its size limit): every
#: operator and what it tests, so that staff need not look them up. A test checks it names them all.
OPERATOR_WORDS = (
    "the operators are eq and ne (equal, not equal), in and not_in (one of a list, none of it), "
    "gt, gte, lt and lte (more than, at least, less than, at most), between ([low, high], both "
    "included), exists (true or false), and contains and starts_with (text holding, or beginning "
    "with, a text; ignore_case: true beside them ignores case)"
)


class Problems:
    """Collects located problems from every file; raised together at the end."""

    def __init__(self) -> None:
        self.items: list[tuple[type[RuleError], Problem]] = []

    def add(self, kind: type[RuleError], location: SourceLocation, message: str) -> None:
        self.items.append((kind, Problem(location, message)))

    def reporter(self, doc: Document) -> Callable[[tuple[str | int, ...], str, int], None]:
        def report(path: tuple[str | int, ...], message: str, column: int) -> None:
            loc = doc.locate(path)
            if column:
                column += 1 if doc.is_quoted(path) else 0
                loc = SourceLocation(loc.file, loc.line, loc.column + column, loc.path)
            self.add(ExpressionError, loc, message)

        return report

    def raise_if_any(self) -> None:
        if not self.items:
            return
        kinds = {kind for kind, _ in self.items}
        kind = kinds.pop() if len(kinds) == 1 else RuleError
        problems = [p for _, p in self.items]
        count = len(problems)
        raise kind(f"{count} problem{'s' if count != 1 else ''} in the rule pack", problems=problems)


def titles_of(titles: Any) -> tuple[tuple[str, str], ...]:
    if titles is None:
        return ()
    return tuple((lang, text) for lang, text in (("en", titles.en), ("zh", titles.zh)) if text)


def _meta(model: RuleFileBase, kind: str, doc: Document) -> Meta:
    return Meta(
        id=model.id,
        kind=kind,
        version=model.version,
        effective=Window(model.effective.from_, model.effective.until),
        title=titles_of(model.title),
        reference=model.reference,
        owner=model.owner,
        source=doc.locate(()),
        effective_source=doc.locate(("effective",)),
    )


class Lowering(CapLowering):
    """What lowering needs from pack.yaml: categories, frameworks, attributes."""

    def __init__(self, header: PackFile, doc: Document, problems: Problems) -> None:
        self.header = header
        self.doc = doc
        self.problems = problems
        self.frameworks: dict[str, tuple[str, ...]] = {
            name: tuple(level_key(v) for v in fw.levels) for name, fw in header.frameworks.items()
        }
        self.attributes: dict[str, FieldSpec] = {}
        self.categories: list[str] = header.category_names
        for name, attr in header.attributes.items():
            self.attributes[name] = FieldSpec(
                _ATTRIBUTE_TYPES[attr.type], tuple(attr.values or ()), attr.min, attr.max
            )
        self.maps = self.level_maps()
        #: Named lists (pack.yaml ``lists:``), each value checked against the field that uses it.
        self.lists: dict[str, tuple[object, ...]] = {k: tuple(v) for k, v in header.lists.items()}
        # Statuses named outside accreditation requirements (entitlement rules), checked with the rest.
        self.status_refs: list[StatusReq] = []
        # What an achievement condition or formula can read: its own fields and the worker's attributes.
        self.fact_fields: dict[str, FieldSpec] = {
            **ACHIEVEMENT_FIELDS,
            **{f"worker.{name}": spec for name, spec in self.attributes.items()},
        }

    def level_maps(self) -> tuple[LevelMap, ...]:
        out = []
        for index, lm in enumerate(self.header.level_maps):
            at = ("level_maps", index)
            for end, name in (("from", lm.from_), ("to", lm.to)):
                if name not in self.frameworks:
                    self.problems.add(
                        RuleSchemaError,
                        self.doc.locate((*at, end)),
                        f"unknown framework {name!r}" + suggest(name, list(self.frameworks)),
                    )
            pairs = []
            for key, value in lm.map.items():
                for fw, level in ((lm.from_, key), (lm.to, value)):
                    levels = self.frameworks.get(fw)
                    if levels is not None and level_key(level) not in levels:
                        self.problems.add(
                            RuleSchemaError,
                            self.doc.locate((*at, "map", key)),
                            f"level {level!r} is not in framework {fw}",
                        )
                pairs.append((level_key(key), level_key(value)))
            out.append(LevelMap(lm.from_, lm.to, tuple(pairs)))
        return tuple(out)

    def condition(
        self, raw: Any, doc: Document, at: tuple[str | int, ...], fields: Any = None
    ) -> Condition | None:
        fields = self.fact_fields if fields is None else fields
        report = self.problems.reporter(doc)

        def taught(path: tuple[str | int, ...], message: str, column: int) -> None:
            if message.startswith("unknown operator 'list'"):
                message = "unknown operator 'list': a named list goes under in or not_in: {in: {list: NAME}}"
            elif message.startswith("unknown operator "):
                message = f"{message}; {OPERATOR_WORDS}"
            elif message.startswith("unknown field 'points'") and "points" not in fields:
                message += (
                    "; an achievement's own points can be tested only in a policy's achievement: requirement"
                )
            report(path, message, column)

        return parse_condition(raw, at, taught, fields=fields, frameworks=self.frameworks, lists=self.lists)

    def category(self, raw: str | None, doc: Document, at: tuple[str | int, ...]) -> str | CategoryFrom:
        if raw is None:
            if self.header.default_category is None:
                self.problems.add(
                    RuleSchemaError,
                    doc.locate(at[:-1]),
                    "no category given and pack.yaml has no default_category",
                )
                return ""
            return self.header.default_category
        if raw.startswith("{") and raw.endswith("}"):
            path = raw[1:-1].strip()
            spec = self.fact_fields.get(path)
            if spec is None or spec.type not in (FieldType.TEXT, FieldType.ENUM):
                self.problems.add(
                    ExpressionError,
                    doc.locate(at),
                    f"category {raw!r}: {path!r} is not a text field of the achievement"
                    + suggest(path, list(self.fact_fields)),
                )
            elif self.header.default_category is None:
                self.problems.add(
                    RuleSchemaError,
                    doc.locate(at),
                    f"category {raw!r} comes from the record, so pack.yaml needs a default_category "
                    "for values that are not declared categories",
                )
            return CategoryFrom(path)
        if raw not in self.categories:
            self.problems.add(
                RuleSchemaError,
                doc.locate(at),
                f"unknown category {raw!r}" + suggest(raw, self.categories),
            )
        return raw

    def points(
        self, raw: Any, doc: Document, at: tuple[str | int, ...], when: Condition | None
    ) -> FixedPoints | FormulaPoints | LookupPoints | None:
        """Points (or an amount): a number, ``{formula: ...}`` or ``{lookup: ..., table: ...}``."""
        report = self.problems.reporter(doc)
        what = str(at[-1])
        if isinstance(raw, bool) or raw is None:
            report(at, f"{what} needs a number, {{formula: ...}} or {{lookup: ..., table: ...}}", 0)
            return None
        if isinstance(raw, int | Decimal):
            value = Decimal(raw)
            problem = number_problem(value)
            if problem:
                report(at, problem, 0)
                return None
            return FixedPoints(value)
        if not isinstance(raw, dict):
            report(at, f"{what} needs a number, {{formula: ...}} or {{lookup: ..., table: ...}}", 0)
            return None
        keys = set(raw)
        if keys == {"formula"}:
            formula = parse_formula(raw["formula"], (*at, "formula"), report, fields=self.fact_fields)
            return FormulaPoints(formula, str(raw["formula"])) if formula is not None else None
        if "lookup" in keys and "table" in keys and keys <= {"lookup", "table", "default"}:
            return self.lookup(raw, doc, at, when)
        extra = keys - {"formula", "lookup", "table", "default"}
        if extra:
            report((*at, sorted(extra)[0]), f"unknown key {sorted(extra)[0]!r} in points", 0)
        else:
            report(at, f"{what} takes {{formula: ...}} or {{lookup: PATH, table: {{...}}, default: N}}", 0)
        return None

    def lookup(
        self, raw: dict[str, Any], doc: Document, at: tuple[str | int, ...], when: Condition | None
    ) -> LookupPoints | None:
        report = self.problems.reporter(doc)
        path = raw["lookup"]
        ok = True
        if not isinstance(path, str) or path not in self.fact_fields:
            report(
                (*at, "lookup"),
                f"lookup: unknown field {path!r}" + suggest(str(path), list(self.fact_fields)),
                0,
            )
            ok = False
        table = raw["table"]
        if not isinstance(table, dict) or not table:
            report((*at, "table"), "table needs a mapping of values to points", 0)
            return None
        levels = self._framework_of(when) if path == "level.value" else None
        spec = self.fact_fields.get(path) if isinstance(path, str) else None
        rows = []
        seen: dict[str, str] = {}
        for key, value in table.items():
            if isinstance(value, bool) or not isinstance(value, int | Decimal):
                report((*at, "table", key), f"table[{key}] needs a number of points", 0)
                ok = False
                continue
            problem = number_problem(Decimal(value))
            if problem:
                report((*at, "table", key), problem, 0)
                ok = False
            if levels is not None and level_key(key) not in levels:
                report((*at, "table", key), f"level {key!r} is not in the framework ({', '.join(levels)})", 0)
                ok = False
            normal, why = table_key_of(str(key), spec)
            if why is not None:
                self.problems.add(ExpressionError, doc.locate((*at, "table", key), key=True), why)
                ok = False
                continue
            if normal in seen:
                self.problems.add(
                    RuleSchemaError,
                    doc.locate((*at, "table", key), key=True),
                    f"table key {key} is the same key as {seen[normal]} ({normal}); give each value one row",
                )
                ok = False
                continue
            seen[normal] = str(key)
            rows.append((normal, Decimal(value)))
        default = raw.get("default")
        if default is not None and (isinstance(default, bool) or not isinstance(default, int | Decimal)):
            report((*at, "default"), "default needs a number of points", 0)
            ok = False
        elif default is not None and (problem := number_problem(Decimal(default))):
            report((*at, "default"), problem, 0)
            ok = False
        if not ok:
            return None
        return LookupPoints(str(path), tuple(rows), Decimal(default) if default is not None else None)

    def numbered(self, rules: Sequence[R], doc: Document) -> Iterator[tuple[tuple[str | int, ...], R]]:
        """Each rule with its key path (``rules[i]``); a repeated rule id is reported."""
        seen: set[str] = set()
        for index, rule in enumerate(rules):
            at: tuple[str | int, ...] = ("rules", index)
            ident = getattr(rule, "id", "")
            if ident in seen:
                self.problems.add(RuleSchemaError, doc.locate((*at, "id")), f"duplicate rule id {ident!r}")
            seen.add(ident)
            yield at, rule

    def _framework_of(self, when: Condition | None) -> tuple[str, ...] | None:
        name = framework_named(when)
        return self.frameworks.get(name) if name is not None else None

    def equivalence(self, model: EquivalenceFile, doc: Document) -> Equivalence:
        rules = []
        for at, rule in self.numbered(model.rules, doc):
            before = len(self.problems.items)
            when = self.condition(rule.when, doc, (*at, "when"))
            target = rule.counts_as
            sets = tuple(
                (name, value)
                for name in ("type", "title", "occupation", "industry", "field")
                if (value := getattr(target, name)) is not None
            )
            framework = level = None
            level_map = None
            if target.level is None and not sets:
                self.problems.add(
                    RuleSchemaError, doc.locate((*at, "counts_as")), "counts_as changes nothing"
                )
            elif target.level is not None:
                where = (*at, "counts_as", "level")
                framework = target.level.framework
                if framework not in self.frameworks:
                    self.problems.add(
                        RuleSchemaError,
                        doc.locate((*where, "framework")),
                        f"unknown framework {framework!r}" + suggest(framework, list(self.frameworks)),
                    )
                elif target.level.value is not None:
                    level = level_key(target.level.value)
                    if level not in self.frameworks[framework]:
                        self.problems.add(
                            RuleSchemaError,
                            doc.locate((*where, "value")),
                            f"level {level!r} is not in framework {framework} "
                            f"({', '.join(self.frameworks[framework])})",
                        )
                elif when is not None:  # a when that failed to parse was reported already
                    level_map = self._map_for(framework_named(when), framework, doc, where)
            if when is not None and len(self.problems.items) == before:  # only sound rules enter the IR
                rules.append(
                    EquivalenceRule(rule.id, when, sets, framework, level, level_map, doc.locate(at))
                )
        return Equivalence(_meta(model, "equivalence", doc), tuple(rules))

    def _map_for(
        self, source: str | None, target: str, doc: Document, where: tuple[str | int, ...]
    ) -> LevelMap | None:
        if source is None:
            self.problems.add(
                RuleSchemaError,
                doc.locate((*where, "map")),
                "map: true needs level.framework in when, to know which level map to use",
            )
            return None
        for level_map in self.maps:
            if level_map.source_framework == source and level_map.target_framework == target:
                return level_map
        self.problems.add(
            RuleSchemaError,
            doc.locate((*where, "map")),
            f"pack.yaml has no level_maps entry from {source} to {target}",
        )
        return None

    def conversion(self, model: ConversionFile, doc: Document) -> Conversion:
        rules = []
        for at, rule in self.numbered(model.rules, doc):
            when = self.condition(rule.when, doc, (*at, "when")) if rule.when is not None else None
            points = self.points(rule.points, doc, (*at, "points"), when)
            category = self.category(rule.category, doc, (*at, "category"))
            if points is not None:
                rules.append(
                    ConversionRule(rule.id, when, points, category, doc.locate(at), titles_of(rule.title))
                )
        return Conversion(_meta(model, "conversion", doc), model.hit, tuple(rules))

    def adjustments(self, model: AdjustmentFile, doc: Document) -> AdjustmentSet:
        rules = []
        for at, rule in self.numbered(model.rules, doc):
            raw_when, key = (rule.when, "when") if rule.when is not None else (rule.applies_to, "applies_to")
            when = self.condition(raw_when, doc, (*at, key)) if raw_when is not None else None
            unless = self.condition(rule.unless, doc, (*at, "unless")) if rule.unless is not None else None
            action: Multiply | Cap | Expire | Dedupe | Exclude
            if rule.multiply is not None:
                action = Multiply(rule.multiply)
            elif rule.exclude is not None:
                reason = rule.exclude.reason  # plain text was read as {en: text}
                action = Exclude(titles_of(reason))
            elif rule.cap is not None:
                action = self.cap(rule.cap, doc, (*at, "cap"))
            elif rule.expire_after is not None:
                e = rule.expire_after
                action = Expire(e.years, e.months, e.days, e.field)
            else:
                assert rule.dedupe is not None
                self.known_fields(rule.dedupe.key, doc, (*at, "dedupe", "key"))
                action = Dedupe(tuple(rule.dedupe.key), rule.dedupe.keep)
            rules.append(AdjustmentRule(rule.id, when, action, doc.locate(at), unless))
        return AdjustmentSet(_meta(model, "adjustment", doc), tuple(rules))

    def eligibility(self, raw: Any, doc: Document) -> Requirement | None:
        """An ``eligible:`` requirement; its statuses are checked like a policy's."""
        if raw is None:
            return None
        requirement = self.requirement(raw, doc, ("eligible",))
        if requirement is not None:
            self.status_refs.extend(statuses_in(requirement))
        return requirement

    def entitlement(self, model: EntitlementFile, doc: Document) -> Entitlement:
        eligible = self.eligibility(model.eligible, doc)
        self.known_fields(model.once_per, doc, ("once_per",))
        rules = []
        for at, rule in self.numbered(model.rules, doc):
            when = self.condition(rule.when, doc, (*at, "when")) if rule.when is not None else None
            if rule.status is not None:
                self.status_refs.append(StatusReq(rule.status, doc.locate((*at, "status"))))
            amount = self.points(rule.amount, doc, (*at, "amount"), when)
            bonuses = []
            for number, bonus in enumerate(rule.bonus):
                cond = self.condition(bonus.when, doc, (*at, "bonus", number, "when"))
                if cond is not None:
                    bonuses.append(Bonus(cond, bonus.percent))
                    if rule.status is not None:
                        self.worker_only(condition_paths(cond), doc, (*at, "bonus", number, "when"))
            if rule.status is not None and amount is not None:
                self.worker_only(_points_paths(amount), doc, (*at, "amount"))
            if amount is not None:
                rules.append(
                    EntitlementRule(rule.id, when, rule.status, amount, tuple(bonuses), doc.locate(at))
                )
        window = model.claim_within
        limit = model.max_claims
        return Entitlement(
            meta=_meta(model, "entitlement", doc),
            currency=model.currency,
            decimals=model.decimals,
            eligible=eligible,
            claim_within=Expire(window.years, window.months, window.days) if window else None,
            once_per=tuple(model.once_per),
            max_claims=(ClaimLimit(limit.count, limit.per, _month_day(limit.year_starts)) if limit else None),
            rules=tuple(rules),
        )

    def transfer(self, model: TransferFile, doc: Document) -> Transfer:
        eligible = self.eligibility(model.eligible, doc)
        source = model.source
        where = None
        if source is not None and source.where is not None:
            where = self.condition(source.where, doc, ("from", "where"))
        categories = tuple(source.categories) if source is not None and source.categories else None
        for index, name in enumerate(categories or ()):
            if name not in self.categories:
                self.problems.add(
                    RuleSchemaError,
                    doc.locate(("from", "categories", index)),
                    f"unknown category {name!r}" + suggest(name, self.categories),
                )
        exemptions = []
        codes: set[str] = set()
        for index, exemption in enumerate(model.exemptions):
            at: tuple[str | int, ...] = ("exemptions", index)
            for number, course in enumerate(exemption.courses):
                if course.code in codes:
                    self.problems.add(
                        RuleSchemaError,
                        doc.locate((*at, "courses", number, "code")),
                        f"course {course.code} is exempted by two rules; exempt each course once",
                    )
                codes.add(course.code)
            when = self.condition(exemption.when, doc, (*at, "when"))
            if when is not None:
                courses = tuple(Course(c.code, titles_of(c.title), c.credits) for c in exemption.courses)
                exemptions.append(Exemption(exemption.id, when, courses, doc.locate(at)))
        return Transfer(
            meta=_meta(model, "transfer", doc),
            programme=model.programme.id,
            programme_title=titles_of(model.programme.title),
            programme_credits=size if isinstance(size := model.programme.credits, Decimal) else Decimal(0),
            eligible=eligible,
            rate=(model.rate.points, model.rate.credits) if model.rate else None,
            where=where,
            categories=categories,
            max_share=model.max_share,
            decimals=model.decimals,
            exemptions=tuple(exemptions),
            credits_from=self.worker_value(model.programme.credits, doc, ("programme", "credits", "ref")),
        )

    def worker_only(self, paths: Iterable[str], doc: Document, at: tuple[str | int, ...]) -> None:
        """Report an achievement field read by a status rule: it has no achievement, so the
        rule could never be priced (and would silently make no claim)."""
        for path in sorted(set(paths)):
            if not path.startswith("worker."):
                self.problems.add(
                    ExpressionError,
                    doc.locate(at),
                    f"a status rule has no achievement to read {path!r} from; "
                    "it can read only worker attributes (worker.NAME)",
                )

    def known_fields(self, paths: list[str], doc: Document, at: tuple[str | int, ...]) -> None:
        """Report each path that is not a field conditions can read."""
        for i, path in enumerate(paths):
            if path not in self.fact_fields:
                self.problems.add(
                    ExpressionError,
                    doc.locate((*at, i)),
                    f"unknown field {path!r}" + suggest(path, list(self.fact_fields)),
                )

    def policy(self, model: AccreditationFile, doc: Document) -> Policy | None:
        requires = self.requirement(model.requires, doc, ("requires",))
        if requires is None:
            return None
        return Policy(_meta(model, "accreditation", doc), model.grants, requires, doc.locate(("grants",)))

    def requirement(self, raw: Any, doc: Document, at: tuple[str | int, ...]) -> Requirement | None:
        where = doc.locate(at)
        if not isinstance(raw, dict) or not raw:
            self.problems.add(
                RuleSchemaError,
                where,
                f"a requirement is a mapping with one of: {', '.join(_REQUIREMENT_KEYS)}",
            )
            return None
        keys = [k for k in raw if k in _REQUIREMENT_KEYS]
        extra = [
            k for k in raw if k not in _REQUIREMENT_KEYS and not (k == "at_least" and "achievement" in raw)
        ]
        for key in extra:
            self.problems.add(
                RuleSchemaError,
                doc.locate((*at, key), key=True),
                f"unknown requirement {key!r}" + suggest(key, _REQUIREMENT_KEYS),
            )
        if len(keys) != 1:
            if not extra:
                self.problems.add(
                    RuleSchemaError,
                    where,
                    f"a requirement has exactly one of {', '.join(_REQUIREMENT_KEYS)} "
                    f"(found {', '.join(keys)}); combine several with all: or any:",
                )
            return None
        key = keys[0]
        value = raw[key]
        path = (*at, key)
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                self.problems.add(
                    RuleSchemaError, doc.locate(path), f"{key} needs a non-empty list of requirements"
                )
                return None
            items = [self.requirement(v, doc, (*path, i)) for i, v in enumerate(value)]
            if any(i is None for i in items):
                return None
            good = tuple(i for i in items if i is not None)
            return AllReq(good, where) if key == "all" else AnyReq(good, where)
        if key == "not":
            inner = self.requirement(value, doc, path)
            return NotReq(inner, where) if inner is not None else None
        if key == "achievement":  # decided after the ledger, so it may test the achievement's own points
            cond = self.condition(value, doc, path, fields={**self.fact_fields, **OWN_POINTS})
            at_least = raw.get("at_least", 1)
            if isinstance(at_least, bool) or not isinstance(at_least, int) or at_least < 1:
                self.problems.add(
                    RuleSchemaError, doc.locate((*at, "at_least")), "at_least needs a whole number ≥ 1"
                )
                return None
            return AchievementReq(cond, int(at_least), where) if cond is not None else None
        if key == "total":
            return self.total(value, doc, path)
        if key == "status":
            if not isinstance(value, str):
                self.problems.add(RuleSchemaError, doc.locate(path), "status needs the name of a status")
                return None
            return StatusReq(value, doc.locate(path))
        cond = self.condition(value, doc, path, fields=self.attributes)
        return WorkerReq(cond, where) if cond is not None else None

    def total(self, value: Any, doc: Document, path: tuple[str | int, ...]) -> TotalReq | None:
        if not isinstance(value, dict):
            self.problems.add(
                RuleSchemaError, doc.locate(path), "total needs {gte: N} or {category: NAME, gte: N}"
            )
            return None
        keys = ["gte", "category", "where"]
        bad = [k for k in value if k not in keys]
        for k in bad:
            self.problems.add(
                RuleSchemaError,
                doc.locate((*path, k), key=True),
                f"unknown key {k!r} in total (use {', '.join(keys)})" + suggest(k, keys),
            )
        where = self.condition(value["where"], doc, (*path, "where")) if "where" in value else None
        if "where" in value and where is None:
            return None
        gte = value.get("gte")
        if isinstance(gte, bool) or not isinstance(gte, int | Decimal):
            self.problems.add(
                RuleSchemaError, doc.locate((*path, "gte")), "total needs gte: a number of points"
            )
            return None
        if problem := number_problem(Decimal(gte)):
            self.problems.add(RuleSchemaError, doc.locate((*path, "gte")), f"total gte: {problem}")
            return None
        category = value.get("category")
        if category is not None and category not in self.categories:
            self.problems.add(
                RuleSchemaError,
                doc.locate((*path, "category")),
                f"unknown category {category!r}" + suggest(str(category), self.categories),
            )
            return None
        if bad:
            return None
        return TotalReq(Decimal(gte), category, doc.locate(path), where)
