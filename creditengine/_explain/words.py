"""Words: the glossary of record fields in Chinese, values, conditions and requirements as text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
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


Titles = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


@dataclass(frozen=True, slots=True)
class PackWords:
    """A pack's own names for its ids, for sentences only (JSON keeps the ids): category titles,
    the record fields whose values are categories (``industry`` where a conversion says
    ``category: "{industry}"``), and each status by the title of the policy that grants it."""

    categories: Mapping[str, str]
    category_fields: frozenset[str]
    statuses: Mapping[str, str]

    def value(self, path: str, value: Any) -> str | None:
        """The Chinese title of a category id compared by a category field, else None."""
        if path in self.category_fields and isinstance(value, str):
            return self.categories.get(value)
        return None


_PACK_WORDS: dict[tuple[Titles, tuple[str, ...], Titles], PackWords] = {}
_SPOKEN: ContextVar[PackWords | None] = ContextVar("creditengine_pack_words", default=None)


def pack_words(categories: Titles, category_fields: tuple[str, ...], statuses: Titles) -> PackWords:
    """The words of a pack (one object per pack, so cached sentences stay cached)."""
    key = (categories, category_fields, statuses)
    words = _PACK_WORDS.get(key)
    if words is None:
        if len(_PACK_WORDS) >= 256:  # packs come and go in a long-lived process
            _PACK_WORDS.clear()

        def zh(titles: Titles) -> dict[str, str]:
            return {ident: dict(texts)["zh"] for ident, texts in titles if "zh" in dict(texts)}

        words = PackWords(zh(categories), frozenset(category_fields), zh(statuses))
        _PACK_WORDS[key] = words
    return words


@contextmanager
def speaking(words: PackWords | None) -> Iterator[None]:
    """Sentences rendered inside use ``words`` (Chinese only; None keeps the ids)."""
    token = _SPOKEN.set(words)
    try:
        yield
    finally:
        _SPOKEN.reset(token)


def spoken() -> PackWords | None:
    """The pack words of the sentences being rendered, if any."""
    return _SPOKEN.get()


def status_text(status: str, zh: bool) -> str:
    """A status in a sentence: ``技能人才（skilled）`` in Chinese where the pack titles it."""
    words = _SPOKEN.get() if zh else None
    title = words.statuses.get(status) if words is not None else None
    return f"{title}（{status}）" if title else status


def _field(path: str, zh: bool) -> str:
    return _FIELDS_ZH.get(path, path) if zh else path


def _value(path: str, value: Any, zh: bool) -> str:
    words = _SPOKEN.get() if zh else None
    if words is not None and path in words.category_fields:
        if isinstance(value, list):
            return "[" + "、".join(words.value(path, v) or show(v) for v in value) + "]"
        title = words.value(path, value)
        if title is not None:
            return title
    if zh and path == "type":
        if isinstance(value, list):
            return "[" + "、".join(_TYPES_ZH.get(v, str(v)) for v in value) + "]"
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
_TEXTS: dict[tuple[int, str, str, int], tuple[Described, PackWords | None, str]] = {}
_MOST_TEXTS = 65536  # packs come and go in a long-lived process: the cache stays bounded


def _cached(desc: Mapping[str, Any] | Described, lang: str, kind: str, make: Callable[[], str]) -> str:
    if not isinstance(desc, Described):
        return make()
    words = _SPOKEN.get() if lang == "zh" else None  # pack words change Chinese text only
    key = (id(desc), lang, kind, id(words))
    hit = _TEXTS.get(key)
    if hit is not None and hit[0] is desc and hit[1] is words:
        return hit[2]
    if len(_TEXTS) >= _MOST_TEXTS:
        _TEXTS.clear()
    text = make()
    _TEXTS[key] = (desc, words, text)
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
            titled = True
        else:
            titled = False
        kind = "类" if titled else " 类"  # a Chinese title runs on; an id is set apart
        if "where" in total:
            cond = condition_text(total["where"], lang)
            if zh:
                return f"来自（{cond}）的{f'{category}{kind}' if category else ''}积分 >= {gte}"
            return f"total{f' {category}' if category else ''} from {cond} >= {gte}"
        if category:
            return f"{category}{kind}积分 >= {gte}" if zh else f"total {category} >= {gte}"
        return f"总积分 >= {gte}" if zh else f"total >= {gte}"
    if "achievement" in desc:
        cond, at_least = condition_text(desc["achievement"], lang), desc["at_least"]
        if at_least == 1:
            return f"一项成果满足：{cond}" if zh else f"an achievement with {cond}"
        return (
            f"至少 {at_least} 项成果满足：{cond}" if zh else f"at least {at_least} achievements with {cond}"
        )
    if "status" in desc:
        return f"已获资格 {status_text(desc['status'], True)}" if zh else f"status {desc['status']}"
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
