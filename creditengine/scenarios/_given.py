"""Given and When steps: the rule pack, the worker and what they have learned, the evaluation."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml

from creditengine import RecordError, RuleError, load_record

from ._case import (
    _COLUMN_ALIASES,
    _DEFAULT_IDS,
    _FIELD_KINDS,
    Case,
    _achievement,
    _add,
    _attribute_value,
    _cell,
    _date,
    _load_engine,
    _step,
    default_pack_dir,
    evaluated,
)

# === Given: the rule pack =================================================================


@_step("given", "the default rule pack")
def _default_pack(policy_case: Case) -> None:
    policy_case.pack_dir = default_pack_dir()
    policy_case.pack_files = {}


@_step("given", 'the rule pack "{path:Q}"')
def _named_pack(policy_case: Case, path: str) -> None:
    folder = Path(path).resolve()
    if not (folder / "pack.yaml").is_file():
        raise AssertionError(f"{path!r} is not a rule pack folder (no pack.yaml in {folder})")
    policy_case.pack_dir = folder
    policy_case.pack_files = {}


@_step("given", 'the pack has the rule file "{name:Q}":')
def _pack_file(policy_case: Case, name: str, docstring: str) -> None:
    if policy_case.pack_dir is None:
        raise AssertionError('say which pack first: "Given the default rule pack"')
    if Path(name).is_absolute() or ".." in Path(name).parts:
        raise AssertionError(f"{name!r}: give a path inside the pack, such as policies/my-policy.yaml")
    policy_case.pack_files[name] = docstring + "\n"


# === Given: the worker ====================================================================


@_step("given", 'a worker "{worker:Q}"')
def _worker(policy_case: Case, worker: str) -> None:
    policy_case.worker = {"id": worker}
    policy_case.achievements = []


@_step("given", 'the worker record "{path:Q}"')
def _worker_record(policy_case: Case, path: str) -> None:
    record = load_record(Path(path))
    policy_case.worker = record.worker.model_dump(exclude_none=True)
    policy_case.achievements = [a.model_dump(exclude_none=True) for a in record.achievements]


def _set_attribute(case: Case, name: str, value: str) -> None:
    """Set a worker attribute; a dotted name ("programme.track") nests in the record."""
    case.worker.setdefault("id", "W-1")
    node = case.worker.setdefault("attributes", {})
    *parents, last = name.split(".")
    for part in parents:
        inner = node.setdefault(part, {})
        if not isinstance(inner, dict):
            raise AssertionError(f"attribute {name!r}: {part!r} already has the value {inner!r}")
        node = inner
    node[last] = _attribute_value(value.strip())


@_step("given", 'the worker attribute "{name:Q}" is {value}')
def _attribute(policy_case: Case, name: str, value: str) -> None:
    _set_attribute(policy_case, name, value)


@_step("given", "the worker has these attributes:")
def _attribute_table(policy_case: Case, datatable: list[list[str]]) -> None:
    header, *rows = datatable
    if [c.strip().lower() for c in header] != ["attribute", "value"]:
        raise AssertionError(f"the attribute table has the columns | attribute | value |, not {header}")
    for name, value in rows:
        _set_attribute(policy_case, name.strip(), value)


@_step(
    "given",
    'the worker has a certificate "{achievement:Q}" in occupation "{occupation:Q}"'
    " at {framework:W} level {level:W} in {industry:W} completed on {completed:D}",
)
def _certificate(
    policy_case: Case,
    achievement: str,
    occupation: str,
    framework: str,
    level: str,
    industry: str,
    completed: str,
) -> None:
    _add(
        policy_case,
        {
            "id": achievement,
            "type": "certificate",
            "occupation": occupation,
            "level": {"framework": framework, "value": _cell("level", "level", level)},
            "industry": industry,
            "completed": _date(completed).isoformat(),
        },
    )


@_step(
    "given",
    'the worker has a certificate "{achievement:Q}" titled "{title:Q}" issued in {jurisdiction:W}'
    " at {framework:W} level {level:W} in {industry:W} completed on {completed:D}",
)
def _titled_certificate(
    policy_case: Case,
    achievement: str,
    title: str,
    jurisdiction: str,
    framework: str,
    level: str,
    industry: str,
    completed: str,
) -> None:
    _add(
        policy_case,
        {
            "id": achievement,
            "type": "certificate",
            "title": title,
            "level": {"framework": framework, "value": _cell("level", "level", level)},
            "industry": industry,
            "completed": _date(completed).isoformat(),
            "issuer": {"id": _DEFAULT_IDS["issuer"], "jurisdiction": jurisdiction},
        },
    )


@_step(
    "given",
    'the worker has an accredited course "{achievement:Q}" of {hours:N} hours in {industry:W}'
    " completed on {completed:D}",
)
def _course(policy_case: Case, achievement: str, hours: Decimal, industry: str, completed: str) -> None:
    _add(
        policy_case,
        {
            "id": achievement,
            "type": "course",
            "provider": {"id": _DEFAULT_IDS["provider"], "accredited": True},
            "assessment": {"passed": True},
            "hours": hours,
            "industry": industry,
            "completed": _date(completed).isoformat(),
        },
    )


@_step(
    "given",
    'the worker has a formal credit "{achievement:Q}" of {credits:N} {system:W} credits in {field:W}'
    " completed on {completed:D}",
)
def _formal_credit(
    policy_case: Case, achievement: str, credits: Decimal, system: str, field: str, completed: str
) -> None:
    _add(
        policy_case,
        {
            "id": achievement,
            "type": "formal_credit",
            "credits": {"value": credits, "system": system},
            "field": field,
            "completed": _date(completed).isoformat(),
        },
    )


@_step(
    "given",
    'the worker has a qualification "{achievement:Q}" at {framework:W} level {level:W}'
    " with {credits:N} {system:W} credits in {field:W} completed on {completed:D}",
)
def _qualification(
    policy_case: Case,
    achievement: str,
    framework: str,
    level: str,
    credits: Decimal,
    system: str,
    field: str,
    completed: str,
) -> None:
    _add(
        policy_case,
        {
            "id": achievement,
            "type": "qualification",
            "level": {"framework": framework, "value": _cell("level", "level", level)},
            "credits": {"value": credits, "system": system},
            "field": field,
            "completed": _date(completed).isoformat(),
        },
    )


@_step("given", "the worker has these achievements:")
def _achievement_table(policy_case: Case, datatable: list[list[str]]) -> None:
    header, *rows = datatable
    columns = []
    for name in header:
        key = " ".join(name.strip().lower().replace("_", " ").split())
        path = _COLUMN_ALIASES.get(key, key.replace(" ", "_"))
        if path not in _FIELD_KINDS:
            known = sorted(set(_FIELD_KINDS) | set(_COLUMN_ALIASES))
            raise AssertionError(f"unknown column {name!r}; columns may be: {', '.join(known)}")
        columns.append(path)
    for row in rows:
        fields = {
            path: _cell(path, _FIELD_KINDS[path], text.strip())
            for path, text in zip(columns, row, strict=True)
            if text.strip()
        }
        _add(policy_case, _achievement(fields))


@_step("given", "the worker has this achievement:")
def _achievement_yaml(policy_case: Case, docstring: str) -> None:
    data = yaml.safe_load(docstring)
    items = data if isinstance(data, list) else [data]
    for item in items:
        if not isinstance(item, dict):
            raise AssertionError(f"expected an achievement as a YAML mapping, got: {item!r}")
        _add(policy_case, item)


# === When =================================================================================


@_step("when", "the worker is evaluated as of {as_of:D}")
def _evaluate(policy_case: Case, as_of: str, scenario_pack_copies: Path) -> None:
    try:
        engine = _load_engine(policy_case, scenario_pack_copies)
    except RuleError as exc:
        raise AssertionError(f"the rule pack does not load:\n{exc}") from None
    day = _date(as_of)
    policy_case.as_of = day
    policy_case.worker.setdefault("id", "W-1")
    try:
        record = load_record({"worker": policy_case.worker, "achievements": policy_case.achievements})
        policy_case.result = engine.evaluate(record, as_of=day)
    except RecordError as exc:
        policy_case.refused = exc
        return
    evaluated(policy_case, engine, policy_case.result)


# The step fixtures pytest-bdd made above, for steps.py to gather.
__all__ = sorted(name for name in globals() if name.startswith("pytestbdd_"))
