"""Figures, statuses and sentences stay what they were when the golden files were written.

A refactoring of the evaluation core must not change any result. A deliberate
change regenerates the files (``python -m tests.golden.regenerate``) in its own commit.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from creditengine import Engine, load_record

from .digest import DATES, SEED, WORKERS, canonical, digest, without_codes
from .population import population

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parents[1] / "examples"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


def test_generated_population_gives_the_golden_results(engine: Engine) -> None:
    expected = dict(line.split() for line in (HERE / "population.digests").read_text().splitlines())
    assert len(expected) == WORKERS
    differ = []
    for raw in population(SEED, WORKERS):
        record = load_record(raw)
        texts = [canonical(engine.evaluate(record, as_of=day)) for day in DATES]
        if digest(texts) != expected[record.worker.id]:
            differ.append(record.worker.id)
    assert not differ, f"{len(differ)} workers differ, first: {differ[:10]}"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_example_gives_the_golden_result(engine: Engine, path: Path) -> None:
    record = load_record(path)
    golden = json.loads((HERE / "examples" / f"{path.stem}.json").read_text())
    for day, want in zip(DATES, golden, strict=True):
        result = engine.evaluate(record, as_of=day)
        assert without_codes(result.to_dict("en")) == want["en"], day
        assert without_codes(result.to_dict("zh")) == want["zh"], day
