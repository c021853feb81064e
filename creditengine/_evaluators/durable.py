"""The durable-rules backend: durable-rules' (2.0.28) Rete network does the pipeline's inference.

What the network infers, and what stays in Python:

- **conversion matching** (``candidates``): each conversion version becomes one or more
  rulesets; an achievement's facts are asserted as one fact into a fresh state, and the
  rules whose actions fired are its candidates, in rule order (the hit policy and the
  points are the pipeline's).
- **equivalence chaining** (``derive``): the equivalences in force together are one
  ruleset, rule ``k`` testing its ``when`` and that ``k`` is not yet in the fact's lineage
  (an ``a{k}`` field). The record's achievements are asserted into one state; a rule's
  action derives the new achievement (``_equivalence.apply_rule``, shared with the
  pipeline: ids ``SOURCE~framework-level``, ``sets``, level maps, lineage) and asserts it
  into the same state, where it matches further rules, until nothing new is derived.
  The shared ``breadth_first`` then orders what the network derived as the pipeline does
  (same order, dedupe by id, unmapped-level warnings, the ``MAX_DERIVED`` guard). A
  derivation asserting more than ``_CHAIN_FACTS`` achievements, ill-typed facts, or too
  many rules for one ruleset are derived in Python instead (counted in ``python_calls``).
- **status decisions** (``decide``): the policies in force together are one ruleset. First
  the candidate achievements and the worker are asserted, and the network matches each
  ``achievement:`` and ``worker:`` requirement's condition; then Python asserts one fact per
  such requirement (``held`` 0/1: counting matches against ``at_least`` is aggregation) and
  per ``total:`` requirement (arithmetic: the shared judge's totals). Each policy's
  requirement, as alternatives of those facts and of status facts (``rete.alternatives``;
  ``not`` by De Morgan), is a join rule for met and one for unmet; its action asserts the
  policy's status, granted or not, as a fact, which the policies requiring it join on: the
  network decides in dependency order by itself. The reasons and gaps of each outcome come
  from the shared ``_policies.decide``/``judge``, and the network's met/unmet must agree
  with it for every policy, or the evaluation fails with an :class:`EvaluationError` (never
  a silent wrong answer). A requirement with too many alternatives is decided in Python.
- **eligibility** (``eligible``): each entitlement's and transfer's ``eligible:``
  requirement is a decider of its own (one policy granting ``_ELIGIBLE``), built at load;
  the statuses it requires are asserted granted or not as the policies decided them. The
  shared ``ineligibility`` writes the refusal and must agree, or an :class:`EvaluationError`.
- **entitlement conditions** (``entitled``): each entitlement version's rules' ``when`` and
  bonuses' ``when`` are one ruleset, built at load; the record's usable achievements (and the
  worker, when a status rule applies) are asserted into one state, and the tests that fired
  for each say which rule claims it (the first whose amount is known: the pipeline's) and
  which bonuses add. Ill-typed facts, or too many conditions for one ruleset, are matched in
  Python instead.
- ``match`` (adjustments, transfers' ``where`` and exemptions) and ``points`` are the compiled
  backend's generated kernels: points are arithmetic, which the pipeline and the generated
  code own; those conditions are not in the network yet.

Rulesets are registered on this backend's own ``durable.engine.Host`` (never
``durable.lang``'s module-global rulesets) under names made of the pack fingerprint,
what they hold and a counter, so several packs, or versions of one, coexist; those of
the equivalences and policies in force on each stretch of days are built when the pack
is loaded. Conditions and values in durable-rules' terms are ``rete.py``'s.

What goes through the Rete network (conditions compiled to durable-rules dicts, with
``not`` pushed down to the leaves by De Morgan, so every test below may be negated):

- ``eq``/``ne`` as ``{field: v}``/``$neq``; ``in`` as ``$or`` of equalities,
  ``not_in`` as ``$and`` of ``$neq``; ``between`` as ``$gte`` + ``$lte``;
  ``gt``/``gte``/``lt``/``lte`` as ``$gt``/``$gte``/``$lt``/``$lte``; ``exists`` as ``$ex``/``$nex``;
  ``all``/``any``/``not`` as ``$and``/``$or`` (negations as ``$nex`` or the complement);
- on text, enum and level names (as text), numbers (as integers in millionths,
  exact in 64 bits), dates (as ISO text, which sorts as dates do) and booleans;
- ordered level comparisons on the level's rank in the condition's framework (the
  framework's order, computed in Python when the fact is asserted: the Rete only
  compares the rank with the bound's rank).

What is evaluated in Python, for that test only (its result is asserted as a 0/1
field the Rete network tests in its place):

- ``ref`` comparisons (one fact field with another): durable-rules compares a field
  with another fact's field in joins, not with a field of the same fact;
- a constant durable-rules cannot compare exactly: a number that is not a whole
  number of millionths or is beyond 64 bits, text containing NUL (compared by
  ``strcmp``) or longer than 60,000 bytes;
- a whole ``when`` too large for one ruleset (see ``PATHS`` below).

And for a whole call, by the compiled backend's generated kernel: facts with a value
that does not have its field's declared type (validated records never give one).

How durable-rules is made safe (``../shared/notes/durable-rules.md``, re-measured):

- a synchronous host: its two background timer threads, which race the caller, are never started;
- one worker in the network at a time (a lock shared by every instance), each call in
  a fresh state (unique sid) deleted afterwards, so at most one state lives per ruleset;
- every fact carries a guard field, and every rule tests it first: the state, which
  durable-rules also matches against rules, then matches none (else a rule testing
  only ``$nex`` refires forever on it);
- a catch-all rule fires for every fact: no fact is left unhandled
  (``MessageNotHandledException``) and an action always runs before the state is
  deleted (deleting a state in which no action ran crashes the process);
- rulesets are kept small (measured: more than 512 alternatives under one node hangs
  ``create_ruleset``, more than 256 identical ones fail with error 108, a large
  ``$and`` of ``$or`` fails with error 113): a conversion's rules are split over
  several rulesets;
- a rule fires once for each alternative of its condition that a fact matches (found by
  the differential test): what actions record are sets, and a derivation acts once;
- an exception in an action (left by durable-rules in the state's ``exception`` key)
  and any error of the engine become an :class:`EvaluationError` naming the rule.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import itertools
import json
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import ModuleType
from typing import Any

from .._conditions import OWN_POINTS
from .._entitlements import Conditions
from .._equivalence import apply_rule, breadth_first, derive, in_order
from .._errors import BackendUnavailableError, EvaluationError
from .._expr import ACHIEVEMENT_FIELDS, Condition, FieldSpec
from .._facts import Item
from .._ir import (
    AchievementReq,
    Conversion,
    Entitlement,
    Equivalence,
    Pack,
    Points,
    Policy,
    Requirement,
    TotalReq,
    WorkerReq,
)
from .._policies import PolicyFacts, decide, judge, policies_in_force
from .._results import Outcome as PolicyOutcome
from .._trace import Reason
from .base import Decide, Derive, Eligible, Entitled, Facts
from .compiled import CompiledKernels
from .rete import (
    GUARD,
    PATHS,
    TESTS,
    Chain,
    ClaimTests,
    Decider,
    Decision,
    Derivation,
    Encoding,
    Expr,
    Inexpressible,
    Matching,
    claim_tests,
    decider_rules,
    size,
)

__all__ = ["DurableKernels", "durable_available"]

_CATCH_ALL = -1
#: Most achievements one derivation may assert into its state; past it, derivation runs
#: in Python (whose breadth-first guard, ``MAX_DERIVED``, then decides where it stops).
_CHAIN_FACTS = 5_000
#: The status an ``eligible:`` requirement's decider grants (no pack status has a colon).
_ELIGIBLE = "ce:eligible"

# The C engine keeps global state; one call in the network at a time, whatever the instance.
_LOCK = threading.Lock()
_SIDS = itertools.count(1)
_RULESETS = itertools.count(1)


class _Overflow(Exception):
    """A derivation asserted more than ``_CHAIN_FACTS`` achievements."""


@functools.cache
def _runtime() -> tuple[ModuleType, type]:
    """durable.engine and a synchronous Host subclass of it.

    Imported on first use, not with this module: the engine runs without durable-rules
    (Python 3.13+, where 2.0.28 fails to import), and only this backend needs it.
    """
    engine = importlib.import_module("durable.engine")

    class SyncHost(engine.Host):  # type: ignore[misc, name-defined]
        """A host whose actions are looked up in ``actions`` and that never starts its timers."""

        def __init__(self) -> None:
            self.actions: dict[str, Callable[[Any], None]] = {}
            super().__init__()

        def _run(self) -> None:
            # The background dispatcher races the caller (wrong results, then a crash);
            # everything runs synchronously in assert_fact instead. No timers are used.
            return None

        def get_action(self, action_name: str) -> Callable[[Any], None]:
            return self.actions[action_name]

    return engine, SyncHost


def durable_available() -> str | None:
    """None when durable-rules imports; else why not, in one line."""
    try:
        _runtime()
    except ImportError as exc:  # an undefined symbol in its C extension is an ImportError too
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return None


@dataclass(frozen=True)
class _Ruleset:
    name: str
    rules: tuple[int, ...]  # the conversion's rule indexes it holds


@dataclass(frozen=True)
class _Network:
    """One conversion version in the Rete network: its encoding and rulesets."""

    conversion: Conversion
    encoding: Encoding
    rulesets: tuple[_Ruleset, ...]


def _ruleset_name(pack: Pack, what: str, version: str) -> str:
    text = f"ce-{pack.fingerprint.removeprefix('sha256:')[:16]}-{what}-{version}"
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text) + f"-{next(_RULESETS)}"


def _boundaries(pack: Pack) -> list[dt.date]:
    """A day in every stretch between effective-window boundaries (as the pipeline's calendar)."""
    days = {dt.date.min}
    for group in pack.groups():
        for version in group.items:
            days.add(version.meta.effective.start)
            until = version.meta.effective.until
            if until is not None and until < dt.date.max:
                days.add(until + dt.timedelta(days=1))
    return sorted(days)


class DurableKernels:
    """The pipeline's kernels with conversion matching done by durable-rules' Rete network.

    :param pack: the compiled rule pack.
    :raises BackendUnavailableError: when durable-rules cannot be imported.
    """

    name = "durable"

    def __init__(self, pack: Pack) -> None:
        try:
            engine, host_class = _runtime()
        except ImportError as exc:
            raise BackendUnavailableError(
                f"the durable evaluator needs durable-rules, which cannot be imported here ({exc}); "
                "use the compiled evaluator"
            ) from exc
        self.pack = pack
        self._engine = engine
        self._compiled = CompiledKernels(pack)
        self._host = host_class()
        self._fired: list[int] = []
        self._specs: dict[str, FieldSpec] = {
            **ACHIEVEMENT_FIELDS,
            **{f"worker.{name}": spec for name, spec in pack.attributes},
            **OWN_POINTS,  # policies' achievement: conditions may test the achievement's own points
        }
        #: Calls answered by the Rete network and by the compiled kernel (ill-typed facts).
        self.rete_calls = 0
        self.python_calls = 0
        self._networks: dict[int, _Network] = {}
        for group in pack.conversions:
            for version in group.items:
                self._networks[id(version)] = self._network(version)
        self.derive: Derive | None = self._derive
        self.decide: Decide | None = self._decide
        self.eligible: Eligible | None = self._eligible
        self._call: Any = None  # the derivation or decision running in the network (under _LOCK)
        # The equivalences and policies in force together, on every stretch of days.
        self._chains: dict[tuple[int, ...], Chain | None] = {}
        self._deciders: dict[tuple[int, ...], Decider | None] = {}
        for day in _boundaries(pack):
            live = tuple(v for g in pack.equivalences if (v := g.in_force(day)) is not None)
            if live and tuple(map(id, live)) not in self._chains:
                self._chains[tuple(map(id, live))] = self._chain(live)
            policies = tuple(policies_in_force(pack, day))
            if policies and tuple(map(id, policies)) not in self._deciders:
                self._deciders[tuple(map(id, policies))] = self._decider(policies)
        # Each eligible: requirement as a policy of its own, granting a status nothing requires.
        self._eligibility: dict[int, Decider | None] = {}
        owners = [(v.meta, v.eligible) for g in pack.entitlements for v in g.items]
        for meta, req in owners + [(v.meta, v.eligible) for g in pack.transfers for v in g.items]:
            if req is not None and id(req) not in self._eligibility:
                self._eligibility[id(req)] = self._decider((Policy(meta, _ELIGIBLE, req, meta.source),))
        self.entitled: Entitled | None = self._entitled
        self._claims = {id(v): self._claim_tests(v) for g in pack.entitlements for v in g.items}

    @property
    def source(self) -> str:
        """The generated Python module of the compiled kernels this backend delegates to."""
        return self._compiled.source

    def _action(self, index: int) -> Callable[[Any], None]:
        def action(closure: Any) -> None:  # one parameter: durable-rules runs it synchronously
            self._fired.append(index)

        return action

    def _network(self, conversion: Conversion) -> _Network:
        encoding = Encoding(self._specs)
        compiled: list[tuple[int, Expr]] = []
        for index, rule in enumerate(conversion.rules):
            if rule.when is None:
                compiled.append((index, {GUARD: 1}))
                continue
            expr = encoding.expr(rule.when)
            paths, tests = size(expr)
            if paths > PATHS or tests > TESTS:  # too large for one ruleset: Python for this when
                expr = encoding.atom(functools.partial(self._compiled.match, rule.when), True)
            compiled.append((index, {"$and": [{GUARD: 1}, expr]}))
        # Consecutive rules share a ruleset while they fit in its budget.
        chunks: list[list[tuple[int, Expr]]] = [[]]
        paths = tests = 0
        for index, expr in compiled:
            p, t = size(expr)
            if chunks[-1] and (paths + p > PATHS or tests + t > TESTS):
                chunks.append([])
                paths = tests = 0
            chunks[-1].append((index, expr))
            paths, tests = paths + p, tests + t
        rulesets = []
        for chunk in chunks:
            name = _ruleset_name(self.pack, conversion.meta.id, conversion.meta.version)
            definition: dict[str, Any] = {
                f"r{index}": {"all": [{"m": expr}], "run": f"{name}/{index}"} for index, expr in chunk
            }
            definition["catch-all"] = {"all": [{"m": {GUARD: 1}}], "run": f"{name}/{_CATCH_ALL}"}
            for index, _ in [*chunk, (_CATCH_ALL, None)]:
                self._host.actions[f"{name}/{index}"] = self._action(index)
            try:
                # Registration consumes the dict (it removes "run"): hand it a copy.
                self._host.register_rulesets({name: json.loads(json.dumps(definition))})
            except Exception as exc:  # durable-rules says only "error code: NNN"
                raise EvaluationError(
                    f"durable-rules refused the conversion's rules ({exc})",
                    rule=conversion.meta.id,
                    location=conversion.meta.source,
                ) from exc
            rulesets.append(_Ruleset(name, tuple(index for index, _ in chunk)))
        return _Network(conversion, encoding, tuple(rulesets))

    # --- one state, run and deleted ----------------------------------------------------

    def _register(
        self, name: str, definition: dict[str, Any], actions: dict[str, Callable[[Any], None]]
    ) -> None:
        """Register ``definition`` with a catch-all rule, on this backend's host.

        :raises Exception: durable-rules' own error when it refuses the definition.
        """
        definition["catch-all"] = {"all": [{"m": {GUARD: 1}}], "run": f"{name}/{_CATCH_ALL}"}
        self._host.actions.update(actions)
        self._host.actions[f"{name}/{_CATCH_ALL}"] = self._action(_CATCH_ALL)
        # Registration consumes the dict (it removes "run"): hand it a copy.
        self._host.register_rulesets({name: json.loads(json.dumps(definition))})

    def _session(
        self, ruleset: str, batches: Iterator[list[dict[str, Any]]], fail: Callable[[str], EvaluationError]
    ) -> None:
        """Assert each batch of facts into one fresh state (the next batch after the last has
        fired), then delete the state. Called under ``_LOCK``.

        :raises EvaluationError: from ``fail`` when durable-rules reports an error.
        """
        sid = str(next(_SIDS))
        self._fired.clear()
        state: Any = None
        try:
            for batch in batches:
                state = self._host.assert_facts(ruleset, [{**fact, "sid": sid} for fact in batch])
        except Exception as exc:
            if _CATCH_ALL in self._fired:
                self._host.delete_state(ruleset, sid)
            raise fail(str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__) from exc
        if _CATCH_ALL not in self._fired:  # pragma: no cover - every fact has the guard it tests
            # Not deleted: deleting a state in which no action ran crashes the process.
            raise fail("the catch-all rule did not fire")
        self._host.delete_state(ruleset, sid)
        if isinstance(state, dict) and "exception" in state:  # pragma: no cover - actions catch their own
            raise fail(str(state["exception"]).splitlines()[0][:200])

    # --- equivalence chaining ----------------------------------------------------------

    def _chain(self, equivalences: tuple[Equivalence, ...]) -> Chain | None:
        """The ruleset chaining ``equivalences``; None when it cannot fit in one (Python derives)."""
        rules = tuple(in_order(equivalences))
        name = _ruleset_name(self.pack, "equivalences", "-".join(e.meta.id for e in equivalences))
        encoding = Encoding(self._specs)
        definition: dict[str, Any] = {}
        paths = tests = 0
        for k, (_, rule) in enumerate(rules):
            expr = encoding.expr(rule.when)
            p, t = size(expr)
            if paths + p > PATHS // 2 or tests + t > TESTS // 2:  # Python tests this when
                expr = encoding.atom(functools.partial(self._compiled.match, rule.when), True)
                p, t = 1, 1
            paths, tests = paths + p, tests + t
            definition[f"r{k}"] = {
                "all": [{"m": {"$and": [{GUARD: 1}, {f"a{k}": 0}, expr]}}],
                "run": f"{name}/{k}",
            }
        if paths > PATHS:
            return None
        chain = Chain(name, rules, encoding)
        try:
            self._register(name, definition, {f"{name}/{k}": self._deriver(k) for k in range(len(rules))})
        except Exception as exc:  # durable-rules says only "error code: NNN"
            first = rules[0][0] if rules else None
            raise EvaluationError(
                f"durable-rules refused the equivalence rules ({exc})",
                rule=first.meta.id if first else None,
                location=first.meta.source if first else None,
            ) from exc
        return chain

    def _deriver(self, k: int) -> Callable[[Any], None]:
        """The action of equivalence rule ``k``: derive from the matched fact, assert what it derives."""

        def action(closure: Any) -> None:
            call: Derivation = self._call
            if call.error is not None:
                return
            try:
                node = int(closure.m["n"])
                if k in call.outcomes[node]:  # fired again through another alternative of its when
                    return
                equivalence, rule = call.chain.rules[k]
                outcome = apply_rule(call.items[node], equivalence, rule)
                call.outcomes[node][k] = outcome
                if isinstance(outcome, Item):
                    if len(call.items) >= _CHAIN_FACTS:
                        raise _Overflow
                    closure.assert_fact(call.chain.fact(outcome, call.add(outcome)))
            except BaseException as exc:  # durable-rules would swallow it
                call.error, call.rule = exc, k

        return action

    def _derive(
        self, items: Sequence[Item], equivalences: Sequence[Equivalence], warnings: list[Reason]
    ) -> list[Item]:
        """Every achievement derived from ``items``: chained in the Rete network, ordered breadth first.

        :raises EvaluationError: when an action fails or durable-rules reports an error.
        """
        if not items or not equivalences:
            return []
        key = tuple(map(id, equivalences))
        with _LOCK:
            if key not in self._chains:
                self._chains[key] = self._chain(tuple(equivalences))
            chain = self._chains[key]
            call = None if chain is None else self._chain_in_rete(chain, items)
            if call is None:  # too many rules, ill-typed facts or too many derivations
                self.python_calls += 1
            else:
                self.rete_calls += 1
        if call is None:
            return derive(items, equivalences, match=self._compiled.match, warnings=warnings)
        nodes, outcomes = call.nodes, call.outcomes
        return breadth_first(
            items, lambda item: [o for _, o in sorted(outcomes[nodes[id(item)]].items())], warnings
        )

    def _chain_in_rete(self, chain: Chain, items: Sequence[Item]) -> Derivation | None:
        """``items`` asserted into a fresh state, each action asserting what its rule derives,
        until nothing new is derived; None when Python must derive instead. Under ``_LOCK``."""
        call = Derivation(chain, [], [])
        try:
            facts = [chain.fact(item, call.add(item)) for item in items]
        except Inexpressible:
            return None
        self._call = call
        try:
            self._session(chain.name, iter([facts]), lambda why: self._chain_failure(call, why))
        finally:
            self._call = None
        if isinstance(call.error, Inexpressible | _Overflow):
            return None
        if call.error is not None:
            raise self._chain_failure(call, str(call.error)) from call.error
        return call

    def _chain_failure(self, call: Derivation, why: str) -> EvaluationError:
        if call.rule is None:
            return EvaluationError(f"durable-rules: {why}", rule=call.chain.rules[0][0].meta.id)
        equivalence, rule = call.chain.rules[call.rule]
        return EvaluationError(
            f"durable-rules: {why}", rule=f"{equivalence.meta.id}/{rule.id}", location=rule.source
        )

    # --- status decisions --------------------------------------------------------------

    def _decider(self, policies: tuple[Policy, ...]) -> Decider | None:
        """The ruleset deciding ``policies``; None when a requirement is too large for it (Python decides)."""
        name = _ruleset_name(self.pack, "policies", "-".join(p.meta.id for p in policies))
        python = lambda cond: functools.partial(self._compiled.match, cond)  # noqa: E731
        built = decider_rules(policies, name, self._specs, dict(self.pack.attribute_specs), python)
        if built is None:
            return None
        decider, definition, acts = built
        actions = {
            act: self._leaf_hit(k) if met is None else self._policy_decided(k, met)
            for act, (k, met) in acts.items()
        }
        try:
            self._register(name, definition, actions)
        except Exception as exc:  # durable-rules says only "error code: NNN"
            raise EvaluationError(
                f"durable-rules refused the policies ({exc})",
                rule=policies[0].meta.id,
                location=policies[0].meta.source,
            ) from exc
        return decider

    def _leaf_hit(self, j: int) -> Callable[[Any], None]:
        """The action of leaf ``j``'s condition: one more achievement (or the worker) matches it."""

        def action(closure: Any) -> None:
            # A set: a rule fires once per alternative of its condition a fact matches.
            self._call.hits[j].add(closure.m["id"])

        return action

    def _policy_decided(self, i: int, met: bool) -> Callable[[Any], None]:
        """The action deciding policy ``i``: its status, granted or not, asserted for later policies."""

        def action(closure: Any) -> None:
            call: Decision = self._call
            if call.error is not None:
                return
            try:
                if i in call.decided:
                    if call.decided[i] != met:
                        raise AssertionError("the policy was decided both met and unmet")
                    return
                call.decided[i] = met
                grants = call.decider.policies[i].grants
                closure.assert_fact(
                    {GUARD: 1, "k": "s", "s": grants, "v": 1 if met else 0, "id": call.next_id()}
                )
            except BaseException as exc:  # durable-rules would swallow it
                call.error, call.rule = exc, i

        return action

    def _decide(self, policies: Sequence[Policy], facts: PolicyFacts) -> tuple[PolicyOutcome, ...]:
        """Every policy's outcome: decided (statuses granted) in the Rete network, reasons by `judge`.

        :raises EvaluationError: when the network and the shared judge disagree on a policy,
            an action fails or durable-rules reports an error.
        """
        if not policies:
            return ()
        key = tuple(map(id, policies))
        if key not in self._deciders:
            with _LOCK:
                self._deciders[key] = self._decider(tuple(policies))
        decider = self._deciders[key]
        network = self._network_decides(decider, facts)
        outcomes = decide(policies, facts, self._compiled.match)
        if network is None:
            with _LOCK:
                self.python_calls += 1
            return outcomes
        for i, outcome in enumerate(outcomes):
            if network[i] != (outcome.status == "met"):
                policy = policies[i]
                raise EvaluationError(
                    f"durable-rules decided the policy {'met' if network[i] else 'unmet'}, "
                    "the pipeline's judge did not",
                    rule=policy.meta.id,
                    location=policy.meta.source,
                )
        return outcomes

    def _network_decides(self, decider: Decider | None, facts: PolicyFacts) -> dict[int, bool] | None:
        """Which of the decider's policies the network decides met; None when Python must decide."""
        if decider is None:
            return None
        try:
            first = [
                {**decider.achievements.fact(c.facts), GUARD: 1, "k": "a", "id": f"a{n}"}
                for n, c in enumerate(facts.achievements)
            ]
            first.append({**decider.worker.fact(facts.worker), GUARD: 1, "k": "w", "id": "w"})
        except Inexpressible:
            return None
        return self._decide_in_rete(decider, first, facts)

    def _eligible(self, req: Requirement, facts: PolicyFacts) -> bool | None:
        """Whether the worker is eligible under ``req`` (an ``eligible:`` requirement), as the
        network decides it with the statuses granted so far; None when Python must decide.

        :raises EvaluationError: when an action fails or durable-rules reports an error.
        """
        network = self._network_decides(self._eligibility.get(id(req)), facts)
        if network is None:
            with _LOCK:
                self.python_calls += 1
            return None
        return network[0]

    def _decide_in_rete(
        self, decider: Decider, first: list[dict[str, Any]], facts: PolicyFacts
    ) -> dict[int, bool]:
        """Which policies the network decides met: leaves matched, then policies chained on statuses."""
        call = Decision(decider, [set() for _ in decider.leaves])

        def batches() -> Iterator[list[dict[str, Any]]]:
            yield first
            # Counts and totals are arithmetic (the pipeline's): each leaf's value becomes a fact.
            second = []
            for j, req in enumerate(decider.leaves):
                if isinstance(req, AchievementReq):
                    held = len(call.hits[j]) >= req.at_least
                elif isinstance(req, WorkerReq):
                    held = bool(call.hits[j])
                else:
                    assert isinstance(req, TotalReq)
                    held = judge(req, facts, self._compiled.match).met
                second.append({GUARD: 1, "k": "l", "l": j, "v": 1 if held else 0, "id": f"l{j}"})
            second += [
                {GUARD: 1, "k": "s", "s": s, "v": 1 if s in facts.granted else 0, "id": call.next_id()}
                for s in decider.ungranted
            ]
            yield second

        def fail(why: str) -> EvaluationError:
            policy = decider.policies[call.rule if call.rule is not None else 0]
            return EvaluationError(f"durable-rules: {why}", rule=policy.meta.id, location=policy.meta.source)

        with _LOCK:
            self._call = call
            try:
                self._session(decider.name, batches(), fail)
            finally:
                self._call = None
            if call.error is not None:
                raise fail(str(call.error)) from call.error
            self.rete_calls += 1
        undecided = [p.meta.id for i, p in enumerate(decider.policies) if i not in call.decided]
        if undecided:
            raise fail(f"the network left {', '.join(undecided)} undecided")
        return call.decided

    # --- entitlement conditions ----------------------------------------------------------

    def _claim_tests(self, entitlement: Entitlement) -> ClaimTests | None:
        """The ruleset testing the entitlement's conditions; None when too large (Python matches)."""
        name = _ruleset_name(self.pack, entitlement.meta.id, entitlement.meta.version)
        built = claim_tests(
            entitlement, name, self._specs, lambda cond: functools.partial(self._compiled.match, cond)
        )
        if built is None:
            return None
        tests, definition = built
        try:
            self._register(
                name, definition, {f"{name}/{k}": self._tested(k) for k in range(len(tests.tests))}
            )
        except Exception as exc:  # durable-rules says only "error code: NNN"
            raise EvaluationError(
                f"durable-rules refused the entitlement's rules ({exc})",
                rule=entitlement.meta.id,
                location=entitlement.meta.source,
            ) from exc
        return tests

    def _tested(self, k: int) -> Callable[[Any], None]:
        """The action of test ``k``: its condition holds for the subject matched."""

        def action(closure: Any) -> None:
            call: Matching = self._call
            try:
                call.hits[int(closure.m["n"])].add(k)
            except BaseException as exc:  # durable-rules would swallow it
                call.error, call.test = exc, k

        return action

    def _entitled(self, entitlement: Entitlement, subjects: Sequence[Facts]) -> list[Conditions] | None:
        """Which of the entitlement's rules' and bonuses' conditions hold for each subject, as the
        Rete network matches them; None when Python must match them.

        :raises EvaluationError: when an action fails or durable-rules reports an error, naming
            the entitlement rule.
        """
        tests = self._claims.get(id(entitlement))
        try:
            facts = None if tests is None else tests.facts(subjects)
        except Inexpressible:
            facts = None
        if tests is None or facts is None:
            with _LOCK:
                self.python_calls += 1
            return None
        call = Matching(tests, [set() for _ in subjects])

        def fail(why: str) -> EvaluationError:
            if call.test is None:
                return EvaluationError(
                    f"durable-rules: {why}", rule=entitlement.meta.id, location=entitlement.meta.source
                )
            rule = entitlement.rules[tests.tests[call.test][0]]
            return EvaluationError(
                f"durable-rules: {why}", rule=f"{entitlement.meta.id}/{rule.id}", location=rule.source
            )

        with _LOCK:
            self._call = call
            try:
                self._session(tests.name, iter([facts]), fail)
            finally:
                self._call = None
            if call.error is not None:
                raise fail(str(call.error)) from call.error
            self.rete_calls += 1
        return [tests.conditions(hits) for hits in call.hits]

    def match(self, cond: Condition | None, facts: Facts) -> bool:
        """Whether ``cond`` holds for ``facts`` (the compiled kernel: not in the Rete network yet)."""
        return self._compiled.match(cond, facts)

    def points(self, points: Points, facts: Facts) -> Decimal | None:
        """The value of a points or amount expression (the compiled kernel: arithmetic is not inference)."""
        return self._compiled.points(points, facts)

    def candidates(self, conversion: Conversion, facts: Facts) -> Sequence[int]:
        """Indexes of the conversion's rules whose ``when`` holds, in order, as the Rete network fires them.

        :raises EvaluationError: when an action fails or durable-rules reports an error.
        """
        network = self._networks[id(conversion)]
        try:
            fact = network.encoding.fact(facts)
        except Inexpressible:
            with _LOCK:
                self.python_calls += 1
            return self._compiled.candidates(conversion, facts)
        fired: list[int] = []
        with _LOCK:
            self.rete_calls += 1
            for ruleset in network.rulesets:
                fired += self._fire(network, ruleset, fact)
        return sorted(set(fired))

    def _fire(self, network: _Network, ruleset: _Ruleset, fact: dict[str, Any]) -> list[int]:
        """The rules of ``ruleset`` that fire for ``fact``, in a fresh state deleted afterwards."""
        conversion = network.conversion
        sid = str(next(_SIDS))
        self._fired.clear()
        try:
            state = self._host.assert_fact(ruleset.name, {**fact, "sid": sid, "id": sid})
        except self._engine.MessageNotHandledException as exc:  # pragma: no cover - the catch-all handles all
            # The state is left alone: deleting one in which no action ran crashes the process.
            raise EvaluationError(
                "durable-rules handled no rule for this achievement",
                rule=conversion.meta.id,
                location=conversion.meta.source,
            ) from exc
        except Exception as exc:
            raise self._failure(conversion, str(exc)) from exc
        fired = list(self._fired)
        if _CATCH_ALL not in fired:  # pragma: no cover - every fact has the guard it tests
            # Not deleted: deleting a state in which no action ran crashes the process.
            raise self._failure(conversion, "the catch-all rule did not fire")
        try:
            self._host.delete_state(ruleset.name, sid)
        except Exception as exc:  # pragma: no cover - the catch-all's action made the state
            raise self._failure(conversion, str(exc)) from exc
        if isinstance(state, dict) and "exception" in state:
            raise self._failure(conversion, str(state["exception"]).splitlines()[0][:200], fired)
        return [index for index in fired if index != _CATCH_ALL]

    def _failure(self, conversion: Conversion, why: str, fired: Sequence[int] = ()) -> EvaluationError:
        """The error for a failed call, naming the rule whose action ran last, if any."""
        ran = [index for index in fired if index != _CATCH_ALL]
        if ran:
            rule = conversion.rules[ran[-1]]
            return EvaluationError(
                f"durable-rules: {why}", rule=f"{conversion.meta.id}/{rule.id}", location=rule.source
            )
        return EvaluationError(
            f"durable-rules: {why}", rule=conversion.meta.id, location=conversion.meta.source
        )
