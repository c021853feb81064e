"""Unit-test helpers: rule-file and record builders, and evaluation on one-off packs.

The builders return YAML text for ``make_pack`` (tests/conftest.py) and plain
dicts for ``load_record``; ``kit.evaluate`` puts the two together.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from packtools import Broken

from creditengine import Engine, Result, load_record

AS_OF = dt.date(2025, 12, 31)


class Kit:
    """Builders for small rule files and worker records."""

    def __init__(self, make_pack: Callable[[dict[str, str]], Path]) -> None:
        self.make_pack = make_pack

    @staticmethod
    def where(text: str, needle: str, *, occurrence: int = 1) -> tuple[int, int]:
        """1-based (line, column) of the ``occurrence``-th ``needle`` in ``text``, as editors count."""
        index = -1
        for _ in range(occurrence):
            index = text.index(needle, index + 1)
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        return line, column

    @staticmethod
    def write_pack(root: Path, files: dict[str, str]) -> Path:
        """Write a pack into ``root`` (for tests that need two packs side by side)."""
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    # --- rule files -----------------------------------------------------------------

    @staticmethod
    def head(
        kind: str,
        ident: str,
        *,
        version: str = "1",
        start: str = "2000-01-01",
        until: str | None = None,
        title: str = "T",
    ) -> str:
        window = f"{{from: {start}" + (f", until: {until}" if until else "") + "}"
        return (
            f'id: {ident}\nkind: {kind}\nversion: "{version}"\neffective: {window}\ntitle: {{en: {title}}}\n'
        )

    def conversion(self, rules: str, *, ident: str = "conv", hit: str = "first", **meta: Any) -> str:
        body = textwrap.indent(textwrap.dedent(rules), "  ")
        return self.head("conversion", ident, **meta) + f"hit: {hit}\nrules:\n{body}"

    def adjustment(self, rules: str, *, ident: str = "adj", **meta: Any) -> str:
        body = textwrap.indent(textwrap.dedent(rules), "  ")
        return self.head("adjustment", ident, **meta) + f"rules:\n{body}"

    def policy(self, requires: str, *, ident: str = "pol", grants: str = "granted", **meta: Any) -> str:
        body = textwrap.indent(textwrap.dedent(requires), "  ")
        return self.head("accreditation", ident, **meta) + f"grants: {grants}\nrequires:\n{body}"

    def hours_conversion(self, **meta: Any) -> str:
        """Courses: one point per 10 hours, category from the industry."""
        return self.conversion(
            """\
            - id: by-hours
              when: {type: course}
              points: {formula: "hours / 10"}
              category: "{industry}"
            """,
            **meta,
        )

    # --- records --------------------------------------------------------------------

    @staticmethod
    def course(ident: str, hours: int | str, completed: str = "2024-05-01", **more: Any) -> dict[str, Any]:
        return {"id": ident, "type": "course", "hours": hours, "completed": completed, **more}

    @staticmethod
    def certificate(
        ident: str,
        level: int | str,
        completed: str = "2024-05-01",
        occupation: str = "6-31-01-03",
        **more: Any,
    ) -> dict[str, Any]:
        return {
            "id": ident,
            "type": "certificate",
            "occupation": occupation,
            "level": {"framework": "cn-skill", "value": level},
            "completed": completed,
            **more,
        }

    @staticmethod
    def record(*achievements: dict[str, Any], attributes: dict[str, Any] | None = None) -> dict[str, Any]:
        worker: dict[str, Any] = {"id": "W-TEST"}
        if attributes is not None:
            worker["attributes"] = attributes
        return {"worker": worker, "achievements": list(achievements)}

    # --- evaluation -----------------------------------------------------------------

    def engine(self, files: dict[str, str]) -> Engine:
        return Engine.load(self.make_pack(files))

    def evaluate(self, files: dict[str, str], record: dict[str, Any], as_of: dt.date = AS_OF) -> Result:
        return self.engine(files).evaluate(load_record(record), as_of=as_of)


@pytest.fixture
def kit(make_pack: Callable[[dict[str, str]], Path]) -> Kit:
    """Builders for rule files and records, and evaluation on a pack made from them."""
    return Kit(make_pack)


@pytest.fixture
def broken(tmp_path: Path) -> Broken:
    """Copy a fixture pack (tests/packs/), edit it, and read the located problems it then has."""
    return Broken(tmp_path)
