"""Policy scenarios: run ``.feature`` files with the shipped step library and measure rule coverage.

>>> from creditengine import scenarios
>>> report = scenarios.run(["features/"], min_coverage=80)      # doctest: +SKIP
>>> report.ok, report.coverage.percent                          # doctest: +SKIP
(True, 91.2)

The steps are in :mod:`creditengine.scenarios.steps` (listed with examples in the
repository's ``features/README.md``); what counts as a rule, and as exercised,
is in :mod:`creditengine.scenarios._coverage`.

.. versionadded:: 0.2
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Literal

from ._report import Coverage, FailedStep, PackCoverage, ScenarioError, ScenarioOutcome, ScenarioReport

__all__ = [
    "Coverage",
    "FailedStep",
    "PackCoverage",
    "ScenarioError",
    "ScenarioOutcome",
    "ScenarioReport",
    "run",
]


def run(
    paths: Sequence[str | os.PathLike[str]] = ("features",),
    *,
    rules: str | os.PathLike[str] | None = None,
    min_coverage: float | None = None,
    engine: Literal["compiled", "durable"] = "compiled",
) -> ScenarioReport:
    """Run the scenarios of ``.feature`` files (or folders of them) and measure rule coverage.

    pytest and pytest-bdd run underneath, in this process; nothing is printed.

    :param paths: feature files or folders (searched recursively).
    :param rules: the pack "Given the default rule pack" means (default: the packaged pack).
    :param min_coverage: the rule coverage (percent) below which the report is not ``ok``.
    :param engine: the evaluator: ``compiled`` or ``durable`` (identical results, slower).
    :raises ScenarioError: no feature file, or one that is not valid Gherkin.
    :raises RuleError: ``rules`` is not a valid pack.
    :raises BackendUnavailableError: ``engine`` cannot run here (durable-rules does not import).
    """
    from ._runner import run as run_scenarios  # pytest is imported only when scenarios run

    return run_scenarios(paths, rules=rules, min_coverage=min_coverage, engine=engine)
