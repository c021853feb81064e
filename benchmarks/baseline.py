"""A hand-written evaluator of the default pack (rules/): the engine's speed reference.

This is what a competent programmer would write by hand for the default pack
as it stands: plain dicts, ``Decimal`` arithmetic, every rule hard-coded, no
rule file read and nothing imported from creditengine. It computes the figures
of a result, not its explanations: total points, points by category, each
policy met or not, the subsidy claims granted and the credits transferred.

The stages follow the engine's order (docs/rules.md):

1. the achievements completed by ``as_of``; equivalence derives mainland
   certificates from Macao (mo-dsal) certificates and HKQF qualifications;
2. conversion, by the version in force on each achievement's completed date;
3. one piece of learning counts once (a source or what it counts as);
4. adjustments in their fixed order: exclude (none in this pack), expire,
   dedupe, multiply, cap;
5. totals; policies (skilled before highly skilled, which needs its status);
   the skill-upgrade subsidy; the mechatronics credit transfer.

Each file of the pack has one version today; the effective dates are written
in as constants so that a date before a file is in force gives what the engine
gives. When rules/ changes, this file must change with it:
tests/test_bench_baseline.py fails until it does.
"""

from __future__ import annotations

import datetime as dt
from calendar import isleap
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

__all__ = ["Figures", "evaluate"]

Raw = Mapping[str, Any]
Item = dict[str, Any]

# pack.yaml
CATEGORIES = ("advanced_manufacturing", "digital_economy", "modern_services", "general")
DECLARED = frozenset(CATEGORIES)
DEFAULT_CATEGORY = "general"
ONE_DECIMAL = Decimal("0.1")  # scale: decimals 1, rounding half_up

# Effective-from dates of the rule files (none has an end date).
COURSES_FROM = dt.date(2010, 1, 1)  # accredited-courses
CREDITS_FROM = dt.date(2010, 1, 1)  # cn-higher-ed-credits
CERTIFICATES_FROM = dt.date(1994, 7, 5)  # cn-skill-certificates
QUALIFICATIONS_FROM = dt.date(2008, 5, 5)  # hkqf-credits
ADJUSTMENTS_FROM = dt.date(2010, 1, 1)  # caps-and-validity
EQUIVALENCE_FROM = dt.date(2022, 9, 1)  # cross-border-equivalence
POLICIES_FROM = dt.date(2022, 9, 1)  # skilled-worker, highly-skilled-worker
SUBSIDY_FROM = dt.date(2024, 1, 1)  # skill-upgrade-subsidy
TRANSFER_FROM = dt.date(2024, 1, 1)  # mechatronics-associate-transfer

# conversions/cn-skill-certificates.yaml (levels are names: "3", as the engine keeps them)
CERTIFICATE_POINTS = {
    "5": Decimal(20),
    "4": Decimal(40),
    "3": Decimal(80),
    "2": Decimal(120),
    "1": Decimal(160),
}
QF_CREDIT_LIMIT = Decimal(240)  # conversions/hkqf-credits.yaml: min(credits.value, 240)

# policies/cross-border-equivalence.yaml with the level maps of pack.yaml
MACAO_TITLES = frozenset({"Maintenance electrician", "維修電工", "维修电工"})
MACAO_TO_CN = {"junior": "5", "intermediate": "4"}
HKQF_TO_CN = {"3": "4", "4": "3", "5": "2"}
ELECTRICIAN = "6-31-01-03"

# adjustments/caps-and-validity.yaml
PRIORITY = frozenset({"advanced_manufacturing", "digital_economy"})
PRIORITY_FACTOR = Decimal("1.2")
COURSE_YEARLY_CAP = Decimal(60)
COURSE_VALID_MONTHS = 5 * 12

# Level comparisons in framework order: cn-skill runs 5 (lowest) .. 1 (highest).
CN_ANY = frozenset({"5", "4", "3", "2", "1"})  # gte 5
CN_3_UP = frozenset({"3", "2", "1"})  # gte 3
CN_4_UP = frozenset({"4", "3", "2", "1"})  # gte 4
HKQF_4_UP = frozenset({"4", "5", "6", "7"})  # hkqf gte 4

# policies/skill-upgrade-subsidy.yaml
SUBSIDY = {"5": Decimal(1000), "4": Decimal(1500), "3": Decimal(2000)}  # level.value between [5, 3]
SHORTAGE = frozenset({"6-31-01-03", "6-20-03-01"})
SHORTAGE_FACTOR = Decimal("1.3")  # +30%
CENTS = Decimal("0.01")  # entitlement decimals: 2
CLAIM_WITHIN_MONTHS = 12
MAX_CLAIMS_PER_YEAR = 3

# policies/mechatronics-associate-transfer.yaml
TRANSFER_LIMIT = Decimal(60)  # 50% of 120 credits
EXEMPTED_CREDITS = Decimal(8)  # MT-101, MT-102, MT-103 for an electrician certificate, level 4 or higher

_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures of one evaluation: what the benchmark checks against the engine.

    ``claims`` are the granted claims, each (policy, amount, achievement ids);
    ``transfers`` each (policy, status, credits).
    """

    worker: str
    total: Decimal
    by_category: dict[str, Decimal]
    outcomes: dict[str, bool]
    claims: tuple[tuple[str, Decimal, tuple[str, ...]], ...]
    transfers: tuple[tuple[str, str, Decimal], ...]


def _date(value: object) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _number(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))  # as written (12.25), not the binary float
    if isinstance(value, int | str):
        return Decimal(value)
    raise TypeError(f"not a number: {value!r}")


def _round(points: Decimal) -> Decimal:
    return points.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, clipped to the month's end (31 Jan + 1 month = 28 Feb)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = _MONTH_DAYS[month0] + (month0 == 1 and isleap(year))
    return dt.date(year, month0 + 1, min(day.day, last))


def _items(achievements: list[Raw], as_of: dt.date) -> list[Item]:
    """The record's achievements completed by ``as_of``, with the fields rules read."""
    items = []
    for position, a in enumerate(achievements):
        completed = _date(a["completed"])
        if completed > as_of:
            continue  # not counted, and no policy sees it
        level = a.get("level")
        expires = a.get("expires")
        items.append(
            {
                "id": a["id"],
                "type": a["type"],
                "title": a.get("title"),
                "completed": completed,
                "position": position,
                "depth": 0,
                "root": a["id"],
                "framework": level["framework"] if level else None,
                "level": str(level["value"]) if level else None,
                "occupation": a.get("occupation"),
                "industry": a.get("industry"),
                "field": a.get("field"),
                "expires": _date(expires) if expires is not None else None,
                "raw": a,
                "status": None,  # no ledger entry (yet)
            }
        )
    return items


def _derive(items: list[Item]) -> list[Item]:
    """What the record's achievements count as. Nothing derived here matches either
    equivalence rule again (a derived certificate is cn-skill, not mo-dsal; not a
    qualification), so one pass over the record is the whole chain."""
    derived = []
    for item in items:
        if (
            item["type"] == "certificate"
            and item["framework"] == "mo-dsal"
            and item["title"] in MACAO_TITLES
            and (item["raw"].get("issuer") or {}).get("jurisdiction") == "macao"
        ):
            level = MACAO_TO_CN.get(item["level"])
            changes = {"occupation": ELECTRICIAN}
        elif item["type"] == "qualification" and item["framework"] == "hkqf":
            level = HKQF_TO_CN.get(item["level"])
            changes = {"type": "certificate"}
        else:
            continue
        if level is None:
            continue  # no match in the level map: reported, not guessed
        child = dict(item)
        child.update(changes)
        child.update(id=f"{item['id']}~cn-skill-{level}", framework="cn-skill", level=level, depth=1)
        derived.append(child)
    return derived


def _convert(item: Item) -> None:
    """Give ``item`` its ledger entry (base points and category), if a conversion in force matches."""
    kind, day, raw = item["type"], item["completed"], item["raw"]
    base: Decimal | None = None
    category = None
    if kind == "course":
        if (
            day >= COURSES_FROM
            and (raw.get("provider") or {}).get("accredited") is True
            and (raw.get("assessment") or {}).get("passed") is True
            and raw.get("hours") is not None
        ):
            base, category = _number(raw["hours"]) / 10, item["industry"]
    elif kind == "certificate":
        if day >= CERTIFICATES_FROM and item["framework"] == "cn-skill":
            base, category = CERTIFICATE_POINTS.get(item["level"]), item["industry"]
    elif kind == "formal_credit":
        credits = raw.get("credits")
        if day >= CREDITS_FROM and credits and credits.get("system") == "cn-higher-ed":
            base, category = _number(credits["value"]) * 4, item["field"]
    elif kind == "qualification":
        credits = raw.get("credits")
        if day >= QUALIFICATIONS_FROM and credits and credits.get("system") == "hkqf":
            base, category = min(_number(credits["value"]), QF_CREDIT_LIMIT), item["field"]
    if base is None:
        return
    base = _round(base)
    item["base"] = item["points"] = base
    item["category"] = category if category in DECLARED else DEFAULT_CATEGORY
    item["status"] = "counted"


def _drop(item: Item, status: str) -> None:
    item["points"] = Decimal(0)
    item["status"] = status


def _order(item: Item) -> tuple[dt.date, int, int]:
    return item["completed"], item["position"], item["depth"]


def _adjust(entries: list[Item], as_of: dt.date) -> None:
    """caps-and-validity, stage by stage; each stage sees only entries still counted."""
    # Expire: courses after five years; certificates (real or derived) after their own date.
    for item in entries:
        if item["status"] != "counted":
            continue
        if item["type"] == "course":
            if as_of > _add_months(item["completed"], COURSE_VALID_MONTHS):
                _drop(item, "expired")
        elif item["type"] == "certificate" and item["expires"] is not None and as_of > item["expires"]:
            _drop(item, "expired")
    # Dedupe: one certificate per occupation, the most points (then the earliest).
    by_occupation: dict[str, list[Item]] = {}
    for item in entries:
        if item["status"] == "counted" and item["type"] == "certificate" and item["occupation"] is not None:
            by_occupation.setdefault(item["occupation"], []).append(item)
    for same in by_occupation.values():
        if len(same) > 1:
            keep = min(same, key=lambda i: (-i["points"], _order(i)))
            for item in same:
                if item is not keep:
                    _drop(item, "duplicate")
    # Multiply: priority industries (by the achievement's industry or field, not the category).
    for item in entries:
        if item["status"] == "counted" and (item["industry"] in PRIORITY or item["field"] in PRIORITY):
            item["points"] = _round(item["points"] * PRIORITY_FACTOR)
    # Cap: at most 60 course points per calendar year, in order of completion.
    spent: dict[int, Decimal] = {}
    courses = [i for i in entries if i["status"] == "counted" and i["type"] == "course"]
    for item in sorted(courses, key=_order):
        year = item["completed"].year
        room = max(COURSE_YEARLY_CAP - spent.get(year, Decimal(0)), Decimal(0))
        if item["points"] > room:
            item["points"] = room
            item["status"] = "capped"
        spent[year] = spent.get(year, Decimal(0)) + item["points"]


def _claim_order(item: Item) -> tuple[dt.date, int, int, str]:
    return item["completed"], item["position"], item["depth"], item["id"]


def _subsidy(
    held: list[Item], insurance_months: object, as_of: dt.date
) -> tuple[tuple[str, Decimal, tuple[str, ...]], ...]:
    """skill-upgrade-subsidy: the granted claims, in order of completion.

    A claim is the claimed item itself, given an ``amount`` and a ``refused`` flag.
    """
    if insurance_months is None or _number(insurance_months) < 12:
        return ()  # not eligible: every claim refused
    claims = []
    for item in held:
        if item["type"] != "certificate" or item["framework"] != "cn-skill":
            continue
        amount = SUBSIDY.get(item["level"])
        if amount is None:
            continue
        if item["level"] == "3" and item["occupation"] in SHORTAGE:
            amount = (amount * SHORTAGE_FACTOR).quantize(CENTS, rounding=ROUND_HALF_UP)
        item["amount"] = amount
        # claim_within: 12 months from the completed date.
        item["refused"] = as_of > _add_months(item["completed"], CLAIM_WITHIN_MONTHS)
        claims.append(item)
    if not claims:
        return ()
    # One piece of learning, one claim: the highest, then the closest to the source.
    by_root: dict[str, list[Item]] = {}
    for claim in claims:
        if not claim["refused"]:
            by_root.setdefault(claim["root"], []).append(claim)
    for group in by_root.values():
        if len(group) > 1:
            keep = min(group, key=lambda c: (-c["amount"], c["depth"], _claim_order(c)))
            for claim in group:
                claim["refused"] = claim is not keep
    # once_per [occupation, level.value]: the highest, then the earliest.
    by_key: dict[tuple[str, str], list[Item]] = {}
    for claim in claims:
        if not claim["refused"] and claim["occupation"] is not None:
            by_key.setdefault((claim["occupation"], claim["level"]), []).append(claim)
    for group in by_key.values():
        if len(group) > 1:
            keep = min(group, key=lambda c: (-c["amount"], _claim_order(c)))
            for claim in group:
                claim["refused"] = claim is not keep
    # max_claims: at most 3 per calendar year of completion, in order of completion.
    claims.sort(key=_claim_order)
    used: dict[int, int] = {}
    for claim in claims:
        if claim["refused"]:
            continue
        year = claim["completed"].year
        if used.get(year, 0) >= MAX_CLAIMS_PER_YEAR:
            claim["refused"] = True
        else:
            used[year] = used.get(year, 0) + 1
    return tuple(("skill-upgrade-subsidy", c["amount"], (c["id"],)) for c in claims if not c["refused"])


def _transfer(entries: list[Item], held: list[Item], programme: Raw) -> tuple[str, str, Decimal]:
    """mechatronics-associate-transfer: (policy, status, credits)."""
    if programme.get("track") != "associate" or programme.get("major") != "mechatronics":
        return "mechatronics-associate-transfer", "refused", Decimal(0)
    points = sum(
        (
            i["points"]
            for i in entries
            if i["status"] in ("counted", "capped")
            and i["category"] == "advanced_manufacturing"
            and i["type"] in ("course", "formal_credit")
        ),
        Decimal(0),
    )
    credits = (points / 4).quantize(Decimal(1), rounding=ROUND_DOWN)
    if any(
        i["type"] == "certificate"
        and i["framework"] == "cn-skill"
        and i["level"] in CN_4_UP
        and i["occupation"] == ELECTRICIAN
        for i in held
    ):
        credits += EXEMPTED_CREDITS
    return "mechatronics-associate-transfer", "granted", min(credits, TRANSFER_LIMIT)


def evaluate(record: Raw, as_of: dt.date) -> Figures:
    """The figures of one worker record (a plain dict, as in a JSON file) on ``as_of``."""
    worker = record["worker"]
    attributes = worker.get("attributes") or {}
    items = _items(record.get("achievements") or [], as_of)
    if as_of >= EQUIVALENCE_FROM:
        items += _derive(items)
    for item in items:
        _convert(item)
    entries = [i for i in items if i["status"] is not None]
    # A source and what it counts as are one piece of learning: the one with more
    # base points keeps them (the source on a tie); the other is a duplicate. This
    # pack derives at most one item from each source, so it is always a pair.
    by_id = {i["id"]: i for i in entries}
    for item in entries:
        if item["depth"]:
            source = by_id.get(item["root"])
            if source is not None:
                _drop(source if item["base"] > source["base"] else item, "duplicate")
    if as_of >= ADJUSTMENTS_FROM:
        _adjust(entries, as_of)

    total = Decimal(0)
    sums: dict[str, Decimal] = {}
    for item in entries:
        if item["status"] in ("counted", "capped"):
            total += item["points"]
            sums[item["category"]] = sums.get(item["category"], Decimal(0)) + item["points"]
    by_category = {c: sums[c] for c in CATEGORIES if c in sums}

    # What policies, claims and exemptions see: everything held, except expired learning.
    held = [i for i in items if i["status"] != "expired"]
    outcomes: dict[str, bool] = {}
    if as_of >= POLICIES_FROM:
        skilled = total >= 100 or any(
            i["type"] == "certificate" and i["framework"] == "cn-skill" and i["level"] in CN_ANY for i in held
        )
        highly = (
            any(
                i["type"] == "certificate" and i["framework"] == "cn-skill" and i["level"] in CN_3_UP
                for i in held
            )
            or (total >= 300 and sums.get("advanced_manufacturing", Decimal(0)) >= 100)
            or (
                skilled
                and any(
                    i["type"] == "qualification" and i["framework"] == "hkqf" and i["level"] in HKQF_4_UP
                    for i in held
                )
            )
        )
        outcomes = {"skilled-worker": skilled, "highly-skilled-worker": highly}
    claims = _subsidy(held, attributes.get("insurance_months"), as_of) if as_of >= SUBSIDY_FROM else ()
    transfers = (
        (_transfer(entries, held, attributes.get("programme") or {}),) if as_of >= TRANSFER_FROM else ()
    )
    return Figures(worker["id"], total, by_category, outcomes, claims, transfers)
