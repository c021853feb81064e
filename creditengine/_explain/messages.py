"""The message catalogue: every reason code of evaluation with its sentence in each language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from .._trace import Reason, Wording, format_points
from .words import (
    _KEEP_ZH,
    _PER_ZH,
    _PERIODS_ZH,
    _data,
    _field,
    _value,
    condition_text,
    requirement_text,
    show,
    status_text,
)

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
    grouped = [(k, v) for k, v in p["by"] if not str(k).startswith("worker.")]
    chosen = [(str(k).removeprefix("worker."), v) for k, v in p["by"] if str(k).startswith("worker.")]
    if grouped:
        span += f"，{_pairs(grouped, True)}" if zh else f", for {_pairs(grouped)}"
    if chosen:  # the worker attribute that chose the cap's limit
        if zh:
            said = "，".join(f"{k} 为 {show(v)}" for k, v in chosen)
            span = f"劳动者属性 {said} 时，{span}"
        else:
            span += "".join(f", as worker {k} is {show(v)}" for k, v in chosen)
    return span


def _cut(p: Params, zh: bool) -> str:
    return f"{'，' if zh else ', '}-{show(p['cut'])}"


def _cut_order(p: Params, zh: bool) -> str:
    """Which entries a cap cut first, when not the latest: ``, elective cut first``."""
    if p.get("cut_first"):
        if zh:
            shown = [
                _title(t, c)
                for t, c in zip(p.get("cut_titles") or p["cut_first"], p["cut_first"], strict=True)
            ]
            return f"，依次优先削减 {'、'.join(shown)}"
        return f", cutting {', then '.join(p['cut_first'])} first"
    if p.get("cut_lowest"):
        return "，优先削减最低分" if zh else ", lowest cut first"
    return ""


def _described(achievement: str, title: str | None, zh: bool = False) -> str:
    if not title:
        return achievement
    return f"{achievement}（{title}）" if zh else f"{achievement} ({title})"


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
    name = _described(p["achievement"], p["title"], zh)
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
        subject = f"资格 {status_text(p['status'], True)}" if zh else f"status {p['status']}"
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


def _title(title: Any, fallback: str) -> str:
    """A category's Chinese title (as evaluation made it, or as stored JSON holds it), else its id."""
    if isinstance(title, Wording):
        return title.text("zh") or fallback
    if isinstance(title, Mapping):
        return str(title.get("zh") or title.get("en") or fallback)
    return fallback


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


def _no_limit(p: Params, zh: bool) -> str:
    """A cap whose limit is looked up by a worker attribute that gives no row (or is absent)."""
    attribute, value = str(p["attribute"]).removeprefix("worker."), p["value"]
    if zh:
        if value is None:
            return f"{p['rule']}：记录中没有劳动者属性 {attribute}，没有对应的上限，未封顶"
        return f"{p['rule']}：劳动者属性 {attribute} 为 {show(value)}，没有对应的上限，未封顶"
    if value is None:
        return f"{p['rule']}: no limit, as the record has no worker {attribute}; not capped"
    return f"{p['rule']}: no limit for worker {attribute} = {show(value)}; not capped"


def _requirement(p: Params, zh: bool) -> str:
    return requirement_text(p["requirement"], "zh" if zh else "en")


#: Every reason code with its sentence in each language.
MESSAGES: dict[str, Message] = {
    # ledger: what an adjustment did to an entry
    "ledger.multiplied": lambda p, zh: f"{'×' if zh else 'x'}{show(p['factor'])}",
    "ledger.excluded": lambda p, zh: (
        (f"不计分：{_text(p['reason'], True)}" if zh else f"excluded: {_text(p['reason'], False)}")
        + _cut(p, zh)
    ),
    "ledger.excluded_unconverted": lambda p, zh: (
        f"不计分：{_text(p['reason'], True)}（无换算规则适用）"
        if zh
        else f"excluded: {_text(p['reason'], False)} (no conversion matched it)"
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
        + _cut_order(p, zh)
        + _cut(p, zh)
    ),
    "ledger.capped_count": lambda p, zh: (
        (
            f"{_span(p, zh)}最多 {p['limit']} 项（保留{_KEEP_ZH[p['keep']]}）"
            if zh
            else f"at most {p['limit']} {_span(p, zh)} (keep {p['keep']})"
        )
        + _cut_order(p, zh)
        + _cut(p, zh)
    ),
    "ledger.no_limit": lambda p, zh: _no_limit(p, zh),
    # policies: why (met) and why not (unmet)
    "policy.requirement": _requirement,
    "policy.any_of": lambda p, zh: "满足以下任一项" if zh else "any one of these",
    "policy.total_met": lambda p, zh: (
        f"{_requirement(p, zh)}（已有 {show(p['have'])}）"
        if zh
        else f"{_requirement(p, zh)} (has {show(p['have'])})"
    ),
    "policy.status_granted": lambda p, zh: (
        f"已获资格 {status_text(p['status'], True)}，由 {p['by']} 授予"
        if zh
        else f"status {p['status']} (granted by {p['by']})"
    ),
    "policy.achievement_met": lambda p, zh: (
        f"{_described(p['achievement'], p['title'], zh)}{'：' if zh else ': '}"
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
    "transfer.no_programme_size": lambda p, zh: (
        (
            f"记录中没有劳动者属性 {p['attribute']}（课程总学分），无法确定转换上限"
            if p["value"] is None
            else f"劳动者属性 {p['attribute']}（课程总学分）为 {show(p['value'])}，须大于 0"
        )
        if zh
        else (
            f"the record has no worker {p['attribute']} (the programme's credits), so no limit can be set"
            if p["value"] is None
            else f"worker {p['attribute']} (the programme's credits) is {show(p['value'])}; "
            "it must be more than 0"
        )
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
