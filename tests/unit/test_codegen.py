"""The code generator (creditengine/_evaluators/codegen.py): safe, deterministic source that
compiles once, and functions that behave as the closure compiler's do.

The differential tests over hypothesis-generated facts are in
tests/property/test_codegen_agrees.py; these are the worked cases.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest

from creditengine import Engine
from creditengine._evaluators.codegen import Generated, MissingField, generate
from creditengine._expr import (
    AllOf,
    BinOp,
    Call,
    Compare,
    Condition,
    Exists,
    FieldRef,
    Formula,
    Neg,
    Not,
    Number,
)
from creditengine._ir import (
    AchievementReq,
    AllReq,
    Conversion,
    ConversionRule,
    FixedPoints,
    FormulaPoints,
    LookupPoints,
    Meta,
    Pack,
    Scale,
    Versions,
    Window,
    WorkerReq,
)
from creditengine._pack import load_pack
from creditengine._pipeline import _DECIMALS
from creditengine._source import SourceLocation
from tests.backends.closures import Compiler as _Compiler

ROOT = Path(__file__).resolve().parents[2]
PACKS = ROOT / "tests" / "packs"
FIXTURES = sorted(p.name for p in PACKS.iterdir() if (p / "pack.yaml").is_file())
HERE: tuple[str | int, ...] = ()

#: Rule text meant to break out of a literal, a comment or a line.
HOSTILE = [
    '"""',
    "'; import os; #",
    "__import__('os').system('x')",
    "line\nbreak\r\n# comment",
    "back\\slash\\",
    "q'\"",
    "\u202eRTL\u2067",
    "深圳",
    "\u2028sep\x85\x0c",
    "{industry}",
    "\\N{DIGIT ONE}' + '",
]

# --- the whitelist every generated module must keep to -----------------------------------

HELPERS = {
    "_D",
    "_date",
    "_Missing",
    "_absent",
    "_frozenset",
    "_tuple",
    "_min",
    "_max",
    "_floor",
    "_ceil",
    "_round",
    "_key",
    "_Error",
    "_scale",
    "_fold",
    "_contains",
    "_starts_with",
}
LOCAL_NAMES = {"f", "r", "s", "v", "w", "k"}
GENERATED = re.compile(r"_[a-z][0-9]+")
ALLOWED_NODES = (
    ast.Module,
    ast.FunctionDef,
    ast.arguments,
    ast.arg,
    ast.Return,
    ast.Assign,
    ast.If,
    ast.Try,
    ast.ExceptHandler,
    ast.Expr,
    ast.Raise,
    ast.Name,
    ast.Load,
    ast.Store,
    ast.Constant,
    ast.Attribute,
    ast.Call,
    ast.Compare,
    ast.BoolOp,
    ast.UnaryOp,
    ast.BinOp,
    ast.IfExp,
    ast.NamedExpr,
    ast.Dict,
    ast.Tuple,
    ast.List,
    ast.And,
    ast.Or,
    ast.Not,
    ast.USub,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.In,
    ast.NotIn,
    ast.Is,
    ast.IsNot,
)


def assert_whitelisted(source: str) -> None:
    """Only generated names, the runtime helpers and locals; attributes ``get``/``append``/``sort``
    on a name; calls of helpers and generated functions; constants of plain types; no imports."""
    tree = ast.parse(source)
    defined = set()
    for statement in tree.body:
        assert isinstance(statement, ast.FunctionDef | ast.Assign), ast.dump(statement)
        if isinstance(statement, ast.FunctionDef):
            defined.add(statement.name)
            assert not statement.decorator_list
        else:
            (target,) = statement.targets
            assert isinstance(target, ast.Name)
            defined.add(target.id)
    assert all(GENERATED.fullmatch(name) for name in defined), defined
    for node in ast.walk(tree):
        assert isinstance(node, ALLOWED_NODES), ast.dump(node)
        if isinstance(node, ast.Name):
            assert node.id in defined | HELPERS | LOCAL_NAMES, node.id
        elif isinstance(node, ast.arg):
            assert node.arg in LOCAL_NAMES
        elif isinstance(node, ast.Attribute):
            assert node.attr in {"get", "append", "sort"}, node.attr
            assert isinstance(node.value, ast.Name) and isinstance(node.ctx, ast.Load)
        elif isinstance(node, ast.Call):
            assert not node.keywords
            func = node.func
            if isinstance(func, ast.Name):
                assert func.id in defined | HELPERS | {"s"}, func.id
            else:
                assert isinstance(func, ast.Attribute), ast.dump(func)
        elif isinstance(node, ast.Constant):
            assert type(node.value) in (str, int, bool, type(None)), repr(node.value)
        elif isinstance(node, ast.ExceptHandler):
            assert isinstance(node.type, ast.Name) and node.type.id == "_Error"
    comments = [line for line in source.splitlines() if line.lstrip().startswith("#")]
    assert comments[:2] == source.splitlines()[:2]  # two fixed lines: no coding cookie from rule text


# --- helpers ---------------------------------------------------------------------------------


def outcome(function: Callable[[Any], Any], facts: Any) -> tuple[Any, ...]:
    try:
        with localcontext(_DECIMALS):
            value = function(facts)
    except MissingField as missing:
        return ("missing", missing.path)
    except Exception as exc:
        return ("raised", type(exc).__name__)
    return ("value", type(value).__name__, str(value))


def conversion_pack(
    rules: list[tuple[Condition | None, FixedPoints | FormulaPoints | LookupPoints]],
    *,
    name: str = "test",
    ident: str = "conv",
    version: str = "1",
    file: str = "conv.yaml",
) -> Pack:
    """A pack of one conversion built as IR (so ids and paths the loader refuses can be tried)."""
    where = SourceLocation(file, 3, 1)
    meta = Meta(ident, "conversion", version, Window(dt.date(2000, 1, 1)), (), None, None, where, where)
    conversion = Conversion(
        meta,
        "first",
        tuple(ConversionRule(f"rule{i}", w, p, "general", where) for i, (w, p) in enumerate(rules)),
    )
    return Pack(
        name=name,
        title=(),
        scale=Scale("point", 1, "half_up"),
        convert_at="completed",
        categories=("general",),
        default_category="general",
        frameworks=(),
        level_maps=(),
        attributes=(),
        conversions=(Versions(ident, (conversion,)),),
        adjustments=(),
        policies=(),
        equivalences=(),
        entitlements=(),
        transfers=(),
        fingerprint="sha256:test",
        root=".",
    )


def only_conversion(pack: Pack) -> Conversion:
    (conversion,) = pack.conversions[0].items
    return conversion


class CountingFacts(dict[str, Any]):
    """Facts that count how often a rule reads them."""

    reads = 0

    def get(self, key: str, default: Any = None) -> Any:
        self.reads += 1
        return super().get(key, default)


# --- determinism and shape --------------------------------------------------------------------


def test_the_source_is_the_same_text_for_the_same_pack() -> None:
    first = generate(Engine.load().pack).source
    again = generate(Engine.load().pack).source  # a fresh IR: nothing depends on ids or memory
    assert first == again
    assert str(ROOT) not in first  # files are named relative to the pack's folder
    script = "from creditengine import Engine\nfrom creditengine._evaluators.codegen import generate\n"
    script += "print(generate(Engine.load().pack).source, end='')"
    for seed in ("1", "2"):  # str hashing differs between processes: no set order may leak in
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
        )
        assert out.stdout == first


@pytest.mark.parametrize("name", ["default", *FIXTURES])
def test_each_shipped_pack_generates_whitelisted_source_that_compiles(name: str) -> None:
    pack = Engine.load().pack if name == "default" else load_pack(PACKS / name)
    generated = generate(pack)
    compile(generated.source, "<test>", "exec")
    assert_whitelisted(generated.source)
    assert generate(pack).source == generated.source
    header = generated.source.splitlines()[2]
    assert header == f"# pack={pack.name!r} fingerprint={pack.fingerprint!r}"


def test_each_function_is_preceded_by_a_comment_naming_its_rule() -> None:
    source = generate(Engine.load().pack).source
    assert (
        "# file='accredited-courses' version='2022.1' rule='by-hours' "
        "at='conversions/accredited-courses.yaml:17' node='when'\ndef _p0(f):"
    ) in source
    lines = source.splitlines()
    for n, line in enumerate(lines):
        if line.startswith("def _p") or line.startswith("def _v") or line.startswith("def _c"):
            assert lines[n - 1].startswith("# file="), line


def test_the_generated_module_runs_without_builtins() -> None:
    generated = generate(Engine.load().pack)
    conversion = Engine.load().pack.conversions[0].items[0]
    with pytest.raises(KeyError):
        generated.candidates(conversion)  # another load's node: identity, not equality
    pack = Engine.load().pack
    generated = generate(pack)
    function = generated.candidates(pack.conversions[0].items[0])
    assert function.__globals__["__builtins__"] == {}  # type: ignore[attr-defined]


def test_a_node_not_in_the_pack_is_a_key_error_even_when_equal_to_one() -> None:
    when = Compare("type", "eq", "course", HERE)
    pack = conversion_pack([(when, FixedPoints(Decimal(1)))])
    generated = generate(pack)
    assert generated.predicate(when)({"type": "course"}) is True
    with pytest.raises(KeyError):
        generated.predicate(dataclasses.replace(when))
    with pytest.raises(KeyError):
        generated.points(FixedPoints(Decimal(1)))


# --- semantics worked through ----------------------------------------------------------------


def test_missing_fields_raise_in_formulas_and_lookups_and_are_false_in_conditions() -> None:
    lookup = LookupPoints("level.value", (("5", Decimal(20)), ("true", Decimal(1)), ("2.5", Decimal(3))))
    with_default = LookupPoints("title", (("x", Decimal(1)),), Decimal(7))
    formula = FormulaPoints(
        BinOp("/", FieldRef("hours", 0), FieldRef("credits.value", 0), 0), "hours / credits.value"
    )
    ranks = ("5", "4", "3", "2", "1")
    below = Compare("level.value", "lt", "3", HERE, ranks)
    absent = Exists("hours", False, HERE)
    pack = conversion_pack([(below, lookup), (absent, with_default), (None, formula)])
    generated = generate(pack)
    assert outcome(generated.points(lookup), {}) == ("missing", "level.value")
    assert generated.points(lookup)({"level.value": "5"}) == Decimal(20)
    assert generated.points(lookup)({"level.value": Decimal("5.0")}) == Decimal(20)  # keys compare as text
    assert generated.points(lookup)({"level.value": True}) == Decimal(1)
    assert generated.points(lookup)({"level.value": Decimal("2.50")}) == Decimal(3)
    assert generated.points(lookup)({"level.value": "9"}) is None
    assert generated.points(with_default)({"title": "y"}) == Decimal(7)
    assert outcome(generated.points(formula), {"credits.value": Decimal(2)}) == ("missing", "hours")
    assert outcome(generated.points(formula), {"hours": Decimal(2)}) == ("missing", "credits.value")
    assert outcome(generated.points(formula), {"hours": 1, "credits.value": 0}) == (
        "raised",
        "DivisionByZero",
    )
    # A missing level is not below every level (no rank of -1 for "absent").
    assert generated.predicate(below)({}) is False
    assert generated.predicate(below)({"level.value": "5"}) is True
    assert generated.predicate(below)({"level.value": "9"}) is False
    assert generated.predicate(absent)({}) is True
    compiler = _Compiler(pack)
    for facts in (
        {},
        {"level.value": "1", "hours": None},
        {"hours": Decimal(3), "credits.value": Decimal(7)},
    ):
        assert outcome(generated.predicate(below), facts) == outcome(compiler.condition(below), facts)
        assert outcome(generated.points(formula), facts) == outcome(compiler.points(formula), facts)


def test_round_floor_ceil_min_max_follow_the_pack_scale() -> None:
    def call(name: str, *args: Formula) -> Call:
        return Call(name, tuple(args), 0)

    hours = FieldRef("hours", 0)
    cases = {
        "round": call("round", hours),
        "round2": call("round", hours, Number(Decimal(2), 0)),
        "floor": call("floor", Neg(hours, 0)),
        "ceil": call("ceil", hours),
        "min": call("min", hours, Number(Decimal("2.25"), 0), Number(Decimal(9), 0)),
        "max": call("max", hours, Number(Decimal("2.25"), 0)),
    }
    points = {name: FormulaPoints(node, name) for name, node in cases.items()}
    pack = conversion_pack([(None, p) for p in points.values()])
    generated, compiler = generate(pack), _Compiler(pack)
    for value in ("2.5", "2.345", "-0.5", "3", "1E+3"):
        facts = {"hours": Decimal(value)}
        for node in points.values():
            assert outcome(generated.points(node), facts) == outcome(compiler.points(node), facts)
    # min() compares as it goes: a NaN raises before a later argument is read (found by hypothesis).
    lazy = FormulaPoints(call("min", Number(Decimal(0), 0), FieldRef("credits.value", 0), hours), "lazy")
    pack = conversion_pack([(None, lazy)])
    generated, compiler = generate(pack), _Compiler(pack)
    facts = {"credits.value": Decimal("NaN")}
    assert outcome(generated.points(lazy), facts) == outcome(compiler.points(lazy), facts)
    assert outcome(generated.points(lazy), facts) == ("raised", "InvalidOperation")
    assert outcome(generated.points(lazy), {"credits.value": 1}) == ("missing", "hours")
    assert generated.points(lazy)({"credits.value": 1, "hours": 0}) == Decimal(0)
    generated = generate(conversion_pack([(None, p) for p in points.values()]))
    assert generated.points(points["round"])({"hours": Decimal("2.5")}) == Decimal(3)  # half_up, 0 places
    assert str(generated.points(points["round2"])({"hours": Decimal("2.345")})) == "2.35"
    assert generated.points(points["floor"])({"hours": Decimal("2.5")}) == Decimal(-3)


def test_deep_conditions_and_formulas_are_split_into_functions_and_still_agree() -> None:
    cond: Condition = Compare("hours", "gt", Decimal(1), HERE)
    for n in range(60):
        cond = Not(cond, HERE) if n % 2 else AllOf((cond, Exists("hours", True, HERE)), HERE)
    formula: Any = FieldRef("hours", 0)
    for n in range(400):  # a long left-deep chain: hours + 1 - 1 + 1 ...
        formula = BinOp("+-"[n % 2], formula, Number(Decimal(1), 0), 0)
    points = FormulaPoints(formula, "long")
    pack = conversion_pack([(cond, points)])
    generated, compiler = generate(pack), _Compiler(pack)
    assert_whitelisted(generated.source)
    assert "_x0" in generated.source
    for facts in ({}, {"hours": Decimal(2)}, {"hours": Decimal(0)}, {"hours": "text"}):
        assert outcome(generated.predicate(cond), facts) == outcome(compiler.condition(cond), facts)
        assert outcome(generated.points(points), facts) == outcome(compiler.points(points), facts)


def test_a_formula_as_long_as_the_text_limit_allows_is_generated_without_deep_recursion() -> None:
    # "1+1+...+1" within the 4,096-character text limit is a left-deep chain of 2,048 terms:
    # the closure compiler recurses once per term (RecursionError, reported separately).
    formula: Any = Number(Decimal(1), 0)
    for n in range(2047):
        formula = BinOp(
            "+" if n % 3 else "*", formula, FieldRef("hours", 0) if n % 5 == 0 else Number(Decimal(1), 0), 0
        )
    points = FormulaPoints(formula, "long")
    generated = generate(conversion_pack([(None, points)]))
    assert_whitelisted(generated.source)
    with localcontext(_DECIMALS):
        expected = Decimal(1)
        for n in range(2047):
            operand = Decimal(2) if n % 5 == 0 else Decimal(1)
            expected = expected + operand if n % 3 else expected * operand
        assert generated.points(points)({"hours": Decimal(2)}) == expected
    assert outcome(generated.points(points), {}) == ("missing", "hours")


# --- candidates ---------------------------------------------------------------------------------


def test_candidates_dispatch_on_fact_values_instead_of_testing_a_thousand_rules() -> None:
    def rule(i: int) -> Condition:
        keyed = Compare("title", "eq", f"Course {i}", HERE)
        if i % 2:
            keyed = Compare("provider.id", "in", (f"P{i}", f"Q{i}"), HERE)
        return AllOf((Compare("type", "eq", "course", HERE), keyed, Exists("hours", True, HERE)), HERE)

    whens: list[Condition | None] = [rule(i) for i in range(1000)]
    whens.insert(500, Compare("hours", "gt", Decimal(100), HERE))  # no key: tested for every achievement
    whens.append(None)  # no condition: always a candidate
    pack = conversion_pack([(w, FixedPoints(Decimal(1))) for w in whens])
    generated = generate(pack)
    candidates = generated.candidates(only_conversion(pack))
    assert_whitelisted(generated.source)

    cases: list[tuple[dict[str, Any], tuple[int, ...]]] = [
        ({"type": "course", "title": "Nothing like it", "hours": Decimal(1)}, (1001,)),
        ({"type": "course", "title": "Course 10", "hours": Decimal(1)}, (10, 1001)),
        (
            {"type": "course", "title": "Course 10", "provider.id": "Q501", "hours": Decimal(101)},
            (10, 500, 502, 1001),
        ),
        ({"type": "certificate", "title": "Course 10", "hours": Decimal(1)}, (1001,)),
        (
            {"title": ["unhashable"], "type": "course", "hours": Decimal(1)},
            (1001,),
        ),  # falls back to every rule
    ]
    compiler = _Compiler(pack)
    for facts, expected in cases:
        counting = CountingFacts(facts)
        assert candidates(counting) == expected
        brute = tuple(i for i, w in enumerate(whens) if compiler.match(w, facts))
        assert brute == expected
        if not isinstance(facts["title"], list):
            assert counting.reads < 20, counting.reads  # testing every rule reads the facts 1,000+ times
        else:
            assert counting.reads > 1000


def test_candidates_key_on_type_inside_all_and_on_in_lists() -> None:
    kinds = ["course", "certificate", "award", "qualification", "formal_credit"]
    whens: list[Condition | None] = []
    for i in range(30):
        kind = Compare("type", "in", (kinds[i % 5], kinds[(i + 1) % 5]), HERE) if i % 3 else None
        title = Compare("title", "eq", f"T{i % 7}", HERE)
        whens.append(AllOf((AllOf((title,), HERE), kind), HERE) if kind is not None else title)
    pack = conversion_pack([(w, FixedPoints(Decimal(1))) for w in whens])
    generated = generate(pack)
    assert "_b0 = {" in generated.source  # a dispatch table was built
    compiler = _Compiler(pack)
    candidates = generated.candidates(only_conversion(pack))
    for kind in [*kinds, "other", None]:
        for t in range(8):
            facts = {"type": kind, "title": f"T{t}"}
            assert candidates(facts) == tuple(i for i, w in enumerate(whens) if compiler.match(w, facts))


# --- hostile rule text ---------------------------------------------------------------------------


def _hostile_pack_files() -> dict[str, str]:
    j = json.dumps  # JSON strings are YAML double-quoted scalars, escapes and all
    h = HOSTILE
    course_when = (
        f"type: course, title: {j(h[3])}, provider.id: {{in: {j(h)}}}, {j('worker.' + h[1])}: {j(h[2])}"
    )
    table = f"{j(h[0])}: 1, {j(h[1])}: 2, {j(h[3])}: 3, {j(h[6])}: 4"
    certificate_when = (
        f"type: certificate, level.framework: {j(h[6])}, level.value: {{gte: {j(h[1])}}}, "
        f"title: {{not_in: {j(h)}}}"
    )
    return {
        "pack.yaml": f"""\
            name: hostile
            title: {{en: {j(h[0])}}}
            scale: {{unit: point, decimals: 1, rounding: half_up}}
            categories: [general]
            default_category: general
            frameworks:
              {j(h[6])}: {{levels: [{j(h[0])}, {j(h[1])}, {j(h[3])}]}}
            attributes:
              {j(h[1])}: {{type: text}}
              {j(h[3])}: {{type: integer, min: 0}}
            """,
        "conversions/conv.yaml": f"""\
            id: conv
            kind: conversion
            version: {j(h[0])}
            effective: {{from: 2000-01-01}}
            title: {{en: {j(h[3])}}}
            reference: {j(h[1])}
            hit: first
            rules:
              - id: r1
                title: {{en: {j(h[4])}}}
                when: {{{course_when}}}
                points: {{lookup: title, table: {{{table}}}, default: 0}}
                category: general
              - id: r2
                when: {{{certificate_when}}}
                points: {{formula: "hours * 2"}}
                category: general
            """,
        "policies/pol.yaml": f"""\
            id: pol
            kind: accreditation
            version: "1"
            effective: {{from: 2000-01-01}}
            title: {{en: {j(h[5])}}}
            reference: x
            grants: done
            requires:
              all:
                - worker: {{{j(h[3])}: {{gte: 3}}, {j(h[1])}: {{ne: {j(h[0])}}}}}
                - achievement: {{provider.id: {j(h[8])}, title: {{ref: {j("worker." + h[1])}}}}}
            """,
    }


def test_hostile_rule_text_loaded_from_yaml_stays_data(tmp_path: Path) -> None:
    root = tmp_path / 'pack\'\n"""#x \\'  # the folder name reaches the comments through source locations
    for name, text in _hostile_pack_files().items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    pack = load_pack(root)
    generated = generate(pack)
    compile(generated.source, "<test>", "exec")
    assert_whitelisted(generated.source)
    conversion = only_conversion(pack)
    h = HOSTILE
    match = {"type": "course", "title": h[3], "provider.id": h[2], f"worker.{h[1]}": h[2]}
    assert generated.candidates(conversion)(match) == (0,)
    assert generated.points(conversion.rules[0].points)(match) == Decimal(3)
    assert generated.points(conversion.rules[0].points)({"title": h[6]}) == Decimal(4)
    assert generated.points(conversion.rules[0].points)({"title": h[2]}) == Decimal(0)
    level = {"type": "certificate", "level.framework": h[6], "level.value": h[3], "title": "ok"}
    assert generated.candidates(conversion)(level) == (1,)
    assert generated.candidates(conversion)({**level, "level.value": h[0]}) == ()
    assert generated.candidates(conversion)({**level, "title": h[10]}) == ()
    compiler = _Compiler(pack)
    facts_list: list[dict[str, Any]] = [
        match,
        level,
        {},
        {h[3]: Decimal(4), h[1]: h[0]},
        {h[3]: Decimal(4), h[1]: h[7]},
    ]
    facts_list += [{"provider.id": h[8], "title": h[5], f"worker.{h[1]}": h[5]}, {"title": h[9]}]
    conditions: list[Condition] = [r.when for r in conversion.rules if r.when is not None]
    requires = pack.policies[0].items[0].requires
    assert isinstance(requires, AllReq)
    for req in requires.items:
        assert isinstance(req, WorkerReq | AchievementReq)
        conditions.append(req.condition)
    for facts in facts_list:
        for cond in conditions:
            assert outcome(generated.predicate(cond), facts) == outcome(compiler.condition(cond), facts)
    assert generated.predicate(conditions[2])({h[3]: Decimal(4), h[1]: h[7]}) is True
    assert (
        generated.predicate(conditions[3])({"provider.id": h[8], "title": h[5], f"worker.{h[1]}": h[5]})
        is True
    )


def test_hostile_ids_versions_names_and_paths_built_as_ir_stay_data() -> None:
    h = HOSTILE
    table = tuple((text, Decimal(n)) for n, text in enumerate(h))
    whens: list[Condition | None] = [
        AllOf(tuple(Compare(text, "eq", text, HERE) for text in h), HERE),
        Compare(h[1], "in", tuple(h), HERE),
        Compare(h[2], "between", (h[0], h[4]), HERE),
        Compare(h[3], "gte", h[1], HERE, tuple(h)),
        Compare(h[4], "ne", None, HERE, (), h[5]),
        Exists(h[6], True, HERE),
    ]
    pack = conversion_pack(
        [(w, LookupPoints(h[n], table, Decimal(-1))) for n, w in enumerate(whens)]
        + [(None, FormulaPoints(FieldRef(h[2], 0), h[3]))],
        name=h[3] + h[1],
        ident=h[0] + h[2],
        version=h[3],
        file=h[3] + h[0] + h[1],
    )
    generated = generate(pack)
    compile(generated.source, "<test>", "exec")
    assert_whitelisted(generated.source)
    compiler = _Compiler(pack)
    conversion = only_conversion(pack)
    everything = {text: text for text in h}
    for facts in (everything, {}, {h[1]: h[2]}, {h[3]: h[4], h[4]: "a", h[5]: "b"}, {h[2]: "1"}):
        for rule in conversion.rules:
            if rule.when is not None:
                assert outcome(generated.predicate(rule.when), facts) == outcome(
                    compiler.condition(rule.when), facts
                )
            assert outcome(generated.points(rule.points), facts) == outcome(
                compiler.points(rule.points), facts
            )
        brute = tuple(i for i, rule in enumerate(conversion.rules) if compiler.match(rule.when, facts))
        assert generated.candidates(conversion)(facts) == brute
    assert generated.candidates(conversion)(everything) == (0, 1, 2, 3, 4, 5, 6)
    assert generated.points(conversion.rules[2].points)(everything) == Decimal(2)


def test_only_plain_constants_become_code() -> None:
    class Sneaky(str):
        def __repr__(self) -> str:
            return "__import__('os')"

    when = Compare("title", "eq", Sneaky("x"), HERE)
    pack = conversion_pack([(when, FixedPoints(Decimal(1)))])
    generated = generate(pack)
    assert "__import__" not in generated.source  # str.__repr__, never the value's own repr
    assert generated.predicate(when)({"title": "x"}) is True
    odd = Compare("title", "eq", 1.5, HERE)
    with pytest.raises(TypeError, match="no literal for a float"):
        generate(conversion_pack([(odd, FixedPoints(Decimal(1)))]))
    moment = Compare("completed", "eq", dt.datetime(2020, 1, 1, 12), HERE)
    with pytest.raises(TypeError, match="no literal for a datetime"):
        generate(conversion_pack([(moment, FixedPoints(Decimal(1)))]))


def test_generated_is_frozen() -> None:
    generated = generate(conversion_pack([(None, FixedPoints(Decimal(1)))]))
    assert isinstance(generated, Generated)
    with pytest.raises(dataclasses.FrozenInstanceError):
        generated.source = ""  # type: ignore[misc]
