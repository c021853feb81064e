"""Credit transfer (kind: transfer) on the fixture pack tests/packs/transfer/.

Points (no multipliers): certificates 5/4/3 -> 20/40/80, courses hours / 10 (at most 30 a year),
formal credits x 4. mechatronics-transfer: associate-track mechatronics majors only; course and
formal-credit points in advanced_manufacturing at 4 points a credit (rounded down); an electrician
certificate at level 4 or above exempts MT-101/102/103 (2 + 3 + 3); at most 50% of 120 = 60.
data-certificate-transfer: digital_economy points at 3 a credit, one decimal place, no cap on 30.
electrical-diploma-exemptions: exemptions only, at most 25% of 90 = 22.5 -> 22.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from packtools import Broken, Edit, evaluate_with, worker
from views import sentences

from creditengine import Result

PACK = "transfer"
STUDENT = {"programme": {"track": "associate", "major": "mechatronics"}}
ELECTRICIAN = "6-31-01-03"


def course(ident: str, hours: int, completed: str, industry: str = "advanced_manufacturing", **more: Any):
    return {
        "id": ident,
        "type": "course",
        "hours": hours,
        "completed": completed,
        "industry": industry,
        **more,
    }


def credit(ident: str, value: int, completed: str = "2023-01-15", field: str = "advanced_manufacturing"):
    return {
        "id": ident,
        "type": "formal_credit",
        "credits": {"value": value, "system": "cn-higher-ed"},
        "field": field,
        "completed": completed,
    }


def cert(ident: str, level: int, occupation: str = ELECTRICIAN, completed: str = "2022-05-01"):
    return {
        "id": ident,
        "type": "certificate",
        "occupation": occupation,
        "level": {"framework": "cn-skill", "value": level},
        "industry": "advanced_manufacturing",
        "completed": completed,
    }


def transfer(result: Result, policy: str = "mechatronics-transfer") -> dict[str, Any]:
    [found] = [t for t in result.to_dict()["transfers"] if t["policy"] == policy]
    return found


def summary(result: Result, policy: str = "mechatronics-transfer") -> tuple[str, str, str, str, bool]:
    """(status, credits, points, from_points, capped)."""
    t = transfer(result, policy)
    return t["status"], t["credits"], t["points"], t["from_points"], t["capped"]


# --- rate, source, share ---------------------------------------------------------------------------


def test_points_become_credits_at_the_rate() -> None:
    # C1 160 h -> 16, F1 6 credits -> 24: 40 points / 4 = 10 credits.
    result = evaluate_with(PACK, worker(course("C1", 160, "2024-03-01"), credit("F1", 6), **STUDENT))
    assert summary(result) == ("granted", "10", "40", "10", False)
    assert transfer(result)["reason"] == "10 credits from 40 points, 0 from 0 exempted courses"
    assert transfer(result)["limit"] == "60"


def test_credits_are_rounded_down() -> None:
    # 14 + 24 = 38 points / 4 = 9.5 -> 9: no credit that was not fully earned.
    result = evaluate_with(PACK, worker(course("C1", 140, "2024-03-01"), credit("F1", 6), **STUDENT))
    assert summary(result) == ("granted", "9", "38", "9", False)


def test_credits_kept_to_the_declared_decimals_are_rounded_down() -> None:
    # 20 digital_economy points / 3 = 6.66... -> 6.6 (decimals: 1).
    result = evaluate_with(PACK, worker(course("D1", 200, "2025-02-01", "digital_economy")))
    assert summary(result, "data-certificate-transfer") == ("granted", "6.6", "20", "6.6", False)
    assert transfer(result, "data-certificate-transfer")["limit"] == "30"


def test_only_points_in_the_listed_categories_transfer() -> None:
    record = worker(
        course("C1", 160, "2024-03-01"), course("D1", 200, "2025-02-01", "digital_economy"), **STUDENT
    )
    result = evaluate_with(PACK, record)
    assert summary(result) == ("granted", "4", "16", "4", False)  # the digital course is left out
    assert summary(result, "data-certificate-transfer") == ("granted", "6.6", "20", "6.6", False)


def test_only_points_of_achievements_matching_where_transfer() -> None:
    # A welder certificate (40 points, advanced_manufacturing) is not a course or formal credit.
    result = evaluate_with(PACK, worker(cert("W1", 4, "6-18-02-04"), credit("F1", 5), **STUDENT))
    assert result.totals.all == 60
    assert summary(result) == ("granted", "5", "20", "5", False)
    assert transfer(result)["exemptions"] == []


def test_points_transfer_after_caps() -> None:
    # 400 h in 2024 -> 40, capped to 30 by course-cap/yearly: 30 / 4 = 7.5 -> 7.
    result = evaluate_with(PACK, worker(course("C1", 400, "2024-06-01"), **STUDENT))
    assert [(e.points, e.status) for e in result.ledger] == [(30, "capped")]
    assert summary(result) == ("granted", "7", "30", "7", False)


def test_at_most_the_maximum_share_of_the_programme() -> None:
    # 75 credits x 4 = 300 points -> 75 programme credits, at most 50% of 120 = 60.
    result = evaluate_with(PACK, worker(credit("F1", 75), **STUDENT))
    assert summary(result) == ("granted", "60", "300", "75", True)
    assert transfer(result)["reason"] == (
        "75 credits from 300 points, 0 from 0 exempted courses; capped at 60 (at most 50% of 120)"
    )


def test_exemptions_count_toward_the_maximum_share() -> None:
    # 232 points -> 58 credits, + 8 exempted = 66 -> 60.
    result = evaluate_with(PACK, worker(credit("F1", 58), cert("E1", 4), **STUDENT))
    assert summary(result) == ("granted", "60", "232", "58", True)
    assert len(transfer(result)["exemptions"]) == 3


# --- course exemptions ---------------------------------------------------------------------------


def test_a_certificate_exempts_named_courses() -> None:
    result = evaluate_with(PACK, worker(cert("E1", 4), **STUDENT))
    rule = "mechatronics-transfer/electrician"
    assert transfer(result)["exemptions"] == [
        {"course": "MT-101", "title": "Electrical safety", "credits": "2", "by": "E1", "rule": rule},
        {
            "course": "MT-102",
            "title": "Electrical installation practice",
            "credits": "3",
            "by": "E1",
            "rule": rule,
        },
        {"course": "MT-103", "title": "Motors and drives", "credits": "3", "by": "E1", "rule": rule},
    ]
    assert summary(result) == ("granted", "8", "0", "0", False)
    assert transfer(result)["reason"] == "0 credits from 0 points, 8 from 3 exempted courses"


@pytest.mark.parametrize(("level", "exempt"), [(5, False), (4, True), (3, True)])
def test_the_exemption_needs_level_4_or_above(level: int, exempt: bool) -> None:
    result = evaluate_with(PACK, worker(cert("E1", level), **STUDENT))
    assert bool(transfer(result)["exemptions"]) is exempt


def test_a_certificate_of_another_trade_exempts_nothing() -> None:
    result = evaluate_with(PACK, worker(cert("W1", 3, "6-18-02-04"), **STUDENT))
    assert transfer(result)["exemptions"] == []


def test_exemptions_only_by_several_achievements() -> None:
    record = worker(cert("E1", 3), course("S1", 10, "2025-01-10", "general", title="Electrical safety"))
    result = evaluate_with(PACK, record)
    found = transfer(result, "electrical-diploma-exemptions")
    assert [(e["course"], e["by"], e["rule"]) for e in found["exemptions"]] == [
        ("EE-201", "E1", "electrical-diploma-exemptions/senior-electrician"),
        ("EE-202", "E1", "electrical-diploma-exemptions/senior-electrician"),
        ("EE-101", "S1", "electrical-diploma-exemptions/safety-course"),
    ]
    assert found["exemptions"][2]["title"] == "EE-101"  # a course without a title shows its code
    assert (found["status"], found["credits"], found["limit"], found["capped"]) == (
        "granted",
        "10",
        "22",
        False,
    )
    # An exemption-only transfer says nothing of points (not "0 credits from 0 points").
    assert found["reason"] == "10 credits from 3 exempted courses"
    [zh] = [t for t in result.to_dict("zh")["transfers"] if t["policy"] == "electrical-diploma-exemptions"]
    assert zh["reason"] == "免修 3 门课程 10 学分"


# --- eligibility --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "attributes",
    [
        {"programme": {"track": "bachelor", "major": "mechatronics"}},
        {"programme": {"track": "associate", "major": "big data technology"}},
        {},
    ],
)
def test_an_ineligible_worker_is_refused_with_nothing_transferred(attributes: dict[str, Any]) -> None:
    result = evaluate_with(PACK, worker(credit("F1", 10), cert("E1", 4), **attributes))
    found = transfer(result)
    assert sentences(found) == {
        "policy": "mechatronics-transfer",
        "version": "2024.1",
        "programme": "ASSOC-MT",
        "title": "Associate degree in mechatronics",
        "status": "refused",
        "credits": "0",
        "limit": "60",
        "points": "0",
        "from_points": "0",
        "exemptions": [],
        "capped": False,
        "reason": "not eligible: needs worker programme.track = associate, programme.major = mechatronics",
    }
    # A transfer without eligibility conditions is open to everyone.
    assert transfer(result, "electrical-diploma-exemptions")["status"] == "granted"


def test_a_transfer_not_yet_in_force_is_not_decided() -> None:
    result = evaluate_with(PACK, worker(credit("F1", 10), **STUDENT), as_of=dt.date(2023, 12, 31))
    assert result.transfers == ()
    assert result.to_dict()["transfers"] == []


def test_the_chinese_title_of_the_programme() -> None:
    result = evaluate_with(PACK, worker(credit("F1", 10), **STUDENT))
    [zh] = [t for t in result.to_dict("zh")["transfers"] if t["policy"] == "mechatronics-transfer"]
    assert zh["title"] == "机电一体化专科"
    assert zh["reason"] == "积分 40 折合 10 学分，免修 0 门课程 0 学分"


# --- invalid transfers: RuleError at FILE:LINE:COL with the key path -------------------------------

MT = "policies/mechatronics-transfer.yaml"
DATA = "policies/data-certificate-transfer.yaml"
EE = "policies/electrical-diploma-exemptions.yaml"

INVALID = [
    Edit(
        "neither a rate nor exemptions",
        DATA,
        "rate: {points: 3, credits: 1}\nfrom:\n  categories: [digital_economy]\n",
        "",
        "id: data",
        "",
        "a transfer needs a rate, exemptions, or both",
    ),
    Edit(
        "from without a rate",
        EE,
        "max_share: 0.25\n",
        "max_share: 0.25\nfrom: {categories: [general]}\n",
        "{categories: [general]}",
        "from",
        "from: chooses which points the rate converts; give a rate too",
    ),
    Edit(
        "the same course exempted twice",
        EE,
        "      - {code: EE-101, credits: 2}",
        "      - {code: EE-201, credits: 2}",
        "EE-201, credits: 2",
        "exemptions[1].courses[0].code",
        "course EE-201 is exempted by two rules; exempt each course once",
    ),
    Edit(
        "an unknown category in from",
        MT,
        "categories: [advanced_manufacturing]",
        "categories: [advanced_manufacturng]",
        "advanced_manufacturng",
        "from.categories[0]",
        "unknown category 'advanced_manufacturng' (did you mean 'advanced_manufacturing'?)",
    ),
    Edit(
        "an unknown field in from.where",
        MT,
        "where: {type: {in: [course, formal_credit]}}",
        "where: {kind: {in: [course, formal_credit]}}",
        "{in: [course",
        "from.where.kind",
        "unknown field 'kind'",
    ),
    Edit(
        "a maximum share over 100%",
        MT,
        "max_share: 0.5",
        "max_share: 50",
        "50\nexemptions",
        "max_share",
        "less than or equal to 1",
    ),
    Edit(
        "a programme of no credits",
        MT,
        "  credits: 120",
        "  credits: 0",
        "0\neligible",
        "programme.credits",
        "greater than 0",
    ),
    Edit(
        "a programme without a title",
        DATA,
        "  title: {en: Certificate in data analysis}\n",
        "",
        "id: CERT-DATA",
        "programme",
        "missing required key 'title'",
    ),
    Edit(
        "a rate of zero points",
        MT,
        "rate: {points: 4, credits: 1}",
        "rate: {points: 0, credits: 1}",
        "0, credits: 1}",
        "rate.points",
        "greater than 0",
    ),
    Edit(
        "an exemption without courses",
        EE,
        "    courses:\n      - {code: EE-101, credits: 2}",
        "    courses: []",
        "[]",
        "exemptions[1].courses",
        "at least 1 item",
    ),
    Edit(
        "an exemption condition on an unknown field",
        EE,
        "when: {type: course, title: Electrical safety}",
        "when: {type: course, titel: Electrical safety}",
        "Electrical safety}",
        "exemptions[1].when.titel",
        "unknown field 'titel' (did you mean 'title'?)",
    ),
    Edit(
        "eligibility on an undeclared attribute",
        MT,
        "programme.major: mechatronics}",
        "programme.majr: mechatronics}",
        "mechatronics}\nrate",
        "eligible.worker.programme.majr",
        "unknown field 'programme.majr' (did you mean 'programme.major'?)",
    ),
    Edit(
        "eligibility value not in the enum",
        MT,
        "{programme.track: associate,",
        "{programme.track: asociate,",
        "asociate",
        "eligible.worker.programme.track",
        "'asociate' is not one of associate, bachelor",
    ),
]


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c.case)
def test_an_invalid_transfer_is_refused_at_file_line_column(broken: Broken, case: Edit) -> None:
    broken.refused(PACK, case)
