"""Structural checks: the public API, the one-way import order, module size, documented commands."""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

import creditengine
from creditengine import json_schemas
from creditengine.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "creditengine"

# Each private module may import only modules earlier in this list (STYLE.md §1).
ORDER = [
    "_source",
    "_errors",
    "_limits",
    "_expr",
    "_conditions",
    "_ir",
    "_yaml",
    "_models",
    "_record",
    "_packfiles",
    "_lowercaps",
    "_lower",
    "_pack",
    "_logic",
    "_trace",
    "_explain",
    "_results",
    "_facts",
    "_equivalence",
    "_ledger",
    "_policies",
    "_entitlements",
    "_transfers",
    "_advice",
    "_evaluators",
    "_pipeline",
    "_schemas",
    "_engine",
    "_findings",
    "_lint",
    "_population",
    "_store",
    "_migrations",
    "_imports",
    "_bank",
]
STDLIB_ONLY = {
    "_source",
    "_expr",
    "_conditions",
    "_ir",
    "_limits",
    "_logic",
    "_trace",
    "_explain",
    "_results",
    "_population",
}


def _internal_imports(path: Path) -> tuple[set[str], set[str]]:
    """(creditengine modules imported, third-party top-level packages imported)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    internal, external = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                module = (node.module or "").split(".")[0] or (node.names[0].name if node.level == 1 else "")
                internal.add(module)
            elif node.module:
                external.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            external.update(alias.name.split(".")[0] for alias in node.names)
    return internal, external


def test_all_lists_exactly_the_public_names_sorted() -> None:
    public = {
        name
        for name in dir(creditengine)
        if not name.startswith("_") and not isinstance(getattr(creditengine, name), type(sys))
    }
    assert creditengine.__all__ == sorted(creditengine.__all__)
    assert set(creditengine.__all__) == public
    for name in creditengine.__all__:
        assert getattr(creditengine, name).__module__ == "creditengine", name


def test_imports_run_one_way() -> None:
    # A private package (_evaluators, _explain) ranks as one module; its files import each other.
    packages = sorted(p for p in PACKAGE.glob("_*") if p.is_dir() and (p / "__init__.py").exists())
    paths = sorted(PACKAGE.glob("_*.py")) + [f for p in packages for f in sorted(p.glob("*.py"))]
    for path in paths:
        module = path.stem if path.parent == PACKAGE else path.parent.name
        if module == "__init__" or module == "__main__":
            continue
        internal, external = _internal_imports(path)
        rank = ORDER.index(module)
        siblings = {f.stem for f in path.parent.glob("*.py")} if path.parent != PACKAGE else set()
        for name in internal:
            if name in siblings:
                continue
            assert name in ORDER, f"{path.name} imports unknown module {name}"
            assert ORDER.index(name) <= rank, f"{path.name} imports {name}, which comes later"
        if module in STDLIB_ONLY:
            third_party = {m for m in external if m not in sys.stdlib_module_names}
            assert not third_party, f"{path.name} must import only the standard library: {third_party}"
        assert "cli" not in internal


def test_only_the_renderer_holds_chinese_text() -> None:
    # Sentences are made in one place (the _explain package); the trace elsewhere is language-free.
    # The CLI's text view keeps its own table labels.
    cjk = re.compile("[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    holders = sorted(
        str(path.relative_to(ROOT)) for path in PACKAGE.rglob("*.py") if cjk.search(path.read_text("utf-8"))
    )
    assert holders and all(h.startswith("creditengine/_explain/") for h in holders), holders


def test_the_cli_imports_only_public_names() -> None:
    for path in sorted((ROOT / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("creditengine"):
                assert node.module == "creditengine", f"{path.name} imports {node.module}"
                assert not any(alias.name.startswith("_") for alias in node.names), path.name


def test_no_module_grows_past_800_lines() -> None:
    for path in list(PACKAGE.rglob("*.py")) + list((ROOT / "cli").glob("*.py")):
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines <= 800, f"{path} has {lines} lines: split it by concept"


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    reference = readme.split("<!-- cli-reference -->", 1)[1]
    for command in app.registered_commands:
        name = command.name or command.callback.__name__  # type: ignore[union-attr]
        assert f"### creditengine {name}" in reference, f"command {name} is not documented in README.md"
        doc = command.callback.__doc__ or ""  # type: ignore[union-attr]
        assert "Example" in doc, f"command {name} has no example in its docstring"
    for group in app.registered_groups:
        assert group.typer_instance is not None
        for command in group.typer_instance.registered_commands:
            name = f"{group.name} {command.name or command.callback.__name__}"  # type: ignore[union-attr]
            assert f"### creditengine {name}" in reference, f"command {name} is not documented in README.md"
            doc = command.callback.__doc__ or ""  # type: ignore[union-attr]
            assert "Example" in doc, f"command {name} has no example in its docstring"


def test_committed_schemas_match_the_models() -> None:
    for name, schema in json_schemas().items():
        path = ROOT / "schemas" / f"{name}.schema.json"
        assert path.exists(), f"{path} is missing: run `make schema`"
        committed = json.loads(path.read_text(encoding="utf-8"))
        assert committed == schema, f"{path} is out of date: run `make schema`"
