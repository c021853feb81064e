"""docs/editor.md tells the truth about the shipped schemas.

The settings mapping it shows gives every shipped rule file, pack.yaml and example record
the schema of its kind, each file fits that schema, the modeline paths it gives exist, and the
jsonschema messages it quotes for a misspelt key are the real ones.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "editor.md").read_text(encoding="utf-8")
SHIPPED = sorted(
    p.relative_to(ROOT).as_posix()
    for p in [*(ROOT / "rules").rglob("*.yaml"), *(ROOT / "examples").glob("*.yaml")]
)


def _jsonable(value: Any) -> Any:
    """YAML as an editor sees it: text keys, dates as ISO strings."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def mapping() -> dict[str, list[str]]:
    [block] = [m for m in re.findall(r"^```json\n(.*?)^```$", DOC, re.S | re.M) if '"yaml.schemas"' in m]
    schemas: dict[str, list[str]] = json.loads(block)["yaml.schemas"]
    return schemas


def schema_for(path: str) -> list[str]:
    """The schemas whose patterns match ``path`` (``**/`` also matching no folder, as globs do)."""
    found = []
    for schema, patterns in mapping().items():
        for pattern in patterns:
            if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, pattern.replace("**/", "")):
                found.append(schema)
    return found


def load(path: str) -> Any:
    return _jsonable(yaml.safe_load((ROOT / path).read_text(encoding="utf-8")))


def test_every_schema_in_the_mapping_is_shipped() -> None:
    for schema in mapping():
        assert (ROOT / schema).is_file(), schema


@pytest.mark.parametrize("path", SHIPPED)
def test_the_mapping_gives_each_shipped_file_the_schema_of_its_kind(path: str) -> None:
    [schema] = schema_for(path)
    data = load(path)
    if path.startswith("examples/"):
        expected = "worker-record"
    elif path == "rules/pack.yaml":
        expected = "pack"
    else:
        expected = data["kind"]
    assert schema == f"./schemas/{expected}.schema.json"
    jsonschema.validate(data, json.loads((ROOT / schema).read_text(encoding="utf-8")))


def test_the_modeline_paths_exist_from_the_files_they_are_for() -> None:
    assert "# yaml-language-server: $schema=../../schemas/accreditation.schema.json" in DOC
    assert (ROOT / "rules" / "policies" / "../../schemas/accreditation.schema.json").is_file()
    for folder, target in [("conversions", "conversion"), ("adjustments", "adjustment")]:
        assert f"`../../schemas/{target}.schema.json`" in DOC
        assert (ROOT / "rules" / folder / f"../../schemas/{target}.schema.json").is_file()
    assert "`../schemas/pack.schema.json`" in DOC
    assert (ROOT / "rules" / "../schemas/pack.schema.json").is_file()


def errors(schema: str, data: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(json.loads((ROOT / "schemas" / schema).read_text()))
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)]


def test_the_quoted_jsonschema_messages_for_a_misspelt_key_are_real() -> None:
    text = (ROOT / "rules" / "adjustments" / "caps-and-validity.yaml").read_text(encoding="utf-8")
    old = "applies_to: {type: course}\n    expire_after"
    assert old in text
    rule = _jsonable(yaml.safe_load(text.replace(old, "applies_to: {type: course}\n    expire_aftr", 1)))
    record = {"worker": {"id": "W-1", "insurance_months": 18}}
    quoted = [
        *errors("adjustment.schema.json", rule),
        *errors("worker-record.schema.json", record),
    ]
    assert quoted == [
        "$.rules[2]: Additional properties are not allowed ('expire_aftr' was unexpected)",
        "$.worker: Additional properties are not allowed ('insurance_months' was unexpected)",
    ]
    for line in quoted:
        assert line in DOC
