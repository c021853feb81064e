"""Documented limits that protect the engine from hostile or broken input (SPEC §8)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

__all__ = ["DEFAULT_LIMITS", "Limits", "number_problem"]


@dataclass(frozen=True, slots=True)
class Limits:
    """Input limits; every one can be raised or lowered by the caller.

    :param rule_file_bytes: largest rule file read.
    :param record_file_bytes: largest worker record file read.
    :param depth: deepest nesting of mappings and lists.
    :param string_chars: longest text value.
    :param achievements: most achievements in one worker record.
    :param alias_nodes: most nodes that YAML aliases may expand to in one document.
    :param number_magnitude: largest absolute value of a number.
    :param number_places: most decimal places of a number.

    .. versionadded:: 0.1
    """

    rule_file_bytes: int = 1 << 20
    record_file_bytes: int = 64 << 20
    depth: int = 64
    string_chars: int = 4096
    achievements: int = 10_000
    alias_nodes: int = 10_000
    number_magnitude: int = 10**12
    number_places: int = 6


DEFAULT_LIMITS = Limits()


def number_problem(value: Decimal, limits: Limits = DEFAULT_LIMITS) -> str | None:
    """Why a number is refused, or None when it is acceptable."""
    if not value.is_finite():
        return "NaN and infinity are not numbers here"
    if abs(value) > limits.number_magnitude:
        return f"{value} is outside ±{limits.number_magnitude:,}"
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -limits.number_places:
        return f"{value} has more than {limits.number_places} decimal places"
    return None
