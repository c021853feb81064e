"""``creditengine.lint``: every warning of the lint fixture pack at its exact place, the default
pack's one real warning, and warnings that go away when the rule is fixed as they say."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from creditengine import LintReport, RuleError, lint
from creditengine._lint import CODES

PACKS = Path(__file__).resolve().parents[1] / "packs"
LINT_PACK = PACKS / "lint"

#: Every finding of tests/packs/lint, as FILE:LINE:COL CODE, in report order.
EXPECTED = [
    "adjustments/priorities.yaml:12:11 unreachable",
    "adjustments/priorities.yaml:17:25 never-applies",
    "conversions/awards.yaml:17:12 gap",
    "conversions/certificates.yaml:14:5 shadowed",
    "conversions/courses.yaml:4:12 expired",
    "conversions/courses.yaml:14:11 unreachable",
    "conversions/courses.yaml:19:11 unreachable",
    "conversions/short-courses.yaml:8:5 overlap",
    "pack.yaml:8:48 unconverted-category",
    "pack.yaml:11:26 unconverted-level",
    "policies/diploma-transfer.yaml:8:20 never-eligible",
    "policies/diploma-transfer.yaml:8:20 never-granted",
    "policies/master.yaml:4:12 expired",
    "policies/senior.yaml:9:3 never-met",
    "policies/senior.yaml:10:15 never-granted",
    "policies/subsidy.yaml:9:3 never-eligible",
    "policies/subsidy.yaml:9:35 unreachable",
    "policies/subsidy.yaml:15:5 shadowed",
]


def _places(report: LintReport, root: Path) -> list[str]:
    return [
        f"{os.path.relpath(f.location.file, root)}:{f.location.line}:{f.location.column} {f.code}"
        for f in report.findings
    ]


@pytest.fixture
def fixture_pack(tmp_path: Path) -> Path:
    target = tmp_path / "lint"
    shutil.copytree(LINT_PACK, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_fixture_pack_has_every_warning_at_its_place() -> None:
    report = lint(LINT_PACK)
    assert _places(report, LINT_PACK) == EXPECTED
    assert {f.code for f in report.findings} == set(CODES)
    assert report.pack == "lint-fixture"
    assert not report.clean


def test_messages_name_the_rules_fields_and_dates_involved() -> None:
    report = lint(LINT_PACK)
    by_place = dict(zip(_places(report, LINT_PACK), report.findings, strict=True))
    shadowed = by_place["conversions/certificates.yaml:14:5 shadowed"]
    assert shadowed.message == (
        "rule certificates/senior-technician is never used: it comes after certificates/senior-and-above, "
        "which converts every achievement it matches first (hit: first)"
    )
    assert str(shadowed).endswith("(at rules[1])")
    window = by_place["conversions/courses.yaml:19:11 unreachable"]
    assert "no value of completed" in window.message and "2023-01-01..2024-12-31" in window.message
    assert "no value of hours" in by_place["conversions/courses.yaml:14:11 unreachable"].message
    assert "any: branch" in by_place["adjustments/priorities.yaml:12:11 unreachable"].message
    gap = by_place["conversions/awards.yaml:17:12 gap"]
    assert gap.message == "no version of awards is in force from 2023-01-01 to 2023-12-31"
    never = by_place["policies/senior.yaml:10:15 never-granted"]
    assert "master (2020-01-01..2021-12-31) is never in force while senior 2024.1" in never.message
    level = by_place["pack.yaml:11:26 unconverted-level"]
    assert dict(level.params) == {"level": "4", "framework": "cn-skill", "types": "certificate"}
    overlap = by_place["conversions/short-courses.yaml:8:5 overlap"]
    assert dict(overlap.params)["other"] == "courses/by-hours"


def test_the_default_pack_gives_one_real_warning() -> None:
    # Macao DSAL "senior" has no recognised mainland level (rules/pack.yaml says so on purpose):
    # a senior Macao certificate gets no points, which is what lint reports.
    report = lint()
    assert [(f.code, dict(f.params)["framework"], dict(f.params)["level"]) for f in report.findings] == [
        ("unconverted-level", "mo-dsal", "senior")
    ]
    assert report.findings[0].location.file.endswith("pack.yaml")
    assert report.findings[0].location.line == 27


def test_json_is_deterministic_and_counts_codes() -> None:
    first, second = lint(LINT_PACK).to_json(), lint(LINT_PACK).to_json()
    assert first == second
    data = json.loads(first)
    assert data["counts"]["unreachable"] == 4
    assert sum(data["counts"].values()) == len(EXPECTED)
    assert data["findings"][0]["path"] == "rules[0].when.any[1]"


def test_a_pack_that_does_not_load_is_an_error_not_a_warning(fixture_pack: Path) -> None:
    _edit(fixture_pack / "conversions/courses.yaml", "hours: {gt: 10}", "hours: {gt: ten}")
    with pytest.raises(RuleError) as caught:
        lint(fixture_pack)
    assert "courses.yaml" in str(caught.value)


@pytest.mark.parametrize(
    ("file", "old", "new", "gone"),
    [
        # the fix each warning suggests, and the warning that then goes away
        (
            "conversions/courses.yaml",
            "hours: {gte: 100, lt: 50}",
            "hours: {exists: false}",
            "conversions/courses.yaml:14:11",
        ),
        (
            "conversions/courses.yaml",
            "{lt: 2022-01-01}",
            "{lt: 2024-01-01}",
            "conversions/courses.yaml:19:11",
        ),
        (
            "conversions/certificates.yaml",
            "table: {3: 80, 2: 120, 1: 160}",
            "table: {3: 80, 2: 120}",
            "certificates.yaml:14:5: shadowed",
        ),
        (
            "conversions/certificates.yaml",
            "level.value: 5}",
            "level.value: {in: [5, 4]}}",
            "unconverted-level",
        ),
        ("conversions/short-courses.yaml", "{lte: 20}", "{lte: 10}", "overlap"),
        (
            "adjustments/priorities.yaml",
            "{type: {in: [certificate, course]}}",
            "{provider.accredited: true}",
            "never-applies",
        ),
        ("policies/subsidy.yaml", "{lt: 0}", "{gte: 12}", "policies/subsidy.yaml:9:"),
        ("policies/master.yaml", ", until: 2021-12-31", "", "never-granted: status master"),
    ],
)
def test_fixing_what_a_warning_says_removes_it(
    fixture_pack: Path, file: str, old: str, new: str, gone: str
) -> None:
    before = [str(f) for f in lint(fixture_pack).findings]
    assert any(gone in line for line in before), gone
    _edit(fixture_pack / file, old, new)
    after = [str(f) for f in lint(fixture_pack).findings]
    assert not any(gone in line for line in after), after
    assert set(after) < set(before)  # the fix brings no new warning


def test_a_status_claim_rule_whose_status_is_never_granted_is_reported(fixture_pack: Path) -> None:
    _edit(
        fixture_pack / "policies/subsidy.yaml",
        "  - id: level-four\n",
        "  - id: for-seniors\n    status: senior\n    amount: 500\n  - id: level-four\n",
    )
    _edit(fixture_pack / "policies/subsidy.yaml", "eligible:\n  worker: {insurance_months: {lt: 0}}\n", "")
    lines = [str(f) for f in lint(fixture_pack).findings]
    assert any("subsidy.yaml:14:13: never-granted: status senior" in line for line in lines), lines


#: What may stay in Latin letters in a Chinese lint message: YAML keys and values as written.
_YAML_WORDS = re.compile(r"any:|unless:|eligible:|hit: first|convert_at: completed")


def test_every_finding_reads_in_chinese_with_no_english_words_but_ids() -> None:
    report = lint(LINT_PACK)
    for finding in report.findings:
        text = _YAML_WORDS.sub("", finding.text("zh"))
        assert re.search("[\u4e00-\u9fff]", text), text
        for value in sorted((v for _, v in finding.params), key=len, reverse=True):
            for part in [value, *value.split(", ")]:
                if part:
                    text = text.replace(part, "")
        leftover = re.findall("[A-Za-z]{2,}", text)
        assert not leftover, (finding.code, finding.text("zh"), leftover)
    assert report.findings[0].to_dict("zh")["message"] == report.findings[0].text("zh")
