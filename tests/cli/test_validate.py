"""``creditengine validate``: exit 0 on a good pack, exit 1 with every problem at FILE:LINE:COL."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

Run = Callable[..., Result]
LOCATED = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$", re.MULTILINE)


def copy_pack(rules: Path, tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(rules, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_default_pack_is_valid(run: Run) -> None:
    result = run("validate")
    assert result.exit_code == 0, result.stderr
    assert "pack shenzhen" in result.stdout
    # 4 conversions, 1 adjustment file, 5 policies (2 accreditations, equivalence, entitlement, transfer)
    assert "10 rule file versions" in result.stdout
    assert re.search(r"sha256:[0-9a-f]{64}", result.stdout)
    assert result.stdout.rstrip().endswith("OK")
    assert result.stderr == ""


def test_the_repository_pack_folder_is_valid(run: Run, rules: Path) -> None:
    result = run("validate", rules)
    assert result.exit_code == 0, result.stderr
    assert str(rules) in result.stdout


def test_every_problem_of_a_broken_pack_is_listed(run: Run, rules: Path, tmp_path: Path) -> None:
    pack = copy_pack(rules, tmp_path)
    edit(pack / "conversions" / "cn-skill-certificates.yaml", "hit: first", "hit: firstest")
    edit(pack / "conversions" / "accredited-courses.yaml", "hours / 10", "hour / 10")
    edit(
        pack / "policies" / "highly-skilled-worker.yaml", "category: advanced_manufacturing", "category: food"
    )
    edit(pack / "adjustments" / "caps-and-validity.yaml", "multiply: 1.2", "multiply: 1.2\n    colour: red")
    result = run("validate", pack)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    problems = LOCATED.findall(result.stderr)
    assert len(problems) == 4, result.stderr
    by_file = {Path(f).name: (int(line), message) for f, line, _, message in problems}
    assert set(by_file) == {
        "cn-skill-certificates.yaml",
        "accredited-courses.yaml",
        "highly-skilled-worker.yaml",
        "caps-and-validity.yaml",
    }
    assert by_file["cn-skill-certificates.yaml"][0] == 14
    assert "hit" in by_file["cn-skill-certificates.yaml"][1]
    assert "did you mean 'hours'?" in by_file["accredited-courses.yaml"][1]
    assert "unknown category 'food'" in by_file["highly-skilled-worker.yaml"][1]
    assert "unknown key 'colour'" in by_file["caps-and-validity.yaml"][1]
    for file, _, _, _ in problems:
        assert file.startswith(str(pack))
    assert result.stderr.rstrip().splitlines()[-1] == "4 problems"


def test_a_single_problem_is_one_line(run: Run, rules: Path, tmp_path: Path) -> None:
    pack = copy_pack(rules, tmp_path)
    edit(pack / "pack.yaml", "rounding: half_up", "rounding: halfway")
    result = run("validate", pack)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{pack}/pack.yaml:")
    assert "scale.rounding" in lines[0]


def test_a_yaml_error_is_located(run: Run, rules: Path, tmp_path: Path) -> None:
    pack = copy_pack(rules, tmp_path)
    edit(pack / "policies" / "highly-skilled-worker.yaml", "grants: highly-skilled", "grants: x\ngrants: y")
    result = run("validate", pack)
    assert result.exit_code == 1
    [(file, line, _, message)] = LOCATED.findall(result.stderr)
    assert file == f"{pack}/policies/highly-skilled-worker.yaml"
    assert line == "14"
    assert "duplicate key 'grants'" in message


def test_a_status_cycle_fails_validation_naming_both_files(run: Run, rules: Path, tmp_path: Path) -> None:
    pack = copy_pack(rules, tmp_path)
    edit(pack / "policies" / "skilled-worker.yaml", "- total: {gte: 100}", "- status: highly-skilled")
    result = run("validate", pack)
    assert result.exit_code == 1
    assert "cycle" in result.stderr
    assert "highly-skilled-worker.yaml" in result.stderr
    assert "skilled-worker.yaml" in result.stderr


def test_a_folder_that_is_not_a_pack_fails_without_a_traceback(run: Run, tmp_path: Path) -> None:
    result = run("validate", tmp_path / "nowhere")
    assert result.exit_code in (1, 2)
    assert result.stdout == ""
    assert "nowhere" in result.stderr
    assert "Traceback" not in result.stderr


# --- the fixture packs of tests/packs/ (one per rule construct) -------------------------------------

PACKS = Path(__file__).resolve().parents[1] / "packs"


@pytest.mark.parametrize(
    ("name", "versions"),
    [
        ("equivalence", 6),
        ("entitlements", 6),
        ("transfer", 5),
        ("caps", 3),
        ("transitional", 4),
        ("level-maps", 3),
    ],
)
def test_every_fixture_pack_is_valid(run: Run, name: str, versions: int) -> None:
    result = run("validate", PACKS / name)
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())  # the console may wrap long lines
    assert f"{versions} rule file versions" in out
    assert out.endswith("OK")


def test_an_equivalence_cycle_fails_validation_naming_both_files(run: Run, tmp_path: Path) -> None:
    pack = tmp_path / "equivalence"
    shutil.copytree(PACKS / "equivalence", pack)
    edit(
        pack / "policies" / "gba-register.yaml",
        "      title: Registered bay-area electrician\n      level: {framework: gba, value: registered}",
        "      title: Maintenance electrician\n      level: {framework: mo-dsal, value: intermediate}",
    )
    result = run("validate", pack)
    assert result.exit_code == 1
    assert result.stdout == ""
    [(file, line, col, message)] = LOCATED.findall(result.stderr)
    assert file == f"{pack}/policies/cross-border.yaml"
    assert int(line) > 0 and int(col) > 0
    assert "without end" in message
    assert f"{pack}/policies/cross-border.yaml" in message and f"{pack}/policies/gba-register.yaml" in message


def test_every_broken_construct_is_listed_at_once(run: Run, tmp_path: Path) -> None:
    pack = tmp_path / "caps"
    shutil.copytree(PACKS / "caps", pack)
    caps = pack / "adjustments" / "caps.yaml"
    edit(caps, "{ref: worker.programme.major}", "{ref: worker.programme.majr}")
    edit(caps, "by: [provider.id]", "by: [provider.ident]")
    edit(pack / "conversions" / "learning.yaml", "hit: first", "hit: firstest")
    result = run("validate", pack)
    assert result.exit_code == 1
    problems = LOCATED.findall(result.stderr)
    assert [(Path(f).name, int(line)) for f, line, _, _ in problems] == [
        ("caps.yaml", 26),  # when: {..., industry: {ne: {ref: ...}}}
        ("caps.yaml", 37),  # cap: {..., by: [...]}
        ("learning.yaml", 7),
    ]
    assert "rules[2].when.industry.ne.ref" in result.stderr
    assert "rules[4].cap.by[0]" in result.stderr
    assert "hit" in problems[2][3]
    assert result.stderr.rstrip().splitlines()[-1] == "3 problems"
