"""Regressions from a hostile-input review: each bad input gets a located error, never a crash."""

from __future__ import annotations

import datetime as dt
import decimal
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from creditengine import (
    Engine,
    EvaluationError,
    ExpressionError,
    Limits,
    RecordError,
    RuleError,
    load_record,
    load_records,
)
from creditengine.cli.app import app

MakePack = Callable[[dict[str, str]], Path]
AS_OF = dt.date(2025, 12, 31)
HEAD = 'version: "1"\neffective: {from: 2000-01-01}\ntitle: {en: T}\nreference: test\n'


def conversion(formula: str) -> str:
    return (
        "id: c\nkind: conversion\n"
        + HEAD
        + f"rules:\n  - {{id: r, when: {{type: course}}, points: {{formula: '{formula}'}}}}\n"
    )


def course(hours: int = 240, **extra: object) -> dict[str, object]:
    return {
        "worker": {"id": "W"},
        "achievements": [{"id": "A1", "type": "course", "hours": hours, "completed": "2024-01-01", **extra}],
    }


def test_a_folder_linked_from_outside_the_pack_is_refused(make_pack: MakePack, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "c.yaml").write_text(conversion("hours / 1"), encoding="utf-8")
    root = make_pack({})
    os.symlink(outside, root / "conversions")
    with pytest.raises(RuleError, match="a link out of the pack is not allowed"):
        Engine.load(root)


def test_a_link_loop_in_a_pack_is_a_located_problem(make_pack: MakePack) -> None:
    root = make_pack({"conversions/c.yaml": conversion("hours / 10")})
    os.symlink("loop.yaml", root / "conversions" / "loop.yaml")
    with pytest.raises(RuleError) as info:
        Engine.load(root)
    assert "loop.yaml" in str(info.value) and "link" in str(info.value)


@pytest.mark.parametrize("formula", ["(" * 300 + "hours" + ")" * 300, "-" * 3000 + "hours"])
def test_a_deeply_nested_formula_is_refused_not_a_crash(make_pack: MakePack, formula: str) -> None:
    with pytest.raises(ExpressionError, match="nested deeper than 64 levels"):
        Engine.load(make_pack({"conversions/c.yaml": conversion(formula)}))


def test_a_digit_outside_0_to_9_is_a_syntax_error(make_pack: MakePack) -> None:
    with pytest.raises(ExpressionError, match="unexpected character '²'"):
        Engine.load(make_pack({"conversions/c.yaml": conversion("hours * ²")}))


def test_an_amount_dividing_by_zero_is_an_evaluation_error(make_pack: MakePack) -> None:
    root = make_pack(
        {
            "conversions/c.yaml": conversion("hours / 10"),
            "policies/pay.yaml": "id: pay\nkind: entitlement\n" + HEAD + "currency: CNY\n"
            "rules:\n  - {id: r, when: {type: course}, amount: {formula: '1000 / (hours - 240)'}}\n",
        }
    )
    with pytest.raises(EvaluationError, match="DivisionByZero"):
        Engine.load(root).evaluate(load_record(course()), as_of=AS_OF)


def test_a_never_expiring_sentinel_date_does_not_overflow(make_pack: MakePack) -> None:
    root = make_pack(
        {
            "conversions/c.yaml": conversion("hours / 10"),
            "adjustments/a.yaml": "id: a\nkind: adjustment\n"
            + HEAD
            + "rules:\n  - {id: e, expire_after: {field: expires, days: 30}}\n",
        }
    )
    result = Engine.load(root).evaluate(load_record(course(expires="9999-12-31")), as_of=AS_OF)
    assert result.totals.all == 24


def test_a_learning_date_in_year_1_is_refused_with_its_location() -> None:
    with pytest.raises(
        RecordError, match=r"achievements\[0\]\.completed: 0001-06-30 is not a plausible date"
    ):
        load_record(
            {"worker": {"id": "W"}, "achievements": [{"id": "A", "type": "award", "completed": "0001-06-30"}]}
        )


def test_a_device_as_record_file_is_read_only_up_to_the_limit() -> None:
    with pytest.raises(RecordError, match="over the size limit"):
        load_record("/dev/zero", limits=Limits(record_file_bytes=1000))


def test_the_callers_decimal_context_does_not_change_results(make_pack: MakePack) -> None:
    engine = Engine.load(make_pack({"conversions/c.yaml": conversion("hours / 7")}))
    expected = engine.evaluate(load_record(course(864197)), as_of=AS_OF).to_json()
    seen: list[str] = []

    def low_precision() -> None:
        decimal.getcontext().prec = 3
        seen.append(engine.evaluate(load_record(course(864197)), as_of=AS_OF).to_json())

    thread = threading.Thread(target=low_precision)
    thread.start()
    thread.join()
    assert seen == [expected]


def test_an_equivalence_cycle_through_a_level_map_is_refused(make_pack: MakePack) -> None:
    pack_yaml = (
        "name: t\ntitle: {en: T}\ncategories: [general]\ndefault_category: general\n"
        "frameworks:\n  hk: {levels: [1, 2, 3, 4]}\n  cn: {levels: [5, 4, 3]}\n"
        "level_maps:\n  - {from: hk, to: cn, map: {4: 3}}\n"
    )
    rules = (
        "id: eq\nkind: equivalence\n" + HEAD + "rules:\n"
        "  - id: up\n    when: {level.framework: hk, level.value: 4}\n"
        "    counts_as: {level: {framework: cn, map: true}}\n"
        "  - id: back\n    when: {level.framework: cn, level.value: 3}\n"
        "    counts_as: {level: {framework: hk, value: 4}}\n"
    )
    with pytest.raises(RuleError, match="could derive each other without end"):
        Engine.load(make_pack({"pack.yaml": pack_yaml, "policies/eq.yaml": rules}))


def test_a_lookup_on_a_true_or_false_field_matches_yaml_keys(make_pack: MakePack) -> None:
    rules = (
        "id: c\nkind: conversion\n" + HEAD + "rules:\n  - id: r\n    when: {type: course}\n"
        "    points: {lookup: provider.accredited, table: {true: 10, false: 1}}\n"
    )
    engine = Engine.load(make_pack({"conversions/c.yaml": rules}))
    result = engine.evaluate(load_record(course(provider={"id": "P", "accredited": True})), as_of=AS_OF)
    assert result.totals.all == 10


def test_a_condition_number_past_the_limit_is_refused(make_pack: MakePack) -> None:
    rules = (
        "id: c\nkind: conversion\n" + HEAD + "rules:\n  - {id: r, when: {hours: {gte: 1e400}}, points: 1}\n"
    )
    with pytest.raises(ExpressionError, match=r"outside ±1,000,000,000,000"):
        Engine.load(make_pack({"conversions/c.yaml": rules}))


def test_record_data_is_never_read_as_terminal_markup(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(
        'worker: {id: W}\nachievements:\n  - {id: "[/]", type: award, completed: 2024-01-01}\n'
        '  - {id: "[link=file:///etc/passwd]A1[/link]", type: course, hours: 20, completed: 2024-01-01,'
        " provider: {id: P, accredited: true}, assessment: {passed: true}}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["evaluate", str(path), "--as-of", "2025-12-31", "--format", "text"])
    assert result.exit_code == 0, result.output
    assert "[link=file:///etc/passwd]A1[/link]" in result.output


def test_an_empty_record_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", str(path), "--as-of", "2025-12-31"])
    assert result.exit_code == 1
    assert "no worker record in this file" in result.output


def test_an_error_in_a_json_list_names_the_record(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text(
        '[{"worker": {"id": "W1"}},\n {"worker": {"id": "W2"}, "achievements": '
        '[{"id": "A", "type": "diploma", "completed": "2024-01-01"}]}]',
        encoding="utf-8",
    )
    with pytest.raises(RecordError) as info:
        load_records(path)
    assert f"{path}:2:" in str(info.value) and "[1].achievements[0].type" in str(info.value)


def test_a_record_id_with_a_tilde_is_refused_as_reserved_for_derived_achievements() -> None:
    with pytest.raises(RecordError, match=r"achievements\[0\]\.id: 'A4~x': '~' is reserved"):
        load_record(
            {
                "worker": {"id": "W"},
                "achievements": [{"id": "A4~x", "type": "award", "completed": "2024-01-01"}],
            }
        )


def test_one_id_cannot_name_files_of_two_kinds(make_pack: MakePack) -> None:
    adjustment = "id: c\nkind: adjustment\n" + HEAD + "rules:\n  - {id: m, multiply: 2}\n"
    root = make_pack({"conversions/c.yaml": conversion("hours / 10"), "adjustments/c.yaml": adjustment})
    with pytest.raises(RuleError, match="id 'c' is already the id of a conversion file"):
        Engine.load(root)
