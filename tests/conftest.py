"""Shared fixtures: the default pack, the examples, and a one-off pack builder."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from creditengine import Engine

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
EXAMPLES = ROOT / "examples"
AS_OF = dt.date(2025, 12, 31)


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The default (Shenzhen) pack, loaded once."""
    return Engine.load(RULES)


@pytest.fixture
def make_pack(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Write a pack from {relative path: YAML text} and return its folder.

    ``pack.yaml`` gets a small default unless given.
    """

    def build(files: dict[str, str]) -> Path:
        root = tmp_path / "pack"
        files = {"pack.yaml": DEFAULT_PACK_YAML, **files}
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return build


DEFAULT_PACK_YAML = """\
name: test
title: {en: Test pack}
scale: {unit: point, decimals: 1, rounding: half_up}
categories: [advanced_manufacturing, digital_economy, general]
default_category: general
frameworks:
  cn-skill: {levels: [5, 4, 3, 2, 1]}
  hkqf: {levels: [1, 2, 3, 4, 5, 6, 7]}
attributes:
  insurance_months: {type: integer, min: 0}
"""
