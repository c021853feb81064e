"""The baseline checked against the engine: the same figures for every worker and date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

from creditengine import Engine, Result, WorkerRecord

from .baseline import Figures, evaluate
from .population import Raw

__all__ = ["Mismatch", "differences", "engine_figures", "mismatches"]


def engine_figures(result: Result) -> Figures:
    """The figures of an engine result, in the baseline's form."""
    return Figures(
        worker=result.worker,
        total=result.totals.all,
        by_category=dict(result.totals.by_category),
        outcomes={o.policy: o.met for o in result.outcomes},
        claims=tuple((c.policy, c.amount, c.sources) for c in result.entitlements if c.status == "granted"),
        transfers=tuple((t.policy, t.status, t.credits) for t in result.transfers),
    )


def differences(expected: Figures, actual: Figures) -> list[str]:
    """Each figure that differs, as ``name: engine ... baseline ...`` (Decimals compare by value)."""
    out = []
    for f in fields(Figures):
        want, got = getattr(expected, f.name), getattr(actual, f.name)
        if want != got:
            out.append(f"{f.name}: engine {want!r}, baseline {got!r}")
    return out


@dataclass(frozen=True)
class Mismatch:
    """A worker on a date where the baseline and the engine disagree."""

    worker: str
    as_of: dt.date
    differences: list[str]

    def __str__(self) -> str:
        return f"{self.worker} as of {self.as_of}: " + "; ".join(self.differences)


def mismatches(
    engine: Engine, raws: Sequence[Raw], records: Sequence[WorkerRecord], dates: Iterable[dt.date]
) -> list[Mismatch]:
    """Every (worker, date) where the baseline's figures differ from the engine's."""
    out = []
    for as_of in dates:
        for raw, record in zip(raws, records, strict=True):
            expected = engine_figures(engine.evaluate(record, as_of=as_of))
            found = differences(expected, evaluate(raw, as_of))
            if found:
                out.append(Mismatch(expected.worker, as_of, found))
    return out
