"""JSON Schemas of rule files, worker records and results, generated from pydantic models.

The result models here describe ``Result.to_dict()``; a test validates real
results against them, so schema and output cannot drift apart.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ._packfiles import (
    AccreditationFile,
    AdjustmentFile,
    ConversionFile,
    EntitlementFile,
    EquivalenceFile,
    PackFile,
    TransferFile,
)
from ._record import WorkerRecord

__all__ = ["ResultDocument", "json_schemas"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


_CODE = "A machine-readable reason code; the sentence beside it is rendered from it and its params."
_PARAMS = "The reason's parameters: numbers as exact text, dates as YYYY-MM-DD, conditions as data."


class ReasonOut(_Out):
    """A reason as data: what a sentence says, for programs that never parse sentences."""

    code: str = Field(description=_CODE)
    params: dict[str, Any] = Field(description=_PARAMS)


class AdjustmentOut(_Out):
    rule: str
    version: str
    effect: str
    code: str = Field(description=_CODE)
    params: dict[str, Any] = Field(description=_PARAMS)


class LedgerOut(_Out):
    achievement: str
    rule: str
    version: str
    base: str = Field(pattern=r"^-?\d+(\.\d+)?$")
    adjustments: list[AdjustmentOut]
    points: str = Field(pattern=r"^-?\d+(\.\d+)?$")
    category: str
    status: Literal["counted", "capped", "expired", "duplicate", "excluded"]


class TotalsOut(_Out):
    all: str
    by_category: dict[str, str]


class MissingOut(_Out):
    requirement: str
    have: str | None = None
    need: str | None = None
    closest: str | None = None
    options: list[list[MissingOut]] | None = None
    code: str = Field(description=_CODE)
    params: dict[str, Any] = Field(description=_PARAMS)
    closest_reason: ReasonOut | None = None


class OutcomeOut(_Out):
    policy: str
    version: str
    title: str
    grants: str
    status: Literal["met", "unmet"]
    because: list[str]
    missing: list[MissingOut]
    because_reasons: list[ReasonOut] = Field(description="The reasons behind ``because``, in the same order.")


class DerivedOut(_Out):
    id: str
    rule: str
    version: str
    from_: list[str] = Field(alias="from")


class ClaimOut(_Out):
    policy: str
    version: str
    rule: str
    status: Literal["granted", "refused"]
    amount: str
    currency: str
    for_: list[str] = Field(alias="for")
    reason: str
    code: str = Field(description=_CODE)
    params: dict[str, Any] = Field(description=_PARAMS)


class ExemptedCourseOut(_Out):
    course: str
    title: str
    credits: str
    by: str
    rule: str


class TransferOut(_Out):
    policy: str
    version: str
    programme: str
    title: str
    status: Literal["granted", "refused"]
    credits: str
    limit: str | None
    points: str
    from_points: str
    exemptions: list[ExemptedCourseOut]
    capped: bool
    reason: str
    code: str = Field(description=_CODE)
    params: dict[str, Any] = Field(description=_PARAMS)


class ChangeOut(_Out):
    change: str = Field(description="A change that would help meet the requirement, as a sentence.")
    code: str = Field(description=_CODE)
    params: dict[str, Any] = Field(description=_PARAMS)
    then: list[ChangeOut] | None = Field(default=None, description="The ways to make the change.")


class CitationOut(_Out):
    id: str
    version: str
    title: str
    reference: str | None = Field(description="The rule file's ``reference`` (legal basis), as written.")


class ExplainedOut(_Out):
    """One decision explained (``evaluate --explain``)."""

    subject: Literal["policy", "entitlement", "transfer"]
    rule: CitationOut
    status: Literal["met", "unmet", "granted", "refused"]
    summary: str
    why: list[str]
    why_not: list[MissingOut]
    changes: list[ChangeOut] = Field(description="The smallest changes that would meet it (unmet only).")
    summary_reason: ReasonOut
    why_reasons: list[ReasonOut]


class PackOut(_Out):
    name: str
    fingerprint: str = Field(pattern=r"^sha256:[0-9a-f]{64}$")
    versions: dict[str, str]


class ResultDocument(_Out):
    """The JSON form of an evaluation result (SPEC §5)."""

    worker: str
    as_of: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    pack: PackOut
    ledger: list[LedgerOut]
    totals: TotalsOut
    derived: list[DerivedOut]
    outcomes: list[OutcomeOut]
    entitlements: list[ClaimOut]
    transfers: list[TransferOut]
    unmatched: list[str]
    warnings: list[str]
    warning_reasons: list[ReasonOut] = Field(
        description="The reasons behind ``warnings``, in the same order."
    )
    explanation: list[ExplainedOut] | None = Field(
        default=None,
        description="Every decision explained, with the smallest changes that would meet the unmet "
        "ones: only with ``evaluate --explain``.",
    )


_MODELS: dict[str, type[BaseModel]] = {
    "pack": PackFile,
    "conversion": ConversionFile,
    "adjustment": AdjustmentFile,
    "accreditation": AccreditationFile,
    "equivalence": EquivalenceFile,
    "entitlement": EntitlementFile,
    "transfer": TransferFile,
    "worker-record": WorkerRecord,
    "result": ResultDocument,
}


def json_schemas() -> dict[str, dict[str, Any]]:
    """Every JSON Schema by name (``pack``, ``conversion``, ..., ``worker-record``, ``result``).

    >>> sorted(json_schemas())[:2]
    ['accreditation', 'adjustment']

    .. versionadded:: 0.1
    """
    out = {}
    for name, model in _MODELS.items():
        schema = model.model_json_schema(by_alias=True)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://creditengine.invalid/schemas/{name}.schema.json"
        out[name] = schema
    return out
