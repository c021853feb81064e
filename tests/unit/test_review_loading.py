"""Regressions from review issue 6 (loading): silent drops in a pack, JSON read as JSON, encodings
and control characters located, ids refused when they hold terminal escapes, pack.yaml follow-ons,
and pydantic's wording turned into plain sentences. Each bad input is a located error."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from creditengine import Engine, Limits, RecordError, RuleError, load_record, load_records

MakePack = Callable[[dict[str, str]], Path]
ROOT = Path(__file__).resolve().parents[2]
HEAD = 'version: "1"\neffective: {from: 2000-01-01}\ntitle: {en: T}\nreference: test\n'


def conversion(ident: str = "c") -> str:
    return (
        f"id: {ident}\nkind: conversion\n"
        + HEAD
        + "rules:\n  - {id: r, when: {type: course}, points: {formula: 'hours / 10'}}\n"
    )


def policy(ident: str, grants: str, requires: str) -> str:
    return f"id: {ident}\nkind: accreditation\n" + HEAD + f"grants: {grants}\nrequires: {requires}\n"


def load_error(root: Path) -> RuleError:
    with pytest.raises(RuleError) as info:
        Engine.load(root)
    return info.value


def record_error(path: Path) -> RecordError:
    with pytest.raises(RecordError) as info:
        load_records(path)
    return info.value


# --- item 7: nothing in a pack is skipped without a word -----------------------------------------


def test_misnamed_pack_folder_is_an_error(make_pack: MakePack) -> None:
    root = make_pack({"policy/pol.yaml": policy("pol", "ok", "{total: {gte: 1}}")})
    error = load_error(root)
    [problem] = error.problems
    assert str(problem).startswith(f"{root}/policy: ")
    assert "(did you mean 'policies'?)" in problem.message


def test_a_stray_yaml_file_at_the_top_of_a_pack_is_an_error(make_pack: MakePack) -> None:
    root = make_pack({"conversions/c.yaml": conversion(), "extra.yml": conversion("extra")})
    error = load_error(root)
    assert [str(p).split(": ")[0] for p in error.problems] == [f"{root}/extra.yml"]


def test_an_empty_rule_file_is_an_error(make_pack: MakePack) -> None:
    root = make_pack({"conversions/c.yaml": conversion(), "conversions/empty.yaml": ""})
    [problem] = load_error(root).problems
    assert str(problem).startswith(f"{root}/conversions/empty.yaml: rule file is empty")


def test_a_rule_file_of_only_comments_is_an_error(make_pack: MakePack) -> None:
    root = make_pack({"conversions/c.yaml": conversion(), "conversions/notes.yaml": "# to do\n---\n"})
    [problem] = load_error(root).problems
    assert str(problem).startswith(f"{root}/conversions/notes.yaml: rule file is empty")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_a_pack_is_an_error(make_pack: MakePack) -> None:
    root = make_pack({"conversions/c.yaml": conversion()})
    os.mkfifo(root / "conversions" / "pipe.yaml")
    [problem] = load_error(root).problems
    assert str(problem).startswith(f"{root}/conversions/pipe.yaml: a FIFO")


@pytest.fixture
def unreadable_folder(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Make a folder unreadable, also when the tests run as root (who may read anything)."""
    real_scandir = os.scandir

    def make(folder: Path) -> None:
        folder.chmod(0o000)

        def scandir(path: object = ".") -> Iterator[os.DirEntry[str]]:
            if Path(str(path)) == folder:
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)  # type: ignore[call-overload, no-any-return]

        monkeypatch.setattr(os, "scandir", scandir)

    return make


def test_an_unreadable_folder_in_a_pack_is_an_error(
    make_pack: MakePack, unreadable_folder: Callable[[Path], None]
) -> None:
    root = make_pack({"conversions/c.yaml": conversion(), "policies/sub/pol.yaml": ""})
    unreadable_folder(root / "policies" / "sub")
    try:
        [problem] = load_error(root).problems
    finally:
        (root / "policies" / "sub").chmod(0o755)
    assert str(problem) == f"{root}/policies/sub: cannot read folder: Permission denied"


def test_an_unreadable_pack_folder_is_a_located_error(
    make_pack: MakePack, unreadable_folder: Callable[[Path], None]
) -> None:
    root = make_pack({"conversions/c.yaml": conversion()})
    unreadable_folder(root)
    try:
        error = load_error(root)
    finally:
        root.chmod(0o755)
    assert str(error) == f"{root}: cannot read the rule pack folder: Permission denied"


def test_names_starting_with_underscore_or_dot_are_not_read(make_pack: MakePack) -> None:
    root = make_pack(
        {
            "conversions/c.yaml": conversion(),
            "conversions/_draft.yaml": "not: [a rule",
            "conversions/.hidden.yaml": "",
            "_attic/old.yaml": conversion("old"),
            ".git/config.yaml": "x",
            "__init__.py": "",
            "__pycache__/__init__.cpython-311.pyc": "",
            "README.md": "# notes",
            "docs/notes.txt": "folders without YAML are fine",
            "conversions/README.md": "# notes",
        }
    )
    assert [v.meta.id for v in Engine.load(root).pack.all_versions()] == ["c"]


def test_the_default_pack_with_its_packaging_files_is_valid(tmp_path: Path) -> None:
    # rules/ holds __init__.py (packaging) and, once imported, __pycache__/: neither is an error.
    copy = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", copy)
    (copy / "__pycache__").mkdir(exist_ok=True)
    assert (copy / "__init__.py").exists()
    assert Engine.load(copy).pack.name == "shenzhen"


def test_a_rule_file_with_an_upper_case_suffix_is_an_error(make_pack: MakePack) -> None:
    root = make_pack({"conversions/c.yaml": conversion(), "conversions/d.YAML": conversion("d")})
    [problem] = load_error(root).problems
    assert str(problem).startswith(f"{root}/conversions/d.YAML: ")
    assert ".yaml or .yml, in lower case" in problem.message


def test_a_linked_folder_inside_a_rule_folder_is_read(make_pack: MakePack) -> None:
    root = make_pack(
        {"conversions/c.yaml": conversion(), "shared/_keep": "", "_shared/d.yaml": conversion("d")}
    )
    os.symlink(root / "_shared", root / "conversions" / "more")
    assert sorted(v.meta.id for v in Engine.load(root).pack.all_versions()) == ["c", "d"]


def test_a_folder_linked_into_itself_is_an_error_not_a_loop(make_pack: MakePack) -> None:
    root = make_pack({"conversions/c.yaml": conversion()})
    os.symlink(root / "conversions", root / "conversions" / "again")
    [problem] = load_error(root).problems
    assert str(problem).startswith(f"{root}/conversions/again: ")
    assert "loop" in problem.message


# --- item 12: .json records are read as JSON ------------------------------------------------------


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "at", "words"),
    [
        ('{"worker": {"id": "W-1"}, # note\n "achievements": []}', "1:27", "comments are not allowed"),
        ('{"worker": {"id": "W-1"}, // note\n "achievements": []}', "1:27", "comments are not allowed"),
        ('{"worker": {id: "W-1"}}', "1:13", "a key is text in double quotes"),
        ('{"worker": {"id": \'W-1\'}}', "1:19", "double quotes, not single quotes"),
        ('{"worker": {"id": "W-1"},\n "achievements": [],\n}', "3:1", "a comma before '}'"),
        ('[{"worker": {"id": "W-1"}},]', "1:28", "a comma before ']'"),
        ('{"worker": {"id": "W-1"}} {}', "1:27", "after the JSON value"),
        ('{"worker": {"id": "W-1"', "1:24", "expected ',' or '}'"),
    ],
)
def test_json_records_are_read_as_strict_json(tmp_path: Path, text: str, at: str, words: str) -> None:
    path = write(tmp_path, "w.json", text)
    error = record_error(path)
    assert str(error).startswith(f"{path}:{at}: JSON: "), str(error)
    assert words in str(error)


def test_a_json_record_keeps_positions_and_values(tmp_path: Path) -> None:
    text = json.dumps(
        {
            "worker": {"id": "W-1"},
            "achievements": [{"id": "A1", "type": "course", "completed": "2024-01-05", "hours": "many"}],
        },
        indent="\t",
    )
    path = write(tmp_path, "w.json", text)
    error = record_error(path)
    line = text.splitlines().index('\t\t\t"hours": "many"') + 1
    assert str(error).startswith(f"{path}:{line}:13: achievements[0].hours: "), str(error)


def test_a_duplicate_key_in_a_json_record_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "w.json", '{"worker": {"id": "W-1",\n  "id": "W-2"}}')
    assert str(record_error(path)).startswith(f"{path}:2:3: JSON: duplicate key 'id' (first at line 1)")


def test_json_records_keep_the_input_limits(tmp_path: Path) -> None:
    deep = write(
        tmp_path, "deep.json", '{"worker": {"id": "W", "attributes": {"a": ' + "[" * 80 + "]" * 80 + "}}}"
    )
    assert "nesting deeper than 64 levels" in str(record_error(deep))
    long = write(tmp_path, "long.json", '{"worker": {"id": "W", "name": "' + "x" * 5000 + '"}}')
    assert "text longer than 4,096 characters" in str(record_error(long))
    huge = write(
        tmp_path,
        "huge.json",
        '{"worker": {"id": "W"}, "achievements": [{"id": "A", "type": "course", '
        '"completed": "2024-01-01", "hours": 1e400}]}',
    )
    assert "outside ±1,000,000,000,000" in str(record_error(huge))
    with pytest.raises(RecordError, match="the limit is 10 bytes"):
        load_records(
            write(tmp_path, "big.json", '{"worker": {"id": "W"}}'), limits=Limits(record_file_bytes=10)
        )


def test_a_json_record_is_evaluated_like_its_yaml_twin(tmp_path: Path) -> None:
    record = {
        "worker": {"id": "W-1", "name": "Li \u00e9"},
        "achievements": [{"id": "A1", "type": "course", "completed": "2024-01-05", "hours": 12.5}],
    }
    from_json = load_record(write(tmp_path, "w.json", json.dumps(record)))
    from_dict = load_record(record)
    assert from_json.model_dump() == from_dict.model_dump()
    assert str(from_json.achievements[0].hours) == "12.5"


# --- item 13: encodings and control characters, located in our words ------------------------------


def test_a_record_file_that_is_not_utf8_is_located_at_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "w.yaml", b'worker:\n  id: W-1\n  name: "Li \xff"\n')
    error = record_error(path)
    assert str(error).startswith(f"{path}:3:13: record file is not UTF-8 text: byte 0xff")
    assert "save the file as UTF-8" in str(error)


def test_a_rule_file_that_is_not_utf8_is_located_at_line_and_column(make_pack: MakePack) -> None:
    root = make_pack({"conversions/c.yaml": conversion()})
    path = root / "conversions" / "c.yaml"
    path.write_bytes(path.read_bytes().replace(b"title: {en: T}", b"title: {en: \xe9t\xe9}"))
    [problem] = load_error(root).problems
    assert str(problem).startswith(f"{path}:5:13: rule file is not UTF-8 text: byte 0xe9")


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\x9b"])
def test_a_control_character_in_a_record_is_located_in_plain_words(tmp_path: Path, char: str) -> None:
    path = write(tmp_path, "w.yaml", f"worker:\n  id: W-1\n  name: Li {char} Wei\n")
    error = record_error(path)
    expected = f"{path}:3:12: record file holds the control character U+{ord(char):04X}"
    assert str(error).startswith(expected), str(error)
    assert "unicode string" not in str(error) and "position" not in str(error)


def test_a_control_character_in_a_rule_file_is_located_in_plain_words(make_pack: MakePack) -> None:
    root = make_pack({"conversions/c.yaml": conversion().replace("title: {en: T}", "title: {en: T\x00}")})
    [problem] = load_error(root).problems
    assert str(problem) == (
        f"{root}/conversions/c.yaml:5:14: rule file holds the control character U+0000, "
        "which is not allowed; remove it"
    )


def test_a_control_character_in_a_json_record_is_located(tmp_path: Path) -> None:
    path = write(tmp_path, "w.json", '{"worker":\n {"id": "W\x01"}}')
    assert str(record_error(path)).startswith(f"{path}:2:11: record file holds the control character U+0001")


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-16", "w.yaml"), ("utf-16-le", "w.yaml"), ("utf-16-be", "w.yaml"), ("utf-16", "w.json")],
)
def test_a_utf16_record_file_says_save_it_as_utf8(tmp_path: Path, encoding: str, name: str) -> None:
    path = write(tmp_path, name, 'worker: {id: "W-1"}\n'.encode(encoding))
    assert str(record_error(path)) == f"{path}:1:1: record file is UTF-16; save it as UTF-8"


def test_a_utf16_rule_file_says_save_it_as_utf8(make_pack: MakePack) -> None:
    root = make_pack({"conversions/c.yaml": ""})
    (root / "conversions" / "c.yaml").write_bytes(conversion().encode("utf-16"))
    [problem] = load_error(root).problems
    assert str(problem) == f"{root}/conversions/c.yaml:1:1: rule file is UTF-16; save it as UTF-8"


# --- item 14: ids and versions hold no control or bidirectional characters ------------------------


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("worker.id", 'worker: {id: "W-1\\e[2J\\e[31mAPPROVED"}\n'),
        ("worker.id", 'worker: {id: "W-1\\u202eDEVORPPA"}\n'),
        (
            "achievements[0].id",
            'worker: {id: W-1}\nachievements:\n  - {id: "A1\\u2066", type: award, completed: 2024-01-01}\n',
        ),
        (
            "achievements[0].provider.id",
            "worker: {id: W-1}\nachievements:\n"
            '  - {id: A1, type: award, completed: 2024-01-01, provider: {id: "P\\u200f"}}\n',
        ),
    ],
)
def test_a_control_character_in_a_record_id_is_refused_at_load_time(
    tmp_path: Path, where: str, text: str
) -> None:
    path = write(tmp_path, "w.yaml", text)
    error = record_error(path)
    [problem] = error.problems
    assert problem.location is not None and problem.location.line > 0
    assert problem.location.field == where
    assert "ids and versions are plain text" in problem.message
    assert "\x1b" not in str(error) and "\u202e" not in str(error)


def test_a_control_character_in_a_rule_file_version_is_refused(make_pack: MakePack) -> None:
    root = make_pack({"conversions/c.yaml": conversion().replace('version: "1"', 'version: "1\\e[2J"')})
    [problem] = load_error(root).problems
    assert str(problem).startswith(
        f"{root}/conversions/c.yaml:3:10: version: ids and versions are plain text"
    )
    assert "U+001B" in problem.message


def test_a_bidi_override_in_a_worker_id_given_as_a_dict_is_refused() -> None:
    with pytest.raises(RecordError, match=r"worker\.id: ids and versions are plain text: U\+202E"):
        load_record({"worker": {"id": "W-1\u202e"}})


# --- item 15: pack.yaml names the duplicate, and one failure causes no other ----------------------

PACK_WITH_TWICE = """\
name: test
title: {en: Test pack}
categories:
  - general
  - digital_economy
  - general
default_category: general
"""


def test_a_duplicated_category_is_named_at_its_line(make_pack: MakePack) -> None:
    root = make_pack({"pack.yaml": PACK_WITH_TWICE})
    [problem] = load_error(root).problems
    assert str(problem).startswith(f"{root}/pack.yaml:6:5: categories[2]: category 'general' is listed twice")


def test_a_failed_categories_field_causes_no_follow_on_error(make_pack: MakePack) -> None:
    root = make_pack({"pack.yaml": PACK_WITH_TWICE})
    messages = [p.message for p in load_error(root).problems]
    assert not [m for m in messages if "default_category" in m], messages


def test_a_policy_failing_validation_causes_no_follow_on_status_error(make_pack: MakePack) -> None:
    base = policy("base", "skilled", "{total: {gte: 1}}").replace('version: "1"', 'version: ""')
    top = policy("top", "expert", "{status: skilled}")
    root = make_pack({"policies/base.yaml": base, "policies/top.yaml": top})
    [problem] = load_error(root).problems
    assert str(problem).startswith(f"{root}/policies/base.yaml:3:10: version: ")


# --- item 16: plain sentences instead of pydantic's wording ---------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('version: "1"', 'version: ""', "version: must not be empty"),
        ("id: c\n", "id: Conv_1\n", "ids are lower-case letters, digits and '-'"),
        ("{id: r,", "{id: R1,", "rules[0].id: text 'R1' is not allowed here: ids are lower-case"),
        (
            "rules:\n  - {id: r,",
            "hit: frist\nrules:\n  - {id: r,",
            "hit: must be one of 'first', 'max' or 'sum'",
        ),
        ("title: {en: T}", "title: T", "title: expected a mapping of keys to values, got text 'T'"),
    ],
)
def test_schema_errors_are_plain_sentences(make_pack: MakePack, old: str, new: str, words: str) -> None:
    text = conversion()
    assert old in text
    root = make_pack({"conversions/c.yaml": text.replace(old, new)})
    error = load_error(root)
    assert words in str(error), str(error)
    for raw in ("String should", "Input should", "at least 1 item after validation", "Value should"):
        assert raw not in str(error)


def test_an_unknown_choice_suggests_the_nearest(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "w.yaml",
        "worker: {id: W}\nachievements:\n  - {id: A, type: cours, completed: 2024-01-01}\n",
    )
    assert "got text 'cours' (did you mean 'course'?)" in str(record_error(path))


def test_an_empty_list_and_an_empty_id_are_plain_sentences(make_pack: MakePack, tmp_path: Path) -> None:
    root = make_pack({"conversions/c.yaml": conversion().split("rules:")[0] + "rules: []\n"})
    assert "rules: needs at least 1 item (has 0)" in str(load_error(root))
    path = write(tmp_path, "w.yaml", 'worker: {id: ""}\n')
    assert str(record_error(path)) == f"{path}:1:14: worker.id: must not be empty"
