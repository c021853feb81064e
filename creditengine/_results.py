"""The evaluation result (SPEC §5): frozen data with a deterministic JSON form."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

__all__ = [
    "Adjustment",
    "Claim",
    "Derived",
    "ExemptedCourse",
    "LedgerEntry",
    "Missing",
    "Outcome",
    "PackInfo",
    "Phrase",
    "Result",
    "Totals",
    "TransferOutcome",
    "format_points",
]

Status = Literal["counted", "capped", "expired", "duplicate", "excluded"]


def format_points(value: Decimal) -> str:
    """Decimal as plain text without exponent or trailing zeros: ``96``, ``12.5``.

    Context-free (no ``normalize()``), so a caller's decimal precision never changes output.
    """
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


@dataclass(frozen=True, slots=True)
class Phrase:
    """A sentence in English and Chinese; ``zh`` falls back to ``en``."""

    en: str
    zh: str = ""

    def text(self, lang: str = "en") -> str:
        """The sentence in ``lang`` (``en`` or ``zh``)."""
        return (self.zh or self.en) if lang == "zh" else self.en


@dataclass(frozen=True, slots=True)
class Adjustment:
    """What an adjustment rule did to a ledger entry."""

    rule: str
    version: str
    effect: Phrase

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON form."""
        return {"rule": self.rule, "version": self.version, "effect": self.effect.text(lang)}


@dataclass(frozen=True, slots=True)
class LedgerEntry:
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
class Totals:
    """Counted points, overall and by category (in the pack's category order)."""

    all: Decimal
    by_category: tuple[tuple[str, Decimal], ...]

    def category(self, name: str) -> Decimal:
        """Points in one category (0 when none)."""
        return dict(self.by_category).get(name, Decimal(0))

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "all": format_points(self.all),
            "by_category": {name: format_points(v) for name, v in self.by_category},
        }


@dataclass(frozen=True, slots=True)
class Derived:
    """An achievement derived from others by an equivalence rule."""

    id: str
    rule: str
    sources: tuple[str, ...]
    version: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"id": self.id, "rule": self.rule, "version": self.version, "from": list(self.sources)}


@dataclass(frozen=True, slots=True)
class Missing:
    """Why a requirement is unmet: what is needed, what the worker has, and the gap."""

    requirement: Phrase
    have: Decimal | None = None
    need: Decimal | None = None
    detail: Phrase | None = None
    options: tuple[tuple[Missing, ...], ...] = ()

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """JSON form."""
        out: dict[str, Any] = {"requirement": self.requirement.text(lang)}
        if self.have is not None:
            out["have"] = format_points(self.have)
        if self.need is not None:
            out["need"] = format_points(self.need)
        if self.detail is not None:
            out["closest"] = self.detail.text(lang)
        if self.options:
            out["options"] = [[m.to_dict(lang) for m in option] for option in self.options]
        return out


@dataclass(frozen=True, slots=True)
class Outcome:
    """A policy's decision for the worker, with why (``because``) and why not (``missing``).

    .. versionadded:: 0.1
    """

    policy: str
    version: str
    title: Phrase
    grants: str
    status: Literal["met", "unmet"]
    because: tuple[Phrase, ...]
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
            "because": [b.text(lang) for b in self.because],
            "missing": [m.to_dict(lang) for m in self.missing],
        }


@dataclass(frozen=True, slots=True)
class Claim:
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
    reason: Phrase

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
            "reason": self.reason.text(lang),
        }


@dataclass(frozen=True, slots=True)
class ExemptedCourse:
    """A programme course the worker need not take, and the achievement that exempts it."""

    code: str
    title: Phrase
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
class TransferOutcome:
    """Credits recognised toward a formal programme: from points, from exemptions, capped.

    .. versionadded:: 0.1
    """

    policy: str
    version: str
    programme: str
    title: Phrase
    status: Literal["granted", "refused"]
    credits: Decimal
    limit: Decimal | None
    points: Decimal
    from_points: Decimal
    exemptions: tuple[ExemptedCourse, ...]
    capped: bool
    reason: Phrase

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
            "reason": self.reason.text(lang),
        }


@dataclass(frozen=True, slots=True)
class PackInfo:
    """Which pack decided: name, fingerprint and the version of every rule file used."""

    name: str
    fingerprint: str
    versions: tuple[tuple[str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"name": self.name, "fingerprint": self.fingerprint, "versions": dict(self.versions)}


@dataclass(frozen=True)
class Result:
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
    warnings: tuple[Phrase, ...]
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
            "warnings": [w.text(lang) for w in self.warnings],
        }

    def to_json(self, *, lang: str = "en", indent: int | None = 2) -> str:
        """Deterministic JSON: the same record, pack and date give the same bytes."""
        return json.dumps(self.to_dict(lang), ensure_ascii=False, indent=indent)
