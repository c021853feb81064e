"""Evaluating the bank's workers: the stored result is the one the record's file gives; runs resume."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from creditengine import Bank, Engine, StoreError, load_records

ROOT = Path(__file__).resolve().parents[2]
YAMLS = sorted((ROOT / "examples").glob("*.yaml"))
AS_OF = dt.date(2025, 12, 31)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load(ROOT / "rules")


@pytest.fixture
def bank(bank_url: str) -> Bank:
    opened = Bank.open(bank_url)
    opened.init()
    opened.import_records(YAMLS)
    yield opened
    opened.close()


def test_stored_results_are_byte_identical_to_evaluating_the_files(bank: Bank, engine: Engine) -> None:
    report = bank.evaluate(engine, as_of=AS_OF)
    records = [r for path in YAMLS for r in load_records(path)]
    assert (report.evaluated, report.up_to_date) == (len(records), 0)
    for record in records:
        expected = engine.evaluate(record, as_of=AS_OF)
        [stored] = bank.evaluations(record.worker.id)
        assert stored.result_json == expected.to_json()
        assert stored.total_points == expected.totals.all
        assert stored.by_category == tuple(sorted(expected.totals.by_category))
        assert stored.statuses == tuple(sorted(expected.statuses))
        granted = [c.amount for c in expected.entitlements if c.status == "granted"]
        assert stored.entitlement_amount == sum(granted)
        assert stored.fingerprint == engine.pack.fingerprint and stored.as_of == AS_OF
    # Reasons are stored with their codes, for programs that never parse sentences.
    first = json.loads(bank.evaluations(records[0].worker.id)[0].result_json)
    assert all("code" in reason for o in first["outcomes"] for reason in o["because_reasons"])


def test_a_second_run_does_only_what_the_first_did_not(bank: Bank, engine: Engine) -> None:
    ids = bank.worker_ids()
    first = bank.evaluate(engine, as_of=AS_OF, workers=ids[:3])
    assert (first.evaluated, first.up_to_date) == (3, 0)
    seen: list[tuple[int, int]] = []
    rest = bank.evaluate(
        engine, as_of=AS_OF, chunk=2, progress=lambda done, total: seen.append((done, total))
    )
    assert (rest.evaluated, rest.up_to_date) == (len(ids) - 3, 3)
    assert seen == [(2, 4), (4, 4)]  # committed chunk by chunk
    assert bank.counts()["evaluations"] == len(ids)
    again = bank.evaluate(engine, as_of=AS_OF)
    assert (again.evaluated, again.up_to_date) == (0, len(ids))


def test_a_worker_changed_by_an_import_is_evaluated_again(bank: Bank, engine: Engine, tmp_path: Path) -> None:
    bank.evaluate(engine, as_of=AS_OF)
    worker = bank.worker_ids()[0]
    before = bank.evaluations(worker)[0].total_points
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        f"worker: {{id: {worker}}}\n"
        "achievements:\n"
        "  - id: X1\n    type: certificate\n    level: {framework: cn-skill, value: 1}\n"
        "    occupation: '9-99-99-99'\n    completed: 2025-01-01\n    industry: general\n"
    )
    bank.import_records([extra])
    report = bank.evaluate(engine, as_of=AS_OF)
    assert (report.evaluated, report.up_to_date) == (1, len(bank.worker_ids()) - 1)
    [stored] = bank.evaluations(worker)  # replaced, not added
    assert stored.total_points == before + 160


def test_the_pack_is_stored_with_its_source(bank: Bank, engine: Engine, bank_url: str) -> None:
    import sqlalchemy as sa

    from creditengine import _store as store

    bank.evaluate(engine, as_of=AS_OF, workers=[bank.worker_ids()[0]])
    connection_engine = store.connect(bank_url)
    with connection_engine.connect() as connection:
        row = connection.execute(sa.select(store.PACK)).one()
    connection_engine.dispose()
    assert row.fingerprint == engine.pack.fingerprint and row.name == "shenzhen"
    source = json.loads(row.source)
    assert source["pack.yaml"] == (ROOT / "rules" / "pack.yaml").read_text(encoding="utf-8")
    assert set(json.loads(row.versions)) == {group.id for group in engine.pack.groups()}


def test_a_worker_not_in_the_bank_is_named(bank: Bank, engine: Engine) -> None:
    with pytest.raises(StoreError, match="worker W-404 not in the bank"):
        bank.evaluate(engine, as_of=AS_OF, workers=["W-404"])
    with pytest.raises(StoreError, match="worker W-404 is not in the bank"):
        bank.worker("W-404")
