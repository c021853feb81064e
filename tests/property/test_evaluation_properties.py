"""Properties of every evaluation: totals add up, output is deterministic, nothing crashes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditengine import Engine, load_record
from creditengine._explain import render
from creditengine._schemas import ResultDocument

INDUSTRIES = ["advanced_manufacturing", "digital_economy", "modern_services", "general", "mathematics"]
DATES = st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2027, 12, 31))
AS_OF = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2027, 12, 31))
HOURS = st.integers(min_value=0, max_value=2000)


@st.composite
def achievement(draw: st.DrawFn, index: int) -> dict[str, Any]:
    kind = draw(st.sampled_from(["course", "certificate", "formal_credit", "qualification", "award"]))
    item: dict[str, Any] = {"id": f"A{index}", "type": kind, "completed": draw(DATES).isoformat()}
    if draw(st.booleans()):
        item["industry"] = draw(st.sampled_from(INDUSTRIES))
    if kind == "course":
        item["hours"] = draw(HOURS)
        item["provider"] = {"id": "P1", "accredited": draw(st.booleans())}
        item["assessment"] = {"passed": draw(st.booleans())}
    elif kind == "certificate":
        item["occupation"] = draw(st.sampled_from(["6-31-01-03", "4-03-02-01", "2-02-10-04"]))
        item["level"] = {"framework": "cn-skill", "value": draw(st.integers(min_value=1, max_value=5))}
    elif kind == "formal_credit":
        item["credits"] = {"value": draw(st.integers(min_value=0, max_value=30)), "system": "cn-higher-ed"}
        item["provider"] = {"id": "SZPT", "accredited": True}
        item["field"] = draw(st.sampled_from(INDUSTRIES))
    elif kind == "qualification":
        item["level"] = {"framework": "hkqf", "value": draw(st.integers(min_value=1, max_value=7))}
        item["credits"] = {"value": draw(st.integers(min_value=0, max_value=480)), "system": "hkqf"}
        item["provider"] = {"id": "VTC", "jurisdiction": "hong_kong"}
    return item


@st.composite
def record(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(min_value=0, max_value=8))
    return {
        "worker": {"id": "W-prop", "attributes": {"insurance_months": draw(st.integers(0, 120))}},
        "achievements": [draw(achievement(i)) for i in range(count)],
    }


ENGINE = Engine.load()
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(record(), AS_OF)
def test_totals_are_the_sum_of_counted_ledger_points(data: dict[str, Any], as_of: dt.date) -> None:
    result = ENGINE.evaluate(load_record(data), as_of=as_of)
    counted = [e for e in result.ledger if e.status in ("counted", "capped")]
    assert result.totals.all == sum((e.points for e in counted), Decimal(0))
    for name, value in result.totals.by_category:
        assert value == sum((e.points for e in counted if e.category == name), Decimal(0))
    for entry in result.ledger:
        if entry.status in ("expired", "duplicate", "excluded"):
            assert entry.points == 0 and entry.adjustments, entry
        assert entry.points >= 0
        assert entry.points == entry.points.quantize(Decimal("0.1"))


@SETTINGS
@given(record(), AS_OF)
def test_every_achievement_is_in_the_ledger_or_unmatched_or_warned(
    data: dict[str, Any], as_of: dt.date
) -> None:
    result = ENGINE.evaluate(load_record(data), as_of=as_of)
    in_ledger = {e.achievement for e in result.ledger}
    for item in data["achievements"]:
        later = dt.date.fromisoformat(item["completed"]) > as_of
        if later:
            assert item["id"] not in in_ledger
            assert any(render(w).startswith(f"{item['id']}: completed") for w in result.warnings)
        else:
            # Converted itself, or through an achievement derived from it (equivalence), or unmatched.
            converted = any(a == item["id"] or a.startswith(f"{item['id']}~") for a in in_ledger)
            assert converted != (item["id"] in result.unmatched)


@SETTINGS
@given(record(), AS_OF)
def test_output_is_deterministic_and_fits_the_result_schema(data: dict[str, Any], as_of: dt.date) -> None:
    first = ENGINE.evaluate(load_record(data), as_of=as_of)
    second = ENGINE.evaluate(load_record(data), as_of=as_of)
    assert first.to_json() == second.to_json()
    assert first.to_json(lang="zh") == second.to_json(lang="zh")
    ResultDocument.model_validate(first.to_dict())


@SETTINGS
@given(record(), AS_OF)
def test_a_met_policy_has_reasons_and_an_unmet_one_says_what_is_missing(
    data: dict[str, Any], as_of: dt.date
) -> None:
    result = ENGINE.evaluate(load_record(data), as_of=as_of)
    for outcome in result.outcomes:
        if outcome.met:
            assert outcome.because and not outcome.missing
        else:
            assert outcome.missing and not outcome.because
