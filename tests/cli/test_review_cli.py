"""Regressions from review issue 6 (command line): exit codes for unreadable input, a strict
``--as-of``, text output that a terminal cannot obey, and pack problems shown by ``validate``."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from typer.testing import Result

Run = Callable[..., Result]
AS_OF = ("--as-of", "2025-12-31")


def assert_clean_failure(result: Result, code: int) -> None:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


# --- item 7: validate refuses what it used to skip ------------------------------------------------


def test_validate_refuses_a_misnamed_policies_folder(run: Run, rules: Path, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(rules, pack)
    (pack / "policies").rename(pack / "policy")
    result = run("validate", pack)
    assert_clean_failure(result, 1)
    assert result.stderr.startswith(f"{pack}/policy: folder policy/ is not read")


# --- item 15: validate names the duplicate, once --------------------------------------------------


def test_validate_names_a_duplicated_category_without_follow_on_errors(
    run: Run, rules: Path, tmp_path: Path
) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(rules, pack)
    header = (pack / "pack.yaml").read_text(encoding="utf-8")
    old = "categories: [advanced_manufacturing, digital_economy, modern_services, general]"
    assert old in header
    (pack / "pack.yaml").write_text(header.replace(old, old[:-1] + ", digital_economy]"), encoding="utf-8")
    result = run("validate", pack)
    assert_clean_failure(result, 1)
    [line] = result.stderr.strip().splitlines()
    assert "categories[4]: category 'digital_economy' is listed twice" in line
