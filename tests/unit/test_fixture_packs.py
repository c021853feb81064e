"""The fixture packs of tests/packs/ are good examples too: each rule file fits its kind's published
JSON Schema (schemas/), every rule cites its source, and each pack loads."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from packtools import PACKS, fixture_engine

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = {
    p.name.removesuffix(".schema.json"): json.loads(p.read_text()) for p in (ROOT / "schemas").glob("*.json")
}
NAMES = sorted(p.name for p in PACKS.iterdir() if (p / "pack.yaml").is_file())
RULE_FILES = sorted(PACKS.glob("*/*/*.yaml"))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_there_is_a_fixture_pack_per_construct() -> None:
    assert NAMES == [
        "caps",
        "entitlements",
        "equivalence",
        "language",
        "level-maps",
        "lint",
        "transfer",
        "transitional",
    ]


@pytest.mark.parametrize("name", NAMES)
def test_each_fixture_pack_loads(name: str) -> None:
    pack = fixture_engine(name).pack
    assert pack.name == f"{name}-fixture"


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: f"{p.parts[-3]}/{p.parts[-2]}/{p.name}")
def test_each_rule_file_fits_its_schema_and_cites_its_source(path: Path) -> None:
    for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
        data = _jsonable(document)
        jsonschema.validate(data, SCHEMAS[data["kind"]])
        assert data.get("reference"), path
        for rule in [*data.get("rules", []), *data.get("exemptions", [])]:
            assert rule.get("reference"), (path, rule["id"])


@pytest.mark.parametrize("name", NAMES)
def test_each_pack_yaml_fits_the_pack_schema(name: str) -> None:
    data = _jsonable(yaml.safe_load((PACKS / name / "pack.yaml").read_text(encoding="utf-8")))
    jsonschema.validate(data, SCHEMAS["pack"])
    assert data.get("reference")
