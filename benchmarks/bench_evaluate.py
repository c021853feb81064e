"""Throughput of the compiled evaluator on the default pack.

Run: .venv/bin/python benchmarks/bench_evaluate.py [WORKERS]
Prints workers/second for one process and for evaluate_many with two
processes, measured in the same run (report the ratio, not absolutes).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from typing import Any

from creditengine import Engine, WorkerRecord, load_record

INDUSTRIES = ["advanced_manufacturing", "digital_economy", "modern_services", "general"]


def synthetic(seed: int, count: int) -> list[WorkerRecord]:
    """``count`` plausible workers with about ten achievements each, reproducibly."""
    rng = random.Random(seed)
    records = []
    for n in range(count):
        items: list[dict[str, Any]] = []
        for i in range(rng.randint(5, 15)):
            completed = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3900))
            kind = rng.choice(["course", "course", "course", "certificate", "formal_credit"])
            item: dict[str, Any] = {"id": f"A{i}", "type": kind, "completed": completed.isoformat()}
            item["industry"] = rng.choice(INDUSTRIES)
            if kind == "course":
                item |= {
                    "hours": rng.randint(8, 200),
                    "provider": {"id": "P", "accredited": rng.random() < 0.9},
                    "assessment": {"passed": rng.random() < 0.95},
                }
            elif kind == "certificate":
                item |= {
                    "occupation": rng.choice(["6-31-01-03", "4-03-02-01", "2-02-10-04"]),
                    "level": {"framework": "cn-skill", "value": rng.randint(1, 5)},
                }
            else:
                item |= {
                    "credits": {"value": rng.randint(1, 6), "system": "cn-higher-ed"},
                    "provider": {"id": "SZPT", "accredited": True},
                    "field": rng.choice(INDUSTRIES),
                }
            items.append(item)
        records.append(load_record({"worker": {"id": f"W-{n:07d}"}, "achievements": items}))
    return records


def main() -> None:
    workers = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    engine = Engine.load()
    records = synthetic(7, workers)
    as_of = dt.date(2025, 12, 31)
    start = time.perf_counter()
    for record in records:
        engine.evaluate(record, as_of=as_of)
    one = workers / (time.perf_counter() - start)
    start = time.perf_counter()
    for _ in engine.evaluate_many(records, as_of=as_of, processes=2):
        pass
    two = workers / (time.perf_counter() - start)
    print(f"workers: {workers}")
    print(f"compiled, 1 process : {one:,.0f} workers/s")
    print(f"compiled, 2 processes: {two:,.0f} workers/s  (x{two / one:.2f})")


if __name__ == "__main__":
    main()
