"""What a run of policy scenarios found: each scenario's verdict, and rule coverage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from creditengine import CreditEngineError

__all__ = ["Coverage", "FailedStep", "PackCoverage", "ScenarioError", "ScenarioOutcome", "ScenarioReport"]


class ScenarioError(CreditEngineError):
    """The scenarios could not be run: no feature file, or one that is not Gherkin."""


@dataclass(frozen=True)
class FailedStep:
    """The step a scenario stopped at, with what it expected and what the evaluation gave.

    ``result`` is the part of the result (JSON) the step looked at, or "" when it
    looked at none (a step that builds the record, or a refused pack).
    """

    line: int
    step: str
    expected: str
    actual: str
    result: str = ""


@dataclass(frozen=True)
class ScenarioOutcome:
    """One scenario (one row of a Scenario Outline's examples counts as one)."""

    file: str
    line: int
    name: str
    status: Literal["passed", "failed", "skipped"]
    failure: FailedStep | None = None

    @property
    def passed(self) -> bool:
        """Whether every step held (a skipped scenario is not a failure)."""
        return self.status != "failed"


@dataclass(frozen=True)
class PackCoverage:
    """Rule coverage of one pack folder the scenarios used.

    ``rules`` are ``file-id/rule-id`` (or a file id, for a policy or a transfer),
    sorted; ``never`` are those no evaluation was decided by.
    """

    folder: str
    name: str
    rules: tuple[str, ...]
    exercised: tuple[str, ...]
    never: tuple[str, ...]
    percent: float


@dataclass(frozen=True)
class Coverage:
    """Rule coverage of every pack used: per pack, and all packs together."""

    packs: tuple[PackCoverage, ...]
    rules: int
    exercised: int
    percent: float


@dataclass(frozen=True)
class ScenarioReport:
    """The verdict of every scenario run, rule coverage, and the minimum coverage asked for."""

    scenarios: tuple[ScenarioOutcome, ...]
    coverage: Coverage
    min_coverage: float | None
    seconds: float
    passed: int
    failed: int
    skipped: int

    @property
    def below_minimum(self) -> bool:
        """Whether coverage is below ``min_coverage`` (never, when none was asked for)."""
        return self.min_coverage is not None and self.coverage.percent < self.min_coverage

    @property
    def ok(self) -> bool:
        """Every scenario passed and coverage reaches the minimum."""
        return self.failed == 0 and not self.below_minimum
