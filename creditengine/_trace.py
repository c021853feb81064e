"""What happened during an evaluation, as data: reason codes with parameters, no language.

Evaluation records a :class:`Reason` wherever it used to write a sentence (as
OpenFisca's trace nodes record a computation). The renderer, ``_explain``, is the
only place that turns reasons into English or Chinese, so results can be stored
and shown later in either language, and backends that agree on the trace agree
on every sentence.

Parameters are plain values: text, numbers (``Decimal``), dates, booleans,
tuples of them, nested reasons, a pack's own wording by language (:class:`Wording`),
and descriptions of conditions and requirements (:func:`describe_condition`,
:func:`describe_requirement`): JSON-ready mappings in the rule language's own
shape (``{"field": "level.value", "op": "gte", "value": "3"}``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from ._expr import AllOf, AnyOf, Compare, Condition, Exists, Not
from ._ir import (
    AchievementReq,
    AllReq,
    AnyReq,
    NotReq,
    Requirement,
    StatusReq,
    TotalReq,
    WorkerReq,
    requirement_nodes,
)

__all__ = [
    "Described",
    "Describer",
    "Reason",
    "Wording",
    "describe_condition",
    "describe_requirement",
    "format_points",
    "json_value",
    "wording",
]

Description = dict[str, Any]
#: A pack's own words for something, by language: ``(("en", "..."), ("zh", "..."))``.
Titles = tuple[tuple[str, str], ...]


class Reason(NamedTuple):
    """One thing that happened: a stable ``code`` and its ``params`` (no sentence).

    A named tuple, not a dataclass: evaluation makes many of them per record.
    """

    code: str
    params: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        """``{"code": ..., "params": {...}}`` with every parameter JSON-ready."""
        return {"code": self.code, "params": {k: json_value(v) for k, v in self.params.items()}}


class Wording(NamedTuple):
    """A pack's own words (a title, an exclusion reason) by language code, as written in its files."""

    texts: tuple[tuple[str, str], ...]
    fallback: str = ""

    def text(self, lang: str) -> str:
        """The words in ``lang``; English (then ``fallback``) when that language was not written."""
        for code, text in self.texts:
            if code == lang:
                return text
        for code, text in self.texts:
            if code == "en":
                return text
        return self.fallback


def wording(texts: tuple[tuple[str, str], ...], fallback: str = "") -> Wording:
    """A pack's ``title``-style map as :class:`Wording`; ``fallback`` (an id) when it has no English."""
    return Wording(texts, fallback)


def format_points(value: Decimal) -> str:
    """Decimal as plain text without exponent or trailing zeros: ``96``, ``12.5``.

    Context-free (no ``normalize()``), so a caller's decimal precision never changes output.
    """
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def json_value(value: Any) -> Any:
    """A parameter as JSON: numbers as exact text, dates in ISO 8601, tuples as lists."""
    kind = type(value)
    if kind is str or value is None or kind is bool or kind is int:
        return value
    if kind is Described:
        return value.data
    if isinstance(value, Decimal):
        return format_points(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Reason):
        return value.to_json()
    if isinstance(value, Wording):
        return dict(value.texts) if value.texts else value.fallback
    if isinstance(value, tuple | list):
        return [json_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    raise TypeError(f"not a trace parameter: {type(value).__name__}")


def _literal(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_literal(v) for v in value]
    return json_value(value)


def describe_condition(cond: Condition) -> Description:
    """A condition as JSON-ready data, in the rule language's own shape."""
    match cond:
        case Compare(ref=None):
            out = dict(field=cond.path, op=cond.op, value=_literal(cond.value))
            return {**out, "ignore_case": True} if cond.fold else out
        case Compare():
            out = dict(field=cond.path, op=cond.op, ref=cond.ref)
            return {**out, "ignore_case": True} if cond.fold else out
        case Exists():
            return dict(field=cond.path, exists=cond.present)
        case AllOf():
            return dict(all=[describe_condition(c) for c in cond.items])
        case AnyOf():
            return dict(any=[describe_condition(c) for c in cond.items])
        case Not():
            return {"not": describe_condition(cond.item)}


def describe_requirement(req: Requirement, titles: Mapping[str, Titles] | None = None) -> Description:
    """A policy requirement as JSON-ready data, in the rule language's own shape.

    :param titles: category titles by language (pack.yaml), shown in place of ids where written.
    """
    match req:
        case TotalReq():
            total: Description = {"gte": format_points(req.gte)}
            if req.category is not None:
                total["category"] = req.category
                if titles and req.category in titles:
                    total["category_title"] = dict(titles[req.category])
            if req.where is not None:
                total["where"] = describe_condition(req.where)
            return dict(total=total)
        case AchievementReq():
            return dict(achievement=describe_condition(req.condition), at_least=req.at_least)
        case StatusReq():
            return dict(status=req.status)
        case WorkerReq():
            return dict(worker=describe_condition(req.condition))
        case NotReq():
            return {"not": describe_requirement(req.item, titles)}
        case AllReq():
            return dict(all=[describe_requirement(r, titles) for r in req.items])
        case AnyReq():
            return dict(any=[describe_requirement(r, titles) for r in req.items])


class Described(NamedTuple):
    """A description as a trace parameter: JSON-ready already, so results pass it through
    as it is instead of walking it again for every record (the renderer unwraps it)."""

    data: Description


class Describer:
    """Descriptions of a pack's requirements and conditions, built once up front.

    Reasons share these (read-only) descriptions, so describing costs nothing per record.
    A node the describer was not built with is described afresh (and not kept).
    """

    def __init__(
        self, requirements: Iterable[Requirement], category_titles: Mapping[str, Titles] | None = None
    ) -> None:
        self._titles = category_titles
        self._known: dict[int, tuple[object, Described]] = {}
        for req in requirements:
            self._walk(req)

    def _keep(self, node: object, desc: Description) -> None:
        self._known[id(node)] = (node, Described(desc))  # the node is kept: its id is never reused

    def _walk(self, req: Requirement) -> None:
        for node in requirement_nodes(req):
            self._keep(node, describe_requirement(node, self._titles))
            if isinstance(node, AchievementReq | WorkerReq):
                cond = node.condition
                self._keep(cond, describe_condition(cond))
                if isinstance(cond, AllOf):
                    for part in cond.items:
                        self._keep(part, describe_condition(part))

    def requirement(self, req: Requirement) -> Described:
        """The description of ``req``."""
        hit = self._known.get(id(req))
        if hit is not None and hit[0] is req:
            return hit[1]
        return Described(describe_requirement(req, self._titles))

    def condition(self, cond: Condition) -> Described:
        """The description of ``cond``."""
        hit = self._known.get(id(cond))
        return hit[1] if hit is not None and hit[0] is cond else Described(describe_condition(cond))
