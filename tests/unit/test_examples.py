"""Each example record, evaluated on the default pack as of 2025-12-31, gives what examples/README.md says."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from creditengine import Engine, Result, load_record

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AS_OF = dt.date(2025, 12, 31)

# Hand-computed in examples/README.md and in the comment at the top of each example.
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
        ],
    },
    "hk-bachelor-status-route": {
        "worker": "W-0004",
        "total": "288",
        "by_category": {"advanced_manufacturing": "288"},
        "skilled-worker": "met",
        "highly-skilled-worker": "met",
        "unmatched": ["A2"],
        "ledger": [("A1", "240", "288", "counted")],
    },
    "chef-junior-macao": {
        "worker": "W-0005",
        "total": "20",
        "by_category": {"modern_services": "20"},
        "skilled-worker": "met",
        "highly-skilled-worker": "unmet",
        "unmatched": ["A2", "A3", "A4"],
        "ledger": [("A1", "20", "20", "counted")],
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


@pytest.fixture(scope="module")
def results() -> dict[str, Result]:
    engine = Engine.load()
    return {name: engine.evaluate(load_record(EXAMPLES / f"{name}.yaml"), as_of=AS_OF) for name in EXPECTED}


def test_every_example_is_covered() -> None:
    assert sorted(p.stem for p in EXAMPLES.glob("*.yaml")) == sorted(EXPECTED)


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
    assert totals == [{"requirement": "total >= 100", "have": "72", "need": "28"}]


def test_formal_credits_need_22_4_more_points_to_be_skilled(results: dict[str, Result]) -> None:
    [gap] = results["formal-credits-associate"].outcome("skilled-worker").to_dict()["missing"]
    totals = [m for option in gap["options"] for m in option if "have" in m]
    assert totals == [{"requirement": "total >= 100", "have": "77.6", "need": "22.4"}]


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
    assert because[0] == "status skilled (granted by skilled-worker)"
    assert len(because) == 2 and because[1].startswith("A1 ")
    assert result.outcome("skilled-worker").to_dict()["because"] == ["total >= 100 (has 288)"]


def test_undeclared_field_falls_back_to_general_with_a_warning(results: dict[str, Result]) -> None:
    warnings = [w.en for w in results["formal-credits-associate"].warnings]
    [warning] = warnings
    assert warning.startswith("A5")
    assert "mathematics" in warning and "general" in warning


def test_the_chef_is_skilled_by_the_level_5_certificate(results: dict[str, Result]) -> None:
    because = results["chef-junior-macao"].outcome("skilled-worker").to_dict()["because"]
    assert len(because) == 1 and because[0].startswith("A1 ")
