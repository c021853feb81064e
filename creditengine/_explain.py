"""Plain-language text, in English and Chinese, for conditions, requirements
and the effects of rules: the words behind every "why" and "why not"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from ._expr import AllOf, AnyOf, Compare, Condition, Exists
from ._ir import AchievementReq, AllReq, AnyReq, NotReq, Requirement, StatusReq, TotalReq, WorkerReq
from ._results import Phrase, format_points

__all__ = ["condition_phrase", "requirement_phrase", "show_value", "titles_phrase"]

_SYMBOLS = {"eq": "=", "ne": "!=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def titles_phrase(titles: tuple[tuple[str, str], ...], fallback: str) -> Phrase:
    """A rule file's ``title`` map as a phrase; ``fallback`` (its id) when it has no English title."""
    names = dict(titles)
    return Phrase(names.get("en", fallback), names.get("zh", ""))


def show_value(value: object) -> str:
    """A fact or literal as text."""
    if isinstance(value, Decimal):
        return format_points(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(show_value(v) for v in value) + "]"
    return str(value)


def _compare(cond: Compare, lang: str) -> str:
    if cond.ref is not None:
        return f"{cond.path} {_SYMBOLS[cond.op]} {cond.ref}"
    value = cond.value
    if cond.op in _SYMBOLS:
        return f"{cond.path} {_SYMBOLS[cond.op]} {show_value(value)}"
    if cond.op == "between":
        low, high = value
        if lang == "zh":
            return f"{cond.path} 介于 {show_value(low)} 与 {show_value(high)} 之间"
        return f"{cond.path} between {show_value(low)} and {show_value(high)}"
    word = {"in": ("in", "属于"), "not_in": ("not in", "不属于")}[cond.op][lang == "zh"]
    return f"{cond.path} {word} {show_value(value)}"


def _condition(cond: Condition, lang: str, nested: bool = False) -> str:
    zh = lang == "zh"
    if isinstance(cond, Compare):
        return _compare(cond, lang)
    if isinstance(cond, Exists):
        if zh:
            return f"{cond.path} {'已填写' if cond.present else '未填写'}"
        return f"{cond.path} {'is present' if cond.present else 'is absent'}"
    if isinstance(cond, AllOf):
        text = ("，" if zh else ", ").join(_condition(c, lang, True) for c in cond.items)
        return f"({text})" if nested and len(cond.items) > 1 else text
    if isinstance(cond, AnyOf):
        text = (" 或 " if zh else " or ").join(_condition(c, lang, True) for c in cond.items)
        return f"({text})"
    return f"{'非' if zh else 'not '}({_condition(cond.item, lang)})"


# Phrases depend only on the rule text, so each is built once per IR node. Keyed by
# identity (hashing a frozen tree walks all of it); the node is kept with its phrase
# so an id is never reused for another node while cached.
_PHRASES: dict[int, tuple[object, Phrase]] = {}


def _cached(node: object, build: Callable[[], Phrase]) -> Phrase:
    hit = _PHRASES.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    phrase = build()
    if len(_PHRASES) > 65536:  # packs come and go in a long-lived process
        _PHRASES.clear()
    _PHRASES[id(node)] = (node, phrase)
    return phrase


def condition_phrase(cond: Condition) -> Phrase:
    """A condition as text: ``type = certificate, level.value >= 3``."""
    return _cached(cond, lambda: Phrase(_condition(cond, "en"), _condition(cond, "zh")))


def requirement_phrase(req: Requirement) -> Phrase:
    """A requirement as text: ``total advanced_manufacturing >= 100``."""
    return _cached(req, lambda: _requirement_phrase(req))


def _requirement_phrase(req: Requirement) -> Phrase:
    if isinstance(req, TotalReq):
        gte = format_points(req.gte)
        if req.where is not None:
            cond = condition_phrase(req.where)
            name = f" {req.category}" if req.category else ""
            zh = f"{req.category} 类" if req.category else ""
            return Phrase(f"total{name} from {cond.en} >= {gte}", f"来自（{cond.zh}）的{zh}积分 >= {gte}")
        if req.category:
            return Phrase(f"total {req.category} >= {gte}", f"{req.category} 类积分 >= {gte}")
        return Phrase(f"total >= {gte}", f"总积分 >= {gte}")
    if isinstance(req, AchievementReq):
        cond = condition_phrase(req.condition)
        if req.at_least == 1:
            return Phrase(f"an achievement with {cond.en}", f"一项成就满足：{cond.zh}")
        return Phrase(
            f"at least {req.at_least} achievements with {cond.en}",
            f"至少 {req.at_least} 项成就满足：{cond.zh}",
        )
    if isinstance(req, StatusReq):
        return Phrase(f"status {req.status}", f"已获资格 {req.status}")
    if isinstance(req, WorkerReq):
        cond = condition_phrase(req.condition)
        return Phrase(f"worker {cond.en}", f"劳动者：{cond.zh}")
    if isinstance(req, NotReq):
        inner = requirement_phrase(req.item)
        return Phrase(f"not ({inner.en})", f"非（{inner.zh}）")
    parts = [requirement_phrase(r) for r in req.items]
    if isinstance(req, AllReq):
        return Phrase(
            "all of: " + "; ".join(p.en for p in parts), "全部满足：" + "；".join(p.zh for p in parts)
        )
    assert isinstance(req, AnyReq)
    return Phrase("any of: " + "; ".join(p.en for p in parts), "任一满足：" + "；".join(p.zh for p in parts))
