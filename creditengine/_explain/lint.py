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
            f"凡它能{'计分' if conversion else '申领'}的成果都已先由后者{done}（{order}）"
        )
    verb, could, order = (
        ("converts first", "give points for", "hit: first")
        if conversion
        else ("claims first for", "claim for", "entitlement rules are tried in order")
    )
    return (
        f"rule {p['rule']} is never used: it comes after {p['earlier']}, which {verb} "
        f"every achievement it could {could} ({order})"
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


def _unused_allow(p: Params, zh: bool) -> str:
    code = p["code"]
    if p["reason"] == "unreadable":
        if zh:
            return "无法读取此 lint: 注释：应写作 “# lint: allow 代码 — 理由”"
        return "this lint: comment cannot be read: write it as '# lint: allow CODE — reason'"
    if p["reason"] == "unknown":
        if zh:
            return f"此 lint: allow 注释中的 {code} 不是可接受的 lint 代码"
        return f"this lint: allow comment names {code}, which is not a lint code it can accept"
    if zh:
        return f"此 lint: allow 注释接受 {code}，但所在行（或其下一行）没有这种警告"
    return f"this lint: allow comment accepts {code}, but there is no such warning on its line or the next"


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
    "unused-allow": _unused_allow,
}

#: What to do about each code, (English, Chinese): shown after the message.
LINT_FIXES: Mapping[str, tuple[str, str]] = {
    "unreachable": (
        "correct the bounds (a typo like {gte: 100, lt: 50}), or delete the rule or branch",
        "修正取值范围（如 {gte: 100, lt: 50} 之类的笔误），或删除该规则或分支",
    ),
    "never-applies": ("narrow unless:", "收窄 unless:"),
    "shadowed": (
        "move the rule above the one that hides it, or narrow the earlier rule",
        "把该规则移到遮蔽它的规则之前，或收窄前面的规则",
    ),
    "overlap": (
        "keep the files' conditions apart (by type, credits.system, level.framework, ...)",
        "让两个文件的条件互不重叠（按 type、credits.system、level.framework 等区分）",
    ),
    "unconverted-level": (
        "add the level to a table, or map it; if that is the policy, accept it with "
        "'# lint: allow unconverted-level — reason'",
        "把该等级加入换算表或映射它；若这正是政策所定，"
        "用 “# lint: allow unconverted-level — 理由” 接受此警告",
    ),
    "unconverted-category": ("use it, or remove it from pack.yaml", "使用该类别，或将其从 pack.yaml 中删除"),
    "expired": (
        "add the next version, or leave the window open",
        "添加下一个版本，或不设终止日期",
    ),
    "gap": (
        "move the later version's from, or the earlier one's until",
        "调整后一版本的 from 或前一版本的 until",
    ),
    "never-granted": (
        "fix the granting policy's window or requirements",
        "修正授予该资格的政策的生效期间或要求",
    ),
    "never-met": ("fix the requirement it names", "修正其中不能成立的要求"),
    "never-eligible": ("fix eligible: or the rules", "修正 eligible: 或其规则"),
    "unused-allow": (
        "delete the comment, or correct its code or line",
        "删除该注释，或更正其中的代码或所在行",
    ),
}


def lint_message(code: str, params: Params, lang: str = "en") -> str:
    """A lint finding's sentence in ``lang`` (``en`` or ``zh``).

    :raises KeyError: for a code the catalogue does not know.
    """
    return LINT_MESSAGES[code](params, lang == "zh")


def lint_fix(code: str, lang: str = "en") -> str:
    """What to do about a lint finding of ``code``, in ``lang`` (``en`` or ``zh``).

    :raises KeyError: for a code the catalogue does not know.
    """
    en, zh = LINT_FIXES[code]
    return zh if lang == "zh" else en


def lint_line(
    location: str, code: str, message: str, field: str, lang: str = "en", *, accepted: bool = False
) -> str:
    """``FILE:LINE:COL: code: message (at key.path)``; in Chinese the key path is
    ``（位置：key.path）``. An accepted finding's code is marked ``code (accepted)``."""
    zh = lang == "zh"
    if accepted:
        code += "（已接受）" if zh else " (accepted)"
    where = (f"（位置：{field}）" if zh else f" (at {field})") if field else ""
    return f"{location}: {code}: {message}{where}"


def lint_hint(code: str, lang: str = "en", accepted: str | None = None) -> str:
    """The line shown under a finding: what to do, or (an accepted finding) why it is accepted."""
    if accepted is not None:
        reason = accepted or ("未说明理由" if lang == "zh" else "no reason given")
        return f"    已接受：{reason}" if lang == "zh" else f"    accepted: {reason}"
    return f"    修改：{lint_fix(code, 'zh')}" if lang == "zh" else f"    fix: {lint_fix(code)}"
