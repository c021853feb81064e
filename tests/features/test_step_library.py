"""The step library is unambiguous and documented.

pytest-bdd silently picks one definition when a step's words fit two, so a
feature file could test something other than what it says. These tests fail
instead: every step in every feature file, and every example in
``features/README.md``, must fit exactly one step of its kind; and every step
of the library must have an example in the README.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytest_bdd import parsers
from pytest_bdd.feature import get_features

ROOT = Path(__file__).resolve().parents[2]
FEATURES = ROOT / "features"
README = FEATURES / "README.md"

Patterns = list[tuple[str, parsers.parse]]

# A number followed by a singular unit: "{points:N} point", "{credits:N} credit".
_SINGULAR = re.compile(r"\} (point|credit)(?!s)")


def _fitting(patterns: Patterns, kind: str, text: str) -> list[str]:
    return [parser.name for k, parser in patterns if k == kind and parser.is_matching(text)]


def _feature_steps() -> list[tuple[str, str, str]]:
    """(where, kind, text) of every step, with scenario outlines filled in from their examples."""
    steps = []
    for feature in get_features([str(FEATURES)]):
        where = Path(feature.filename).relative_to(ROOT)
        for template in feature.scenarios.values():
            contexts = [c for examples in template.examples for c in examples.as_contexts()] or [{}]
            for context in contexts:
                for step in template.render(context).steps:
                    steps.append((f"{where}:{step.line_number}", step.type, step.name))
    return steps


def _readme_examples() -> list[tuple[str, str, str]]:
    """(where, kind, text) of every step line in the README's gherkin code blocks."""
    examples = []
    kind = ""
    in_block = in_docstring = False
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("```"):
            in_block = stripped == "```gherkin"
            continue
        if not in_block:
            continue
        if stripped.startswith('"""'):
            in_docstring = not in_docstring
            continue
        match = re.match(r"(Given|When|Then|And|But) (.*)", stripped)
        if in_docstring or not match:
            continue
        keyword, text = match.groups()
        if keyword not in ("And", "But"):
            kind = keyword.lower()
        if re.search(r"<\w+>", text):
            continue  # a Scenario Outline step: its <placeholders> are filled in from Examples
        examples.append((f"features/README.md:{number}", kind, text))
    return examples


def test_every_feature_step_fits_exactly_one_definition(step_patterns: Patterns) -> None:
    problems = []
    for where, kind, text in _feature_steps():
        fitting = _fitting(step_patterns, kind, text)
        if len(fitting) != 1:
            problems.append(f"{where}: {kind} {text!r} fits {len(fitting)} steps {fitting}")
    assert not problems, "\n".join(problems)


def test_every_readme_example_fits_exactly_one_definition(step_patterns: Patterns) -> None:
    examples = _readme_examples()
    assert examples, "no gherkin examples found in features/README.md"
    problems = []
    for where, kind, text in examples:
        fitting = _fitting(step_patterns, kind, text)
        if len(fitting) != 1:
            problems.append(f"{where}: {kind} {text!r} fits {len(fitting)} steps {fitting}")
    assert not problems, "\n".join(problems)


def test_every_step_has_an_example_in_the_readme(step_patterns: Patterns) -> None:
    examples = _readme_examples()
    undocumented = [
        f"{kind} {parser.name}"
        for kind, parser in step_patterns
        # "1 point" / "1 credit" are singular wordings of a "points" / "credits" step, documented once.
        if not _SINGULAR.search(parser.name)
        and not any(k == kind and parser.is_matching(text) for _, k, text in examples)
    ]
    assert not undocumented, "steps with no example in features/README.md:\n" + "\n".join(undocumented)


@pytest.mark.parametrize(
    "text",
    [
        'achievement "A1" is capped to 1 point',
        "the total is 0 points",
        '"mechatronics-associate-transfer" recognises 1 credit',
        '"mechatronics-associate-transfer" recognises 1 credit from 4 points',
        '"mechatronics-associate-transfer" recognises 0 credits from 1 point',
    ],
)
def test_points_read_in_singular_and_plural(step_patterns: Patterns, text: str) -> None:
    assert len(_fitting(step_patterns, "then", text)) == 1
