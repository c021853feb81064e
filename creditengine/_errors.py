"""The exception hierarchy. Every error knows where its input came from.

::

    CreditEngineError
    ├── RuleError            a pack or rule file; .location
    │   ├── RuleSyntaxError  YAML unreadable or refused (limits, tags, duplicate keys)
    │   ├── RuleSchemaError  YAML does not fit the model
    │   └── ExpressionError  a condition or formula fails to parse or type-check
    ├── RecordError          a worker record; .location
    ├── EvaluationError      deciding; .worker, .rule, .location
    ├── StoreError           the skill bank
    │   └── BankUnavailableError  the database cannot be reached, or is not a bank of this release
    └── BackendUnavailableError  an evaluator's library cannot be imported here

``str(error)`` is ``FILE:LINE:COL: message`` (one line per problem when an
error gathers several, so every problem in a pack is shown at once).
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType

from ._source import SourceLocation

__all__ = [
    "BackendUnavailableError",
    "BankUnavailableError",
    "CreditEngineError",
    "EvaluationError",
    "ExpressionError",
    "Problem",
    "RecordError",
    "RuleContext",
    "RuleError",
    "RuleSchemaError",
    "RuleSyntaxError",
    "StoreError",
]


class Problem:
    """One located message; errors hold one or more."""

    __slots__ = ("location", "message")

    def __init__(self, location: SourceLocation | None, message: str) -> None:
        self.location = location
        self.message = message

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        field = self.location.field
        where = f" (at {field})" if field and field not in self.message else ""
        return f"{self.location}: {self.message}{where}"

    def __repr__(self) -> str:
        return f"Problem({self.location!r}, {self.message!r})"

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        if loc is None:
            return ("", 0, 0, self.message)
        return (loc.file, loc.line, loc.column, self.message)


class CreditEngineError(Exception):
    """Root of every error creditengine raises on bad input or a failed operation."""

    def __init__(
        self,
        message: str,
        *,
        location: SourceLocation | None = None,
        problems: Sequence[Problem] = (),
    ) -> None:
        self.problems: list[Problem] = (
            sorted(problems, key=Problem.sort_key) if problems else [Problem(location, message)]
        )
        self.location = location if location is not None else self.problems[0].location
        self.message = message if not problems else self.problems[0].message
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class RuleError(CreditEngineError):
    """A rule pack or rule file is invalid."""


class RuleSyntaxError(RuleError):
    """A rule file is not readable YAML, or uses YAML that is refused."""


class RuleSchemaError(RuleError):
    """A rule file's content does not fit the rule language."""


class ExpressionError(RuleError):
    """A condition or formula fails to parse or type-check."""


class RecordError(CreditEngineError):
    """A worker record is invalid."""


class EvaluationError(CreditEngineError):
    """Evaluation of a record failed; carries the worker and rule involved."""

    def __init__(
        self,
        message: str,
        *,
        worker: str | None = None,
        rule: str | None = None,
        location: SourceLocation | None = None,
    ) -> None:
        self.worker = worker
        self.rule = rule
        self.detail = message
        parts = []
        if worker:
            parts.append(f"worker {worker}")
        if rule:
            parts.append(f"rule {rule}")
        prefix = f"{', '.join(parts)}: " if parts else ""
        super().__init__(prefix + message, location=location)

    def located(
        self, *, worker: str | None = None, rule: str | None = None, location: SourceLocation | None = None
    ) -> EvaluationError:
        """This error with the worker, rule and location it does not name yet filled in."""
        return EvaluationError(
            self.detail,
            worker=self.worker or worker,
            rule=self.rule or rule,
            location=self.location or location,
        )


class RuleContext:
    """Apply one rule: a failure inside names the rule and where it is written.

    Decimal arithmetic that fails (``InvalidOperation``, ``DivisionByZero``, ``Overflow``:
    all ``ArithmeticError``) becomes an :class:`EvaluationError`; an ``EvaluationError``
    raised inside gets the rule and location it lacks. The evaluator adds the worker.
    A class, not a generator: it wraps every rule applied to every achievement.
    """

    __slots__ = ("location", "rule")

    def __init__(self, rule: str, location: SourceLocation | None) -> None:
        self.rule = rule
        self.location = location

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if isinstance(exc, EvaluationError):
            if exc.rule is None or exc.location is None:
                raise exc.located(rule=self.rule, location=self.location) from exc.__cause__
        elif isinstance(exc, ArithmeticError):
            raise EvaluationError(
                f"arithmetic failed ({type(exc).__name__})", rule=self.rule, location=self.location
            ) from exc


class StoreError(CreditEngineError):
    """The skill bank could not be read or written."""


class BankUnavailableError(StoreError):
    """The bank's database cannot be reached, has no bank schema yet, or has one of another
    release: not a problem with the input, so the command line exits 3 (environment).

    .. versionadded:: 0.3
    """


class BackendUnavailableError(CreditEngineError):
    """The chosen evaluator cannot run here: its library does not import (durable-rules on
    Python 3.13+). Not a problem with the rules or the record: the command line exits 3.

    .. versionadded:: 0.2
    """
