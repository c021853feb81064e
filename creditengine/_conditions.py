"""What conditions mean beyond parsing: static reasoning over them, and the text tests.

``_expr`` parses conditions and is at its size limit; this module holds what
evaluators and the loader share about them: :func:`may_match` (could a condition
hold for partly known facts, for the equivalence cycle check), the semantics of the
text operators ``contains`` and ``starts_with`` and of ``ignore_case`` (written once,
so the generated code and the Rete network's Python tests agree), and the fields a
policy's ``achievement:`` requirement reads besides the record's (its own ``points``).
Only the standard library is imported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._expr import AllOf, AnyOf, Compare, Condition, Exists, FieldSpec, FieldType

__all__ = ["OWN_POINTS", "TEXT_TESTS", "fold", "may_match", "text_contains", "text_starts_with"]

#: What a policy's ``achievement:`` condition reads besides the achievement's fields: the points it
#: counts for in the ledger (after adjustments). Only policies see it: they are decided after the ledger.
OWN_POINTS: Mapping[str, FieldSpec] = {"points": FieldSpec(FieldType.NUMBER)}


def fold(value: Any) -> Any:
    """Text as ``ignore_case`` compares it (Unicode case folding); anything else unchanged."""
    return value.casefold() if isinstance(value, str) else value


def text_contains(value: Any, part: str) -> bool:
    """Whether a fact value is text holding ``part`` (an absent or non-text value never does)."""
    return isinstance(value, str) and part in value


def text_starts_with(value: Any, prefix: str) -> bool:
    """Whether a fact value is text beginning with ``prefix``."""
    return isinstance(value, str) and value.startswith(prefix)


#: The text operators, each with its test of (fact value, operand).
TEXT_TESTS: Mapping[str, Callable[[Any, str], bool]] = {
    "contains": text_contains,
    "starts_with": text_starts_with,
}


def may_match(cond: Condition, known: Mapping[str, object]) -> bool:
    """Whether ``cond`` could hold for an achievement of which only ``known`` fields are certain.

    A static check (three-valued: unknown fields could be anything), used to find
    equivalence rules that could derive each other in a cycle.
    """
    return _maybe(cond, known) is not False


def _maybe(cond: Condition, known: Mapping[str, object]) -> bool | None:
    if isinstance(cond, Exists):
        return (cond.present if cond.path in known else None) if cond.present else None
    if isinstance(cond, Compare):
        if cond.path not in known or cond.ref is not None or cond.fold or cond.op in TEXT_TESTS:
            return None  # text tests and folded ones: unknown (a cycle check may over-warn, never miss)
        value: Any = known[cond.path]
        target: Any = cond.value
        if cond.order:
            rank = {level: i for i, level in enumerate(cond.order)}
            if value not in rank:
                return False
            value = rank[value]
            target = tuple(rank[t] for t in target) if isinstance(target, tuple) else rank[target]
        tests: dict[str, Callable[[], Any]] = {
            "eq": lambda: value == target,
            "ne": lambda: value != target,
            "in": lambda: value in target,
            "not_in": lambda: value not in target,
            "gt": lambda: value > target,
            "gte": lambda: value >= target,
            "lt": lambda: value < target,
            "lte": lambda: value <= target,
            "between": lambda: target[0] <= value <= target[1],
        }
        try:
            return bool(tests[cond.op]())
        except TypeError:
            return None
    if isinstance(cond, AllOf):
        results = [_maybe(c, known) for c in cond.items]
        return False if False in results else (True if all(results) else None)
    if isinstance(cond, AnyOf):
        results = [_maybe(c, known) for c in cond.items]
        return True if True in results else (False if all(r is False for r in results) else None)
    inner = _maybe(cond.item, known)
    return None if inner is None else not inner
