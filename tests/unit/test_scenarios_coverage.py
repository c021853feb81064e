"""Rule coverage (creditengine/scenarios/_coverage.py): which rules a pack has, which ones a result
names as having decided something, and the sums, checked against counts made by hand."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from creditengine import Engine, load_record
from creditengine.scenarios._coverage import Recorder, active, exercised, pack_rules, recording, rules_of

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "cli" / "scenarios" / "pack"
AS_OF = dt.date(2025, 12, 31)

# The default pack's rules, counted from rules/: 4 conversion rules, 5 adjustment rules,
# 2 accreditation policies, 2 equivalence rules, the subsidy's pricing rule and its four
# refusing clauses, the transfer and its exemption.
DEFAULT_RULES = {
    "accredited-courses/by-hours",
    "cn-higher-ed-credits/by-credit",
    "cn-skill-certificates/by-level",
    "hkqf-credits/by-qf-credit",
    "caps-and-validity/certificate-expiry",
    "caps-and-validity/course-validity",
    "caps-and-validity/course-yearly-cap",
    "caps-and-validity/priority-industries",
    "caps-and-validity/same-certificate-once",
    "highly-skilled-worker",
    "skilled-worker",
    "cross-border-equivalence/hkqf-qualification-levels",
    "cross-border-equivalence/macao-maintenance-electrician",
    "skill-upgrade-subsidy/by-level",
    "skill-upgrade-subsidy/eligible",
    "skill-upgrade-subsidy/claim_within",
    "skill-upgrade-subsidy/once_per",
    "skill-upgrade-subsidy/max_claims",
    "mechatronics-associate-transfer",
    "mechatronics-associate-transfer/electrician-certificate",
}


@pytest.fixture(scope="module")
def default() -> Engine:
    return Engine.load()


def _names(pairs: frozenset[tuple[str, str]]) -> set[str]:
    return {rule for rule, _ in pairs}


def test_the_default_pack_has_twenty_rules(default: Engine) -> None:
    assert _names(pack_rules(default.pack)) == DEFAULT_RULES


def test_a_rule_file_names_its_rules_as_results_do(default: Engine) -> None:
    by_id = {v.meta.id: v for v in default.pack.all_versions()}
    assert rules_of(by_id["highly-skilled-worker"]) == ("highly-skilled-worker",)
    assert rules_of(by_id["cn-skill-certificates"]) == ("cn-skill-certificates/by-level",)
    assert rules_of(by_id["mechatronics-associate-transfer"]) == (
        "mechatronics-associate-transfer",
        "mechatronics-associate-transfer/electrician-certificate",
    )


def test_files_left_out_have_no_rules(default: Engine) -> None:
    left = _names(pack_rules(default.pack, ["adjustments/caps-and-validity.yaml"]))
    assert left == {r for r in DEFAULT_RULES if not r.startswith("caps-and-validity/")}


def test_a_result_names_every_kind_of_rule_that_decided(default: Engine) -> None:
    # The worked example of examples/electrician-subsidy-transfer.yaml (its header says what decides).
    record = load_record(ROOT / "examples" / "electrician-subsidy-transfer.yaml")
    decided = _names(exercised(default.evaluate(record, as_of=AS_OF)))
    assert decided == {
        "cn-skill-certificates/by-level",  # A2, and A1~cn-skill-4 (a duplicate)
        "accredited-courses/by-hours",  # A3
        "cn-higher-ed-credits/by-credit",  # A4
        "caps-and-validity/priority-industries",  # x1.2 on A2, A3, A4
        "caps-and-validity/same-certificate-once",  # A1~cn-skill-4 is a duplicate of A2
        "cross-border-equivalence/macao-maintenance-electrician",  # derives A1~cn-skill-4
        "skilled-worker",  # met
        "highly-skilled-worker",  # met
        "skill-upgrade-subsidy/by-level",  # A2 granted
        "skill-upgrade-subsidy/claim_within",  # A1~cn-skill-4 refused
        "mechatronics-associate-transfer",  # granted
        "mechatronics-associate-transfer/electrician-certificate",  # exempts three courses
    }


def test_an_unmet_policy_counts_as_exercised(default: Engine) -> None:
    record = load_record({"worker": {"id": "W-1"}, "achievements": []})
    decided = _names(exercised(default.evaluate(record, as_of=AS_OF)))
    assert {"skilled-worker", "highly-skilled-worker"} <= decided


def _course(hours: int) -> dict[str, object]:
    return {
        "id": "K1",
        "type": "course",
        "provider": {"id": "P", "accredited": True},
        "assessment": {"passed": True},
        "hours": hours,
        "completed": "2024-03-01",
    }


def test_coverage_of_the_fixture_pack_by_hand(tmp_path: Path) -> None:
    engine = Engine.load(FIXTURE)
    recorder = Recorder(base=ROOT)
    recorder.pack_used(FIXTURE, engine.pack)
    assert recorder.coverage().percent == 0.0
    short = load_record({"worker": {"id": "W-1"}, "achievements": [_course(120)]})
    recorder.evaluated(FIXTURE, engine.pack, engine.evaluate(short, as_of=AS_OF))
    coverage = recorder.coverage()
    # courses/by-hours and trained-worker, of 5
    assert (coverage.rules, coverage.exercised, coverage.percent) == (5, 2, 40.0)
    [pack] = coverage.packs
    assert pack.folder == "tests/cli/scenarios/pack"
    assert pack.name == "coverage-fixture"
    assert pack.never == ("caps/low-attendance", "caps/yearly-cap", "courses/by-certificate")
    long = load_record({"worker": {"id": "W-1"}, "achievements": [_course(600)]})
    recorder.evaluated(FIXTURE, engine.pack, engine.evaluate(long, as_of=AS_OF))
    assert recorder.coverage().percent == 60.0  # + caps/yearly-cap


def test_coverage_counts_only_packs_that_evaluated_a_worker(default: Engine) -> None:
    # A new user's trial: with --rules, a scenario that only validates "rules" added the packaged
    # pack's 20 rules at 0% and failed --min-coverage for a fully covered pack.
    fixture = Engine.load(FIXTURE)
    recorder = Recorder(base=ROOT)
    recorder.pack_used(FIXTURE, fixture.pack)
    record = load_record({"worker": {"id": "W-1"}, "achievements": []})
    recorder.evaluated(Path(default.pack.root), default.pack, default.evaluate(record, as_of=AS_OF))
    coverage = recorder.coverage()
    # A worker with nothing: the two accreditations (unmet) and the transfer (refused) are decided
    # all the same; the fixture pack was loaded but evaluated nothing, so it is not counted.
    [shenzhen] = coverage.packs
    assert shenzhen.exercised == (
        "highly-skilled-worker",
        "mechatronics-associate-transfer",
        "skilled-worker",
    )
    assert (coverage.rules, coverage.exercised) == (20, 3)
    assert coverage.percent == pytest.approx(15.0)


def test_coverage_adds_up_over_packs(default: Engine) -> None:
    fixture = Engine.load(FIXTURE)
    recorder = Recorder(base=ROOT)
    record = load_record({"worker": {"id": "W-1"}, "achievements": []})
    recorder.evaluated(FIXTURE, fixture.pack, fixture.evaluate(record, as_of=AS_OF))
    recorder.evaluated(Path(default.pack.root), default.pack, default.evaluate(record, as_of=AS_OF))
    coverage = recorder.coverage()
    shenzhen, fixture_coverage = coverage.packs  # the packaged pack is listed first
    assert len(shenzhen.exercised) == 3
    assert (coverage.rules, coverage.exercised) == (25, 3 + len(fixture_coverage.exercised))


def test_a_scenarios_own_rule_file_counts_neither_as_a_rule_nor_as_exercised(tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(FIXTURE, copy)
    (copy / "conversions" / "draft-courses.yaml").write_text(
        (FIXTURE / "conversions" / "courses.yaml")
        .read_text(encoding="utf-8")
        .replace("id: courses", "id: draft-courses"),
        encoding="utf-8",
    )
    engine = Engine.load(copy)
    recorder = Recorder(base=ROOT)
    record = load_record({"worker": {"id": "W-1"}, "achievements": [_course(120)]})
    result = engine.evaluate(record, as_of=AS_OF)
    assert "draft-courses/by-hours" in _names(exercised(result))
    recorder.evaluated(FIXTURE, engine.pack, result, drafts=["conversions/draft-courses.yaml"])
    [pack] = recorder.coverage().packs
    assert "draft-courses/by-hours" not in pack.rules + pack.exercised
    assert len(pack.rules) == 5


def test_a_rule_counts_only_in_the_version_that_decided(default: Engine) -> None:
    record = load_record({"worker": {"id": "W-1"}, "achievements": []})
    result = default.evaluate(record, as_of=AS_OF)
    fixture = Engine.load(FIXTURE)
    recorder = Recorder()
    # The default pack's results name none of the fixture pack's (rule, version) pairs.
    recorder.evaluated(FIXTURE, fixture.pack, result)
    assert recorder.coverage().exercised == 0


def test_recording_installs_a_recorder_for_the_run_only() -> None:
    assert active() is None
    with recording(Recorder()) as recorder:
        assert active() is recorder
    assert active() is None
