"""The Rete network picks the same conversion rules as the compiled evaluator, for generated
conditions of every operator and generated facts.

Conditions are well typed, as the rule parser guarantees (``_expr.parse_condition``): text,
enum, number, integer, date, boolean and level fields, compared with constants of their own
type or (``ref``) with another field of the same type; levels are ordered by one of two
frameworks; ``all``/``any``/``not`` nest. Facts are mostly well typed too (absent fields,
values equal to the constants, values near them); now and then a value of the wrong type,
which the backend must hand to the compiled kernel with the same result or exception.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditengine._evaluators.compiled import CompiledKernels
from creditengine._evaluators.durable import DurableKernels, durable_available
from creditengine._expr import Compare, Condition, Exists, FieldSpec, FieldType
from creditengine._ir import Conversion, Pack
from tests.irtools import matching_pack, nested

pytestmark = pytest.mark.skipif(durable_available() is not None, reason="durable-rules does not import here")

# A moderate count in make test; DURABLE_EXAMPLES=20000 for a long hunt (make fuzz, later).
SETTINGS = settings(
    max_examples=int(os.environ.get("DURABLE_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
HERE: tuple[str | int, ...] = ()
CN = ("5", "4", "3", "2", "1")
HK = ("1", "2", "3", "4", "5", "6", "7")

TEXTS = ["course", "certificate", "award", "Welding", "3", "3.0", "", "维修电工", 'it\'s "q"', "a\\b", "true"]
NUMBERS = [Decimal(v) for v in ("0", "1", "1.0", "2.5", "-3", "40", "120.000001", "999999999999.999999")]
DATES = [dt.date(2019, 12, 31), dt.date(2020, 1, 1), dt.date(2024, 6, 30), dt.date(1900, 1, 1)]
LEVELS = sorted(set(CN) | set(HK) | {"9"})

#: Field -> (type, values its constants and facts are drawn from).
FIELDS: dict[str, tuple[FieldType, list[Any]]] = {
    "type": (FieldType.ENUM, ["course", "certificate", "award"]),
    "title": (FieldType.TEXT, TEXTS),
    "field": (FieldType.TEXT, TEXTS),
    "hours": (FieldType.NUMBER, NUMBERS),
    "credits.value": (FieldType.NUMBER, NUMBERS),
    "worker.age": (FieldType.INTEGER, [Decimal(v) for v in ("0", "17", "18", "60", "-1")]),
    "provider.accredited": (FieldType.BOOL, [True, False]),
    "assessment.passed": (FieldType.BOOL, [True, False]),
    "completed": (FieldType.DATE, DATES),
    "expires": (FieldType.DATE, DATES),
    "level.value": (FieldType.LEVEL, LEVELS),
}
ORDERED_TYPES = (FieldType.NUMBER, FieldType.INTEGER, FieldType.DATE)


def _values(path: str) -> st.SearchStrategy[Any]:
    kind, values = FIELDS[path]
    near: st.SearchStrategy[Any] = st.sampled_from(values)
    if kind in (FieldType.NUMBER, FieldType.INTEGER):
        places = 0 if kind is FieldType.INTEGER else 6
        near |= st.decimals(min_value=-100, max_value=200, places=places)
    elif kind is FieldType.DATE:
        near |= st.dates(min_value=dt.date(2019, 12, 1), max_value=dt.date(2020, 2, 1))
    elif kind is FieldType.TEXT:
        near |= st.text(max_size=3)
    return near


@st.composite
def compare(draw: st.DrawFn) -> Condition:
    path = draw(st.sampled_from(sorted(FIELDS)))
    kind, _ = FIELDS[path]
    value = _values(path)
    if kind is FieldType.LEVEL:
        if draw(st.booleans()):  # ordered: by a framework's order
            order = draw(st.sampled_from([CN, HK]))
            op = draw(st.sampled_from(["gt", "gte", "lt", "lte", "between"]))
            if op == "between":
                low, high = sorted(
                    draw(st.lists(st.sampled_from(order), min_size=2, max_size=2)), key=order.index
                )
                return Compare(path, op, (low, high), HERE, order)
            return Compare(path, op, draw(st.sampled_from(order)), HERE, order)
        value = st.sampled_from(LEVELS)
    ops = ["eq", "ne", "in", "not_in", "exists", "ref"]
    if kind in (FieldType.TEXT, FieldType.ENUM):  # text tests, and ignore_case: Python tests in the network
        ops += ["contains", "starts_with", "fold"]
    if kind in ORDERED_TYPES:
        ops += ["gt", "gte", "lt", "lte", "between"]
    op = draw(st.sampled_from(ops))
    if op == "exists":
        return Exists(path, draw(st.booleans()), HERE)
    if op in ("contains", "starts_with"):
        return Compare(path, op, draw(st.text(max_size=2)), HERE, fold=draw(st.booleans()))
    if op == "fold":
        op = draw(st.sampled_from(["eq", "ne", "in", "not_in"]))
        folded = [str(v).casefold() for v in draw(st.lists(value, min_size=1, max_size=3))]
        return Compare(path, op, tuple(folded) if op.endswith("in") else folded[0], HERE, fold=True)
    if op == "ref":
        same = [
            p
            for p, (k, _) in FIELDS.items()
            if k == kind or {k, kind} <= {FieldType.NUMBER, FieldType.INTEGER}
        ]
        if kind is FieldType.LEVEL:
            return Exists(path, True, HERE)  # the parser refuses ref on levels
        tests = ["eq", "ne"] + (["gt", "gte", "lt", "lte"] if kind in ORDERED_TYPES else [])
        return Compare(path, draw(st.sampled_from(tests)), None, HERE, (), draw(st.sampled_from(same)))
    if op in ("in", "not_in"):
        return Compare(path, op, tuple(draw(st.lists(value, min_size=1, max_size=4))), HERE)
    if op == "between":
        low, high = sorted(draw(st.lists(value, min_size=2, max_size=2)))
        return Compare(path, op, (low, high), HERE)
    return Compare(path, op, draw(value), HERE)


CONDITIONS: st.SearchStrategy[Condition] = nested(compare())

ILL_TYPED = st.sampled_from(["7", Decimal(7), True, dt.date(2020, 1, 1), None, 7.5])
FACTS = st.fixed_dictionaries(
    {},
    optional={
        path: st.one_of(_values(path), _values(path), _values(path), _values(path), ILL_TYPED)
        for path in FIELDS
    },
)


def pack_of(whens: list[Condition | None]) -> Pack:
    attributes = (("age", FieldSpec(FieldType.INTEGER)),)
    return matching_pack(whens, frameworks=(("cn-skill", CN), ("hkqf", HK)), attributes=attributes)


def outcome(kernels: CompiledKernels | DurableKernels, conversion: Conversion, facts: dict[str, Any]) -> Any:
    try:
        return ("value", list(kernels.candidates(conversion, facts)))
    except Exception as exc:  # an ill-typed fact: both must raise alike
        return ("raised", type(exc).__name__)


@SETTINGS
@given(
    whens=st.lists(st.none() | CONDITIONS, min_size=1, max_size=8),
    facts=st.lists(FACTS, min_size=1, max_size=8),
)
def test_the_rete_network_picks_the_same_rules_as_the_compiled_evaluator(
    whens: list[Condition | None], facts: list[dict[str, Any]]
) -> None:
    pack = pack_of(whens)
    (conversion,) = pack.conversions[0].items
    durable, compiled = DurableKernels(pack), CompiledKernels(pack)
    for one in facts:
        assert outcome(durable, conversion, one) == outcome(compiled, conversion, one), one
