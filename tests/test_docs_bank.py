"""Every command shown in docs/bank.md, run in the order the page shows them, prints what the page says.

The page's ``text`` blocks that start with ``$ creditengine`` are a session: each command runs
in-process, from a folder holding a copy of ``examples/``, with the default bank
(``sqlite:///creditbank.db`` there). A block with a ``...`` line is abridged and only run.
Two files the page only names are written first: ``changed.yaml`` (a changed achievement) and
``bad.csv`` (two bad rows).
"""

from __future__ import annotations

import glob
import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from creditengine.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "bank.md"
BLOCK = re.compile(r"^```text\n(.*?)^```$", re.S | re.M)

CHANGED = """\
worker: {id: W-0001}
achievements:
  - {id: A3, type: course, title: Low-voltage electrical safety refresher, completed: 2025-04-10, hours: 60}
"""
BAD_CSV = (
    "worker.id,id,type,completed,hours\nW-0301,A1,course,2024-13-01,40\nW-0301,A2,course,2024-03-01,forty\n"
)


def session() -> list[tuple[str, str | None]]:
    """(command, expected output or None when abridged), in page order."""
    steps: list[tuple[str, str | None]] = []
    for block in BLOCK.findall(PAGE.read_text(encoding="utf-8")):
        if not block.startswith("$ creditengine"):
            continue
        abridged = any(line.strip() == "..." for line in block.splitlines())
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            steps.append((command, None if abridged else output))
    return steps


def test_the_page_shows_a_whole_session() -> None:
    commands = [command.split()[1:3] for command, _ in session()]
    assert (
        ["bank", "init"] in commands
        and ["bank", "evaluate"] in commands
        and ["generate", "--workers"] in commands
    )


def test_every_command_on_the_page_prints_what_the_page_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    (tmp_path / "changed.yaml").write_text(CHANGED, encoding="utf-8")
    (tmp_path / "bad.csv").write_text(BAD_CSV, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CREDITENGINE_DB", raising=False)
    runner = CliRunner()
    for command, expected in session():
        words = shlex.split(command)
        assert words[0] == "creditengine", command
        args = [match for word in words[1:] for match in (sorted(glob.glob(word)) or [word])]
        result = runner.invoke(app, args, catch_exceptions=False)
        if expected is not None:
            assert result.output == expected, command
