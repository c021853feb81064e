"""Every Python snippet in docs/library.md runs as written, and says what it gives.

Each snippet runs in a fresh namespace from a working folder holding copies of the
default pack (``rules/``) and the examples (``examples/``), as a user following
"the examples run from the repository root" would. A top-level expression with a
comment (on its line, or on the comment lines right after it) must have that repr;
each ``print`` with a comment must print that text. The bound the page promises for
``evaluate_many`` (``window``) is checked too.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import io
import re
import shutil
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest

from creditengine import Engine, WorkerRecord, load_records

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "docs" / "library.md"
FENCE = re.compile(r"^```python\n(.*?)^```$", re.S | re.M)


def snippets() -> list[tuple[int, str]]:
    """(line in library.md, source) of every ```python block."""
    text = LIBRARY.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in FENCE.finditer(text)]


def comments(source: str) -> dict[int, str]:
    """Each comment's text by line number."""
    found = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            found[token.start[0]] = token.string.lstrip("#").strip()
    return found


def expected_after(stmt: ast.stmt, lines: list[str], notes: dict[int, str]) -> str | None:
    """The comment that says what ``stmt`` gives: on its last line, else the comment lines below."""
    assert stmt.end_lineno is not None
    if stmt.end_lineno in notes:
        return notes[stmt.end_lineno]
    below = []
    number = stmt.end_lineno + 1
    while number <= len(lines) and lines[number - 1].lstrip().startswith("#"):
        below.append(notes[number])
        number += 1
    return " ".join(below) or None


def is_print(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_library_docs_have_python_snippets() -> None:
    assert len(snippets()) >= 5


@pytest.mark.parametrize(("line", "source"), snippets(), ids=[f"line-{line}" for line, _ in snippets()])
def test_every_library_snippet_runs_as_written(workdir: Path, line: int, source: str) -> None:
    tree = ast.parse(source, filename=f"docs/library.md:{line}")
    lines = source.splitlines()
    notes = comments(source)
    printed_notes = [notes[node.lineno] for node in ast.walk(tree) if is_print(node) and node.lineno in notes]
    namespace: dict[str, object] = {"__name__": "__main__"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for stmt in tree.body:
            want = expected_after(stmt, lines, notes)
            if isinstance(stmt, ast.Expr) and not is_print(stmt.value):
                value = eval(compile(ast.Expression(stmt.value), "<snippet>", "eval"), namespace)
                if want is not None:
                    assert repr(value) == want, f"docs/library.md:{line + stmt.lineno}"
            else:
                exec(compile(ast.Module([stmt], []), "<snippet>", "exec"), namespace)
    assert out.getvalue().splitlines() == printed_notes


def test_evaluate_many_keeps_at_most_window_records_in_flight() -> None:
    # The documented bound: records read from the iterable but not yet yielded never exceed window.
    engine = Engine.load(ROOT / "rules")
    [record] = load_records(ROOT / "examples" / "electrician-level3.yaml")
    read = 0

    def records() -> Iterator[WorkerRecord]:
        nonlocal read
        for _ in range(40):
            read += 1
            yield record

    seen = 0
    for _ in engine.evaluate_many(records(), as_of=dt.date(2025, 12, 31), processes=2, window=8):
        assert read - seen <= 8
        seen += 1
    assert seen == 40


@pytest.mark.parametrize("window", [0, -1, True, 2.5])
def test_evaluate_many_refuses_a_window_below_one_at_the_call(window: object) -> None:
    with pytest.raises(ValueError, match="window must be a whole number of records"):
        Engine.load(ROOT / "rules").evaluate_many([], as_of=dt.date(2025, 12, 31), window=window)  # type: ignore[arg-type]
