"""Values that depend on when the learning was earned, on the fixture pack tests/packs/transitional/.

safety-certificates has two versions: 2008.1 (30 points, 2000-01-01..2009-02-28) and 2009.1 (20
points, from 2009-03-01); a certificate keeps the value of the version in force on its completed
date (convert_at: completed). exclusions (from 2015-01-01): self-issued certificates are worth
nothing, with the reason in the ledger. safety-officer needs a safety certificate that counts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from packtools import Broken, Edit, evaluate_with, worker
from views import sentences

from creditengine import Engine, Result, load_record
from creditengine._explain import render

PACK = "transitional"
SAFETY = "2-02-28-01"


def cert(ident: str, completed: str, issuer: str = "shenzhen", occupation: str = SAFETY) -> dict[str, Any]:
    return {
        "id": ident,
        "type": "certificate",
        "title": "Work safety officer",
        "occupation": occupation,
        "completed": completed,
        "issuer": {"id": "X", "jurisdiction": issuer},
    }


def entries(result: Result) -> list[tuple[str, str, str, str, str, str]]:
    """(achievement, rule, version, base, points, status) per ledger entry."""
    return [
        (e["achievement"], e["rule"], e["version"], e["base"], e["points"], e["status"])
        for e in result.to_dict()["ledger"]
    ]


RULE = "safety-certificates/by-certificate"


# --- two versions of a conversion ---------------------------------------------------------------


def test_each_achievement_keeps_the_value_of_the_version_in_force_when_it_was_earned() -> None:
    result = evaluate_with(PACK, worker(cert("A1", "2009-02-28"), cert("A2", "2009-03-01")))
    assert entries(result) == [
        ("A1", RULE, "2008.1", "30", "30", "counted"),
        ("A2", RULE, "2009.1", "20", "20", "counted"),
    ]
    assert result.totals.all == 50
    assert result.to_dict()["pack"]["versions"]["safety-certificates"] == "2008.1, 2009.1"


def test_the_evaluation_date_does_not_change_an_earned_value() -> None:
    record = worker(cert("A1", "2008-06-30"))
    for as_of in (dt.date(2009, 1, 31), dt.date(2009, 3, 1), dt.date(2025, 12, 31)):
        assert entries(evaluate_with(PACK, record, as_of=as_of)) == [
            ("A1", RULE, "2008.1", "30", "30", "counted")
        ]


def test_learning_before_the_first_version_is_unmatched_with_a_reason() -> None:
    result = evaluate_with(PACK, worker(cert("A0", "1999-12-31")))
    assert result.ledger == ()
    assert result.unmatched == ("A0",)
    assert [render(w) for w in result.warnings] == [
        "A0: safety-certificates version 2008.1 would convert it, "
        "but is in force 2000-01-01..2009-02-28, not on 1999-12-31"
    ]


def test_convert_at_as_of_uses_the_version_in_force_on_the_evaluation_date(broken: Broken) -> None:
    broken.copy(PACK)
    broken.edit("pack.yaml", "convert_at: completed", "convert_at: as_of")
    engine = Engine.load(broken.root)
    record = load_record(worker(cert("A1", "2009-02-28"), cert("A2", "2009-03-01")))
    result = engine.evaluate(record, as_of=dt.date(2025, 12, 31))
    assert [e[1:3] + e[4:5] for e in entries(result)] == [(RULE, "2009.1", "20"), (RULE, "2009.1", "20")]
    early = engine.evaluate(load_record(worker(cert("A1", "2008-06-30"))), as_of=dt.date(2009, 2, 28))
    assert [e[2:5] for e in entries(early)] == [("2008.1", "30", "30")]


# --- exclusions ---------------------------------------------------------------------------------------


def test_an_excluded_certificate_is_worth_nothing_with_the_reason_in_the_ledger() -> None:
    result = evaluate_with(PACK, worker(cert("A3", "2020-05-01", issuer="employer")))
    assert entries(result) == [("A3", RULE, "2009.1", "20", "0", "excluded")]
    [entry] = result.to_dict()["ledger"]
    assert sentences(entry["adjustments"]) == [
        {
            "rule": "exclusions/self-issued",
            "version": "2015.1",
            "effect": "excluded: self-issued certificates are not recognised, -20",
        }
    ]
    [zh] = result.to_dict("zh")["ledger"]
    assert zh["adjustments"][0]["effect"] == "不计分：企业自行颁发的证书不予认定，-20"
    assert result.totals.all == 0
    assert result.unmatched == ()  # converted, then excluded: not "unmatched"


def test_a_reason_written_as_plain_text_is_the_english_reason(broken: Broken) -> None:
    broken.copy(PACK)
    broken.edit(
        EXCL,
        "reason: {en: self-issued certificates are not recognised, zh: 企业自行颁发的证书不予认定}",
        "reason: self-issued certificates are not recognised",
    )
    engine = Engine.load(broken.root)
    record = load_record(worker(cert("A3", "2020-05-01", issuer="employer")))
    result = engine.evaluate(record, as_of=dt.date(2025, 12, 31))
    [entry] = result.to_dict("zh")["ledger"]
    assert entry["adjustments"][0]["effect"] == "不计分：self-issued certificates are not recognised，-20"


def test_policies_do_not_rely_on_excluded_learning() -> None:
    excluded = evaluate_with(PACK, worker(cert("A3", "2020-05-01", issuer="employer")))
    assert excluded.outcome("safety-officer").status == "unmet"
    counted = evaluate_with(
        PACK, worker(cert("A3", "2020-05-01", issuer="employer"), cert("A2", "2021-01-01"))
    )
    assert counted.outcome("safety-officer").to_dict()["because"] == [
        "A2 (Work safety officer): type = certificate, occupation in [2-02-28-01, 2-02-28-02]"
    ]
    assert counted.totals.all == 20


def test_an_exclusion_applies_from_the_evaluation_date_it_is_in_force() -> None:
    # Adjustments use the version in force on as_of: before 2015 no exclusion existed.
    record = worker(cert("A3", "2010-05-01", issuer="employer"))
    assert entries(evaluate_with(PACK, record, as_of=dt.date(2014, 12, 31))) == [
        ("A3", RULE, "2009.1", "20", "20", "counted")
    ]
    assert entries(evaluate_with(PACK, record, as_of=dt.date(2015, 1, 1)))[0][5] == "excluded"


def test_every_ledger_and_outcome_entry_says_which_version_decided_it() -> None:
    result = evaluate_with(
        PACK, worker(cert("A1", "2009-02-28"), cert("A3", "2020-05-01", issuer="employer"))
    )
    data = result.to_dict()
    assert [(e["achievement"], e["version"]) for e in data["ledger"]] == [("A1", "2008.1"), ("A3", "2009.1")]
    assert [a["version"] for e in data["ledger"] for a in e["adjustments"]] == ["2015.1"]
    assert [(o["policy"], o["version"]) for o in data["outcomes"]] == [("safety-officer", "2020.1")]


# --- invalid versions and exclusions: RuleError at FILE:LINE:COL with the key path --------------

OLD = "conversions/safety-certificates@2008.1.yaml"
NEW = "conversions/safety-certificates@2009.1.yaml"
EXCL = "adjustments/exclusions.yaml"

INVALID = [
    Edit(
        "an exclusion without a reason",
        EXCL,
        "    exclude:\n      reason: {en: self-issued certificates are not recognised, zh: "
        "企业自行颁发的证书不予认定}",
        "    exclude: {}",
        "{}",
        "rules[0].exclude",
        "missing required key 'reason'",
    ),
    Edit(
        "a reason without English",
        EXCL,
        "reason: {en: self-issued certificates are not recognised, zh:",
        "reason: {zh:",
        "{zh:",
        "rules[0].exclude.reason",
        "missing required key 'en'",
    ),
    Edit(
        "an exclusion that also multiplies",
        EXCL,
        "    exclude:\n",
        "    multiply: 0.5\n    exclude:\n",
        "id: self-issued",
        "rules[0]",
        "an adjustment needs exactly one of multiply, cap, expire_after, dedupe, exclude "
        "(has multiply, exclude)",
    ),
    Edit(
        "an unknown key in an exclusion",
        EXCL,
        "    exclude:\n",
        "    exclude:\n      points: 0\n",
        "points",
        "rules[0].exclude.points",
        "unknown key 'points'",
    ),
    Edit(
        "a version whose id is not its file's",
        NEW,
        "id: safety-certificates",
        "id: safety-certificate",
        "safety-certificate\n",
        "id",
        "must match the file name 'safety-certificates@2009.1.yaml'",
    ),
    Edit(
        "until before from",
        OLD,
        "{from: 2000-01-01, until: 2009-02-28}",
        "{from: 2009-02-28, until: 2000-01-01}",
        "{from: 2009",
        "effective",
        "until 2000-01-01 is before from 2009-02-28",
    ),
]


@pytest.mark.parametrize("case", INVALID, ids=lambda c: c.case)
def test_an_invalid_version_or_exclusion_is_refused_at_file_line_column(broken: Broken, case: Edit) -> None:
    broken.refused(PACK, case)


def test_overlapping_versions_are_refused_naming_the_other_file(broken: Broken) -> None:
    root = broken.copy(PACK)
    broken.edit(NEW, "effective: {from: 2009-03-01}", "effective: {from: 2009-02-01}")
    problem = broken.only_problem(NEW, "{from: 2009-02-01}", "effective", "overlaps")
    assert problem.message == (
        "safety-certificates version 2009.1 (2009-02-01..) overlaps version 2008.1 "
        f"(2000-01-01..2009-02-28) at {root / OLD}:1:1"
    )


def test_a_gap_between_versions_is_allowed_and_learning_in_it_is_unmatched(broken: Broken) -> None:
    broken.copy(PACK)
    broken.edit(OLD, "until: 2009-02-28", "until: 2009-01-31")
    result = Engine.load(broken.root).evaluate(
        load_record(worker(cert("A1", "2009-02-15"))), as_of=dt.date(2025, 12, 31)
    )
    assert result.unmatched == ("A1",)
    assert "not on 2009-02-15" in render(result.warnings[0])
