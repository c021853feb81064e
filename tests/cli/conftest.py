"""CLI test helpers: run the Typer app in-process and check what reached stdout and stderr."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from creditengine.cli.app import app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def run() -> Callable[..., Result]:
    """Invoke ``creditengine ARGS...`` in-process; paths are relative to the repository root."""
    runner = CliRunner()

    def invoke(*args: str | Path) -> Result:
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def examples() -> Path:
    return ROOT / "examples"


@pytest.fixture
def rules() -> Path:
    return ROOT / "rules"
