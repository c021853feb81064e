"""Explanations (``evaluate --explain``): citations of rule files and the smallest changes."""

from __future__ import annotations

from .messages import Message, Params, _claims_span, _described, _number, _reason, _requirement, _text, render
from .words import _data, _field, _value, condition_text, requirement_text, show, status_text


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
    name = _described(p["achievement"], p["title"], zh)
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
            f"资格 {status_text(p['status'], True)}：现行政策均不授予该资格"
            if zh
            else f"status {p['status']}: no policy in force grants it"
        )
    if zh:
        return f"资格 {status_text(p['status'], True)}，由 {p['by']} 授予（见其最小改变）"
    return f"status {p['status']}, which {p['by']} grants (see its changes)"


def _requirements(p: Params, zh: bool) -> str:
    return ("、" if zh else " and ").join(
        requirement_text(r, "zh" if zh else "en") for r in p["requirements"]
    )


def _chosen(p: Params, zh: bool) -> str:
    """The worker attribute that chose a cap's limit: `` for worker programme.track = associate``."""
    parts = [(str(path).removeprefix("worker."), show(value)) for path, value in p.get("chosen", ())]
    if zh:
        return "".join(f"劳动者属性 {name} 为 {value} 时，" for name, value in parts)
    return "".join(f" for worker {name} = {value}" for name, value in parts)


def _who(desc: object, zh: bool) -> str:
    """The worker conditions of an eligibility requirement (``worker:`` parts, possibly in ``all``)."""
    data = _data(desc)
    if "worker" in data:
        return condition_text(data["worker"], "zh" if zh else "en")
    return ("，" if zh else ", ").join(_who(part, zh) for part in data["all"])


def _eligible_only(p: Params, zh: bool) -> str:
    who = _who(p["requirement"], zh)
    if zh:
        return f"不符合条件：仅限符合以下条件的劳动者：{who}（取决于劳动者本人的情况，无法通过学习改变）"
    return (
        f"not eligible: only workers with {who} are eligible (a matter of who the worker is, not of learning)"
    )


#: Explanation codes with their sentences.
ADVICE: dict[str, Message] = {
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
        f"第 {p['option']} 项{'（差距最小）' if p['smallest'] else ''}"
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
    "advice.eligible_only": _eligible_only,
    "advice.learning": _learning,
    "advice.table": _table,
    "advice.capped": _capped,
    "advice.cap_points": lambda p, zh: (
        f"{p['rule']} {_chosen(p, True)}{_claims_span(p, True)}上限 {show(p['limit'])} 分"
        f"（已用 {show(p['used'])}）"
        if zh
        else f"{p['rule']} caps it at {show(p['limit'])} {_claims_span(p, False)}{_chosen(p, False)} "
        f"({show(p['used'])} used)"
    ),
    "advice.cap_count": lambda p, zh: (
        f"{p['rule']} {_chosen(p, True)}{_claims_span(p, True)}最多计 {p['count']} 项（已计 {p['used']} 项）"
        if zh
        else f"{p['rule']} counts at most {p['count']} {_claims_span(p, False)}{_chosen(p, False)} "
        f"({p['used']} counted)"
    ),
}
