"""The evaluation result (creditengine._results): SPEC §5 JSON shape and number format."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from views import sentences

from creditengine import Engine, Result, load_record
from creditengine._schemas import ResultDocument
from creditengine._trace import format_points

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AS_OF = dt.date(2025, 12, 31)
NUMBER = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$")


@pytest.fixture(scope="module")
def results() -> dict[str, Result]:
    engine = Engine.load()
    return {p.stem: engine.evaluate(load_record(p), as_of=AS_OF) for p in sorted(EXAMPLES.glob("*.yaml"))}


def test_the_top_level_keys_are_spec_section_5_in_order(results: dict[str, Result]) -> None:
    data = json.loads(results["electrician-level3"].to_json())
    assert list(data) == [
        "worker",
        "as_of",
        "pack",
        "ledger",
        "totals",
        "derived",
        "outcomes",
        "entitlements",
        "transfers",
        "unmatched",
        "warnings",
        "warning_reasons",
    ]
    assert data["worker"] == "W-0001"
    assert data["as_of"] == "2025-12-31"


def test_pack_and_totals_have_the_spec_keys(results: dict[str, Result]) -> None:
    data = json.loads(results["electrician-level3"].to_json())
    assert list(data["pack"]) == ["name", "fingerprint", "versions"]
    assert data["pack"]["name"] == "shenzhen"
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", data["pack"]["fingerprint"])
    assert data["pack"]["versions"]["cn-skill-certificates"] == "2022.1"
    assert list(data["totals"]) == ["all", "by_category"]
    assert data["totals"] == {"all": "100.8", "by_category": {"advanced_manufacturing": "100.8"}}


def test_a_ledger_entry_has_the_spec_keys(results: dict[str, Result]) -> None:
    data = json.loads(results["electrician-level3"].to_json())
    entry = data["ledger"][1]
    assert list(entry) == [
        "achievement",
        "rule",
        "version",
        "base",
        "adjustments",
        "points",
        "category",
        "status",
    ]
    assert entry["achievement"] == "A2"
    assert entry["rule"] == "cn-skill-certificates/by-level"
    assert entry["version"] == "2022.1"
    assert (entry["base"], entry["points"]) == ("80", "96")
    assert entry["category"] == "advanced_manufacturing"
    assert entry["status"] == "counted"
    [adjustment] = entry["adjustments"]
    assert {"rule", "effect"} <= set(adjustment)
    assert adjustment["rule"] == "caps-and-validity/priority-industries"
    assert adjustment["effect"] == "x1.2"


def test_a_non_counted_entry_says_which_rule_did_it(results: dict[str, Result]) -> None:
    # An adjustment rule, or the equivalence that joins a derived achievement to its source
    # (a source and its derivative are one piece of learning: only the better one counts).
    pack = Engine.load().pack
    deciders = {
        f"{version.meta.id}/{rule.id}": version.meta.version
        for groups in (pack.adjustments, pack.equivalences)
        for group in groups
        for version in group.items
        for rule in version.rules
    }
    seen = set()
    for result in results.values():
        for entry in result.to_dict()["ledger"]:
            if entry["status"] != "counted":
                assert entry["adjustments"], entry
                last = entry["adjustments"][-1]
                assert deciders.get(last["rule"]) == last["version"], entry
                seen.add(last["rule"].split("/")[0])
    assert seen == {"caps-and-validity", "cross-border-equivalence"}


def test_an_outcome_has_the_spec_keys(results: dict[str, Result]) -> None:
    data = json.loads(results["course-heavy-capped"].to_json())
    for found in data["outcomes"]:
        assert {"policy", "version", "status", "because", "missing"} <= set(found)
        assert found["status"] in ("met", "unmet")
    skilled = data["outcomes"][0]
    assert skilled["policy"] == "skilled-worker"
    [gap] = skilled["missing"]
    total_gap = [m for option in gap["options"] for m in option if "have" in m]
    assert sentences(total_gap) == [{"requirement": "total >= 100", "have": "72", "need": "28"}]


def test_every_result_fits_the_published_result_schema(results: dict[str, Result]) -> None:
    for result in results.values():
        for lang in ("en", "zh"):
            ResultDocument.model_validate(json.loads(result.to_json(lang=lang)))


def test_derived_and_entitlements_are_lists(results: dict[str, Result]) -> None:
    data = results["course-heavy-capped"].to_dict()
    assert data["derived"] == []
    assert data["entitlements"] == []
    assert data["unmatched"] == ["A6"]
    data = results["chef-junior-macao"].to_dict()
    assert data["derived"] == [
        {
            "id": "A2~cn-skill-4",
            "rule": "cross-border-equivalence/macao-maintenance-electrician",
            "version": "2022.1",
            "from": ["A2"],
        }
    ]
    assert [(c["for"], c["status"]) for c in data["entitlements"]] == [
        (["A2~cn-skill-4"], "refused"),
        (["A1"], "refused"),
    ]
    assert data["unmatched"] == ["A3", "A4"]


def test_entitlement_and_transfer_entries_have_their_keys(results: dict[str, Result]) -> None:
    data = results["electrician-subsidy-transfer"].to_dict()
    for claim in data["entitlements"]:
        assert list(claim) == [
            "policy",
            "version",
            "rule",
            "status",
            "amount",
            "currency",
            "for",
            "reason",
            "code",
            "params",
        ]
    [transfer] = data["transfers"]
    assert list(transfer) == [
        "policy",
        "version",
        "programme",
        "title",
        "status",
        "credits",
        "limit",
        "points",
        "from_points",
        "exemptions",
        "capped",
        "reason",
        "code",
        "params",
    ]
    assert list(transfer["exemptions"][0]) == ["course", "title", "credits", "by", "rule"]
    assert list(data["derived"][0]) == ["id", "rule", "version", "from"]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("96"), "96"),
        (Decimal("96.0"), "96"),
        (Decimal("12.5"), "12.5"),
        (Decimal("12.50"), "12.5"),
        (Decimal("0"), "0"),
        (Decimal("0.0"), "0"),
        (Decimal("-0"), "0"),
        (Decimal("100"), "100"),
        (Decimal("1E+2"), "100"),
        (Decimal("100.0"), "100"),
        (Decimal("0.05"), "0.05"),
        (Decimal("-3.20"), "-3.2"),
        (Decimal("1234567.8"), "1234567.8"),
    ],
)
def test_points_are_plain_decimal_text(value: Decimal, text: str) -> None:
    assert format_points(value) == text


def test_every_number_in_the_json_is_plain_decimal_text(results: dict[str, Result]) -> None:
    for result in results.values():
        data = result.to_dict()
        numbers = [data["totals"]["all"], *data["totals"]["by_category"].values()]
        for entry in data["ledger"]:
            numbers += [entry["base"], entry["points"]]
        numbers += [c["amount"] for c in data["entitlements"]]
        for transfer in data["transfers"]:
            numbers += [transfer[k] for k in ("credits", "limit", "points", "from_points")]
            numbers += [e["credits"] for e in transfer["exemptions"]]
        for found in data["outcomes"]:
            stack = list(found["missing"])
            while stack:
                item = stack.pop()
                numbers += [item[k] for k in ("have", "need") if k in item]
                stack += [m for option in item.get("options", []) for m in option]
        assert numbers
        for number in numbers:
            assert isinstance(number, str)
            assert NUMBER.match(number), number


def test_zero_points_show_as_0(results: dict[str, Result]) -> None:
    ledger = results["electrician-level3"].to_dict()["ledger"]
    assert (ledger[0]["status"], ledger[0]["points"]) == ("duplicate", "0")


def test_json_is_utf8_text_and_chinese_when_asked(results: dict[str, Result]) -> None:
    zh = results["electrician-level3"].to_json(lang="zh")
    assert "高技能人才" in zh  # not \\u escapes
    assert "×1.2" in zh
    en = results["electrician-level3"].to_json()
    assert "Highly skilled worker" in en
    assert json.loads(zh)["totals"] == json.loads(en)["totals"]


def test_to_json_without_indent_is_one_line(results: dict[str, Result]) -> None:
    text = results["electrician-level3"].to_json(indent=None)
    assert "\n" not in text
    assert json.loads(text) == json.loads(results["electrician-level3"].to_json())


def test_result_accessors(results: dict[str, Result]) -> None:
    result = results["electrician-level3"]
    assert result.totals.all == Decimal("100.8")
    assert result.totals.category("advanced_manufacturing") == Decimal("100.8")
    assert result.totals.category("modern_services") == 0
    assert result.outcome("highly-skilled-worker").met
    assert result.outcome("highly-skilled").met
    assert set(result.statuses) == {"skilled", "highly-skilled"}
