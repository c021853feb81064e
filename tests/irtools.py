"""Rule packs built directly as IR, for tests that generate rules (no YAML in between)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from hypothesis import strategies as st

from creditengine._expr import AllOf, AnyOf, Condition, FieldSpec, Not
from creditengine._ir import (
    Conversion,
    ConversionRule,
    FixedPoints,
    Meta,
    Pack,
    Points,
    Scale,
    Versions,
    Window,
)
from creditengine._source import SourceLocation

#: cn-skill levels, lowest first.
CN_SKILL = ("5", "4", "3", "2", "1")
WHERE = SourceLocation("generated.yaml", 1, 1)


def conversion_pack(
    rules: Sequence[tuple[Condition | None, Points]],
    *,
    hit: str = "first",
    frameworks: tuple[tuple[str, tuple[str, ...]], ...] = (("cn-skill", CN_SKILL),),
    attributes: tuple[tuple[str, FieldSpec], ...] = (),
) -> Pack:
    """A pack holding one conversion of ``rules`` (``when``, points), category ``general``."""
    meta = Meta("generated", "conversion", "1", Window(dt.date(2000, 1, 1)), (), None, None, WHERE, WHERE)
    conversion = Conversion(
        meta,
        hit,  # type: ignore[arg-type]
        tuple(
            ConversionRule(f"r{i}", when, points, "general", WHERE) for i, (when, points) in enumerate(rules)
        ),
    )
    return Pack(
        name="generated",
        title=(),
        scale=Scale("point", 1, "half_up"),
        convert_at="completed",
        categories=("general",),
        default_category="general",
        frameworks=frameworks,
        level_maps=(),
        attributes=attributes,
        conversions=(Versions("generated", (conversion,)),),
        adjustments=(),
        policies=(),
        equivalences=(),
        entitlements=(),
        transfers=(),
        fingerprint="sha256:generated",
        root=".",
    )


def matching_pack(whens: Sequence[Condition | None], **more: object) -> Pack:
    """A pack of one conversion whose rules all match where their ``when`` holds (hit ``sum``)."""
    return conversion_pack([(when, FixedPoints(Decimal(1))) for when in whens], hit="sum", **more)  # type: ignore[arg-type]


def nested(leaves: st.SearchStrategy[Condition]) -> st.SearchStrategy[Condition]:
    """Conditions built from ``leaves`` with all/any/not, up to eight leaves deep (hypothesis)."""
    here: tuple[str | int, ...] = ()
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.builds(lambda items: AllOf(tuple(items), here), st.lists(inner, min_size=1, max_size=3)),
            st.builds(lambda items: AnyOf(tuple(items), here), st.lists(inner, min_size=1, max_size=3)),
            st.builds(lambda item: Not(item, here), inner),
        ),
        max_leaves=8,
    )
