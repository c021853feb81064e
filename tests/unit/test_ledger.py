"""The ledger, through Engine.evaluate on small packs: conversion, rounding, adjustments, versions."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from creditengine import Engine, EvaluationError, Result, load_record
from creditengine._explain import render

RULES = Path(__file__).resolve().parents[2] / "rules"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def pack_yaml(*, rounding: str = "half_up", decimals: int = 1, convert_at: str = "completed") -> str:
    return f"""\
name: ledger-test
title: {{en: Ledger test}}
scale: {{unit: point, decimals: {decimals}, rounding: {rounding}}}
convert_at: {convert_at}
categories: [advanced_manufacturing, digital_economy, general]
default_category: general
frameworks:
  cn-skill: {{levels: [5, 4, 3, 2, 1]}}
"""


def entries(result: Result) -> list[tuple[str, str, str]]:
    """(achievement, points, status) of every ledger entry, as JSON shows them."""
    return [(e["achievement"], e["points"], e["status"]) for e in result.to_dict()["ledger"]]


def effects(result: Result, achievement: str) -> list[str]:
    return [
        a["effect"]
        for e in result.to_dict()["ledger"]
        if e["achievement"] == achievement
        for a in e["adjustments"]
    ]


# --- conversion -----------------------------------------------------------------------------------

TWO_MATCHING = """\
- id: small
  when: {type: course}
  points: 5
- id: never
  when: {type: award}
  points: 100
- id: big
  when: {type: course}
  points: 7
"""


@pytest.mark.parametrize(
    ("hit", "rules", "total"),
    [("first", ["conv/small"], "5"), ("max", ["conv/big"], "7"), ("sum", ["conv/small", "conv/big"], "12")],
)
def test_hit_policy_combines_matching_rules(kit, hit: str, rules: list[str], total: str) -> None:
    result = kit.evaluate(
        {"conversions/conv.yaml": kit.conversion(TWO_MATCHING, hit=hit)}, kit.record(kit.course("A1", 10))
    )
    assert [e.rule for e in result.ledger] == rules
    assert result.to_dict()["totals"]["all"] == total


def test_fixed_formula_and_lookup_points(kit) -> None:
    rules = """\
    - id: fixed
      when: {type: award}
      points: 15
    - id: formula
      when: {type: formal_credit}
      points: {formula: "min(credits.value * 4, 30)"}
    - id: lookup
      when: {type: certificate, level.framework: cn-skill}
      points: {lookup: level.value, table: {5: 20, 4: 40, 3: 80}}
    """
    record = kit.record(
        {"id": "A1", "type": "award", "completed": "2024-01-01"},
        {
            "id": "A2",
            "type": "formal_credit",
            "completed": "2024-01-01",
            "credits": {"value": 3, "system": "x"},
        },
        {
            "id": "A3",
            "type": "formal_credit",
            "completed": "2024-01-01",
            "credits": {"value": 9, "system": "x"},
        },
        kit.certificate("A4", 3),
        kit.certificate("A5", "4", occupation="other"),
    )
    result = kit.evaluate({"conversions/conv.yaml": kit.conversion(rules)}, record)
    assert entries(result) == [
        ("A1", "15", "counted"),
        ("A2", "12", "counted"),
        ("A3", "30", "counted"),
        ("A4", "80", "counted"),
        ("A5", "40", "counted"),
    ]
    assert result.totals.all == Decimal(177)


@pytest.mark.parametrize(
    ("formula", "points"),
    [
        ("hours / 3", "3.3"),
        ("round(hours / 3, 2)", "3.3"),  # 3.33, then kept to the scale's one decimal
        ("round(hours / 4)", "3"),  # 2.5 -> 3 with the pack's half_up
        ("floor(hours / 3)", "3"),
        ("ceil(hours / 3)", "4"),
        ("max(hours, 50)", "50"),
        ("min(hours, 5) + 0.25", "5.3"),
        ("hours × 3 ÷ 4", "7.5"),
    ],
)
def test_formula_points_are_computed_exactly(kit, formula: str, points: str) -> None:
    rules = f'- id: r\n  points: {{formula: "{formula}"}}\n'
    result = kit.evaluate({"conversions/conv.yaml": kit.conversion(rules)}, kit.record(kit.course("A1", 10)))
    assert [e["points"] for e in result.to_dict()["ledger"]] == [points]


def test_a_lookup_without_a_row_uses_the_default_or_leaves_the_achievement_unmatched(kit) -> None:
    rules = """\
    - id: lookup
      when: {type: certificate, level.framework: cn-skill}
      points: {lookup: level.value, table: {3: 80}}
    """
    with_default = rules.replace("table: {3: 80}", "table: {3: 80}, default: 5")
    record = kit.record(kit.certificate("A1", 3), kit.certificate("A2", 1, occupation="other"))
    result = kit.evaluate({"conversions/conv.yaml": kit.conversion(rules)}, record)
    assert entries(result) == [("A1", "80", "counted")]
    assert result.unmatched == ("A2",)
    assert any("A2" in render(w) and "no value for 1" in render(w) for w in result.warnings)
    result = kit.evaluate({"conversions/conv.yaml": kit.conversion(with_default)}, record)
    assert entries(result) == [("A1", "80", "counted"), ("A2", "5", "counted")]


def test_a_formula_needing_a_missing_field_warns_and_leaves_the_achievement_unmatched(kit) -> None:
    result = kit.evaluate(
        {"conversions/conv.yaml": kit.hours_conversion()},
        kit.record({"id": "A1", "type": "course", "completed": "2024-01-01"}),
    )
    assert result.ledger == ()
    assert result.unmatched == ("A1",)
    assert any("needs hours" in render(w) for w in result.warnings)


def test_an_achievement_no_rule_matches_is_unmatched(kit) -> None:
    result = kit.evaluate(
        {"conversions/conv.yaml": kit.hours_conversion()},
        kit.record(kit.course("A1", 10), {"id": "A2", "type": "award", "completed": "2024-01-01"}),
    )
    assert result.unmatched == ("A2",)
    assert [e.achievement for e in result.ledger] == ["A1"]


def test_arithmetic_failure_is_an_evaluation_error_naming_worker_and_rule(kit) -> None:
    rules = """\
    - id: per-hour
      points: {formula: "100 / hours"}
    """
    with pytest.raises(EvaluationError) as info:
        kit.evaluate({"conversions/conv.yaml": kit.conversion(rules)}, kit.record(kit.course("A1", 0)))
    assert info.value.worker == "W-TEST"
    assert info.value.rule == "conv/per-hour"
    assert info.value.location is not None and info.value.location.line > 0
    assert "conv.yaml" in str(info.value)


# --- categories -----------------------------------------------------------------------------------


def test_category_comes_from_the_record_with_a_fallback_to_the_default(kit) -> None:
    record = kit.record(
        kit.course("A1", 100, industry="digital_economy"),
        kit.course("A2", 50, industry="basket_weaving"),
        kit.course("A3", 30),
    )
    result = kit.evaluate({"conversions/conv.yaml": kit.hours_conversion()}, record)
    assert [(e.achievement, e.category) for e in result.ledger] == [
        ("A1", "digital_economy"),
        ("A2", "general"),
        ("A3", "general"),
    ]
    assert result.to_dict()["totals"]["by_category"] == {"digital_economy": "10", "general": "8"}
    warnings = [render(w) for w in result.warnings]
    assert any("A2" in w and "basket_weaving" in w and "general" in w for w in warnings)
    assert any(w.startswith("A3") and "general" in w for w in warnings)
    assert not any(w.startswith("A1") for w in warnings)


def test_a_fixed_category_is_used_as_is(kit) -> None:
    rules = """\
    - id: r
      points: 3
      category: advanced_manufacturing
    """
    result = kit.evaluate(
        {"conversions/conv.yaml": kit.conversion(rules)},
        kit.record(kit.course("A1", 1, industry="digital_economy")),
    )
    assert result.ledger[0].category == "advanced_manufacturing"
    assert result.warnings == ()


def test_totals_by_category_follow_the_pack_order(kit) -> None:
    record = kit.record(
        kit.course("A1", 10, industry="general"),
        kit.course("A2", 20, industry="digital_economy"),
        kit.course("A3", 30, industry="advanced_manufacturing"),
    )
    result = kit.evaluate({"conversions/conv.yaml": kit.hours_conversion()}, record)
    assert list(result.to_dict()["totals"]["by_category"]) == [
        "advanced_manufacturing",
        "digital_economy",
        "general",
    ]


# --- rounding -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rounding", "expected"),
    [
        ("half_up", ["0.3", "0.4", "0.2", "0.2"]),
        ("half_even", ["0.2", "0.4", "0.2", "0.2"]),
        ("down", ["0.2", "0.3", "0.2", "0.1"]),
        ("up", ["0.3", "0.4", "0.3", "0.2"]),
    ],
)
def test_points_are_rounded_by_the_pack_rule(kit, rounding: str, expected: list[str]) -> None:
    rules = """\
    - id: r
      points: {formula: "hours / 100"}
    """
    record = kit.record(
        kit.course("A1", 25), kit.course("A2", 35), kit.course("A3", 21), kit.course("A4", 15)
    )
    files = {"pack.yaml": pack_yaml(rounding=rounding), "conversions/conv.yaml": kit.conversion(rules)}
    assert [p for _, p, _ in entries(kit.evaluate(files, record))] == expected


def test_points_keep_the_declared_number_of_decimals(kit) -> None:
    rules = """\
    - id: r
      points: {formula: "hours / 3"}
    """
    files = {"pack.yaml": pack_yaml(decimals=2), "conversions/conv.yaml": kit.conversion(rules)}
    result = kit.evaluate(files, kit.record(kit.course("A1", 10)))
    assert result.ledger[0].points == Decimal("3.33")


def test_arithmetic_is_exact_decimal(kit) -> None:
    rules = """\
    - id: r
      points: {formula: "hours * 0.1 + hours * 0.2"}
    """
    files = {"pack.yaml": pack_yaml(decimals=6), "conversions/conv.yaml": kit.conversion(rules)}
    result = kit.evaluate(files, kit.record(kit.course("A1", 1)))
    assert result.to_dict()["ledger"][0]["points"] == "0.3"


# --- multiply -------------------------------------------------------------------------------------


def test_multiply_applies_to_matching_entries_and_rounds(kit) -> None:
    adjustments = """\
    - id: priority
      when: {industry: digital_economy}
      multiply: 1.25
    """
    files = {
        "conversions/conv.yaml": kit.hours_conversion(),
        "adjustments/adj.yaml": kit.adjustment(adjustments),
    }
    result = kit.evaluate(
        files, kit.record(kit.course("A1", 13, industry="digital_economy"), kit.course("A2", 13))
    )
    assert entries(result) == [("A1", "1.6", "counted"), ("A2", "1.3", "counted")]  # 1.625 -> 1.6 half_up
    assert result.ledger[0].base == Decimal("1.3")
    assert result.to_dict()["ledger"][0]["adjustments"][0]["rule"] == "adj/priority"
    assert effects(result, "A1") == ["x1.25"]
    assert effects(result, "A2") == []


def test_multiply_runs_before_a_cap_whatever_the_file_order(kit) -> None:
    adjustments = """\
    - id: cap
      cap: {max: 10, per: lifetime}
    - id: double
      multiply: 2
    """
    files = {
        "conversions/conv.yaml": kit.hours_conversion(),
        "adjustments/adj.yaml": kit.adjustment(adjustments),
    }
    result = kit.evaluate(files, kit.record(kit.course("A1", 40), kit.course("A2", 40)))
    assert entries(result) == [("A1", "8", "counted"), ("A2", "2", "capped")]


# --- caps -----------------------------------------------------------------------------------------


def capped(kit, cap: str, *courses: tuple[str, str]) -> Result:
    adjustments = f"- id: cap\n  cap: {cap}\n"
    files = {
        "conversions/conv.yaml": kit.hours_conversion(),
        "adjustments/adj.yaml": kit.adjustment(adjustments),
    }
    record = kit.record(*(kit.course(f"A{i}", 40, day) for i, (day, _) in enumerate(courses, start=1)))
    result = kit.evaluate(files, record)
    assert [p for _, p, _ in entries(result)] == [points for _, points in courses]
    return result


def test_a_yearly_cap_with_a_custom_year_start_splits_at_that_day(kit) -> None:
    # The year runs 03-01 .. 02-28/29: 2024-02-28 and 2024-03-01 fall in different years.
    result = capped(
        kit,
        '{max: 5, per: year, year_starts: "03-01"}',
        ("2024-02-28", "4"),
        ("2024-03-01", "4"),
        ("2025-02-28", "1"),
        ("2025-03-01", "4"),
    )
    assert [e.status for e in result.ledger] == ["counted", "counted", "capped", "counted"]
    assert effects(result, "A3") == ["cap 5 per year (2024-03-01..2025-02-28), -3"]


def test_a_yearly_cap_from_january_splits_at_new_year(kit) -> None:
    capped(kit, "{max: 5, per: year}", ("2024-12-31", "4"), ("2025-01-01", "4"), ("2025-06-01", "1"))


def test_a_half_yearly_cap(kit) -> None:
    result = capped(
        kit,
        "{max: 5, per: half}",
        ("2024-06-30", "4"),
        ("2024-07-01", "4"),
        ("2024-12-31", "1"),
        ("2025-01-01", "4"),
    )
    assert "2024-07-01..2024-12-31" in effects(result, "A3")[0]


def test_a_half_yearly_cap_with_a_custom_year_start(kit) -> None:
    capped(
        kit,
        '{max: 5, per: half, year_starts: "04-01"}',
        ("2024-09-30", "4"),
        ("2024-10-01", "4"),
        ("2025-03-31", "1"),
        ("2025-04-01", "4"),
    )


def test_a_lifetime_cap(kit) -> None:
    result = capped(
        kit, "{max: 10, per: lifetime}", ("2010-01-01", "4"), ("2020-01-01", "4"), ("2024-01-01", "2")
    )
    assert result.totals.all == Decimal(10)
    assert effects(result, "A3") == ["cap 10 in all, -2"]


def test_a_cap_fills_in_order_of_completion_not_record_order(kit) -> None:
    capped(kit, "{max: 5, per: lifetime}", ("2024-06-01", "1"), ("2024-01-01", "4"))


def test_a_cap_only_counts_the_entries_it_applies_to(kit) -> None:
    adjustments = """\
    - id: cap
      applies_to: {industry: digital_economy}
      cap: {max: 5, per: year}
    """
    files = {
        "conversions/conv.yaml": kit.hours_conversion(),
        "adjustments/adj.yaml": kit.adjustment(adjustments),
    }
    record = kit.record(
        kit.course("A1", 40, industry="digital_economy"),
        kit.course("A2", 40, industry="general"),
        kit.course("A3", 40, industry="digital_economy"),
    )
    result = kit.evaluate(files, record)
    assert entries(result) == [("A1", "4", "counted"), ("A2", "4", "counted"), ("A3", "1", "capped")]


# --- expiry ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expire", "completed", "status"),
    [
        ("{years: 2}", "2023-12-31", "counted"),  # counts through 2025-12-31 inclusive
        ("{years: 2}", "2023-12-30", "expired"),
        ("{months: 6}", "2025-07-01", "counted"),  # counts through 2026-01-01
        ("{months: 6}", "2025-06-30", "expired"),  # counted through 2025-12-30
        ("{days: 10}", "2025-12-21", "counted"),
        ("{days: 10}", "2025-12-20", "expired"),
    ],
)
def test_expire_after_counts_back_from_as_of(kit, expire: str, completed: str, status: str) -> None:
    adjustments = f"- id: validity\n  expire_after: {expire}\n"
    files = {
        "conversions/conv.yaml": kit.hours_conversion(),
        "adjustments/adj.yaml": kit.adjustment(adjustments),
    }
    result = kit.evaluate(files, kit.record(kit.course("A1", 40, completed)))
    assert result.ledger[0].status == status
    assert result.totals.all == (Decimal(4) if status == "counted" else Decimal(0))
    if status == "expired":
        assert result.ledger[0].points == 0
        assert effects(result, "A1")[0].startswith("expired: counted until ")


def test_expired_entries_do_not_use_up_a_cap(kit) -> None:
    adjustments = """\
    - id: cap
      cap: {max: 5, per: lifetime}
    - id: validity
      expire_after: {years: 1}
    """
    files = {
        "conversions/conv.yaml": kit.hours_conversion(),
        "adjustments/adj.yaml": kit.adjustment(adjustments),
    }
    result = kit.evaluate(
        files, kit.record(kit.course("A1", 40, "2020-01-01"), kit.course("A2", 40, "2025-06-01"))
    )
    assert entries(result) == [("A1", "0", "expired"), ("A2", "4", "counted")]


# --- de-duplication -------------------------------------------------------------------------------

CERTIFICATES = """\
- id: by-level
  when: {type: certificate, level.framework: cn-skill}
  points: {lookup: level.value, table: {5: 20, 4: 40, 3: 80}}
"""


@pytest.mark.parametrize(
    ("keep", "expected"),
    [
        ("highest", [("A1", "80", "counted"), ("A2", "0", "duplicate"), ("A3", "20", "counted")]),
        ("first", [("A1", "0", "duplicate"), ("A2", "40", "counted"), ("A3", "20", "counted")]),
    ],
)
def test_dedupe_keeps_the_highest_or_the_first(kit, keep: str, expected: list[tuple[str, str, str]]) -> None:
    adjustments = f"- id: once\n  dedupe: {{key: [occupation], keep: {keep}}}\n"
    files = {
        "conversions/conv.yaml": kit.conversion(CERTIFICATES),
        "adjustments/adj.yaml": kit.adjustment(adjustments),
    }
    record = kit.record(
        kit.certificate("A1", 3, "2024-01-01", occupation="electrician"),
        kit.certificate("A2", 4, "2020-01-01", occupation="electrician"),
        kit.certificate("A3", 5, "2021-01-01", occupation="cook"),
    )
    result = kit.evaluate(files, record)
    assert entries(result) == expected
    keeper = "A1" if keep == "highest" else "A2"
    loser = "A2" if keep == "highest" else "A1"
    [effect] = effects(result, loser)
    assert f"duplicate of {keeper}" in effect


def test_dedupe_leaves_entries_without_the_key_alone(kit) -> None:
    adjustments = "- id: once\n  dedupe: {key: [occupation]}\n"
    files = {
        "conversions/conv.yaml": kit.conversion(CERTIFICATES),
        "adjustments/adj.yaml": kit.adjustment(adjustments),
    }
    a1 = kit.certificate("A1", 3)
    a2 = kit.certificate("A2", 4)
    del a1["occupation"], a2["occupation"]
    result = kit.evaluate(files, kit.record(a1, a2))
    assert [s for _, _, s in entries(result)] == ["counted", "counted"]


# --- versions and dates ---------------------------------------------------------------------------


def two_versions(kit) -> dict[str, str]:
    old = kit.conversion(
        "- id: r\n  when: {type: course}\n  points: 10\n",
        version="2023.1",
        start="2023-01-01",
        until="2023-12-31",
    )
    new = kit.conversion(
        "- id: r\n  when: {type: course}\n  points: 20\n", version="2024.1", start="2024-01-01"
    )
    return {"conversions/conv.yaml": old, "conversions/conv@2024.yaml": new}


def test_a_conversion_uses_the_version_in_force_on_the_completed_date(kit) -> None:
    record = kit.record(kit.course("A1", 1, "2023-12-31"), kit.course("A2", 1, "2024-01-01"))
    result = kit.evaluate(two_versions(kit), record)
    assert [(e.achievement, e.version, e.points) for e in result.ledger] == [
        ("A1", "2023.1", Decimal(10)),
        ("A2", "2024.1", Decimal(20)),
    ]
    assert result.to_dict()["pack"]["versions"]["conv"] == "2023.1, 2024.1"


def test_convert_at_as_of_uses_the_version_in_force_on_the_evaluation_date(kit) -> None:
    files = {**two_versions(kit), "pack.yaml": pack_yaml(convert_at="as_of")}
    result = kit.evaluate(files, kit.record(kit.course("A1", 1, "2023-06-01")))
    assert [(e.version, e.points) for e in result.ledger] == [("2024.1", Decimal(20))]


def test_an_achievement_before_every_version_is_unmatched_with_a_reason(kit) -> None:
    result = kit.evaluate(two_versions(kit), kit.record(kit.course("A1", 1, "2022-06-01")))
    assert result.unmatched == ("A1",)
    assert any(
        "A1" in render(w) and "2023.1" in render(w) and "2022-06-01" in render(w) for w in result.warnings
    )


def test_achievements_completed_after_as_of_are_not_counted(kit) -> None:
    record = kit.record(kit.course("A1", 40, "2025-12-31"), kit.course("A2", 40, "2026-01-01"))
    result = kit.evaluate({"conversions/conv.yaml": kit.hours_conversion()}, record)
    assert [e.achievement for e in result.ledger] == ["A1"]
    assert result.totals.all == Decimal(4)
    assert "A2" not in result.unmatched
    [warning] = [render(w) for w in result.warnings if render(w).startswith("A2")]
    assert warning.startswith("A2: completed 2026-01-01")
    assert "not counted" in warning


def test_an_adjustment_uses_the_version_in_force_on_as_of(kit) -> None:
    adjustments = kit.adjustment("- id: double\n  multiply: 2\n", start="2025-06-01")
    files = {"conversions/conv.yaml": kit.hours_conversion(), "adjustments/adj.yaml": adjustments}
    record = kit.record(kit.course("A1", 40, "2024-01-01"))
    assert kit.evaluate(files, record, as_of=dt.date(2025, 5, 31)).totals.all == Decimal(4)
    assert kit.evaluate(files, record, as_of=dt.date(2025, 6, 1)).totals.all == Decimal(8)


def test_the_ledger_follows_record_order(kit) -> None:
    record = kit.record(
        kit.course("B", 10, "2025-01-01"),
        kit.course("A", 10, "2020-01-01"),
        kit.course("C", 10, "2022-01-01"),
    )
    result = kit.evaluate({"conversions/conv.yaml": kit.hours_conversion()}, record)
    assert [e.achievement for e in result.ledger] == ["B", "A", "C"]


# --- determinism ----------------------------------------------------------------------------------


def test_results_are_byte_identical_across_evaluations_and_loads(tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(RULES, copy)
    as_of = dt.date(2025, 12, 31)
    for example in sorted(EXAMPLES.glob("*.yaml")):
        first_engine = Engine.load(RULES)
        outputs = {
            first_engine.evaluate(load_record(example), as_of=as_of).to_json(),
            first_engine.evaluate(load_record(example), as_of=as_of).to_json(),
            Engine.load(RULES).evaluate(load_record(example), as_of=as_of).to_json(),
            Engine.load(copy).evaluate(load_record(example), as_of=as_of).to_json(),
        }
        assert len(outputs) == 1, example.name
        zh = {
            first_engine.evaluate(load_record(example), as_of=as_of).to_json(lang="zh"),
            Engine.load(copy).evaluate(load_record(example), as_of=as_of).to_json(lang="zh"),
        }
        assert len(zh) == 1, example.name


def test_evaluate_many_gives_the_same_results_as_evaluate(engine: Engine) -> None:
    records = [load_record(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    as_of = dt.date(2025, 12, 31)
    one_by_one = [engine.evaluate(r, as_of=as_of).to_json() for r in records]
    assert [r.to_json() for r in engine.evaluate_many(records, as_of=as_of)] == one_by_one


def test_evaluate_many_in_several_processes_gives_the_same_bytes(engine: Engine) -> None:
    records = [load_record(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    as_of = dt.date(2025, 12, 31)
    one_by_one = [engine.evaluate(r, as_of=as_of).to_json() for r in records]
    assert [r.to_json() for r in engine.evaluate_many(records, as_of=as_of, processes=2)] == one_by_one


def test_as_of_must_be_a_date(engine: Engine) -> None:
    record = load_record(EXAMPLES / "electrician-level3.yaml")
    with pytest.raises(TypeError):
        engine.evaluate(record, as_of=dt.datetime(2025, 12, 31, 12, 0))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        engine.evaluate(record, as_of="2025-12-31")  # type: ignore[arg-type]
