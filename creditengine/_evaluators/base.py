"""The interface between the pipeline and an evaluator backend (one backend per module).

The pipeline (``_pipeline.py``) owns the order of stages and all ledger
arithmetic; a backend supplies *kernels*, the parts that depend on how rules
are matched and computed:

- :meth:`Kernels.match`: does a condition hold for a set of facts;
- :meth:`Kernels.candidates`: which rules of a conversion can convert an achievement;
- :meth:`Kernels.points`: the value of a points or amount expression.

A backend that does inference better than the pipeline's own loops (a Rete
network) may also take over derivation chaining (``derive``) and the decision
of statuses (``decide``), of ``eligible:`` requirements on entitlements and transfers
(``eligible``) and of entitlement rules' and bonuses' conditions (``entitled``); ``None``
leaves them to the pipeline. For statuses and eligibility the pipeline's shared judge
still writes every reason, and a backend's decision must agree with it; what ``candidates``
and ``entitled`` answer is used as it is (only the claims follow from it, and the
differential tests compare the backends). As httpx's
transports sit below its client, a backend knows nothing of caps, rounding,
results or sentences.

Facts are flat mappings from dotted paths (``level.value``, ``worker.insurance_months``)
to values: ``str``, ``Decimal``, ``bool`` or ``datetime.date``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

from .._entitlements import Conditions, Entitled
from .._expr import Condition
from .._facts import Item
from .._ir import Conversion, Equivalence, Points, Policy
from .._policies import Eligible, PolicyFacts
from .._results import Outcome
from .._trace import Reason

__all__ = ["Conditions", "Decide", "Derive", "Eligible", "Entitled", "Facts", "Kernels", "MissingField"]

Facts = Mapping[str, Any]

#: ``derive(items, equivalences, warnings)``: every achievement derived from ``items``.
Derive = Callable[[Sequence[Item], Sequence[Equivalence], list[Reason]], list[Item]]
#: ``decide(policies, facts)``: every policy's outcome, statuses granted into ``facts.granted``.
Decide = Callable[[Sequence[Policy], PolicyFacts], tuple[Outcome, ...]]


class MissingField(Exception):
    """A points or amount expression read a field the facts lack (the pipeline warns and skips)."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


class Kernels(Protocol):
    """What a backend supplies to the pipeline for one compiled pack.

    Kernels are pure functions of their arguments: one instance is shared by
    threads, and never keeps state between records.
    """

    #: The backend's name, as ``Engine.load(engine=...)`` takes it.
    name: str
    #: Derivation chaining, or None for the pipeline's breadth-first loop.
    derive: Derive | None
    #: Status decisions, or None for the pipeline's dependency-ordered loop.
    decide: Decide | None
    #: ``eligible:`` decisions (an :class:`EvaluationError` when they disagree with the
    #: pipeline's judge), or None for the judge alone.
    eligible: Eligible | None
    #: Which entitlement rules' and bonuses' conditions hold, or None for ``match``.
    entitled: Entitled | None

    def match(self, cond: Condition | None, facts: Facts) -> bool:
        """Whether ``cond`` holds for ``facts`` (no condition always holds)."""
        ...

    def candidates(self, conversion: Conversion, facts: Facts) -> Iterable[int]:
        """Indexes of ``conversion.rules`` whose ``when`` holds for ``facts``, in rule order."""
        ...

    def points(self, points: Points, facts: Facts) -> Decimal | None:
        """The value of a points or amount expression; None when a lookup has no row.

        :raises MissingField: when the expression reads a field ``facts`` lacks.
        :raises ArithmeticError: when the arithmetic fails (the pipeline locates it).
        """
        ...
