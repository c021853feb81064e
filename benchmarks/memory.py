"""Peak memory of ``evaluate_many`` over a lazily generated population (run in a child process).

Run: .venv/bin/python -m benchmarks.memory WORKERS [SEED]
Prints this process's peak resident set size in KiB (``VmHWM`` on Linux),
after evaluating WORKERS generated records one by one: nothing holds the
population, so what grows with WORKERS is the engine's own memory.
"""

from __future__ import annotations

import datetime as dt
import resource
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from creditengine import Engine, load_record

from .population import Raw, population

__all__ = ["MANY_TAKES_DICTS", "many_feed", "peak_rss_kib"]

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2025, 12, 31)

#: What ``Engine.evaluate_many`` is fed: raw dicts (True), as an analyst's pipeline
#: would, or records loaded beforehand (False). The timed runs follow this too.
MANY_TAKES_DICTS = True


def many_feed(raws: Iterable[Raw]) -> Iterator[Any]:
    """``evaluate_many``'s input for ``raws``, lazily: loaded records today, the dicts later."""
    if MANY_TAKES_DICTS:
        return iter(raws)
    return (load_record(raw) for raw in raws)


def peak_rss_kib() -> int:
    """This process's peak resident set size so far, in KiB.

    Linux's ``VmHWM`` starts afresh when a program is executed; ``ru_maxrss``
    (the fallback elsewhere) keeps the peak of the process it was forked from,
    which here would be the benchmark holding its whole population.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(argv: list[str]) -> None:
    workers = int(argv[0])
    seed = int(argv[1]) if len(argv) > 1 else 7
    engine = Engine.load(ROOT / "rules")
    for _ in engine.evaluate_many(many_feed(population(seed, workers)), as_of=AS_OF, processes=1):
        pass
    print(peak_rss_kib())


if __name__ == "__main__":
    main(sys.argv[1:])
