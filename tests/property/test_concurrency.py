"""An engine is shared safely: threads and worker processes give the serial results."""

from __future__ import annotations

import datetime as dt
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from creditengine import Engine, load_records

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))
AS_OF = dt.date(2025, 12, 31)


def test_threads_sharing_one_engine_give_the_serial_results() -> None:
    engine = Engine.load()
    records = [r for path in EXAMPLES for r in load_records(path)] * 20
    serial = [engine.evaluate(r, as_of=AS_OF).to_json() for r in records]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lambda r: engine.evaluate(r, as_of=AS_OF).to_json(), records))
    assert threaded == serial


def test_evaluate_many_in_two_processes_keeps_order_and_results() -> None:
    engine = Engine.load()
    records = [r for path in EXAMPLES for r in load_records(path)] * 5
    serial = [r.to_json() for r in engine.evaluate_many(records, as_of=AS_OF)]
    parallel = [r.to_json() for r in engine.evaluate_many(records, as_of=AS_OF, processes=2, window=6)]
    assert parallel == serial


def test_two_packs_coexist_in_one_process(tmp_path: Path) -> None:
    # A second pack with the same rule ids but other values must not disturb the first.
    copy = tmp_path / "rules"
    shutil.copytree(Path(__file__).resolve().parents[2] / "rules", copy)
    table = copy / "conversions" / "cn-skill-certificates.yaml"
    table.write_text(table.read_text(encoding="utf-8").replace("3: 80", "3: 90"), encoding="utf-8")
    first, second = Engine.load(), Engine.load(copy)
    [record] = load_records(EXAMPLES[0].parent / "electrician-level3.yaml")
    a = first.evaluate(record, as_of=AS_OF)
    b = second.evaluate(record, as_of=AS_OF)
    assert a.pack.fingerprint != b.pack.fingerprint
    assert b.totals.all - a.totals.all == 12  # level 3: 90 instead of 80, x1.2
    assert first.evaluate(record, as_of=AS_OF).to_json() == a.to_json()
