"""Each example record, evaluated on the default pack as of 2025-12-31, gives what examples/README.md says."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from views import sentences

from creditengine import Engine, Result, load_record
from creditengine._explain import render

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AS_OF = dt.date(2025, 12, 31)

# Hand-computed from the rule files in rules/ (see examples/README.md and the comment at the top
# of each example). Since the default pack gained cross-border-equivalence, a Macao or Hong Kong
# award also derives a mainland certificate ("A2~cn-skill-4"): it is converted, de-duplicated and
# seen by policies like a real one, but a source and its derivative are one piece of learning.
EXPECTED: dict[str, dict[str, Any]] = {
    "electrician-level3": {
        "worker": "W-0001",
        "total": "100.8",
        "by_category": {"advanced_manufacturing": "100.8"},
        "skilled-worker": "met",
        "highly-skilled-worker": "met",
        "unmatched": [],
        "ledger": [
            ("A1", "40", "0", "duplicate"),
            ("A2", "80", "96", "counted"),
            ("A3", "4", "4.8", "counted"),
        ],
    },
    "course-heavy-capped": {
        "worker": "W-0002",
        "total": "72.0",
        "by_category": {"digital_economy": "60.0", "modern_services": "12.0"},
        "skilled-worker": "unmet",
        "highly-skilled-worker": "unmet",
        "unmatched": ["A6"],
        "ledger": None,  # which 2024 course the cap trims is the engine's choice
    },
    "points-only-highly-skilled": {
        "worker": "W-0003",
        "total": "304.8",
        "by_category": {
            "advanced_manufacturing": "100.8",
            "digital_economy": "24.0",
            "modern_services": "180.0",
        },
        "skilled-worker": "met",
        "highly-skilled-worker": "met",
        "unmatched": [],
        "ledger": [
            ("A1", "40", "48", "counted"),
            ("A2", "16", "19.2", "counted"),
            ("A3", "12", "14.4", "counted"),
            ("A4", "16", "19.2", "counted"),
            ("A5", "20", "24", "counted"),
            ("A6", "180", "180", "counted"),
            # HKQF level 3 -> cn-skill level 4 (pack.yaml level map): 40 points, but A6 itself
            # earns more (180), so the derived certificate is the same learning, not counted.
            ("A6~cn-skill-4", "40", "0", "duplicate"),
        ],
    },
    "hk-bachelor-status-route": {
        "worker": "W-0004",
        "total": "288",
        "by_category": {"advanced_manufacturing": "288"},
        "skilled-worker": "met",
        "highly-skilled-worker": "met",
        "unmatched": ["A2"],
        # HKQF level 5 -> cn-skill level 2: 120 points < A1's own 240, so the derivative is a duplicate.
        "ledger": [("A1", "240", "288", "counted"), ("A1~cn-skill-2", "120", "0", "duplicate")],
    },
    "chef-junior-macao": {
        "worker": "W-0005",
        # A1 20 (modern_services, no multiplier) + A2~cn-skill-4: the Macao intermediate maintenance
        # electrician certificate counts as the mainland level-4 electrician, 40 x 1.2 = 48.
        "total": "68",
        "by_category": {"advanced_manufacturing": "48", "modern_services": "20"},
        "skilled-worker": "met",
        "highly-skilled-worker": "unmet",  # level 4 is below 3; 68 < 300; no HKQF qualification
        "unmatched": ["A3", "A4"],  # A2 converts through its derivative
        "ledger": [("A1", "20", "20", "counted"), ("A2~cn-skill-4", "40", "48", "counted")],
    },
    "electrician-subsidy-transfer": {
        "worker": "W-0007",
        # A1~cn-skill-4 (Macao intermediate -> level 4 electrician) 40: duplicate of A2, same occupation,
        # keep highest; A2 level 3: 80 x 1.2 = 96; A3 course 160 h: 16 x 1.2 = 19.2;
        # A4 4 cn-higher-ed credits: 16 x 1.2 = 19.2.  96 + 19.2 + 19.2 = 134.4
        "total": "134.4",
        "by_category": {"advanced_manufacturing": "134.4"},
        "skilled-worker": "met",
        "highly-skilled-worker": "met",  # A2 is cn-skill level 3
        "unmatched": [],
        "ledger": [
            ("A1~cn-skill-4", "40", "0", "duplicate"),
            ("A2", "80", "96", "counted"),
            ("A3", "16", "19.2", "counted"),
            ("A4", "16", "19.2", "counted"),
        ],
    },
    "formal-credits-associate": {
        "worker": "W-0006",
        "total": "77.6",
        "by_category": {
            "digital_economy": "19.2",
            "advanced_manufacturing": "14.4",
            "general": "36.0",
            "modern_services": "8.0",
        },
        "skilled-worker": "unmet",
        "highly-skilled-worker": "unmet",
        "unmatched": [],
        "ledger": [
            ("A1", "16", "19.2", "counted"),
            ("A2", "12", "14.4", "counted"),
            ("A3", "16", "16", "counted"),
            ("A4", "8", "8", "counted"),
            ("A5", "20", "20", "counted"),
        ],
    },
}


HKQF_RULE = "cross-border-equivalence/hkqf-qualification-levels"
MACAO_RULE = "cross-border-equivalence/macao-maintenance-electrician"

# (derived id, equivalence rule, sources) of every example: level maps in rules/pack.yaml
# (hkqf 3 -> 4, 4 -> 3, 5 -> 2; mo-dsal junior -> 5, intermediate -> 4).
DERIVED: dict[str, list[tuple[str, str, list[str]]]] = {
    "electrician-level3": [],
    "course-heavy-capped": [],
    "points-only-highly-skilled": [("A6~cn-skill-4", HKQF_RULE, ["A6"])],
    "hk-bachelor-status-route": [("A1~cn-skill-2", HKQF_RULE, ["A1"])],
    "chef-junior-macao": [("A2~cn-skill-4", MACAO_RULE, ["A2"])],
    "electrician-subsidy-transfer": [("A1~cn-skill-4", MACAO_RULE, ["A1"])],
    "formal-credits-associate": [],
}

WINDOW = "skill-upgrade-subsidy/claim_within"
# skill-upgrade-subsidy (rules/policies/skill-upgrade-subsidy.yaml): cn-skill 5/4/3 -> 1000/1500/2000 CNY,
# +30% for level 3 in a listed shortage occupation, claimed within 12 months of the certificate date
# (as of 2025-12-31 only certificates dated 2024-12-31 or later), at least 12 months of insurance.
# (for, status, amount, deciding rule) in claim order (certificate date).
ENTITLEMENTS: dict[str, list[tuple[str, str, str, str]]] = {
    # A1 level 4 (2020-06-15) would be 1500; A2 level 3 electrician (2024-03-01) would be 2600:
    # both windows closed (2021-06-15, 2025-03-01).
    "electrician-level3": [("A1", "refused", "0", WINDOW), ("A2", "refused", "0", WINDOW)],
    "course-heavy-capped": [],  # no certificate
    "points-only-highly-skilled": [("A6~cn-skill-4", "refused", "0", WINDOW), ("A1", "refused", "0", WINDOW)],
    "hk-bachelor-status-route": [],  # the only certificate is A1~cn-skill-2: level 2 is not subsidised
    "chef-junior-macao": [("A2~cn-skill-4", "refused", "0", WINDOW), ("A1", "refused", "0", WINDOW)],
    "electrician-subsidy-transfer": [
        ("A1~cn-skill-4", "refused", "0", WINDOW),  # 2021-06-15: window closed 2022-06-15
        ("A2", "granted", "2600", "skill-upgrade-subsidy/by-level"),  # 2000 + 30% (shortage occupation)
    ],
    "formal-credits-associate": [],
}

# mechatronics-associate-transfer: associate-track mechatronics majors only; course and formal-credit
# points in advanced_manufacturing at 4 points a credit (rounded down), plus 8 credits for an
# electrician certificate at level 4 or above, at most 50% of 120 = 60.  (status, credits, points)
TRANSFERS: dict[str, tuple[str, str, str]] = {
    "electrician-level3": ("refused", "0", "0"),  # no programme
    "course-heavy-capped": ("refused", "0", "0"),  # major big data technology
    "points-only-highly-skilled": ("refused", "0", "0"),
    "hk-bachelor-status-route": ("refused", "0", "0"),
    "chef-junior-macao": ("refused", "0", "0"),
    "electrician-subsidy-transfer": ("granted", "17", "38.4"),  # 9 from 38.4 points + 8 exempted
    "formal-credits-associate": ("granted", "3", "14.4"),  # A2 14.4 points / 4 = 3.6 -> 3
}


@pytest.fixture(scope="module")
def results() -> dict[str, Result]:
    engine = Engine.load()
    return {name: engine.evaluate(load_record(EXAMPLES / f"{name}.yaml"), as_of=AS_OF) for name in EXPECTED}


def test_every_example_is_covered() -> None:
    names = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
    assert names == sorted(EXPECTED) == sorted(DERIVED) == sorted(ENTITLEMENTS) == sorted(TRANSFERS)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_totals(results: dict[str, Result], name: str) -> None:
    expected = EXPECTED[name]
    result = results[name]
    assert result.worker == expected["worker"]
    assert result.totals.all == Decimal(expected["total"])
    assert {k: v for k, v in result.totals.by_category} == {
        k: Decimal(v) for k, v in expected["by_category"].items()
    }


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_policy_outcomes(results: dict[str, Result], name: str) -> None:
    expected = EXPECTED[name]
    outcomes = {o.policy: o.status for o in results[name].outcomes}
    assert outcomes == {
        "skilled-worker": expected["skilled-worker"],
        "highly-skilled-worker": expected["highly-skilled-worker"],
    }


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_unmatched(results: dict[str, Result], name: str) -> None:
    assert list(results[name].unmatched) == EXPECTED[name]["unmatched"]


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if EXPECTED[n]["ledger"] is not None))
def test_example_ledger(results: dict[str, Result], name: str) -> None:
    ledger = [
        (e["achievement"], e["base"], e["points"], e["status"]) for e in results[name].to_dict()["ledger"]
    ]
    assert ledger == EXPECTED[name]["ledger"]


@pytest.mark.parametrize("name", sorted(DERIVED))
def test_example_derived(results: dict[str, Result], name: str) -> None:
    derived = [(d["id"], d["rule"], d["from"]) for d in results[name].to_dict()["derived"]]
    assert derived == DERIVED[name]
    for d in results[name].derived:
        assert d.version == "2022.1"


@pytest.mark.parametrize("name", sorted(ENTITLEMENTS))
def test_example_entitlements(results: dict[str, Result], name: str) -> None:
    claims = [
        (c["for"][0], c["status"], c["amount"], c["rule"]) for c in results[name].to_dict()["entitlements"]
    ]
    assert claims == ENTITLEMENTS[name]
    for claim in results[name].entitlements:
        assert (claim.policy, claim.version, claim.currency) == ("skill-upgrade-subsidy", "2024.1", "CNY")


@pytest.mark.parametrize("name", sorted(TRANSFERS))
def test_example_transfers(results: dict[str, Result], name: str) -> None:
    [transfer] = results[name].to_dict()["transfers"]
    assert (transfer["policy"], transfer["version"]) == ("mechatronics-associate-transfer", "2024.1")
    assert (transfer["status"], transfer["credits"], transfer["points"]) == TRANSFERS[name]
    assert transfer["limit"] == "60"
    if transfer["status"] == "refused":
        assert transfer["reason"].startswith("not eligible: needs worker programme.track = associate")


def test_the_course_cap_trims_2024_to_60_and_expires_the_2019_course(results: dict[str, Result]) -> None:
    ledger = {e.achievement: e for e in results["course-heavy-capped"].ledger}
    assert sorted(ledger) == ["A1", "A2", "A3", "A4", "A5"]
    assert sum(ledger[a].base for a in ("A1", "A2", "A3")) == Decimal(60)
    assert sum(ledger[a].points for a in ("A1", "A2", "A3")) == Decimal(60)
    assert [ledger[a].status for a in ("A1", "A2", "A3")].count("capped") >= 1
    assert (ledger["A4"].points, ledger["A4"].status) == (Decimal(12), "counted")
    assert (ledger["A5"].base, ledger["A5"].points, ledger["A5"].status) == (
        Decimal(30),
        Decimal(0),
        "expired",
    )


def test_course_heavy_needs_28_more_points_to_be_skilled(results: dict[str, Result]) -> None:
    [gap] = results["course-heavy-capped"].outcome("skilled-worker").to_dict()["missing"]
    totals = [m for option in gap["options"] for m in option if "have" in m]
    assert sentences(totals) == [{"requirement": "total >= 100", "have": "72", "need": "28"}]


def test_formal_credits_need_22_4_more_points_to_be_skilled(results: dict[str, Result]) -> None:
    [gap] = results["formal-credits-associate"].outcome("skilled-worker").to_dict()["missing"]
    totals = [m for option in gap["options"] for m in option if "have" in m]
    assert sentences(totals) == [{"requirement": "total >= 100", "have": "77.6", "need": "22.4"}]


def test_the_electrician_is_highly_skilled_by_the_level_3_certificate(results: dict[str, Result]) -> None:
    because = results["electrician-level3"].outcome("highly-skilled-worker").to_dict()["because"]
    assert len(because) == 1
    assert because[0].startswith("A2 ")


def test_w0003_is_highly_skilled_by_points_only(results: dict[str, Result]) -> None:
    because = results["points-only-highly-skilled"].outcome("highly-skilled-worker").to_dict()["because"]
    assert because == ["total >= 300 (has 304.8)", "total advanced_manufacturing >= 100 (has 100.8)"]


def test_w0004_is_highly_skilled_by_status_and_hkqf_level(results: dict[str, Result]) -> None:
    result = results["hk-bachelor-status-route"]
    because = result.outcome("highly-skilled-worker").to_dict()["because"]
    # The status route (skilled + HKQF level >= 4) still holds ...
    assert because[1:] == [
        "status skilled (granted by skilled-worker)",
        "A1 (Bachelor of Engineering in Electrical Engineering): "
        "type = qualification, level.framework = hkqf, level.value >= 4",
    ]
    # ... and HKQF level 5 now also counts as a cn-skill level-2 certificate: the certificate route.
    assert because[0] == (
        "A1~cn-skill-2 (Bachelor of Engineering in Electrical Engineering): "
        "type = certificate, level.framework = cn-skill, level.value >= 3"
    )
    assert result.outcome("skilled-worker").to_dict()["because"] == [
        "A1~cn-skill-2 (Bachelor of Engineering in Electrical Engineering): "
        "type = certificate, level.framework = cn-skill, level.value >= 5",
        "total >= 100 (has 288)",
    ]


def test_w0004_derived_certificate_is_the_same_learning_as_its_source(results: dict[str, Result]) -> None:
    ledger = {e["achievement"]: e for e in results["hk-bachelor-status-route"].to_dict()["ledger"]}
    derived = ledger["A1~cn-skill-2"]
    assert derived["rule"] == "cn-skill-certificates/by-level"
    assert (derived["base"], derived["points"], derived["status"]) == ("120", "0", "duplicate")
    assert sentences(derived["adjustments"]) == [
        {"rule": HKQF_RULE, "version": "2022.1", "effect": "same learning as A1, which counts instead, -120"}
    ]
    assert ledger["A1"]["status"] == "counted"


def test_undeclared_field_falls_back_to_general_with_a_warning(results: dict[str, Result]) -> None:
    warnings = [render(w) for w in results["formal-credits-associate"].warnings]
    [warning] = warnings
    assert warning.startswith("A5")
    assert "mathematics" in warning and "general" in warning


def test_the_chef_is_skilled_by_the_level_5_certificate(results: dict[str, Result]) -> None:
    because = results["chef-junior-macao"].outcome("skilled-worker").to_dict()["because"]
    # The level-5 certificate, and the Macao certificate's mainland equivalent (level 4).
    assert len(because) == 2
    assert because[0].startswith("A1 ")
    assert because[1].startswith("A2~cn-skill-4 (Maintenance electrician): ")


def test_the_chefs_macao_certificate_counts_as_the_level_4_electrician(results: dict[str, Result]) -> None:
    result = results["chef-junior-macao"]
    [entry] = [e for e in result.to_dict()["ledger"] if e["achievement"] == "A2~cn-skill-4"]
    assert entry["rule"] == "cn-skill-certificates/by-level"
    assert entry["category"] == "advanced_manufacturing"  # the source's industry
    assert [a["rule"] for a in entry["adjustments"]] == ["caps-and-validity/priority-industries"]
    assert result.warnings == ()
    highly = result.outcome("highly-skilled-worker").to_dict()["missing"][0]["options"]
    assert sentences(highly[1]) == [
        {"requirement": "total >= 300", "have": "68", "need": "232"},
        {"requirement": "total advanced_manufacturing >= 100", "have": "48", "need": "52"},
    ]


# --- W-0007: equivalence, subsidy and credit transfer ---------------------------------------------


def test_w0007_macao_certificate_is_superseded_by_the_new_level_3(results: dict[str, Result]) -> None:
    ledger = results["electrician-subsidy-transfer"].to_dict()["ledger"]
    assert ledger[0]["achievement"] == "A1~cn-skill-4"
    assert sentences(ledger[0]["adjustments"]) == [
        {
            "rule": "caps-and-validity/same-certificate-once",
            "version": "2022.1",
            "effect": "duplicate of A2 (occupation=6-31-01-03, keep highest), -40",
        }
    ]


def test_w0007_is_highly_skilled_by_the_level_3_certificate_only(results: dict[str, Result]) -> None:
    result = results["electrician-subsidy-transfer"]
    because = result.outcome("highly-skilled-worker").to_dict()["because"]
    assert because == ["A2 (Electrician): type = certificate, level.framework = cn-skill, level.value >= 3"]
    skilled = result.outcome("skilled-worker").to_dict()["because"]
    assert [b.split(" ")[0] for b in skilled] == ["A2", "A1~cn-skill-4", "total"]
    assert skilled[-1] == "total >= 100 (has 134.4)"


def test_w0007_subsidy_granted_with_bonus_and_refused_by_the_claim_window(
    results: dict[str, Result],
) -> None:
    refused, granted = results["electrician-subsidy-transfer"].to_dict()["entitlements"]
    assert sentences(granted) == {
        "policy": "skill-upgrade-subsidy",
        "version": "2024.1",
        "rule": "skill-upgrade-subsidy/by-level",
        "status": "granted",
        "amount": "2600",
        "currency": "CNY",
        "for": ["A2"],
        "reason": "A2: 2000 CNY +30%",
    }
    assert sentences(refused) == {
        "policy": "skill-upgrade-subsidy",
        "version": "2024.1",
        "rule": "skill-upgrade-subsidy/claim_within",
        "status": "refused",
        "amount": "0",
        "currency": "CNY",
        "for": ["A1~cn-skill-4"],
        "reason": "claim window closed on 2022-06-15 (would be 1500)",
    }


def test_w0007_transfers_17_credits(results: dict[str, Result]) -> None:
    [transfer] = results["electrician-subsidy-transfer"].to_dict()["transfers"]
    rule = "mechatronics-associate-transfer/electrician-certificate"
    assert sentences(transfer) == {
        "policy": "mechatronics-associate-transfer",
        "version": "2024.1",
        "programme": "SZ-ASSOC-MECHATRONICS",
        "title": "Associate degree in mechatronics technology",
        "status": "granted",
        "credits": "17",
        "limit": "60",
        "points": "38.4",  # A3 19.2 + A4 19.2; certificate points are left out
        "from_points": "9",  # 38.4 / 4 = 9.6, rounded down
        "exemptions": [
            {"course": "MT-101", "title": "Electrical safety", "credits": "2", "by": "A2", "rule": rule},
            {
                "course": "MT-102",
                "title": "Electrical installation practice",
                "credits": "3",
                "by": "A2",
                "rule": rule,
            },
            {"course": "MT-103", "title": "Motors and drives", "credits": "3", "by": "A2", "rule": rule},
        ],
        "capped": False,
        "reason": "9 credits from 38.4 points, 8 from 3 exempted courses",
    }


def test_w0007_pack_versions_name_every_rule_file_used(results: dict[str, Result]) -> None:
    versions = results["electrician-subsidy-transfer"].to_dict()["pack"]["versions"]
    assert versions == {
        "accredited-courses": "2022.1",
        "caps-and-validity": "2022.1",
        "cn-higher-ed-credits": "2022.1",
        "cn-skill-certificates": "2022.1",
        "cross-border-equivalence": "2022.1",
        "highly-skilled-worker": "2022.1",
        "hkqf-credits": "2022.1",
        "mechatronics-associate-transfer": "2024.1",
        "skill-upgrade-subsidy": "2024.1",
        "skilled-worker": "2022.1",
    }
