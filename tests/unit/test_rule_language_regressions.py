"""Regressions found in review of the full rule language, each named for the behaviour."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from creditengine import Engine, RuleError, load_record

MakePack = Callable[[dict[str, str]], Path]
AS_OF = dt.date(2025, 12, 31)
HEAD = 'version: "1"\neffective: {from: 2020-01-01}\ntitle: {en: T}\nreference: test\n'


def problems(make_pack: MakePack, files: dict[str, str]) -> list[str]:
    with pytest.raises(RuleError) as info:
        Engine.load(make_pack(files))
    return [str(p) for p in info.value.problems]


def test_a_status_named_in_eligible_must_be_granted_by_some_policy(make_pack: MakePack) -> None:
    found = problems(
        make_pack,
        {
            "policies/pay.yaml": "id: pay\nkind: entitlement\n" + HEAD + "currency: CNY\n"
            "eligible: {status: skiled}\nrules:\n  - {id: flat, when: {type: course}, amount: 100}\n"
        },
    )
    assert len(found) == 1
    assert "pay.yaml:8:" in found[0] and "status 'skiled' is granted by no policy" in found[0]


def test_counts_as_that_changes_nothing_is_one_problem_not_also_a_cycle(make_pack: MakePack) -> None:
    found = problems(
        make_pack,
        {
            "policies/eq.yaml": "id: eq\nkind: equivalence\n"
            + HEAD
            + "rules:\n  - {id: same, when: {type: course}, counts_as: {}}\n"
        },
    )
    assert len(found) == 1 and "counts_as changes nothing" in found[0]


def test_keep_on_a_points_cap_is_refused(make_pack: MakePack) -> None:
    found = problems(
        make_pack,
        {
            "adjustments/caps.yaml": "id: caps\nkind: adjustment\n"
            + HEAD
            + "rules:\n  - {id: c, cap: {max: 10, keep: highest}}\n"
        },
    )
    assert len(found) == 1 and "keep: chooses which achievements a count cap keeps" in found[0]


def test_a_field_compared_with_a_reference_alone_means_equal(make_pack: MakePack) -> None:
    pack = make_pack(
        {
            "pack.yaml": (
                "name: t\ntitle: {en: T}\ncategories: [general]\ndefault_category: general\n"
                "attributes:\n  major: {type: text}\n"
            ),
            "conversions/c.yaml": "id: c\nkind: conversion\n"
            + HEAD
            + "rules:\n  - {id: own-major, when: {field: {ref: worker.major}}, points: 5}\n",
        }
    )
    engine = Engine.load(pack)
    record = {
        "worker": {"id": "W", "attributes": {"major": "art"}},
        "achievements": [
            {"id": "A1", "type": "formal_credit", "field": "art", "completed": "2024-01-01"},
            {"id": "A2", "type": "formal_credit", "field": "music", "completed": "2024-01-01"},
        ],
    }
    result = engine.evaluate(load_record(record), as_of=AS_OF)
    assert [e.achievement for e in result.ledger] == ["A1"]
    assert result.unmatched == ("A2",)


def test_a_claim_refused_as_the_same_learning_names_the_equivalence_rule(make_pack: MakePack) -> None:
    pack = make_pack(
        {
            "pack.yaml": (
                "name: t\ntitle: {en: T}\ncategories: [general]\ndefault_category: general\n"
                "frameworks:\n  a: {levels: [1, 2]}\n  b: {levels: [1, 2]}\n"
            ),
            "policies/eq.yaml": "id: eq\nkind: equivalence\n"
            + HEAD
            + "rules:\n  - id: a-to-b\n    when: {type: certificate, level.framework: a}\n"
            "    counts_as: {level: {framework: b, value: 2}}\n",
            "policies/pay.yaml": "id: pay\nkind: entitlement\n" + HEAD + "currency: CNY\n"
            "rules:\n  - {id: any-cert, when: {type: certificate}, amount: 100}\n",
        }
    )
    record = {
        "worker": {"id": "W"},
        "achievements": [
            {
                "id": "A1",
                "type": "certificate",
                "level": {"framework": "a", "value": 1},
                "completed": "2025-01-01",
            }
        ],
    }
    result = Engine.load(pack).evaluate(load_record(record), as_of=AS_OF)
    claims = [(c.sources, c.status, c.rule) for c in result.entitlements]
    assert claims == [(("A1",), "granted", "pay/any-cert"), (("A1~b-2",), "refused", "eq/a-to-b")]
