"""Conditions and formulas: parsed into typed trees, type-checked at load time.

Conditions are structured YAML (mappings of field paths to values or operator
maps, combined with ``all``/``any``/``not``); formulas are a small arithmetic
language (``min(credits.value * 2, 30)``) parsed here — never ``eval``'d.

This module knows nothing of YAML files or errors: problems are handed to a
``report(path, message, column)`` callback so the caller can locate them.
Only the standard library is imported.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal, localcontext
from typing import Any, Literal, TypeAlias, get_args

from ._limits import number_problem

__all__ = [
    "ACHIEVEMENT_FIELDS",
    "AllOf",
    "AnyOf",
    "BinOp",
    "Call",
    "Compare",
    "Condition",
    "Exists",
    "FieldRef",
    "FieldSpec",
    "FieldType",
    "Formula",
    "Neg",
    "Not",
    "Number",
    "Report",
    "condition_paths",
    "formula_paths",
    "level_key",
    "parse_condition",
    "parse_formula",
    "suggest",
    "table_key",
]

Path: TypeAlias = tuple[str | int, ...]
Report: TypeAlias = Callable[[Path, str, int], None]


class FieldType(enum.Enum):
    """The static type of a fact a condition or formula may read."""

    TEXT = "text"
    NUMBER = "number"
    INTEGER = "integer"
    DATE = "date"
    BOOL = "boolean"
    LEVEL = "level"
    ENUM = "enum"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A readable fact: its type and, for enums, its allowed values."""

    type: FieldType
    values: tuple[str, ...] = ()
    low: Decimal | None = None
    high: Decimal | None = None


AchievementType = Literal["course", "certificate", "formal_credit", "qualification", "award"]

#: Every achievement field a condition or formula may name (SPEC §3).
ACHIEVEMENT_FIELDS: Mapping[str, FieldSpec] = {
    "id": FieldSpec(FieldType.TEXT),
    "type": FieldSpec(FieldType.ENUM, get_args(AchievementType)),
    "title": FieldSpec(FieldType.TEXT),
    "provider.id": FieldSpec(FieldType.TEXT),
    "provider.name": FieldSpec(FieldType.TEXT),
    "provider.accredited": FieldSpec(FieldType.BOOL),
    "provider.jurisdiction": FieldSpec(FieldType.TEXT),
    "completed": FieldSpec(FieldType.DATE),
    "hours": FieldSpec(FieldType.NUMBER),
    "industry": FieldSpec(FieldType.TEXT),
    "assessment.passed": FieldSpec(FieldType.BOOL),
    "assessment.score": FieldSpec(FieldType.NUMBER),
    "assessment.attendance": FieldSpec(FieldType.NUMBER),
    "occupation": FieldSpec(FieldType.TEXT),
    "level.framework": FieldSpec(FieldType.TEXT),
    "level.value": FieldSpec(FieldType.LEVEL),
    "credits.value": FieldSpec(FieldType.NUMBER),
    "credits.system": FieldSpec(FieldType.TEXT),
    "field": FieldSpec(FieldType.TEXT),
    "expires": FieldSpec(FieldType.DATE),
    "issuer.id": FieldSpec(FieldType.TEXT),
    "issuer.jurisdiction": FieldSpec(FieldType.TEXT),
}

ORDERED = frozenset({"gt", "gte", "lt", "lte", "between"})
TEXT_OPS = ("contains", "starts_with")  # tests on text: see _conditions.TEXT_TESTS
OPERATORS = ("eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "between", "exists", *TEXT_OPS)
_TEXTUAL = (FieldType.TEXT, FieldType.ENUM)
COMBINATORS = ("all", "any", "not")


def suggest(word: str, choices: Iterator[str] | tuple[str, ...] | list[str]) -> str:
    """' (did you mean X?)' when a close match exists (a different case first), else ''."""
    options = list(choices)
    match = [c for c in options if c.casefold() == word.casefold()] or difflib.get_close_matches(
        word, options, n=1, cutoff=0.6
    )
    return f" (did you mean {match[0]!r}?)" if match else ""


def table_key(value: object) -> str:
    """A value as a lookup-table key, for table keys and record values alike: ``true``,
    numbers without trailing zeros (``2.50`` and ``2.5`` are ``2.5``), ``2024-01-01``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        text = format(Decimal(value), "f")  # context-free: a caller's precision never changes a key
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return "0" if text in ("", "-0") else text
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def level_key(value: object) -> str:
    """Levels compare as text keys: ``3`` and ``"3"`` are the same level."""
    text = getattr(value, "text", None)
    if isinstance(text, str):
        return text
    return str(value)


# --- conditions -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Compare:
    """``path OP value``; for ordered level comparisons ``order`` is the framework's levels."""

    path: str
    op: str
    value: Any  # text, Decimal, date or bool; a tuple of them for in / not_in / between
    at: Path
    order: tuple[str, ...] = ()
    ref: str | None = None  # compare with another fact ({ref: worker.programme.major}) instead of value
    fold: bool = False  # ignore_case: the fact is case-folded, and ``value`` was folded when parsed


@dataclass(frozen=True, slots=True)
class Exists:
    """``path`` is present (or, with ``present=False``, absent)."""

    path: str
    present: bool
    at: Path


@dataclass(frozen=True, slots=True)
class AllOf:
    """Every item holds."""

    items: tuple[Condition, ...]
    at: Path


@dataclass(frozen=True, slots=True)
class AnyOf:
    """At least one item holds."""

    items: tuple[Condition, ...]
    at: Path


@dataclass(frozen=True, slots=True)
class Not:
    """The item does not hold."""

    item: Condition
    at: Path


Condition = Compare | Exists | AllOf | AnyOf | Not


def _coerce(value: object, spec: FieldSpec, path: Path, report: Report, what: str) -> tuple[bool, Any]:
    """Check one literal against a field's type; return (ok, normalised value)."""
    kind = spec.type
    if kind in (FieldType.TEXT, FieldType.ENUM):
        text = value if isinstance(value, str) else getattr(value, "text", None)
        if not isinstance(text, str) or isinstance(value, bool):
            report(path, f"{what} needs text, got {_show(value)}", 0)
            return False, None
        if kind is FieldType.ENUM and text not in spec.values:
            report(
                path,
                f"{what}: {text!r} is not one of {', '.join(spec.values)}" + suggest(text, spec.values),
                0,
            )
            return False, None
        return True, str(text)
    if kind in (FieldType.NUMBER, FieldType.INTEGER):
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            report(path, f"{what} needs a number, got {_show(value)}", 0)
            return False, None
        number = Decimal(value) if isinstance(value, int) else Decimal(str(value))
        problem = number_problem(number)
        if problem:
            report(path, f"{what}: {problem}", 0)
            return False, None
        return True, number
    if kind is FieldType.DATE:
        if isinstance(value, str):  # a quoted date reads as the same date
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                report(path, f"{what}: {value!r} is not a real date (YYYY-MM-DD)", 0)
                return False, None
        if not isinstance(value, dt.date):
            report(path, f"{what} needs a date (YYYY-MM-DD), got {_show(value)}", 0)
            return False, None
        return True, dt.date(value.year, value.month, value.day)
    if kind is FieldType.BOOL:
        if not isinstance(value, bool):
            report(path, f"{what} needs true or false, got {_show(value)}", 0)
            return False, None
        return True, value
    # LEVEL: any scalar names a level; the framework decides whether it exists.
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        report(path, f"{what} needs a level, got {_show(value)}", 0)
        return False, None
    return True, level_key(value)


def _show(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(getattr(value, "text", value))


def parse_condition(
    raw: object,
    at: Path,
    report: Report,
    *,
    fields: Mapping[str, FieldSpec],
    frameworks: Mapping[str, tuple[str, ...]],
    lists: Mapping[str, tuple[object, ...]] | None = None,
) -> Condition | None:
    """Parse a structured condition, reporting every problem found.

    :param raw: the YAML value (a mapping).
    :param at: its key path in the document, for locations.
    :param report: called with (path, message, column) for each problem.
    :param fields: the facts this condition may read, with their types.
    :param frameworks: level frameworks, each with its levels lowest first.
    :param lists: named lists (pack.yaml ``lists:``) that ``in``/``not_in`` take as ``{list: NAME}``.
    :return: the condition tree, or None when any problem was reported.
    """
    errors_before = [0]

    def counting(path: Path, message: str, column: int) -> None:
        errors_before[0] += 1
        report(path, message, column)

    result = _parse_mapping(raw, at, counting, fields, frameworks, lists or {})
    return result if errors_before[0] == 0 else None


def _parse_mapping(
    raw: object,
    at: Path,
    report: Report,
    fields: Mapping[str, FieldSpec],
    frameworks: Mapping[str, tuple[str, ...]],
    lists: Mapping[str, tuple[object, ...]],
) -> Condition | None:
    if not isinstance(raw, dict) or not raw:
        report(at, f"a condition must be a non-empty mapping of fields to values, got {_show(raw)}", 0)
        return None
    items: list[Condition] = []
    framework = raw.get("level.framework")
    framework_name = framework if isinstance(framework, str) else None
    for key, value in raw.items():
        path = (*at, key)
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                report(path, f"{key} needs a non-empty list of conditions", 0)
                continue
            parts = [
                _parse_mapping(v, (*path, i), report, fields, frameworks, lists) for i, v in enumerate(value)
            ]
            good = tuple(p for p in parts if p is not None)
            items.append(AllOf(good, path) if key == "all" else AnyOf(good, path))
        elif key == "not":
            inner = _parse_mapping(value, path, report, fields, frameworks, lists)
            if inner is not None:
                items.append(Not(inner, path))
        elif key in fields:
            items.extend(_parse_field(key, value, path, report, fields, framework_name, frameworks, lists))
        else:
            report(
                path,
                f"unknown field {key!r}" + suggest(key, [*fields, *COMBINATORS]),
                0,
            )
    if len(items) == 1:
        return items[0]
    return AllOf(tuple(items), at)


def _parse_field(
    name: str,
    value: object,
    path: Path,
    report: Report,
    fields: Mapping[str, FieldSpec],
    framework: str | None,
    frameworks: Mapping[str, tuple[str, ...]],
    lists: Mapping[str, tuple[object, ...]],
) -> list[Condition]:
    spec = fields[name]
    ops: dict[str, object]
    fold = isinstance(value, dict) and value.get("ignore_case") is True
    if isinstance(value, dict) and "ignore_case" in value:
        flag, why = value["ignore_case"], ""
        if spec.type not in _TEXTUAL or not isinstance(flag, bool) or len(value) == 1:
            why = f"compares text; {name} is {spec.type.value}" if spec.type not in _TEXTUAL else why
            why = why or (f"needs true or false, got {_show(flag)}" if not isinstance(flag, bool) else "")
            report(
                (*path, "ignore_case"), f"ignore_case {why or 'goes beside a test: eq, in, contains...'}", 0
            )
            return []
        value = {k: v for k, v in value.items() if k != "ignore_case"}
    if isinstance(value, dict) and set(value) == {"ref"}:
        ops = {"eq": value}  # field: {ref: other} compares for equality, like field: value
    elif isinstance(value, dict):
        ops = value
        if not ops:
            report(path, f"{name}: an empty operator map tests nothing", 0)
            return []
    elif isinstance(value, list):
        report(path, f"{name}: a list is ambiguous here; write {{in: [...]}}", 0)
        return []
    else:
        ops = {"eq": value}
    out: list[Condition] = []
    for op, operand in ops.items():
        op_path = path if not isinstance(value, dict) else (*path, op)
        if op not in OPERATORS:
            report(op_path, f"unknown operator {op!r}" + suggest(op, OPERATORS), 0)
            continue
        if op == "exists":
            if not isinstance(operand, bool):
                report(op_path, f"exists needs true or false, got {_show(operand)}", 0)
                continue
            out.append(Exists(name, operand, op_path))
            continue
        order: tuple[str, ...] = ()
        if op in TEXT_OPS:
            ok, text = _coerce(operand, FieldSpec(FieldType.TEXT), op_path, report, f"{name} {op}")
            if ok and spec.type not in _TEXTUAL:
                report(op_path, f"{op} tests text; {name} is {spec.type.value}", 0)
            elif ok:
                out.append(Compare(name, op, text.casefold() if fold else text, op_path, fold=fold))
            continue
        if isinstance(operand, dict) and set(operand) == {"list"} and op in ("in", "not_in"):
            listed = lists.get(operand["list"]) if isinstance(operand["list"], str) else None
            if listed is None:
                hint = (
                    suggest(str(operand["list"]), list(lists))
                    or f" (pack.yaml lists: {', '.join(lists) or 'none'})"
                )
                report((*op_path, "list"), f"unknown list {operand['list']!r}" + hint, 0)
                continue
            operand, op_path = list(listed), (*op_path, "list")
        if isinstance(operand, dict) and set(operand) == {"ref"}:
            reference = _reference(name, op, operand["ref"], spec, fields, op_path, report)
            if reference is not None:
                out.append(Compare(name, op, None, op_path, (), reference, fold=fold))
            continue
        if op in ORDERED:
            if spec.type in (FieldType.TEXT, FieldType.ENUM, FieldType.BOOL):
                report(
                    op_path,
                    f"{op} compares numbers, dates or levels; {name} is {spec.type.value}",
                    0,
                )
                continue
            if spec.type is FieldType.LEVEL:
                if framework is None:
                    report(
                        op_path,
                        f"{name} {op}: a level comparison must name level.framework "
                        "in the same condition (levels are ordered by their framework)",
                        0,
                    )
                    continue
                if framework not in frameworks:
                    continue  # reported where level.framework is checked
                order = frameworks[framework]
        if op in ("in", "not_in", "between"):
            if not isinstance(operand, list) or not operand:
                report(op_path, f"{op} needs a non-empty list, got {_show(operand)}", 0)
                continue
            if op == "between" and len(operand) != 2:
                report(op_path, "between needs exactly two values: [low, high]", 0)
                continue
            named = op_path[-1] == "list"  # a named list's values are reported where it is used
            coerced = []
            for i, v in enumerate(operand):
                coerced.append(_coerce(v, spec, op_path if named else (*op_path, i), report, f"{name} {op}"))
                if named and not coerced[-1][0]:
                    break  # one message for a list that does not fit the field
            if not all(ok for ok, _ in coerced):
                continue
            values = tuple(v for _, v in coerced)
            if op == "between" and not _ascending(values, order):
                report(op_path, f"between needs [low, high]; {_show(list(values))} is high to low", 0)
                continue
        else:
            ok, single = _coerce(operand, spec, op_path, report, f"{name} {op}")
            if not ok:
                continue
            values = single
        if spec.type is FieldType.LEVEL and framework is not None and framework in frameworks:
            known = frameworks[framework]
            for level in values if isinstance(values, tuple) else (values,):
                if level not in known:
                    report(
                        op_path,
                        f"level {level!r} is not in framework {framework} ({', '.join(known)})",
                        0,
                    )
                    break
            else:
                out.append(Compare(name, op, values, op_path, order))
            continue
        if name == "level.framework" and op == "eq" and isinstance(values, str) and values not in frameworks:
            report(op_path, f"unknown framework {values!r}" + suggest(values, list(frameworks)), 0)
            continue
        if fold:
            values = tuple(v.casefold() for v in values) if isinstance(values, tuple) else values.casefold()
        out.append(Compare(name, op, values, op_path, order, fold=fold))
    return out


_NUMERIC = (FieldType.NUMBER, FieldType.INTEGER)


def _reference(
    name: str,
    op: str,
    target: object,
    spec: FieldSpec,
    fields: Mapping[str, FieldSpec],
    path: Path,
    report: Report,
) -> str | None:
    """Check ``{ref: PATH}``: another fact of the same type, compared with eq/ne/gt/gte/lt/lte."""
    if op not in ("eq", "ne", "gt", "gte", "lt", "lte"):
        report(path, f"{op} cannot compare with another field; use eq, ne, gt, gte, lt or lte", 0)
        return None
    if not isinstance(target, str) or target not in fields:
        report((*path, "ref"), f"ref: unknown field {target!r}" + suggest(str(target), list(fields)), 0)
        return None
    other = fields[target]
    same = other.type == spec.type or (other.type in _NUMERIC and spec.type in _NUMERIC)
    if not same or spec.type is FieldType.LEVEL:
        report(
            (*path, "ref"),
            f"{name} ({spec.type.value}) cannot be compared with {target} ({other.type.value})",
            0,
        )
        return None
    if op in ORDERED and spec.type not in (*_NUMERIC, FieldType.DATE):
        report(path, f"{op} compares numbers or dates; {name} is {spec.type.value}", 0)
        return None
    return target


def _ascending(bounds: tuple[Any, ...], order: tuple[str, ...]) -> bool:
    low, high = bounds
    if order:
        if low not in order or high not in order:
            return True  # unknown levels are reported separately
        return order.index(low) <= order.index(high)
    return bool(low <= high)


def condition_paths(cond: Condition) -> Iterator[str]:
    """Every field path a condition reads."""
    if isinstance(cond, Compare | Exists):
        yield cond.path
        if isinstance(cond, Compare) and cond.ref is not None:
            yield cond.ref
    elif isinstance(cond, AllOf | AnyOf):
        for item in cond.items:
            yield from condition_paths(item)
    else:
        yield from condition_paths(cond.item)


# --- formulas -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Number:
    """A literal number."""

    value: Decimal
    column: int


@dataclass(frozen=True, slots=True)
class FieldRef:
    """A numeric field of the achievement."""

    path: str
    column: int


@dataclass(frozen=True, slots=True)
class BinOp:
    """``left OP right`` with OP one of + - * /."""

    op: str
    left: Formula
    right: Formula
    column: int


@dataclass(frozen=True, slots=True)
class Neg:
    """Unary minus."""

    operand: Formula
    column: int


@dataclass(frozen=True, slots=True)
class Call:
    """``min``, ``max``, ``round``, ``floor`` or ``ceil``."""

    name: str
    args: tuple[Formula, ...]
    column: int


Formula = Number | FieldRef | BinOp | Neg | Call

FUNCTIONS = {"min": (2, 99), "max": (2, 99), "round": (1, 2), "floor": (1, 1), "ceil": (1, 1)}
_OPERATOR_CHARS = {"+": "+", "-": "-", "−": "-", "*": "*", "×": "*", "/": "/", "÷": "/"}


_DIGITS = frozenset("0123456789")  # str.isdigit() also accepts ² and other digits Decimal refuses
MAX_FORMULA_DEPTH = 64


class _FormulaSyntax(Exception):
    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in _DIGITS or (ch == "." and i + 1 < len(text) and text[i + 1] in _DIGITS):
            j = i
            while j < len(text) and (text[j] in _DIGITS or text[j] == "."):
                j += 1
            literal = text[i:j]
            if literal.count(".") > 1:
                raise _FormulaSyntax(f"malformed number {literal!r}", i)
            out.append(("num", literal, i))
            i = j
        elif ch.isalpha() or ch == "_":
            j = i
            while j < len(text) and (text[j].isalnum() or text[j] in "_."):
                j += 1
            out.append(("name", text[i:j].rstrip("."), i))
            i = j
        elif ch in _OPERATOR_CHARS:
            out.append(("op", _OPERATOR_CHARS[ch], i))
            i += 1
        elif ch in "(),":
            out.append((ch, ch, i))
            i += 1
        else:
            raise _FormulaSyntax(f"unexpected character {ch!r}", i)
    out.append(("end", "", len(text)))
    return out


class _Parser:
    def __init__(self, text: str, fields: Mapping[str, FieldSpec]) -> None:
        self.tokens = _tokens(text)
        self.pos = 0
        self.fields = fields
        self.type_errors: list[tuple[str, int]] = []
        self.depth = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.pos]

    def take(self, kind: str, value: str | None = None) -> tuple[str, str, int]:
        tok = self.peek()
        if tok[0] != kind or (value is not None and tok[1] != value):
            want = value or kind
            got = "the end" if tok[0] == "end" else repr(tok[1])
            raise _FormulaSyntax(f"expected {want!r}, found {got}", tok[2])
        self.pos += 1
        return tok

    def expression(self) -> Formula:
        node = self.term()
        while self.peek()[0] == "op" and self.peek()[1] in "+-":
            _, op, col = self.take("op")
            node = BinOp(op, node, self.term(), col)
        return node

    def term(self) -> Formula:
        node = self.unary()
        while self.peek()[0] == "op" and self.peek()[1] in "*/":
            _, op, col = self.take("op")
            node = BinOp(op, node, self.unary(), col)
        return node

    def unary(self) -> Formula:
        tok = self.peek()
        self.depth += 1
        if self.depth > MAX_FORMULA_DEPTH:
            raise _FormulaSyntax(f"formula nested deeper than {MAX_FORMULA_DEPTH} levels", tok[2])
        try:
            if tok[0] == "op" and tok[1] == "-":
                self.pos += 1
                return Neg(self.unary(), tok[2])
            return self.atom()
        finally:
            self.depth -= 1

    def atom(self) -> Formula:
        kind, value, col = self.peek()
        if kind == "num":
            self.pos += 1
            return Number(Decimal(value), col)
        if kind == "(":
            self.pos += 1
            node = self.expression()
            self.take(")")
            return node
        if kind == "name":
            self.pos += 1
            if self.peek()[0] == "(":
                return self.call(value, col)
            if value in FUNCTIONS:
                raise _FormulaSyntax(f"{value} is a function: write {value}(...)", col)
            spec = self.fields.get(value)
            if spec is None:
                self.type_errors.append(
                    (f"unknown field {value!r}" + suggest(value, [*self.fields, *FUNCTIONS]), col)
                )
            elif spec.type not in (FieldType.NUMBER, FieldType.INTEGER):
                self.type_errors.append(
                    (f"{value} is {spec.type.value}, not a number; formulas read numbers only", col)
                )
            return FieldRef(value, col)
        got = "the end" if kind == "end" else repr(value)
        raise _FormulaSyntax(f"expected a number, field or '(', found {got}", col)

    def call(self, name: str, col: int) -> Formula:
        if name not in FUNCTIONS:
            raise _FormulaSyntax(f"unknown function {name!r}" + suggest(name, list(FUNCTIONS)), col)
        self.take("(")
        args = [self.expression()]
        while self.peek()[0] == ",":
            self.pos += 1
            args.append(self.expression())
        self.take(")")
        low, high = FUNCTIONS[name]
        if not low <= len(args) <= high:
            want = str(low) if low == high else f"{low} to {high}" if high < 99 else f"at least {low}"
            raise _FormulaSyntax(f"{name} takes {want} arguments, got {len(args)}", col)
        if name == "round" and len(args) == 2:
            places = args[1]
            if not isinstance(places, Number) or places.value != places.value.to_integral_value():
                raise _FormulaSyntax("round's second argument must be a whole number of places", col)
        return Call(name, tuple(args), col)


def parse_formula(
    text: object, at: Path, report: Report, *, fields: Mapping[str, FieldSpec]
) -> Formula | None:
    """Parse and type-check a formula; report problems with their column offset.

    :param text: the formula text, e.g. ``"min(credits.value * 2, 30)"``.
    :return: the formula tree, or None when any problem was reported.
    """
    if not isinstance(text, str):
        report(at, f"a formula must be text, got {_show(text)}", 0)
        return None
    try:
        parser = _Parser(text, fields)
        node = parser.expression()
        parser.take("end")
    except _FormulaSyntax as exc:
        report(at, f"formula {text!r}: {exc.message}", exc.column)
        return None
    for message, column in parser.type_errors:
        report(at, f"formula {text!r}: {message}", column)
    zeros = list(_zero_divisors(node))
    for column in zeros:
        report(at, f"formula {text!r}: divides by zero (the divisor is always 0)", column)
    return None if parser.type_errors or zeros else node


# Folding constants at load time: exact enough, and independent of the caller's decimal context.
_FOLDING = Context(prec=34)
_ARITHMETIC: dict[str, Callable[[Decimal, Decimal], Decimal]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}


def _children(node: Formula) -> tuple[Formula, ...]:
    if isinstance(node, BinOp):
        return (node.left, node.right)
    if isinstance(node, Neg):
        return (node.operand,)
    return node.args if isinstance(node, Call) else ()


def _zero_divisors(node: Formula) -> Iterator[int]:
    """The column of each ``/`` whose divisor is a constant 0 (``hours / 0``, ``hours / (2 - 2)``)."""
    for child in _children(node):
        yield from _zero_divisors(child)
    if isinstance(node, BinOp) and node.op == "/":
        with localcontext(_FOLDING):
            try:
                zero = _fold(node.right) == 0
            except ArithmeticError:
                zero = False  # a division by zero inside the divisor is reported where it happens
        if zero:
            yield node.column


def _fold(node: Formula) -> Decimal | None:
    """The formula's value when it reads no field (None when it does, or cannot be folded)."""
    if isinstance(node, Number):
        return node.value
    args = [_fold(child) for child in _children(node)]
    if isinstance(node, BinOp) and node.op == "*" and Decimal(0) in args:
        return Decimal(0)  # 0 × anything, even a field, is 0
    known = [a for a in args if a is not None]
    if not args or len(known) < len(args):
        return None  # a field
    if isinstance(node, Neg):
        return -known[0]
    if isinstance(node, BinOp):
        return _ARITHMETIC[node.op](*known)
    assert isinstance(node, Call)
    if node.name in ("min", "max"):
        return min(known) if node.name == "min" else max(known)
    if node.name in ("floor", "ceil"):
        return known[0].to_integral_value(rounding=ROUND_FLOOR if node.name == "floor" else ROUND_CEILING)
    return None  # round() depends on the pack's rounding


def formula_paths(node: Formula) -> Iterator[str]:
    """Every field a formula reads."""
    if isinstance(node, FieldRef):
        yield node.path
    for child in _children(node):
        yield from formula_paths(child)
