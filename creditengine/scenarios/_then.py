"""Then steps: what the result must say. A failing one raises :class:`StepFailed`."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from creditengine import Result, RuleError
from creditengine._explain import render
from creditengine._results import Claim, Missing, TransferOutcome

from ._case import (
    Case,
    _check_status,
    _entries,
    _explanation,
    _fail,
    _load_engine,
    _mentions,
    _missing_items,
    _outcome,
    _points,
    _pts,
    _result,
    _same_points,
    _show,
    _step,
)

# === Then: policies =======================================================================


@_step("then", 'the policy "{policy:Q}" is met')
def _met(policy_case: Case, policy: str) -> None:
    outcome = _outcome(_result(policy_case), policy)
    if not outcome.met:
        raise _fail(
            f"policy {policy!r} is not met", outcome.to_dict(), expected="met", actual="not met (see missing)"
        )


@_step("then", 'the policy "{policy:Q}" is not met')
def _not_met(policy_case: Case, policy: str) -> None:
    outcome = _outcome(_result(policy_case), policy)
    if outcome.met:
        raise _fail(
            f"policy {policy!r} is met, but should not be",
            outcome.to_dict(),
            expected="not met",
            actual="met",
        )


@_step("then", 'the policy "{policy:Q}" is not in force')
def _not_in_force(policy_case: Case, policy: str) -> None:
    result = _result(policy_case)
    decided = [
        *(o.to_dict() for o in result.outcomes if policy in (o.policy, o.grants)),
        *(c.to_dict() for c in result.entitlements if c.policy == policy),
        *(t.to_dict() for t in result.transfers if t.policy == policy),
    ]
    if decided:
        raise _fail(f"policy {policy!r} was in force on {result.as_of.isoformat()} and decided", decided)


@_step("then", 'the policy "{policy:Q}" is met because "{text:Q}"')
def _met_because(policy_case: Case, policy: str, text: str) -> None:
    outcome = _outcome(_result(policy_case), policy)
    if not outcome.met or not any(text in render(b) for b in outcome.because):
        raise _fail(f"expected policy {policy!r} met because {text!r}", outcome.to_dict())


def _find_missing(policy_case: Case, policy: str, requirement: str) -> Missing:
    outcome = _outcome(_result(policy_case), policy)
    if outcome.met:
        raise _fail(f"policy {policy!r} is met, but should not be", outcome.to_dict())
    items = list(_missing_items(outcome.missing))
    exact = [m for m in items if render(m.requirement) == requirement]
    partial = [m for m in items if requirement in render(m.requirement)]
    found = exact or partial
    if len(found) != 1 and not exact:
        why = "no missing requirement reads" if not found else f"{len(found)} missing requirements read"
        raise _fail(f"policy {policy!r}: {why} {requirement!r}", outcome.to_dict()["missing"])
    return found[0]


@_step("then", 'the policy "{policy:Q}" is not met because "{requirement:Q}" is missing')
def _not_met_because(policy_case: Case, policy: str, requirement: str) -> None:
    _find_missing(policy_case, policy, requirement)


@_step(
    "then",
    *_points('the policy "{policy:Q}" is not met because "{requirement:Q}" is missing {points:N} points'),
)
def _not_met_by_points(policy_case: Case, policy: str, requirement: str, points: Decimal) -> None:
    missing = _find_missing(policy_case, policy, requirement)
    if missing.need != points:
        raise _fail(
            f"policy {policy!r}: {requirement!r} is missing {_pts(missing.need)} points, not {_pts(points)}",
            missing.to_dict(),
            expected=f"missing {_pts(points)} points",
            actual=f"missing {_pts(missing.need)} points",
        )


@_step("then", 'the worker holds the status "{status:Q}"')
def _holds(policy_case: Case, status: str) -> None:
    result = _result(policy_case)
    if status not in result.statuses:
        raise _fail(f"the worker does not hold the status {status!r}", {"statuses": list(result.statuses)})


@_step("then", 'the worker does not hold the status "{status:Q}"')
def _does_not_hold(policy_case: Case, status: str) -> None:
    result = _result(policy_case)
    if status in result.statuses:
        raise _fail(f"the worker holds the status {status!r}", {"statuses": list(result.statuses)})


# === Then: totals =========================================================================


@_step("then", *_points("the total is {points:N} points"))
def _total(policy_case: Case, points: Decimal) -> None:
    result = _result(policy_case)
    if result.totals.all != points:
        raise _fail(
            f"expected a total of {_pts(points)} points, got {_pts(result.totals.all)}",
            result.totals.to_dict(),
            expected=f"a total of {_pts(points)} points",
            actual=f"a total of {_pts(result.totals.all)} points",
        )


@_step("then", *_points("the {category:W} total is {points:N} points"))
def _category_total(policy_case: Case, category: str, points: Decimal) -> None:
    result = _result(policy_case)
    have = result.totals.category(category)
    if have != points:
        raise _fail(
            f"expected {_pts(points)} points in {category}, got {_pts(have)}",
            result.totals.to_dict(),
            expected=f"{_pts(points)} points in {category}",
            actual=f"{_pts(have)} points in {category}",
        )


# === Then: one achievement ================================================================


@_step("then", *_points('achievement "{achievement:Q}" is counted for {points:N} points'))
def _counted(policy_case: Case, achievement: str, points: Decimal) -> None:
    _check_status(_result(policy_case), achievement, "counted", points)


@_step("then", *_points('achievement "{achievement:Q}" is capped to {points:N} points'))
def _capped(policy_case: Case, achievement: str, points: Decimal) -> None:
    _check_status(_result(policy_case), achievement, "capped", points)


@_step("then", 'achievement "{achievement:Q}" is expired')
def _expired(policy_case: Case, achievement: str) -> None:
    _check_status(_result(policy_case), achievement, "expired")


@_step("then", 'achievement "{achievement:Q}" is a duplicate')
def _duplicate(policy_case: Case, achievement: str) -> None:
    _check_status(_result(policy_case), achievement, "duplicate")


@_step("then", 'achievement "{achievement:Q}" is excluded')
def _excluded(policy_case: Case, achievement: str) -> None:
    _check_status(_result(policy_case), achievement, "excluded")


@_step("then", 'achievement "{achievement:Q}" is not converted')
def _unmatched(policy_case: Case, achievement: str) -> None:
    result = _result(policy_case)
    entries = [e.to_dict() for e in result.ledger if e.achievement == achievement]
    if achievement not in result.unmatched or entries:
        raise _fail(
            f"achievement {achievement!r} was converted, but no rule should convert it",
            {"ledger": entries, "unmatched": list(result.unmatched)},
        )


@_step("then", *_points('achievement "{achievement:Q}" has a base of {points:N} points'))
def _base(policy_case: Case, achievement: str, points: Decimal) -> None:
    entries = _entries(_result(policy_case), achievement)
    base = sum((e.base for e in entries), Decimal(0))
    if base != points:
        raise _fail(
            f"achievement {achievement!r}: expected a base of {_pts(points)} points, got {_pts(base)}",
            {"ledger": [e.to_dict() for e in entries]},
            expected=f"a base of {_pts(points)} points",
            actual=f"a base of {_pts(base)} points",
        )


@_step("then", 'achievement "{achievement:Q}" is counted under {category:W}')
def _counted_under(policy_case: Case, achievement: str, category: str) -> None:
    entries = _entries(_result(policy_case), achievement)
    if {e.category for e in entries} != {category}:
        raise _fail(
            f"achievement {achievement!r}: expected category {category}",
            {"ledger": [e.to_dict() for e in entries]},
        )


def _names(rule: str, name: str) -> bool:
    # "cn-skill-certificates/by-level" names one rule; "cn-skill-certificates" any rule of that file.
    return name == rule or name.startswith(f"{rule}/")


@_step("then", 'achievement "{achievement:Q}" is converted by "{rule:Q}"')
def _converted_by(policy_case: Case, achievement: str, rule: str) -> None:
    entries = _entries(_result(policy_case), achievement)
    if not any(_names(rule, e.rule) for e in entries):
        raise _fail(
            f"achievement {achievement!r} is not converted by {rule!r}",
            {"ledger": [e.to_dict() for e in entries]},
        )


@_step("then", 'achievement "{achievement:Q}" is adjusted by "{rule:Q}"')
def _adjusted_by(policy_case: Case, achievement: str, rule: str) -> None:
    entries = _entries(_result(policy_case), achievement)
    if not any(_names(rule, a.rule) for e in entries for a in e.adjustments):
        raise _fail(
            f"achievement {achievement!r} is not adjusted by {rule!r}",
            {"ledger": [e.to_dict() for e in entries]},
        )


@_step("then", 'achievement "{achievement:Q}" is not adjusted by "{rule:Q}"')
def _not_adjusted_by(policy_case: Case, achievement: str, rule: str) -> None:
    entries = _entries(_result(policy_case), achievement)
    if any(_names(rule, a.rule) for e in entries for a in e.adjustments):
        raise _fail(
            f"achievement {achievement!r} is adjusted by {rule!r}", {"ledger": [e.to_dict() for e in entries]}
        )


# === Then: the whole ledger, explanations, warnings =======================================

_LEDGER_COLUMNS = ("achievement", "rule", "version", "base", "points", "category", "status")


@_step("then", "the ledger is:")
def _ledger(policy_case: Case, datatable: list[list[str]]) -> None:
    result = _result(policy_case)
    header, *rows = datatable
    columns = [c.strip().lower() for c in header]
    unknown = [c for c in columns if c not in _LEDGER_COLUMNS]
    if unknown:
        raise AssertionError(
            f"unknown ledger column(s) {unknown}; columns may be: {', '.join(_LEDGER_COLUMNS)}"
        )
    actual = [{c: e.to_dict()[c] for c in columns} for e in result.ledger]
    expected = [dict(zip(columns, (v.strip() for v in row), strict=True)) for row in rows]

    def same(want: dict[str, str], have: dict[str, Any]) -> bool:
        return all(
            _same_points(want[c], have[c]) if c in ("base", "points") else want[c] == have[c] for c in columns
        )

    if len(actual) != len(expected) or not all(same(w, h) for w, h in zip(expected, actual, strict=False)):
        raise _fail(f"the ledger differs; expected:\n{_show(expected)}", actual)


@_step("then", 'the explanation mentions "{text:Q}"')
def _mentions_text(policy_case: Case, text: str) -> None:
    explanation = _explanation(_result(policy_case), "en")
    if not _mentions(explanation, text):
        raise _fail(f"nothing in the explanation mentions {text!r}", explanation)


@_step("then", 'the explanation does not mention "{text:Q}"')
def _does_not_mention(policy_case: Case, text: str) -> None:
    explanation = _explanation(_result(policy_case), "en")
    if _mentions(explanation, text):
        raise _fail(f"the explanation mentions {text!r}", explanation)


@_step("then", 'the Chinese explanation mentions "{text:Q}"')
def _mentions_zh(policy_case: Case, text: str) -> None:
    explanation = _explanation(_result(policy_case), "zh")
    if not _mentions(explanation, text):
        raise _fail(f"nothing in the Chinese explanation mentions {text!r}", explanation)


@_step("then", 'there is a warning that mentions "{text:Q}"', 'there is a warning mentioning "{text:Q}"')
def _warning(policy_case: Case, text: str) -> None:
    result = _result(policy_case)
    if not any(text in render(w) for w in result.warnings):
        raise _fail(f"no warning mentions {text!r}", {"warnings": [render(w) for w in result.warnings]})


@_step("then", 'there is no warning mentioning "{text:Q}"')
def _no_warning_about(policy_case: Case, text: str) -> None:
    result = _result(policy_case)
    if any(text in render(w) for w in result.warnings):
        raise _fail(f"a warning mentions {text!r}", {"warnings": [render(w) for w in result.warnings]})


@_step("then", "there are no warnings")
def _no_warnings(policy_case: Case) -> None:
    result = _result(policy_case)
    if result.warnings:
        raise _fail("expected no warnings", {"warnings": [render(w) for w in result.warnings]})


@_step("then", 'the rule version used for "{rule:Q}" is "{version:Q}"')
def _version_used(policy_case: Case, rule: str, version: str) -> None:
    result = _result(policy_case)
    versions = dict(result.pack.versions)
    if versions.get(rule) != version:
        raise _fail(f"expected {rule!r} version {version!r}", {"pack": result.pack.to_dict()})


# === Then: derived achievements (equivalence) =============================================


def _derived(result: Result) -> list[dict[str, Any]]:
    return [d.to_dict() for d in result.derived]


@_step("then", 'achievement "{derived:Q}" is derived from "{source:Q}" by "{rule:Q}"')
def _derived_from(policy_case: Case, derived: str, source: str, rule: str) -> None:
    result = _result(policy_case)
    found = [d for d in result.derived if d.id == derived]
    if not found:
        raise _fail(f"no achievement {derived!r} was derived", {"derived": _derived(result)})
    item = found[0]
    if source not in item.sources or not _names(rule, item.rule):
        raise _fail(
            f"achievement {derived!r} is not derived from {source!r} by {rule!r}",
            {"derived": [item.to_dict()]},
        )


@_step("then", 'nothing is derived from "{source:Q}"')
def _nothing_derived(policy_case: Case, source: str) -> None:
    result = _result(policy_case)
    found = [d.to_dict() for d in result.derived if source in d.sources]
    if found:
        raise _fail(f"achievements were derived from {source!r}", {"derived": found})


# === Then: entitlements ===================================================================


def _claims_for(result: Result, achievement: str) -> list[Claim]:
    return [c for c in result.entitlements if achievement in c.sources]


def _of_policy(policy: str, claim: Claim) -> bool:
    # An entitlement is named by its file id ("skill-upgrade-subsidy") or by the rule that priced
    # the claim ("skill-upgrade-subsidy/by-level").
    return policy == claim.policy or _names(policy, claim.rule)


@_step("then", 'the worker is granted {amount:N} {currency:W} by "{policy:Q}" for "{achievement:Q}"')
def _granted(policy_case: Case, amount: Decimal, currency: str, policy: str, achievement: str) -> None:
    result = _result(policy_case)
    claims = _claims_for(result, achievement)
    fitting = [
        c
        for c in claims
        if c.status == "granted" and _of_policy(policy, c) and c.amount == amount and c.currency == currency
    ]
    if not fitting:
        raise _fail(
            f"expected {_pts(amount)} {currency} granted by {policy!r} for {achievement!r}",
            {"entitlements": [c.to_dict() for c in claims or result.entitlements]},
        )


@_step("then", 'the worker is granted {amount:N} {currency:W} in all by "{policy:Q}"')
def _granted_in_all(policy_case: Case, amount: Decimal, currency: str, policy: str) -> None:
    result = _result(policy_case)
    claims = [c for c in result.entitlements if c.policy == policy]
    granted = [c for c in claims if c.status == "granted"]
    total = sum((c.amount for c in granted), Decimal(0))
    currencies = {c.currency for c in granted}
    if total != amount or (granted and currencies != {currency}):
        have = f"{_pts(total)} {'/'.join(sorted(currencies)) or currency}"
        raise _fail(
            f"expected {_pts(amount)} {currency} in all from {policy!r}, got {have}",
            {"entitlements": [c.to_dict() for c in claims]},
            expected=f"{_pts(amount)} {currency} in all",
            actual=have,
        )


@_step("then", 'the claim for "{achievement:Q}" is refused by "{rule:Q}"')
def _claim_refused(policy_case: Case, achievement: str, rule: str) -> None:
    result = _result(policy_case)
    claims = _claims_for(result, achievement)
    if not any(c.status == "refused" and _names(rule, c.rule) for c in claims):
        why = "there is no claim" if not claims else "no claim was refused by that rule"
        raise _fail(
            f"expected the claim for {achievement!r} refused by {rule!r}, but {why}",
            {"entitlements": [c.to_dict() for c in claims or result.entitlements]},
        )


@_step("then", 'there is no claim for "{achievement:Q}"')
def _no_claim(policy_case: Case, achievement: str) -> None:
    claims = _claims_for(_result(policy_case), achievement)
    if claims:
        raise _fail(f"there is a claim for {achievement!r}", {"entitlements": [c.to_dict() for c in claims]})


# === Then: credit transfer ================================================================


def _transfers(result: Result) -> list[dict[str, Any]]:
    return [t.to_dict() for t in result.transfers]


def _named_transfer(case: Case, policy: str) -> TransferOutcome:
    result = _result(case)
    found = [t for t in result.transfers if t.policy == policy]
    if not found:
        raise _fail(
            f"no transfer {policy!r} was decided on {result.as_of.isoformat()}",
            {"transfers": [t.policy for t in result.transfers]},
        )
    case.transfer = policy
    return found[0]


def _the_transfer(case: Case) -> TransferOutcome:
    """The transfer last named by a step, or the only transfer in force."""
    result = _result(case)
    if case.transfer is not None:
        return _named_transfer(case, case.transfer)
    if len(result.transfers) != 1:
        raise _fail(
            f"{len(result.transfers)} transfers were decided: name one first, "
            'e.g. Then "POLICY" recognises N credits',
            {"transfers": [t.policy for t in result.transfers]},
        )
    return result.transfers[0]


@_step("then", *_points('"{policy:Q}" recognises {credits:N} credits'))
def _recognises(policy_case: Case, policy: str, credits: Decimal) -> None:
    transfer = _named_transfer(policy_case, policy)
    if transfer.credits != credits:
        raise _fail(
            f"{policy!r} recognises {_pts(transfer.credits)} credits, not {_pts(credits)}",
            transfer.to_dict(),
            expected=f"{_pts(credits)} credits",
            actual=f"{_pts(transfer.credits)} credits",
        )


@_step("then", *_points('"{policy:Q}" recognises {credits:N} credits from {points:N} points'))
def _recognises_from_points(policy_case: Case, policy: str, credits: Decimal, points: Decimal) -> None:
    transfer = _named_transfer(policy_case, policy)
    if transfer.from_points != credits or transfer.points != points:
        raise _fail(
            f"expected {_pts(credits)} credits from {_pts(points)} points; {policy!r} has "
            f"{_pts(transfer.from_points)} credits from {_pts(transfer.points)} points",
            transfer.to_dict(),
        )


@_step("then", 'course "{course:Q}" is exempted by "{achievement:Q}"')
def _exempted(policy_case: Case, course: str, achievement: str) -> None:
    transfer = _the_transfer(policy_case)
    if not any(e.code == course and e.by == achievement for e in transfer.exemptions):
        raise _fail(f"course {course!r} is not exempted by {achievement!r}", transfer.to_dict())


@_step("then", 'course "{course:Q}" is not exempted')
def _not_exempted(policy_case: Case, course: str) -> None:
    transfer = _the_transfer(policy_case)
    if any(e.code == course for e in transfer.exemptions):
        raise _fail(f"course {course!r} is exempted", transfer.to_dict())


@_step("then", "the transfer is capped")
def _transfer_capped(policy_case: Case) -> None:
    transfer = _the_transfer(policy_case)
    if transfer.status != "granted" or not transfer.capped:
        raise _fail(f"the transfer {transfer.policy!r} is not capped", transfer.to_dict())


@_step("then", "the transfer is not capped")
def _transfer_not_capped(policy_case: Case) -> None:
    transfer = _the_transfer(policy_case)
    if transfer.status != "granted" or transfer.capped:
        raise _fail(f"the transfer {transfer.policy!r} is capped or refused", transfer.to_dict())


@_step("then", "the transfer is refused")
def _transfer_refused(policy_case: Case) -> None:
    transfer = _the_transfer(policy_case)
    if transfer.status != "refused":
        raise _fail(f"the transfer {transfer.policy!r} is granted", transfer.to_dict())


@_step("then", 'the transfer is refused because "{text:Q}"')
def _transfer_refused_because(policy_case: Case, text: str) -> None:
    transfer = _the_transfer(policy_case)
    if transfer.status != "refused" or text not in render(transfer.reason):
        raise _fail(f"expected the transfer {transfer.policy!r} refused because {text!r}", transfer.to_dict())


# === Then: refusals =======================================================================


@_step("then", 'the record is refused because "{text:Q}"')
def _record_refused(policy_case: Case, text: str) -> None:
    if policy_case.refused is None:
        raise AssertionError("the record was accepted, but should have been refused")
    if text not in str(policy_case.refused):
        raise AssertionError(f"the record was refused, but not because {text!r}:\n{policy_case.refused}")


@_step("then", "the rule pack is valid")
def _pack_valid(policy_case: Case, scenario_pack_copies: Path) -> None:
    try:
        _load_engine(policy_case, scenario_pack_copies)
    except RuleError as exc:
        raise AssertionError(f"the rule pack does not load:\n{exc}") from None


@_step("then", 'the rule pack is refused because "{text:Q}"')
def _pack_refused(policy_case: Case, text: str, scenario_pack_copies: Path) -> None:
    try:
        _load_engine(policy_case, scenario_pack_copies)
    except RuleError as exc:
        if text not in str(exc):
            raise AssertionError(f"the rule pack was refused, but not because {text!r}:\n{exc}") from None
        return
    raise AssertionError("the rule pack loads, but should have been refused")


# The step fixtures pytest-bdd made above, for steps.py to gather.
__all__ = sorted(name for name in globals() if name.startswith("pytestbdd_"))
