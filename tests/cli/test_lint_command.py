"""``creditengine lint``: warnings as FILE:LINE:COL: code: message, each followed by what to do,
exit 0 (1 with --strict; accepted findings are shown but not counted); a pack that does not
load exits 1 with its errors on stderr, as validate does."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

Run = Callable[..., Result]
ROOT = Path(__file__).resolve().parents[2]
LINT_PACK = Path("tests/packs/lint")
LOCATED = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<code>[a-z-]+): (?P<message>.+)$")


def test_warnings_exit_0_one_per_line_with_what_to_do_then_the_counts(run: Run) -> None:
    result = run("lint", ROOT / LINT_PACK)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2 * 19 + 1
    for line, hint in zip(lines[:-1:2], lines[1:-1:2], strict=True):
        assert LOCATED.match(line), line
        assert hint.startswith("    fix: "), hint
    assert lines[8:10] == [
        f"{ROOT / LINT_PACK}/conversions/certificates.yaml:14:5: shadowed: "
        "rule certificates/senior-technician is never used: it comes after certificates/senior-and-above, "
        "which converts first every achievement it could give points for (hit: first) (at rules[1])",
        "    fix: move the rule above the one that hides it, or narrow the earlier rule",
    ]
    assert lines[-1].endswith(
        "pack lint-fixture: 19 warnings (expired 2, gap 1, never-applies 1, never-eligible 2, "
        "never-granted 2, never-met 1, overlap 1, shadowed 2, unconverted-category 1, unconverted-level 1, "
        "unreachable 4, unused-allow 1)"
    )
    assert result.stderr == ""


def test_strict_exits_1_on_any_warning(run: Run) -> None:
    result = run("lint", ROOT / LINT_PACK, "--strict")
    assert result.exit_code == 1
    assert "19 warnings" in result.stdout


def test_strict_passes_when_every_finding_is_accepted_and_shows_them(run: Run, tmp_path: Path) -> None:
    pack = tmp_path / "accepted"
    shutil.copytree(ROOT / LINT_PACK, pack)
    master = pack / "policies" / "master.yaml"
    master.write_text(
        master.read_text().replace("effective:", "# lint: allow expired — the old scheme ended\neffective:"),
        encoding="utf-8",
    )
    result = run("lint", pack, "--strict")
    assert result.exit_code == 1  # the other warnings still count
    assert result.stdout.splitlines()[-1].endswith(
        "18 warnings (expired 1, gap 1, never-applies 1, never-eligible 2, never-granted 2, never-met 1, "
        "overlap 1, shadowed 2, unconverted-category 1, unconverted-level 1, unreachable 4, unused-allow 1); "
        "1 accepted (expired 1)"
    )
    assert (
        f"{pack}/policies/master.yaml:5:12: expired (accepted): master version 2020.1 ends on 2021-12-31"
    ) in result.stdout
    assert "\n    accepted: the old scheme ended\n" in result.stdout


def test_a_clean_pack_says_so_and_passes_strict(run: Run, tmp_path: Path) -> None:
    pack = tmp_path / "clean"
    shutil.copytree(ROOT / LINT_PACK, pack)
    for name in ("adjustments", "policies"):
        shutil.rmtree(pack / name)
    for name in ("courses", "short-courses", "awards"):
        (pack / "conversions" / f"{name}.yaml").unlink()
    (pack / "pack.yaml").write_text(
        (pack / "pack.yaml")
        .read_text()
        .replace("[manufacturing, services, general, unused]", "[manufacturing]")
        .replace("default_category: general\n", ""),
        encoding="utf-8",
    )
    certificates = pack / "conversions" / "certificates.yaml"
    text = certificates.read_text().replace("level.value: 1}", "level.value: 4}")
    certificates.write_text(text, encoding="utf-8")
    result = run("lint", pack, "--strict")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == f"{pack}: pack lint-fixture: no warnings\n"


def test_json_lists_findings_with_codes_and_positions(run: Run) -> None:
    result = run("lint", ROOT / LINT_PACK, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["pack"] == "lint-fixture"
    first = data["findings"][0]
    assert (first["line"], first["column"], first["code"], first["path"]) == (
        12,
        12,
        "unreachable",
        "rules[0].when.any[1].hours",
    )
    assert first["fix"] == "correct the bounds (a typo like {gte: 100, lt: 50}), or delete the rule or branch"
    assert data["counts"]["shadowed"] == 2
    assert data["accepted"] == []


def test_the_default_pack_is_lint_clean_under_strict(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    # CI runs this: any new warning in rules/ fails it. The one known finding (Macao senior) is
    # accepted in rules/pack.yaml with its reason, and still shown.
    monkeypatch.chdir(ROOT)
    result = run("lint", "rules/", "--strict")
    assert result.exit_code == 0, result.stdout
    assert "unconverted-level (accepted): level senior of framework mo-dsal" in result.stdout
    assert (
        result.stdout.splitlines()[-1]
        == "rules: pack shenzhen: no warnings; 1 accepted (unconverted-level 1)"
    )
    data = json.loads(run("lint", "rules/", "--format", "json").stdout)
    assert data["findings"] == [] and data["counts"] == {}
    assert "no recognised mainland match" in data["accepted"][0]["accepted"]


def test_a_pack_that_does_not_load_exits_1_with_its_errors(run: Run, tmp_path: Path) -> None:
    pack = tmp_path / "broken"
    shutil.copytree(ROOT / LINT_PACK, pack)
    courses = pack / "conversions" / "courses.yaml"
    courses.write_text(courses.read_text().replace("hours: {gt: 10}", "hours: {gt: ten}"), encoding="utf-8")
    result = run("lint", pack)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert re.search(r"courses\.yaml:9:38: hours gt needs a number", result.stderr), result.stderr


def _block_after(text: str, opening: str) -> str:
    start = text.index(opening) + len(opening)
    return text[start : text.index("```", start)]


def test_the_lint_section_of_the_rule_docs_shows_real_output(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8").split("## 17. Lint", 1)[1]
    shutil.copytree(ROOT / LINT_PACK, tmp_path / "mypack")
    monkeypatch.chdir(tmp_path)
    assert run("lint", "mypack").stdout == _block_after(docs, "$ creditengine lint mypack\n")
    monkeypatch.chdir(ROOT)
    assert run("lint", "rules/").stdout == _block_after(docs, "$ creditengine lint rules/\n")
    for name in ("conversions/certificates.yaml", "conversions/courses.yaml", "policies/subsidy.yaml"):
        shown = _block_after(docs, f"```yaml\n# {name}\n")
        assert shown == (ROOT / LINT_PACK / name).read_text(encoding="utf-8"), name


def test_the_readme_shows_the_default_packs_real_output(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    monkeypatch.chdir(ROOT)
    assert run("lint", "rules/").stdout == _block_after(readme, "$ creditengine lint rules/\n")


def test_lang_zh_gives_chinese_messages_positions_and_summary(run: Run) -> None:
    result = run("lint", "--lang", "zh")
    assert result.exit_code == 0
    first, why, summary = result.stdout.splitlines()
    assert first.endswith(
        "pack.yaml:28:44: unconverted-level（已接受）: 等级框架 mo-dsal 的等级 senior："
        "没有换算规则给此等级的证书计分，"
        "也没有等值规则把它映射到可计分的等级（位置：frameworks.mo-dsal.levels[2]）"
    )
    assert why.startswith("    已接受：senior on purpose")
    assert summary.endswith("：规则包 shenzhen：无警告；另有 1 条已接受（unconverted-level 1）")
    lines = run("lint", ROOT / LINT_PACK, "--lang", "zh").stdout.splitlines()
    assert lines[0].endswith("（位置：rules[0].when.any[1].hours）")
    assert lines[1] == "    修改：修正取值范围（如 {gte: 100, lt: 50} 之类的笔误），或删除该规则或分支"
    assert "(at " not in "".join(lines)
    data = json.loads(run("lint", ROOT / LINT_PACK, "--lang", "zh", "--format", "json").stdout)
    assert (
        data["findings"][0]["message"] == "此 any: 分支永远不能成立：字段 学时 没有任何取值能通过其全部检验"
    )
