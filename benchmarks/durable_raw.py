"""Raw durable-rules on the facts the durable evaluator asserts: what its wrapper costs.

``sessions`` evaluates records with the durable evaluator once and records every state
it opened in durable-rules: the ruleset, and each batch of facts asserted into it
(facts asserted by actions, derived achievements and granted statuses, become one
more batch). ``replay`` asserts the same batches into the same rulesets with actions
that do nothing, one fresh state at a time, deleted afterwards: durable-rules' own
cost for the same facts, with no encoding, lineage, pipeline or result around it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from creditengine import Engine, WorkerRecord
from creditengine._evaluators.durable import DurableKernels, _runtime

Batch = list[dict[str, Any]]
Session = tuple[str, list[Batch]]  # ruleset, batches in order


def sessions(engine: Engine, records: Sequence[WorkerRecord], as_of: dt.date) -> list[Session]:
    """Every durable-rules state the durable evaluator opens for ``records``, with its facts."""
    kernels = engine._kernels
    assert isinstance(kernels, DurableKernels), "the durable evaluator"
    module, _ = _runtime()
    host, closure = kernels._host, module.Closure
    found: dict[str, Session] = {}
    from_actions: dict[str, Batch] = {}
    one, many, in_action = host.assert_fact, host.assert_facts, closure.assert_fact

    def assert_fact(ruleset: str, fact: dict[str, Any], complete: Any = None) -> Any:
        found.setdefault(fact["sid"], (ruleset, []))[1].append([dict(fact)])
        return one(ruleset, fact)

    def assert_facts(ruleset: str, facts: list[dict[str, Any]], complete: Any = None) -> Any:
        found.setdefault(facts[0]["sid"], (ruleset, []))[1].append([dict(f) for f in facts])
        return many(ruleset, facts)

    def action_asserts(self: Any, ruleset: Any, fact: Any = None) -> Any:
        sid = self.s.sid
        from_actions.setdefault(sid, []).append({**(fact if fact is not None else ruleset), "sid": sid})
        return in_action(self, ruleset, fact)

    host.assert_fact, host.assert_facts, closure.assert_fact = assert_fact, assert_facts, action_asserts
    try:
        for record in records:
            engine.evaluate(record, as_of=as_of)
    finally:
        del host.assert_fact, host.assert_facts
        closure.assert_fact = in_action
    for sid, batch in from_actions.items():
        found[sid][1].append(batch)
    return list(found.values())


def replay(engine: Engine, recorded: Sequence[Session]) -> None:
    """Assert ``recorded`` again into the same rulesets, with actions that do nothing."""
    kernels = engine._kernels
    assert isinstance(kernels, DurableKernels)
    host = kernels._host
    actions = host.actions

    def nothing(closure: Any) -> None:
        return None

    host.actions = dict.fromkeys(actions, nothing)
    try:
        for ruleset, batches in recorded:
            sid = batches[0][0]["sid"]
            for batch in batches:
                host.assert_facts(ruleset, batch)
            host.delete_state(ruleset, sid)
    finally:
        host.actions = actions
