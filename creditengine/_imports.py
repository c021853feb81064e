"""Reading files to import into the bank: worker records (YAML, JSON) and CSV, every problem located.

A reader turns one file into :class:`Incoming` records, or raises a :class:`RecordError` holding
**every** problem of the file, not only the first: an import reports a whole batch's mistakes at
once (file, line, column and field), then writes nothing. Formats are looked up by name in
:data:`READERS`, so a new one (Open Badges) is one more function.

YAML and JSON go through the record loader (``_record``): the fast read first, and only for a file
with a problem a second read, document by document, with positions.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ._errors import Problem, RecordError
from ._expr import ACHIEVEMENT_FIELDS, FieldType, suggest
from ._limits import Limits
from ._models import validate
from ._record import (
    Achievement,
    Worker,
    WorkerRecord,
    _json_records,
    _located_records,
    _record_from,
    _stamp,
)
from ._source import SourceLocation
from ._yaml import Document, TooLarge, decode_text, load_documents, load_json, python_values, read_bounded

__all__ = ["FORMATS", "READERS", "Incoming", "format_of", "read_file"]


@dataclass(frozen=True, slots=True)
class Incoming:
    """A validated record on its way into the bank, and where it came from.

    :param positions: where each achievement's id was written, when the reader knows it
        (CSV); otherwise the record finds it again (:meth:`WorkerRecord.locate`) when asked.
    """

    record: WorkerRecord
    source: str
    positions: tuple[SourceLocation, ...] | None = None

    def locate(self, index: int) -> SourceLocation:
        """Where achievement ``index`` of this record was written."""
        if self.positions is not None:
            return self.positions[index]
        return self.record.locate("achievements", index, "id")

    def locate_worker(self) -> SourceLocation:
        """Where the record's worker was written."""
        if self.positions is not None:
            return SourceLocation(self.source, self.positions[0].line if self.positions else 0, 0)
        return self.record.locate("worker", "id")


def _read_text(path: Path, limits: Limits) -> str:
    name = str(path)
    try:
        data = read_bounded(path, limits.record_file_bytes)
    except TooLarge:
        raise RecordError(
            f"file is over the size limit; the limit is {limits.record_file_bytes:,} bytes",
            location=SourceLocation(name),
        ) from None
    except OSError as exc:
        raise RecordError(f"cannot read file: {exc.strerror}", location=SourceLocation(name)) from exc
    return decode_text(data, name, error=RecordError, what="record file")


def _records(path: Path, limits: Limits, *, is_json: bool) -> list[Incoming]:
    name = str(path)
    stamp = _stamp(path)
    text = _read_text(path, limits)
    try:
        if is_json:
            found = list(_json_records(text, name, limits, stamp))
        else:
            found = list(_located_records(text, name, limits, stamp, is_json=False))
    except RecordError as first:
        # The loader stops at the first bad record; read again, record by record, to report all.
        raise _every_problem(text, name, limits, is_json=is_json, first=first) from None
    if not found:
        raise RecordError("no worker record in this file", location=SourceLocation(name))
    return [Incoming(record, name) for record in found]


def _every_problem(text: str, name: str, limits: Limits, *, is_json: bool, first: RecordError) -> RecordError:
    load = load_json if is_json else load_documents
    try:
        tops = load(text, name, error=RecordError, limits=limits, what="record file")
    except RecordError as unreadable:
        return unreadable
    problems: list[Problem] = []
    for top in tops:
        if top.data is None:
            continue
        docs = [top.child(i) for i in range(len(top.data))] if isinstance(top.data, list) else [top]
        for doc in docs:
            try:
                _record_from(doc, limits)
            except RecordError as bad:
                problems.extend(bad.problems)
    if not problems:  # a problem only the whole file shows (a limit): report it as the loader did
        return first
    return RecordError(problems[0].message, problems=problems)


def read_yaml(path: Path, limits: Limits) -> list[Incoming]:
    """Worker records in YAML (one per document), as ``creditengine evaluate`` reads them."""
    return _records(path, limits, is_json=False)


def read_json(path: Path, limits: Limits) -> list[Incoming]:
    """Worker records in strict JSON (an object or a list of them)."""
    return _records(path, limits, is_json=True)


# CSV: one row per achievement. Worker columns, then the achievement's keys by their dotted names.
_WORKER_COLUMNS = ("worker.id", "worker.name", "worker.jurisdiction")
_ATTRIBUTE_PREFIX = "worker.attributes."
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_INTEGER = re.compile(r"[-+]?[0-9]+")


def _cell_value(column: str, text: str) -> Any:
    """A cell as the record wants it: numbers exact, true/false as booleans; anything else as text,
    which the record's validation then refuses with its own located message."""
    kind = ACHIEVEMENT_FIELDS[column].type if column in ACHIEVEMENT_FIELDS else None
    if kind is FieldType.NUMBER and _NUMBER.fullmatch(text):
        return Decimal(text)
    if kind is FieldType.BOOL and text in ("true", "false"):
        return text == "true"
    return text


def _attribute_value(text: str) -> Any:
    # An attribute's type is the pack's to declare (the file does not know it): a number-looking cell
    # is a number, true/false a boolean, the rest text; evaluation checks it against the pack.
    if _INTEGER.fullmatch(text):
        return int(text)
    if _NUMBER.fullmatch(text):
        try:
            return Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            return text
    if text in ("true", "false"):
        return text == "true"
    return text


def _put(target: dict[str, Any], dotted: str, value: Any) -> None:
    *outer, last = dotted.split(".")
    for key in outer:
        target = target.setdefault(key, {})
    target[last] = value


def _cell_columns(raw: str) -> list[int]:
    """The 0-based character offset at which each cell of one CSV row starts (quotes respected)."""
    starts = [0]
    quoted = False
    for offset, char in enumerate(raw):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            starts.append(offset + 1)
    return starts


class _Lines:
    """The file's lines, handed to ``csv.reader`` one by one, remembering where each row began.

    The reader asks for a line only when it needs one, so the first line asked for after
    :meth:`row_done` starts the next row (a quoted cell may hold line breaks).
    """

    def __init__(self, text: str) -> None:
        self._lines = io.StringIO(text, newline="")
        self.number = 0
        self.row_text = ""
        self.row_line = 0
        self._fresh = True

    def __iter__(self) -> Iterator[str]:
        for line in self._lines:
            self.number += 1
            if self._fresh:
                self.row_line, self.row_text, self._fresh = self.number, "", False
            self.row_text += line
            yield line

    def row_done(self) -> None:
        """The row just read is complete."""
        self._fresh = True


@dataclass
class _CsvWorker:
    fields: dict[str, Any]
    marks: dict[tuple[str | int, ...], tuple[int, int]]
    achievements: list[dict[str, Any]]
    positions: list[SourceLocation]
    columns: list[dict[str, SourceLocation]]  # per achievement: column name -> its cell
    first: dict[str, SourceLocation]  # worker column -> where its value was first given


def read_csv(path: Path, limits: Limits) -> list[Incoming]:
    """Achievements in CSV, one row per achievement; rows of a worker need not be adjacent.

    Columns are documented in docs/bank.md: ``worker.id``, ``worker.name``, ``worker.jurisdiction``,
    ``worker.attributes.NAME``, then the achievement's keys by their dotted names (``id``, ``type``,
    ``completed``, ``level.value``...). An empty cell is an absent value.
    """
    name = str(path)
    text = _read_text(path, limits)
    lines = _Lines(text)
    reader = csv.reader(lines)
    problems: list[Problem] = []
    try:
        header = next(reader)
    except StopIteration:
        raise RecordError(
            "no worker record in this file (an empty CSV file)", location=SourceLocation(name)
        ) from None
    except csv.Error as exc:
        raise RecordError(f"CSV: {exc}", location=SourceLocation(name, lines.row_line, 1)) from None
    header_line, header_starts = lines.row_line, _cell_columns(lines.row_text)
    lines.row_done()
    known = (*_WORKER_COLUMNS, *ACHIEVEMENT_FIELDS)
    seen: set[str] = set()
    for index, column in enumerate(header):
        at = SourceLocation(name, header_line, header_starts[index] + 1 if index < len(header_starts) else 0)
        if column in seen:
            problems.append(Problem(at, f"column {column!r} appears twice in the header"))
        seen.add(column)
        if column not in known and not (column.startswith(_ATTRIBUTE_PREFIX) and len(column) > 18):
            problems.append(Problem(at, f"unknown column {column!r}{suggest(column, known)}"))
    if "worker.id" not in header:
        problems.append(Problem(SourceLocation(name, header_line, 1), "the header has no worker.id column"))
    if problems:
        raise RecordError(problems[0].message, problems=problems)

    workers: dict[str, _CsvWorker] = {}
    try:
        for row in reader:
            line, starts = lines.row_line, _cell_columns(lines.row_text)
            lines.row_done()
            if not any(cell.strip() for cell in row):
                continue  # a blank line
            if len(row) != len(header):
                problems.append(
                    Problem(
                        SourceLocation(name, line, 1),
                        f"this row has {len(row)} cells, the header {len(header)}",
                    )
                )
                continue
            _add_row(workers, header, row, name, line, starts, problems)
    except csv.Error as exc:
        problems.append(Problem(SourceLocation(name, lines.row_line, 1), f"CSV: {exc}"))
    out: list[Incoming] = []
    for ident, worker in workers.items():
        try:
            out.append(_csv_record(ident, worker, name, limits))
        except RecordError as bad:
            problems.extend(bad.problems)
    if problems:
        raise RecordError(problems[0].message, problems=problems)
    if not out:
        raise RecordError(
            "no worker record in this file (a header and no rows)", location=SourceLocation(name)
        )
    return out


def _add_row(
    workers: dict[str, _CsvWorker],
    header: list[str],
    row: list[str],
    name: str,
    line: int,
    starts: list[int],
    problems: list[Problem],
) -> None:
    cells = {
        column: (value, SourceLocation(name, line, starts[i] + 1 if i < len(starts) else 0, (column,)))
        for i, (column, value) in enumerate(zip(header, row, strict=True))
    }
    ident, ident_at = cells["worker.id"]
    if not ident:
        problems.append(Problem(ident_at, "worker.id: missing (every row names its worker)"))
        return
    worker = workers.get(ident)
    if worker is None:
        worker = workers[ident] = _CsvWorker(
            {"id": ident}, {("worker", "id"): _mark(ident_at)}, [], [], [], {}
        )
    for column, (value, at) in cells.items():
        if column == "worker.id" or not value:
            continue
        if column.startswith("worker."):
            dotted = column.removeprefix("worker.")
            parsed = _attribute_value(value) if column.startswith(_ATTRIBUTE_PREFIX) else value
            earlier = worker.first.get(column)
            if earlier is not None:
                if _lookup(worker.fields, dotted) != parsed:
                    problems.append(
                        Problem(at, f"{column}: worker {ident} has another value at line {earlier.line}")
                    )
                continue
            worker.first[column] = at
            _put(worker.fields, dotted, parsed)
            worker.marks[("worker", *dotted.split("."))] = _mark(at)
    achievement: dict[str, Any] = {}
    columns: dict[str, SourceLocation] = {}
    for column, (value, at) in cells.items():
        if column.startswith("worker.") or not value:
            continue
        _put(achievement, column, _cell_value(column, value))
        columns[column] = at
    index = len(worker.achievements)
    worker.achievements.append(achievement)
    worker.columns.append(columns)
    worker.positions.append(columns.get("id", SourceLocation(name, line, 1, ("id",))))
    for column, at in columns.items():
        worker.marks[("achievements", index, *column.split("."))] = _mark(at)
        if "." in column:  # a missing key of a mapping (level without level.value) is shown at its first cell
            worker.marks.setdefault(("achievements", index, column.split(".")[0]), _mark(at))
    worker.marks[("achievements", index)] = (line, 1)


def _mark(at: SourceLocation) -> tuple[int, int]:
    return (at.line, at.column)


def _lookup(fields: Mapping[str, Any], dotted: str) -> Any:
    value: Any = fields
    for key in dotted.split("."):
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


_ACHIEVEMENT_PREFIX = re.compile(r"^achievements\[\d+\]\.")


def _csv_record(ident: str, worker: _CsvWorker, name: str, limits: Limits) -> Incoming:
    """One worker's rows validated as a record; problems name the row's line and the cell's column."""
    problems: list[Problem] = []
    worker_marks = {k[1:]: v for k, v in worker.marks.items() if k[0] == "worker"}
    head = Document(python_values(worker.fields, limits), name, worker_marks)
    try:
        validated_worker = validate(Worker, head, RecordError, "worker")
    except RecordError as bad:
        problems.extend(Problem(_csv_location(p.location, "worker."), p.message) for p in bad.problems)
        validated_worker = None
    items: list[Achievement] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(worker.achievements):
        marks = {k[2:]: v for k, v in worker.marks.items() if k[:2] == ("achievements", index)}
        doc = Document(python_values(raw, limits), name, marks)
        try:
            item = validate(Achievement, doc, RecordError, "achievement")
        except RecordError as bad:
            problems.extend(
                Problem(_csv_location(p.location), _ACHIEVEMENT_PREFIX.sub("", p.message))
                for p in bad.problems
            )
            continue
        if item.id in seen:
            problems.append(
                Problem(
                    worker.positions[index],
                    f"id: worker {ident} has achievement {item.id} twice (first at line "
                    f"{worker.positions[seen[item.id]].line})",
                )
            )
        seen.setdefault(item.id, index)
        items.append(item)
    if len(items) > limits.achievements:
        problems.append(
            Problem(worker.positions[0], f"worker {ident}: more than {limits.achievements:,} achievements")
        )
    if problems or validated_worker is None:
        raise RecordError(problems[0].message, problems=problems)
    record = WorkerRecord(worker=validated_worker, achievements=items)
    return Incoming(record, name, tuple(worker.positions))


def _csv_location(location: SourceLocation | None, prefix: str = "") -> SourceLocation | None:
    """A location whose key path is the CSV column's name (``level.value``, ``worker.name``)."""
    if location is None:
        return None
    column = prefix + ".".join(str(part) for part in location.path)
    return SourceLocation(location.file, location.line, location.column, (column,) if column else ())


Reader = Callable[[Path, Limits], list[Incoming]]

#: Readers by format name; ``--format`` chooses one, else the file's extension (:func:`format_of`).
READERS: dict[str, Reader] = {"yaml": read_yaml, "json": read_json, "csv": read_csv}
FORMATS = tuple(READERS)


def format_of(path: Path) -> str:
    """The format a file's extension implies: ``.json`` JSON, ``.csv`` CSV, anything else YAML."""
    suffix = path.suffix.lower()
    return {".json": "json", ".csv": "csv"}.get(suffix, "yaml")


def read_file(path: Path, limits: Limits, fmt: str | None = None) -> list[Incoming]:
    """Every record of one file, validated.

    :raises RecordError: with every problem of the file, located.
    :raises ValueError: for a format that has no reader.
    """
    chosen = fmt or format_of(path)
    reader = READERS.get(chosen)
    if reader is None:
        raise ValueError(f"unknown import format {chosen!r}; formats: {', '.join(FORMATS)}")
    return reader(path, limits)
