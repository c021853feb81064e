"""Fixture packs (tests/packs/<name>/): load them once, evaluate records against them, and
copy-edit-load them to check that a broken rule is refused at FILE:LINE:COL with its key path."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from creditengine import Engine, Result, RuleError, load_record
from creditengine._errors import Problem
from creditengine._evaluators.durable import durable_available

AS_OF = dt.date(2025, 12, 31)
PACKS = Path(__file__).resolve().parents[1] / "packs"
_ENGINES: dict[str, Engine] = {}


def fixture_engine(name: str) -> Engine:
    """The fixture pack ``tests/packs/<name>``, loaded once per session."""
    if name not in _ENGINES:
        _ENGINES[name] = Engine.load(PACKS / name)
    return _ENGINES[name]


def durable_engine(name: str) -> Engine | None:
    """The fixture pack ``tests/packs/<name>`` under the durable evaluator (None without durable-rules)."""
    if durable_available() is not None:
        return None
    key = f"{name}/durable"
    if key not in _ENGINES:
        _ENGINES[key] = Engine.load(PACKS / name, engine="durable")
    return _ENGINES[key]


def evaluate_with(name: str, record: dict[str, Any], as_of: dt.date = AS_OF) -> Result:
    """Evaluate a record (a dict) against the fixture pack ``name``.

    Every record a fixture test writes is also evaluated by the durable evaluator, which
    must give byte-identical JSON: the fixture tests are differential tests too.
    """
    loaded = load_record(record)
    result = fixture_engine(name).evaluate(loaded, as_of=as_of)
    durable = durable_engine(name)
    if durable is not None:
        assert durable.evaluate(loaded, as_of=as_of).to_json() == result.to_json(), "durable != compiled"
    return result


def worker(*achievements: dict[str, Any], ident: str = "W-TEST", **attributes: Any) -> dict[str, Any]:
    """A worker record; keyword arguments become worker attributes (``programme={...}``)."""
    head: dict[str, Any] = {"id": ident}
    if attributes:
        head["attributes"] = attributes
    return {"worker": head, "achievements": list(achievements)}


class Broken:
    """A fixture pack copied into a temporary folder, edited, and loaded: the RuleError it raises."""

    def __init__(self, tmp_path: Path) -> None:
        self.root = tmp_path / "pack"
        self.texts: dict[str, str] = {}

    def copy(self, name: str) -> Path:
        if self.root.exists():
            shutil.rmtree(self.root)
        shutil.copytree(PACKS / name, self.root)
        return self.root

    def edit(self, file: str, old: str, new: str, *, count: int = 1) -> str:
        """Replace ``old`` (which must be there) by ``new`` in ``file``; return the new text."""
        path = self.root / file
        text = self.texts.get(file, path.read_text(encoding="utf-8"))
        assert old in text, f"{old!r} is not in {file}"
        text = text.replace(old, new, count)
        path.write_text(text, encoding="utf-8")
        self.texts[file] = text
        return text

    def write(self, file: str, text: str) -> str:
        path = self.root / file
        path.parent.mkdir(parents=True, exist_ok=True)
        text = textwrap.dedent(text)
        path.write_text(text, encoding="utf-8")
        self.texts[file] = text
        return text

    def text(self, file: str) -> str:
        return self.texts.get(file) or (self.root / file).read_text(encoding="utf-8")

    def error(self) -> RuleError:
        with pytest.raises(RuleError) as info:
            Engine.load(self.root)
        return info.value

    def problem_at(self, error: RuleError, file: str, needle: str, *, occurrence: int = 1) -> Problem:
        """The problem located at ``needle`` in ``file`` (FILE:LINE:COL as an editor counts)."""
        line, column = where(self.text(file), needle, occurrence=occurrence)
        at = f"{self.root / file}:{line}:{column}: "
        found = [p for p in error.problems if str(p).startswith(at)]
        assert found, f"no problem at {at}; got:\n{error}"
        return found[0]

    def only_problem(
        self, file: str, needle: str, field: str, fragment: str, *, occurrence: int = 1
    ) -> Problem:
        """Load; the pack has exactly one problem, at ``needle`` in ``file``, about ``field``."""
        error = self.error()
        assert len(error.problems) == 1, str(error)
        problem = self.problem_at(error, file, needle, occurrence=occurrence)
        assert problem.location is not None
        assert problem.location.field == field, (problem.location.field, str(problem))
        assert fragment in problem.message, str(problem)
        assert field in str(problem)  # the key path is shown, in the message or as "(at FIELD)"
        return problem

    def refused(self, pack: str, case: Edit) -> Problem:
        """Copy ``pack``, apply one edit, and check the single located problem it causes."""
        self.copy(pack)
        self.edit(case.file, case.old, case.new)
        return self.only_problem(
            case.file, case.needle, case.field, case.fragment, occurrence=case.occurrence
        )


class Edit(NamedTuple):
    """One invalid use of a construct: an edit to a fixture pack and the problem it must cause."""

    case: str
    file: str
    old: str
    new: str
    needle: str  # where the problem is located in the edited file
    field: str  # the key path the problem names
    fragment: str  # part of the message
    occurrence: int = 1  # which occurrence of needle


def where(text: str, needle: str, *, occurrence: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the ``occurrence``-th ``needle`` in ``text``, as editors count."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column
