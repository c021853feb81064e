"""Worker records (SPEC §3): the pydantic models and ``load_record``."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, PrivateAttr, field_validator, model_validator

from ._errors import Problem, RecordError
from ._expr import ACHIEVEMENT_FIELDS, level_key
from ._limits import DEFAULT_LIMITS, Limits
from ._models import Day, Flag, Label, Num, PlainText, Strict, Text, validate
from ._source import SourceLocation
from ._yaml import Document, TooLarge, decode_text, load_documents, load_json, read_bounded

__all__ = [
    "Achievement",
    "Worker",
    "WorkerRecord",
    "iter_records",
    "load_record",
    "load_records",
]

NonNegative = Annotated[Num, Field(ge=0)]
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
Id = Annotated[PlainText, Field(min_length=1)]


class Provider(Strict):
    """Who delivered the learning."""

    id: Id
    name: Text | None = None
    accredited: Flag | None = None
    jurisdiction: Text | None = None


class Issuer(Strict):
    """Who issued a certificate."""

    id: Id
    jurisdiction: Text | None = None


class Level(Strict):
    """A level in a named framework (``cn-skill`` 5..1, ``hkqf`` 1..7, ...)."""

    framework: Text
    value: Label

    @model_validator(mode="before")
    @classmethod
    def _level_text(cls, data: Any) -> Any:
        # Levels are names in a framework: 3 and "3" are the same level.
        if isinstance(data, dict) and "value" in data and not isinstance(data["value"], bool):
            value = data["value"]
            if isinstance(value, int | str | Decimal):
                data = {**data, "value": level_key(value)}
        return data


class Credits(Strict):
    """Credits in a named system (``cn-higher-ed``, ``hkqf``, ``ects``)."""

    value: NonNegative
    system: Text


class Assessment(Strict):
    """How the learning was assessed."""

    passed: Flag | None = None
    score: Num | None = None
    attendance: Annotated[Num, Field(ge=0, le=1)] | None = None


AchievementType = Literal["course", "certificate", "formal_credit", "qualification", "award"]


def _no_tilde(ident: str) -> str:
    # "~" joins a source id to what is derived from it (A4~cn-skill-3), so records may not use it.
    if "~" in ident:
        raise ValueError(f"{ident!r}: '~' is reserved for derived achievements (A4~cn-skill-3)")
    return ident


class Achievement(Strict):
    """One piece of learning: a course, certificate, credit, qualification or award."""

    id: Annotated[Id, AfterValidator(_no_tilde)]
    type: AchievementType
    title: Text | None = None
    provider: Provider | None = None
    completed: Day
    hours: NonNegative | None = None
    industry: Text | None = None
    assessment: Assessment | None = None
    occupation: Text | None = None
    level: Level | None = None
    credits: Credits | None = None
    field: Text | None = None
    expires: Day | None = None
    issuer: Issuer | None = None

    @field_validator("completed")
    @classmethod
    def _plausible(cls, day: dt.date) -> dt.date:
        # Learning dates feed period and window arithmetic; a typo like 0202-06-30 is refused here.
        if not EARLIEST <= day <= LATEST:
            raise ValueError(
                f"{day.isoformat()} is not a plausible date of learning ({EARLIEST.year}-{LATEST.year})"
            )
        return day

    def facts(self) -> dict[str, Any]:
        """The flat fact view that conditions and formulas read (dotted paths)."""
        out: dict[str, Any] = {}
        for key, value in self.__dict__.items():
            if value is None:
                continue
            if isinstance(value, Strict):
                for inner_key, inner in value.__dict__.items():
                    if inner is not None:
                        out[_DOTTED[key, inner_key]] = inner
            else:
                out[key] = value
        return out


# Every nested field's dotted name, built once (facts() runs for every achievement).
_DOTTED = {tuple(path.split(".", 1)): path for path in ACHIEVEMENT_FIELDS if "." in path}


class Worker(Strict):
    """The worker a record is about. ``name`` is personal data: never logged."""

    id: Id
    name: Text | None = None
    jurisdiction: Text | None = None
    attributes: dict[str, Any] = Field(default_factory=dict)


class WorkerRecord(Strict):
    """A worker's lifelong learning record (SPEC §3).

    >>> record = WorkerRecord.model_validate({"worker": {"id": "W-1"}, "achievements": []})
    >>> record.worker.id
    'W-1'

    .. versionadded:: 0.1
    """

    worker: Worker
    achievements: list[Achievement] = Field(default_factory=list)
    _document: Document | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _unique_ids(self) -> WorkerRecord:
        seen: set[str] = set()
        for achievement in self.achievements:
            if achievement.id in seen:
                raise ValueError(f"duplicate achievement id {achievement.id!r}")
            seen.add(achievement.id)
        return self

    def detached(self) -> WorkerRecord:
        """A copy without its source document (cheap to send to another process).

        Locations then name the worker instead of file:line:col.
        """
        copy = self.model_copy()
        copy._document = None
        return copy

    def locate(self, *path: str | int) -> SourceLocation:
        """Where a part of this record came from (file, line, column)."""
        if self._document is None:
            return SourceLocation(f"<record of worker {self.worker.id}>", 0, 0, path)
        return self._document.locate(path)


def _duplicate_problem(doc: Document) -> Problem | None:
    seen: dict[str, int] = {}
    items = doc.data.get("achievements") if isinstance(doc.data, dict) else None
    for index, item in enumerate(items or []):
        ident = item.get("id") if isinstance(item, dict) else None
        key = str(getattr(ident, "text", ident))
        if ident is not None and key in seen:
            return Problem(
                doc.locate(("achievements", index, "id")),
                f"achievements[{index}].id: duplicate achievement id {key!r} "
                f"(first at achievements[{seen[key]}])",
            )
        if ident is not None:
            seen[key] = index
    return None


def _record_from(doc: Document, limits: Limits) -> WorkerRecord:
    if isinstance(doc.data, dict):
        items = doc.data.get("achievements")
        if isinstance(items, list) and len(items) > limits.achievements:
            raise RecordError(
                f"more than {limits.achievements:,} achievements in one record",
                location=doc.locate(("achievements",)),
            )
        duplicate = _duplicate_problem(doc)
        if duplicate is not None:
            # Report the duplicate together with every other problem in the record.
            try:
                validate(WorkerRecord, doc, RecordError, "worker record")
            except RecordError as exc:
                problems = [p for p in exc.problems if "duplicate achievement id" not in p.message]
                raise RecordError(duplicate.message, problems=[duplicate, *problems]) from None
            raise RecordError(duplicate.message, problems=[duplicate])
    record = validate(WorkerRecord, doc, RecordError, "worker record")
    record._document = doc
    return record


def _documents(text: str, name: str, limits: Limits, *, is_json: bool) -> Iterator[Document]:
    load = load_json if is_json else load_documents
    for doc in load(text, name, error=RecordError, limits=limits, what="record file"):
        if doc.data is None:
            continue
        if isinstance(doc.data, list):
            for index in range(len(doc.data)):
                yield doc.child(index)
        else:
            yield doc


def iter_records(source: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> Iterator[WorkerRecord]:
    """Yield every worker record in a YAML or JSON file (several documents, or a JSON list).

    A file whose name ends in ``.json`` is read as strict JSON; any other as YAML.

    :raises RecordError: located at file, line, column and field.
    """
    path = Path(source)
    name = str(source)
    try:
        data = read_bounded(path, limits.record_file_bytes)
    except TooLarge:
        raise RecordError(
            f"record file is over the size limit; the limit is {limits.record_file_bytes:,} bytes",
            location=SourceLocation(name),
        ) from None
    except OSError as exc:
        raise RecordError(f"cannot read record file: {exc.strerror}", location=SourceLocation(name)) from exc
    text = decode_text(data, name, error=RecordError, what="record file")
    # A .json file is read as JSON, not as YAML (which would accept comments and unquoted keys).
    for doc in _documents(text, name, limits, is_json=path.suffix.lower() == ".json"):
        yield _record_from(doc, limits)


def load_records(source: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> list[WorkerRecord]:
    """Every worker record in a file, validated (all-or-nothing)."""
    return list(iter_records(source, limits=limits))


def load_record(source: str | Path | dict[str, Any], *, limits: Limits = DEFAULT_LIMITS) -> WorkerRecord:
    """Load one worker record from a YAML/JSON file, or validate a dict.

    :param source: a path, or an already-parsed mapping.
    :raises RecordError: located at file, line, column and field; also when the
        file holds no record or more than one.

    >>> load_record({"worker": {"id": "W-1"}}).worker.id
    'W-1'

    .. versionadded:: 0.1
    """
    if isinstance(source, dict):
        # Round-trip through JSON text so a dict gets the same checks (and locations) as a file.
        text = _DECIMAL_TOKEN.sub(r"\1", json.dumps(source, default=_json_default))
        docs = list(_documents(text, "<record>", limits, is_json=True))
        return _record_from(docs[0], limits)
    records = load_records(source, limits=limits)
    if len(records) != 1:
        raise RecordError(
            f"expected one worker record, found {len(records)}", location=SourceLocation(str(source))
        )
    return records[0]


_DECIMAL_TOKEN = re.compile(r'"\\u0000decimal:([-+0-9.Ee]+)"')


def _json_default(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"\x00decimal:{value}"  # written back as a bare JSON number, digit for digit
    raise TypeError(f"cannot read {type(value).__name__} in a record")
