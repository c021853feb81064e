"""Chinese output is Chinese: no English word in a sentence but ids, codes, units and data.

Every example, and a generated population, is rendered in Chinese on three dates; what
may stay in Latin letters is what the records and rule files themselves say (ids,
record titles, codes, pack vocabulary such as category and framework names) and units.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml

from creditengine import Engine, WorkerRecord, load_record
from creditengine._expr import ACHIEVEMENT_FIELDS, AchievementType
from tests.golden.population import population

ROOT = Path(__file__).resolve().parents[2]
DATES = (dt.date(2019, 6, 30), dt.date(2025, 12, 31), dt.date(2031, 3, 15))
SENTENCES = ("effect", "requirement", "closest", "reason", "because", "warnings", "title")
# Explanations (evaluate --explain) add: the decision cited, why, and each smallest change. A rule
# file's ``reference`` is cited as written (a document's name), so it is not a sentence.
SENTENCES += ("summary", "why", "change")
UNITS = {"CNY"}
# A Latin word: letters only, not part of an id (ids have digits, '-', '_', '~', '.', '/' or ':').
WORD = re.compile(r"(?<![\w.~/:-])[A-Za-z]{2,}(?![\w.~/:-])")


def _strings(value: Any, skip: tuple[str, ...] = ()) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key not in skip:
                yield from _strings(inner, skip)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner, skip)
    elif isinstance(value, str | int | float) and not isinstance(value, bool):
        yield str(value)


def _pack_words() -> set[str]:
    """Every value the rule files write (ids, codes, condition values): data, not sentences."""
    words: set[str] = set()
    for path in (ROOT / "rules").rglob("*.yaml"):
        # The pack's own prose (titles, references, English texts) is not vocabulary.
        rule_file = yaml.safe_load(path.read_text(encoding="utf-8"))
        for text in _strings(rule_file, skip=("title", "reference", "owner", "en")):
            words.update(WORD.findall(text))
    return words


def _sentences(value: Any, key: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for inner_key, inner in value.items():
            if inner_key in ("code", "params") or inner_key.endswith(("_reason", "_reasons")):
                continue
            yield from _sentences(inner, inner_key)
    elif isinstance(value, list):
        for inner in value:
            yield from _sentences(inner, key)
    elif isinstance(value, str) and key in SENTENCES:
        yield value


def _english(record: WorkerRecord, result: dict[str, Any], allowed: set[str]) -> list[tuple[str, str]]:
    data = set(_strings(record.model_dump(mode="json")))
    found = []
    for sentence in _sentences(result):
        text = sentence
        for value in sorted(data, key=len, reverse=True):  # record data stays as written
            if len(value) > 1:
                text = text.replace(value, " ")
        found += [(word, sentence) for word in WORD.findall(text) if word not in allowed]
    return found


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


@pytest.fixture(scope="module")
def allowed() -> set[str]:
    # Field names and achievement types have Chinese names: they are never allowed through.
    translated = {path for path in ACHIEVEMENT_FIELDS if "." not in path} | set(get_args(AchievementType))
    return (_pack_words() - translated) | UNITS


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_in_chinese_has_no_english_word(engine: Engine, allowed: set[str], path: Path) -> None:
    record = load_record(path)
    for day in DATES:
        english = _english(record, engine.evaluate(record, as_of=day).to_dict("zh"), allowed)
        assert not english, f"{day}: {english[:5]}"


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_explained_in_chinese_has_no_english_word(
    engine: Engine, allowed: set[str], path: Path
) -> None:
    record = load_record(path)
    for day in DATES:
        explanation = engine.explain(record, as_of=day).to_dict("zh")
        english = _english(record, {"explanation": explanation}, allowed)
        assert not english, f"{day}: {english[:5]}"


def test_a_generated_population_in_chinese_has_no_english_word(engine: Engine, allowed: set[str]) -> None:
    english = []
    for raw in population(17, 300):
        record = load_record(raw)
        for day in DATES:
            explanation = engine.explain(record, as_of=day)
            english += _english(record, explanation.result.to_dict("zh"), allowed)
            english += _english(record, {"explanation": explanation.to_dict("zh")}, allowed)
    assert not english, sorted(set(english))[:10]


def test_the_check_finds_an_english_word() -> None:
    # The test above can fail: an English phrase in a Chinese sentence is found.
    record = load_record({"worker": {"id": "W-1"}})
    result = {"warnings": ["A1：完成于 2024-01-01，after the evaluation date"]}
    assert [w for w, _ in _english(record, result, set())] == ["after", "the", "evaluation", "date"]
    # ... and in an explanation's smallest change, however deep.
    change = {"change": "第 (1) 项", "then": [{"change": "for example 学时 160"}]}
    assert [w for w, _ in _english(record, {"explanation": [{"changes": [change]}]}, set())] == [
        "for",
        "example",
    ]


def test_categories_show_by_their_chinese_titles(engine: Engine) -> None:
    # pack.yaml: {id: advanced_manufacturing, title: {en: Advanced manufacturing, zh: 先进制造业}}
    record = load_record(ROOT / "examples" / "chef-junior-macao.yaml")
    result = engine.evaluate(record, as_of=dt.date(2025, 12, 31))
    zh = result.outcome("highly-skilled-worker").to_dict("zh")
    texts = [m["requirement"] for m in zh["missing"][0]["options"][1]]
    assert texts == ["总积分 >= 300", "先进制造业类积分 >= 100"]
    en = result.outcome("highly-skilled-worker").to_dict("en")
    assert [m["requirement"] for m in en["missing"][0]["options"][1]][
        1
    ] == "total advanced_manufacturing >= 100"
    assert result.pack.category("advanced_manufacturing", "zh") == "先进制造业"
    assert result.pack.category("advanced_manufacturing", "en") == "advanced_manufacturing"


# --- finished Chinese: full-width punctuation, one term per concept ------------------------------

# A half-width comma, colon, semicolon or parenthesis next to a Chinese character (a space between
# counts as next to): Chinese sentences take ，：；（）. Ids and numbers keep their own marks.
HALF_WIDTH = re.compile(r"[\u4e00-\u9fff] ?[,:;()]|[,:;()] ?[\u4e00-\u9fff]")


def _half_width(record: WorkerRecord, texts: list[str]) -> list[str]:
    data = [v for v in set(_strings(record.model_dump(mode="json"))) if len(v) > 1]
    found = []
    for text in texts:
        bare = text
        for value in sorted(data, key=len, reverse=True):  # record data stays as written
            bare = bare.replace(value, "")
        found += [m.group() + " in " + text for m in HALF_WIDTH.finditer(bare)]
    return found


def _text_output(result: Any, explanation: Any) -> list[str]:
    """What ``evaluate --format text --lang zh --explain`` prints, line by line."""
    import io

    from cli.render import console, render_text

    out = console(width=100_000)
    out.file = io.StringIO()
    render_text(out, [result], lang="zh", explanations=[explanation])
    return out.file.getvalue().splitlines()


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_chinese_output_has_no_half_width_punctuation_beside_chinese(engine: Engine, path: Path) -> None:
    record = load_record(path)
    for day in DATES:
        explanation = engine.explain(record, as_of=day)
        texts = list(_sentences(explanation.result.to_dict("zh")))
        texts += list(_sentences({"explanation": explanation.to_dict("zh")}))
        texts += _text_output(explanation.result, explanation)
        found = _half_width(record, texts)
        assert not found, f"{day}: {found[:5]}"


def test_the_check_finds_half_width_punctuation_beside_chinese() -> None:
    record = load_record({"worker": {"id": "W-1"}})
    assert len(_half_width(record, ["总积分 >= 100: 已有 72, 还差 28"])) == 2
    assert _half_width(record, ["技能人才 (skilled-worker 2022.1)"])
    assert not _half_width(record, ["总积分 >= 100：已有 72，还差 28", "规则包 shenzhen (sha256:1e51…)"])


def test_categories_in_conditions_and_statuses_show_by_their_titles(engine: Engine) -> None:
    # industry and field name categories (conversions say category: "{industry}" / "{field}"):
    # a suggestion's condition shows 先进制造业, as the totals do; English keeps the ids.
    record = load_record(ROOT / "examples" / "course-heavy-capped.yaml")
    explanation = engine.explain(record, as_of=dt.date(2025, 12, 31))
    zh = "\n".join(_sentences({"explanation": explanation.to_dict("zh")}))
    en = "\n".join(_sentences({"explanation": explanation.to_dict("en")}))
    assert "行业 = 先进制造业" in zh and "领域 = 先进制造业" in zh
    assert "advanced_manufacturing" not in zh
    assert "industry = advanced_manufacturing" in en
    # A status by the title of the policy that grants it, its id beside.
    missing = explanation.result.to_dict("zh")["outcomes"][1]["missing"][0]["options"][2]
    assert missing[0]["requirement"] == "已获资格 技能人才（skilled）"
    assert "资格 技能人才（skilled），由 skilled-worker 授予（见其最小改变）" in zh
    assert (
        explanation.result.to_dict("en")["outcomes"][1]["missing"][0]["options"][2][0]["requirement"]
        == "status skilled"
    )
    # The JSON keeps the ids: only sentences change.
    assert '"requirement": {"status": "skilled"}' in explanation.result.to_json(lang="zh")
