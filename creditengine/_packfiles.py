"""pydantic models of the files in a rule pack (SPEC §4).

Conditions, formulas, points and requirements are kept as raw YAML here and
parsed by ``_expr`` while lowering to the IR, so their problems carry exact
positions.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ._expr import AchievementType, suggest
from ._ir import Period
from ._models import Day, Flag, Int, Label, Num, PlainLabel, PlainText, Strict, Text, describe, unique

__all__ = [
    "RULE_FILE_MODELS",
    "AccreditationFile",
    "AdjustmentFile",
    "ConversionFile",
    "EntitlementFile",
    "EquivalenceFile",
    "PackFile",
    "TransferFile",
]

Name = Annotated[Text, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=100)]

# Conditions, amounts and requirements are parsed by _expr/_lower (for exact positions);
# their JSON Schemas below still guide editors that validate YAML against schemas/.
_CONDITION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "minProperties": 1,
    "description": (
        "A condition: field paths (type, level.value, provider.accredited, worker.<attribute>...) "
        "mapped to a value (equality) or to operators eq, ne, in, not_in, gt, gte, lt, lte, between, "
        "exists, contains, starts_with, or {ref: other.field}; in/not_in also take {list: NAME} "
        "(pack.yaml lists); ignore_case: true beside a text field's operators ignores case; "
        "combine with all, any (lists) and not. A policy's achievement condition may also test "
        "points (the achievement's own points)."
    ),
}
_NUMBER_OR_RULE_SCHEMA: dict[str, Any] = {
    "oneOf": [
        {"type": "number"},
        {
            "type": "object",
            "properties": {"formula": {"type": "string"}},
            "required": ["formula"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {
                "lookup": {"type": "string"},
                "table": {"type": "object", "additionalProperties": {"type": "number"}},
                "default": {"type": "number"},
            },
            "required": ["lookup", "table"],
            "additionalProperties": False,
        },
    ]
}
_REQUIREMENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "minProperties": 1,
    "description": (
        "A requirement: one of all / any (lists of requirements), not, achievement (a condition, "
        "with optional at_least), total ({gte, category?, where?}), status, worker (a condition)."
    ),
}
ConditionYaml = Annotated[Any, WithJsonSchema(_CONDITION_SCHEMA)]
AmountYaml = Annotated[Any, WithJsonSchema(_NUMBER_OR_RULE_SCHEMA)]
RequirementYaml = Annotated[Any, WithJsonSchema(_REQUIREMENT_SCHEMA)]


class Titles(Strict):
    """Text in several languages: ``en`` always, ``zh`` when given."""

    en: Text
    zh: Text | None = None


class ScaleModel(Strict):
    """The common point scale."""

    unit: Text = "point"
    definition: Titles | None = None
    decimals: Annotated[Int, Field(ge=0, le=6)] = 1
    rounding: Literal["half_up", "half_even", "down", "up"] = "half_up"


class FrameworkModel(Strict):
    """A level framework, lowest level first."""

    levels: Annotated[list[Label], Field(min_length=1)]
    names: dict[str, Titles] | None = None

    @field_validator("levels")
    @classmethod
    def _unique(cls, levels: list[str]) -> list[str]:
        return unique(levels, "level", "levels")


class LevelMapModel(Strict):
    """A many-to-one map between frameworks."""

    from_: Text = Field(alias="from")
    to: Text
    map: dict[str, Label]


class AttributeModel(Strict):
    """A worker attribute that policies may test."""

    type: Literal["integer", "decimal", "text", "enum", "boolean", "date"]
    min: Num | None = None
    max: Num | None = None
    values: list[Text] | None = None
    title: Titles | None = None

    @model_validator(mode="after")
    def _enum_values(self) -> AttributeModel:
        if self.type == "enum" and not self.values:
            raise ValueError("an enum attribute needs values: [...]")
        if self.type != "enum" and self.values is not None:
            raise ValueError("values: is only for enum attributes")
        return self


class CategoryModel(Strict):
    """A category with its titles: ``{id: advanced_manufacturing, title: {en: ..., zh: ...}}``."""

    id: Name
    title: Titles


def _scalar(value: object) -> object:
    """A named list's entry: one plain value (text, number, date or true/false), compared as the
    field it is used with says (checked where a condition names the list)."""
    if isinstance(value, dict | list) or value is None:
        raise PydanticCustomError(
            "list_value",
            "a list holds plain values (text, numbers, dates), got {got}",
            {"got": describe(value)},
        )
    return value


ListValue = Annotated[Any, AfterValidator(_scalar), WithJsonSchema({"type": ["string", "number", "boolean"]})]


class PackFile(Strict):
    """``pack.yaml``: the pack's name, scale, categories, frameworks and attributes."""

    name: Name
    title: Titles
    reference: Text | None = None
    description: Titles | None = None
    scale: ScaleModel = ScaleModel()
    convert_at: Literal["completed", "as_of"] = "completed"
    categories: Annotated[list[Name | CategoryModel], Field(min_length=1)]
    default_category: Name | None = None
    frameworks: dict[str, FrameworkModel] = Field(default_factory=dict)
    level_maps: list[LevelMapModel] = Field(default_factory=list)
    attributes: dict[str, AttributeModel] = Field(default_factory=dict)
    lists: dict[Name, Annotated[list[ListValue], Field(min_length=1)]] = Field(
        default_factory=dict,
        description="Named lists of values (e.g. shortage occupations) that conditions use as "
        "{in: {list: NAME}} or {not_in: {list: NAME}}.",
    )

    @field_validator("categories")
    @classmethod
    def _unique_categories(cls, categories: list[str | CategoryModel]) -> list[str | CategoryModel]:
        unique([c if isinstance(c, str) else c.id for c in categories], "category", "categories")
        return categories

    @property
    def category_names(self) -> list[str]:
        """The categories' ids, in the order declared."""
        return [c if isinstance(c, str) else c.id for c in self.categories]

    @field_validator("default_category")
    @classmethod
    def _default_declared(cls, value: str | None, info: ValidationInfo) -> str | None:
        if "categories" not in info.data:
            return value  # categories failed and said so; checking against nothing would blame this too
        categories = [c if isinstance(c, str) else c.id for c in info.data["categories"]]
        if value is not None and value not in categories:
            raise ValueError(
                f"default_category {value!r} is not one of the categories ({', '.join(categories)})"
            )
        return value


class Effective(Strict):
    """An effective window; both ends inclusive."""

    from_: Day = Field(alias="from")
    until: Day | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Effective:
        if self.until is not None and self.until < self.from_:
            raise ValueError(f"until {self.until} is before from {self.from_}")
        return self


class RuleFileBase(Strict):
    """What every rule file declares."""

    id: Name
    version: Annotated[PlainLabel, Field(min_length=1, max_length=50)]
    effective: Effective
    title: Titles
    reference: Text | None = None
    owner: Text | None = None
    description: Titles | None = None


class ConversionRuleModel(Strict):
    """One conversion row."""

    id: Name
    title: Titles | None = None
    reference: Text | None = None
    when: ConditionYaml = None
    points: AmountYaml
    category: Text | None = None


class ConversionFile(RuleFileBase):
    """``conversions/*.yaml``: achievements to points."""

    kind: Literal["conversion"]
    hit: Literal["first", "max", "sum"] = "first"
    rules: Annotated[list[ConversionRuleModel], Field(min_length=1)]


_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
_NO_SUCH_DAY = ("02-29", "02-30", "02-31", "04-31", "06-31", "09-31", "11-31")


def _month_day(value: str) -> str:
    if not _MONTH_DAY.match(value) or value in _NO_SUCH_DAY:
        raise ValueError(f'{value!r} must be a day of the year as MM-DD, e.g. "03-01"')
    return value


MonthDay = Annotated[Text, AfterValidator(_month_day)]

_PERIODS: tuple[str, ...] = get_args(Period)
#: What staff write for a period instead of its name: ``per: semester`` means ``per: half``.
_PERIOD_WORDS = {
    **dict.fromkeys(("semester", "half_year", "halfyear", "semiannual", "semi_annual", "biannual"), "half"),
    **dict.fromkeys(("six_months", "6_months", "term"), "half"),
    **dict.fromkeys(("annual", "annually", "yearly", "calendar_year", "academic_year"), "year"),
    **dict.fromkeys(("quarterly", "three_months", "3_months", "season"), "quarter"),
    **dict.fromkeys(("monthly",), "month"),
    **dict.fromkeys(("ever", "forever", "total", "life", "all_time", "lifelong"), "lifetime"),
}


def _period(value: object) -> object:
    """A cap's or claim limit's period; a wrong one is told what each means (half is a semester)."""
    if isinstance(value, str) and value in _PERIODS:
        return value
    word = re.sub(r"[\s-]+", "_", value.strip().lower()) if isinstance(value, str) else ""
    meant = _PERIOD_WORDS.get(word)
    hint = f" (did you mean {meant!r}?)" if meant else suggest(word, _PERIODS)
    raise PydanticCustomError(
        "period",
        "must be one of 'year', 'half', 'quarter', 'month' or 'lifetime' (half = a half year "
        "(semester): six months from year_starts), got {got}{hint}",
        {"got": describe(value), "hint": hint},
    )


PeriodName = Annotated[
    Period,
    BeforeValidator(_period),
    Field(
        description="year, half (a half year: a semester), quarter, month or lifetime; "
        "years (and their halves, quarters, months) start on year_starts"
    ),
]


class LimitLookup(Strict):
    """A cap's limit by a worker attribute: ``{lookup: worker.programme.track, table: {...}}``."""

    lookup: Text
    table: Annotated[dict[str, Annotated[Num, Field(ge=0)]], Field(min_length=1)]
    default: Annotated[Num, Field(ge=0)] | None = None


class CategoryOrder(Strict):
    """Cut entries of these categories first, in this order: ``{categories: [elective, major]}``."""

    categories: Annotated[list[Name], Field(min_length=1)]


def _by_shape(value: Any) -> str:
    """Which form of a number-or-mapping value was written (the tags are dropped from locations)."""
    return "union-mapping" if isinstance(value, dict) else "union-value"


CapPoints = Annotated[
    Annotated[Num, Field(ge=0), Tag("union-value")] | Annotated[LimitLookup, Tag("union-mapping")],
    Discriminator(_by_shape),
]
CapCount = Annotated[
    Annotated[Int, Field(ge=0), Tag("union-value")] | Annotated[LimitLookup, Tag("union-mapping")],
    Discriminator(_by_shape),
]


CutOrder = Annotated[
    Annotated[Literal["latest", "lowest"], Tag("union-value")]
    | Annotated[CategoryOrder, Tag("union-mapping")],
    Discriminator(_by_shape),
]


class CapModel(Strict):
    """At most ``max`` points (or ``count`` achievements) per period, per ``by`` key."""

    max: CapPoints | None = None
    count: CapCount | None = None
    keep: Literal["highest", "first"] | None = None
    cut: CutOrder | None = Field(
        default=None,
        description="Which entries go first when the cap is reached: latest (default), lowest "
        "(fewest points), or {categories: [...]} (those categories first, in that order).",
    )
    per: PeriodName = "year"
    year_starts: MonthDay = "01-01"
    by: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _max_or_count(self) -> CapModel:
        if (self.max is None) == (self.count is None):
            raise ValueError("a cap needs exactly one of max (points) or count (achievements)")
        if self.max is not None and self.keep is not None:
            raise ValueError(
                "keep: chooses which achievements a count cap keeps; a max cap says which "
                "entries go first with cut: latest, lowest or {categories: [...]}"
            )
        if self.keep is not None and self.cut is not None:
            raise ValueError("keep: and cut: say the same thing; give one (keep: highest is cut: lowest)")
        return self


class ExpireModel(Strict):
    """How long learning counts: a period after a date field (``completed`` unless ``field`` says)."""

    years: Annotated[Int, Field(ge=0)] = 0
    months: Annotated[Int, Field(ge=0)] = 0
    days: Annotated[Int, Field(ge=0)] = 0
    field: Literal["completed", "expires"] = "completed"

    @model_validator(mode="after")
    def _some(self) -> ExpireModel:
        if not (self.years or self.months or self.days) and self.field == "completed":
            raise ValueError("expire_after needs years, months or days (or field: expires)")
        return self


class DedupeModel(Strict):
    """Entries sharing a key count once."""

    key: Annotated[list[Text], Field(min_length=1)]
    keep: Literal["highest", "first"] = "highest"


class ExcludeModel(Strict):
    """Learning that is worth nothing here, and why (shown in the ledger)."""

    reason: Annotated[Titles, BeforeValidator(lambda v: {"en": v} if isinstance(v, str) else v)]


ACTIONS = ("multiply", "cap", "expire_after", "dedupe", "exclude")


class AdjustmentRuleModel(Strict):
    """One adjustment: a condition (``when``, minus ``unless``) and exactly one action."""

    id: Name
    title: Titles | None = None
    reference: Text | None = None
    when: ConditionYaml = None
    applies_to: ConditionYaml = None
    unless: ConditionYaml = None
    multiply: Annotated[Num, Field(gt=0)] | None = None
    cap: CapModel | None = None
    expire_after: ExpireModel | None = None
    dedupe: DedupeModel | None = None
    exclude: ExcludeModel | None = None

    @model_validator(mode="after")
    def _one_action(self) -> AdjustmentRuleModel:
        actions = [a for a in ACTIONS if getattr(self, a) is not None]
        if len(actions) != 1:
            raise ValueError(
                f"an adjustment needs exactly one of {', '.join(ACTIONS)}"
                + (f" (has {', '.join(actions)})" if actions else "")
            )
        if self.when is not None and self.applies_to is not None:
            raise ValueError("when and applies_to are the same thing; give one")
        return self


class AdjustmentFile(RuleFileBase):
    """``adjustments/*.yaml``: multipliers, caps, expiry, de-duplication."""

    kind: Literal["adjustment"]
    rules: Annotated[list[AdjustmentRuleModel], Field(min_length=1)]


class AccreditationFile(RuleFileBase):
    """``policies/*.yaml`` of kind accreditation: grants a status."""

    kind: Literal["accreditation"]
    grants: Name
    requires: RequirementYaml


class LevelTarget(Strict):
    """The level a derived achievement has: fixed, or mapped through pack.yaml level_maps."""

    framework: Text
    value: Label | None = None
    map: Flag = False

    @model_validator(mode="after")
    def _value_or_map(self) -> LevelTarget:
        if (self.value is None) == (not self.map):
            raise ValueError("give the level either as value: or as map: true (through level_maps)")
        return self


class CountsAs(Strict):
    """What a derived achievement is: fields that replace the source's."""

    type: AchievementType | None = None
    title: Text | None = None
    occupation: Text | None = None
    industry: Text | None = None
    field: Text | None = None
    level: LevelTarget | None = None


class EquivalenceRuleModel(Strict):
    """One equivalence: ``when`` an achievement matches, it ``counts_as`` another."""

    id: Name
    title: Titles | None = None
    reference: Text | None = None
    when: ConditionYaml
    counts_as: CountsAs


class EquivalenceFile(RuleFileBase):
    """``policies/*.yaml`` of kind equivalence: achievements that count as others."""

    kind: Literal["equivalence"]
    rules: Annotated[list[EquivalenceRuleModel], Field(min_length=1)]


class PeriodModel(Strict):
    """A length of time after a date: years, months, days."""

    years: Annotated[Int, Field(ge=0)] = 0
    months: Annotated[Int, Field(ge=0)] = 0
    days: Annotated[Int, Field(ge=0)] = 0

    @model_validator(mode="after")
    def _some(self) -> PeriodModel:
        if not (self.years or self.months or self.days):
            raise ValueError("a period needs years, months or days")
        return self


class MaxClaimsModel(Strict):
    """At most ``count`` claims per person per period (of the achievement's date)."""

    count: Annotated[Int, Field(ge=1)]
    per: PeriodName = "year"
    year_starts: MonthDay = "01-01"


class BonusModel(Strict):
    """A percentage added to the amount when ``when`` also holds."""

    when: ConditionYaml
    percent: Annotated[Num, Field(gt=-100, le=1000)]
    title: Titles | None = None


class EntitlementRuleModel(Strict):
    """One amount: for each matching achievement (``when``) or once for a ``status``."""

    id: Name
    title: Titles | None = None
    reference: Text | None = None
    when: ConditionYaml = None
    status: Name | None = None
    amount: AmountYaml
    bonus: list[BonusModel] = Field(default_factory=list)

    @model_validator(mode="after")
    def _when_or_status(self) -> EntitlementRuleModel:
        if (self.when is None) == (self.status is None):
            raise ValueError("an entitlement rule needs exactly one of when (an achievement) or status")
        return self


class EntitlementFile(RuleFileBase):
    """``policies/*.yaml`` of kind entitlement: amounts (e.g. subsidies) and who may claim them."""

    kind: Literal["entitlement"]
    currency: Annotated[Text, Field(pattern=r"^[A-Z]{3}$")]
    decimals: Annotated[Int, Field(ge=0, le=4)] = 2
    eligible: RequirementYaml = None
    claim_within: PeriodModel | None = None
    once_per: list[Text] = Field(default_factory=list)
    max_claims: MaxClaimsModel | None = None
    rules: Annotated[list[EntitlementRuleModel], Field(min_length=1)]


class WorkerValue(Strict):
    """A value read from the worker's record: ``{ref: worker.programme.credits}``."""

    ref: Text


ProgrammeSize = Annotated[
    Annotated[Num, Field(gt=0), Tag("union-value")] | Annotated[WorkerValue, Tag("union-mapping")],
    Discriminator(_by_shape),
]


class ProgrammeModel(Strict):
    """A formal programme credits transfer into; its size fixed, or read from the worker's record."""

    id: PlainText
    title: Titles
    credits: ProgrammeSize


class RateModel(Strict):
    """``credits`` programme credits for every ``points`` points."""

    points: Annotated[Num, Field(gt=0)]
    credits: Annotated[Num, Field(gt=0)]


class TransferSourceModel(Strict):
    """Which counted points transfer: those of matching achievements and/or categories."""

    where: ConditionYaml = None
    categories: list[Name] | None = None


class CourseModel(Strict):
    """A named course of the programme."""

    code: PlainText
    title: Titles | None = None
    credits: Annotated[Num, Field(gt=0)]


class ExemptionModel(Strict):
    """An achievement matching ``when`` exempts the worker from ``courses``."""

    id: Name
    title: Titles | None = None
    reference: Text | None = None
    when: ConditionYaml
    courses: Annotated[list[CourseModel], Field(min_length=1)]


class TransferFile(RuleFileBase):
    """``policies/*.yaml`` of kind transfer: points and certificates into a formal programme's credits."""

    kind: Literal["transfer"]
    programme: ProgrammeModel
    eligible: RequirementYaml = None
    rate: RateModel | None = None
    source: TransferSourceModel | None = Field(default=None, alias="from")
    max_share: Annotated[Num, Field(gt=0, le=1)] | None = None
    decimals: Annotated[Int, Field(ge=0, le=4)] = 0
    exemptions: list[ExemptionModel] = Field(default_factory=list)

    @field_validator("source")
    @classmethod
    def _source_needs_rate(cls, value: TransferSourceModel | None, info: ValidationInfo) -> Any:
        if value is not None and "rate" in info.data and info.data["rate"] is None:
            raise ValueError("from: chooses which points the rate converts; give a rate too")
        return value

    @model_validator(mode="after")
    def _rate_or_exemptions(self) -> TransferFile:
        if self.rate is None and not self.exemptions:
            raise ValueError("a transfer needs a rate, exemptions, or both")
        return self


#: Which model reads which kind, and the folder it lives in.
RULE_FILE_MODELS: dict[str, tuple[str, type[RuleFileBase]]] = {
    "conversion": ("conversions", ConversionFile),
    "adjustment": ("adjustments", AdjustmentFile),
    "accreditation": ("policies", AccreditationFile),
    "equivalence": ("policies", EquivalenceFile),
    "entitlement": ("policies", EntitlementFile),
    "transfer": ("policies", TransferFile),
}
