"""The facts rules read: one flat mapping per achievement (real or derived), plus
the worker's declared attributes, checked against their types in pack.yaml; and
warnings for levels outside the pack's frameworks, which no rule can read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ._errors import RecordError
from ._expr import FieldSpec, FieldType
from ._limits import number_problem
from ._record import Achievement, WorkerRecord
from ._results import Phrase, format_points

__all__ = ["Item", "items_of", "worker_facts"]


@dataclass
class Item:
    """An achievement as rules see it: a record's own, or one derived by equivalence.

    ``root`` is the record achievement it comes from: a source and everything
    derived from it are one piece of learning.
    """

    id: str
    title: str | None
    completed: dt.date
    position: int
    facts: dict[str, Any]
    root: str
    depth: int = 0
    applied: frozenset[str] = field(default_factory=frozenset)  # equivalence rules in its lineage
    rule: str | None = None  # the equivalence rule that derived it
    version: str | None = None
    sources: tuple[str, ...] = ()
    # Its level is not one of its framework's (or the framework is unknown): already warned
    # about, so rules that look the level up do not blame their own tables for it.
    level_reported: bool = False


def items_of(
    record: WorkerRecord,
    as_of: dt.date,
    worker_view: Mapping[str, Any],
    warnings: list[Phrase],
    *,
    frameworks: Mapping[str, tuple[str, ...]],
) -> list[Item]:
    """The record's achievements completed by ``as_of``; later ones are left out with a warning.

    Levels outside their framework, unknown frameworks and an expiry before completion
    are warned about here, once per achievement, since no rule could say why it fails.
    """
    items = []
    for position, achievement in enumerate(record.achievements):
        _check_dates(achievement, warnings)
        if achievement.completed > as_of:
            day = achievement.completed.isoformat()
            warnings.append(
                Phrase(
                    f"{achievement.id}: completed {day}, after the evaluation date; not counted",
                    f"{achievement.id}：完成于 {day}，晚于评估日期，不计入",
                )
            )
            continue
        facts = achievement.facts()
        facts.update(worker_view)
        item = Item(achievement.id, achievement.title, achievement.completed, position, facts, achievement.id)
        item.level_reported = _level_reported(achievement, frameworks, warnings)
        items.append(item)
    return items


def _check_dates(achievement: Achievement, warnings: list[Phrase]) -> None:
    expires = achievement.expires
    if expires is not None and expires < achievement.completed:
        ident, end, done = achievement.id, expires.isoformat(), achievement.completed.isoformat()
        warnings.append(
            Phrase(
                f"{ident}: expires {end}, before it was completed ({done}); check the record",
                f"{ident}：到期日 {end} 早于完成日期 {done}，请核对记录",
            )
        )


def _level_reported(
    achievement: Achievement, frameworks: Mapping[str, tuple[str, ...]], warnings: list[Phrase]
) -> bool:
    """Warn when the achievement's level is not in the pack's frameworks; whether it did."""
    level = achievement.level
    if level is None:
        return False
    ident, name = achievement.id, level.framework
    levels = frameworks.get(name)
    if levels is None:
        known = ", ".join(frameworks) or "none"
        warnings.append(
            Phrase(
                f"{ident}: framework {name} is not declared in the pack (known: {known})",
                f"{ident}：等级框架 {name} 未在规则包中声明（已声明：{known}）",
            )
        )
        return True
    if level.value in levels:
        return False
    shown = ", ".join(levels)
    warnings.append(
        Phrase(
            f"{ident}: level {level.value} is not a level of framework {name} (levels {shown})",
            f"{ident}：等级 {level.value} 不是等级框架 {name} 的等级（等级为 {shown}）",
        )
    )
    return True


def worker_facts(
    record: WorkerRecord, declared: Mapping[str, FieldSpec], warnings: list[Phrase]
) -> dict[str, Any]:
    """The worker's attributes as dotted paths, each checked against its declared type.

    :raises RecordError: located at the attribute, when a value does not fit its type.
    """
    flat: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict) and prefix not in declared:
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        else:
            flat[prefix] = value

    walk("", record.worker.attributes)
    facts: dict[str, Any] = {}
    for path, value in sorted(flat.items()):
        spec = declared.get(path)
        if spec is None:
            warnings.append(
                Phrase(
                    f"worker attribute {path} is not declared in pack.yaml; no policy reads it",
                    f"劳动者属性 {path} 未在 pack.yaml 中声明，不被任何政策使用",
                )
            )
            continue
        if value is None:
            continue
        facts[path] = _attribute(value, spec, path, record)
    return facts


def _attribute(value: Any, spec: FieldSpec, path: str, record: WorkerRecord) -> Any:
    """A worker attribute checked against its declared type (pack.yaml ``attributes``)."""
    location = record.locate("worker", "attributes", *path.split("."))
    kind = spec.type

    def refuse(why: str) -> RecordError:
        return RecordError(f"worker.attributes.{path}: {why}", location=location)

    if kind in (FieldType.INTEGER, FieldType.NUMBER):
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise refuse(f"expected a number, got {value!r}")
        number = Decimal(value)
        if problem := number_problem(number):
            raise refuse(problem)
        if kind is FieldType.INTEGER and number != number.to_integral_value():
            raise refuse(f"expected a whole number, got {value}")
        if spec.low is not None and number < spec.low:
            raise refuse(f"{value} is below the minimum {format_points(spec.low)}")
        if spec.high is not None and number > spec.high:
            raise refuse(f"{value} is above the maximum {format_points(spec.high)}")
        return number
    if kind is FieldType.BOOL:
        if not isinstance(value, bool):
            raise refuse(f"expected true or false, got {value!r}")
        return value
    if kind is FieldType.DATE:
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise refuse(f"{value!r} is not a date (YYYY-MM-DD)") from None
        if not isinstance(value, dt.date):
            raise refuse(f"expected a date, got {value!r}")
        return dt.date(value.year, value.month, value.day)
    text = value if isinstance(value, str) else getattr(value, "text", None)
    if not isinstance(text, str):
        raise refuse(f"expected text, got {value!r}")
    if kind is FieldType.ENUM and text not in spec.values:
        raise refuse(f"{text!r} is not one of {', '.join(spec.values)}")
    return str(text)
