"""One pipeline, several backends: a backend supplies kernels and reuses every stage.

``tests/backends/closures.py`` is a second, minimal backend (the IR as Python
closures, no code generation). Run through the same ``Pipeline`` it must give
byte-identical results to the engine's generated backend: the stages, ledger
arithmetic, reasons and rendering are shared, only matching and arithmetic kernels differ.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from creditengine import Engine, EvaluationError, load_record
from creditengine._evaluators.base import Kernels
from creditengine._evaluators.compiled import CompiledKernels
from creditengine._pipeline import Pipeline
from tests.backends.closures import ClosureKernels
from tests.golden.population import population

ROOT = Path(__file__).resolve().parents[2]
DATES = (dt.date(2019, 6, 30), dt.date(2025, 12, 31), dt.date(2031, 3, 15))


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


def test_both_backends_satisfy_the_kernels_protocol(engine: Engine) -> None:
    backends: list[Kernels] = [CompiledKernels(engine.pack), ClosureKernels(engine.pack)]
    for backend in backends:
        assert backend.name in ("compiled", "closures")
        assert backend.derive is None and backend.decide is None


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_a_second_backend_reuses_the_pipeline_and_gives_identical_json(engine: Engine, path: Path) -> None:
    other = Pipeline(engine.pack, ClosureKernels(engine.pack))
    record = load_record(path)
    for day in DATES:
        for lang in ("en", "zh"):
            want = engine.evaluate(record, as_of=day).to_json(lang=lang)
            assert other.evaluate(record, day).to_json(lang=lang) == want


def test_a_second_backend_agrees_on_a_generated_population(engine: Engine) -> None:
    other = Pipeline(engine.pack, ClosureKernels(engine.pack))
    for raw in population(99, 400):
        record = load_record(raw)
        for day in DATES:
            assert other.evaluate(record, day).to_json() == engine.evaluate(record, as_of=day).to_json()


def test_a_backend_can_take_over_derivation_and_decisions(engine: Engine) -> None:
    # A backend that infers better (a Rete network) supplies derive/decide; the rest is shared.
    from creditengine._equivalence import derive
    from creditengine._policies import decide

    calls: list[str] = []
    kernels = ClosureKernels(engine.pack)

    def derive_kernel(items, equivalences, warnings):  # type: ignore[no-untyped-def]
        calls.append("derive")
        return derive(items, equivalences, match=kernels.match, warnings=warnings)

    def decide_kernel(policies, facts):  # type: ignore[no-untyped-def]
        calls.append("decide")
        return decide(policies, facts, kernels.match)

    kernels.derive, kernels.decide = derive_kernel, decide_kernel
    record = load_record(ROOT / "examples" / "hk-bachelor-status-route.yaml")
    day = dt.date(2025, 12, 31)
    got = Pipeline(engine.pack, kernels).evaluate(record, day).to_json()
    assert got == engine.evaluate(record, as_of=day).to_json()
    assert calls == ["derive", "decide"]


def test_a_failing_kernel_is_located_at_its_rule(engine: Engine) -> None:
    class Failing(ClosureKernels):
        def points(self, points, facts):  # type: ignore[no-untyped-def]
            raise ArithmeticError("boom")

    record = load_record(ROOT / "examples" / "electrician-level3.yaml")
    with pytest.raises(EvaluationError) as caught:
        Pipeline(engine.pack, Failing(engine.pack)).evaluate(record, dt.date(2025, 12, 31))
    error = caught.value
    assert error.worker == "W-0001"
    assert error.rule is not None and error.rule.startswith("cn-skill-certificates/")
    assert error.location is not None and error.location.file.endswith("cn-skill-certificates.yaml")
