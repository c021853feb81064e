"""Loading a pack is a pure function of its files."""

from __future__ import annotations

from pathlib import Path

from creditengine._pack import load_pack

RULES = Path(__file__).resolve().parents[2] / "rules"


def test_loading_twice_gives_equal_ir_and_fingerprint() -> None:
    first, second = load_pack(RULES), load_pack(RULES)
    assert first.fingerprint == second.fingerprint
    assert first.conversions == second.conversions
    assert first.adjustments == second.adjustments
    assert first.policies == second.policies
