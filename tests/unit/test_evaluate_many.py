"""evaluate_many and evaluate_many_json: dicts in, results or JSON out, in input order, in parallel."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from creditengine import Engine, RecordError, load_record
from tests.golden.population import population

AS_OF = dt.date(2025, 12, 31)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


@pytest.fixture(scope="module")
def raws() -> list[dict[str, Any]]:
    return list(population(5, 60))


@pytest.mark.parametrize("processes", [1, 2])
def test_plain_mappings_give_the_results_of_loaded_records(
    engine: Engine, raws: list[dict[str, Any]], processes: int
) -> None:
    want = [engine.evaluate(load_record(raw), as_of=AS_OF).to_json() for raw in raws]
    got = [r.to_json() for r in engine.evaluate_many(raws, as_of=AS_OF, processes=processes, window=8)]
    assert got == want


@pytest.mark.parametrize("processes", [1, 2])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_json_of_many_is_each_results_json_in_input_order(
    engine: Engine, raws: list[dict[str, Any]], processes: int, lang: str
) -> None:
    want = [engine.evaluate(load_record(raw), as_of=AS_OF).to_json(lang=lang) for raw in raws]
    got = list(engine.evaluate_many_json(raws, as_of=AS_OF, lang=lang, processes=processes, window=8))
    assert got == want


def test_a_mix_of_loaded_records_and_mappings_is_accepted(engine: Engine, raws: list[dict[str, Any]]) -> None:
    mixed: list[Any] = [load_record(raw) if i % 2 else raw for i, raw in enumerate(raws[:10])]
    got = [r.worker for r in engine.evaluate_many(mixed, as_of=AS_OF, processes=2, window=4)]
    assert got == [raw["worker"]["id"] for raw in raws[:10]]


@pytest.mark.parametrize("processes", [1, 2])
def test_an_invalid_mapping_is_a_located_record_error_even_from_a_worker_process(
    engine: Engine, processes: int
) -> None:
    bad = {
        "worker": {"id": "W-1"},
        "achievements": [{"id": "A1", "type": "course", "completed": "2023-02-30"}],
    }
    with pytest.raises(RecordError) as caught:
        list(engine.evaluate_many([bad], as_of=AS_OF, processes=processes))
    assert "achievements[0].completed" in str(caught.value)
    assert caught.value.location is not None


def test_anything_but_a_record_or_mapping_is_a_type_error(engine: Engine) -> None:
    with pytest.raises(TypeError, match="WorkerRecord or a mapping"):
        list(engine.evaluate_many(["W-1"], as_of=AS_OF))  # type: ignore[list-item]


def test_results_from_worker_processes_equal_the_ones_made_here(
    engine: Engine, raws: list[dict[str, Any]]
) -> None:
    here = list(engine.evaluate_many(raws[:20], as_of=AS_OF))
    there = list(engine.evaluate_many(raws[:20], as_of=AS_OF, processes=2, window=4))
    assert there == here  # results cross processes whole: equal dataclasses, not just equal JSON
