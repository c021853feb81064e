"""The shipped step library for policy scenarios (``features/**/*.feature``).

Policy staff write scenarios in plain words with the steps below and no Python;
``features/README.md`` lists every step with an example, and
``test_step_library.py`` checks that the list and the definitions agree and
that no step in a feature file can be read two ways.

Steps share one :class:`Case` (the ``policy_case`` fixture): the pack, the
worker record being built, and the result once the worker is evaluated. A
failing ``Then`` step says what it expected and shows the part of the result
JSON it looked at.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml
from pytest_bdd import given, parsers, then, when

from creditengine import Engine, LedgerEntry, Outcome, RecordError, Result, RuleError, load_record
from creditengine._engine import default_pack_path  # the same default pack as the CLI's --rules
from creditengine._explain import render
from creditengine._results import Claim, Missing, TransferOutcome

ROOT = Path(__file__).resolve().parents[2]

# --- the words a step may hold -------------------------------------------------------------


class _Word:
    """A kind of word in a step pattern, as the ``parse`` library reads custom types."""

    def __init__(self, pattern: str, convert: Callable[[str], Any] = str) -> None:
        self.pattern = pattern
        self.convert = convert

    def __call__(self, text: str) -> Any:
        return self.convert(text)


# {x:Q} "quoted text", {x:N} a number (12, 7.2), {x:D} a date (2025-12-31), {x:W} one word.
# Dates stay text: an impossible date (2024-02-30) is reported by the step, not as "step not found".
_TYPES: dict[str, Callable[[str], Any]] = {
    "Q": _Word(r'[^"]+'),
    "N": _Word(r"-?\d+(?:\.\d+)?", Decimal),
    "D": _Word(r"\d{4}-\d{2}-\d{2}"),
    "W": _Word(r'[^\s"]+'),
}

F = TypeVar("F", bound=Callable[..., Any])

# Every step pattern, by kind: read by test_step_library.py to find ambiguous steps.
STEP_PATTERNS: list[tuple[str, parsers.parse]] = []


def _step(kind: str, *patterns: str) -> Callable[[F], F]:
    """Register one step function under one or more wordings ("1 point" / "2 points")."""
    decorator = {"given": given, "when": when, "then": then}[kind]

    def register(func: F) -> F:
        for pattern in patterns:
            parser = parsers.parse(pattern, extra_types=_TYPES)
            STEP_PATTERNS.append((kind, parser))
            # stacklevel=2: the step fixture must land in this module, not in this helper.
            decorator(parser, stacklevel=2)(func)
        return func

    return register


_COUNTED = re.compile(r"(\{\w+:N\} )(points|credits)\b")


def _points(pattern: str) -> tuple[str, ...]:
    """A pattern with "{x:N} points" (or "credits"), also accepted as "1 point" ("1 credit").

    Every combination of plural and singular is registered; the all-plural wording comes first.
    """
    counted = list(_COUNTED.finditer(pattern))
    assert counted, pattern
    variants = []
    for mask in range(2 ** len(counted)):
        text, end = "", 0
        for bit, match in enumerate(counted):
            word = match.group(2)
            text += pattern[end : match.start(2)] + (word[:-1] if mask >> bit & 1 else word)
            end = match.end(2)
        variants.append(text + pattern[end:])
    return tuple(variants)


# --- the scenario's state ------------------------------------------------------------------


@dataclass
class Case:
    """What one scenario has built so far."""

    pack_dir: Path | None = None
    pack_files: dict[str, str] = field(default_factory=dict)
    worker: dict[str, Any] = field(default_factory=dict)
    achievements: list[dict[str, Any]] = field(default_factory=list)
    as_of: dt.date | None = None
    result: Result | None = None
    refused: RecordError | None = None
    transfer: str | None = None  # the transfer a "the transfer is ..." step is about


@pytest.fixture
def step_patterns() -> list[tuple[str, parsers.parse]]:
    """Every step pattern of the library, with its kind (given, when, then)."""
    return STEP_PATTERNS


@pytest.fixture
def policy_case() -> Case:
    """The state one scenario's steps share."""
    return Case()


# Engines are immutable and safe to share, so each pack is loaded once per test session.
_ENGINES: dict[tuple[str, tuple[tuple[str, str], ...]], Engine] = {}


@pytest.fixture(scope="session")
def _pack_copies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("packs")


def _load_engine(case: Case, copies: Path) -> Engine:
    if case.pack_dir is None:
        raise AssertionError(
            'no rule pack: start with "Given the default rule pack" or "Given the rule pack "PATH""'
        )
    key = (str(case.pack_dir), tuple(sorted(case.pack_files.items())))
    engine = _ENGINES.get(key)
    if engine is not None:
        return engine
    root = case.pack_dir
    if case.pack_files:
        digest = hashlib.sha256(repr(key).encode()).hexdigest()[:12]
        root = copies / digest
        if not root.exists():
            shutil.copytree(case.pack_dir, root, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
            for name, text in case.pack_files.items():
                target = root / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    engine = Engine.load(root)
    _ENGINES[key] = engine
    return engine


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise AssertionError(f"{text!r} is not a real date (YYYY-MM-DD)") from None


# --- building the worker record ------------------------------------------------------------

# Achievement fields a table column or a YAML achievement may set (as in the worker record),
# with the kind of value each holds.
_FIELD_KINDS = {
    "id": "text",
    "type": "text",
    "title": "text",
    "provider.id": "text",
    "provider.name": "text",
    "provider.accredited": "flag",
    "provider.jurisdiction": "text",
    "completed": "date",
    "hours": "number",
    "industry": "text",
    "assessment.passed": "flag",
    "assessment.score": "number",
    "assessment.attendance": "number",
    "occupation": "text",
    "level.framework": "text",
    "level.value": "level",
    "credits.value": "number",
    "credits.system": "text",
    "field": "text",
    "expires": "date",
    "issuer.id": "text",
    "issuer.jurisdiction": "text",
}

# Short column names for the common fields.
_COLUMN_ALIASES = {
    "framework": "level.framework",
    "level": "level.value",
    "credits": "credits.value",
    "credit system": "credits.system",
    "provider": "provider.id",
    "accredited": "provider.accredited",
    "passed": "assessment.passed",
    "score": "assessment.score",
    "attendance": "assessment.attendance",
    "issuer": "issuer.id",
}

# A provider or issuer needs an id in a record; a scenario that does not care gets these.
_DEFAULT_IDS = {"provider": "TRAINING-PROVIDER", "issuer": "ISSUER"}


def _cell(column: str, kind: str, text: str) -> Any:
    if kind == "number":
        if not re.fullmatch(r"-?\d+(?:\.\d+)?", text):
            raise AssertionError(f"column {column!r}: {text!r} is not a number")
        return Decimal(text)
    if kind == "flag":
        flags = {"true": True, "yes": True, "false": False, "no": False}
        if text.lower() not in flags:
            raise AssertionError(f"column {column!r}: {text!r} is not yes/no (or true/false)")
        return flags[text.lower()]
    if kind == "level":
        return int(text) if text.isdigit() else text
    return text


def _achievement(fields: dict[str, Any]) -> dict[str, Any]:
    """A record achievement (nested mapping) from dotted field paths."""
    out: dict[str, Any] = {}
    for path, value in fields.items():
        head, _, tail = path.partition(".")
        if tail:
            out.setdefault(head, {})[tail] = value
        else:
            out[head] = value
    for part, default in _DEFAULT_IDS.items():
        if isinstance(out.get(part), dict):
            out[part].setdefault("id", default)
    return out


def _add(case: Case, achievement: dict[str, Any]) -> None:
    case.worker.setdefault("id", "W-1")
    case.achievements.append(achievement)


def _attribute_value(text: str) -> Any:
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return Decimal(text)
    if text in ("true", "false"):
        return text == "true"
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    return text


# --- reading the result --------------------------------------------------------------------


def _pts(value: Decimal | None) -> str:
    """Points as the result JSON writes them: 48, 7.2 (never 48.0)."""
    if value is None:
        return "none"
    return "0" if value == 0 else format(value.normalize(), "f")


def _show(fragment: Any) -> str:
    return json.dumps(fragment, indent=2, ensure_ascii=False)


def _fail(message: str, fragment: Any) -> AssertionError:
    return AssertionError(f"{message}\n--- the result says ---\n{_show(fragment)}")


def _result(case: Case) -> Result:
    if case.refused is not None:
        raise AssertionError(f"the record was refused: {case.refused}")
    if case.result is None:
        raise AssertionError('no evaluation yet: add a step "When the worker is evaluated as of YYYY-MM-DD"')
    return case.result


def _outcome(result: Result, policy: str) -> Outcome:
    try:
        return result.outcome(policy)
    except KeyError:
        raise _fail(
            f"no policy {policy!r} was evaluated on {result.as_of.isoformat()}",
            {"outcomes": [o.policy for o in result.outcomes]},
        ) from None


def _missing_items(items: Iterable[Missing]) -> Iterator[Missing]:
    """Every missing requirement, including those inside "any one of these" options."""
    for item in items:
        yield item
        for option in item.options:
            yield from _missing_items(option)


def _entries(result: Result, achievement: str) -> list[LedgerEntry]:
    entries = [e for e in result.ledger if e.achievement == achievement]
    if not entries:
        known = sorted({e.achievement for e in result.ledger} | set(result.unmatched))
        if achievement in result.unmatched:
            raise _fail(
                f"achievement {achievement!r} was not converted: no conversion rule matched it",
                {"unmatched": list(result.unmatched), "warnings": _warnings_about(result, achievement)},
            )
        raise _fail(
            f"achievement {achievement!r} is not in the ledger (the record has {', '.join(known) or 'none'})",
            {
                "ledger": [e.to_dict() for e in result.ledger],
                "warnings": [render(w) for w in result.warnings],
            },
        )
    return entries


def _warnings_about(result: Result, achievement: str) -> list[str]:
    return [render(w) for w in result.warnings if render(w).startswith(f"{achievement}:")]


def _check_status(result: Result, achievement: str, status: str, points: Decimal | None = None) -> None:
    entries = _entries(result, achievement)
    total = sum((e.points for e in entries), Decimal(0))
    statuses = {e.status for e in entries}
    if status == "capped":
        status_ok = "capped" in statuses and statuses <= {"counted", "capped"}
    else:
        status_ok = statuses == {status}
    if not status_ok or (points is not None and total != points):
        linking = "to" if status == "capped" else "for"
        want = status if points is None else f"{status} {linking} {_pts(points)} points"
        have = "/".join(sorted(statuses)) + f" with {_pts(total)} points"
        raise _fail(
            f"achievement {achievement!r}: expected {want}, but it is {have}",
            {"ledger": [e.to_dict() for e in entries]},
        )


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


_EXPLAINING = ("ledger", "derived", "outcomes", "entitlements", "transfers", "unmatched", "warnings")


def _explanation(result: Result, lang: str) -> dict[str, Any]:
    """The parts of the result that explain it: ledger, derived achievements, outcomes,
    entitlement claims, transfers, unmatched achievements and warnings."""
    data = result.to_dict(lang)
    return {key: data[key] for key in _EXPLAINING}


def _mentions(haystack: Any, text: str) -> bool:
    return any(text in s for s in _strings(haystack))


def _same_points(expected: str, actual: str) -> bool:
    try:
        return Decimal(expected) == Decimal(actual)
    except ArithmeticError:
        return expected == actual


# === Given: the rule pack =================================================================


@_step("given", "the default rule pack")
def _default_pack(policy_case: Case) -> None:
    policy_case.pack_dir = default_pack_path()
    policy_case.pack_files = {}


@_step("given", 'the rule pack "{path:Q}"')
def _named_pack(policy_case: Case, path: str) -> None:
    folder = (ROOT / path).resolve()
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
    record = load_record(ROOT / path)
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
def _evaluate(policy_case: Case, as_of: str, _pack_copies: Path) -> None:
    try:
        engine = _load_engine(policy_case, _pack_copies)
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


# === Then: policies =======================================================================


@_step("then", 'the policy "{policy:Q}" is met')
def _met(policy_case: Case, policy: str) -> None:
    outcome = _outcome(_result(policy_case), policy)
    if not outcome.met:
        raise _fail(f"policy {policy!r} is not met", outcome.to_dict())


@_step("then", 'the policy "{policy:Q}" is not met')
def _not_met(policy_case: Case, policy: str) -> None:
    outcome = _outcome(_result(policy_case), policy)
    if outcome.met:
        raise _fail(f"policy {policy!r} is met, but should not be", outcome.to_dict())


@_step("then", 'the policy "{policy:Q}" is not in force')
def _not_in_force(policy_case: Case, policy: str) -> None:
    result = _result(policy_case)
    decided = [
        *(o.to_dict() for o in result.outcomes if policy in (o.policy, o.grants)),
        *(c.to_dict() for c in result.entitlements if c.policy == policy),
        *(t.to_dict() for t in result.transfers if t.policy == policy),
    ]
    if decided:
        raise _fail(f"policy {policy!r} was in force on {result.as_of.isoformat()} and decided", decided)


@_step("then", 'the policy "{policy:Q}" is met because "{text:Q}"')
def _met_because(policy_case: Case, policy: str, text: str) -> None:
    outcome = _outcome(_result(policy_case), policy)
    if not outcome.met or not any(text in render(b) for b in outcome.because):
        raise _fail(f"expected policy {policy!r} met because {text!r}", outcome.to_dict())


def _find_missing(policy_case: Case, policy: str, requirement: str) -> Missing:
    outcome = _outcome(_result(policy_case), policy)
    if outcome.met:
        raise _fail(f"policy {policy!r} is met, but should not be", outcome.to_dict())
    items = list(_missing_items(outcome.missing))
    exact = [m for m in items if render(m.requirement) == requirement]
    partial = [m for m in items if requirement in render(m.requirement)]
    found = exact or partial
    if len(found) != 1 and not exact:
        why = "no missing requirement reads" if not found else f"{len(found)} missing requirements read"
        raise _fail(f"policy {policy!r}: {why} {requirement!r}", outcome.to_dict()["missing"])
    return found[0]


@_step("then", 'the policy "{policy:Q}" is not met because "{requirement:Q}" is missing')
def _not_met_because(policy_case: Case, policy: str, requirement: str) -> None:
    _find_missing(policy_case, policy, requirement)


@_step(
    "then",
    *_points('the policy "{policy:Q}" is not met because "{requirement:Q}" is missing {points:N} points'),
)
def _not_met_by_points(policy_case: Case, policy: str, requirement: str, points: Decimal) -> None:
    missing = _find_missing(policy_case, policy, requirement)
    if missing.need != points:
        raise _fail(
            f"policy {policy!r}: {requirement!r} is missing {_pts(missing.need)} points, not {_pts(points)}",
            missing.to_dict(),
        )


@_step("then", 'the worker holds the status "{status:Q}"')
def _holds(policy_case: Case, status: str) -> None:
    result = _result(policy_case)
    if status not in result.statuses:
        raise _fail(f"the worker does not hold the status {status!r}", {"statuses": list(result.statuses)})


@_step("then", 'the worker does not hold the status "{status:Q}"')
def _does_not_hold(policy_case: Case, status: str) -> None:
    result = _result(policy_case)
    if status in result.statuses:
        raise _fail(f"the worker holds the status {status!r}", {"statuses": list(result.statuses)})


# === Then: totals =========================================================================


@_step("then", *_points("the total is {points:N} points"))
def _total(policy_case: Case, points: Decimal) -> None:
    result = _result(policy_case)
    if result.totals.all != points:
        raise _fail(
            f"expected a total of {_pts(points)} points, got {_pts(result.totals.all)}",
            result.totals.to_dict(),
        )


@_step("then", *_points("the {category:W} total is {points:N} points"))
def _category_total(policy_case: Case, category: str, points: Decimal) -> None:
    result = _result(policy_case)
    have = result.totals.category(category)
    if have != points:
        raise _fail(
            f"expected {_pts(points)} points in {category}, got {_pts(have)}", result.totals.to_dict()
        )


# === Then: one achievement ================================================================


@_step("then", *_points('achievement "{achievement:Q}" is counted for {points:N} points'))
def _counted(policy_case: Case, achievement: str, points: Decimal) -> None:
    _check_status(_result(policy_case), achievement, "counted", points)


@_step("then", *_points('achievement "{achievement:Q}" is capped to {points:N} points'))
def _capped(policy_case: Case, achievement: str, points: Decimal) -> None:
    _check_status(_result(policy_case), achievement, "capped", points)


@_step("then", 'achievement "{achievement:Q}" is expired')
def _expired(policy_case: Case, achievement: str) -> None:
    _check_status(_result(policy_case), achievement, "expired")


@_step("then", 'achievement "{achievement:Q}" is a duplicate')
def _duplicate(policy_case: Case, achievement: str) -> None:
    _check_status(_result(policy_case), achievement, "duplicate")


@_step("then", 'achievement "{achievement:Q}" is excluded')
def _excluded(policy_case: Case, achievement: str) -> None:
    _check_status(_result(policy_case), achievement, "excluded")


@_step("then", 'achievement "{achievement:Q}" is not converted')
def _unmatched(policy_case: Case, achievement: str) -> None:
    result = _result(policy_case)
    entries = [e.to_dict() for e in result.ledger if e.achievement == achievement]
    if achievement not in result.unmatched or entries:
        raise _fail(
            f"achievement {achievement!r} was converted, but no rule should convert it",
            {"ledger": entries, "unmatched": list(result.unmatched)},
        )


@_step("then", *_points('achievement "{achievement:Q}" has a base of {points:N} points'))
def _base(policy_case: Case, achievement: str, points: Decimal) -> None:
    entries = _entries(_result(policy_case), achievement)
    base = sum((e.base for e in entries), Decimal(0))
    if base != points:
        raise _fail(
            f"achievement {achievement!r}: expected a base of {_pts(points)} points, got {_pts(base)}",
            {"ledger": [e.to_dict() for e in entries]},
        )


@_step("then", 'achievement "{achievement:Q}" is counted under {category:W}')
def _counted_under(policy_case: Case, achievement: str, category: str) -> None:
    entries = _entries(_result(policy_case), achievement)
    if {e.category for e in entries} != {category}:
        raise _fail(
            f"achievement {achievement!r}: expected category {category}",
            {"ledger": [e.to_dict() for e in entries]},
        )


def _names(rule: str, name: str) -> bool:
    # "cn-skill-certificates/by-level" names one rule; "cn-skill-certificates" any rule of that file.
    return name == rule or name.startswith(f"{rule}/")


@_step("then", 'achievement "{achievement:Q}" is converted by "{rule:Q}"')
def _converted_by(policy_case: Case, achievement: str, rule: str) -> None:
    entries = _entries(_result(policy_case), achievement)
    if not any(_names(rule, e.rule) for e in entries):
        raise _fail(
            f"achievement {achievement!r} is not converted by {rule!r}",
            {"ledger": [e.to_dict() for e in entries]},
        )


@_step("then", 'achievement "{achievement:Q}" is adjusted by "{rule:Q}"')
def _adjusted_by(policy_case: Case, achievement: str, rule: str) -> None:
    entries = _entries(_result(policy_case), achievement)
    if not any(_names(rule, a.rule) for e in entries for a in e.adjustments):
        raise _fail(
            f"achievement {achievement!r} is not adjusted by {rule!r}",
            {"ledger": [e.to_dict() for e in entries]},
        )


@_step("then", 'achievement "{achievement:Q}" is not adjusted by "{rule:Q}"')
def _not_adjusted_by(policy_case: Case, achievement: str, rule: str) -> None:
    entries = _entries(_result(policy_case), achievement)
    if any(_names(rule, a.rule) for e in entries for a in e.adjustments):
        raise _fail(
            f"achievement {achievement!r} is adjusted by {rule!r}", {"ledger": [e.to_dict() for e in entries]}
        )


# === Then: the whole ledger, explanations, warnings =======================================

_LEDGER_COLUMNS = ("achievement", "rule", "version", "base", "points", "category", "status")


@_step("then", "the ledger is:")
def _ledger(policy_case: Case, datatable: list[list[str]]) -> None:
    result = _result(policy_case)
    header, *rows = datatable
    columns = [c.strip().lower() for c in header]
    unknown = [c for c in columns if c not in _LEDGER_COLUMNS]
    if unknown:
        raise AssertionError(
            f"unknown ledger column(s) {unknown}; columns may be: {', '.join(_LEDGER_COLUMNS)}"
        )
    actual = [{c: e.to_dict()[c] for c in columns} for e in result.ledger]
    expected = [dict(zip(columns, (v.strip() for v in row), strict=True)) for row in rows]

    def same(want: dict[str, str], have: dict[str, Any]) -> bool:
        return all(
            _same_points(want[c], have[c]) if c in ("base", "points") else want[c] == have[c] for c in columns
        )

    if len(actual) != len(expected) or not all(same(w, h) for w, h in zip(expected, actual, strict=False)):
        raise _fail(f"the ledger differs; expected:\n{_show(expected)}", actual)


@_step("then", 'the explanation mentions "{text:Q}"')
def _mentions_text(policy_case: Case, text: str) -> None:
    explanation = _explanation(_result(policy_case), "en")
    if not _mentions(explanation, text):
        raise _fail(f"nothing in the explanation mentions {text!r}", explanation)


@_step("then", 'the explanation does not mention "{text:Q}"')
def _does_not_mention(policy_case: Case, text: str) -> None:
    explanation = _explanation(_result(policy_case), "en")
    if _mentions(explanation, text):
        raise _fail(f"the explanation mentions {text!r}", explanation)


@_step("then", 'the Chinese explanation mentions "{text:Q}"')
def _mentions_zh(policy_case: Case, text: str) -> None:
    explanation = _explanation(_result(policy_case), "zh")
    if not _mentions(explanation, text):
        raise _fail(f"nothing in the Chinese explanation mentions {text!r}", explanation)


@_step("then", 'there is a warning that mentions "{text:Q}"', 'there is a warning mentioning "{text:Q}"')
def _warning(policy_case: Case, text: str) -> None:
    result = _result(policy_case)
    if not any(text in render(w) for w in result.warnings):
        raise _fail(f"no warning mentions {text!r}", {"warnings": [render(w) for w in result.warnings]})


@_step("then", 'there is no warning mentioning "{text:Q}"')
def _no_warning_about(policy_case: Case, text: str) -> None:
    result = _result(policy_case)
    if any(text in render(w) for w in result.warnings):
        raise _fail(f"a warning mentions {text!r}", {"warnings": [render(w) for w in result.warnings]})


@_step("then", "there are no warnings")
def _no_warnings(policy_case: Case) -> None:
    result = _result(policy_case)
    if result.warnings:
        raise _fail("expected no warnings", {"warnings": [render(w) for w in result.warnings]})


@_step("then", 'the rule version used for "{rule:Q}" is "{version:Q}"')
def _version_used(policy_case: Case, rule: str, version: str) -> None:
    result = _result(policy_case)
    versions = dict(result.pack.versions)
    if versions.get(rule) != version:
        raise _fail(f"expected {rule!r} version {version!r}", {"pack": result.pack.to_dict()})


# === Then: derived achievements (equivalence) =============================================


def _derived(result: Result) -> list[dict[str, Any]]:
    return [d.to_dict() for d in result.derived]


@_step("then", 'achievement "{derived:Q}" is derived from "{source:Q}" by "{rule:Q}"')
def _derived_from(policy_case: Case, derived: str, source: str, rule: str) -> None:
    result = _result(policy_case)
    found = [d for d in result.derived if d.id == derived]
    if not found:
        raise _fail(f"no achievement {derived!r} was derived", {"derived": _derived(result)})
    item = found[0]
    if source not in item.sources or not _names(rule, item.rule):
        raise _fail(
            f"achievement {derived!r} is not derived from {source!r} by {rule!r}",
            {"derived": [item.to_dict()]},
        )


@_step("then", 'nothing is derived from "{source:Q}"')
def _nothing_derived(policy_case: Case, source: str) -> None:
    result = _result(policy_case)
    found = [d.to_dict() for d in result.derived if source in d.sources]
    if found:
        raise _fail(f"achievements were derived from {source!r}", {"derived": found})


# === Then: entitlements ===================================================================


def _claims_for(result: Result, achievement: str) -> list[Claim]:
    return [c for c in result.entitlements if achievement in c.sources]


def _of_policy(policy: str, claim: Claim) -> bool:
    # An entitlement is named by its file id ("skill-upgrade-subsidy") or by the rule that priced
    # the claim ("skill-upgrade-subsidy/by-level").
    return policy == claim.policy or _names(policy, claim.rule)


@_step("then", 'the worker is granted {amount:N} {currency:W} by "{policy:Q}" for "{achievement:Q}"')
def _granted(policy_case: Case, amount: Decimal, currency: str, policy: str, achievement: str) -> None:
    result = _result(policy_case)
    claims = _claims_for(result, achievement)
    fitting = [
        c
        for c in claims
        if c.status == "granted" and _of_policy(policy, c) and c.amount == amount and c.currency == currency
    ]
    if not fitting:
        raise _fail(
            f"expected {_pts(amount)} {currency} granted by {policy!r} for {achievement!r}",
            {"entitlements": [c.to_dict() for c in claims or result.entitlements]},
        )


@_step("then", 'the worker is granted {amount:N} {currency:W} in all by "{policy:Q}"')
def _granted_in_all(policy_case: Case, amount: Decimal, currency: str, policy: str) -> None:
    result = _result(policy_case)
    claims = [c for c in result.entitlements if c.policy == policy]
    granted = [c for c in claims if c.status == "granted"]
    total = sum((c.amount for c in granted), Decimal(0))
    currencies = {c.currency for c in granted}
    if total != amount or (granted and currencies != {currency}):
        have = f"{_pts(total)} {'/'.join(sorted(currencies)) or currency}"
        raise _fail(
            f"expected {_pts(amount)} {currency} in all from {policy!r}, got {have}",
            {"entitlements": [c.to_dict() for c in claims]},
        )


@_step("then", 'the claim for "{achievement:Q}" is refused by "{rule:Q}"')
def _claim_refused(policy_case: Case, achievement: str, rule: str) -> None:
    result = _result(policy_case)
    claims = _claims_for(result, achievement)
    if not any(c.status == "refused" and _names(rule, c.rule) for c in claims):
        why = "there is no claim" if not claims else "no claim was refused by that rule"
        raise _fail(
            f"expected the claim for {achievement!r} refused by {rule!r}, but {why}",
            {"entitlements": [c.to_dict() for c in claims or result.entitlements]},
        )


@_step("then", 'there is no claim for "{achievement:Q}"')
def _no_claim(policy_case: Case, achievement: str) -> None:
    claims = _claims_for(_result(policy_case), achievement)
    if claims:
        raise _fail(f"there is a claim for {achievement!r}", {"entitlements": [c.to_dict() for c in claims]})


# === Then: credit transfer ================================================================


def _transfers(result: Result) -> list[dict[str, Any]]:
    return [t.to_dict() for t in result.transfers]


def _named_transfer(case: Case, policy: str) -> TransferOutcome:
    result = _result(case)
    found = [t for t in result.transfers if t.policy == policy]
    if not found:
        raise _fail(
            f"no transfer {policy!r} was decided on {result.as_of.isoformat()}",
            {"transfers": [t.policy for t in result.transfers]},
        )
    case.transfer = policy
    return found[0]


def _the_transfer(case: Case) -> TransferOutcome:
    """The transfer last named by a step, or the only transfer in force."""
    result = _result(case)
    if case.transfer is not None:
        return _named_transfer(case, case.transfer)
    if len(result.transfers) != 1:
        raise _fail(
            f"{len(result.transfers)} transfers were decided: name one first, "
            'e.g. Then "POLICY" recognises N credits',
            {"transfers": [t.policy for t in result.transfers]},
        )
    return result.transfers[0]


@_step("then", *_points('"{policy:Q}" recognises {credits:N} credits'))
def _recognises(policy_case: Case, policy: str, credits: Decimal) -> None:
    transfer = _named_transfer(policy_case, policy)
    if transfer.credits != credits:
        raise _fail(
            f"{policy!r} recognises {_pts(transfer.credits)} credits, not {_pts(credits)}", transfer.to_dict()
        )


@_step("then", *_points('"{policy:Q}" recognises {credits:N} credits from {points:N} points'))
def _recognises_from_points(policy_case: Case, policy: str, credits: Decimal, points: Decimal) -> None:
    transfer = _named_transfer(policy_case, policy)
    if transfer.from_points != credits or transfer.points != points:
        raise _fail(
            f"expected {_pts(credits)} credits from {_pts(points)} points; {policy!r} has "
            f"{_pts(transfer.from_points)} credits from {_pts(transfer.points)} points",
            transfer.to_dict(),
        )


@_step("then", 'course "{course:Q}" is exempted by "{achievement:Q}"')
def _exempted(policy_case: Case, course: str, achievement: str) -> None:
    transfer = _the_transfer(policy_case)
    if not any(e.code == course and e.by == achievement for e in transfer.exemptions):
        raise _fail(f"course {course!r} is not exempted by {achievement!r}", transfer.to_dict())


@_step("then", 'course "{course:Q}" is not exempted')
def _not_exempted(policy_case: Case, course: str) -> None:
    transfer = _the_transfer(policy_case)
    if any(e.code == course for e in transfer.exemptions):
        raise _fail(f"course {course!r} is exempted", transfer.to_dict())


@_step("then", "the transfer is capped")
def _transfer_capped(policy_case: Case) -> None:
    transfer = _the_transfer(policy_case)
    if transfer.status != "granted" or not transfer.capped:
        raise _fail(f"the transfer {transfer.policy!r} is not capped", transfer.to_dict())


@_step("then", "the transfer is not capped")
def _transfer_not_capped(policy_case: Case) -> None:
    transfer = _the_transfer(policy_case)
    if transfer.status != "granted" or transfer.capped:
        raise _fail(f"the transfer {transfer.policy!r} is capped or refused", transfer.to_dict())


@_step("then", "the transfer is refused")
def _transfer_refused(policy_case: Case) -> None:
    transfer = _the_transfer(policy_case)
    if transfer.status != "refused":
        raise _fail(f"the transfer {transfer.policy!r} is granted", transfer.to_dict())


@_step("then", 'the transfer is refused because "{text:Q}"')
def _transfer_refused_because(policy_case: Case, text: str) -> None:
    transfer = _the_transfer(policy_case)
    if transfer.status != "refused" or text not in render(transfer.reason):
        raise _fail(f"expected the transfer {transfer.policy!r} refused because {text!r}", transfer.to_dict())


# === Then: refusals =======================================================================


@_step("then", 'the record is refused because "{text:Q}"')
def _record_refused(policy_case: Case, text: str) -> None:
    if policy_case.refused is None:
        raise AssertionError("the record was accepted, but should have been refused")
    if text not in str(policy_case.refused):
        raise AssertionError(f"the record was refused, but not because {text!r}:\n{policy_case.refused}")


@_step("then", "the rule pack is valid")
def _pack_valid(policy_case: Case, _pack_copies: Path) -> None:
    try:
        _load_engine(policy_case, _pack_copies)
    except RuleError as exc:
        raise AssertionError(f"the rule pack does not load:\n{exc}") from None


@_step("then", 'the rule pack is refused because "{text:Q}"')
def _pack_refused(policy_case: Case, text: str, _pack_copies: Path) -> None:
    try:
        _load_engine(policy_case, _pack_copies)
    except RuleError as exc:
        if text not in str(exc):
            raise AssertionError(f"the rule pack was refused, but not because {text!r}:\n{exc}") from None
        return
    raise AssertionError("the rule pack loads, but should have been refused")
