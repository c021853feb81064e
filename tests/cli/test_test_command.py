"""``creditengine test``: scenarios pass or fail with expected and actual values, rule coverage,
``--min-coverage``, exit codes, and a run outside this repository.

The fixture pack ``scenarios/pack`` has five rules: ``courses/by-hours``,
``courses/by-certificate``, ``caps/low-attendance``, ``caps/yearly-cap`` and the
policy ``trained-worker``. Each test copies it, with the feature files, into a
temporary folder and runs from there (the features name it ``"pack"``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

Run = Callable[..., Result]
HERE = Path(__file__).resolve().parent / "scenarios"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding the fixture pack (``pack/``) and the feature files; the working folder."""
    shutil.copytree(HERE, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_passing_scenarios_exit_0_with_a_pass_line_each(run: Run, project: Path) -> None:
    result = run("test", "trained.feature", "capped.feature")
    assert result.exit_code == 0, result.stdout
    assert "PASS  trained.feature:7  One 120-hour course makes a trained worker" in result.stdout
    assert "PASS  capped.feature:3  A 600-hour course is capped to 50 points" in result.stdout
    assert "2 scenarios: 2 passed, 0 failed" in result.stdout
    assert result.stderr == ""


def test_no_pytest_output_reaches_the_user(
    run: Run, project: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    result = run("test", "trained.feature", "failing.feature")
    captured = capfd.readouterr()
    for text in (result.stdout, captured.out, captured.err):
        assert "test session starts" not in text
        assert "short test summary" not in text
        assert "AssertionError" not in text
        assert "pytest" not in text


def test_a_failing_step_shows_what_was_expected_and_what_the_evaluation_gave(run: Run, project: Path) -> None:
    result = run("test", "failing.feature")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    start = lines.index("FAIL  failing.feature:3  A 120-hour course is worth 15 points")
    assert lines[start + 1 : start + 5] == [
        "      line 8: Then the total is 15 points",
        "      expected: a total of 15 points",
        "      actual:   a total of 12 points",
        "      the result says:",
    ]
    assert '"all": "12"' in result.stdout
    assert "1 scenarios: 0 passed, 1 failed" in result.stdout


def test_a_failing_ledger_step_shows_its_expected_rows_as_lines_not_escapes(run: Run, project: Path) -> None:
    # A new user's trial saw "expected:\\x0a[\\x0a  {\\x0a ..." for a ledger that differed.
    (project / "ledger.feature").write_text(
        "Feature: A ledger that differs\n\n"
        "  Scenario: A 120-hour course is not worth 15 points\n"
        '    Given the rule pack "pack"\n'
        '    And a worker "W-1"\n'
        '    And the worker has an accredited course "K1" of 120 hours in general completed on 2024-03-01\n'
        "    When the worker is evaluated as of 2025-12-31\n"
        "    Then the ledger is:\n"
        "      | achievement | points |\n"
        "      | K1          | 15     |\n",
        encoding="utf-8",
    )
    result = run("test", "ledger.feature")
    assert result.exit_code == 1
    assert "\\x0a" not in result.stdout
    lines = result.stdout.splitlines()
    start = lines.index("      actual:   the ledger differs; expected:")
    assert lines[start + 1].startswith("                [")


def test_a_step_the_library_does_not_know_fails_and_points_to_the_list(run: Run, project: Path) -> None:
    (project / "unknown.feature").write_text(
        'Feature: F\n\n  Scenario: S\n    Given the rule pack "pack"\n    When the moon is full\n',
        encoding="utf-8",
    )
    result = run("test", "unknown.feature")
    assert result.exit_code == 1
    assert "      line 5: When the moon is full" in result.stdout
    assert "no step reads like this: see the list of steps in features/README.md" in result.stdout


def test_coverage_counts_rules_that_decided_something(run: Run, project: Path) -> None:
    # One 120-hour course: courses/by-hours converts it, trained-worker is decided; the cap
    # (12 < 50) changes nothing. 2 of 5 rules.
    result = run("test", "trained.feature")
    assert "RULE COVERAGE: 40.0% (2 of 5 rules decided something in at least one scenario)" in result.stdout
    assert "  coverage-fixture (pack): 40.0% (2 of 5 rules)" in result.stdout
    never = result.stdout.split("never exercised:\n", 1)[1].split()
    assert never == ["caps/low-attendance", "caps/yearly-cap", "courses/by-certificate"]


def test_coverage_rises_with_a_scenario_for_another_rule(run: Run, project: Path) -> None:
    # The 600-hour course is capped: caps/yearly-cap now decided something too. 3 of 5.
    result = run("test", "trained.feature", "capped.feature")
    assert "RULE COVERAGE: 60.0% (3 of 5 rules" in result.stdout
    assert result.stdout.split("never exercised:\n", 1)[1].split() == [
        "caps/low-attendance",
        "courses/by-certificate",
    ]


def test_coverage_below_the_minimum_fails_with_a_clear_message(run: Run, project: Path) -> None:
    result = run("test", "trained.feature", "--min-coverage", "50")
    assert result.exit_code == 1
    assert "rule coverage 40.0% is below the minimum of 50% (--min-coverage)" in result.stdout
    assert "1 scenarios: 1 passed, 0 failed" in result.stdout


def test_coverage_at_the_minimum_passes(run: Run, project: Path) -> None:
    result = run("test", "trained.feature", "--min-coverage", "40")
    assert result.exit_code == 0
    assert "below the minimum" not in result.stdout


def test_the_default_is_the_features_folder(run: Run, project: Path) -> None:
    (project / "features").mkdir()
    shutil.copy(project / "trained.feature", project / "features" / "trained.feature")
    result = run("test")
    assert result.exit_code == 0, result.stdout
    assert "PASS  features/trained.feature:7" in result.stdout


def test_rules_is_the_pack_the_default_rule_pack_means(run: Run, project: Path) -> None:
    text = (project / "trained.feature").read_text(encoding="utf-8")
    (project / "default.feature").write_text(
        text.replace('Given the rule pack "pack"', "Given the default rule pack"), encoding="utf-8"
    )
    result = run("test", "default.feature", "--rules", "pack")
    assert result.exit_code == 0, result.stdout
    assert "coverage-fixture (pack): 40.0% (2 of 5 rules)" in result.stdout
    assert "shenzhen" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere.feature"], "nowhere.feature: no such file or folder"),
        (["pack"], "no .feature file in pack"),
        (["trained.feature", "--rules", "nowhere"], "nowhere"),
    ],
)
def test_bad_input_exits_1_with_a_message_on_stderr(
    run: Run, project: Path, args: list[str], message: str
) -> None:
    result = run("test", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stdout == ""


def test_a_file_that_is_not_gherkin_is_located(run: Run, project: Path) -> None:
    (project / "broken.feature").write_text("Nonsense\nFeature: F\n  Scenario: S\n    Given x\n")
    result = run("test", "broken.feature")
    assert result.exit_code == 1
    assert result.stderr.startswith("broken.feature:1:"), result.stderr
    assert "not a valid feature file" in result.stderr


@pytest.mark.parametrize("args", [["--min-coverage", "101"], ["--min-coverage", "lots"], ["--nope"]])
def test_usage_errors_exit_2(run: Run, project: Path, args: list[str]) -> None:
    assert run("test", *args).exit_code == 2


def test_an_installed_creditengine_runs_scenarios_outside_the_repository(tmp_path: Path) -> None:
    # As a user would: a folder of their own with a pack and a feature file, no conftest, no pytest
    # configuration, and creditengine run as a program.
    shutil.copytree(HERE / "pack", tmp_path / "pack")
    (tmp_path / "features").mkdir()
    shutil.copy(HERE / "trained.feature", tmp_path / "features")
    shutil.copy(HERE / "failing.feature", tmp_path / "features")
    done = subprocess.run(
        [sys.executable, "-m", "creditengine", "test"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "PASS  features/trained.feature:7  One 120-hour course makes a trained worker" in done.stdout
    assert "FAIL  features/failing.feature:3" in done.stdout
    assert "expected: a total of 15 points" in done.stdout
    assert "RULE COVERAGE: 40.0% (2 of 5 rules" in done.stdout
    assert done.stderr == ""
    assert ROOT not in tmp_path.parents


def test_the_engine_option_runs_the_scenarios_under_the_durable_evaluator(run: Run, project: Path) -> None:
    from creditengine._evaluators.durable import durable_available

    result = run("test", "trained.feature", "capped.feature", "--engine", "durable")
    if durable_available() is not None:  # the durable evaluator cannot run here: one line, exit 3
        assert result.exit_code == 3, result.stdout
        return
    assert result.exit_code == 0, result.stdout
    assert "2 scenarios: 2 passed, 0 failed" in result.stdout
