"""Lowering the parts of rule files that are lookup tables or read one worker value:
table keys (of points lookups and of cap limits), caps (a limit fixed or looked up by a
worker attribute; which entries go first), and a transfer programme's size read from
the worker's record. ``_lower`` is at its size limit; :class:`Lowering` there inherits
these methods from :class:`CapLowering`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from ._errors import ExpressionError, RuleSchemaError
from ._expr import FieldSpec, FieldType, level_key, suggest, table_key
from ._ir import Cap, LimitTable
from ._limits import number_problem
from ._packfiles import CapModel, CategoryOrder, LimitLookup, PackFile, WorkerValue
from ._yaml import Document

__all__ = ["CapLowering", "table_key_of"]


_BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NUMBER = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")


def table_key_of(key: str, spec: FieldSpec | None) -> tuple[str, str | None]:
    """A lookup-table key (YAML key text) as the looked-up field's values are keyed
    (``table_key``), or why no value of that field can ever equal it."""
    kind = spec.type if spec is not None else FieldType.TEXT
    if kind in (FieldType.NUMBER, FieldType.INTEGER):
        if not _NUMBER.match(key):
            return key, f"table key {key}: not a number, and the looked-up field is a number"
        number = Decimal(key)
        if (problem := number_problem(number)) is not None:
            return key, f"table key {key}: {problem}"
        return table_key(number), None
    if kind is FieldType.BOOL:
        if key not in _BOOLEANS:
            return key, f"table key {key}: not true or false, and the looked-up field is true or false"
        return table_key(_BOOLEANS[key]), None
    if kind is FieldType.DATE:
        try:
            return table_key(dt.date.fromisoformat(key)), None
        except ValueError:
            return key, f"table key {key}: not a date (YYYY-MM-DD), and the looked-up field is a date"
    return level_key(key), None  # text, and levels: names, compared as written


def _month_day(text: str) -> tuple[int, int]:
    month, day = (int(part) for part in text.split("-"))
    return month, day


class CapLowering:
    """Lowering of caps and worker values; mixed into ``_lower.Lowering``, whose state it reads."""

    problems: Any  # _lower.Problems
    categories: list[str]
    attributes: dict[str, FieldSpec]
    fact_fields: dict[str, FieldSpec]
    header: PackFile
    known_fields: Callable[[list[str], Document, tuple[str | int, ...]], None]

    def cap(self, cap: CapModel, doc: Document, at: tuple[str | int, ...]) -> Cap:
        """A cap, its limit fixed or looked up by a worker attribute, and which entries it cuts first."""
        self.known_fields(cap.by, doc, (*at, "by"))
        which, limit = ("max", cap.max) if cap.max is not None else ("count", cap.count)
        limit_by = None
        if isinstance(limit, LimitLookup):
            limit_by = self.limit_table(limit, doc, (*at, which), counts=which == "count")
            limit = None
        order = cap.cut.categories if isinstance(cap.cut, CategoryOrder) else []
        for index, name in enumerate(order):
            if name not in self.categories:
                self.problems.add(
                    RuleSchemaError,
                    doc.locate((*at, "cut", "categories", index)),
                    f"unknown category {name!r}" + suggest(name, self.categories),
                )
        keep = cap.keep or ("highest" if cap.cut == "lowest" else "first")
        most = limit if which == "max" and isinstance(limit, Decimal) else None
        count = int(limit) if which == "count" and limit is not None else None
        by = tuple(cap.by)
        titles = {c.id: c.title for c in self.header.categories if not isinstance(c, str)}
        named = tuple(
            tuple((lang, text) for lang, text in (("en", t.en), ("zh", t.zh)) if text)
            if (t := titles.get(name)) is not None
            else ()
            for name in order
        )
        cap_ir = Cap(most, cap.per, _month_day(cap.year_starts), count, keep, by, limit_by, tuple(order))
        return replace(cap_ir, cut_titles=named) if any(named) else cap_ir

    def limit_table(
        self, lookup: LimitLookup, doc: Document, at: tuple[str | int, ...], *, counts: bool
    ) -> LimitTable | None:
        """A cap's limit by a worker attribute; every key a value of it, every count whole."""
        path, known = lookup.lookup, [f"worker.{name}" for name in self.attributes]
        spec = self.fact_fields.get(path) if path in known else None
        if spec is None:
            message = f"a cap's limit is looked up by a worker attribute (worker.NAME), not {path!r}"
            self.problems.add(ExpressionError, doc.locate((*at, "lookup")), message + suggest(path, known))
            return None
        rows = []
        for key, value in lookup.table.items():
            where = doc.locate((*at, "table", key), key=True)
            normal, why = table_key_of(str(key), spec)
            if why is None and spec.type is FieldType.ENUM and normal not in spec.values:
                why = f"table key {key}: not one of {', '.join(spec.values)}" + suggest(normal, spec.values)
            if why is None and counts and value != value.to_integral_value():
                why = f"table[{key}]: a count of achievements is a whole number, got {value}"
            if why is not None:
                self.problems.add(ExpressionError, where, why)
            rows.append((normal, value))
        default = lookup.default
        if counts and default is not None and default != default.to_integral_value():
            self.problems.add(
                ExpressionError, doc.locate((*at, "default")), "a count of achievements is a whole number"
            )
        return LimitTable(path, tuple(rows), default, counts)

    def worker_value(
        self, value: Decimal | WorkerValue, doc: Document, at: tuple[str | int, ...]
    ) -> str | None:
        """The declared number attribute a ``{ref: worker.NAME}`` reads (its name without ``worker.``)."""
        if not isinstance(value, WorkerValue):
            return None
        name = value.ref.removeprefix("worker.")
        spec = self.attributes.get(name)
        if (
            not value.ref.startswith("worker.")
            or spec is None
            or spec.type not in (FieldType.INTEGER, FieldType.NUMBER)
        ):
            numbers = [
                f"worker.{n}"
                for n, s in self.attributes.items()
                if s.type in (FieldType.INTEGER, FieldType.NUMBER)
            ]
            self.problems.add(
                ExpressionError,
                doc.locate(at),
                f"ref: {value.ref!r} is not a number attribute of the worker (worker.NAME, declared "
                f"integer or decimal in pack.yaml)" + suggest(value.ref, numbers),
            )
        return name
