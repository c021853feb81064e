"""The evaluation result (SPEC §5): frozen data with a deterministic JSON form."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Literal

from ._explain import PackWords, pack_words, render, speaking
from ._trace import Reason, Wording, format_points

__all__ = [
    "Adjustment",
    "Claim",
    "Derived",
    "ExemptedCourse",
    "LedgerEntry",
    "Missing",
    "Outcome",
    "PackInfo",
    "Result",
    "Totals",
    "TransferOutcome",
    "format_points",
]

Status = Literal["counted", "capped", "expired", "duplicate", "excluded"]


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


class _Positional:
    """Pickled as the class and its field values in order: compact and quick to rebuild,
    which is what results crossing between worker processes need."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (type(self), tuple([getattr(self, name) for name in _field_names(type(self))]))


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in fields(cls) if f.init)  # derived fields are rebuilt
    return names


@dataclass(frozen=True, slots=True)
class Adjustment(_Positional):
    """What an adjustment rule did to a ledger entry."""

    rule: str
    version: str
    effect: Reason

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON form: the effect as a sentence, with its code and params beside it."""
        return {
            "rule": self.rule,
            "version": self.version,
            "effect": render(self.effect, lang),
            **self.effect.to_json(),
        }


@dataclass(frozen=True, slots=True)
class LedgerEntry(_Positional):
    """Points one rule gave one achievement, after every adjustment.

    .. versionadded:: 0.1
    """

    achievement: str
    rule: str
    version: str
    base: Decimal
    adjustments: tuple[Adjustment, ...]
    points: Decimal
    category: str
    status: Status

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON form (SPEC §5)."""
        return {
            "achievement": self.achievement,
            "rule": self.rule,
            "version": self.version,
            "base": format_points(self.base),
            "adjustments": [a.to_dict(lang) for a in self.adjustments],
            "points": format_points(self.points),
            "category": self.category,
            "status": self.status,
        }


@dataclass(frozen=True, slots=True)
class Totals(_Positional):
    """Counted points, overall and by category (in the pack's category order)."""

    all: Decimal
    by_category: tuple[tuple[str, Decimal], ...]
    # ``by_category`` as a read-only mapping, built once (policies look categories up per record).
    _by_category: Mapping[str, Decimal] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_category", MappingProxyType(dict(self.by_category)))

    def category(self, name: str) -> Decimal:
        """Points in one category (0 when none)."""
        return self._by_category.get(name, Decimal(0))

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "all": format_points(self.all),
            "by_category": {name: format_points(v) for name, v in self.by_category},
        }


@dataclass(frozen=True, slots=True)
class Derived(_Positional):
    """An achievement derived from others by an equivalence rule."""

    id: str
    rule: str
    sources: tuple[str, ...]
    version: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"id": self.id, "rule": self.rule, "version": self.version, "from": list(self.sources)}


@dataclass(frozen=True, slots=True)
class Missing(_Positional):
    """Why a requirement is unmet: what is needed, what the worker has, and the gap."""

    requirement: Reason
    have: Decimal | None = None
    need: Decimal | None = None
    detail: Reason | None = None
    options: tuple[tuple[Missing, ...], ...] = ()

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON form: sentences, with the codes and params of the requirement and the closest miss."""
        out: dict[str, Any] = {"requirement": render(self.requirement, lang)}
        if self.have is not None:
            out["have"] = format_points(self.have)
        if self.need is not None:
            out["need"] = format_points(self.need)
        if self.detail is not None:
            out["closest"] = render(self.detail, lang)
        if self.options:
            out["options"] = [[m.to_dict(lang) for m in option] for option in self.options]
        out.update(self.requirement.to_json())
        if self.detail is not None:
            out["closest_reason"] = self.detail.to_json()
        return out


@dataclass(frozen=True, slots=True)
class Outcome(_Positional):
    """A policy's decision for the worker, with why (``because``) and why not (``missing``).

    .. versionadded:: 0.1
    """

    policy: str
    version: str
    title: Wording
    grants: str
    status: Literal["met", "unmet"]
    because: tuple[Reason, ...]
    missing: tuple[Missing, ...]

    @property
    def met(self) -> bool:
        """Whether the policy's requirements hold."""
        return self.status == "met"

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON form (SPEC §5)."""
        return {
            "policy": self.policy,
            "version": self.version,
            "title": self.title.text(lang),
            "grants": self.grants,
            "status": self.status,
            "because": [render(b, lang) for b in self.because],
            "missing": [m.to_dict(lang) for m in self.missing],
            "because_reasons": [b.to_json() for b in self.because],
        }


@dataclass(frozen=True, slots=True)
class Claim(_Positional):
    """An entitlement claim: granted with its amount, or refused with the rule that refused it.

    .. versionadded:: 0.1
    """

    policy: str
    version: str
    rule: str
    status: Literal["granted", "refused"]
    amount: Decimal
    currency: str
    sources: tuple[str, ...]
    reason: Reason

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON form."""
        return {
            "policy": self.policy,
            "version": self.version,
            "rule": self.rule,
            "status": self.status,
            "amount": format_points(self.amount),
            "currency": self.currency,
            "for": list(self.sources),
            "reason": render(self.reason, lang),
            **self.reason.to_json(),
        }


@dataclass(frozen=True, slots=True)
class ExemptedCourse(_Positional):
    """A programme course the worker need not take, and the achievement that exempts it."""

    code: str
    title: Wording
    credits: Decimal
    by: str
    rule: str

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON form."""
        return {
            "course": self.code,
            "title": self.title.text(lang),
            "credits": format_points(self.credits),
            "by": self.by,
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class TransferOutcome(_Positional):
    """Credits recognised toward a formal programme: from points, from exemptions, capped.

    .. versionadded:: 0.1
    """

    policy: str
    version: str
    programme: str
    title: Wording
    status: Literal["granted", "refused"]
    credits: Decimal
    limit: Decimal | None
    points: Decimal
    from_points: Decimal
    exemptions: tuple[ExemptedCourse, ...]
    capped: bool
    reason: Reason

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON form."""
        return {
            "policy": self.policy,
            "version": self.version,
            "programme": self.programme,
            "title": self.title.text(lang),
            "status": self.status,
            "credits": format_points(self.credits),
            "limit": format_points(self.limit) if self.limit is not None else None,
            "points": format_points(self.points),
            "from_points": format_points(self.from_points),
            "exemptions": [e.to_dict(lang) for e in self.exemptions],
            "capped": self.capped,
            "reason": render(self.reason, lang),
            **self.reason.to_json(),
        }


@dataclass(frozen=True, slots=True)
class PackInfo(_Positional):
    """Which pack decided: name, fingerprint and the version of every rule file used."""

    name: str
    fingerprint: str
    versions: tuple[tuple[str, str], ...]
    #: The pack's own titles of its categories, for text views (the JSON names categories by id).
    category_titles: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    #: Each status by the title of the policy that grants it, for text views (JSON keeps the id).
    status_titles: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    #: The record fields whose values are categories (``industry``), for text views.
    category_fields: tuple[str, ...] = ()

    def words(self, lang: str) -> PackWords | None:
        """The pack's own names that ``lang`` sentences use for its ids (Chinese only)."""
        if lang != "zh":
            return None
        return pack_words(self.category_titles, self.category_fields, self.status_titles)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"name": self.name, "fingerprint": self.fingerprint, "versions": dict(self.versions)}

    def category(self, name: str, lang: str = "en") -> str:
        """A category as a reader of ``lang`` sees it: its title in Chinese where the pack gives one,
        else its id (English views name categories by id, as rule files do)."""
        if lang == "zh":
            for ident, titles in self.category_titles:
                if ident == name:
                    return dict(titles).get("zh", name)
        return name


@dataclass(frozen=True)
class Result(_Positional):
    """The evaluation of one worker record against one pack on one date (SPEC §5).

    >>> result.totals.all, result.outcome("highly-skilled-worker").met  # doctest: +SKIP

    .. versionadded:: 0.1
    """

    worker: str
    as_of: dt.date
    pack: PackInfo
    ledger: tuple[LedgerEntry, ...]
    totals: Totals
    outcomes: tuple[Outcome, ...]
    unmatched: tuple[str, ...]
    warnings: tuple[Reason, ...]
    derived: tuple[Derived, ...] = ()
    entitlements: tuple[Claim, ...] = ()
    transfers: tuple[TransferOutcome, ...] = ()

    def outcome(self, policy: str) -> Outcome:
        """The outcome of one policy (by policy id or by the status it grants).

        :raises KeyError: when no policy of that name was evaluated.
        """
        for outcome in self.outcomes:
            if policy in (outcome.policy, outcome.grants):
                return outcome
        known = ", ".join(o.policy for o in self.outcomes)
        raise KeyError(f"no policy {policy!r} was evaluated (evaluated: {known})")

    @property
    def statuses(self) -> tuple[str, ...]:
        """Statuses granted by met policies."""
        return tuple(o.grants for o in self.outcomes if o.met)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON-ready form, keys in SPEC §5 order."""
        with speaking(self.pack.words(lang)):
            return self._to_dict(lang)

    def _to_dict(self, lang: str) -> dict[str, Any]:
        return {
            "worker": self.worker,
            "as_of": self.as_of.isoformat(),
            "pack": self.pack.to_dict(),
            "ledger": [e.to_dict(lang) for e in self.ledger],
            "totals": self.totals.to_dict(),
            "derived": [d.to_dict() for d in self.derived],
            "outcomes": [o.to_dict(lang) for o in self.outcomes],
            "entitlements": [c.to_dict(lang) for c in self.entitlements],
            "transfers": [t.to_dict(lang) for t in self.transfers],
            "unmatched": list(self.unmatched),
            "warnings": [render(w, lang) for w in self.warnings],
            "warning_reasons": [w.to_json() for w in self.warnings],
        }

    def to_json(self, *, lang: str = "en", indent: int | None = None) -> str:
        """Deterministic JSON: the same record, pack and date give the same bytes.

        :param indent: None (the default) writes one line with the C encoder, the fast
            form for programs; a number of spaces indents it for people (several times slower).

        .. versionchanged:: 0.2
           One line by default (was indented by 2).
        """
        if indent is None:
            return _COMPACT(self.to_dict(lang))
        return json.dumps(self.to_dict(lang), ensure_ascii=False, indent=indent)
