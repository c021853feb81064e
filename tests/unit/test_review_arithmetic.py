"""Regression tests for review issue 6 (arithmetic and pricing): each is named for the behaviour
it pins, and each failed before its fix. Packs are one-off, built in ``tmp_path``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from conftest import Kit
from hypothesis import given, settings
from hypothesis import strategies as st

from creditengine._ir import Rounding, Scale
from creditengine._ledger import round_exact, round_points

PACK_YAML = """\
name: review
title: {en: Review pack}
scale: {unit: point, decimals: DECIMALS, rounding: half_up}
categories: [advanced_manufacturing, general]
default_category: general
frameworks:
  cn-skill: {levels: [5, 4, 3, 2, 1]}
attributes:
  insurance_months: {type: integer, min: 0}
"""


def pack_yaml(decimals: int = 1) -> str:
    return PACK_YAML.replace("DECIMALS", str(decimals))


def transfer_file(rate: str = "", *, decimals: int = 0, exemptions: str = "", credits: str = "120") -> str:
    return Kit.head("transfer", "programme-transfer") + (
        f"programme: {{id: PROG, title: {{en: Programme}}, credits: {credits}}}\n"
        + (f"rate: {rate}\n" if rate else "")
        + f"decimals: {decimals}\n"
        + exemptions
    )


def only_transfer(result: Any) -> dict[str, Any]:
    [found] = result.to_dict()["transfers"]
    return dict(found)


# --- 1. transfer rate: multiply before dividing -------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "hours", "decimals", "want"),
    [
        ("{points: 30, credits: 3}", 100, 0, "1"),  # 10 / 30 × 3 = 1
        ("{points: 12, credits: 3}", 40, 0, "1"),  # 4 / 12 × 3 = 1
        ("{points: 3, credits: 0.3}", 10, 1, "0.1"),  # 1 / 3 × 0.3 = 0.1
        ("{points: 3, credits: 1}", 20, 1, "0.6"),  # 2 / 3 = 0.666…, still rounded down
    ],
)
def test_transfer_rate_multiplies_before_dividing(
    kit: Kit, rate: str, hours: int, decimals: int, want: str
) -> None:
    files = {
        "pack.yaml": pack_yaml(),
        "conversions/conv.yaml": kit.hours_conversion(),
        "policies/programme-transfer.yaml": transfer_file(rate, decimals=decimals),
    }
    result = kit.evaluate(files, kit.record(kit.course("C1", hours)))
    transfer = only_transfer(result)
    assert (transfer["from_points"], transfer["credits"]) == (want, want), transfer


@settings(max_examples=300, deadline=None)
@given(
    st.decimals(min_value=-(10**12), max_value=10**12, places=6),
    st.integers(min_value=0, max_value=6),
    st.sampled_from(["half_up", "half_even", "down", "up"]),
)
def test_exact_rounding_agrees_with_decimal_quantize(value: Decimal, places: int, rounding: Rounding) -> None:
    # Where decimal arithmetic is exact, the exact helper must round exactly as quantize does.
    scale = Scale("point", places, rounding)
    assert round_exact(value, places=places, rounding=rounding) == round_points(value, scale)
    assert round_exact(value, times=Decimal(3), per=Decimal(3), places=places, rounding=rounding) == (
        round_points(value, scale)
    )
