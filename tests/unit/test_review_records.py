"""Regressions from the review of records that evaluate to silently wrong outcomes (issue 6, items
9-11): a level outside its framework, an unknown framework, a missing worker attribute that
switches a rule off, and an expiry before completion each get a warning saying so."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from creditengine import Engine, Result, load_record

AS_OF = dt.date(2025, 12, 31)


def certificate(level: Any, framework: str = "cn-skill", **more: Any) -> dict[str, Any]:
    return {
        "worker": {"id": "W-1"},
        "achievements": [
            {
                "id": "A2",
                "type": "certificate",
                "title": "Electrician",
                "occupation": "6-31-01-03",
                "level": {"framework": framework, "value": level},
                "industry": "advanced_manufacturing",
                "completed": "2024-03-01",
                **more,
            }
        ],
    }


def evaluate(engine: Engine, record: dict[str, Any]) -> Result:
    return engine.evaluate(load_record(record), as_of=AS_OF)


def english(result: Result) -> list[str]:
    return [w.en for w in result.warnings]


# --- item 9: levels and frameworks the pack does not declare ----------------------------------


@pytest.mark.parametrize("level", [6, "3.5"])
def test_level_outside_framework_is_warned(engine: Engine, level: Any) -> None:
    result = evaluate(engine, certificate(level))
    assert english(result) == [
        f"A2: level {level} is not a level of framework cn-skill (levels 5, 4, 3, 2, 1)"
    ]
    assert result.warnings[0].zh == f"A2：等级 {level} 不是等级框架 cn-skill 的等级（等级为 5, 4, 3, 2, 1）"
    assert result.unmatched == ("A2",)
    assert result.outcome("skilled-worker").status == "unmet"


def test_level_outside_framework_does_not_blame_the_rule_table(engine: Engine) -> None:
    result = evaluate(engine, certificate(6))
    assert not [w for w in english(result) if "has no value" in w]


def test_level_outside_framework_does_not_blame_a_level_map(engine: Engine) -> None:
    # The default pack maps hkqf 3/4/5 to cn-skill; hkqf has no level 8 at all.
    record = certificate(8, framework="hkqf")
    record["achievements"][0]["type"] = "qualification"
    result = evaluate(engine, record)
    assert english(result) == ["A2: level 8 is not a level of framework hkqf (levels 1, 2, 3, 4, 5, 6, 7)"]


def test_a_level_inside_its_framework_is_not_warned(engine: Engine) -> None:
    result = evaluate(engine, certificate(3))
    assert result.warnings == ()
    assert result.outcome("highly-skilled-worker").met


def test_unknown_framework_is_warned(engine: Engine) -> None:
    result = evaluate(engine, certificate(3, framework="kr-nq"))
    assert english(result) == [
        "A2: framework kr-nq is not declared in the pack (known: cn-skill, hkqf, mo-dsal)"
    ]
    assert result.warnings[0].zh == "A2：等级框架 kr-nq 未在规则包中声明（已声明：cn-skill, hkqf, mo-dsal）"
    assert result.unmatched == ("A2",)


# --- item 11: an expiry before completion -----------------------------------------------------


def test_expiry_before_completion_is_warned(engine: Engine) -> None:
    result = evaluate(engine, certificate(3, expires="2020-01-01"))
    assert english(result) == [
        "A2: expires 2020-01-01, before it was completed (2024-03-01); check the record"
    ]
    assert result.warnings[0].zh == "A2：到期日 2020-01-01 早于完成日期 2024-03-01，请核对记录"


@pytest.mark.parametrize("expires", ["2024-03-01", "2030-01-01"])
def test_expiry_on_or_after_completion_is_not_warned(engine: Engine, expires: str) -> None:
    assert evaluate(engine, certificate(3, expires=expires)).warnings == ()
