"""The published JSON Schemas accept every shipped rule file, example record and result,
so editors that validate YAML against schemas/ agree with the engine."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from creditengine import Engine, load_records

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = {
    p.name.removesuffix(".schema.json"): json.loads(p.read_text()) for p in (ROOT / "schemas").glob("*.json")
}


def _jsonable(value: Any) -> Any:
    """YAML as a JSON document would hold it: text keys, dates as ISO strings."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


RULE_FILES = sorted((ROOT / "rules").glob("*/*.yaml"))


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_every_shipped_rule_file_fits_its_kinds_schema(path: Path) -> None:
    for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
        data = _jsonable(document)
        jsonschema.validate(data, SCHEMAS[data["kind"]])


def test_pack_yaml_fits_the_pack_schema() -> None:
    data = _jsonable(yaml.safe_load((ROOT / "rules" / "pack.yaml").read_text(encoding="utf-8")))
    jsonschema.validate(data, SCHEMAS["pack"])


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_and_its_result_fit_their_schemas(path: Path) -> None:
    for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
        jsonschema.validate(_jsonable(document), SCHEMAS["worker-record"])
    engine = Engine.load()
    for record in load_records(path):
        result = engine.evaluate(record, as_of=dt.date(2025, 12, 31))
        jsonschema.validate(json.loads(result.to_json()), SCHEMAS["result"])
