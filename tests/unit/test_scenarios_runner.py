"""Running scenarios as a library call (creditengine/scenarios/_runner.py): a report of frozen
values, nothing printed, and the repository's own scenarios all passing through it."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from creditengine import scenarios

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "tests" / "cli" / "scenarios"


def test_a_report_holds_each_scenario_and_the_failing_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(HERE, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    report = scenarios.run(["failing.feature", "trained.feature"], min_coverage=10)
    assert capfd.readouterr() == ("", "")
    assert (report.passed, report.failed, report.skipped, report.ok) == (1, 1, 0, False)
    failing, passing = report.scenarios
    assert (failing.file, failing.line, failing.name, failing.passed) == (
        "failing.feature",
        3,
        "A 120-hour course is worth 15 points",
        False,
    )
    assert failing.failure == scenarios.FailedStep(
        8,
        "Then the total is 15 points",
        "a total of 15 points",
        "a total of 12 points",
        '{\n  "all": "12",\n  "by_category": {\n    "general": "12"\n  }\n}',
    )
    assert passing.status == "passed" and passing.failure is None
    assert not report.below_minimum
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.failed = 0  # type: ignore[misc]


def test_the_repository_scenarios_pass_through_the_runner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the fixture packs are named from the repository root
    report = scenarios.run(["features"])
    assert report.failed == 0, [s for s in report.scenarios if not s.passed]
    assert report.passed == len(report.scenarios) > 150
    assert report.coverage.percent > 90
