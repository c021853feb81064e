"""The benchmark's population: the library's generator (``creditengine._population``) in the
shape the hand-written baseline was measured with (:data:`BENCHMARK_SHAPE`).

The same seed gives exactly the records this module generated before the generator moved
into the library (``tests/unit/test_population.py`` holds a digest of them).
"""

from __future__ import annotations

from collections.abc import Iterator

from creditengine._population import BENCHMARK_SHAPE, Raw, achievement_count
from creditengine._population import population as _population

__all__ = ["Raw", "achievement_count", "population"]


def population(seed: int, count: int) -> Iterator[Raw]:
    """``count`` benchmark workers, lazily and reproducibly (see :mod:`creditengine._population`)."""
    return _population(seed, count, shape=BENCHMARK_SHAPE)
