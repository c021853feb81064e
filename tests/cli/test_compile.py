"""``creditengine compile``: the generated module, as the library gives it."""

from __future__ import annotations

import ast
from pathlib import Path

from typer.testing import CliRunner

from creditengine import Engine
from creditengine.cli.app import app

ROOT = Path(__file__).resolve().parents[2]


def test_compile_prints_the_generated_module_of_the_pack() -> None:
    result = CliRunner().invoke(app, ["compile", str(ROOT / "rules")])
    assert result.exit_code == 0, result.output
    assert result.stdout == Engine.load(ROOT / "rules").generated_source()
    ast.parse(result.stdout)  # valid Python
    assert "cn-skill-certificates" in result.stdout  # each function names its rule


def test_compile_of_a_broken_pack_exits_1_with_located_errors(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text("name: x\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["compile", str(tmp_path)])
    assert result.exit_code == 1
    assert "pack.yaml:" in result.stderr
