"""``creditengine schema``: the JSON Schemas of rule files, worker records and results."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import Result

from creditengine import json_schemas

Run = Callable[..., Result]
ROOT = Path(__file__).resolve().parents[2]
NAMES = [
    "accreditation",
    "adjustment",
    "conversion",
    "entitlement",
    "equivalence",
    "pack",
    "result",
    "transfer",
    "worker-record",
]


def test_schema_prints_every_schema_as_json(run: Run) -> None:
    result = run("schema")
    assert result.exit_code == 0, result.stderr
    schemas = json.loads(result.stdout)
    assert sorted(schemas) == NAMES
    for name, body in schemas.items():
        assert body["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert body["$id"].endswith(f"/{name}.schema.json")
        assert body["type"] == "object"


def test_schema_out_writes_one_file_per_schema(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out" / "schemas"
    result = run("schema", "--out", out)
    assert result.exit_code == 0, result.stderr
    assert "wrote 9 schemas" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == [f"{n}.schema.json" for n in NAMES]
    printed = json.loads(run("schema").stdout)
    for name in NAMES:
        assert json.loads((out / f"{name}.schema.json").read_text(encoding="utf-8")) == printed[name]


def test_the_committed_schemas_match_the_models(run: Run, tmp_path: Path) -> None:
    run("schema", "--out", tmp_path)
    for name in NAMES:
        committed = ROOT / "schemas" / f"{name}.schema.json"
        assert committed.read_text(encoding="utf-8") == (tmp_path / f"{name}.schema.json").read_text(
            encoding="utf-8"
        ), f"schemas/{name}.schema.json is stale: run `make schema`"


def test_worker_records_and_rule_files_refuse_unknown_keys() -> None:
    schemas = json_schemas()
    for name in ("worker-record", "pack", "conversion", "adjustment", "accreditation"):
        assert schemas[name]["additionalProperties"] is False, name
    record = schemas["worker-record"]
    assert record["required"] == ["worker"]


def test_the_result_schema_requires_the_spec_keys() -> None:
    result = json_schemas()["result"]
    assert set(result["required"]) >= {"worker", "as_of", "pack", "ledger", "totals", "outcomes", "warnings"}
    assert set(result["properties"]) == {
        "worker",
        "as_of",
        "pack",
        "ledger",
        "totals",
        "derived",
        "outcomes",
        "entitlements",
        "transfers",
        "unmatched",
        "warnings",
        "warning_reasons",
        "explanation",  # only with evaluate --explain, so not required
    }
    assert "explanation" not in result["required"]


def test_every_reason_in_the_result_schema_carries_a_code_and_params() -> None:
    defs = json_schemas()["result"]["$defs"]
    for name in ("AdjustmentOut", "MissingOut", "ClaimOut", "TransferOut", "ReasonOut", "ChangeOut"):
        assert {"code", "params"} <= set(defs[name]["required"]), name
    assert "because_reasons" in defs["OutcomeOut"]["required"]
