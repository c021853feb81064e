"""Read YAML and JSON keeping every node's position (and JSON or Python data without them).

PyYAML's safe loader is used only to compose nodes; values are built here so
that we can refuse what would surprise policy staff (SPEC §8):

- a duplicate key is an error (PyYAML keeps the last one silently);
- plain scalars are resolved as YAML 1.2's core schema does, so ``no``/``on``
  stay text; numbers with a fraction become exact ``Decimal``; and every
  number or date keeps the text it was written as (``version: 2024.10`` is
  still ``"2024.10"`` where a model wants text);
- tags other than the standard ones, merge keys, deep nesting, long strings
  and alias bombs are refused with a location.

``read_json`` and ``python_values`` give the same values without positions, for
input that is most often valid: anything they cannot vouch for raises
``NeedsLocating``, and the caller reads it again with ``load_json``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import pathlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from ._errors import CreditEngineError
from ._limits import DEFAULT_LIMITS, Limits
from ._source import SourceLocation

__all__ = [
    "Comment",
    "Document",
    "NeedsLocating",
    "TooLarge",
    "YDate",
    "YDecimal",
    "YInt",
    "comments",
    "control_character",
    "decode_text",
    "load_documents",
    "load_json",
    "python_values",
    "read_bounded",
    "read_json",
    "written_text",
]

#: A ``#`` that may start a comment: at the start of a line, or after a space or tab.
_COMMENT = re.compile(r"(?:^|(?<=[ \t]))(?P<hash>#)")
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


def read_bounded(path: pathlib.Path, limit: int) -> bytes:
    """A file's bytes, reading at most ``limit`` of them.

    :raises TooLarge: when the file holds more than ``limit`` bytes.
    :raises OSError: when it cannot be read.
    """
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(limit)
    return data


def _utf16(data: bytes) -> bool:
    """A UTF-16 (or UTF-32) file: a byte-order mark, or the NULs that ASCII text gets in UTF-16."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = data[:200]
    even, odd = head[0::2], head[1::2]
    return len(head) >= 4 and (odd.count(0) >= len(odd) * 0.8 or even.count(0) >= len(even) * 0.8)


def decode_text(data: bytes, file: str, *, error: type[CreditEngineError], what: str) -> str:
    """A file's bytes as text: UTF-8 only, and a located message naming the first bad byte.

    :param what: how messages name the file (``rule file``, ``record file``).
    :raises CreditEngineError: of class ``error``, at FILE:LINE:COL.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _utf16(data):
            raise error(f"{what} is UTF-16; save it as UTF-8", location=SourceLocation(file, 1, 1)) from None
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8")) + 1
        raise error(
            f"{what} is not UTF-8 text: byte 0x{data[exc.start]:02x} here is not a UTF-8 character; "
            "save the file as UTF-8",
            location=SourceLocation(file, line, column),
        ) from None


# What YAML (and so creditengine) refuses in text: C0 and C1 controls except tab and line breaks.
_NOT_TEXT = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def control_character(text: str, file: str, *, error: type[CreditEngineError], what: str) -> None:
    """Refuse a control character (NUL, ESC, DEL...) anywhere in a file, located at its line and column.

    A NUL where text is expected usually means the file is UTF-16, so that is said first.

    :raises CreditEngineError: of class ``error``.
    """
    found = _NOT_TEXT.search(text)
    if found is None:
        return
    if _utf16(text[:200].encode("utf-8", "surrogatepass")):
        raise error(f"{what} is UTF-16; save it as UTF-8", location=SourceLocation(file, 1, 1))
    index = found.start()
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    raise error(
        f"{what} holds the control character U+{ord(found.group()):04X}, which is not allowed; remove it",
        location=SourceLocation(file, line, column),
    )


def load_documents(
    text: str,
    file: str,
    *,
    error: type[CreditEngineError],
    limits: Limits = DEFAULT_LIMITS,
    what: str = "file",
) -> list[Document]:
    """Parse every YAML document in ``text`` into located documents.

    :param text: the file's content.
    :param file: the path to show in messages.
    :param error: the error class to raise (``RuleSyntaxError`` or ``RecordError``).
    :param what: how messages name the file (``rule file``, ``record file``).
    :raises CreditEngineError: of class ``error``, located, on unreadable or refused YAML.
    """
    control_character(text, file, error=error, what=what)
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


@dataclass(frozen=True, slots=True)
class Comment:
    """One YAML comment: where its ``#`` is, its text after the ``#``, and whether it stands
    alone on its line (else it follows something on that line)."""

    line: int
    column: int
    text: str
    alone: bool


def comments(text: str) -> list[Comment]:
    """Every comment in ``text`` (already known to be readable YAML), in order.

    A ``#`` starts a comment at the start of a line or after a space or tab, but not inside a
    scalar (``title: "C# # not a comment"``): the scanner's tokens say where the scalars are.
    Text that does not scan has no comments.
    """
    try:
        spans = sorted(
            (t.start_mark.index, t.end_mark.index)
            for t in yaml.scan(text, Loader=_Loader)
            if t.end_mark.index > t.start_mark.index
        )
    except yaml.YAMLError:
        return []
    starts = [start for start, _ in spans]
    found: list[Comment] = []
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        for match in _COMMENT.finditer(line):
            index = offset + match.start("hash")
            inside = bisect.bisect_right(starts, index) - 1
            if inside >= 0 and spans[inside][0] <= index < spans[inside][1]:
                continue
            alone = not line[: match.start("hash")].strip()
            found.append(Comment(number, match.start("hash") + 1, line[match.end("hash") :].rstrip(), alone))
            break
        offset += len(line)
    return found


# --- JSON -----------------------------------------------------------------------------------------

_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_JSON_WORDS = {"true": True, "false": False, "null": None}
# The json module's own string scanner (C speed; it checks escapes and control characters).
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


class _JsonReader:
    """Strict JSON (RFC 8259) into the same located values the YAML reader builds.

    JSON is not read as YAML: comments, unquoted keys, single quotes and trailing
    commas are errors here, each at its line and column.
    """

    def __init__(self, text: str, file: str, limits: Limits, error: type[CreditEngineError]) -> None:
        self.text = text
        self.file = file
        self.limits = limits
        self.error = error
        self.marks: dict[Path, tuple[int, int]] = {}
        self.key_marks: dict[Path, tuple[int, int]] = {}
        self.quoted: set[Path] = set()
        self.line, self.line_start = 1, 0
        found = text.find("\n")
        self.line_end = found if found >= 0 else len(text) + 1

    def position(self, index: int) -> tuple[int, int]:
        # Indexes only grow while reading, so the line is found by walking forward, not by counting.
        while self.line_end <= index:
            self.line_start = self.line_end + 1
            self.line += 1
            found = self.text.find("\n", self.line_start)
            self.line_end = found if found >= 0 else len(self.text) + 1
        if index < self.line_start:  # an error reported behind the reading position
            line = self.text.count("\n", 0, index) + 1
            return line, index - (self.text.rfind("\n", 0, index) + 1) + 1
        return self.line, index - self.line_start + 1

    def fail(self, index: int, message: str, path: Path = ()) -> CreditEngineError:
        line, column = self.position(index)
        return self.error(f"JSON: {message}", location=SourceLocation(self.file, line, column, path))

    def skip(self, index: int) -> int:
        match = _JSON_SPACE.match(self.text, index)
        assert match is not None  # the pattern matches the empty string
        index = match.end()
        if self.text.startswith(("//", "/*", "#"), index):
            raise self.fail(index, "comments are not allowed")
        return index

    def found(self, index: int) -> str:
        if index >= len(self.text):
            return "the end of the file"
        return repr(self.text[index])

    def document(self) -> Any:
        index = self.skip(0)
        if index >= len(self.text):
            return None
        value, index = self.value(index, (), 0)
        index = self.skip(index)
        if index < len(self.text):
            raise self.fail(index, f"unexpected {self.found(index)} after the JSON value")
        return value

    def value(self, index: int, path: Path, depth: int) -> tuple[Any, int]:
        if depth > self.limits.depth:
            raise self.fail(index, f"nesting deeper than {self.limits.depth} levels", path)
        self.marks.setdefault(path, self.position(index))
        char = self.text[index] if index < len(self.text) else ""
        if char == "{":
            return self.mapping(index, path, depth)
        if char == "[":
            return self.sequence(index, path, depth)
        if char == '"':
            self.quoted.add(path)
            return self.string(index, path)
        number = _JSON_NUMBER.match(self.text, index)
        if number:
            text = number.group()
            value = YInt(int(text), text) if not (number.group(1) or number.group(2)) else YDecimal(text)
            return value, number.end()
        for word, constant in _JSON_WORDS.items():
            if self.text.startswith(word, index):
                return constant, index + len(word)
        if char == "'":
            raise self.fail(index, "text is in double quotes, not single quotes", path)
        raise self.fail(index, f"expected a JSON value, found {self.found(index)}", path)

    def string(self, index: int, path: Path) -> tuple[str, int]:
        try:
            text, end = _scanstring(self.text, index + 1)
        except json.JSONDecodeError as exc:
            raise self.fail(exc.pos, _json_words(exc.msg), path) from None
        if len(text) > self.limits.string_chars:
            raise self.fail(index, f"text longer than {self.limits.string_chars:,} characters", path)
        return text, end

    def sequence(self, index: int, path: Path, depth: int) -> tuple[list[Any], int]:
        out: list[Any] = []
        index = self.skip(index + 1)
        if self.text.startswith("]", index):
            return out, index + 1
        while True:
            item, index = self.value(index, (*path, len(out)), depth + 1)
            out.append(item)
            index = self.skip(index)
            if self.text.startswith("]", index):
                return out, index + 1
            if not self.text.startswith(",", index):
                raise self.fail(index, f"expected ',' or ']', found {self.found(index)}", path)
            index = self.skip(index + 1)
            if self.text.startswith("]", index):
                raise self.fail(index, "a comma before ']' is not allowed", path)

    def mapping(self, index: int, path: Path, depth: int) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        index = self.skip(index + 1)
        if self.text.startswith("}", index):
            return out, index + 1
        while True:
            if not self.text.startswith('"', index):
                if self.text.startswith("}", index) and out:
                    raise self.fail(index, "a comma before '}' is not allowed", path)
                raise self.fail(index, f"a key is text in double quotes, found {self.found(index)}", path)
            key_at = index
            key, index = self.string(index, path)
            if key in out:
                first = self.key_marks.get((*path, key), (0, 0))
                raise self.fail(key_at, f"duplicate key {key!r} (first at line {first[0]})", (*path, key))
            self.key_marks[(*path, key)] = self.position(key_at)
            index = self.skip(index)
            if not self.text.startswith(":", index):
                raise self.fail(index, f"expected ':' after the key {key!r}, found {self.found(index)}", path)
            index = self.skip(index + 1)
            out[key], index = self.value(index, (*path, key), depth + 1)
            index = self.skip(index)
            if self.text.startswith("}", index):
                return out, index + 1
            if not self.text.startswith(",", index):
                raise self.fail(index, f"expected ',' or '}}', found {self.found(index)}", path)
            index = self.skip(index + 1)


def _json_words(message: str) -> str:
    """The json module's string errors in plain words."""
    if message.startswith("Invalid control character"):
        return "a control character in text must be written as an escape (\\n, \\t, \\u0000)"
    if message.startswith("Unterminated string"):
        return "text is not closed with a double quote"
    if message.startswith(("Invalid \\escape", "Invalid \\uXXXX")):
        return 'not a JSON escape (use \\\\, \\", \\n, \\t or \\uXXXX)'
    return message


def load_json(
    text: str,
    file: str,
    *,
    error: type[CreditEngineError],
    limits: Limits = DEFAULT_LIMITS,
    what: str = "file",
) -> list[Document]:
    """Parse strict JSON into one located document (none for an empty file).

    Values have the types the YAML reader gives: text, ``YInt``, ``YDecimal``,
    booleans and null, with every value's and key's position kept.

    :raises CreditEngineError: of class ``error``, at FILE:LINE:COL, on anything that is not JSON.
    """
    control_character(text, file, error=error, what=what)
    if text.startswith("\ufeff"):
        text = " " + text[1:]  # a byte-order mark: keep columns as editors show them
    reader = _JsonReader(text, file, limits, error)
    data = reader.document()
    if data is None and not reader.marks:
        return []
    return [Document(data, file, reader.marks, reader.key_marks, quoted=reader.quoted)]


# --- without positions ----------------------------------------------------------------------------
# Most input is valid, and tracking the position of every node costs more than validating it. These
# readers give the same values as the position-tracking ones (and refuse the same input), but leave
# anything unusual to them: the caller runs load_json or load_documents then, which says where.


class NeedsLocating(Exception):
    """Input that only the position-tracking readers handle: they refuse it with a location."""


def _no_constant(word: str) -> Any:
    raise NeedsLocating(f"{word} is not JSON")  # NaN, Infinity: load_json refuses them


def _mapping(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise NeedsLocating("duplicate key")
    return out


def _json_int(text: str) -> YInt:
    return YInt(int(text), text)


_DECODER = json.JSONDecoder(
    object_pairs_hook=_mapping, parse_float=YDecimal, parse_int=_json_int, parse_constant=_no_constant
)


def _within_limits(value: Any, depth: int, limits: Limits) -> None:
    """Refuse (to the located reader) what load_json refuses beyond JSON syntax: depth, long text."""
    if depth > limits.depth:
        raise NeedsLocating("too deep")
    kind = type(value)
    if kind is str:
        if len(value) > limits.string_chars:
            raise NeedsLocating("text too long")
    elif kind is dict:
        for key, inner in value.items():
            if len(key) > limits.string_chars:
                raise NeedsLocating("key too long")
            _within_limits(inner, depth + 1, limits)
    elif kind is list:
        for inner in value:
            _within_limits(inner, depth + 1, limits)


def read_json(
    text: str,
    file: str,
    *,
    error: type[CreditEngineError],
    limits: Limits = DEFAULT_LIMITS,
    what: str = "file",
) -> Any:
    """Strict JSON read by the json module: the data ``load_json`` gives, without positions.

    :returns: the document's data (None for an empty file or ``null``).
    :raises NeedsLocating: when ``load_json`` would refuse the text; call it to say where.
    :raises CreditEngineError: of class ``error``, at FILE:LINE:COL, for a control character.
    """
    control_character(text, file, error=error, what=what)
    if text.startswith("\ufeff"):
        text = " " + text[1:]
    try:
        data = _DECODER.decode(text)
    except (ValueError, RecursionError) as exc:  # not JSON, or nested past Python's stack
        raise NeedsLocating(str(exc)) from None
    _within_limits(data, 0, limits)
    return data


def python_values(value: Any, limits: Limits = DEFAULT_LIMITS, depth: int = 0) -> Any:
    """Python data (a mapping from a caller) as the values ``load_json`` reads from its JSON text.

    ``json.dumps`` then ``load_json`` gives the same: a float becomes the ``YDecimal`` of the text
    ``json.dumps`` writes (``0.1`` stays ``0.1``), a ``Decimal`` the number it prints, a date its
    ISO text. Only exact built-in types are converted here.

    :raises NeedsLocating: for anything else (another type, a limit passed, NaN), so that the caller
        takes the JSON round trip that reports it as before.
    """
    if depth > limits.depth:
        raise NeedsLocating("too deep")
    kind = type(value)
    if kind is str:
        # "\x00" is how the round trip marks a Decimal; text holding it takes the round trip too.
        if len(value) > limits.string_chars or "\x00" in value:
            raise NeedsLocating("text")
        return value
    if kind is dict:
        if value and depth >= limits.depth:
            raise NeedsLocating("too deep")
        out: dict[str, Any] = {}
        most = limits.string_chars
        for key, inner in value.items():
            if type(key) is not str or len(key) > most or "\x00" in key:
                raise NeedsLocating("key")
            # Text, booleans and null are most values: kept as they are, without a call.
            inner_kind = type(inner)
            if inner_kind is str:
                if len(inner) > most or "\x00" in inner:
                    raise NeedsLocating("text")
                out[key] = inner
            elif inner is None or inner_kind is bool:
                out[key] = inner
            else:
                out[key] = python_values(inner, limits, depth + 1)
        return out
    if kind is list:
        return [python_values(inner, limits, depth + 1) for inner in value]
    if value is None or kind is bool:
        return value
    if kind is int:
        try:
            return YInt(value, int.__repr__(value))
        except ValueError:  # past Python's digit limit: json.dumps refuses it
            raise NeedsLocating("too many digits") from None
    if kind is float:
        text = float.__repr__(value)  # what json.dumps writes
        if not _JSON_NUMBER.fullmatch(text):
            raise NeedsLocating("NaN or infinity")
        return YDecimal(text)
    if kind is Decimal:
        text = str(value)
        number = _JSON_NUMBER.fullmatch(text)
        if number is None:
            raise NeedsLocating("NaN or infinity")
        return YInt(int(text), text) if not (number.group(1) or number.group(2)) else YDecimal(text)
    if kind is dt.date:
        return value.isoformat()
    raise NeedsLocating(kind.__name__)
