"""Loading worker records: time per record and memory per loaded record.

Run: .venv/bin/python -m benchmarks.bench_records [--workers 2000] [--file-records 1000]

Prints, for the bench population (benchmarks/population.py):

- µs per ``load_record(dict)``;
- µs per record of ``load_records`` on a ``.json`` file (a JSON list) and on a
  ``.yaml`` file (one document per record);
- bytes per loaded record (tracemalloc, records kept alive) and the pickled size
  of one record.

To compare with another checkout, run it with that checkout first on PYTHONPATH
(``PYTHONPATH=/tmp/before .venv/bin/python -m benchmarks.bench_records``).
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import tempfile
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

import creditengine
from creditengine import load_record, load_records

from .bench_evaluate import seconds
from .population import population

__all__ = ["main"]


def _best(run: Callable[[], object], repeats: int) -> float:
    return seconds(run, repeats)


def _bytes_held(build: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    held = build()
    gc.collect()
    size, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del held
    return size


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2_000, help="dicts loaded (default 2,000)")
    parser.add_argument("--file-records", type=int, default=1_000, help="records per file (default 1,000)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs; the best is shown (default 3)")
    args = parser.parse_args(argv)
    raws = list(population(7, args.workers))
    in_file = raws[: args.file_records]
    print(f"creditengine from {Path(creditengine.__file__).parent}")
    with tempfile.TemporaryDirectory() as folder:
        json_path = Path(folder) / "workers.json"
        json_path.write_text(json.dumps(in_file, indent=2), encoding="utf-8")
        yaml_path = Path(folder) / "workers.yaml"
        yaml_path.write_text(yaml.safe_dump_all(in_file, sort_keys=False), encoding="utf-8")

        dict_s = _best(lambda: [load_record(raw) for raw in raws], args.repeats)
        json_s = _best(lambda: load_records(json_path), args.repeats)
        yaml_s = _best(lambda: load_records(yaml_path), args.repeats)
        per = dict_s / len(raws) * 1e6
        print(f"load_record(dict):        {per:8.0f} µs per record ({len(raws):,} records)")
        size = json_path.stat().st_size
        print(f"load_records(.json):      {json_s / len(in_file) * 1e6:8.0f} µs per record ({size:,} bytes)")
        size = yaml_path.stat().st_size
        print(f"load_records(.yaml):      {yaml_s / len(in_file) * 1e6:8.0f} µs per record ({size:,} bytes)")

        n = len(in_file)
        from_dicts = _bytes_held(lambda: [load_record(raw) for raw in in_file])
        from_json = _bytes_held(lambda: load_records(json_path))
        from_yaml = _bytes_held(lambda: load_records(yaml_path))
        print(f"memory, from dicts:       {from_dicts / n / 1024:8.1f} KiB per record ({n:,} held)")
        print(f"memory, from .json:       {from_json / n / 1024:8.1f} KiB per record")
        print(f"memory, from .yaml:       {from_yaml / n / 1024:8.1f} KiB per record")
        record = load_records(json_path)[0]
        print(f"pickled record (.json):   {len(pickle.dumps(record)):8,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
