"""``make bench``: the engine's speed on the default pack, against a hand-written baseline.

Run: .venv/bin/python -m benchmarks.bench_evaluate [--workers N] [--seed S]

One run, plain lines, under three minutes on two cores for the default 5,000 workers:

1. a reproducible synthetic population (benchmarks/population.py), loaded with
   ``creditengine.load_record`` from its dicts;
2. the baseline (benchmarks/baseline.py, the default pack written out by hand)
   checked against the engine for every worker on two dates: totals, totals
   by category, policy outcomes, granted claims and transfers. Any difference
   prints ``mismatches: N`` with the first workers and exits 1 before timing
   anything (a wrong baseline makes every ratio meaningless);
3. throughput in workers per second: engine record -> Result, engine dict ->
   JSON (load_record + evaluate + to_json), baseline dict -> figures (the first
   and third are the best of three passes; every other figure is one pass),
   ``evaluate_many`` with one and two processes, and the default pack with
   1,000 more conversion rules that never match; the one-record CLI's wall
   time (median of five runs); peak RSS of ``evaluate_many`` over N and 4N
   lazily generated workers, each in a child process; the durable evaluator's
   workers/s, and durable-rules alone replaying the facts it asserted
   (benchmarks/durable_raw.py), one pass each;
4. the issue's targets beside the figures (``met`` or ``missed``: a missed
   target does not fail the run), and last ``ratio compiled/baseline: X``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from creditengine import Engine, WorkerRecord, load_record
from creditengine._evaluators.durable import durable_available

from . import baseline, durable_raw
from .agreement import engine_figures, mismatches
from .memory import MANY_TAKES_DICTS
from .population import Raw, achievement_count, population

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
EXAMPLE = "examples/electrician-level3.yaml"
AS_OF = dt.date(2025, 12, 31)
#: The evaluation date, and one when other claim windows and course validities apply
#: (tests/test_bench_baseline.py adds one before equivalence and policies are in force).
CHECK_DATES = (AS_OF, dt.date(2024, 6, 30))
CATALOGUE_RULES = 1_000
RSS_WORKERS = 1_000  # and four times as many
SHOWN_MISMATCHES = 5


def seconds(run: Callable[[], object], repeats: int = 1) -> float:
    """Wall time of ``run``, the best of ``repeats`` passes."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def _catalogue_pack(folder: Path) -> Path:
    """The default pack plus a conversion file of 1,000 rules that never match.

    Each rule converts a catalogue course by its exact title; no record has
    these titles, so results equal the default pack's and only the cost of
    carrying 1,000 more rules shows.
    """
    pack = folder / "rules"
    shutil.copytree(RULES, pack, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    lines = [
        "id: course-catalogue",
        "kind: conversion",
        'version: "2025.1"',
        "effective: {from: 2010-01-01}",
        "title: {en: Catalogue courses (benchmark; never matched)}",
        'reference: "benchmarks/bench_evaluate.py"',
        "hit: first",
        "rules:",
    ]
    for n in range(CATALOGUE_RULES):
        lines += [
            f"  - id: course-{n:04d}",
            f'    when: {{type: course, title: "Catalogue course {n:04d}"}}',
            "    points: 10",
            "    category: general",
        ]
    (pack / "conversions" / "course-catalogue.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return pack


def _changed_figures(one: Engine, other: Engine, records: Sequence[WorkerRecord]) -> str | None:
    """The first worker whose figures differ between two engines, if any."""
    for record in records:
        if engine_figures(one.evaluate(record, as_of=AS_OF)) != engine_figures(
            other.evaluate(record, as_of=AS_OF)
        ):
            return record.worker.id
    return None


def _cli_seconds(runs: int) -> float:
    """Median wall time of the one-record CLI, after one run to warm the caches."""
    script = Path(sys.executable).parent / "creditengine"
    command = [str(script), "evaluate", EXAMPLE, "--as-of", AS_OF.isoformat(), "--format", "json"]
    times = []
    for n in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
        if n:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def _peak_rss_mib(workers: int, seed: int) -> float:
    """Peak RSS of a child process running evaluate_many over ``workers`` generated records."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.memory", str(workers), str(seed)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.split()[-1]) / 1024


class Table:
    """Rows of ``measure  value unit  target  verdict``, printed as they are measured."""

    def __init__(self) -> None:
        print(f"{'measure':<58}{'value':>10}  {'unit':<11}{'target':<16}verdict", flush=True)

    def row(
        self, measure: str, value: str, unit: str = "", target: str = "", met: bool | None = None
    ) -> None:
        verdict = "" if met is None else ("met" if met else "missed")
        print(f"{measure:<58}{value:>10}  {unit:<11}{target:<16}{verdict}".rstrip(), flush=True)


def _per_second(workers: int, seconds: float) -> str:
    return f"{workers / seconds:,.0f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the engine against a hand-written baseline.")
    parser.add_argument("--workers", type=int, default=5_000, help="population size (default 5,000)")
    parser.add_argument("--seed", type=int, default=7, help="population seed (default 7)")
    args = parser.parse_args(argv)
    workers: int = args.workers
    began = time.perf_counter()
    print(
        f"creditengine benchmark: default pack, {workers:,} synthetic workers (seed {args.seed}), "
        f"as of {AS_OF}; Python {platform.python_version()}, {os.cpu_count()} CPUs",
        flush=True,
    )

    start = time.perf_counter()
    raws: list[Raw] = list(population(args.seed, workers))
    generated = time.perf_counter() - start
    start = time.perf_counter()
    records: list[WorkerRecord] = [load_record(raw) for raw in raws]
    loaded = time.perf_counter() - start
    print(
        f"population: {workers:,} workers, {achievement_count(raws):,} achievements; "
        f"generated in {generated:.1f} s, loaded (load_record) in {loaded:.1f} s",
        flush=True,
    )

    engine = Engine.load(RULES)
    shown = ", ".join(d.isoformat() for d in CHECK_DATES)
    print(
        f"check: baseline vs engine for every worker on {shown} "
        "(totals, categories, outcomes, granted claims, transfers)",
        flush=True,
    )
    wrong = mismatches(engine, raws, records, CHECK_DATES)
    print(f"mismatches: {len(wrong)}", flush=True)
    if wrong:
        for mismatch in wrong[:SHOWN_MISMATCHES]:
            print(f"  {mismatch}")
        print("the baseline disagrees with the engine: fix benchmarks/baseline.py (no timings)")
        return 1

    table = Table()

    def engine_results() -> None:
        for record in records:
            engine.evaluate(record, as_of=AS_OF)

    def engine_json() -> None:
        for raw in raws:
            engine.evaluate(load_record(raw), as_of=AS_OF).to_json()

    def baseline_figures() -> None:
        for raw in raws:
            baseline.evaluate(raw, AS_OF)

    compiled = workers / seconds(engine_results, repeats=3)
    table.row("engine record -> Result (best of 3)", f"{compiled:,.0f}", "workers/s")
    table.row("engine dict -> JSON", _per_second(workers, seconds(engine_json)), "workers/s")
    hand = workers / seconds(baseline_figures, repeats=3)
    table.row("baseline dict -> figures (best of 3)", f"{hand:,.0f}", "workers/s")
    ratio = compiled / hand
    table.row("engine / baseline, record -> Result", f"{ratio:.2f}", "x", ">= 0.50", ratio >= 0.5)

    # The durable evaluator (durable-rules' Rete network), and durable-rules alone on the
    # facts it asserts (benchmarks/durable_raw.py): what the wrapper costs around it.
    durable_problem = durable_available()
    if durable_problem is None:
        durable = Engine.load(RULES, engine="durable")

        def durable_results() -> None:
            for record in records:
                durable.evaluate(record, as_of=AS_OF)

        rete = workers / seconds(durable_results)
        table.row("durable record -> Result", f"{rete:,.0f}", "workers/s")
        table.row("  compiled / durable", f"{compiled / rete:.2f}", "x")
        recorded = durable_raw.sessions(durable, records, AS_OF)
        raw = workers / seconds(lambda: durable_raw.replay(durable, recorded))
        table.row(f"raw durable-rules, same facts ({len(recorded):,} states)", f"{raw:,.0f}", "workers/s")
        table.row("  durable evaluator time / raw", f"{raw / rete:.2f}", "x", "<= 1.50", raw / rete <= 1.5)
        # Hundreds of thousands of recorded facts would otherwise sit in the heap the next rows fork.
        del recorded, durable
        gc.collect()
    else:
        table.row("durable record -> Result", "-", "", f"not run: {durable_problem}"[:40])

    # The one line to change when evaluate_many takes raw dicts is MANY_TAKES_DICTS in memory.py.
    feed: Sequence[Any] = raws if MANY_TAKES_DICTS else records

    def many(processes: int) -> Callable[[], None]:
        def run() -> None:
            for _ in engine.evaluate_many(feed, as_of=AS_OF, processes=processes):
                pass

        return run

    def many_json(processes: int) -> Callable[[], None]:
        def run() -> None:
            for _ in engine.evaluate_many_json(feed, as_of=AS_OF, processes=processes):
                pass

        return run

    one = workers / seconds(many(1), repeats=3)
    table.row("evaluate_many dict -> Result, processes=1 (best of 3)", f"{one:,.0f}", "workers/s")
    two = workers / seconds(many(2), repeats=3)
    table.row("evaluate_many dict -> Result, processes=2 (best of 3)", f"{two:,.0f}", "workers/s")
    table.row("  processes=2 / processes=1", f"{two / one:.2f}", "x")
    one = workers / seconds(many_json(1), repeats=3)
    table.row("evaluate_many_json dict -> JSON, processes=1 (best of 3)", f"{one:,.0f}", "workers/s")
    two = workers / seconds(many_json(2), repeats=3)
    table.row("evaluate_many_json dict -> JSON, processes=2 (best of 3)", f"{two:,.0f}", "workers/s")
    table.row("  processes=2 / processes=1", f"{two / one:.2f}", "x", ">= 1.60", two / one >= 1.6)

    with tempfile.TemporaryDirectory() as folder:
        big = Engine.load(_catalogue_pack(Path(folder)))
    changed = _changed_figures(big, engine, records[:200])
    if changed:  # its rules must never match, or it measures something else
        print(f"the {CATALOGUE_RULES:,}-rule pack changed the figures of {changed}: fix _catalogue_pack")
        return 1

    def big_results() -> None:
        for record in records:
            big.evaluate(record, as_of=AS_OF)

    catalogue = workers / seconds(big_results)
    table.row(f"{CATALOGUE_RULES:,}-rule pack record -> Result", f"{catalogue:,.0f}", "workers/s")
    table.row(
        f"{CATALOGUE_RULES:,}-rule pack / default pack",
        f"{catalogue / compiled:.2f}",
        "x",
        ">= 0.50",
        catalogue / compiled >= 0.5,
    )

    cli = _cli_seconds(5)
    table.row("one-record CLI, median of 5", f"{cli:.3f}", "s", "< 0.30", cli < 0.3)

    small = _peak_rss_mib(RSS_WORKERS, args.seed)
    large = _peak_rss_mib(4 * RSS_WORKERS, args.seed)
    table.row(f"peak RSS, evaluate_many {RSS_WORKERS:,} workers", f"{small:.1f}", "MiB")
    table.row(f"peak RSS, evaluate_many {4 * RSS_WORKERS:,} workers", f"{large:.1f}", "MiB")
    table.row("peak RSS 4N / N", f"{large / small:.2f}", "x", "<= 1.10 (flat)", large / small <= 1.1)

    print(f"bench time: {time.perf_counter() - began:.0f} s")
    print(f"ratio compiled/baseline: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
