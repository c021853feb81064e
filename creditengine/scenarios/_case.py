"""What the steps share: the words a step may hold, the scenario's state, reading the result.

Steps share one :class:`Case` (the ``policy_case`` fixture): the pack, the
worker record being built, and the result once the worker is evaluated. A
failing ``Then`` step raises :class:`StepFailed`: what it expected, what it
found, and the part of the result JSON it looked at.

Paths in steps (a fixture pack, a worker record) are read from the folder the
scenarios are run in: the repository root for this repository's own scenarios.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pytest_bdd import given, parsers, then, when

from creditengine import Engine, LedgerEntry, Outcome, RecordError, Result
from creditengine._engine import EngineName, default_pack_path  # the same default pack as the CLI's --rules
from creditengine._explain import render
from creditengine._results import Missing

from . import _coverage

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
_ENGINES: dict[tuple[str, str, tuple[tuple[str, str], ...]], Engine] = {}
#: The evaluator scenarios run under (``scenarios.run(engine=...)``, ``creditengine test --engine``).
EVALUATOR: ContextVar[EngineName] = ContextVar("creditengine_scenario_engine", default="compiled")


@pytest.fixture(scope="session")
def scenario_pack_copies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where packs with a scenario's own rule files are copied (one folder per pack and files)."""
    return tmp_path_factory.mktemp("packs")


def default_pack_dir() -> Path:
    """The pack "Given the default rule pack" means: the packaged one, or ``--rules`` of the run."""
    recorder = _coverage.active()
    if recorder is not None and recorder.default_pack is not None:
        return recorder.default_pack
    return default_pack_path()


def _load_engine(case: Case, copies: Path) -> Engine:
    if case.pack_dir is None:
        raise AssertionError(
            'no rule pack: start with "Given the default rule pack" or "Given the rule pack "PATH""'
        )
    evaluator = EVALUATOR.get()
    key = (evaluator, str(case.pack_dir), tuple(sorted(case.pack_files.items())))
    engine = _ENGINES.get(key)
    if engine is not None:
        return _used(case, engine)
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
    engine = Engine.load(root, engine=evaluator)
    _ENGINES[key] = engine
    return _used(case, engine)


def _used(case: Case, engine: Engine) -> Engine:
    recorder = _coverage.active()
    if recorder is not None and case.pack_dir is not None:
        recorder.pack_used(case.pack_dir, engine.pack, case.pack_files)
    return engine


def evaluated(case: Case, engine: Engine, result: Result) -> None:
    """Tell the run's coverage recorder (if any) which rules decided ``result``."""
    recorder = _coverage.active()
    if recorder is not None and case.pack_dir is not None:
        recorder.evaluated(case.pack_dir, engine.pack, result, case.pack_files)


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


class StepFailed(AssertionError):
    """A ``Then`` step that does not hold: what it expected, what it found, and the part of the
    result it looked at (JSON). ``str()`` gives all three, as pytest shows them."""

    def __init__(self, message: str, fragment: Any, *, expected: str = "", actual: str = "") -> None:
        self.message = message
        self.expected = expected
        self.actual = actual or message
        self.result = _show(fragment)
        super().__init__(f"{message}\n--- the result says ---\n{self.result}")


def _fail(message: str, fragment: Any, *, expected: str = "", actual: str = "") -> StepFailed:
    return StepFailed(message, fragment, expected=expected, actual=actual)


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
            expected=f'achievement "{achievement}" {want}',
            actual=f'achievement "{achievement}" {have}',
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
