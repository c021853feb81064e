"""Regressions from review issue 6 (command line): exit codes for unreadable input, a strict
``--as-of``, text output that a terminal cannot obey, and pack problems shown by ``validate``."""

from __future__ import annotations

import builtins
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

Run = Callable[..., Result]
AS_OF = ("--as-of", "2025-12-31")


def assert_clean_failure(result: Result, code: int) -> None:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


@pytest.fixture
def unreadable(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Make a file unreadable, also when the tests run as root (who may read anything)."""

    def make(path: Path) -> None:
        path.chmod(0o000)
        if os.geteuid() != 0:
            return
        real_access, real_open = os.access, builtins.open
        shown = os.fspath(path)

        def access(target: Any, mode: int, *args: Any, **kwargs: Any) -> bool:
            if os.fspath(target) == shown and mode & os.R_OK:
                return False
            return real_access(target, mode, *args, **kwargs)

        def open_(target: Any, *args: Any, **kwargs: Any) -> Any:
            if not isinstance(target, int) and os.fspath(target) == shown:
                raise PermissionError(13, "Permission denied", shown)
            return real_open(target, *args, **kwargs)

        monkeypatch.setattr(os, "access", access)
        monkeypatch.setattr(builtins, "open", open_)
        monkeypatch.setattr(Path, "open", lambda self, *a, **k: open_(self, *a, **k))

    return make


# --- item 16: exit codes and --as-of ---------------------------------------------------------------


def test_an_unreadable_record_exits_1_like_a_missing_one(
    run: Run, tmp_path: Path, unreadable: Callable[[Path], None]
) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("worker: {id: W-1}\n", encoding="utf-8")
    unreadable(path)
    try:
        result = run("evaluate", path, *AS_OF)
    finally:
        path.chmod(0o644)
    assert_clean_failure(result, 1)
    assert result.stderr.startswith(f"{path}: cannot read record file: Permission denied")
    missing = run("evaluate", tmp_path / "missing.yaml", *AS_OF)
    assert_clean_failure(missing, 1)


def test_an_unreadable_rules_folder_exits_1(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(Path(__file__).resolve().parents[2] / "rules", pack)
    real_access, real_scandir = os.access, os.scandir
    monkeypatch.setattr(
        os, "access", lambda p, m, *a, **k: False if Path(p) == pack else real_access(p, m, *a, **k)
    )

    def scandir(path: Any = ".") -> Any:
        if Path(path) == pack:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run("validate", pack)
    assert_clean_failure(result, 1)
    assert result.stderr.strip() == f"{pack}: cannot read the rule pack folder: Permission denied"


@pytest.mark.parametrize("day", ["20251231", "2025-W53-3", "2025-365", "2025-12-31T00:00"])
def test_an_as_of_date_not_written_yyyy_mm_dd_is_a_usage_error(run: Run, examples: Path, day: str) -> None:
    result = run("evaluate", examples / "electrician-level3.yaml", "--as-of", day)
    assert_clean_failure(result, 2)
    assert f"{day!r} is not a date written" in result.stderr and "YYYY-MM-DD" in result.stderr


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
    old = "  - {id: general, title: {en: General, zh: 综合}}\n"
    assert old in header
    (pack / "pack.yaml").write_text(header.replace(old, old + "  - digital_economy\n"), encoding="utf-8")
    result = run("validate", pack)
    assert_clean_failure(result, 1)
    [line] = result.stderr.strip().splitlines()
    assert "categories[4]: category 'digital_economy' is listed twice" in line
