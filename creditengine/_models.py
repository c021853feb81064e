"""pydantic at the boundary: value types that accept located YAML scalars, and
validation that turns pydantic's errors into located problems."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from ._errors import CreditEngineError, Problem
from ._expr import suggest
from ._limits import number_problem
from ._yaml import Document, NonFinite, written_text

__all__ = [
    "Day",
    "Flag",
    "Int",
    "Label",
    "Num",
    "PlainLabel",
    "PlainText",
    "Strict",
    "Text",
    "describe",
    "unique",
    "validate",
]


class Strict(BaseModel):
    """Base of every boundary model: unknown keys are errors; models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    #: Said after "unknown key 'x': only ... are allowed here;" when no known key is close to x.
    unknown_key_hint: ClassVar[str] = ""


def describe(value: object) -> str:
    """A short description of a value for messages."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"text {value!r}"
    return repr(written_text(value) or value)


def _text(value: object) -> object:
    if isinstance(value, str):
        return str(value)
    text = written_text(value)
    if text is not None:
        return text  # kept as written: version: 2024.10 stays "2024.10"
    if isinstance(value, bool):
        raise PydanticCustomError(
            "text", "expected text, got {got}; put it in quotes", {"got": describe(value)}
        )
    if isinstance(value, int | Decimal):
        return str(value)
    raise PydanticCustomError("text", "expected text, got {got}", {"got": describe(value)})


def _num(value: object) -> object:
    if isinstance(value, bool | NonFinite):
        raise PydanticCustomError("number", "expected a number, got {got}", {"got": describe(value)})
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, int):
        value = Decimal(value)
    if not isinstance(value, Decimal):
        raise PydanticCustomError("number", "expected a number, got {got}", {"got": describe(value)})
    problem = number_problem(value)
    if problem:
        raise PydanticCustomError("number", problem)
    return Decimal(str(value))


def _int(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError("integer", "expected a whole number, got {got}", {"got": describe(value)})
    problem = number_problem(Decimal(value))
    if problem:
        raise PydanticCustomError("number", problem)
    return int(value)


def _day(value: object) -> object:
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date", "expected a date (YYYY-MM-DD), not a date and time")
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "date", "{got} is not a real date (YYYY-MM-DD)", {"got": repr(value)}
            ) from None
    raise PydanticCustomError("date", "expected a date (YYYY-MM-DD), got {got}", {"got": describe(value)})


def _flag(value: object) -> object:
    if not isinstance(value, bool):
        raise PydanticCustomError("boolean", "expected true or false, got {got}", {"got": describe(value)})
    return value


# Control characters (ESC, NUL...), bidirectional controls (U+202A-U+202E, U+2066-U+2069,
# U+200E/U+200F) and other invisible format characters, and line/paragraph separators.
_HIDDEN_CATEGORIES = ("Cc", "Cf", "Zl", "Zp")


def _plain(value: str) -> str:
    # Ids and versions reach terminals, file names and other systems verbatim: refuse what a
    # terminal would obey (ESC[2J clears the screen) or what reorders text (U+202E), at load time.
    if value.isprintable():  # false for any Cc, Cf, Zl or Zp character: most ids need no loop
        return value
    for char in value:
        if unicodedata.category(char) in _HIDDEN_CATEGORIES:
            raise PydanticCustomError(
                "plain_text",
                "ids and versions are plain text: {char} (a control or invisible formatting "
                "character) is not allowed",
                {"char": f"U+{ord(char):04X}"},
            )
    return value


Text = Annotated[str, BeforeValidator(_text)]
#: Text that names something (an id, a version): no control or invisible formatting characters.
PlainText = Annotated[str, BeforeValidator(_text), AfterValidator(_plain)]
#: Text that staff often write as a number (levels, versions): kept as written either way.
Label = Annotated[str, BeforeValidator(_text), WithJsonSchema({"type": ["string", "number"]})]
PlainLabel = Annotated[
    str, BeforeValidator(_text), AfterValidator(_plain), WithJsonSchema({"type": ["string", "number"]})
]
Num = Annotated[Decimal, BeforeValidator(_num), WithJsonSchema({"type": "number"})]
Int = Annotated[int, BeforeValidator(_int)]
Day = Annotated[dt.date, BeforeValidator(_day), WithJsonSchema({"type": "string", "format": "date"})]
Flag = Annotated[bool, BeforeValidator(_flag)]

M = TypeVar("M", bound=BaseModel)


def unique(items: list[str], noun: str, nouns: str) -> list[str]:
    """``items`` when no two are equal; else an error at the second of a pair, naming it.

    The error's ``at`` context is the index, so ``problems_of`` locates the item's own line.
    """
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        if item in first:
            raise PydanticCustomError(
                "unique",
                "{noun} {item} is listed twice (first as item {first}); {nouns} must be unique",
                {"noun": noun, "nouns": nouns, "item": repr(item), "first": first[item] + 1, "at": (index,)},
            )
        first[item] = index
    return items


def _data_path(data: Any, loc: Iterable[int | str]) -> tuple[tuple[str | int, ...], bool]:
    """The part of pydantic's ``loc`` that walks real data (drops union tags); and whether it all did."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif isinstance(node, dict | list):
            if isinstance(part, str) and not part.startswith(("function", "tagged", "union")):
                path.append(part)
                return tuple(path), False
            continue
        elif isinstance(part, str) and part.startswith("union-"):
            continue  # the tag of a union on a plain value (_packfiles' number-or-mapping fields)
        else:
            return tuple(path), False
        path.append(part)
    return tuple(path), True


def _model_at(model: type[BaseModel], path: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model that validates the mapping at ``path`` (None when no model does)."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _fields_of(model: type[BaseModel] | None) -> list[str]:
    """The key names a model accepts (for suggestions)."""
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _listed(words: list[str]) -> str:
    return ", ".join(words[:-1]) + f" and {words[-1]}" if len(words) > 1 else "".join(words)


def _comma_split(doc: Document, path: tuple[str | int, ...]) -> tuple[str | int, str] | None:
    """When the unknown key at ``path`` is part of a text cut up by commas: its first cut-off
    piece (the key to report, once for the whole text) and the text whole, quoted.

    In a flow mapping, ``{en: Priority industries, caps and validity}`` is read as ``en:
    Priority industries`` and a key ``caps and validity`` with no value. Such keys have no
    value and share their line with the unquoted text before them.
    """
    parent = doc.data
    for part in path[:-1]:
        if isinstance(parent, dict) and part in parent:
            parent = parent[part]
        elif isinstance(parent, list) and isinstance(part, int) and 0 <= part < len(parent):
            parent = parent[part]
        else:
            return None
    if not path or not isinstance(parent, dict) or path[-1] not in parent or parent[path[-1]] is not None:
        return None
    keys = list(parent)
    line = doc.locate(path, key=True).line

    def on_line(key: str | int) -> bool:
        here = (*path[:-1], key)
        return doc.base + here in doc.key_marks and doc.locate(here, key=True).line == line

    start = end = keys.index(path[-1])
    while start > 0 and on_line(keys[start - 1]) and parent[keys[start - 1]] is None:
        start -= 1
    while end + 1 < len(keys) and on_line(keys[end + 1]) and parent[keys[end + 1]] is None:
        end += 1
    if start == 0 or not on_line(keys[start - 1]):
        return None
    owner = keys[start - 1]
    text = parent[owner]
    if not isinstance(text, str) or doc.is_quoted((*path[:-1], owner)):  # JSON text is always quoted
        return None
    pieces = [text, *(str(key) for key in keys[start : end + 1])]
    return keys[start], f'{owner}: "{", ".join(pieces)}"'


def _unknown_key(
    model: type[BaseModel], doc: Document, path: tuple[str | int, ...]
) -> tuple[str, tuple[str | int, ...]]:
    """``unknown key 'x'`` with what helps most (the text to quote, the key meant, or where it
    goes), and the key to report it at."""
    key = str(path[-1]) if path else "?"
    owner = _model_at(model, path[:-1])
    allowed = _fields_of(owner)
    meant = suggest(key, allowed) if allowed else ""
    split = _comma_split(doc, path) if not meant or " " in key else None
    if split is not None:
        first, joined = split
        message = (
            f"unknown key {first!r}: a comma in {{...}} ends the text before it, and YAML read "
            f"the rest as another key; quote this text: {joined}"
        )
        return message, (*path[:-1], first)
    hint = getattr(owner, "unknown_key_hint", "")
    if meant or not hint:
        return f"unknown key {key!r}{meant}", path
    return f"unknown key {key!r}: only {_listed(allowed)} are allowed here; {hint}", path


def _inner_model(annotation: Any) -> Any:
    args = getattr(annotation, "__args__", ())
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in args:
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


_PATTERN_WORDS = {
    r"^[a-z0-9][a-z0-9_.-]*$": (
        "ids are lower-case letters, digits and '-' (also '_' and '.'), e.g. highly-skilled-worker"
    ),
    r"^[A-Z]{3}$": "a currency is a three-letter code in capitals, e.g. CNY",
}


def _plain_words(err: Any) -> str | None:
    """pydantic's wording of the common errors, as plain sentences staff can act on (None: keep it)."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind in ("too_short", "string_too_short"):
        least = ctx.get("min_length", 1)
        if ctx.get("field_type") == "List":
            plural = "s" if least != 1 else ""
            return f"needs at least {least} item{plural} (has {ctx.get('actual_length', 0)})"
        if not value:
            return "must not be empty"
        return f"must be at least {least} characters long"
    if kind in ("too_long", "string_too_long"):
        most = ctx.get("max_length")
        if ctx.get("field_type") == "List":
            return f"holds more than {most} items"
        return f"is longer than {most} characters"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        words = _PATTERN_WORDS.get(pattern, f"it does not have the expected form ({pattern})")
        return f"{describe(value)} is not allowed here: {words}"
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", ""))
        options = re.findall(r"'([^']*)'", expected)
        got = value if isinstance(value, str) else str(value)
        choice = expected if len(options) <= 2 else f"one of {expected}"
        return f"must be {choice}, got {describe(value)}" + suggest(got, options)
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of keys to values, got {describe(value)}"
    if kind == "list_type":
        return f"expected a list, got {describe(value)}"
    bound = {
        "greater_than": "greater than {gt}",
        "greater_than_equal": "greater than or equal to {ge}",
        "less_than": "less than {lt}",
        "less_than_equal": "less than or equal to {le}",
    }.get(kind)
    if bound is not None:
        return f"must be {bound.format(**ctx)}, got {describe(value)}"
    message = str(err["msg"])
    if message.startswith("Input should be "):
        return "must be " + message[len("Input should be ") :]
    return None


def problems_of(exc: ValidationError, doc: Document, model: type[BaseModel]) -> list[Problem]:
    """Turn a pydantic ``ValidationError`` into one located problem per error."""
    problems: list[Problem] = []
    seen: set[tuple[object, str]] = set()
    for err in exc.errors(include_url=False):
        path, complete = _data_path(doc.data, err["loc"])
        kind = err["type"]
        at = (err.get("ctx") or {}).get("at")
        if complete and isinstance(at, tuple):  # a validator that names the item at fault (``unique``)
            path = (*path, *at)
        if kind == "extra_forbidden":
            message, at_key = _unknown_key(model, doc, path)
            location = doc.locate(at_key, key=True)
        elif kind == "missing":
            missing = err["loc"][-1]
            message = f"missing required key {missing!r}"
            location = doc.locate(path[:-1] if not complete else path)
            if path and path[-1] == missing:
                location = doc.locate(path[:-1])
        else:
            message = _plain_words(err) or str(err["msg"])
            if message.startswith("Value error, "):
                message = message[len("Value error, ") :]
            if not complete and len(path) < len([p for p in err["loc"] if isinstance(p, int | str)]):
                message = f"{message} (at {'.'.join(str(p) for p in err['loc'])})"
            location = doc.locate(path)
        field = location.field
        if field and kind != "extra_forbidden" and not message.startswith(field):
            message = f"{field}: {message}"
        if (location, message) in seen:
            continue
        seen.add((location, message))
        problems.append(Problem(location, message))
    return problems


def validate(model: type[M], doc: Document, error: type[CreditEngineError], what: str = "document") -> M:
    """Validate ``doc`` against ``model``; raise ``error`` with every located problem.

    :raises CreditEngineError: of class ``error``, one problem per pydantic error.
    """
    if not isinstance(doc.data, dict):
        raise error(f"a {what} must be a mapping, got {describe(doc.data)}", location=doc.locate(()))
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems = problems_of(exc, doc, model)
        raise error(problems[0].message, problems=problems) from None
