"""The intermediate representation: a compiled rule pack as plain, frozen data.

Nothing here knows YAML or pydantic; every evaluator compiles from these
types. Nodes carry ``source`` (file, line, column) so explanations and errors
can point back at the rule text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Generic, Literal, TypeVar

from ._expr import Condition, FieldSpec, Formula
from ._source import SourceLocation

__all__ = [
    "AchievementReq",
    "Action",
    "AdjustmentRule",
    "AdjustmentSet",
    "AllReq",
    "AnyReq",
    "Bonus",
    "Cap",
    "CategoryFrom",
    "ClaimLimit",
    "Conversion",
    "ConversionRule",
    "Course",
    "Dedupe",
    "Entitlement",
    "EntitlementRule",
    "Equivalence",
    "EquivalenceRule",
    "Exclude",
    "Exemption",
    "Expire",
    "FixedPoints",
    "FormulaPoints",
    "LevelMap",
    "LimitTable",
    "LookupPoints",
    "Meta",
    "Multiply",
    "NotReq",
    "Pack",
    "Period",
    "Policy",
    "Requirement",
    "Rounding",
    "Scale",
    "StatusReq",
    "TotalReq",
    "Transfer",
    "Window",
    "WorkerReq",
    "requirement_nodes",
    "statuses_in",
]

Rounding = Literal["half_up", "half_even", "down", "up"]
#: What a cap or a claim limit counts per; periods start on its ``year_starts``.
Period = Literal["year", "half", "quarter", "month", "lifetime"]


@dataclass(frozen=True, slots=True)
class Window:
    """An effective window; both ends inclusive, ``until=None`` is open-ended."""

    start: dt.date
    until: dt.date | None = None

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` falls inside the window."""
        return self.start <= day and (self.until is None or day <= self.until)

    def overlaps(self, other: Window) -> bool:
        """Whether two windows share at least one day."""
        end_a = self.until or dt.date.max
        end_b = other.until or dt.date.max
        return self.start <= end_b and other.start <= end_a

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.until.isoformat() if self.until else ''}"


@dataclass(frozen=True, slots=True)
class Meta:
    """What every rule file declares: identity, version and effective window."""

    id: str
    kind: str
    version: str
    effective: Window
    title: tuple[tuple[str, str], ...]
    reference: str | None
    owner: str | None
    source: SourceLocation
    effective_source: SourceLocation


@dataclass(frozen=True, slots=True)
class Scale:
    """The common point scale: unit, kept decimals and rounding."""

    unit: str
    decimals: int
    rounding: Rounding
    definition: tuple[tuple[str, str], ...] = ()


# --- conversions ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FixedPoints:
    """A fixed number of points."""

    value: Decimal


@dataclass(frozen=True, slots=True)
class FormulaPoints:
    """Points computed by a formula over the achievement's numeric fields."""

    formula: Formula
    text: str


@dataclass(frozen=True, slots=True)
class LookupPoints:
    """Points looked up in a table by a field's value (keys compare as text)."""

    path: str
    table: tuple[tuple[str, Decimal], ...]
    default: Decimal | None = None


Points = FixedPoints | FormulaPoints | LookupPoints


@dataclass(frozen=True, slots=True)
class CategoryFrom:
    """The category named by a field of the achievement (``"{industry}"``)."""

    path: str


@dataclass(frozen=True, slots=True)
class ConversionRule:
    """One row of a conversion: when it matches, how many points, which category."""

    id: str
    when: Condition | None
    points: Points
    category: str | CategoryFrom
    source: SourceLocation
    #: The rule's own title by language, when it has one (explanations cite it).
    title: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Conversion:
    """A conversion file (one version): rules combined by a hit policy."""

    meta: Meta
    hit: Literal["first", "max", "sum"]
    rules: tuple[ConversionRule, ...]


# --- adjustments ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Multiply:
    """Multiply points by ``factor``."""

    factor: Decimal


@dataclass(frozen=True, slots=True)
class Cap:
    """At most ``max`` points, or ``count`` achievements, per period (keyed on the
    completion date) and per value of the ``by`` fields (e.g. per provider)."""

    max: Decimal | None
    per: Period
    year_starts: tuple[int, int] = (1, 1)
    count: int | None = None
    keep: Literal["highest", "first"] = "first"
    by: tuple[str, ...] = ()
    #: The limit by a worker attribute instead (``max`` or ``count`` says which is limited).
    limit_by: LimitTable | None = None
    #: Categories whose entries are cut first, in this order (the others are kept longest).
    cut_first: tuple[str, ...] = ()
    #: Their titles by language, where pack.yaml gives them (Chinese output shows the zh title).
    cut_titles: tuple[tuple[tuple[str, str], ...], ...] = ()


@dataclass(frozen=True, slots=True)
class LimitTable:
    """A cap's limit looked up by the value of a worker attribute (``worker.programme.track``);
    ``default`` for a value with no row. Keys are :func:`~._expr.table_key` text."""

    path: str
    table: tuple[tuple[str, Decimal], ...]
    default: Decimal | None = None
    counts: bool = False  # the limit is a number of achievements (count:), not of points (max:)
    #: ``table`` as a read-only mapping (key -> limit), built once: every worker's caps read it.
    rows: Mapping[str, Decimal] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", MappingProxyType(dict(self.table)))


@dataclass(frozen=True, slots=True)
class Expire:
    """Learning no longer counts once ``as_of`` is past the date in ``field`` plus this period."""

    years: int = 0
    months: int = 0
    days: int = 0
    field: str = "completed"


@dataclass(frozen=True, slots=True)
class Dedupe:
    """Entries sharing ``keys`` count once; ``keep`` says which."""

    keys: tuple[str, ...]
    keep: Literal["highest", "first"]


@dataclass(frozen=True, slots=True)
class Exclude:
    """Learning worth nothing here, with the reason shown in the ledger."""

    reason: tuple[tuple[str, str], ...]


Action = Multiply | Cap | Expire | Dedupe | Exclude


@dataclass(frozen=True, slots=True)
class AdjustmentRule:
    """One adjustment: which entries it applies to and what it does."""

    id: str
    when: Condition | None
    action: Action
    source: SourceLocation
    unless: Condition | None = None


@dataclass(frozen=True, slots=True)
class AdjustmentSet:
    """An adjustment file (one version)."""

    meta: Meta
    rules: tuple[AdjustmentRule, ...]


# --- policies -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AllReq:
    """Every requirement holds."""

    items: tuple[Requirement, ...]
    source: SourceLocation


@dataclass(frozen=True, slots=True)
class AnyReq:
    """At least one requirement holds."""

    items: tuple[Requirement, ...]
    source: SourceLocation


@dataclass(frozen=True, slots=True)
class NotReq:
    """The requirement does not hold."""

    item: Requirement
    source: SourceLocation


@dataclass(frozen=True, slots=True)
class AchievementReq:
    """At least ``at_least`` achievements match ``condition``."""

    condition: Condition
    at_least: int
    source: SourceLocation


@dataclass(frozen=True, slots=True)
class TotalReq:
    """Counted points (overall, in one category, or from matching achievements) reach ``gte``."""

    gte: Decimal
    category: str | None
    source: SourceLocation
    where: Condition | None = None


@dataclass(frozen=True, slots=True)
class StatusReq:
    """Another policy granted ``status``."""

    status: str
    source: SourceLocation


@dataclass(frozen=True, slots=True)
class WorkerReq:
    """The worker's declared attributes satisfy ``condition``."""

    condition: Condition
    source: SourceLocation


Requirement = AllReq | AnyReq | NotReq | AchievementReq | TotalReq | StatusReq | WorkerReq


def requirement_nodes(req: Requirement) -> Iterator[Requirement]:
    """``req`` and every requirement inside it, each before its items, in the order written."""
    yield req
    match req:
        case AllReq(items=items) | AnyReq(items=items):
            for item in items:
                yield from requirement_nodes(item)
        case NotReq(item=item):
            yield from requirement_nodes(item)


def statuses_in(req: Requirement) -> Iterator[StatusReq]:
    """Every status a requirement names, in the order it names them."""
    return (node for node in requirement_nodes(req) if isinstance(node, StatusReq))


@dataclass(frozen=True, slots=True)
class Policy:
    """An accreditation policy (one version): grants a status when its requirements hold."""

    meta: Meta
    grants: str
    requires: Requirement
    grants_source: SourceLocation


# --- equivalence --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EquivalenceRule:
    """``when`` an achievement matches, it also counts as another: ``sets`` overrides its
    fields; its level becomes ``level`` in ``framework``, fixed or through ``level_map``."""

    id: str
    when: Condition
    sets: tuple[tuple[str, str], ...]
    framework: str | None
    level: str | None
    level_map: LevelMap | None
    source: SourceLocation


@dataclass(frozen=True, slots=True)
class Equivalence:
    """An equivalence file (one version): rules deriving achievements from achievements."""

    meta: Meta
    rules: tuple[EquivalenceRule, ...]


# --- entitlements and transfers --------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bonus:
    """``percent`` more when ``when`` also holds (e.g. +30% for a shortage occupation)."""

    when: Condition
    percent: Decimal


@dataclass(frozen=True, slots=True)
class EntitlementRule:
    """An amount for each matching achievement, or once for a held status."""

    id: str
    when: Condition | None
    status: str | None
    amount: Points
    bonuses: tuple[Bonus, ...]
    source: SourceLocation


@dataclass(frozen=True, slots=True)
class ClaimLimit:
    """At most ``count`` claims per period of the achievements' dates."""

    count: int
    per: Period
    year_starts: tuple[int, int] = (1, 1)


@dataclass(frozen=True, slots=True)
class Entitlement:
    """An entitlement file (one version): amounts, eligibility and claim limits."""

    meta: Meta
    currency: str
    decimals: int
    eligible: Requirement | None
    claim_within: Expire | None
    once_per: tuple[str, ...]
    max_claims: ClaimLimit | None
    rules: tuple[EntitlementRule, ...]


@dataclass(frozen=True, slots=True)
class Course:
    """A named course of a formal programme."""

    code: str
    title: tuple[tuple[str, str], ...]
    credits: Decimal


@dataclass(frozen=True, slots=True)
class Exemption:
    """An achievement matching ``when`` exempts the worker from ``courses``."""

    id: str
    when: Condition
    courses: tuple[Course, ...]
    source: SourceLocation


@dataclass(frozen=True, slots=True)
class Transfer:
    """A transfer file (one version): points and certificates into a programme's credits."""

    meta: Meta
    programme: str
    programme_title: tuple[tuple[str, str], ...]
    programme_credits: Decimal
    eligible: Requirement | None
    rate: tuple[Decimal, Decimal] | None  # (points, credits)
    where: Condition | None
    categories: tuple[str, ...] | None
    max_share: Decimal | None
    decimals: int
    exemptions: tuple[Exemption, ...]
    #: The worker attribute holding the programme's size, when the pack does not fix it.
    credits_from: str | None = None


# --- the pack -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LevelMap:
    """A many-to-one map from one framework's levels to another's."""

    source_framework: str
    target_framework: str
    map: tuple[tuple[str, str], ...]
    #: ``map`` as a read-only mapping (source level -> target level), built once.
    mapping: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "mapping", MappingProxyType(dict(self.map)))


RuleFile = Conversion | AdjustmentSet | Policy | Equivalence | Entitlement | Transfer

V = TypeVar("V", Conversion, AdjustmentSet, Policy, Equivalence, Entitlement, Transfer)


@dataclass(frozen=True, slots=True)
class Versions(Generic[V]):
    """Every version of one rule file id, ordered by effective start."""

    id: str
    items: tuple[V, ...]

    def in_force(self, day: dt.date) -> V | None:
        """The version whose window contains ``day`` (windows never overlap)."""
        for item in self.items:
            if item.meta.effective.contains(day):
                return item
        return None


AnyVersions = (
    Versions[Conversion]
    | Versions[AdjustmentSet]
    | Versions[Policy]
    | Versions[Equivalence]
    | Versions[Entitlement]
    | Versions[Transfer]
)


@dataclass(frozen=True)
class Pack:
    """A loaded, validated and compiled rule pack.

    Versions of each rule file are grouped by id; ``fingerprint`` is a sha256
    over the canonical form of everything loaded. ``frameworks`` and ``attributes``
    are also kept as read-only mappings, built once: ``framework_levels`` and
    ``attribute_specs``.
    """

    name: str
    title: tuple[tuple[str, str], ...]
    scale: Scale
    convert_at: Literal["completed", "as_of"]
    categories: tuple[str, ...]
    default_category: str | None
    frameworks: tuple[tuple[str, tuple[str, ...]], ...]
    level_maps: tuple[LevelMap, ...]
    attributes: tuple[tuple[str, FieldSpec], ...]
    conversions: tuple[Versions[Conversion], ...]
    adjustments: tuple[Versions[AdjustmentSet], ...]
    policies: tuple[Versions[Policy], ...]
    equivalences: tuple[Versions[Equivalence], ...]
    entitlements: tuple[Versions[Entitlement], ...]
    transfers: tuple[Versions[Transfer], ...]
    fingerprint: str
    root: str
    #: Titles of the categories that have them, by language (``pack.yaml`` ``{id, title}`` entries).
    category_titles: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    framework_levels: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    attribute_specs: Mapping[str, FieldSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "framework_levels", MappingProxyType(dict(self.frameworks)))
        object.__setattr__(self, "attribute_specs", MappingProxyType(dict(self.attributes)))

    def framework(self, name: str) -> tuple[str, ...] | None:
        """A framework's levels, lowest first, or None."""
        return self.framework_levels.get(name)

    def all_versions(self) -> Iterator[RuleFile]:
        """Every rule file version in the pack."""
        for group in self.groups():
            yield from group.items

    def groups(self) -> Iterator[AnyVersions]:
        """Every rule file id with its versions."""
        yield from self.conversions
        yield from self.adjustments
        yield from self.policies
        yield from self.equivalences
        yield from self.entitlements
        yield from self.transfers
