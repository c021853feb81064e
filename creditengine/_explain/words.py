"""Words: the glossary of record fields in Chinese, values, conditions and requirements as text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from .._trace import Described, format_points

#: Languages every message is written in.
LANGUAGES = ("en", "zh")

_SYMBOLS = {"eq": "=", "ne": "!=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}

# Chinese names of the record's fields and achievement types, so conditions read in one
# language; anything not listed (a pack's own ids, worker attributes) is shown as written.
_FIELDS_ZH = {
    "id": "编号",
    "type": "类型",
    "title": "名称",
    "provider.id": "机构",
    "provider.name": "机构名称",
    "provider.accredited": "机构经认定",
    "provider.jurisdiction": "机构所在地",
    "completed": "完成日期",
    "hours": "学时",
    "industry": "行业",
    "assessment.passed": "考核通过",
    "assessment.score": "考核成绩",
    "assessment.attendance": "出勤率",
    "occupation": "职业",
    "level.framework": "等级框架",
    "level.value": "等级",
    "credits.value": "学分",
    "points": "本项积分",
    "credits.system": "学分体系",
    "field": "领域",
    "expires": "有效期至",
    "issuer.id": "发证机构",
    "issuer.jurisdiction": "发证地",
}
_TYPES_ZH = {
    "course": "培训课程",
    "certificate": "证书",
    "formal_credit": "学历教育学分",
    "qualification": "资历",
    "award": "奖项",
}
_PERIODS_ZH = {"year": "年", "half": "半年", "quarter": "季度", "month": "月"}


def _field(path: str, zh: bool) -> str:
    return _FIELDS_ZH.get(path, path) if zh else path


def _value(path: str, value: Any, zh: bool) -> str:
    if zh and path == "type":
        if isinstance(value, list):
            return "[" + ", ".join(_TYPES_ZH.get(v, str(v)) for v in value) + "]"
        return _TYPES_ZH.get(value, show(value))
    if zh and isinstance(value, bool):
        return "是" if value else "否"
    return show(value)


_PER_ZH = {"year": "年", "half": "半年", "quarter": "季度", "month": "月", "lifetime": ""}
_KEEP_ZH = {"highest": "最高", "first": "最早"}


def show(value: Any) -> str:
    """A fact or literal as text: ``12.5``, ``2024-01-01``, ``true``, ``[a, b]``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format_points(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return str(value)


# --- conditions and requirements ----------------------------------------------------


_TEXT_WORDS = {
    "in": ("in", "属于"),
    "not_in": ("not in", "不属于"),
    "contains": ("contains", "包含"),
    "starts_with": ("starts with", "开头为"),
}


def _compare(desc: Mapping[str, Any], zh: bool) -> str:
    text = _compare_exact(desc, zh)
    if desc.get("ignore_case"):
        return f"{text}（不区分大小写）" if zh else f"{text} (any case)"
    return text


def _compare_exact(desc: Mapping[str, Any], zh: bool) -> str:
    path, op = desc["field"], desc["op"]
    name = _field(path, zh)
    if "ref" in desc:
        return f"{name} {_SYMBOLS[op]} {_field(desc['ref'], zh)}"
    value = desc["value"]
    if op in _SYMBOLS:
        return f"{name} {_SYMBOLS[op]} {_value(path, value, zh)}"
    if op == "between":
        low, high = value
        if zh:
            return f"{name} 介于 {show(low)} 与 {show(high)} 之间"
        return f"{name} between {show(low)} and {show(high)}"
    word = _TEXT_WORDS[op][zh]
    return f"{name} {word} {_value(path, value, zh)}"


def _condition(desc: Mapping[str, Any], zh: bool, nested: bool = False) -> str:
    if "op" in desc:
        return _compare(desc, zh)
    if "exists" in desc:
        if zh:
            return f"{_field(desc['field'], True)} {'已填写' if desc['exists'] else '未填写'}"
        return f"{desc['field']} {'is present' if desc['exists'] else 'is absent'}"
    if "all" in desc:
        items = desc["all"]
        text = ("，" if zh else ", ").join(_condition(c, zh, True) for c in items)
        return f"({text})" if nested and len(items) > 1 else text
    if "any" in desc:
        return "(" + (" 或 " if zh else " or ").join(_condition(c, zh, True) for c in desc["any"]) + ")"
    return f"{'非' if zh else 'not '}({_condition(desc['not'], zh)})"


def _data(desc: Any) -> Mapping[str, Any]:
    """A description, whether as evaluation made it or as read back from stored JSON."""
    return desc.data if isinstance(desc, Described) else desc


# A pack's descriptions are made once and shared by every record's reasons, so their text
# is kept by identity (with the description, so an id is never reused while cached).
_TEXTS: dict[tuple[int, str, str], tuple[Described, str]] = {}
_MOST_TEXTS = 65536  # packs come and go in a long-lived process: the cache stays bounded


def _cached(desc: Mapping[str, Any] | Described, lang: str, kind: str, make: Callable[[], str]) -> str:
    if not isinstance(desc, Described):
        return make()
    key = (id(desc), lang, kind)
    hit = _TEXTS.get(key)
    if hit is not None and hit[0] is desc:
        return hit[1]
    if len(_TEXTS) >= _MOST_TEXTS:
        _TEXTS.clear()
    text = make()
    _TEXTS[key] = (desc, text)
    return text


def condition_text(desc: Mapping[str, Any] | Described, lang: str) -> str:
    """A described condition as text: ``type = certificate, level.value >= 3``."""
    return _cached(desc, lang, "condition", lambda: _condition(_data(desc), lang == "zh"))


def requirement_text(desc: Mapping[str, Any] | Described, lang: str) -> str:
    """A described requirement as text: ``total advanced_manufacturing >= 100``."""
    return _cached(desc, lang, "requirement", lambda: _requirement_text(_data(desc), lang))


def _requirement_text(desc: Mapping[str, Any], lang: str) -> str:
    zh = lang == "zh"
    if "total" in desc:
        total = desc["total"]
        gte, category = total["gte"], total.get("category")
        if zh and category and "zh" in total.get("category_title", {}):
            category = total["category_title"]["zh"]  # the pack's own Chinese name for it
        if "where" in total:
            cond = condition_text(total["where"], lang)
            if zh:
                return f"来自（{cond}）的{f'{category} 类' if category else ''}积分 >= {gte}"
            return f"total{f' {category}' if category else ''} from {cond} >= {gte}"
        if category:
            return f"{category} 类积分 >= {gte}" if zh else f"total {category} >= {gte}"
        return f"总积分 >= {gte}" if zh else f"total >= {gte}"
    if "achievement" in desc:
        cond, at_least = condition_text(desc["achievement"], lang), desc["at_least"]
        if at_least == 1:
            return f"一项成果满足：{cond}" if zh else f"an achievement with {cond}"
        return (
            f"至少 {at_least} 项成果满足：{cond}" if zh else f"at least {at_least} achievements with {cond}"
        )
    if "status" in desc:
        return f"已获资格 {desc['status']}" if zh else f"status {desc['status']}"
    if "worker" in desc:
        cond = condition_text(desc["worker"], lang)
        return f"劳动者：{cond}" if zh else f"worker {cond}"
    if "not" in desc:
        inner = requirement_text(desc["not"], lang)
        return f"非（{inner}）" if zh else f"not ({inner})"
    parts = [requirement_text(r, lang) for r in desc.get("all", desc.get("any", ()))]
    if "all" in desc:
        return "全部满足：" + "；".join(parts) if zh else "all of: " + "; ".join(parts)
    return "任一满足：" + "；".join(parts) if zh else "any of: " + "; ".join(parts)
