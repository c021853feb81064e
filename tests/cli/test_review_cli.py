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


# --- item 14: text output a terminal cannot obey ---------------------------------------------------


def test_text_output_escapes_control_and_bidi_characters(
    run: Run, rules: Path, examples: Path, tmp_path: Path
) -> None:
    # A policy title (rule text) with a screen-clearing escape, a bell and a bidi override.
    pack = tmp_path / "pack"
    shutil.copytree(rules, pack)
    policy = pack / "policies" / "skilled-worker.yaml"
    old = "title: {en: Skilled worker, zh: 技能人才}"
    text = policy.read_text(encoding="utf-8")
    assert old in text
    hostile = 'title: {en: "Skilled\\e[2J\\e[31mAPPROVED\\u202eDEVORPPA\\a", zh: 技能人才}'
    policy.write_text(text.replace(old, hostile), encoding="utf-8")
    result = run(
        "evaluate", examples / "electrician-level3.yaml", "--rules", pack, *AS_OF, "--format", "text"
    )
    assert result.exit_code == 0, result.stderr
    for raw in ("\x1b", "\u202e", "\x07"):
        assert raw not in result.stdout
    assert "Skilled\\x1b[2J\\x1b[31mAPPROVED\\u202eDEVORPPA\\x07" in result.stdout


def test_an_escape_sequence_in_a_worker_id_never_reaches_the_terminal(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text('worker: {id: "W-1\\e[2J\\e[31mAPPROVED"}\n', encoding="utf-8")
    result = run("evaluate", path, *AS_OF, "--format", "text")
    assert_clean_failure(result, 1)
    assert "\x1b" not in result.stderr
    assert result.stderr.startswith(f"{path}:1:14: worker.id: ids and versions are plain text: U+001B")


def test_error_messages_escape_what_a_terminal_would_obey(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text('worker: {id: W-1, "x\\e[2J\\u202e": 1}\n', encoding="utf-8")
    result = run("evaluate", path, *AS_OF)
    assert_clean_failure(result, 1)
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert "unknown key" in result.stderr


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
