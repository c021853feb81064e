"""Worker records (SPEC §3): the pydantic models and ``load_record``."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, Field, PrivateAttr, ValidationError, field_validator, model_validator

from ._errors import Problem, RecordError
from ._expr import ACHIEVEMENT_FIELDS, AchievementType, level_key
from ._limits import DEFAULT_LIMITS, Limits
from ._models import Day, Flag, Label, Num, PlainText, Strict, Text, validate
from ._source import SourceLocation
from ._yaml import (
    Document,
    NeedsLocating,
    TooLarge,
    decode_text,
    load_documents,
    load_json,
    python_values,
    read_bounded,
    read_json,
)

__all__ = [
    "Achievement",
    "Worker",
    "WorkerRecord",
    "iter_records",
    "load_record",
    "load_records",
]

KeyPath = tuple[str | int, ...]
_Marks = dict[KeyPath, tuple[int, int]]
_ATTRIBUTES = ("worker", "attributes")


@dataclass(frozen=True, slots=True)
class _Origin:
    """Where a record was read: enough to find its positions again, not its text."""

    file: str
    stamp: tuple[int, int] | None  # the file's size and modification time when it was read
    is_json: bool
    limits: Limits
    document: int  # which document of the file
    base: KeyPath  # () or, in a list of records, (index,)


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
            names = _DOTTED.get(key)
            if names is None:
                out[key] = value
            else:
                for inner_key, inner in value.__dict__.items():
                    if inner is not None:
                        out[names[inner_key]] = inner
        return out


# Every nested field's dotted names, built once (facts() runs for every achievement):
# {"level": {"framework": "level.framework", "value": "level.value"}, ...}
_DOTTED: dict[str, dict[str, str]] = {}
for _path in ACHIEVEMENT_FIELDS:
    if "." in _path:
        _outer, _inner = _path.split(".", 1)
        _DOTTED.setdefault(_outer, {})[_inner] = _path
del _path, _outer, _inner


class Worker(Strict):
    """The worker a record is about. ``name`` is personal data: never logged."""

    #: A key that is not a Worker field is most often a worker attribute written one level too high.
    unknown_key_hint: ClassVar[str] = (
        "for a worker attribute (declared in pack.yaml under attributes:), put it under worker.attributes"
    )

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

    #: A key that is not a Worker field is most often a worker attribute written one level too high.
    unknown_key_hint: ClassVar[str] = (
        "for a worker attribute (declared in pack.yaml under attributes:), put it under worker.attributes"
    )

    worker: Worker
    achievements: list[Achievement] = Field(default_factory=list)
    # Not the source document (that was ~100 KiB a record): where it was read, and the positions
    # of its worker attributes (checked against the pack's types at evaluation, in _facts.py).
    _origin: _Origin | None = PrivateAttr(default=None)
    _marks: _Marks | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _unique_ids(self) -> WorkerRecord:
        seen: set[str] = set()
        for achievement in self.achievements:
            if achievement.id in seen:
                raise ValueError(f"duplicate achievement id {achievement.id!r}")
            seen.add(achievement.id)
        return self

    def detached(self) -> WorkerRecord:
        """A copy that forgets where it was read (what ``evaluate_many`` sends to other processes).

        Locations then name the worker instead of file:line:col, so that no process re-reads the
        record's file to find them.
        """
        copy = self.model_copy()
        copy._origin = None
        copy._marks = None
        return copy

    def locate(self, *path: str | int) -> SourceLocation:
        """Where a part of this record came from (file, line, column).

        A record keeps only its file's name: positions under ``worker.attributes`` are kept when
        the file is read with positions, and otherwise found by reading it again, once per file.
        A record validated from a dict, or read from a file changed since, names the worker or
        the file without a line.
        """
        origin = self._origin
        if origin is None:
            return SourceLocation(f"<record of worker {self.worker.id}>", 0, 0, path)
        full = origin.base + path
        if path[:2] != _ATTRIBUTES:
            docs = _reread(origin.file, origin.stamp, origin.is_json, origin.limits)
            if docs is None or origin.document >= len(docs):
                return SourceLocation(origin.file, 0, 0, full)
            return docs[origin.document].locate(full)
        marks = self._marks
        if marks is None:
            index = _attribute_index(origin.file, origin.stamp, origin.is_json, origin.limits)
            marks = index.get((origin.document, origin.base)) if index is not None else None
            if marks is None:
                return SourceLocation(origin.file, 0, 0, full)
            self._marks = marks
        probe: KeyPath = path
        while probe and probe not in marks:  # the nearest enclosing node, as Document.locate
            probe = probe[:-1]
        line, column = marks.get(probe, (0, 0))
        return SourceLocation(origin.file, line, column, full)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns


def _reread(file: str, stamp: tuple[int, int] | None, is_json: bool, limits: Limits) -> list[Document] | None:
    """A record file's documents, with positions; None when it changed since or cannot be read."""
    path = Path(file)
    if stamp is None or _stamp(path) != stamp:
        return None
    try:
        data = read_bounded(path, limits.record_file_bytes)
        text = decode_text(data, file, error=RecordError, what="record file")
        load = load_json if is_json else load_documents
        return load(text, file, error=RecordError, limits=limits, what="record file")
    except (OSError, TooLarge, RecordError):
        return None


def _attribute_marks(doc: Document) -> dict[KeyPath, _Marks]:
    """For each record in a document (by its base), the positions of its worker attributes.

    The record and its worker are kept too: a missing attribute is located at the nearest of them.
    """
    out: dict[KeyPath, _Marks] = {}
    listed = isinstance(doc.data, list)
    for full, mark in doc.marks.items():
        if listed and not full:
            continue
        base, path = (full[:1], full[1:]) if listed else ((), full)
        if path[:2] == _ATTRIBUTES or path == () or path == ("worker",):
            out.setdefault(base, {})[path] = mark
    return out


@functools.lru_cache(maxsize=4)
def _attribute_index(
    file: str, stamp: tuple[int, int] | None, is_json: bool, limits: Limits
) -> dict[tuple[int, KeyPath], _Marks] | None:
    """Every record's attribute positions in a file read without them (one slow read per file)."""
    docs = _reread(file, stamp, is_json, limits)
    if docs is None:
        return None
    return {
        (number, base): marks
        for number, doc in enumerate(docs)
        for base, marks in _attribute_marks(doc).items()
    }


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
    return validate(WorkerRecord, doc, RecordError, "worker record")


def _validated(data: Any, limits: Limits) -> WorkerRecord | None:
    """The record, when ``data`` (values as the readers give them) is valid; None when it is not.

    Nothing is located here: a caller given None reads the input again with positions, and that
    read reports every problem as a file:line:col message.
    """
    if not isinstance(data, dict):
        return None
    items = data.get("achievements")
    if isinstance(items, list) and len(items) > limits.achievements:
        return None
    try:
        return WorkerRecord.model_validate(data)
    except ValidationError:
        return None


def _located_records(
    text: str, name: str, limits: Limits, stamp: tuple[int, int] | None, *, is_json: bool, start: int = 0
) -> Iterator[WorkerRecord]:
    """The records of a file read with positions, from the ``start``-th; an error is located."""
    load = load_json if is_json else load_documents
    position = 0
    for number, top in enumerate(load(text, name, error=RecordError, limits=limits, what="record file")):
        if top.data is None:
            continue
        listed = isinstance(top.data, list)
        docs = [top.child(index) for index in range(len(top.data))] if listed else [top]
        if position + len(docs) <= start:
            position += len(docs)
            continue
        marks = _attribute_marks(top)
        for doc in docs:
            if position >= start:
                record = _record_from(doc, limits)
                record._origin = _Origin(name, stamp, is_json, limits, number, doc.base)
                record._marks = marks.get(doc.base, {})
                yield record
            position += 1


def _json_records(
    text: str, name: str, limits: Limits, stamp: tuple[int, int] | None
) -> Iterator[WorkerRecord]:
    """The records of a JSON file: read by the json module, and again with positions only for an error."""
    try:
        data = read_json(text, name, error=RecordError, limits=limits, what="record file")
    except NeedsLocating:
        yield from _located_records(text, name, limits, stamp, is_json=True)
        return
    listed = isinstance(data, list)
    items = data if listed else [] if data is None else [data]
    for index, item in enumerate(items):
        record = _validated(item, limits)
        if record is None:
            yield from _located_records(text, name, limits, stamp, is_json=True, start=index)
            return
        record._origin = _Origin(name, stamp, True, limits, 0, (index,) if listed else ())
        yield record


def iter_records(source: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> Iterator[WorkerRecord]:
    """Yield every worker record in a YAML or JSON file (several documents, or a JSON list).

    A file whose name ends in ``.json`` is read as strict JSON; any other as YAML.

    :raises RecordError: located at file, line, column and field.
    """
    path = Path(source)
    name = str(source)
    stamp = _stamp(path)  # before reading: a change while it is read makes positions unknown, not wrong
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
    if path.suffix.lower() == ".json":
        yield from _json_records(text, name, limits, stamp)
    else:
        yield from _located_records(text, name, limits, stamp, is_json=False)


def load_records(
    source: str | Path, *, limits: Limits = DEFAULT_LIMITS, attributes: Collection[str] = ()
) -> list[WorkerRecord]:
    """Every worker record in a file, validated (all-or-nothing).

    :param attributes: the worker attributes of the pack the records are for
        (:attr:`Engine.attributes`): a key written outside ``worker.attributes`` that names one
        is told so by name. Without them the hint is the general one.
    """
    try:
        return list(iter_records(source, limits=limits))
    except RecordError as exc:
        taught = _attribute_hints(exc, attributes)
        if taught is exc:
            raise
        raise taught from None


_UNKNOWN_KEY = re.compile(r"unknown key '([^']+)'")


def _attribute_hints(error: RecordError, attributes: Collection[str]) -> RecordError:
    """``error`` with each unknown key at the top of a record, under ``worker`` or on an
    achievement that the pack declares as a worker attribute (or as the first part of a dotted
    one) sent by name to ``worker.attributes``; ``error`` itself when there is none."""
    problems, taught = [], False
    for problem in error.problems:
        found = _UNKNOWN_KEY.match(problem.message)
        path = tuple(p for p in problem.location.path if isinstance(p, str)) if problem.location else ()
        key = found.group(1) if found else ""
        names = sorted(n for n in attributes if n == key or n.startswith(f"{key}."))
        if names and path in ((key,), ("worker", key), ("achievements", key)):
            declared = ", ".join(names)
            # On an achievement a close field name would be suggested instead; an attribute
            # describes the worker, whatever the learning.
            owner = ", which describes the worker, not one achievement" if path[0] == "achievements" else ""
            problem = Problem(
                problem.location,
                f"unknown key {key!r}: the pack declares {declared} as "
                f"{'worker attributes' if len(names) > 1 else 'a worker attribute'}{owner}; "
                f"put it under worker.attributes (worker: {{attributes: {{{key}: ...}}}})",
            )
            taught = True
        problems.append(problem)
    return RecordError(error.message, problems=problems) if taught else error


def load_record(
    source: str | Path | dict[str, Any], *, limits: Limits = DEFAULT_LIMITS, attributes: Collection[str] = ()
) -> WorkerRecord:
    """Load one worker record from a YAML/JSON file, or validate a dict.

    :param source: a path, or an already-parsed mapping.
    :param attributes: the pack's worker attributes, as for :func:`load_records`.
    :raises RecordError: located at file, line, column and field; also when the
        file holds no record or more than one.

    >>> load_record({"worker": {"id": "W-1"}}).worker.id
    'W-1'

    .. versionadded:: 0.1
    """
    if isinstance(source, dict):
        try:
            record = _validated(python_values(source, limits), limits)
        except NeedsLocating:
            record = None
        if record is not None:
            return record
        # Not valid: the JSON round trip, read with positions, reports every problem as before.
        text = _DECIMAL_TOKEN.sub(r"\1", json.dumps(source, default=_json_default))
        record = next(_located_records(text, "<record>", limits, None, is_json=True))
        record._origin = record._marks = None  # a dict has no file to point into
        return record
    records = load_records(source, limits=limits, attributes=attributes)
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
