"""The benchmark's hand-written baseline (benchmarks/baseline.py) gives the engine's figures.

``make bench`` times the engine against that baseline; these tests keep the
baseline honest between benchmark runs: when rules/ or the engine's semantics
change, they fail until the baseline follows. No timing here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
import yaml

from benchmarks.agreement import differences, engine_figures, mismatches
from benchmarks.baseline import evaluate
from benchmarks.population import Raw, population
from creditengine import Engine, Result, WorkerRecord, load_record

ROOT = Path(__file__).resolve().parent.parent

WORKERS = 300
SEED = 11  # make bench uses seed 7: together they check two samples
AS_OF = dt.date(2025, 12, 31)
# The evaluation date of the examples; one with other claim windows and course validities;
# one before equivalence and the accreditation policies are in force.
DATES = (AS_OF, dt.date(2024, 6, 30), dt.date(2022, 6, 30))


@pytest.fixture(scope="module")
def sample() -> tuple[list[Raw], list[WorkerRecord]]:
    raws = list(population(SEED, WORKERS))
    return raws, [load_record(raw) for raw in raws]


def test_baseline_gives_the_engines_figures_for_a_synthetic_population(
    engine: Engine, sample: tuple[list[Raw], list[WorkerRecord]]
) -> None:
    raws, records = sample
    wrong = mismatches(engine, raws, records, DATES)
    assert not wrong, "\n".join(str(m) for m in wrong[:5])


def test_synthetic_population_exercises_every_stage_the_baseline_copies(
    engine: Engine, sample: tuple[list[Raw], list[WorkerRecord]]
) -> None:
    # Agreement means little if a stage never fires: every ledger status, equivalence,
    # each way a claim is granted or refused, and both ways a transfer ends must occur.
    _, records = sample
    seen: Counter[str] = Counter()
    for record in records:
        result: Result = engine.evaluate(record, as_of=AS_OF)
        seen.update(f"ledger {e.status}" for e in result.ledger)
        seen.update(f"derived by {d.rule}" for d in result.derived)
        seen.update(f"{o.policy} {o.status}" for o in result.outcomes)
        seen.update(f"claim {c.status} by {c.rule}" for c in result.entitlements)
        seen.update(f"transfer {t.status}" for t in result.transfers)
        seen.update("transfer exemption" for t in result.transfers if t.exemptions)
    expected = {
        "ledger counted",
        "ledger capped",
        "ledger expired",
        "ledger duplicate",
        "derived by cross-border-equivalence/macao-maintenance-electrician",
        "derived by cross-border-equivalence/hkqf-qualification-levels",
        "skilled-worker met",
        "skilled-worker unmet",
        "highly-skilled-worker met",
        "highly-skilled-worker unmet",
        "claim granted by skill-upgrade-subsidy/by-level",
        "claim refused by skill-upgrade-subsidy/eligible",
        "claim refused by skill-upgrade-subsidy/claim_within",
        "claim refused by skill-upgrade-subsidy/once_per",
        "claim refused by skill-upgrade-subsidy/max_claims",
        "transfer granted",
        "transfer refused",
        "transfer exemption",
    }
    assert expected <= set(seen), sorted(expected - set(seen))


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_baseline_gives_the_engines_figures_for_each_example(engine: Engine, path: Path) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))  # dates as date objects: the baseline takes both
    expected = engine_figures(engine.evaluate(load_record(path), as_of=AS_OF))
    assert differences(expected, evaluate(raw, AS_OF)) == []
