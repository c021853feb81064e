"""The renderer: reasons (codes with parameters) into English and Chinese sentences.

This is the only module of the library that makes sentences or holds Chinese
text (a structural test says so). Evaluation records :class:`~._trace.Reason`
values; results call :func:`render` when they are shown, in the language asked.
Each code has one entry in ``MESSAGES``, a function of its parameters and the
language; conditions and requirements are rendered from their descriptions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from ._trace import Described, Reason, Wording, format_points

__all__ = [
    "LANGUAGES",
    "LINT_MESSAGES",
    "MESSAGES",
    "condition_text",
    "lint_message",
    "render",
    "requirement_text",
    "show",
]

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


def _compare(desc: Mapping[str, Any], zh: bool) -> str:
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
    word = {"in": ("in", "属于"), "not_in": ("not in", "不属于")}[op][zh]
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


# --- the message catalogue ----------------------------------------------------------

Params = Mapping[str, Any]
Message = Callable[[Params, bool], str]


def _names(names: Any) -> str:
    return ", ".join(str(n) for n in names) or "none"


def _pairs(pairs: Any, zh: bool = False) -> str:
    return ("，" if zh else ", ").join(f"{_field(k, zh)}={_value(k, v, zh)}" for k, v in pairs)


def _span(p: Params, zh: bool) -> str:
    """A cap's period and grouping: ``per year (2024-01-01..2024-12-31), for provider.id=P1``."""
    period = p["period"]
    if period is None:
        span = "累计" if zh else "in all"
    else:
        shown = f"{show(period[0])}..{show(period[1])}"
        span = f"每{_PER_ZH[p['per']]}（{shown}）" if zh else f"per {p['per']} ({shown})"
    if p["by"]:
        span += f"，{_pairs(p['by'], True)}" if zh else f", for {_pairs(p['by'])}"
    return span


def _cut(p: Params, zh: bool) -> str:
    return f"{'，' if zh else ', '}-{show(p['cut'])}"


def _described(achievement: str, title: str | None) -> str:
    return f"{achievement} ({title})" if title else achievement


def _closest(p: Params, zh: bool) -> str:
    parts = []
    for failed in p["failed"]:
        text = condition_text(failed["condition"], "zh" if zh else "en")
        if "has" in failed:
            if failed["has"] is None:
                actual = "无" if zh else "none"
            else:
                actual = _value(_data(failed["condition"]).get("field", ""), failed["has"], zh)
            if actual:
                text = f"{text}（实际 {actual}）" if zh else f"{text} (has {actual})"
        parts.append(text)
    name = _described(p["achievement"], p["title"])
    return f"{name} 不满足 {'；'.join(parts)}" if zh else f"{name} fails {'; '.join(parts)}"


def _claims_span(p: Params, zh: bool) -> str:
    period = p["period"]
    if period is None:
        return "累计" if zh else "in all"
    shown = f"{show(period[0])}..{show(period[1])}"
    return f"每{_PERIODS_ZH[p['per']]}（{shown}）" if zh else f"per {p['per']} ({shown})"


def _transfer(p: Params, zh: bool) -> str:
    points, from_points = show(p["points"]), show(p["from_points"])
    courses, exempted = p["courses"], show(p["from_exemptions"])
    by_rate = p.get("by_rate", True)  # results stored before exemption-only wording had no such key
    if zh:
        text = f"积分 {points} 折合 {from_points} 学分，" if by_rate else ""
        text += f"免修 {courses} 门课程 {exempted} 学分"
        return text + (f"；上限 {show(p['limit'])} 学分" if p["capped"] else "")
    if by_rate:
        text = f"{from_points} credits from {points} points, {exempted} from {courses} exempted courses"
    else:
        text = f"{exempted} credits from {courses} exempted courses"
    if p["capped"]:
        share = ""
        if p["max_share"] is not None:
            percent = format_points(Decimal(str(p["max_share"])) * 100)
            share = f" (at most {percent}% of {show(p['programme_credits'])})"
        text += f"; capped at {show(p['limit'])}{share}"
    return text


def _window(p: Params) -> str:
    start, until = p["window"]
    return f"{show(start)}..{show(until) if until is not None else ''}"


def _claim_amount(p: Params, zh: bool) -> str:
    if p["achievement"] is not None:
        subject = p["achievement"]
    else:
        subject = f"资格 {p['status']}" if zh else f"status {p['status']}"
    extra = f" +{show(p['percent'])}%" if p["percent"] else ""
    return f"{subject}{'：' if zh else ': '}{show(p['base'])} {p['currency']}{extra}"


_ABSENT = {
    "when": (
        "{rule} does not apply: it tests worker attribute {attr}, which the record lacks",
        "{rule} 不适用：它检查劳动者属性 {attr}，而记录中没有该属性",
    ),
    "unless": (
        "{rule}: its exemption (unless) cannot hold: it tests worker attribute {attr}, "
        "which the record lacks",
        "{rule}：豁免条件（unless）无法成立：它检查劳动者属性 {attr}，而记录中没有该属性",
    ),
    "bonus": (
        "{rule}: its bonus does not apply: it tests worker attribute {attr}, which the record lacks",
        "{rule}：加成不适用：它检查劳动者属性 {attr}，而记录中没有该属性",
    ),
    "requires": (
        "{rule} cannot be met: it tests worker attribute {attr}, which the record lacks",
        "{rule} 无法满足：它检查劳动者属性 {attr}，而记录中没有该属性",
    ),
    "partly": (
        "{rule}: a test of worker attribute {attr} fails, as the record lacks it",
        "{rule}：记录中没有劳动者属性 {attr}，对它的检查不成立",
    ),
}


def _fallback(p: Params) -> str:
    """The category a warning counts points under, by its Chinese title where the pack gives one."""
    title = p.get("fallback_title")
    if isinstance(title, Wording):
        return title.text("zh")
    if isinstance(title, Mapping):  # read back from stored JSON
        return str(title.get("zh") or title.get("en") or p["fallback"])
    return str(p["fallback"])


def _text(value: Any, zh: bool) -> str:
    if isinstance(value, Mapping):  # a pack's wording read back from stored JSON
        return str(value.get("zh" if zh else "en") or value.get("en") or "")
    return value.text("zh" if zh else "en") if isinstance(value, Wording) else str(value)


def _number(value: Any) -> Decimal:
    """A number parameter, whether as evaluation made it or as read back from JSON (text)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _reason(value: Any) -> Reason:
    """A nested reason, whether as evaluation made it or as read back from JSON."""
    return value if isinstance(value, Reason) else Reason(value["code"], value["params"])


def _requirement(p: Params, zh: bool) -> str:
    return requirement_text(p["requirement"], "zh" if zh else "en")


def _cited(p: Params, zh: bool) -> str:
    """A rule file as an explanation cites it: title, id and version."""
    title = _text(p["title"], zh)
    return (
        f"{title}（{p['id']}，{p['version']} 版）" if zh else f"{title} ({p['id']}, version {p['version']})"
    )


def _explain_claim(p: Params, zh: bool) -> str:
    granted = p["status"] == "granted"
    amount = f"{show(p['amount'])} {p['currency']}"
    if zh:
        subject = f"{'、'.join(p['for'])} 的申领" if p["for"] else "按资格申领"
        return f"{_cited(p, True)}，{subject}：{f'发放 {amount}' if granted else '不予发放'}"
    subject = f"for {', '.join(p['for'])}" if p["for"] else "for a status"
    return f"{_cited(p, False)} {subject}: {f'granted {amount}' if granted else 'refused'}"


def _explain_transfer(p: Params, zh: bool) -> str:
    programme = f"{p['programme']} ({_text(p['programme_title'], zh)})"
    if zh:
        programme = f"{p['programme']}（{_text(p['programme_title'], True)}）"
        outcome = f"认定 {show(p['credits'])} 学分" if p["status"] == "granted" else "不予转换"
        return f"{_cited(p, True)}，转入 {programme}：{outcome}"
    outcome = f"{show(p['credits'])} credits recognised" if p["status"] == "granted" else "not transferred"
    return f"{_cited(p, False)} into {programme}: {outcome}"


def _formula(p: Params, zh: bool) -> str:
    field = _field(p["field"], zh)
    times, per = _number(p["times"]), _number(p["per"])
    if times == 1 and per == 1:
        return field
    if times == 1:
        return f"{field} / {show(per)}"
    return f"{field} × {show(times)}" + (f" / {show(per)}" if per != 1 else "")


def _factors(p: Params, zh: bool) -> str:
    """Multipliers a new achievement would get, then what counts; and the rules that count it once."""
    text = ""
    if p["factors"]:
        steps = "".join(
            (f"，×{show(f)}（{rule}）" if zh else f", ×{show(f)} ({rule})") for rule, f in p["factors"]
        )
        text += f"{steps} = {show(p['counted'])}{' 分' if zh else ''}"
    for rule, keys in p["once_per"]:
        names = ("、" if zh else ", ").join(_field(k, zh) for k in keys)
        text += f"；同一{names}只计一次（{rule}）" if zh else f"; counted once per {names} ({rule})"
    for rule in p.get("unless", ()):
        text += f"；{rule} 排除的不计" if zh else f"; not if {rule} excludes it"
    return text


def _learning(p: Params, zh: bool) -> str:
    cond = condition_text(p["condition"], "zh" if zh else "en")
    amount, field = show(p["amount"]), _field(p["field"], zh)
    source = (
        f"{p['rule']}，{p['version']} 版：{_text(p['title'], zh)}"
        if zh
        else f"{p['rule']} {p['version']}: {_text(p['title'], zh)}"
    )
    if zh:
        return (
            f"例如一项成果满足：{cond}，{field} {amount}："
            f"{_formula(p, True)} = {show(p['points'])} 分（{source}）{_factors(p, True)}"
        )
    return (
        f"e.g. {amount} {field} in an achievement with {cond}: "
        f"{_formula(p, False)} = {show(p['points'])} points ({source}){_factors(p, False)}"
    )


def _table(p: Params, zh: bool) -> str:
    cond = condition_text(p["condition"], "zh" if zh else "en")
    if zh:
        source = f"{p['rule']}，{p['version']} 版：{_text(p['title'], True)}"
        return f"例如一项成果满足：{cond}：{show(p['points'])} 分（{source}）{_factors(p, True)}"
    source = f"{p['rule']} {p['version']}: {_text(p['title'], False)}"
    return f"e.g. an achievement with {cond}: {show(p['points'])} points ({source}){_factors(p, False)}"


def _capped(p: Params, zh: bool) -> str:
    cap = render(_reason(p["cap"]), "zh" if zh else "en")
    room = show(p["room"])
    if zh:
        if _number(p["room"]) == 0:
            return f"不能再从 {p['route']} 取得：{cap}，已达上限"
        return f"{p['route']} 最多还能计 {room} 分，不足所需：{cap}"
    if _number(p["room"]) == 0:
        return f"not from {p['route']}: {cap}, already reached"
    return f"at most {room} more from {p['route']}, not enough: {cap}"


def _change(p: Params, zh: bool) -> str:
    name = _described(p["achievement"], p["title"])
    parts = []
    for change in p["changes"]:
        cond = _data(change["condition"])
        path = cond.get("field", "")
        has = ("无" if zh else "none") if change["has"] is None else _value(path, change["has"], zh)
        if change["to"] is not None:
            to = _value(path, change["to"], zh)
            parts.append(
                f"{_field(path, zh)}为 {to}（现为 {has}）" if zh else f"{path} = {to} (instead of {has})"
            )
        else:
            text = condition_text(cond, "zh" if zh else "en")
            parts.append(f"{text}（现为 {has}）" if zh else f"{text} (has {has})")
    if zh:
        return f"一项与 {name} 类似、但{'，'.join(parts)}的成果"
    return f"an achievement like {name} but with {', '.join(parts)}"


def _status_advice(p: Params, zh: bool) -> str:
    if p["by"] is None:
        return (
            f"资格 {p['status']}：现行政策均不授予该资格"
            if zh
            else f"status {p['status']}: no policy in force grants it"
        )
    if zh:
        return f"资格 {p['status']}，由 {p['by']} 授予（见其最小改变）"
    return f"status {p['status']}, which {p['by']} grants (see its changes)"


def _requirements(p: Params, zh: bool) -> str:
    return ("、" if zh else " and ").join(
        requirement_text(r, "zh" if zh else "en") for r in p["requirements"]
    )


#: Every reason code with its sentence in each language.
MESSAGES: dict[str, Message] = {
    # ledger: what an adjustment did to an entry
    "ledger.multiplied": lambda p, zh: f"{'×' if zh else 'x'}{show(p['factor'])}",
    "ledger.excluded": lambda p, zh: (
        (f"不计分：{_text(p['reason'], True)}" if zh else f"excluded: {_text(p['reason'], False)}")
        + _cut(p, zh)
    ),
    "ledger.expired": lambda p, zh: (
        (f"已过期：有效期至 {show(p['until'])}" if zh else f"expired: counted until {show(p['until'])}")
        + _cut(p, zh)
    ),
    "ledger.duplicate": lambda p, zh: (
        (
            f"与 {p['keeper']} 重复（{_pairs(p['keys'], True)}，保留{_KEEP_ZH[p['keep']]}）"
            if zh
            else f"duplicate of {p['keeper']} ({_pairs(p['keys'])}, keep {p['keep']})"
        )
        + _cut(p, zh)
    ),
    "ledger.same_learning": lambda p, zh: (
        (
            f"与 {p['keeper']} 为同一学习成果，以 {p['keeper']} 计分"
            if zh
            else f"same learning as {p['keeper']}, which counts instead"
        )
        + _cut(p, zh)
    ),
    "ledger.capped_points": lambda p, zh: (
        (f"封顶：{_span(p, zh)} {show(p['limit'])} 分" if zh else f"cap {show(p['limit'])} {_span(p, zh)}")
        + _cut(p, zh)
    ),
    "ledger.capped_count": lambda p, zh: (
        (
            f"{_span(p, zh)}最多 {p['limit']} 项（保留{_KEEP_ZH[p['keep']]}）"
            if zh
            else f"at most {p['limit']} {_span(p, zh)} (keep {p['keep']})"
        )
        + _cut(p, zh)
    ),
    # policies: why (met) and why not (unmet)
    "policy.requirement": _requirement,
    "policy.any_of": lambda p, zh: "满足以下任一项" if zh else "any one of these",
    "policy.total_met": lambda p, zh: (
        f"{_requirement(p, zh)}（已有 {show(p['have'])}）"
        if zh
        else f"{_requirement(p, zh)} (has {show(p['have'])})"
    ),
    "policy.status_granted": lambda p, zh: (
        f"已获资格 {p['status']}（{p['by']}）" if zh else f"status {p['status']} (granted by {p['by']})"
    ),
    "policy.achievement_met": lambda p, zh: (
        f"{_described(p['achievement'], p['title'])}{'：' if zh else ': '}"
        f"{condition_text(p['condition'], 'zh' if zh else 'en')}"
    ),
    "policy.holds": lambda p, zh: f"{_requirement(p, zh)}{'：成立' if zh else ': holds'}",
    "policy.but": lambda p, zh: (
        "但 " + "；".join(render(r, "zh") for r in p["because"])
        if zh
        else "but " + "; ".join(render(r, "en") for r in p["because"])
    ),
    "policy.closest": _closest,
    "policy.not_eligible": lambda p, zh: (
        f"不符合条件：需要{_requirement(p, zh)}" if zh else f"not eligible: needs {_requirement(p, zh)}"
    ),
    # entitlements
    "claim.amount": _claim_amount,
    "claim.window_closed": lambda p, zh: (
        f"申领期限已于 {show(p['last'])} 届满" if zh else f"claim window closed on {show(p['last'])}"
    ),
    "claim.max_claims": lambda p, zh: (
        f"{_claims_span(p, True)}最多申领 {p['count']} 次"
        if zh
        else f"at most {p['count']} claim{'' if p['count'] == 1 else 's'} {_claims_span(p, False)}"
    ),
    "claim.same_learning": lambda p, zh: (
        f"与 {p['keeper']} 为同一学习成果，已在该项申领"
        if zh
        else f"same learning as {p['keeper']}, claimed there"
    ),
    "claim.once_per": lambda p, zh: (
        f"同一 {_pairs(p['keys'], True)} 只发放一次：{p['keeper']}"
        if zh
        else f"paid once per {_pairs(p['keys'])}: {p['keeper']}"
    ),
    # transfers
    "transfer.credits": _transfer,
    # explanations (evaluate --explain): the rule file that decided, and the smallest changes
    "explain.policy": lambda p, zh: (
        f"{_cited(p, True)}：{'符合' if p['status'] == 'met' else '不符合'}"
        if zh
        else f"{_cited(p, False)}: {'met' if p['status'] == 'met' else 'not met'}"
    ),
    "explain.claim": _explain_claim,
    "explain.transfer": _explain_transfer,
    "advice.points": lambda p, zh: (
        f"还差 {show(p['need'])} 分才满足 {_requirement(p, True)}（已有 {show(p['have'])}）"
        if zh
        else f"{show(p['need'])} more points for {_requirement(p, False)} (has {show(p['have'])})"
    ),
    "advice.points_with": lambda p, zh: (
        f"共还差 {show(p['need'])} 分，以满足 {_requirements(p, True)}（类别积分同时计入总积分）"
        if zh
        else f"{show(p['need'])} more points in all, to meet {_requirements(p, False)} "
        "(points in a category count toward the total too)"
    ),
    "advice.points_rest": lambda p, zh: (
        f"另需任意类别积分 {show(p['need'])} 分" if zh else f"{show(p['need'])} more points in any category"
    ),
    "advice.alternatives": lambda p, zh: (
        f"满足 {p['options']} 项中任一项即可，按差距从小到大："
        if zh
        else f"any one of {p['options']} alternatives, the smallest gap first:"
    ),
    "advice.option": lambda p, zh: (
        f"第 ({p['option']}) 项{'（差距最小）' if p['smallest'] else ''}"
        if zh
        else f"alternative ({p['option']}){' (smallest gap)' if p['smallest'] else ''}"
    ),
    "advice.achievement": lambda p, zh: (
        f"一项成果满足：{condition_text(p['condition'], 'zh')}"
        if zh
        else f"an achievement with {condition_text(p['condition'], 'en')}"
    ),
    "advice.achievements": lambda p, zh: (
        f"还差 {show(p['need'])} 项：{_requirement(p, True)}"
        if zh
        else f"{show(p['need'])} more for {_requirement(p, False)}"
    ),
    "advice.change": _change,
    "advice.status": _status_advice,
    "advice.requirement": lambda p, zh: (
        f"需要{_requirement(p, True)}" if zh else f"needs {_requirement(p, False)}"
    ),
    "advice.learning": _learning,
    "advice.table": _table,
    "advice.capped": _capped,
    "advice.cap_points": lambda p, zh: (
        f"{p['rule']} {_claims_span(p, True)}上限 {show(p['limit'])} 分（已用 {show(p['used'])}）"
        if zh
        else f"{p['rule']} caps it at {show(p['limit'])} {_claims_span(p, False)} ({show(p['used'])} used)"
    ),
    "advice.cap_count": lambda p, zh: (
        f"{p['rule']} {_claims_span(p, True)}最多计 {p['count']} 项（已计 {p['used']} 项）"
        if zh
        else f"{p['rule']} counts at most {p['count']} {_claims_span(p, False)} ({p['used']} counted)"
    ),
    # warnings
    "record.completed_after_as_of": lambda p, zh: (
        f"{p['achievement']}：完成于 {show(p['completed'])}，晚于评估日期，不计入"
        if zh
        else f"{p['achievement']}: completed {show(p['completed'])}, after the evaluation date; not counted"
    ),
    "record.attribute_absent": lambda p, zh: _ABSENT[p["role"]][zh].format(
        rule=p["rule"], attr=p["attribute"]
    ),
    "record.expires_before_completed": lambda p, zh: (
        f"{p['achievement']}：到期日 {show(p['expires'])} 早于完成日期 {show(p['completed'])}，请核对记录"
        if zh
        else f"{p['achievement']}: expires {show(p['expires'])}, before it was completed "
        f"({show(p['completed'])}); check the record"
    ),
    "record.unknown_framework": lambda p, zh: (
        f"{p['achievement']}：等级框架 {p['framework']} 未在规则包中声明（已声明：{_names(p['known'])}）"
        if zh
        else f"{p['achievement']}: framework {p['framework']} is not declared in the pack "
        f"(known: {_names(p['known'])})"
    ),
    "record.level_not_in_framework": lambda p, zh: (
        f"{p['achievement']}：等级 {p['level']} 不是等级框架 {p['framework']} 的等级"
        f"（等级为 {_names(p['levels'])}）"
        if zh
        else f"{p['achievement']}: level {p['level']} is not a level of framework {p['framework']} "
        f"(levels {_names(p['levels'])})"
    ),
    "record.attribute_undeclared": lambda p, zh: (
        f"劳动者属性 {p['attribute']} 未在 pack.yaml 中声明，不被任何政策使用"
        if zh
        else f"worker attribute {p['attribute']} is not declared in pack.yaml; no policy reads it"
    ),
    "convert.missing_field": lambda p, zh: (
        f"{p['achievement']}：{p['rule']} 需要{_field(p['field'], True)}，记录中没有"
        if zh
        else f"{p['achievement']}: {p['rule']} needs {p['field']}, which the record lacks"
    ),
    "convert.no_table_value": lambda p, zh: (
        f"{p['achievement']}：{p['rule']} 没有 {show(p['key'])} 对应的分值"
        if zh
        else f"{p['achievement']}: {p['rule']} has no value for {show(p['key'])}"
    ),
    "convert.negative_points": lambda p, zh: (
        f"{p['achievement']}：{p['rule']} 计算得 {show(p['points'])} 分，按 0 分计"
        if zh
        else f"{p['achievement']}: {p['rule']} gave {show(p['points'])} points; counted as 0"
    ),
    "convert.no_category": lambda p, zh: (
        f"{p['achievement']}：没有{_field(p['field'], True)}，计入 {_fallback(p)}"
        if zh
        else f"{p['achievement']}: no {p['field']}; counted under {p['fallback']}"
    ),
    "convert.not_a_category": lambda p, zh: (
        f"{p['achievement']}：{_field(p['field'], True)} {show(p['value'])} 不是积分类别，计入 {_fallback(p)}"
        if zh
        else f"{p['achievement']}: {p['field']} {show(p['value'])} is not a category; "
        f"counted under {p['fallback']}"
    ),
    "convert.version_not_in_force": lambda p, zh: (
        f"{p['achievement']}：{p['rule_file']} {p['version']} 版可换算，"
        f"但其有效期为 {_window(p)}，不含 {show(p['day'])}"
        if zh
        else f"{p['achievement']}: {p['rule_file']} version {p['version']} would convert it, "
        f"but is in force {_window(p)}, not on {show(p['day'])}"
    ),
    "derive.stopped": lambda p, zh: (
        f"推导已在 {p['limit']:,} 项后停止"
        if zh
        else f"derivation stopped after {p['limit']:,} derived achievements"
    ),
    "derive.no_mapped_level": lambda p, zh: (
        f"{p['achievement']}：{p['rule']} 中 {show(p['from_framework'])} {show(p['from_level'])} 级"
        f"没有对应的 {p['framework']} 等级，未推导"
        if zh
        else f"{p['achievement']}: {p['rule']} has no {p['framework']} level for "
        f"{show(p['from_framework'])} level {show(p['from_level'])}; nothing derived"
    ),
}


def render(reason: Reason, lang: str = "en") -> str:
    """The sentence for ``reason`` in ``lang`` (``en`` or ``zh``).

    A reason with a ``would_be`` parameter (a refused claim) says what it would have been.

    :raises KeyError: for a code the catalogue does not know.
    """
    zh = lang == "zh"
    text = MESSAGES[reason.code](reason.params, zh)
    if "would_be" in reason.params:
        shown = show(reason.params["would_be"])
        text += f"（本应为 {shown}）" if zh else f" (would be {shown})"
    return text


# --- lint findings (creditengine lint) ----------------------------------------------


def _fields_of(p: Params, zh: bool) -> str:
    return ("、" if zh else ", ").join(_field(f, zh) for f in str(p["fields"]).split(", ") if f)


def _unreachable(p: Params, zh: bool) -> str:
    if zh:
        text = "此 any: 分支永远不能成立" if p.get("branch") else "此条件永远不能成立"
        if p.get("fields"):
            text += f"：字段 {_fields_of(p, zh)} 没有任何取值能通过其全部检验"
        if p.get("window"):
            text += f"（本版本只换算完成日期在 {p['window']} 内的成果，convert_at: completed）"
        return text
    text = "this any: branch can never hold" if p.get("branch") else "this condition can never hold"
    if p.get("fields"):
        text += f": no value of {_fields_of(p, zh)} passes all its tests"
    if p.get("window"):
        text += (
            f" for an achievement completed in {p['window']}, when this version converts "
            "(convert_at: completed)"
        )
    return text


def _shadowed(p: Params, zh: bool) -> str:
    conversion = p["kind"] == "conversion"
    if zh:
        done, order = ("换算", "hit: first") if conversion else ("申领", "补贴规则按顺序尝试")
        return (
            f"规则 {p['rule']} 永远不会被使用：它排在 {p['earlier']} 之后，"
            f"它匹配的每项成果都已先由后者{done}（{order}）"
        )
    verb, order = (
        ("converts", "hit: first") if conversion else ("claims for", "entitlement rules are tried in order")
    )
    return (
        f"rule {p['rule']} is never used: it comes after {p['earlier']}, which {verb} "
        f"every achievement it matches first ({order})"
    )


def _kinds(p: Params, zh: bool) -> str:
    kinds = [k for k in str(p["types"]).split(", ") if k]
    if zh:
        return "或".join(_TYPES_ZH.get(k, k) for k in kinds)
    return " or ".join(f"a {k}" for k in kinds)


def _never_granted(p: Params, zh: bool) -> str:
    reason = p["reason"]
    if reason == "ungranted":
        why = "没有政策授予它" if zh else "no policy grants it"
    elif reason == "window" and zh:
        why = (
            f"授予它的 {p['policy']}（{p['windows']}）在 {p['file']} {p['version']} 版"
            f"（{p['window']}）生效期间从不生效"
        )
    elif reason == "window":
        why = (
            f"{p['policy']} ({p['windows']}) is never in force while {p['file']} {p['version']} "
            f"({p['window']}) is"
        )
    else:
        why = (
            f"授予它的 {p['policy']} 永远无法满足"
            if zh
            else f"{p['policy']}, which grants it, can never be met"
        )
    if zh:
        return f"此处要求资格 {p['status']}，但它永远不会被授予：{why}"
    return f"status {p['status']} is required here but can never be granted: {why}"


def _never_eligible(p: Params, zh: bool) -> str:
    if p["reason"] == "rules":
        if zh:
            return f"{p['file']}：没有任何规则能产生申领"
        return f"{p['file']}: no worker could ever claim: no rule can make a claim"
    if zh:
        return f"{p['file']}：没有劳动者能符合条件：其 eligible: 要求永远不能成立"
    return f"{p['file']}: no worker could ever be eligible: its eligible: requirement can never hold"


#: Every lint code's wording, a function of the finding's parameters and the language.
LINT_MESSAGES: Mapping[str, Message] = {
    "unreachable": _unreachable,
    "never-applies": lambda p, zh: (
        f"规则 {p['rule']} 永远不适用：只要其条件成立，其 unless: 也成立"
        if zh
        else f"rule {p['rule']} never applies: whenever its condition holds, its unless: holds too"
    ),
    "shadowed": _shadowed,
    "overlap": lambda p, zh: (
        f"规则 {p['rule']} 与另一换算文件的规则 {p['other']} 可匹配同一成果，该成果将从两者各得积分"
        if zh
        else f"rule {p['rule']} and rule {p['other']} (another conversion file) can match the same "
        "achievement, which then gets points from both"
    ),
    "unconverted-level": lambda p, zh: (
        f"等级框架 {p['framework']} 的等级 {p['level']}：没有换算规则给此等级的{_kinds(p, zh)}计分，"
        "也没有等值规则把它映射到可计分的等级"
        if zh
        else f"level {p['level']} of framework {p['framework']}: no conversion rule gives points to "
        f"{_kinds(p, zh)} at this level, and no equivalence maps it to a level that one does"
    ),
    "unconverted-category": lambda p, zh: (
        f"类别 {p['category']}：没有换算规则能向其计入积分"
        if zh
        else f"category {p['category']}: no conversion rule can put points in it"
    ),
    "expired": lambda p, zh: (
        f"{p['file']} {p['version']} 版于 {p['until']} 终止，且没有后续版本：自 {p['after']} 起该文件不起作用"
        if zh
        else f"{p['file']} version {p['version']} ends on {p['until']} and no later version follows: "
        f"from {p['after']} the file does nothing"
    ),
    "gap": lambda p, zh: (
        f"{p['file']} 在 {p['start']} 至 {p['end']} 期间没有生效的版本"
        if zh
        else f"no version of {p['file']} is in force from {p['start']} to {p['end']}"
    ),
    "never-granted": _never_granted,
    "never-met": lambda p, zh: (
        f"政策 {p['file']} 永远无法满足（它所需的某项要求永远不能成立），"
        f"因此资格 {p['status']} 永远不会被授予"
        if zh
        else f"policy {p['file']} can never be met (some requirement it needs can never hold), "
        f"so status {p['status']} is never granted"
    ),
    "never-eligible": _never_eligible,
}


def lint_message(code: str, params: Params, lang: str = "en") -> str:
    """A lint finding's sentence in ``lang`` (``en`` or ``zh``).

    :raises KeyError: for a code the catalogue does not know.
    """
    return LINT_MESSAGES[code](params, lang == "zh")
