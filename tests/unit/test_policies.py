"""Policies, through Engine.evaluate on small packs: requirements, versions, statuses, why and why not."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from views import sentences

from creditengine import RecordError, Result, load_record, load_records
from creditengine._explain import render

PACK = """\
name: policy-test
title: {en: Policy test}
scale: {unit: point, decimals: 1, rounding: half_up}
categories: [advanced_manufacturing, digital_economy, general]
default_category: general
frameworks:
  cn-skill: {levels: [5, 4, 3, 2, 1]}
  mo-dsal: {levels: [junior, intermediate, senior]}
attributes:
  insurance_months: {type: integer, min: 0}
  programme.track: {type: enum, values: [associate, bachelor]}
  joined: {type: date}
"""

CONVERT = """\
- id: courses
  when: {type: course}
  points: {formula: "hours / 10"}
  category: "{industry}"
- id: others
  when: {type: {in: [certificate, award]}}
  points: 0
"""


def files(kit, **policies: str) -> dict[str, str]:
    out = {"pack.yaml": PACK, "conversions/conv.yaml": kit.conversion(CONVERT)}
    for ident, text in policies.items():
        out[f"policies/{ident.replace('_', '-')}.yaml"] = text
    return out


def outcome(result: Result, policy: str = "pol") -> dict[str, Any]:
    [found] = [o for o in result.to_dict()["outcomes"] if o["policy"] == policy]
    return found


def decide(
    kit, requires: str, record: dict[str, Any], as_of: dt.date = dt.date(2025, 12, 31)
) -> dict[str, Any]:
    result = kit.evaluate(files(kit, pol=kit.policy(requires)), record, as_of)
    return outcome(result)


# --- totals ---------------------------------------------------------------------------------------


def test_a_total_requirement_is_met_with_the_total_shown(kit) -> None:
    found = decide(kit, "total: {gte: 10}", kit.record(kit.course("A1", 120)))
    assert found["status"] == "met"
    assert found["because"] == ["total >= 10 (has 12)"]
    assert found["missing"] == []


def test_an_unmet_total_says_what_is_had_and_needed(kit) -> None:
    found = decide(kit, "total: {gte: 100}", kit.record(kit.course("A1", 725)))
    assert found["status"] == "unmet"
    assert sentences(found["missing"]) == [{"requirement": "total >= 100", "have": "72.5", "need": "27.5"}]


def test_a_category_total_counts_only_that_category(kit) -> None:
    record = kit.record(
        kit.course("A1", 500, industry="digital_economy"),
        kit.course("A2", 300, industry="advanced_manufacturing"),
    )
    met = decide(kit, "total: {category: advanced_manufacturing, gte: 30}", record)
    assert met["status"] == "met"
    unmet = decide(kit, "total: {category: advanced_manufacturing, gte: 40}", record)
    assert sentences(unmet["missing"]) == [
        {"requirement": "total advanced_manufacturing >= 40", "have": "30", "need": "10"}
    ]


def test_a_category_with_no_points_has_zero(kit) -> None:
    found = decide(
        kit,
        "total: {category: digital_economy, gte: 1}",
        kit.record(kit.course("A1", 100, industry="general")),
    )
    assert sentences(found["missing"]) == [
        {"requirement": "total digital_economy >= 1", "have": "0", "need": "1"}
    ]


# --- achievements ---------------------------------------------------------------------------------


def test_an_achievement_requirement_names_the_achievements_that_meet_it(kit) -> None:
    record = kit.record(kit.course("A1", 10, title="Welding"), kit.course("A2", 100, title="Robots"))
    found = decide(kit, "achievement: {type: course, hours: {gte: 50}}", record)
    assert found["status"] == "met"
    assert found["because"] == ["A2 (Robots): type = course, hours >= 50"]


def test_an_unmet_achievement_gives_the_pattern_and_the_closest_candidate(kit) -> None:
    record = kit.record(
        {"id": "A1", "type": "award", "completed": "2024-01-01"},
        kit.course("A2", 30, title="Welding"),
    )
    found = decide(kit, "achievement: {type: course, hours: {gte: 50}}", record)
    assert found["status"] == "unmet"
    [missing] = found["missing"]
    assert "type = course" in missing["requirement"]
    assert "hours >= 50" in missing["requirement"]
    closest = missing["closest"]
    assert closest.startswith("A2 (Welding)")  # the course, not the award
    assert "hours >= 50" in closest and "30" in closest
    assert "type = course" not in closest  # only the part it fails
    assert "have" not in missing


def test_no_closest_candidate_when_nothing_comes_near(kit) -> None:
    found = decide(
        kit,
        "achievement: {type: course, hours: {gte: 50}}",
        kit.record({"id": "A1", "type": "award", "completed": "2024-01-01"}),
    )
    [missing] = found["missing"]
    assert "closest" not in missing


def test_at_least_counts_matching_achievements(kit) -> None:
    record = kit.record(kit.course("A1", 10), kit.course("A2", 10))
    met = decide(kit, "achievement: {type: course}\nat_least: 2", record)
    assert met["status"] == "met"
    assert len(met["because"]) == 2
    unmet = decide(kit, "achievement: {type: course}\nat_least: 5", record)
    assert sentences(unmet["missing"]) == [
        {"requirement": "at least 5 achievements with type = course", "have": "2", "need": "3"}
    ]


@pytest.mark.parametrize(
    ("level", "met"),
    [(5, False), (4, False), (3, True), (2, True), (1, True)],
)
def test_level_comparisons_follow_the_framework_order(kit, level: int, met: bool) -> None:
    # cn-skill is listed lowest to highest as 5, 4, 3, 2, 1: "level 3 or higher" is 3, 2 or 1.
    found = decide(
        kit,
        "achievement: {type: certificate, level.framework: cn-skill, level.value: {gte: 3}}",
        kit.record(kit.certificate("A1", level)),
    )
    assert found["status"] == ("met" if met else "unmet")


@pytest.mark.parametrize(("level", "met"), [("junior", False), ("intermediate", True), ("senior", True)])
def test_named_levels_compare_by_their_order(kit, level: str, met: bool) -> None:
    record = kit.record(
        {
            "id": "A1",
            "type": "certificate",
            "level": {"framework": "mo-dsal", "value": level},
            "completed": "2024-01-01",
        }
    )
    found = decide(kit, "achievement: {level.framework: mo-dsal, level.value: {gt: junior}}", record)
    assert found["status"] == ("met" if met else "unmet")


def test_a_level_in_another_framework_does_not_compare(kit) -> None:
    record = kit.record(
        {
            "id": "A1",
            "type": "certificate",
            "level": {"framework": "mo-dsal", "value": "senior"},
            "completed": "2024-01-01",
        }
    )
    found = decide(kit, "achievement: {level.framework: cn-skill, level.value: {gte: 5}}", record)
    assert found["status"] == "unmet"


def test_expired_and_future_achievements_do_not_meet_a_requirement(kit) -> None:
    policy = kit.policy("achievement: {type: course}")
    adjustments = kit.adjustment("- id: validity\n  expire_after: {years: 1}\n")
    pack = {**files(kit, pol=policy), "adjustments/adj.yaml": adjustments}
    record = kit.record(kit.course("A1", 10, "2020-01-01"), kit.course("A2", 10, "2026-01-01"))
    assert outcome(kit.evaluate(pack, record))["status"] == "unmet"
    record = kit.record(kit.course("A1", 10, "2025-06-01"))
    assert outcome(kit.evaluate(pack, record))["status"] == "met"


def test_an_unconverted_achievement_can_still_meet_a_requirement(kit) -> None:
    found = decide(
        kit,
        "achievement: {type: qualification}",
        kit.record({"id": "A1", "type": "qualification", "completed": "2024-01-01"}),
    )
    assert found["status"] == "met"


# --- all / any / not ------------------------------------------------------------------------------


def test_all_needs_every_part_and_lists_every_gap(kit) -> None:
    requires = """\
    all:
      - total: {gte: 10}
      - achievement: {type: certificate}
      - total: {category: digital_economy, gte: 50}
    """
    found = decide(kit, requires, kit.record(kit.course("A1", 200, industry="digital_economy")))
    assert found["status"] == "unmet"
    assert [m["requirement"] for m in found["missing"]] == [
        "an achievement with type = certificate",
        "total digital_economy >= 50",
    ]
    found = decide(
        kit, requires, kit.record(kit.course("A1", 600, industry="digital_economy"), kit.certificate("A2", 5))
    )
    assert found["status"] == "met"
    assert len(found["because"]) == 3


def test_any_needs_one_part_and_offers_every_option(kit) -> None:
    requires = """\
    any:
      - achievement: {type: certificate}
      - total: {gte: 50}
    """
    met = decide(kit, requires, kit.record(kit.course("A1", 600)))
    assert met["status"] == "met"
    assert met["because"] == ["total >= 50 (has 60)"]
    unmet = decide(kit, requires, kit.record(kit.course("A1", 100)))
    assert sentences(unmet["missing"]) == [
        {
            "requirement": "any one of these",
            "options": [
                [{"requirement": "an achievement with type = certificate"}],
                [{"requirement": "total >= 50", "have": "10", "need": "40"}],
            ],
        }
    ]


def test_not_holds_when_its_part_does_not(kit) -> None:
    requires = "not: {achievement: {type: award}}"
    met = decide(kit, requires, kit.record(kit.course("A1", 10)))
    assert met["status"] == "met"
    unmet = decide(kit, requires, kit.record({"id": "A9", "type": "award", "completed": "2024-01-01"}))
    assert unmet["status"] == "unmet"
    [missing] = unmet["missing"]
    assert missing["requirement"] == "not (an achievement with type = award)"
    assert "A9" in missing["closest"]


# --- worker attributes ----------------------------------------------------------------------------


@pytest.mark.parametrize(("months", "status"), [(11, "unmet"), (12, "met"), (40, "met")])
def test_a_worker_attribute_requirement(kit, months: int, status: str) -> None:
    found = decide(
        kit, "worker: {insurance_months: {gte: 12}}", kit.record(attributes={"insurance_months": months})
    )
    assert found["status"] == status
    if status == "unmet":
        assert sentences(found["missing"]) == [{"requirement": "worker insurance_months >= 12"}]


@pytest.mark.parametrize(("track", "status"), [("associate", "met"), ("bachelor", "unmet")])
def test_a_dotted_enum_attribute_reads_a_nested_mapping(kit, track: str, status: str) -> None:
    record = kit.record(attributes={"programme": {"track": track}})
    assert decide(kit, "worker: {programme.track: associate}", record)["status"] == status


def test_a_date_attribute_compares_as_a_date(kit) -> None:
    record = kit.record(attributes={"joined": "2020-05-01"})
    assert decide(kit, "worker: {joined: {lt: 2021-01-01}}", record)["status"] == "met"
    assert decide(kit, "worker: {joined: {gte: 2021-01-01}}", record)["status"] == "unmet"


def test_a_missing_attribute_does_not_meet_a_requirement(kit) -> None:
    assert decide(kit, "worker: {insurance_months: {gte: 0}}", kit.record())["status"] == "unmet"


def test_an_undeclared_attribute_is_a_warning(kit) -> None:
    result = kit.evaluate(
        files(kit, pol=kit.policy("total: {gte: 0}")), kit.record(attributes={"shoe_size": 42})
    )
    [warning] = [render(w) for w in result.warnings]
    assert "shoe_size" in warning and "not declared" in warning


def test_an_attribute_of_the_wrong_type_is_a_located_record_error(kit, tmp_path: Path) -> None:
    path = tmp_path / "worker.yaml"
    path.write_text("worker:\n  id: W-1\n  attributes:\n    insurance_months: -3\n", encoding="utf-8")
    engine = kit.engine(files(kit, pol=kit.policy("total: {gte: 0}")))
    with pytest.raises(RecordError) as info:
        engine.evaluate(load_record(path), as_of=dt.date(2025, 12, 31))
    assert str(info.value).startswith(f"{path}:4:23: ")
    assert "insurance_months" in str(info.value)
    assert "minimum 0" in str(info.value)


def test_an_attribute_of_the_wrong_type_in_a_json_list_is_located_in_the_file(kit, tmp_path: Path) -> None:
    # A .json record is validated without positions; the attribute's position is found when needed.
    path = tmp_path / "workers.json"
    text = (
        '[{"worker": {"id": "W-1"}},\n {"worker": {"id": "W-2", "attributes": {"insurance_months": -3}}}]\n'
    )
    path.write_text(text, encoding="utf-8")
    engine = kit.engine(files(kit, pol=kit.policy("total: {gte: 0}")))
    first, second = load_records(path)
    engine.evaluate(first, as_of=dt.date(2025, 12, 31))
    with pytest.raises(RecordError) as info:
        engine.evaluate(second, as_of=dt.date(2025, 12, 31))
    assert str(info.value).startswith(f"{path}:2:62: ")
    assert "minimum 0" in str(info.value)


@pytest.mark.parametrize(
    ("attributes", "fragment"),
    [
        ({"insurance_months": "many"}, "expected a number"),
        ({"insurance_months": Decimal("1.5")}, "whole number"),
        ({"programme": {"track": "phd"}}, "not one of associate, bachelor"),
        ({"joined": "2020-02-30"}, "not a date"),
    ],
)
def test_attribute_types_are_checked(kit, attributes: dict[str, Any], fragment: str) -> None:
    engine = kit.engine(files(kit, pol=kit.policy("total: {gte: 0}")))
    with pytest.raises(RecordError, match=fragment):
        engine.evaluate(load_record(kit.record(attributes=attributes)), as_of=dt.date(2025, 12, 31))


# --- statuses and order ---------------------------------------------------------------------------


def test_a_status_requirement_sees_policies_decided_before_it(kit) -> None:
    # "a-top" sorts before "z-base" but needs its status, so z-base must be decided first.
    top = kit.policy("all:\n  - status: base\n  - total: {gte: 10}\n", ident="a-top", grants="top")
    base = kit.policy("total: {gte: 5}", ident="z-base", grants="base")
    pack = files(kit, a_top=top, z_base=base)
    result = kit.evaluate(pack, kit.record(kit.course("A1", 200)))
    assert [o.policy for o in result.outcomes] == ["z-base", "a-top"]
    assert result.outcome("a-top").met
    assert "status base (granted by z-base)" in outcome(result, "a-top")["because"]
    result = kit.evaluate(pack, kit.record(kit.course("A1", 20)))
    assert not result.outcome("z-base").met
    assert sentences(outcome(result, "a-top")["missing"]) == [
        {"requirement": "status base"},
        {"requirement": "total >= 10", "have": "2", "need": "8"},
    ]


def test_a_chain_of_statuses_is_decided_in_dependency_order(kit) -> None:
    pack = files(
        kit,
        a=kit.policy("status: middle", ident="a", grants="top"),
        b=kit.policy("total: {gte: 1}", ident="b", grants="bottom"),
        c=kit.policy("status: bottom", ident="c", grants="middle"),
    )
    result = kit.evaluate(pack, kit.record(kit.course("A1", 10)))
    assert [o.policy for o in result.outcomes] == ["b", "c", "a"]
    assert result.statuses == ("bottom", "middle", "top")


def test_not_status_sees_the_status(kit) -> None:
    pack = files(
        kit,
        a_plain=kit.policy("not: {status: expert}", ident="a-plain", grants="plain"),
        b_expert=kit.policy("total: {gte: 10}", ident="b-expert", grants="expert"),
    )
    assert not kit.evaluate(pack, kit.record(kit.course("A1", 100))).outcome("a-plain").met
    assert kit.evaluate(pack, kit.record(kit.course("A1", 50))).outcome("a-plain").met


def test_outcome_is_found_by_policy_or_status(kit) -> None:
    result = kit.evaluate(files(kit, pol=kit.policy("total: {gte: 0}", grants="anyone")), kit.record())
    assert result.outcome("pol") is result.outcome("anyone")
    with pytest.raises(KeyError, match="pol"):
        result.outcome("nobody")


# --- versions -------------------------------------------------------------------------------------


def test_a_policy_uses_the_version_in_force_on_as_of(kit) -> None:
    old = kit.policy("total: {gte: 10}", version="2024", start="2024-01-01", until="2024-12-31")
    new = kit.policy("total: {gte: 100}", version="2025", start="2025-01-01")
    pack = {**files(kit, pol=old), "policies/pol@2025.yaml": new}
    record = kit.record(kit.course("A1", 500, "2023-01-01"))
    in_2024 = outcome(kit.evaluate(pack, record, dt.date(2024, 12, 31)))
    assert (in_2024["version"], in_2024["status"]) == ("2024", "met")
    in_2025 = outcome(kit.evaluate(pack, record, dt.date(2025, 1, 1)))
    assert (in_2025["version"], in_2025["status"]) == ("2025", "unmet")
    assert sentences(in_2025["missing"]) == [{"requirement": "total >= 100", "have": "50", "need": "50"}]


def test_a_policy_not_yet_in_force_is_not_decided(kit) -> None:
    pack = files(kit, pol=kit.policy("total: {gte: 0}", start="2026-01-01"))
    result = kit.evaluate(pack, kit.record())
    assert result.outcomes == ()
    assert "pol" not in result.to_dict()["pack"]["versions"]


# --- the default pack -----------------------------------------------------------------------------


def test_the_default_pack_reads_nested_worker_attributes(engine) -> None:
    record = load_record(
        {
            "worker": {
                "id": "W-1",
                "attributes": {"insurance_months": 3, "programme": {"track": "associate", "major": "x"}},
            }
        }
    )
    result = engine.evaluate(record, as_of=dt.date(2025, 12, 31))
    assert result.warnings == ()
    assert [o.status for o in result.outcomes] == ["unmet", "unmet"]
