"""The durable evaluator (durable-rules' Rete network matching conversions) gives byte-identical
results to the compiled one, and the durable-rules traps measured in
../shared/notes/durable-rules.md (and found while building it) stay fixed.

Differential coverage: every example on several dates, a generated population, every fixture
pack on that population, and every record the fixture tests write (``packtools.evaluate_with``
evaluates each under both evaluators). Generated conditions: tests/property/test_durable_agrees.py.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from creditengine import BackendUnavailableError, Engine, EvaluationError, RecordError, load_record
from creditengine._entitlements import Conditions
from creditengine._evaluators import durable as durable_module
from creditengine._evaluators.compiled import CompiledKernels
from creditengine._evaluators.durable import DurableKernels, durable_available
from creditengine._expr import AllOf, AnyOf, Compare, Condition, Exists, FieldSpec, FieldType, Not
from creditengine._ir import (
    Pack,
)
from creditengine._source import SourceLocation
from tests.golden.population import population
from tests.irtools import matching_pack
from tests.property.durable_packs import HEAD, PACK

ROOT = Path(__file__).resolve().parents[2]
PACKS = ROOT / "tests" / "packs"
FIXTURES = sorted(p.name for p in PACKS.iterdir() if (p / "pack.yaml").is_file())
DATES = (dt.date(2012, 6, 30), dt.date(2019, 6, 30), dt.date(2025, 12, 31), dt.date(2031, 3, 15))

pytestmark = pytest.mark.skipif(durable_available() is not None, reason="durable-rules does not import here")


@pytest.fixture(scope="module")
def engines() -> tuple[Engine, Engine]:
    return Engine.load(), Engine.load(engine="durable")


# --- differential: examples, population, fixture packs ------------------------------------


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_gives_identical_json_under_both_engines(
    engines: tuple[Engine, Engine], path: Path
) -> None:
    compiled, durable = engines
    record = load_record(path)
    for day in DATES:
        assert durable.evaluate(record, as_of=day).to_json() == compiled.evaluate(record, as_of=day).to_json()
    day = DATES[2]
    assert durable.evaluate(record, as_of=day).to_json(lang="zh") == compiled.evaluate(
        record, as_of=day
    ).to_json(lang="zh")


def test_a_generated_population_gives_identical_json_under_both_engines(
    engines: tuple[Engine, Engine],
) -> None:
    compiled, durable = engines
    kernels = durable._kernels
    assert isinstance(kernels, DurableKernels)
    before = kernels.rete_calls
    for raw in population(8, 300):
        record = load_record(raw)
        for day in DATES[1:3]:
            assert (
                durable.evaluate(record, as_of=day).to_json()
                == compiled.evaluate(record, as_of=day).to_json()
            )
    assert kernels.rete_calls - before > 1000  # the Rete network did the matching ...
    assert kernels.python_calls == 0  # ... and validated records never needed the fallback


def _outcome(engine: Engine, raw: dict[str, Any], day: dt.date) -> str:
    try:
        return engine.evaluate(load_record(raw, limits=engine.limits), as_of=day).to_json()
    except (RecordError, EvaluationError) as error:
        return f"{type(error).__name__}: {error}"


@pytest.mark.parametrize("name", FIXTURES)
def test_every_fixture_pack_gives_identical_json_under_both_engines(name: str) -> None:
    # The fixture tests' own records go through packtools.evaluate_with, which checks both
    # engines; here each pack also meets a generated population it was not written for.
    compiled, durable = Engine.load(PACKS / name), Engine.load(PACKS / name, engine="durable")
    for raw in population(21, 60):
        for day in DATES[1:3]:
            assert _outcome(durable, raw, day) == _outcome(compiled, raw, day)


# --- the library and several packs ----------------------------------------------------------


def test_several_packs_and_engines_coexist_without_ruleset_name_clashes() -> None:
    one, two = Engine.load(engine="durable"), Engine.load(engine="durable")
    fixture = Engine.load(PACKS / "transitional", engine="durable")
    names = [
        ruleset.name
        for engine in (one, two, fixture)
        for network in engine._kernels._networks.values()  # type: ignore[union-attr]
        for ruleset in network.rulesets
    ]
    assert len(names) == len(set(names))
    assert all(name.startswith("ce-") for name in names)
    record = load_record(ROOT / "examples" / "electrician-level3.yaml")
    day = dt.date(2025, 12, 31)
    assert one.evaluate(record, as_of=day).to_json() == two.evaluate(record, as_of=day).to_json()


def test_the_durable_engine_is_safe_to_share_between_threads(engines: tuple[Engine, Engine]) -> None:
    compiled, durable = engines
    records = [load_record(raw) for raw in population(5, 40)]
    day = dt.date(2025, 12, 31)
    want = [compiled.evaluate(r, as_of=day).to_json() for r in records]
    got: dict[int, list[str]] = {}

    def run(n: int) -> None:
        got[n] = [durable.evaluate(r, as_of=day).to_json() for r in records]

    threads = [threading.Thread(target=run, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(got[n] == want for n in range(4))


def test_unknown_engine_names_are_refused() -> None:
    with pytest.raises(ValueError, match="available: compiled, durable"):
        Engine.load(engine="rete")  # type: ignore[arg-type]


def test_without_durable_rules_the_durable_engine_fails_clearly_and_compiled_works(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "durable.engine", None)  # import durable.engine -> ImportError
    durable_module._runtime.cache_clear()
    try:
        assert durable_available() is not None
        with pytest.raises(BackendUnavailableError, match="durable-rules, which cannot be imported"):
            Engine.load(engine="durable")
        record = load_record(ROOT / "examples" / "electrician-level3.yaml")
        assert Engine.load().evaluate(record, as_of=dt.date(2025, 12, 31)).totals.all > 0
    finally:
        monkeypatch.undo()
        durable_module._runtime.cache_clear()
    assert durable_available() is None


# --- errors ---------------------------------------------------------------------------------


def test_an_exception_in_a_durable_action_is_an_evaluation_error_with_worker_and_rule() -> None:
    engine = Engine.load(engine="durable")
    kernels = engine._kernels
    assert isinstance(kernels, DurableKernels)
    # Every rule action fails (durable-rules swallows it into the state's "exception" key;
    # the backend must not). Actions record what fired in kernels._fired.

    class Failing(list[int]):
        def append(self, index: int) -> None:
            super().append(index)
            if index >= 0:  # not the catch-all
                raise RuntimeError("action failed")

    kernels._fired = Failing()
    record = load_record(ROOT / "examples" / "electrician-level3.yaml")
    with pytest.raises(EvaluationError) as caught:
        engine.evaluate(record, as_of=dt.date(2025, 12, 31))
    error = caught.value
    assert error.worker == "W-0001"
    assert error.rule is not None and error.rule.startswith("cn-skill-certificates/")
    assert "action failed" in str(error)
    assert error.location is not None and error.location.file.endswith("cn-skill-certificates.yaml")


# --- traps (regressions) ----------------------------------------------------------------------

WHERE = SourceLocation("generated.yaml", 1, 1)
LEVELS = ("5", "4", "3", "2", "1")
HERE: tuple[str | int, ...] = ()


def pack_of(whens: list[Condition | None]) -> Pack:
    """A pack of one conversion with these rules (IR, not YAML), and a worker attribute ``age``."""
    return matching_pack(whens, attributes=(("age", FieldSpec(FieldType.INTEGER)),))


def both(whens: list[Condition | None], facts: dict[str, Any]) -> tuple[list[int], list[int]]:
    pack = pack_of(whens)
    (conversion,) = pack.conversions[0].items
    durable = DurableKernels(pack)
    return list(durable.candidates(conversion, facts)), list(
        CompiledKernels(pack).candidates(conversion, facts)
    )


def test_a_rule_testing_only_absence_does_not_refire_forever_on_the_state() -> None:
    # durable-rules matches rules against the state too; the state lacks every field.
    got, want = both(
        [Exists("expires", False, HERE), Not(Exists("hours", True, HERE), HERE)], {"hours": Decimal(1)}
    )
    assert got == want == [0]


def test_a_fact_no_rule_matches_is_handled_and_its_state_deleted_safely() -> None:
    pack = pack_of([Compare("type", "eq", "course", HERE)])
    (conversion,) = pack.conversions[0].items
    kernels = DurableKernels(pack)
    # More calls than the 1024 live states a ruleset allows: each state is deleted.
    for n in range(1500):
        facts = {"type": "award" if n % 2 else "course"}
        assert list(kernels.candidates(conversion, facts)) == ([] if n % 2 else [0])


def test_a_long_in_list_is_tested_in_python_and_many_rules_are_split_over_rulesets() -> None:
    # More than 512 alternatives under one node hangs durable-rules' create_ruleset.
    titles = tuple(f"Course {n}" for n in range(700))
    whens: list[Condition | None] = [Compare("title", "in", titles, HERE)]
    whens += [Compare("title", "eq", f"Course {n}", HERE) for n in range(600)]
    pack = pack_of(whens)
    (network,) = DurableKernels(pack)._networks.values()
    assert len(network.encoding.atoms) == 1  # the 700-way in: too large for one ruleset, tested in Python
    assert len(network.rulesets) >= 5  # the 600 rules, at most 128 alternatives per ruleset
    got, want = both(whens, {"title": "Course 599"})
    assert got == want == [0, 600]
    got, want = both(whens, {"title": "Course 650"})
    assert got == want == [0]


def test_three_hundred_identical_rules_all_fire() -> None:
    # More than 256 identical conditions in one ruleset fail with "error code: 108".
    got, want = both([Compare("type", "eq", "course", HERE)] * 300, {"type": "course"})
    assert got == want == list(range(300))


def test_numbers_compare_exactly_at_the_limits() -> None:
    big = Decimal("999999999999.999999")
    whens: list[Condition | None] = [
        Compare("hours", "eq", big, HERE),
        Compare("hours", "gt", Decimal("999999999999.999998"), HERE),
        Compare("hours", "lt", big, HERE),
        Compare("hours", "eq", Decimal("1.0"), HERE),
        Compare("hours", "in", (Decimal("-0.000001"), Decimal("2.5")), HERE),
    ]
    for hours in (big, Decimal("999999999999.999998"), Decimal("1"), Decimal("-0.000001"), Decimal("2.50")):
        got, want = both(whens, {"hours": hours})
        assert got == want, hours


def test_numbers_and_text_that_look_alike_do_not_match() -> None:
    # durable-rules compares mixed types as strings ("3" == 3); fields are typed before assertion.
    whens: list[Condition | None] = [
        Compare("title", "eq", "3", HERE),
        Compare("hours", "eq", Decimal(3), HERE),
    ]
    assert both(whens, {"title": "3", "hours": Decimal(3)}) == ([0, 1], [0, 1])
    assert both(whens, {"title": "3.0", "hours": Decimal("3.000")}) == ([1], [1])


def test_levels_compare_by_framework_rank_not_as_text() -> None:
    gte3 = AllOf(
        (
            Compare("level.framework", "eq", "cn-skill", HERE),
            Compare("level.value", "gte", "3", HERE, LEVELS),
        ),
        HERE,
    )
    between = Compare("level.value", "between", ("4", "2"), HERE, LEVELS)
    for level in ("5", "4", "3", "2", "1", "9"):
        facts = {"level.framework": "cn-skill", "level.value": level}
        got, want = both([gte3, Not(gte3, HERE), between, Not(between, HERE)], facts)
        assert got == want, level


def test_ref_comparisons_and_inexpressible_constants_are_tested_in_python() -> None:
    whens: list[Condition | None] = [
        Compare("title", "eq", None, HERE, (), "field"),
        Compare("worker.age", "gt", None, HERE, (), "hours"),
        Compare("title", "eq", "nul\x00byte", HERE),
        AnyOf((Compare("hours", "eq", Decimal("1e-9"), HERE), Compare("type", "eq", "course", HERE)), HERE),
    ]
    pack = pack_of(whens)
    kernels = DurableKernels(pack)
    (network,) = kernels._networks.values()
    assert len(network.encoding.atoms) == 4  # two refs, the NUL text and the 1e-9 constant
    for facts in (
        {"title": "x", "field": "x", "worker.age": Decimal(40), "hours": Decimal(8), "type": "course"},
        {"title": "nul\x00byte", "hours": Decimal("1e-9")},
        {"title": "nul", "field": "y"},
    ):
        got, want = both(whens, facts)
        assert got == want, facts


def test_facts_that_do_not_fit_their_types_are_matched_by_the_compiled_kernel() -> None:
    pack = pack_of([Compare("hours", "gt", Decimal(3), HERE), Compare("title", "in", ("a", "b"), HERE)])
    (conversion,) = pack.conversions[0].items
    kernels = DurableKernels(pack)
    for facts in ({"hours": True, "title": "a"}, {"hours": None}, {"title": 3}, {"hours": 4.5}):
        assert list(kernels.candidates(conversion, facts)) == list(
            CompiledKernels(pack).candidates(conversion, facts)
        )
    assert kernels.python_calls == 4 and kernels.rete_calls == 0
    with pytest.raises(TypeError):  # as the compiled kernel raises, so does the fallback
        kernels.candidates(conversion, {"hours": "many"})


# --- equivalence chaining and status decisions in the network ---------------------------------


def test_every_gherkin_scenario_passes_under_the_durable_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    from creditengine import scenarios
    from creditengine.scenarios import _case

    monkeypatch.chdir(ROOT)  # scenarios name their fixture packs from the repository root
    report = scenarios.run([ROOT / "features"], engine="durable")
    assert report.failed == 0 and report.skipped == 0, [o for o in report.scenarios if o.status != "passed"]
    assert report.passed == len(report.scenarios) >= 200
    assert {key[0] for key in _case._ENGINES} >= {"durable"}


def equivalence_engines() -> tuple[Engine, Engine, DurableKernels]:
    compiled, durable = (
        Engine.load(PACKS / "equivalence"),
        Engine.load(PACKS / "equivalence", engine="durable"),
    )
    kernels = durable._kernels
    assert isinstance(kernels, DurableKernels)
    return compiled, durable, kernels


CHAIN = {
    "worker": {"id": "W-CHAIN"},
    "achievements": [
        {
            "id": "MO-1",
            "type": "certificate",
            "title": "Maintenance electrician",
            "issuer": {"id": "DSAL", "jurisdiction": "macao"},
            "level": {"framework": "mo-dsal", "value": "intermediate"},
            "completed": "2023-03-01",
        },
        {
            "id": "MO-2",
            "type": "certificate",
            "title": "Maintenance electrician",
            "issuer": {"id": "DSAL", "jurisdiction": "macao"},
            "level": {"framework": "mo-dsal", "value": "senior"},
            "completed": "2023-04-01",
        },
    ],
}


def test_equivalence_chains_and_statuses_are_inferred_in_the_network() -> None:
    # A -> B -> C through two equivalence files, a level the map lacks (a warning), and a
    # policy met only at the end of the chain: derived and decided by the Rete network.
    compiled, durable, kernels = equivalence_engines()
    used: list[str] = []
    chain, decide = kernels._chain_in_rete, kernels._decide_in_rete
    kernels._chain_in_rete = lambda *a: used.append("derive") or chain(*a)  # type: ignore[method-assign]
    kernels._decide_in_rete = lambda *a: used.append("decide") or decide(*a)  # type: ignore[method-assign]
    record, day = load_record(CHAIN), dt.date(2025, 12, 31)
    result = durable.evaluate(record, as_of=day)
    assert result.to_json() == compiled.evaluate(record, as_of=day).to_json()
    assert [d.id for d in result.derived] == ["MO-1~cn-skill-4", "MO-1~cn-skill-4~gba-registered"]
    assert any(w.code == "derive.no_mapped_level" for w in result.warnings)
    assert {o.policy: o.status for o in result.outcomes}["registered-electrician"] == "met"
    assert used == ["derive", "decide"] and kernels.python_calls == 0


def test_a_derivation_too_large_for_the_network_is_chained_in_python_identically(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compiled, durable, kernels = equivalence_engines()
    monkeypatch.setattr(durable_module, "_CHAIN_FACTS", 2)
    record, day = load_record(CHAIN), dt.date(2025, 12, 31)
    assert durable.evaluate(record, as_of=day).to_json() == compiled.evaluate(record, as_of=day).to_json()
    assert kernels.python_calls == 1  # the derivation; the decision still ran in the network


def test_a_failing_equivalence_action_is_an_evaluation_error_naming_the_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, durable, _ = equivalence_engines()

    def failing(*args: Any) -> None:
        raise RuntimeError("derivation failed")

    monkeypatch.setattr(durable_module, "apply_rule", failing)
    with pytest.raises(EvaluationError) as caught:
        durable.evaluate(load_record(CHAIN), as_of=dt.date(2025, 12, 31))
    assert caught.value.worker == "W-CHAIN"
    assert caught.value.rule == "cross-border/macao-electrician"
    assert "derivation failed" in str(caught.value)


def test_the_network_and_the_shared_judge_must_agree_on_every_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    _, durable, _ = equivalence_engines()
    shared = durable_module.decide

    def wrong(policies: Any, facts: Any, match: Any) -> Any:
        import dataclasses

        flip = {"met": "unmet", "unmet": "met"}
        return tuple(dataclasses.replace(o, status=flip[o.status]) for o in shared(policies, facts, match))

    monkeypatch.setattr(durable_module, "decide", wrong)
    with pytest.raises(EvaluationError) as caught:
        durable.evaluate(load_record(CHAIN), as_of=dt.date(2025, 12, 31))
    assert "the pipeline's judge did not" in str(caught.value)
    assert caught.value.rule is not None and caught.value.worker == "W-CHAIN"


def test_a_negated_all_of_alls_is_accepted_by_durable_rules() -> None:
    # Found by make fuzz (20,000 examples): nested "$or"s from not(all(all, all)) made
    # durable-rules refuse the ruleset (error code 113). Nested ors are flattened now.
    day = dt.date(2019, 12, 31)
    passed = Compare("assessment.passed", "eq", True, HERE)
    when = Not(
        AllOf(
            (
                AllOf(
                    (
                        passed,
                        Compare("completed", "between", (day, day), HERE),
                        Compare("completed", "in", (day, day), HERE),
                    ),
                    HERE,
                ),
                AllOf(
                    (
                        passed,
                        passed,
                        AllOf((passed, passed, Compare("assessment.passed", "in", (True, True), HERE)), HERE),
                    ),
                    HERE,
                ),
            ),
            HERE,
        ),
        HERE,
    )
    for facts in ({}, {"assessment.passed": True, "completed": day}, {"assessment.passed": False}):
        got, want = both([when], facts)
        assert got == want


def test_entitlement_and_transfer_eligibility_is_decided_in_the_network() -> None:
    # The skill upgrade subsidy and the associate transfer have eligible: requirements; the
    # network decides them (both ways over the examples), the shared judge writes the reasons.
    compiled, durable = Engine.load(), Engine.load(engine="durable")
    kernels = durable._evaluator.kernels
    assert isinstance(kernels, DurableKernels) and kernels.eligible is not None
    decided: list[bool | None] = []
    own = kernels.eligible
    kernels.eligible = lambda req, facts: decided.append(own(req, facts)) or decided[-1]
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        record = load_record(path)
        assert (
            durable.evaluate(record, as_of=DATES[2]).to_json()
            == compiled.evaluate(record, as_of=DATES[2]).to_json()
        )
    assert True in decided and False in decided and None not in decided
    assert kernels.python_calls == 0


def test_the_network_and_the_shared_judge_must_agree_on_eligibility() -> None:
    durable = Engine.load(engine="durable")
    kernels = durable._evaluator.kernels
    assert isinstance(kernels, DurableKernels)
    own = kernels._eligible
    kernels.eligible = lambda req, facts: not own(req, facts)  # a network deciding wrongly
    record = load_record(ROOT / "examples" / "electrician-subsidy-transfer.yaml")
    with pytest.raises(EvaluationError) as caught:
        durable.evaluate(record, as_of=DATES[2])
    assert "the pipeline's judge did not" in str(caught.value)
    assert caught.value.worker == "W-0007"
    assert caught.value.rule is not None and caught.value.rule.endswith("/eligible")
    assert caught.value.location is not None


def test_entitlement_rule_and_bonus_conditions_are_matched_in_the_network() -> None:
    # W-0007's level-3 certificate gets the subsidy with the shortage bonus (+30%): the rule's
    # when and the bonus's when are both answered by the network, never by the compiled match.
    compiled, durable = Engine.load(), Engine.load(engine="durable")
    kernels = durable._evaluator.kernels
    assert isinstance(kernels, DurableKernels) and kernels.entitled is not None
    answers: list[Any] = []
    own = kernels.entitled
    kernels.entitled = lambda e, subjects: answers.append(own(e, subjects)) or answers[-1]
    record = load_record(ROOT / "examples" / "electrician-subsidy-transfer.yaml")
    got = durable.evaluate(record, as_of=DATES[2])
    assert got.to_json() == compiled.evaluate(record, as_of=DATES[2]).to_json()
    assert answers and None not in answers
    held = [c for answer in answers for c in answer]
    assert any(c.rules for c in held) and any(c.bonuses for c in held)
    assert kernels.python_calls == 0
    (claim,) = [c for c in got.entitlements if c.status == "granted"]
    assert claim.amount == Decimal("2600")


def test_the_pipeline_claims_what_the_network_matched() -> None:
    # The network's answer decides the claims (it is not checked against the compiled match):
    # a network matching no entitlement condition leaves the subsidy unclaimed.
    durable = Engine.load(engine="durable")
    kernels = durable._evaluator.kernels
    assert isinstance(kernels, DurableKernels)
    kernels.entitled = lambda e, subjects: [Conditions(frozenset(), frozenset()) for _ in subjects]
    record = load_record(ROOT / "examples" / "electrician-subsidy-transfer.yaml")
    assert durable.evaluate(record, as_of=DATES[2]).entitlements == ()


def test_a_failing_entitlement_action_is_an_evaluation_error_naming_worker_and_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    durable = Engine.load(engine="durable")
    kernels = durable._evaluator.kernels
    assert isinstance(kernels, DurableKernels)

    class Failing(set[int]):
        def add(self, k: int) -> None:
            raise RuntimeError("entitlement action failed")

    real = durable_module.Matching

    def matching(tests: Any, hits: list[set[int]]) -> Any:
        return real(tests, [Failing() for _ in hits])

    monkeypatch.setattr(durable_module, "Matching", matching)
    record = load_record(ROOT / "examples" / "electrician-subsidy-transfer.yaml")
    with pytest.raises(EvaluationError) as caught:
        durable.evaluate(record, as_of=DATES[2])
    assert caught.value.worker == "W-0007"
    assert caught.value.rule == "skill-upgrade-subsidy/by-level"
    assert "entitlement action failed" in str(caught.value)
    assert caught.value.location is not None and caught.value.location.file.endswith(
        "skill-upgrade-subsidy.yaml"
    )


def test_an_entitlement_with_too_many_conditions_for_one_ruleset_is_matched_in_python(
    tmp_path: Path,
) -> None:
    # 130 rule conditions: past the first 64 paths each is one Python-tested atom, and past
    # 128 the ruleset is not built at all; the pipeline's match then decides, identically.
    files = {
        "pack.yaml": PACK,
        "conversions/c.yaml": HEAD.format(kind="conversion", version="1", start="2000-01-01", id="c").replace(
            "kind:", "id: c\nkind:"
        )
        + "hit: first\nrules:\n  - {id: r, reference: x, points: 1, category: a}\n",
    }
    grant = HEAD.format(kind="entitlement", version="1", start="2000-01-01", id="grant")
    grant = "id: grant\n" + grant + "currency: CNY\nrules:\n"
    for n in range(130):
        grant += f"  - {{id: g{n}, when: {{hours: {{gte: {130 - n}}}}}, amount: {n + 1}}}\n"
    files["policies/grant.yaml"] = grant
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    compiled, durable = Engine.load(tmp_path), Engine.load(tmp_path, engine="durable")
    kernels = durable._evaluator.kernels
    assert isinstance(kernels, DurableKernels) and list(kernels._claims.values()) == [None]
    record = load_record(
        {
            "worker": {"id": "W-MANY"},
            "achievements": [
                {"id": f"A{h}", "type": "course", "title": "T", "completed": "2020-01-01", "hours": h}
                for h in (5, 64, 129)
            ],
        }
    )
    got = durable.evaluate(record, as_of=dt.date(2025, 1, 1))
    assert got.to_json() == compiled.evaluate(record, as_of=dt.date(2025, 1, 1)).to_json()
    assert [c.amount for c in got.entitlements] == [Decimal(126), Decimal(67), Decimal(2)]
    assert kernels.python_calls == 1
