"""Read YAML (and JSON, which is read as YAML) keeping every node's position.

PyYAML's safe loader is used only to compose nodes; values are built here so
that we can refuse what would surprise policy staff (SPEC §8):

- a duplicate key is an error (PyYAML keeps the last one silently);
- plain scalars are resolved as YAML 1.2's core schema does, so ``no``/``on``
  stay text; numbers with a fraction become exact ``Decimal``; and every
  number or date keeps the text it was written as (``version: 2024.10`` is
  still ``"2024.10"`` where a model wants text);
- tags other than the standard ones, merge keys, deep nesting, long strings
  and alias bombs are refused with a location.
"""

from __future__ import annotations

import datetime as dt
import pathlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from ._errors import CreditEngineError
from ._limits import DEFAULT_LIMITS, Limits
from ._source import SourceLocation

__all__ = [
    "Document",
    "TooLarge",
    "YDate",
    "YDecimal",
    "YInt",
    "load_documents",
    "read_bounded",
    "written_text",
]

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path = tuple[str | int, ...]

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_NONFINITE = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}


class YInt(int):
    """An integer read from YAML that remembers how it was written."""

    text: str

    def __new__(cls, value: int, text: str) -> YInt:
        obj = super().__new__(cls, value)
        obj.text = text
        return obj

    def __reduce__(self) -> tuple[type[YInt], tuple[int, str]]:
        return (YInt, (int(self), self.text))


class YDecimal(Decimal):
    """A decimal read from YAML that remembers how it was written."""

    text: str

    def __new__(cls, text: str) -> YDecimal:
        obj = super().__new__(cls, text)
        obj.text = text
        return obj

    def __reduce__(self) -> tuple[type[YDecimal], tuple[str]]:
        return (YDecimal, (self.text,))


class YDate(dt.date):
    """A date read from YAML that remembers how it was written."""

    text: str

    def __new__(cls, value: dt.date, text: str) -> YDate:
        obj = super().__new__(cls, value.year, value.month, value.day)
        obj.text = text
        return obj

    def __reduce__(self) -> tuple[type[YDate], tuple[dt.date, str]]:
        return (YDate, (dt.date(self.year, self.month, self.day), self.text))


class NonFinite(str):
    """``.inf`` or ``.nan`` written as a plain scalar: text, but refused as a number."""


def written_text(value: object) -> str | None:
    """The text a scalar was written as, when YAML read it as a number or date."""
    text = getattr(value, "text", None)
    return text if isinstance(text, str) else None


@dataclass
class Document:
    """One YAML document: its data and the position of every value and key."""

    data: Any
    file: str
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    base: Path = ()
    quoted: set[Path] = field(default_factory=set)

    def locate(self, path: Path = (), *, key: bool = False) -> SourceLocation:
        """The position of the value (or, with ``key``, the key) at ``path``.

        Falls back to the nearest enclosing node that has a position.
        """
        full = self.base + tuple(path)
        probe = full
        while True:
            if key and probe in self.key_marks:
                line, col = self.key_marks[probe]
                break
            if probe in self.marks:
                line, col = self.marks[probe]
                break
            if not probe:
                line, col = 0, 0
                break
            probe = probe[:-1]
        return SourceLocation(self.file, line, col, full)

    def child(self, index: int) -> Document:
        """The sub-document at ``index`` of a top-level list (a JSON list of records)."""
        return Document(
            self.data[index], self.file, self.marks, self.key_marks, (*self.base, index), self.quoted
        )

    def is_quoted(self, path: Path) -> bool:
        """Whether the scalar at ``path`` was written in quotes (its text starts one column later)."""
        return self.base + tuple(path) in self.quoted


class _Builder:
    def __init__(self, file: str, limits: Limits, error: type[CreditEngineError]) -> None:
        self.file = file
        self.limits = limits
        self.error = error
        self.marks: dict[Path, tuple[int, int]] = {}
        self.key_marks: dict[Path, tuple[int, int]] = {}
        self.quoted: set[Path] = set()
        self.expanded = 0
        self.active: set[int] = set()
        self.seen: set[int] = set()

    def fail(self, node: yaml.Node, path: Path, message: str) -> CreditEngineError:
        mark = node.start_mark
        return self.error(message, location=SourceLocation(self.file, mark.line + 1, mark.column + 1, path))

    def build(self, node: yaml.Node, path: Path, depth: int) -> Any:
        if depth > self.limits.depth:
            raise self.fail(node, path, f"nesting deeper than {self.limits.depth} levels")
        if node.tag not in _STANDARD_TAGS:
            if node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(node, path, "YAML merge keys (<<) are not supported")
            raise self.fail(node, path, f"YAML tag {node.tag!r} is not allowed")
        ident = id(node)
        if ident in self.seen:
            # An alias: count what it expands to, so an alias bomb is refused early.
            if ident in self.active:
                raise self.fail(node, path, "recursive YAML alias")
            self.expanded += 1
            if self.expanded > self.limits.alias_nodes:
                raise self.fail(node, path, f"YAML aliases expand past {self.limits.alias_nodes:,} nodes")
        self.seen.add(ident)
        self.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        self.active.add(ident)
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
            assert isinstance(node, yaml.MappingNode)
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.fail(key_node, path, "YAML merge keys (<<) are not supported")
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.fail(key_node, path, "a mapping key must be plain text")
                key = str(key_node.value)
                if len(key) > self.limits.string_chars:
                    raise self.fail(
                        key_node, path, f"key longer than {self.limits.string_chars:,} characters"
                    )
                if key in out:
                    first = self.key_marks.get((*path, key), (0, 0))
                    raise self.fail(
                        key_node,
                        (*path, key),
                        f"duplicate key {key!r} (first at line {first[0]})",
                    )
                self.key_marks[(*path, key)] = (
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
                out[key] = self.build(value_node, (*path, key), depth + 1)
            return out
        finally:
            self.active.discard(ident)

    def scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        text: str = node.value
        if len(text) > self.limits.string_chars:
            raise self.fail(node, path, f"text longer than {self.limits.string_chars:,} characters")
        if node.style:  # quoted or block (plain is None or "" by loader): always text
            if node.style in ("'", '"'):
                self.quoted.add(path)
            return text
        if _NULL.match(text):
            return None
        if text in _BOOL:
            return _BOOL[text]
        if _INT.match(text):
            return YInt(int(text), text)
        if _FLOAT.match(text):
            try:
                return YDecimal(text)
            except InvalidOperation:  # pragma: no cover - the regex admits only valid text
                return text
        if _NONFINITE.match(text):
            return NonFinite(text)
        if _DATE.match(text):
            try:
                return YDate(dt.date.fromisoformat(text), text)
            except ValueError:
                return text  # an impossible date stays text; the model reports it
        return text


class TooLarge(Exception):
    """A file is over its size limit (read stops at limit + 1 bytes, so devices cannot flood memory)."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def read_bounded(path: pathlib.Path, limit: int) -> str:
    """A file's UTF-8 text, reading at most ``limit`` bytes.

    :raises TooLarge: when the file holds more than ``limit`` bytes.
    :raises OSError: when it cannot be read; ``UnicodeDecodeError`` when it is not UTF-8.
    """
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(limit)
    return data.decode("utf-8")


def load_documents(
    text: str,
    file: str,
    *,
    error: type[CreditEngineError],
    limits: Limits = DEFAULT_LIMITS,
) -> list[Document]:
    """Parse every YAML document in ``text`` into located documents.

    :param text: the file's content.
    :param file: the path to show in messages.
    :param error: the error class to raise (``RuleSyntaxError`` or ``RecordError``).
    :raises CreditEngineError: of class ``error``, located, on unreadable or refused YAML.
    """
    docs: list[Document] = []
    try:
        nodes: Iterator[yaml.Node] = yaml.compose_all(text, Loader=_Loader)
        for node in nodes:
            builder = _Builder(file, limits, error)
            data = builder.build(node, (), 0) if node is not None else None
            docs.append(Document(data, file, builder.marks, builder.key_marks, quoted=builder.quoted))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or exc.context or "unreadable YAML"
        raise error(f"YAML: {problem}", location=SourceLocation(file, line, col)) from exc
    except yaml.YAMLError as exc:
        raise error(f"YAML: {exc}", location=SourceLocation(file)) from exc
    return docs
