"""Loading rule packs (creditengine._pack): the default pack, located errors, versions, fingerprints."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from creditengine import Engine, ExpressionError, Limits, RuleError, RuleSchemaError, RuleSyntaxError
from creditengine._ir import AchievementReq, AnyReq, FormulaPoints, LookupPoints

RULES = Path(__file__).resolve().parents[2] / "rules"

MakePack = Callable[[dict[str, str]], Path]

CONVERSION = """\
id: conv
kind: conversion
version: "1"
effective: {from: 2020-01-01}
title: {en: Courses}
hit: first
rules:
  - id: by-hours
    when: {type: course}
    points: {formula: "hours / 10"}
    category: general
"""

POLICY = """\
id: pol
kind: accreditation
version: "1"
effective: {from: 2020-01-01}
title: {en: Policy}
grants: granted
requires:
  total: {gte: 10}
"""

ADJUSTMENT = """\
id: adj
kind: adjustment
version: "1"
effective: {from: 2020-01-01}
title: {en: Adjustments}
rules:
  - id: cap
    applies_to: {type: course}
    cap: {max: 60, per: year, year_starts: "03-01"}
"""


def load_error(root: Path) -> RuleError:
    with pytest.raises(RuleError) as info:
        Engine.load(root)
    return info.value


def assert_located(error: RuleError, file: str, text: str, needle: str, field: str, fragment: str) -> None:
    """``error`` has one problem, at ``needle`` in ``text``, naming ``field`` and saying ``fragment``."""
    assert len(error.problems) == 1, str(error)
    problem = error.problems[0]
    assert problem.location is not None
    index = text.index(needle)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    assert str(problem).startswith(f"{file}:{line}:{column}: "), str(problem)
    assert problem.location.field == field
    assert fragment in problem.message
    assert field.split(".")[-1].split("[")[0] in str(problem)


# --- the default pack -----------------------------------------------------------------------------


def test_the_default_pack_loads(engine: Engine) -> None:
    pack = engine.pack
    assert pack.name == "shenzhen"
    assert pack.categories == ("advanced_manufacturing", "digital_economy", "modern_services", "general")
    assert pack.default_category == "general"
    assert pack.convert_at == "completed"
    assert (pack.scale.decimals, pack.scale.rounding) == (1, "half_up")
    assert pack.framework("cn-skill") == ("5", "4", "3", "2", "1")
    assert pack.framework("mo-dsal") == ("junior", "intermediate", "senior")
    assert [g.id for g in pack.conversions] == [
        "accredited-courses",
        "cn-higher-ed-credits",
        "cn-skill-certificates",
        "hkqf-credits",
    ]
    assert [g.id for g in pack.adjustments] == ["caps-and-validity"]
    assert [g.id for g in pack.policies] == ["highly-skilled-worker", "skilled-worker"]
    assert [g.id for g in pack.equivalences] == ["cross-border-equivalence"]
    assert [g.id for g in pack.entitlements] == ["skill-upgrade-subsidy"]
    assert [g.id for g in pack.transfers] == ["mechatronics-associate-transfer"]
    maps = {(m.source_framework, m.target_framework): dict(m.map) for m in pack.level_maps}
    assert maps == {
        ("hkqf", "cn-skill"): {"3": "4", "4": "3", "5": "2"},
        ("mo-dsal", "cn-skill"): {"junior": "5", "intermediate": "4"},
    }
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", pack.fingerprint)


def test_the_default_pack_is_compiled_to_typed_trees(engine: Engine) -> None:
    certificates = {g.id: g for g in engine.pack.conversions}["cn-skill-certificates"].items[0]
    lookup = certificates.rules[0].points
    assert isinstance(lookup, LookupPoints)
    assert dict(lookup.table)["3"] == 80
    courses = {g.id: g for g in engine.pack.conversions}["accredited-courses"].items[0]
    assert isinstance(courses.rules[0].points, FormulaPoints)
    highly = {g.id: g for g in engine.pack.policies}["highly-skilled-worker"].items[0]
    assert highly.grants == "highly-skilled"
    assert isinstance(highly.requires, AnyReq)
    assert isinstance(highly.requires.items[0], AchievementReq)


def test_the_packaged_default_is_the_repository_pack(engine: Engine) -> None:
    assert Engine.load().pack.fingerprint == engine.pack.fingerprint


def test_a_small_valid_pack_loads(make_pack: MakePack) -> None:
    root = make_pack(
        {"conversions/conv.yaml": CONVERSION, "policies/pol.yaml": POLICY, "adjustments/adj.yaml": ADJUSTMENT}
    )
    pack = Engine.load(root).pack
    assert [g.id for g in pack.conversions] == ["conv"]
    assert [g.id for g in pack.policies] == ["pol"]
    assert [g.id for g in pack.adjustments] == ["adj"]


def test_an_unquoted_version_is_kept_as_written(make_pack: MakePack) -> None:
    root = make_pack({"conversions/conv.yaml": CONVERSION.replace('version: "1"', "version: 2024.10")})
    assert Engine.load(root).pack.conversions[0].items[0].meta.version == "2024.10"


# --- broken packs: one located problem each -------------------------------------------------------

BROKEN: list[tuple[str, str, str, str, str, str]] = [
    # (case, file, text, needle, field, message fragment)
    (
        "unknown top-level key",
        "conversions/conv.yaml",
        CONVERSION.replace("hit: first\n", "hit: first\ncolour: red\n"),
        "colour",
        "colour",
        "unknown key 'colour'",
    ),
    (
        "unknown key in a rule, with a suggestion",
        "conversions/conv.yaml",
        CONVERSION.replace("    when:", "    wen:"),
        "wen",
        "rules[0].wen",
        "did you mean 'when'?",
    ),
    (
        "hit policy not one of first/max/sum",
        "conversions/conv.yaml",
        CONVERSION.replace("hit: first", "hit: firstest"),
        "firstest",
        "hit",
        "'first', 'max' or 'sum'",
    ),
    (
        "impossible effective date",
        "conversions/conv.yaml",
        CONVERSION.replace("2020-01-01", "2024-02-30"),
        "2024-02-30",
        "effective.from",
        "not a real date",
    ),
    (
        "until before from",
        "conversions/conv.yaml",
        CONVERSION.replace("{from: 2020-01-01}", "{from: 2024-01-01, until: 2023-12-31}"),
        "{from: 2024",
        "effective",
        "before from",
    ),
    (
        "unknown field in a condition",
        "conversions/conv.yaml",
        CONVERSION.replace("{type: course}", "{typ: course}"),
        "course}",
        "rules[0].when.typ",
        "did you mean 'type'?",
    ),
    (
        "unknown category",
        "conversions/conv.yaml",
        CONVERSION.replace("category: general", "category: genral"),
        "genral",
        "rules[0].category",
        "unknown category 'genral'",
    ),
    (
        "category from a non-text field",
        "conversions/conv.yaml",
        CONVERSION.replace("category: general", 'category: "{hours}"'),
        '"{hours}"',
        "rules[0].category",
        "not a text field",
    ),
    (
        "lookup table level outside the framework",
        "conversions/conv.yaml",
        CONVERSION.replace("{type: course}", "{type: certificate, level.framework: cn-skill}").replace(
            '{formula: "hours / 10"}', "{lookup: level.value, table: {3: 80, 9: 200}}"
        ),
        "200",
        "rules[0].points.table.9",
        "level '9' is not in the framework",
    ),
    (
        "total in an unknown category",
        "policies/pol.yaml",
        POLICY.replace("total: {gte: 10}", "total: {category: food, gte: 10}"),
        "food",
        "requires.total.category",
        "unknown category 'food'",
    ),
    (
        "level comparison without its framework",
        "policies/pol.yaml",
        POLICY.replace("total: {gte: 10}", "achievement: {type: certificate, level.value: {gte: 3}}"),
        "3}}",
        "requires.achievement.level.value.gte",
        "level.framework",
    ),
    (
        "unknown requirement",
        "policies/pol.yaml",
        POLICY.replace("total: {gte: 10}", "totl: {gte: 10}"),
        "totl",
        "requires.totl",
        "did you mean 'total'?",
    ),
    (
        "unknown worker attribute",
        "policies/pol.yaml",
        POLICY.replace("total: {gte: 10}", "worker: {insurance_month: {gte: 12}}"),
        "{gte: 12}",
        "requires.worker.insurance_month",
        "did you mean 'insurance_months'?",
    ),
    (
        "impossible year start",
        "adjustments/adj.yaml",
        ADJUSTMENT.replace('"03-01"', '"02-30"'),
        '"02-30"',
        "rules[0].cap.year_starts",
        "MM-DD",
    ),
    (
        "two actions in one adjustment",
        "adjustments/adj.yaml",
        ADJUSTMENT.replace("    cap:", "    multiply: 2\n    cap:"),
        "id: cap",
        "rules[0]",
        "exactly one of multiply, cap, expire_after, dedupe",
    ),
    (
        "dedupe on an unknown field",
        "adjustments/adj.yaml",
        ADJUSTMENT.replace('cap: {max: 60, per: year, year_starts: "03-01"}', "dedupe: {key: [ocupation]}"),
        "ocupation",
        "rules[0].dedupe.key[0]",
        "did you mean 'occupation'?",
    ),
    (
        "unknown kind",
        "conversions/conv.yaml",
        CONVERSION.replace("kind: conversion", "kind: conversation"),
        "conversation",
        "kind",
        "did you mean 'conversion'?",
    ),
    (
        "a kind in the wrong folder",
        "policies/conv.yaml",
        CONVERSION,
        "conversion",
        "kind",
        "belongs in conversions/",
    ),
    (
        "file id differs from the file name",
        "conversions/courses.yaml",
        CONVERSION,
        "conv",
        "id",
        "must match the file name 'courses.yaml'",
    ),
    (
        "scale rounding not a known rule",
        "pack.yaml",
        "name: test\ntitle: {en: T}\nscale: {decimals: 1, rounding: halfup}\ncategories: [general]\n",
        "halfup",
        "scale.rounding",
        "'half_up', 'half_even', 'down' or 'up'",
    ),
]


@pytest.mark.parametrize(
    ("file", "text", "needle", "field", "fragment"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_a_broken_pack_names_file_line_column_and_field(
    make_pack: MakePack, file: str, text: str, needle: str, field: str, fragment: str
) -> None:
    root = make_pack({file: text})
    error = load_error(root)
    assert_located(error, os.path.join(str(root), file), text, needle, field, fragment)


def test_several_problems_in_several_files_are_reported_at_once(make_pack: MakePack) -> None:
    conv = CONVERSION.replace("{type: course}", "{typ: course}").replace(
        "category: general", "category: food"
    )
    pol = POLICY.replace("total: {gte: 10}", "total: {gte: ten}")
    adj = ADJUSTMENT.replace("per: year", "per: decade")
    root = make_pack({"conversions/conv.yaml": conv, "policies/pol.yaml": pol, "adjustments/adj.yaml": adj})
    error = load_error(root)
    assert len(error.problems) == 4
    lines = str(error).splitlines()
    assert len(lines) == 4
    files = [line.split(":", 1)[0] for line in lines]
    assert files == sorted(files)
    assert {os.path.basename(f) for f in files} == {"conv.yaml", "pol.yaml", "adj.yaml"}
    for line in lines:
        assert re.match(r"^.+\.yaml:\d+:\d+: ", line), line
    assert "unknown field 'typ'" in str(error)
    assert "unknown category 'food'" in str(error)
    assert "rules[0].cap.per" in str(error)
    assert "requires.total.gte" in str(error)


def test_problems_of_one_kind_raise_that_kind(make_pack: MakePack) -> None:
    root = make_pack({"conversions/conv.yaml": CONVERSION.replace("hours / 10", "hour / 10")})
    assert isinstance(load_error(root), ExpressionError)
    root = make_pack(
        {
            "conversions/conv.yaml": CONVERSION.replace("hour / 10", "hours / 10").replace(
                "hit: first", "hit: x"
            )
        }
    )
    assert isinstance(load_error(root), RuleSchemaError)


@pytest.mark.parametrize("quoted", [True, False])
def test_a_formula_error_points_at_the_offending_character(make_pack: MakePack, quoted: bool) -> None:
    formula = "hours $ 10"
    text = CONVERSION.replace('"hours / 10"', f'"{formula}"' if quoted else formula)
    root = make_pack({"conversions/conv.yaml": text})
    error = load_error(root)
    [problem] = error.problems
    assert problem.location is not None
    line = text.splitlines()[problem.location.line - 1]
    assert line[problem.location.column - 1] == "$", (
        f"{problem} points at {line[problem.location.column - 1]!r}"
    )


def test_a_yaml_syntax_error_in_a_rule_file_is_located(make_pack: MakePack) -> None:
    root = make_pack({"conversions/conv.yaml": CONVERSION.replace("hit: first", "hit: [first")})
    error = load_error(root)
    assert isinstance(error, RuleSyntaxError)
    assert re.match(rf"^{re.escape(str(root))}/conversions/conv\.yaml:\d+:\d+: YAML", str(error))


def test_a_duplicate_key_in_a_rule_file_is_located(make_pack: MakePack) -> None:
    text = CONVERSION.replace("hit: first\n", "hit: first\nhit: sum\n")
    root = make_pack({"conversions/conv.yaml": text})
    error = load_error(root)
    assert str(error).startswith(f"{root}/conversions/conv.yaml:7:1: duplicate key 'hit'")


def test_pack_yaml_problems_are_located_at_their_key(make_pack: MakePack) -> None:
    text = "name: test\ntitle: {en: T}\ncategories: [general]\ndefault_category: misc\n"
    root = make_pack({"pack.yaml": text})
    error = load_error(root)
    assert "default_category 'misc'" in str(error)
    assert str(error).startswith(f"{root}/pack.yaml:4:"), str(error)


def test_a_rule_file_outside_the_kind_folders_is_refused(make_pack: MakePack) -> None:
    root = make_pack({"conv.yaml": CONVERSION})
    error = load_error(root)
    assert str(error).startswith(f"{root}/conv.yaml: ")
    assert "conversions/, adjustments/ or policies/" in str(error)


def test_a_rule_file_over_the_size_limit_is_refused(make_pack: MakePack) -> None:
    root = make_pack({"conversions/conv.yaml": "# padding\n" * 200 + CONVERSION})
    with pytest.raises(RuleSyntaxError) as info:
        Engine.load(root, limits=Limits(rule_file_bytes=1000))
    assert str(info.value).startswith(f"{root}/conversions/conv.yaml: ")
    assert "the limit is 1,000" in str(info.value)


def test_a_folder_without_pack_yaml_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match=r"pack\.yaml"):
        Engine.load(tmp_path)
    with pytest.raises(RuleError, match="not a rule pack folder"):
        Engine.load(tmp_path / "missing")


# --- versions -------------------------------------------------------------------------------------


def version(text: str, number: str, start: str, until: str | None = None) -> str:
    window = f"{{from: {start}" + (f", until: {until}" if until else "") + "}"
    return text.replace('version: "1"', f'version: "{number}"').replace("{from: 2020-01-01}", window)


def test_overlapping_windows_of_one_id_are_an_error_naming_both(make_pack: MakePack) -> None:
    older = version(CONVERSION, "2023.1", "2023-01-01", "2024-01-01")
    newer = version(CONVERSION, "2024.1", "2024-01-01")
    root = make_pack({"conversions/conv.yaml": older, "conversions/conv@2024.yaml": newer})
    error = load_error(root)
    [problem] = error.problems
    assert "overlaps" in problem.message
    assert "2023.1" in problem.message and "2024.1" in problem.message
    assert "conv.yaml" in str(problem) and "conv@2024.yaml" in str(problem)


def test_an_overlap_is_located_at_the_effective_window(make_pack: MakePack) -> None:
    older = version(CONVERSION, "2023.1", "2023-01-01")
    newer = version(CONVERSION, "2024.1", "2024-01-01")
    root = make_pack({"conversions/conv.yaml": older, "conversions/conv@2024.yaml": newer})
    [problem] = load_error(root).problems
    assert problem.location is not None
    assert problem.location.field == "effective"
    assert problem.location.line == 4, f"{problem} is not at line 4, where effective: is"


def test_back_to_back_windows_are_fine(make_pack: MakePack) -> None:
    older = version(CONVERSION, "2023.1", "2023-01-01", "2023-12-31")
    newer = version(CONVERSION, "2024.1", "2024-01-01")
    root = make_pack({"conversions/conv.yaml": older, "conversions/conv@2024.yaml": newer})
    [group] = Engine.load(root).pack.conversions
    assert [v.meta.version for v in group.items] == ["2023.1", "2024.1"]


def test_versions_may_be_several_documents_in_one_file(make_pack: MakePack) -> None:
    older = version(CONVERSION, "2023.1", "2023-01-01", "2023-12-31")
    newer = version(CONVERSION, "2024.1", "2024-01-01")
    root = make_pack({"conversions/conv.yaml": older + "---\n" + newer})
    [group] = Engine.load(root).pack.conversions
    assert [v.meta.version for v in group.items] == ["2023.1", "2024.1"]


# --- statuses -------------------------------------------------------------------------------------


def status_policy(ident: str, grants: str, needs: str) -> str:
    return (
        POLICY.replace("id: pol", f"id: {ident}")
        .replace("grants: granted", f"grants: {grants}")
        .replace("total: {gte: 10}", f"status: {needs}")
    )


def test_a_status_cycle_between_policies_is_an_error_naming_the_files(make_pack: MakePack) -> None:
    root = make_pack(
        {
            "policies/alpha.yaml": status_policy("alpha", "a", "b"),
            "policies/beta.yaml": status_policy("beta", "b", "a"),
        }
    )
    error = load_error(root)
    [problem] = error.problems
    assert "cycle" in problem.message
    assert "alpha" in problem.message and "beta" in problem.message
    assert f"{root}/policies/alpha.yaml" in str(problem)
    assert f"{root}/policies/beta.yaml" in str(problem)


def test_a_status_cycle_is_located_at_a_line(make_pack: MakePack) -> None:
    root = make_pack(
        {
            "policies/alpha.yaml": status_policy("alpha", "a", "b"),
            "policies/beta.yaml": status_policy("beta", "b", "a"),
        }
    )
    [problem] = load_error(root).problems
    assert re.match(r"^.+\.yaml:\d+:\d+: ", str(problem)), f"no FILE:LINE:COL in {problem}"


def test_a_status_granted_by_no_policy_is_an_error(make_pack: MakePack) -> None:
    text = status_policy("pol", "granted", "skiled")
    root = make_pack({"policies/pol.yaml": text, "policies/base.yaml": status_policy("base", "skilled", "x")})
    error = load_error(root)
    messages = [p for p in error.problems if "skiled" in p.message]
    [problem] = messages
    assert "granted by no policy" in problem.message
    assert "did you mean 'skilled'?" in problem.message
    assert str(problem).startswith(f"{root}/policies/pol.yaml:8:11: ")


def test_a_broken_policy_causes_no_follow_on_status_error(make_pack: MakePack) -> None:
    # base.yaml has one mistake; top.yaml, which needs base's status, is fine and must not be blamed.
    base = status_policy("base", "skilled", "x").replace("status: x", "total: {category: food, gte: 1}")
    root = make_pack(
        {"policies/base.yaml": base, "policies/top.yaml": status_policy("top", "expert", "skilled")}
    )
    error = load_error(root)
    assert [p.message for p in error.problems if "skilled" in p.message] == []
    [problem] = error.problems
    assert "unknown category 'food'" in problem.message


def test_a_status_granted_by_two_policies_is_an_error(make_pack: MakePack) -> None:
    root = make_pack(
        {
            "policies/pol.yaml": POLICY,
            "policies/other.yaml": POLICY.replace("id: pol", "id: other"),
        }
    )
    [problem] = load_error(root).problems
    assert "granted by both" in problem.message
    assert "other" in problem.message and "pol" in problem.message


def test_a_status_granted_twice_is_located_at_grants(make_pack: MakePack) -> None:
    root = make_pack(
        {
            "policies/pol.yaml": POLICY,
            "policies/other.yaml": POLICY.replace("id: pol", "id: other"),
        }
    )
    [problem] = load_error(root).problems
    assert problem.location is not None
    assert problem.location.field == "grants"
    assert problem.location.line == 6, f"{problem} is not at line 6, where grants: is"


# --- fingerprint ----------------------------------------------------------------------------------


def test_the_fingerprint_is_stable_across_loads_and_folders(tmp_path: Path) -> None:
    first = Engine.load(RULES).pack.fingerprint
    assert Engine.load(RULES).pack.fingerprint == first
    copy = tmp_path / "elsewhere" / "rules"
    shutil.copytree(RULES, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    assert Engine.load(copy).pack.fingerprint == first


def test_the_fingerprint_changes_when_a_rule_changes(tmp_path: Path) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(RULES, copy)
    before = Engine.load(copy).pack.fingerprint
    path = copy / "conversions" / "cn-skill-certificates.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("3: 80", "3: 81"), encoding="utf-8")
    assert Engine.load(copy).pack.fingerprint != before


def test_the_fingerprint_changes_when_pack_yaml_changes(tmp_path: Path) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(RULES, copy)
    before = Engine.load(copy).pack.fingerprint
    path = copy / "pack.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("decimals: 1", "decimals: 2"), encoding="utf-8")
    assert Engine.load(copy).pack.fingerprint != before


def test_the_fingerprint_ignores_comments_and_layout(tmp_path: Path) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(RULES, copy)
    before = Engine.load(copy).pack.fingerprint
    path = copy / "conversions" / "cn-skill-certificates.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        "# a new comment\n\n" + text.replace("hit: first", "hit: first   # trailing"), encoding="utf-8"
    )
    assert Engine.load(copy).pack.fingerprint == before


def test_the_fingerprint_tells_versions_2024_1_and_2024_10_apart(make_pack: MakePack) -> None:
    # Unquoted, both look like the same number; as versions they differ, so the packs differ.
    root = make_pack({"conversions/conv.yaml": CONVERSION.replace('version: "1"', "version: 2024.1")})
    engine_1 = Engine.load(root)
    root = make_pack({"conversions/conv.yaml": CONVERSION.replace('version: "1"', "version: 2024.10")})
    engine_10 = Engine.load(root)
    assert engine_1.pack.conversions[0].items[0].meta.version == "2024.1"
    assert engine_10.pack.conversions[0].items[0].meta.version == "2024.10"
    assert engine_1.pack.fingerprint != engine_10.pack.fingerprint


# --- the pack cannot reach outside itself ---------------------------------------------------------


def test_a_symlinked_rule_file_out_of_the_pack_is_refused(make_pack: MakePack, tmp_path: Path) -> None:
    root = make_pack({"conversions/conv.yaml": CONVERSION})
    outside = tmp_path / "outside.yaml"
    outside.write_text(CONVERSION.replace("id: conv", "id: evil"), encoding="utf-8")
    (root / "conversions" / "evil.yaml").symlink_to(outside)
    error = load_error(root)
    [problem] = error.problems
    assert "link out of the pack" in problem.message
    assert str(problem).startswith(f"{root}/conversions/evil.yaml")


def test_a_symlinked_folder_out_of_the_pack_is_refused(make_pack: MakePack, tmp_path: Path) -> None:
    root = make_pack({"conversions/conv.yaml": CONVERSION})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "evil.yaml").write_text(CONVERSION.replace("id: conv", "id: evil"), encoding="utf-8")
    (root / "conversions" / "more").symlink_to(outside, target_is_directory=True)
    error = load_error(root)
    assert "link out of the pack" in str(error)
    assert f"{root}/conversions/more" in str(error)


def test_a_symlinked_pack_yaml_out_of_the_pack_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "pack.yaml"
    outside.write_text((RULES / "pack.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    root = tmp_path / "pack"
    root.mkdir()
    (root / "pack.yaml").symlink_to(outside)
    with pytest.raises(RuleError, match="link out of the pack"):
        Engine.load(root)
