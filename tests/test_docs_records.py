"""docs/records.md cannot drift from the record format.

- Its key table lists exactly the keys of ``WorkerRecord`` and the models nested in it.
- Every ```yaml and ```json snippet is a record that loads with ``load_records`` and evaluates
  against the default pack, unless the line before it says otherwise:
  ``<!-- from: PATH -->``: the snippet is copied, as written, from that file of the repository;
  ``<!-- error: NAME -->``: the snippet saved as NAME is refused by ``creditengine evaluate``,
  and the ```text block after it holds the command and exactly what it wrote to stderr.
- Its limits table gives the defaults of ``creditengine.Limits``; the warnings it quotes are
  the engine's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import types
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from creditengine import Engine, Limits, WorkerRecord, load_record, load_records
from creditengine.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "records.md"
TEXT = DOC.read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)
MARKER = re.compile(r"<!-- (from|error): (\S+) -->\s*\Z")
AS_OF = dt.date(2025, 12, 31)
DEFAULT_LIMITS = Limits()


def section(title: str) -> str:
    start = TEXT.index(f"\n## {title}\n")
    end = TEXT.find("\n## ", start + 1)
    return TEXT[start : end if end != -1 else len(TEXT)]


# --- the key table -------------------------------------------------------------------------------


def _model_in(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model an annotation holds (through Optional, Annotated, list), and whether in a list."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is list:
        model, _ = _model_in(args[0])
        return model, True
    if origin is typing.Annotated:
        return _model_in(args[0])
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            model, listed = _model_in(arg)
            if model is not None:
                return model, listed
    return None, False


def model_keys(model: type[BaseModel], prefix: str = "") -> set[str]:
    keys = set()
    for name, info in model.model_fields.items():
        key = f"{prefix}{info.alias or name}"
        keys.add(key)
        inner, listed = _model_in(info.annotation)
        if inner is not None:
            keys |= model_keys(inner, f"{key}[]." if listed else f"{key}.")
    return keys


def documented_keys() -> list[str]:
    return re.findall(r"^\| `([^`]+)` \|", section("3. Every key"), re.M)


def test_the_key_table_lists_every_key_of_the_record_models_once() -> None:
    documented = documented_keys()
    assert len(documented) == len(set(documented)), "a key is listed twice"
    assert set(documented) == model_keys(WorkerRecord)


def test_the_nested_models_are_walked() -> None:
    keys = model_keys(WorkerRecord)
    assert {"worker.attributes", "achievements[].provider.accredited", "achievements[].level.value"} <= keys


# --- the snippets --------------------------------------------------------------------------------


def snippets() -> list[tuple[int, str, str, tuple[str, str] | None, str | None]]:
    """(line, language, text, marker, the ```text block after it) of every yaml/json fence."""
    found = []
    fences = list(FENCE.finditer(TEXT))
    for index, match in enumerate(fences):
        language, body = match.group(1), match.group(2)
        if language not in ("yaml", "json"):
            continue
        marker = MARKER.search(TEXT[: match.start()])
        after = fences[index + 1] if index + 1 < len(fences) else None
        output = after.group(2) if after is not None and after.group(1) == "text" else None
        line = TEXT.count("\n", 0, match.start()) + 1
        found.append((line, language, body, (marker.group(1), marker.group(2)) if marker else None, output))
    return found


SNIPPETS = snippets()


def test_the_page_has_records_errors_and_copies() -> None:
    kinds = [marker[0] if marker else "record" for _, _, _, marker, _ in SNIPPETS]
    assert kinds.count("record") >= 5
    assert kinds.count("error") >= 5
    assert kinds.count("from") >= 1


@pytest.mark.parametrize(
    ("language", "body"),
    [(language, body) for _, language, body, marker, _ in SNIPPETS if marker is None],
    ids=[f"line-{line}" for line, _, _, marker, _ in SNIPPETS if marker is None],
)
def test_every_record_snippet_loads_and_evaluates(tmp_path: Path, language: str, body: str) -> None:
    path = tmp_path / f"snippet.{language}"
    path.write_text(body, encoding="utf-8")
    records = load_records(path)
    assert records, "no record in the snippet"
    engine = Engine.load()
    for record in records:
        engine.evaluate(record, as_of=AS_OF)


@pytest.mark.parametrize(
    ("name", "body"),
    [(marker[1], body) for _, _, body, marker, _ in SNIPPETS if marker and marker[0] == "from"],
)
def test_every_copied_snippet_is_in_its_file(name: str, body: str) -> None:
    assert body in (ROOT / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "body", "output"),
    [(marker[1], body, output) for _, _, body, marker, output in SNIPPETS if marker and marker[0] == "error"],
    ids=[marker[1] for _, _, _, marker, _ in SNIPPETS if marker and marker[0] == "error"],
)
def test_every_error_example_gives_the_output_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, body: str, output: str | None
) -> None:
    assert output is not None, f"{name}: no ```text block with its output after the snippet"
    command, *expected = output.rstrip("\n").split("\n")
    assert command == f"$ creditengine evaluate {name} --as-of 2025-12-31"
    (tmp_path / name).write_text(body, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["evaluate", name, "--as-of", "2025-12-31"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stderr.rstrip("\n").split("\n") == expected


# --- limits and warnings -------------------------------------------------------------------------


def test_the_limits_table_gives_the_defaults_of_every_record_limit() -> None:
    rows = dict(re.findall(r"^\|[^|]+\| `(\w+)` \| ([^|]+) \|$", section("11. Limits"), re.M))
    record_limits = {f.name for f in dataclasses.fields(DEFAULT_LIMITS)} - {"rule_file_bytes"}
    assert set(rows) == record_limits
    for name, default in rows.items():
        assert f"{getattr(DEFAULT_LIMITS, name):,}" in default, name


@pytest.mark.parametrize(
    ("record", "warning"),
    [
        (
            {"worker": {"id": "W-1", "attributes": {"shoe_size": 42}}},
            "worker attribute shoe_size is not declared in pack.yaml; no policy reads it",
        ),
        (
            {
                "worker": {"id": "W-1"},
                "achievements": [
                    {
                        "id": "A1",
                        "type": "certificate",
                        "level": {"framework": "cn-skill", "value": 6},
                        "completed": "2024-03-01",
                    }
                ],
            },
            "A1: level 6 is not a level of framework cn-skill (levels 5, 4, 3, 2, 1)",
        ),
    ],
)
def test_the_warnings_quoted_are_the_engines(record: dict[str, Any], warning: str) -> None:
    result = Engine.load().evaluate(load_record(record), as_of=AS_OF)
    assert warning in json.loads(result.to_json())["warnings"]
    assert warning in " ".join(TEXT.split())
