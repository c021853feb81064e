"""creditengine: a credit accumulation and accreditation rules engine for skill banks.

>>> from datetime import date
>>> from creditengine import Engine, load_record
>>> engine = Engine.load()                                        # doctest: +SKIP
>>> result = engine.evaluate(load_record("worker.yaml"), as_of=date(2025, 12, 31))  # doctest: +SKIP
"""

from ._advice import Explanation
from ._engine import Engine
from ._errors import (
    BackendUnavailableError,
    BankUnavailableError,
    CreditEngineError,
    EvaluationError,
    ExpressionError,
    RecordError,
    RuleError,
    RuleSchemaError,
    RuleSyntaxError,
    StoreError,
)
from ._limits import Limits
from ._lint import LintFinding, LintReport, lint
from ._population import generate_population
from ._record import Achievement, WorkerRecord, load_record, load_records
from ._results import LedgerEntry, Outcome, Result, Totals
from ._source import SourceLocation

__all__ = [
    "Achievement",
    "BackendUnavailableError",
    "Bank",
    "BankUnavailableError",
    "CreditEngineError",
    "Engine",
    "EvaluationError",
    "EvaluationReport",
    "Explanation",
    "ExpressionError",
    "ImportReport",
    "LedgerEntry",
    "Limits",
    "LintFinding",
    "LintReport",
    "Outcome",
    "RecordError",
    "Result",
    "RuleError",
    "RuleSchemaError",
    "RuleSyntaxError",
    "SourceLocation",
    "StoreError",
    "StoredEvaluation",
    "Totals",
    "WorkerRecord",
    "generate_population",
    "json_schemas",
    "lint",
    "load_record",
    "load_records",
]

__version__ = "0.1.0"

_LAZY = {"json_schemas"}  # loaded on first use: one-record commands never build schemas
# The bank (SQLAlchemy, SQLModel, Alembic: about a second to import) is loaded on first use too.
_BANK = {"Bank", "EvaluationReport", "ImportReport", "StoredEvaluation"}
_LAZY |= _BANK


def __getattr__(name: str) -> object:
    if name in _BANK:
        from . import _bank

        for public in _BANK:
            getattr(_bank, public).__module__ = "creditengine"
            globals()[public] = getattr(_bank, public)
        return globals()[name]
    if name == "json_schemas":
        from ._schemas import json_schemas

        json_schemas.__module__ = "creditengine"
        globals()[name] = json_schemas
        return json_schemas
    raise AttributeError(f"module 'creditengine' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _LAZY)


# Public names report the package, not the private module they live in (as httpx does).
for _name in __all__:
    if _name not in _LAZY:
        globals()[_name].__module__ = "creditengine"
del _name
