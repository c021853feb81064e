"""Run ``.feature`` files with pytest-bdd in this process and collect what happened.

A temporary folder gets a one-line test module (``scenarios(*files)``) and an empty
pytest configuration, so the project's own pytest settings do not apply; the step
library (:mod:`creditengine.scenarios.steps`) and a collector are passed as plugins.
pytest's own output goes to a buffer: the caller renders the report.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

import pytest
from pytest_bdd.exceptions import GherkinParseError
from pytest_bdd.feature import get_features

from creditengine import CreditEngineError, Engine, SourceLocation
from creditengine._engine import EngineName

from . import steps
from ._case import EVALUATOR, StepFailed
from ._coverage import Recorder, recording
from ._report import FailedStep, ScenarioError, ScenarioOutcome, ScenarioReport

__all__ = ["feature_files", "run"]

Status = Literal["passed", "failed", "skipped"]


def feature_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Every ``.feature`` file named, or under a folder named, in order and once each."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(sorted(path.rglob("*.feature")))
        elif path.is_file():
            found.append(path)
        else:
            raise ScenarioError("no such file or folder", location=SourceLocation(str(path)))
    unique = list(dict.fromkeys(p.resolve() for p in found))
    if not unique:
        shown = ", ".join(str(p) for p in paths)
        raise ScenarioError(f"no .feature file in {shown}", location=SourceLocation(shown))
    for path in unique:  # a file that is not Gherkin is an error in the input, not a failed scenario
        try:
            get_features([str(path)])
        except GherkinParseError as exc:
            where = SourceLocation(_shown(path), exc.line)
            raise ScenarioError(f"not a valid feature file: {exc.message}", location=where) from None
    return unique


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _text(step: Any) -> str:
    return f"{step.keyword} {step.name}".strip()


class _Collector:
    """A pytest plugin noting each scenario, the step it failed at, and its verdict."""

    def __init__(self) -> None:
        self.started: dict[str, tuple[str, int, str]] = {}
        self.failed_steps: dict[str, FailedStep] = {}
        self.outcomes: dict[str, ScenarioOutcome] = {}

    def pytest_bdd_before_scenario(self, request: Any, feature: Any, scenario: Any) -> None:
        self.started[request.node.nodeid] = (feature.filename, scenario.line_number, scenario.name)

    def pytest_bdd_step_error(self, request: Any, step: Any, exception: Exception) -> None:
        expected = step.name
        if isinstance(exception, StepFailed):
            failure = FailedStep(
                step.line_number,
                _text(step),
                exception.expected or expected,
                exception.actual,
                exception.result,
            )
        elif isinstance(exception, AssertionError | CreditEngineError):
            failure = FailedStep(step.line_number, _text(step), expected, str(exception))
        else:
            actual = f"{type(exception).__name__}: {exception}"
            failure = FailedStep(step.line_number, _text(step), expected, actual)
        self.failed_steps.setdefault(request.node.nodeid, failure)

    def pytest_bdd_step_func_lookup_error(self, request: Any, step: Any) -> None:
        failure = FailedStep(
            step.line_number,
            _text(step),
            "a step of the library with these words",
            "no step reads like this: see the list of steps in features/README.md",
        )
        self.failed_steps.setdefault(request.node.nodeid, failure)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.nodeid in self.outcomes or not (report.when == "call" or report.failed or report.skipped):
            return
        file, line, name = self.started.get(report.nodeid, (report.location[0], 0, report.nodeid))
        status: Status = "failed" if report.failed else "skipped" if report.skipped else "passed"
        failure = None
        if report.failed:
            failure = self.failed_steps.get(report.nodeid) or FailedStep(
                line, "", "", report.longreprtext.strip().splitlines()[-1] if report.longreprtext else ""
            )
        self.outcomes[report.nodeid] = ScenarioOutcome(_shown(Path(file)), line, name, status, failure)


def run(
    paths: Sequence[str | os.PathLike[str]] = ("features",),
    *,
    rules: str | os.PathLike[str] | None = None,
    min_coverage: float | None = None,
    engine: EngineName = "compiled",
) -> ScenarioReport:
    """Run the scenarios of ``.feature`` files (or folders of them) and measure rule coverage.

    :param paths: feature files or folders (searched recursively).
    :param rules: the pack "Given the default rule pack" means (default: the packaged pack).
    :param min_coverage: the rule coverage (percent) below which the report is not ``ok``.
    :param engine: the evaluator every scenario's worker is evaluated with (``Engine.load``'s).
    :raises ScenarioError: no feature file, or one that is not valid Gherkin.
    :raises RuleError: ``rules`` is not a valid pack.
    """
    files = feature_files(paths)
    default_pack = None
    if rules is not None or engine != "compiled":  # a bad pack or engine: one error, before any scenario
        loaded = Engine.load(rules, engine=engine)
        default_pack = None if rules is None else Path(loaded.pack.root).resolve()
    collector = _Collector()
    output = io.StringIO()
    with tempfile.TemporaryDirectory(prefix="creditengine-test-") as folder:
        here = Path(folder)
        (here / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        module = f"from pytest_bdd import scenarios\n\nscenarios(*{[str(f) for f in files]!r})\n"
        # A new module name each run: pytest reuses a module already imported under the same name.
        name = "test_" + here.name.replace("-", "_")
        (here / f"{name}.py").write_text(module, encoding="utf-8")
        args = [
            str(here / f"{name}.py"),
            "-c",
            str(here / "pytest.ini"),
            f"--rootdir={here}",
            f"--basetemp={here / 'tmp'}",
            "--import-mode=importlib",
            "-p",
            "no:cacheprovider",
            "-q",
        ]
        started = time.perf_counter()
        chosen = EVALUATOR.set(engine)
        with (
            recording(Recorder(default_pack)) as recorder,
            contextlib.redirect_stdout(output),
            contextlib.redirect_stderr(output),
        ):
            try:
                code = pytest.main(args, plugins=[steps, collector])
            finally:
                EVALUATOR.reset(chosen)
        for module_name in [m for m in sys.modules if m == name or m.endswith(f".{name}")]:
            del sys.modules[module_name]
        seconds = time.perf_counter() - started
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise ScenarioError(f"the scenarios could not be run (pytest exit {int(code)}):\n{output.getvalue()}")
    outcomes = sorted(collector.outcomes.values(), key=lambda o: (o.file, o.line))
    return ScenarioReport(
        scenarios=tuple(outcomes),
        coverage=recorder.coverage(),
        min_coverage=min_coverage,
        seconds=seconds,
        passed=sum(o.status == "passed" for o in outcomes),
        failed=sum(o.status == "failed" for o in outcomes),
        skipped=sum(o.status == "skipped" for o in outcomes),
    )
