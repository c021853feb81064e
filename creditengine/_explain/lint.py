"""Lint findings (``creditengine lint``): their sentences in each language."""

from __future__ import annotations

from collections.abc import Mapping

from .messages import Message, Params
from .words import _TYPES_ZH, _field


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
