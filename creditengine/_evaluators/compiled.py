"""The compiled backend: kernels from Python source generated from the pack's IR.

``codegen.generate`` writes one module per pack (conditions inlined on fact
values, rules indexed by achievement type and other equality keys), compiles it
once, and this module hands its functions to the pipeline. Nothing is compiled
lazily and nothing is cached per record: one instance is shared by threads.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .._expr import Condition
from .._ir import Conversion, Pack, Points
from .base import Decide, Derive, Eligible, Entitled, Facts
from .codegen import Generated, generate

__all__ = ["CompiledKernels"]


class CompiledKernels:
    """The pipeline's kernels, generated as Python source from the pack's IR.

    :param pack: the compiled rule pack.
    """

    name = "compiled"
    derive: Derive | None = None  # the pipeline's breadth-first derivation
    decide: Decide | None = None  # the pipeline's dependency-ordered decisions
    eligible: Eligible | None = None  # the pipeline's judge alone decides eligibility
    entitled: Entitled | None = None  # the pipeline matches entitlement conditions with match

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.generated: Generated = generate(pack)
        # Flat tables by node identity (the generated object keeps the nodes alive).
        self._predicates, self._points, self._candidates = self.generated.by_identity()

    @property
    def source(self) -> str:
        """The generated Python module (what runs when records are evaluated)."""
        return self.generated.source

    def match(self, cond: Condition | None, facts: Facts) -> bool:
        """Whether ``cond`` holds for ``facts``."""
        return cond is None or self._predicates[id(cond)](facts)

    def candidates(self, conversion: Conversion, facts: Facts) -> Sequence[int]:
        """Indexes of the conversion's rules whose ``when`` holds, in order."""
        return self._candidates[id(conversion)](facts)

    def points(self, points: Points, facts: Facts) -> Decimal | None:
        """The value of a points or amount expression."""
        return self._points[id(points)](facts)
