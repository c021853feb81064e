"""``creditengine.lint``: every warning of the lint fixture pack at its exact place, the default
pack's one real warning, and warnings that go away when the rule is fixed as they say."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from creditengine import LintFinding, LintReport, RuleError, SourceLocation, lint
from creditengine._lint import CODES

PACKS = Path(__file__).resolve().parents[1] / "packs"
LINT_PACK = PACKS / "lint"

#: Every finding of tests/packs/lint, as FILE:LINE:COL CODE, in report order.
EXPECTED = [
    "adjustments/priorities.yaml:12:12 unreachable",
    "adjustments/priorities.yaml:17:25 never-applies",
    "conversions/awards.yaml:4:1 unused-allow",
    "conversions/awards.yaml:18:12 gap",
    "conversions/certificates.yaml:14:5 shadowed",
    "conversions/courses.yaml:4:12 expired",
    "conversions/courses.yaml:14:26 unreachable",
    "conversions/courses.yaml:19:26 unreachable",
    "conversions/short-courses.yaml:8:5 overlap",
    "pack.yaml:8:48 unconverted-category",
    "pack.yaml:11:26 unconverted-level",
    "policies/diploma-transfer.yaml:8:20 never-eligible",
    "policies/diploma-transfer.yaml:8:20 never-granted",
    "policies/master.yaml:4:12 expired",
    "policies/senior.yaml:9:3 never-met",
    "policies/senior.yaml:10:15 never-granted",
    "policies/subsidy.yaml:9:3 never-eligible",
    "policies/subsidy.yaml:9:12 unreachable",
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
        "which converts first every achievement it could give points for (hit: first)"
    )
    assert str(shadowed).endswith("(at rules[1])")
    window = by_place["conversions/courses.yaml:19:26 unreachable"]
    assert "no value of completed" in window.message and "2023-01-01..2024-12-31" in window.message
    assert "no value of hours" in by_place["conversions/courses.yaml:14:26 unreachable"].message
    assert "any: branch" in by_place["adjustments/priorities.yaml:12:12 unreachable"].message
    gap = by_place["conversions/awards.yaml:18:12 gap"]
    assert gap.message == "no version of awards is in force from 2023-01-01 to 2023-12-31"
    never = by_place["policies/senior.yaml:10:15 never-granted"]
    assert "master (2020-01-01..2021-12-31) is never in force while senior 2024.1" in never.message
    level = by_place["pack.yaml:11:26 unconverted-level"]
    assert dict(level.params) == {"level": "4", "framework": "cn-skill", "types": "certificate"}
    overlap = by_place["conversions/short-courses.yaml:8:5 overlap"]
    assert dict(overlap.params)["other"] == "courses/by-hours"


def test_the_default_pack_is_clean_and_accepts_its_one_known_warning() -> None:
    # Macao DSAL "senior" has no recognised mainland level (rules/pack.yaml says so on purpose):
    # a senior Macao certificate gets no points. The pack accepts that finding, with its reason,
    # so `creditengine lint --strict` passes on it (and fails on any new warning).
    report = lint()
    assert report.findings == ()
    assert report.clean
    assert [(f.code, dict(f.params)["framework"], dict(f.params)["level"]) for f in report.accepted] == [
        ("unconverted-level", "mo-dsal", "senior")
    ]
    accepted = report.accepted[0]
    assert accepted.location.file.endswith("pack.yaml")
    assert accepted.location.line == 28
    assert accepted.accepted is not None and "no recognised mainland match" in accepted.accepted


def test_json_is_deterministic_and_counts_codes() -> None:
    first, second = lint(LINT_PACK).to_json(), lint(LINT_PACK).to_json()
    assert first == second
    data = json.loads(first)
    assert data["counts"]["unreachable"] == 4
    assert sum(data["counts"].values()) == len(EXPECTED)
    assert data["findings"][0]["path"] == "rules[0].when.any[1].hours"
    assert data["findings"][0]["fix"].startswith("correct the bounds")


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
            "conversions/courses.yaml:14:26",
        ),
        (
            "conversions/courses.yaml",
            "{lt: 2022-01-01}",
            "{lt: 2024-01-01}",
            "conversions/courses.yaml:19:26",
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
        ("conversions/awards.yaml", "# lint: allow expired", "# no lint: allow expired", "unused-allow"),
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
_YAML_WORDS = re.compile(r"any:|unless:|eligible:|hit: first|convert_at: completed|lint: allow")


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


_TRAINING = """\
id: training
kind: conversion
version: "2024.1"
effective: {from: 2024-01-01}
title: {en: Training}
reference: "Test fixture (not a real scheme)"
hit: first
rules:
  - id: by-hours
    when: {type: course}
    points: {formula: "hours / 10"}
    category: services
    reference: "Test fixture (not a real scheme)"
  - id: shortage-occupation
    when: {type: course, occupation: {in: [welder, electrician]}}
    points: {formula: "POINTS"}
    category: services
    reference: "Test fixture (not a real scheme)"
"""


def _training(pack: Path, points: str) -> list[str]:
    (pack / "conversions" / "training.yaml").write_text(_TRAINING.replace("POINTS", points), encoding="utf-8")
    return [
        str(f) for f in lint(pack).findings if f.code == "shadowed" and "training.yaml" in f.location.file
    ]


def test_a_catch_all_rule_shadows_a_later_rule_that_computes_from_the_same_field(fixture_pack: Path) -> None:
    # by-hours takes every course that has hours; shortage-occupation gives points only to
    # courses with hours, so it can never decide (the earlier rule's formula needs hours too)
    assert _training(fixture_pack, "hours / 8") == [
        f"{fixture_pack}/conversions/training.yaml:14:5: shadowed: rule training/shortage-occupation is "
        "never used: it comes after training/by-hours, which converts first every achievement it could "
        "give points for (hit: first) (at rules[1])"
    ]


def test_a_later_rule_that_gives_points_where_the_earlier_cannot_is_not_shadowed(fixture_pack: Path) -> None:
    # a course with credits but no hours: by-hours passes it over, shortage-occupation converts it
    assert _training(fixture_pack, "credits.value") == []


def test_unreachable_points_at_the_field_that_conflicts(fixture_pack: Path) -> None:
    report = lint(fixture_pack)
    courses = [f for f in report.findings if f.code == "unreachable" and "courses.yaml" in f.location.file]
    line = (fixture_pack / "conversions/courses.yaml").read_text(encoding="utf-8").splitlines()[13]
    assert line == "    when: {type: course, hours: {gte: 100, lt: 50}}"
    first = courses[0].location
    assert (first.line, first.column, first.field) == (14, line.index("hours:") + 1, "rules[1].when.hours")


def _allow(pack: Path, file: str, old: str, new: str) -> LintReport:
    _edit(pack / file, old, new)
    return lint(pack)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # a comment on the finding's own line
        (
            "effective: {from: 2020-01-01, until: 2021-12-31}",
            "effective: {from: 2020-01-01, until: 2021-12-31}  # lint: allow expired — the old scheme ended",
        ),
        # a comment alone on the line above (other comments may stand between)
        (
            "effective: {from: 2020-01-01",
            "# lint: allow expired -- the old scheme ended\n# (2020 pilot)\neffective: {from: 2020-01-01",
        ),
    ],
)
def test_an_allow_comment_accepts_the_finding_and_keeps_it_visible(
    fixture_pack: Path, old: str, new: str
) -> None:
    before = lint(fixture_pack)
    report = _allow(fixture_pack, "policies/master.yaml", old, new)
    assert len(report.findings) == len(before.findings) - 1
    assert not any(f.code == "expired" and "master.yaml" in f.location.file for f in report.findings)
    (accepted,) = report.accepted
    assert (accepted.code, accepted.accepted) == ("expired", "the old scheme ended")
    assert accepted.line().startswith(f"{fixture_pack}/policies/master.yaml:")
    assert ": expired (accepted): master version 2020.1 ends" in accepted.line()
    assert accepted.hint() == "    accepted: the old scheme ended"
    assert report.counts(accepted=True) == {"expired": 1}
    assert "expired" in report.counts()  # the courses file's own expiry is still a warning
    data = json.loads(report.to_json())
    assert data["accepted"][0]["accepted"] == "the old scheme ended"
    assert all("accepted" not in f for f in data["findings"])


@pytest.mark.parametrize(
    ("comment", "reason", "code"),
    [
        ("# lint: allow gap — not here", "unmatched", "gap"),  # master.yaml has no gap
        ("# lint: allow expird — typo", "unknown", "expird"),
        ("# lint: allow unused-allow — cannot be accepted", "unknown", "unused-allow"),
        ("# lint: allow — which?", "unreadable", ""),
    ],
)
def test_an_allow_comment_that_accepts_nothing_is_itself_a_warning(
    fixture_pack: Path, comment: str, reason: str, code: str
) -> None:
    report = _allow(
        fixture_pack, "policies/master.yaml", "effective: {from: 2020", f"{comment}\neffective: {{from: 2020"
    )
    unused = [f for f in report.findings if f.code == "unused-allow" and "master.yaml" in f.location.file]
    assert [(f.location.line, f.location.column, dict(f.params)) for f in unused] == [
        (4, 1, {"code": code, "reason": reason})
    ]
    assert not report.accepted
    assert any(f.code == "expired" and "master.yaml" in f.location.file for f in report.findings)


def test_a_lint_comment_inside_a_quoted_value_is_not_a_comment(fixture_pack: Path) -> None:
    report = _allow(
        fixture_pack,
        "policies/master.yaml",
        "title: {en: Master (old scheme)}",
        'title: {en: "Master # lint: allow expired — no"}',
    )
    assert not report.accepted
    assert not any(f.code == "unused-allow" and "master.yaml" in f.location.file for f in report.findings)


def test_every_code_says_what_to_do_in_each_language() -> None:
    for code in CODES:
        finding = LintFinding(code, SourceLocation("p.yaml", 1, 1, ("rules", 0)), ())
        assert finding.fix("en") and finding.hint("en") == f"    fix: {finding.fix('en')}"
        assert re.search("[\u4e00-\u9fff]", finding.fix("zh")), code
        assert finding.hint("zh") == f"    修改：{finding.fix('zh')}"
    assert lint(LINT_PACK).findings[0].to_dict("zh")["fix"].startswith("修正取值范围")


def test_chinese_lines_give_the_key_path_in_chinese() -> None:
    finding = lint(LINT_PACK).findings[0]
    assert finding.line("zh").endswith("（位置：rules[0].when.any[1].hours）")
    assert "(at " not in finding.line("zh")
    assert finding.line("en").endswith(" (at rules[0].when.any[1].hours)")
