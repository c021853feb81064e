"""Load a rule pack folder: read YAML, validate with pydantic, lower to the IR.

Every problem in every file is collected and raised together, each located
at FILE:LINE:COL with its key path (OPA's ``opa check`` habit).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar, cast

from pydantic import ValidationError

from ._errors import ExpressionError, Problem, RuleError, RuleSchemaError, RuleSyntaxError
from ._expr import (
    ACHIEVEMENT_FIELDS,
    AllOf,
    Compare,
    Condition,
    FieldSpec,
    FieldType,
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
    Cap,
    CategoryFrom,
    Conversion,
    ConversionRule,
    Dedupe,
    Expire,
    FixedPoints,
    FormulaPoints,
    LevelMap,
    LookupPoints,
    Meta,
    Multiply,
    NotReq,
    Pack,
    Policy,
    Requirement,
    Scale,
    StatusReq,
    TotalReq,
    Versions,
    Window,
    WorkerReq,
)
from ._limits import DEFAULT_LIMITS, Limits, number_problem
from ._models import problems_of
from ._packfiles import (
    RULE_FILE_MODELS,
    AccreditationFile,
    AdjustmentFile,
    ConversionFile,
    PackFile,
    RuleFileBase,
)
from ._source import SourceLocation
from ._yaml import Document, load_documents

__all__ = ["load_pack"]

_ATTRIBUTE_TYPES = {
    "integer": FieldType.INTEGER,
    "decimal": FieldType.NUMBER,
    "text": FieldType.TEXT,
    "enum": FieldType.ENUM,
    "boolean": FieldType.BOOL,
    "date": FieldType.DATE,
}
_REQUIREMENT_KEYS = ("all", "any", "not", "achievement", "total", "status", "worker")

F = TypeVar("F", Conversion, AdjustmentSet, Policy)


@dataclass
class _Loaded:
    """One validated rule file document, before lowering."""

    doc: Document
    model: RuleFileBase
    folder: str


class _Problems:
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


def _read(path: Path, shown: str, limits: Limits, problems: _Problems) -> list[Document]:
    try:
        size = path.stat().st_size
        if size > limits.rule_file_bytes:
            problems.add(
                RuleSyntaxError,
                SourceLocation(shown),
                f"rule file is {size:,} bytes; the limit is {limits.rule_file_bytes:,}",
            )
            return []
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.add(RuleSyntaxError, SourceLocation(shown), "rule file is not UTF-8 text")
        return []
    try:
        return [
            d for d in load_documents(text, shown, error=RuleSyntaxError, limits=limits) if d.data is not None
        ]
    except RuleSyntaxError as exc:
        problems.items.extend((RuleSyntaxError, p) for p in exc.problems)
        return []


def _pack_files(root: Path, shown_root: str, problems: _Problems) -> list[tuple[Path, str, str]]:
    """(path, shown path, folder) of every rule file, sorted; refuse links that leave the pack."""
    real_root = root.resolve()
    found: list[tuple[Path, str, str]] = []
    for folder in ("conversions", "adjustments", "policies"):
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            shown = os.path.join(shown_root, str(path.relative_to(root)))
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                problems.add(RuleSyntaxError, SourceLocation(shown), "a link out of the pack is not allowed")
                continue
            if path.suffix in (".yaml", ".yml") and path.is_file():
                found.append((path, shown, folder))
    for path in sorted(root.glob("*.y*ml")):
        if path.name not in ("pack.yaml", "pack.yml"):
            problems.add(
                RuleSchemaError,
                SourceLocation(os.path.join(shown_root, path.name)),
                "rule files belong in conversions/, adjustments/ or policies/",
            )
    return found


def load_pack(directory: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS) -> Pack:
    """Load, validate and compile the rule pack in ``directory``.

    :raises RuleError: with every problem found, each at FILE:LINE:COL.
    """
    root = Path(directory)
    shown_root = str(directory)
    problems = _Problems()
    if not root.is_dir():
        raise RuleError("not a rule pack folder", location=SourceLocation(shown_root))
    pack_path = root / "pack.yaml"
    shown_pack = os.path.join(shown_root, "pack.yaml")
    if not pack_path.is_file():
        raise RuleError("a rule pack needs pack.yaml", location=SourceLocation(shown_pack))
    if pack_path.is_symlink() and not pack_path.resolve().is_relative_to(root.resolve()):
        raise RuleSyntaxError("a link out of the pack is not allowed", location=SourceLocation(shown_pack))
    pack_docs = _read(pack_path, shown_pack, limits, problems)
    problems.raise_if_any()
    if len(pack_docs) != 1:
        raise RuleSchemaError("pack.yaml must hold one document", location=SourceLocation(shown_pack))
    pack_doc = pack_docs[0]
    header = _validate(PackFile, pack_doc, problems, "pack.yaml")
    problems.raise_if_any()
    assert header is not None
    context = _Context(header, pack_doc, problems)

    loaded: list[_Loaded] = []
    canonical: dict[str, Any] = {"pack.yaml": [pack_doc.data]}
    for path, shown, folder in _pack_files(root, shown_root, problems):
        docs = _read(path, shown, limits, problems)
        canonical[str(path.relative_to(root))] = [d.data for d in docs]
        for doc in docs:
            model = _validate_rule_file(doc, folder, path, problems)
            if model is not None:
                loaded.append(_Loaded(doc, model, folder))
    conversions: list[Conversion] = []
    adjustments: list[AdjustmentSet] = []
    policies: list[Policy] = []
    for item in loaded:
        if isinstance(item.model, ConversionFile):
            conversions.append(context.conversion(item.model, item.doc))
        elif isinstance(item.model, AdjustmentFile):
            adjustments.append(context.adjustments(item.model, item.doc))
        elif isinstance(item.model, AccreditationFile):
            policy = context.policy(item.model, item.doc)
            if policy is not None:
                policies.append(policy)
    grouped_policies = _group(policies, problems)
    declared = {
        item.model.grants: item.model.id for item in loaded if isinstance(item.model, AccreditationFile)
    }
    _check_statuses(grouped_policies, declared, problems)
    pack = Pack(
        name=header.name,
        title=_titles(header.title),
        scale=Scale(
            unit=header.scale.unit,
            decimals=header.scale.decimals,
            rounding=header.scale.rounding,
            definition=_titles(header.scale.definition),
        ),
        convert_at=header.convert_at,
        categories=tuple(header.categories),
        default_category=header.default_category,
        frameworks=tuple(context.frameworks.items()),
        level_maps=context.level_maps(),
        attributes=tuple(context.attributes.items()),
        conversions=_group(conversions, problems),
        adjustments=_group(adjustments, problems),
        policies=grouped_policies,
        fingerprint=_fingerprint(canonical),
        root=shown_root,
    )
    problems.raise_if_any()
    return pack


def _validate(model: type[Any], doc: Document, problems: _Problems, what: str) -> Any:
    if not isinstance(doc.data, dict):
        problems.add(RuleSchemaError, doc.locate(()), f"{what} must be a mapping of keys to values")
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        for problem in problems_of(exc, doc, model):
            problems.items.append((RuleSchemaError, problem))
        return None


def _validate_rule_file(doc: Document, folder: str, path: Path, problems: _Problems) -> RuleFileBase | None:
    data = doc.data
    if not isinstance(data, dict):
        problems.add(RuleSchemaError, doc.locate(()), "a rule file must be a mapping of keys to values")
        return None
    kind = data.get("kind")
    if kind not in RULE_FILE_MODELS:
        where = doc.locate(("kind",)) if "kind" in data else doc.locate(())
        known = [k for k, (f, _) in RULE_FILE_MODELS.items() if f == folder]
        message = (
            "missing required key 'kind'"
            if kind is None
            else f"kind: {kind!r} is not a rule kind here"
            + suggest(str(kind), list(RULE_FILE_MODELS))
            + (f"; {folder}/ holds {', '.join(known)}" if known else "")
        )
        problems.add(RuleSchemaError, where, message)
        return None
    expected_folder, model = RULE_FILE_MODELS[kind]
    if expected_folder != folder:
        problems.add(RuleSchemaError, doc.locate(("kind",)), f"a {kind} file belongs in {expected_folder}/")
        return None
    result = _validate(model, doc, problems, "a rule file")
    if result is None:
        return None
    stem = path.stem.split("@", 1)[0]
    if result.id != stem:
        problems.add(
            RuleSchemaError,
            doc.locate(("id",)),
            f"id {result.id!r} must match the file name {path.name!r} "
            "(name versions id.yaml, id@VERSION.yaml, or as several documents in one file)",
        )
    return cast(RuleFileBase, result)


def _titles(titles: Any) -> tuple[tuple[str, str], ...]:
    if titles is None:
        return ()
    return tuple((lang, text) for lang, text in (("en", titles.en), ("zh", titles.zh)) if text)


def _meta(model: RuleFileBase, kind: str, doc: Document) -> Meta:
    return Meta(
        id=model.id,
        kind=kind,
        version=model.version,
        effective=Window(model.effective.from_, model.effective.until),
        title=_titles(model.title),
        reference=model.reference,
        owner=model.owner,
        source=doc.locate(()),
        effective_source=doc.locate(("effective",)),
    )


class _Context:
    """What lowering needs from pack.yaml: categories, frameworks, attributes."""

    def __init__(self, header: PackFile, doc: Document, problems: _Problems) -> None:
        self.header = header
        self.doc = doc
        self.problems = problems
        self.frameworks: dict[str, tuple[str, ...]] = {
            name: tuple(level_key(v) for v in fw.levels) for name, fw in header.frameworks.items()
        }
        self.attributes: dict[str, FieldSpec] = {}
        for name, attr in header.attributes.items():
            self.attributes[name] = FieldSpec(
                _ATTRIBUTE_TYPES[attr.type], tuple(attr.values or ()), attr.min, attr.max
            )

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
        self, raw: Any, doc: Document, at: tuple[str | int, ...], fields: Any = ACHIEVEMENT_FIELDS
    ) -> Condition | None:
        return parse_condition(
            raw, at, self.problems.reporter(doc), fields=fields, frameworks=self.frameworks
        )

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
            spec = ACHIEVEMENT_FIELDS.get(path)
            if spec is None or spec.type not in (FieldType.TEXT, FieldType.ENUM):
                self.problems.add(
                    ExpressionError,
                    doc.locate(at),
                    f"category {raw!r}: {path!r} is not a text field of the achievement"
                    + suggest(path, list(ACHIEVEMENT_FIELDS)),
                )
            elif self.header.default_category is None:
                self.problems.add(
                    RuleSchemaError,
                    doc.locate(at),
                    f"category {raw!r} comes from the record, so pack.yaml needs a default_category "
                    "for values that are not declared categories",
                )
            return CategoryFrom(path)
        if raw not in self.header.categories:
            self.problems.add(
                RuleSchemaError,
                doc.locate(at),
                f"unknown category {raw!r}" + suggest(raw, self.header.categories),
            )
        return raw

    def points(
        self, raw: Any, doc: Document, at: tuple[str | int, ...], when: Condition | None
    ) -> FixedPoints | FormulaPoints | LookupPoints | None:
        report = self.problems.reporter(doc)
        if isinstance(raw, bool) or raw is None:
            report(at, "points needs a number, {formula: ...} or {lookup: ..., table: ...}", 0)
            return None
        if isinstance(raw, int | Decimal):
            value = Decimal(raw)
            problem = number_problem(value)
            if problem:
                report(at, problem, 0)
                return None
            return FixedPoints(value)
        if not isinstance(raw, dict):
            report(at, "points needs a number, {formula: ...} or {lookup: ..., table: ...}", 0)
            return None
        keys = set(raw)
        if keys == {"formula"}:
            formula = parse_formula(raw["formula"], (*at, "formula"), report, fields=ACHIEVEMENT_FIELDS)
            return FormulaPoints(formula, str(raw["formula"])) if formula is not None else None
        if "lookup" in keys and "table" in keys and keys <= {"lookup", "table", "default"}:
            return self.lookup(raw, doc, at, when)
        extra = keys - {"formula", "lookup", "table", "default"}
        if extra:
            report((*at, sorted(extra)[0]), f"unknown key {sorted(extra)[0]!r} in points", 0)
        else:
            report(at, "points takes {formula: ...} or {lookup: PATH, table: {...}, default: N}", 0)
        return None

    def lookup(
        self, raw: dict[str, Any], doc: Document, at: tuple[str | int, ...], when: Condition | None
    ) -> LookupPoints | None:
        report = self.problems.reporter(doc)
        path = raw["lookup"]
        ok = True
        if not isinstance(path, str) or path not in ACHIEVEMENT_FIELDS:
            report(
                (*at, "lookup"),
                f"lookup: unknown field {path!r}" + suggest(str(path), list(ACHIEVEMENT_FIELDS)),
                0,
            )
            ok = False
        table = raw["table"]
        if not isinstance(table, dict) or not table:
            report((*at, "table"), "table needs a mapping of values to points", 0)
            return None
        levels = self._framework_of(when) if path == "level.value" else None
        rows = []
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
            rows.append((level_key(key), Decimal(value)))
        default = raw.get("default")
        if default is not None and (isinstance(default, bool) or not isinstance(default, int | Decimal)):
            report((*at, "default"), "default needs a number of points", 0)
            ok = False
        if not ok:
            return None
        return LookupPoints(str(path), tuple(rows), Decimal(default) if default is not None else None)

    def _framework_of(self, when: Condition | None) -> tuple[str, ...] | None:
        items = when.items if isinstance(when, AllOf) else (when,) if when is not None else ()
        for item in items:
            if isinstance(item, Compare) and item.path == "level.framework" and item.op == "eq":
                return self.frameworks.get(str(item.value))
        return None

    def conversion(self, model: ConversionFile, doc: Document) -> Conversion:
        rules = []
        seen: set[str] = set()
        for index, rule in enumerate(model.rules):
            at: tuple[str | int, ...] = ("rules", index)
            if rule.id in seen:
                self.problems.add(RuleSchemaError, doc.locate((*at, "id")), f"duplicate rule id {rule.id!r}")
            seen.add(rule.id)
            when = self.condition(rule.when, doc, (*at, "when")) if rule.when is not None else None
            points = self.points(rule.points, doc, (*at, "points"), when)
            category = self.category(rule.category, doc, (*at, "category"))
            if points is not None:
                rules.append(ConversionRule(rule.id, when, points, category, doc.locate(at)))
        return Conversion(_meta(model, "conversion", doc), model.hit, tuple(rules))

    def adjustments(self, model: AdjustmentFile, doc: Document) -> AdjustmentSet:
        rules = []
        seen: set[str] = set()
        for index, rule in enumerate(model.rules):
            at: tuple[str | int, ...] = ("rules", index)
            if rule.id in seen:
                self.problems.add(RuleSchemaError, doc.locate((*at, "id")), f"duplicate rule id {rule.id!r}")
            seen.add(rule.id)
            raw_when, key = (rule.when, "when") if rule.when is not None else (rule.applies_to, "applies_to")
            when = self.condition(raw_when, doc, (*at, key)) if raw_when is not None else None
            action: Multiply | Cap | Expire | Dedupe
            if rule.multiply is not None:
                action = Multiply(rule.multiply)
            elif rule.cap is not None:
                month, day = (int(p) for p in rule.cap.year_starts.split("-"))
                action = Cap(rule.cap.max, rule.cap.per, (month, day))
            elif rule.expire_after is not None:
                e = rule.expire_after
                action = Expire(e.years, e.months, e.days, e.field)
            else:
                assert rule.dedupe is not None
                for i, path in enumerate(rule.dedupe.key):
                    if path not in ACHIEVEMENT_FIELDS:
                        self.problems.add(
                            ExpressionError,
                            doc.locate((*at, "dedupe", "key", i)),
                            f"unknown field {path!r}" + suggest(path, list(ACHIEVEMENT_FIELDS)),
                        )
                action = Dedupe(tuple(rule.dedupe.key), rule.dedupe.keep)
            rules.append(AdjustmentRule(rule.id, when, action, doc.locate(at)))
        return AdjustmentSet(_meta(model, "adjustment", doc), tuple(rules))

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
        if key == "achievement":
            cond = self.condition(value, doc, path)
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
        bad = [k for k in value if k not in ("gte", "category")]
        for k in bad:
            self.problems.add(
                RuleSchemaError,
                doc.locate((*path, k), key=True),
                f"unknown key {k!r} in total (use gte, category)" + suggest(k, ["gte", "category"]),
            )
        gte = value.get("gte")
        if isinstance(gte, bool) or not isinstance(gte, int | Decimal):
            self.problems.add(
                RuleSchemaError, doc.locate((*path, "gte")), "total needs gte: a number of points"
            )
            return None
        category = value.get("category")
        if category is not None and category not in self.header.categories:
            self.problems.add(
                RuleSchemaError,
                doc.locate((*path, "category")),
                f"unknown category {category!r}" + suggest(str(category), self.header.categories),
            )
            return None
        if bad:
            return None
        return TotalReq(Decimal(gte), category, doc.locate(path))


def _group(items: Iterable[F], problems: _Problems) -> tuple[Versions[F], ...]:
    """Group versions by id, ordered by start; overlapping windows are an error."""
    by_id: dict[str, list[F]] = {}
    for item in items:
        by_id.setdefault(item.meta.id, []).append(item)
    out = []
    for ident in sorted(by_id):
        versions = sorted(by_id[ident], key=lambda v: (v.meta.effective.start, v.meta.source.file))
        for earlier, later in itertools.pairwise(versions):
            if earlier.meta.effective.overlaps(later.meta.effective):
                problems.add(
                    RuleSchemaError,
                    later.meta.effective_source,
                    f"{ident} version {later.meta.version} ({later.meta.effective}) overlaps version "
                    f"{earlier.meta.version} ({earlier.meta.effective}) at {earlier.meta.source}",
                )
        kinds = {v.meta.kind for v in versions}
        if len(kinds) > 1:
            problems.add(
                RuleSchemaError,
                versions[-1].meta.source,
                f"{ident} is used by files of kinds {sorted(kinds)}",
            )
        out.append(Versions(ident, tuple(versions)))
    return tuple(out)


def _statuses_required(req: Requirement) -> Iterable[StatusReq]:
    if isinstance(req, StatusReq):
        yield req
    elif isinstance(req, AllReq | AnyReq):
        for item in req.items:
            yield from _statuses_required(item)
    elif isinstance(req, NotReq):
        yield from _statuses_required(req.item)


def _check_statuses(
    policies: tuple[Versions[Policy], ...], declared: dict[str, str], problems: _Problems
) -> None:
    """Every required status is granted by exactly one policy; no cycles.

    ``declared`` maps statuses to the policies whose files declare them, even
    policies that failed to load, so one broken file does not cause follow-on errors.
    """
    granted_by: dict[str, str] = {}
    for group in policies:
        for version in group.items:
            other = granted_by.get(version.grants)
            if other is not None and other != group.id:
                problems.add(
                    RuleSchemaError,
                    version.grants_source,
                    f"status {version.grants!r} is granted by both {other} and {group.id}; "
                    "a status has one policy (use any: in that policy for alternatives)",
                )
            granted_by.setdefault(version.grants, group.id)
    edges: dict[str, set[str]] = {}
    files: dict[str, str] = {}
    where: dict[tuple[str, str], SourceLocation] = {}
    for group in policies:
        for version in group.items:
            files[group.id] = version.meta.source.file
            for req in _statuses_required(version.requires):
                owner = granted_by.get(req.status)
                if owner is None and req.status in declared:
                    continue
                if owner is None:
                    problems.add(
                        RuleSchemaError,
                        req.source,
                        f"status {req.status!r} is granted by no policy"
                        + suggest(req.status, list(granted_by)),
                    )
                    continue
                edges.setdefault(group.id, set()).add(owner)
                where.setdefault((group.id, owner), req.source)
    for cycle in _cycles(edges):
        names = " -> ".join([*cycle, cycle[0]])
        first = cycle[0]
        step = next(
            (where[(first, other)] for other in cycle if (first, other) in where),
            SourceLocation(files[first]),
        )
        problems.add(
            RuleSchemaError,
            step,
            f"policies require each other's statuses in a cycle: {names} "
            f"(files: {', '.join(files[c] for c in cycle)})",
        )


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected group of policies that can reach itself (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                group.append(item)
                if item == node:
                    break
            if len(group) > 1 or node in edges.get(node, ()):
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    text = getattr(value, "text", None)
    if isinstance(text, str):  # numbers and dates as written: version 2024.10 is not 2024.1
        return {"scalar": text}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return {"scalar": str(value)}
    return value


def _fingerprint(canonical: dict[str, Any]) -> str:
    text = json.dumps(_canonical(canonical), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
