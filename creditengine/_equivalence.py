"""Equivalence: achievements that count as other achievements, chained until
nothing new is derived (a Macao intermediate electrician certificate counts as
the mainland level-4 certificate; a Hong Kong QF level 4 as a level-3 certificate)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from ._expr import level_key
from ._facts import Item, Match
from ._ir import Equivalence, EquivalenceRule
from ._results import Derived
from ._trace import Reason

__all__ = ["MAX_DERIVED", "Outcome", "apply_rule", "breadth_first", "derive", "derived_records", "in_order"]


#: Most achievements one record may derive: a guard (cycles are refused at load time),
#: ten for each achievement a record may hold.
MAX_DERIVED = 100_000


def _target_level(rule: EquivalenceRule, facts: dict[str, Any]) -> str | None:
    if rule.level is not None:
        return rule.level
    assert rule.level_map is not None
    return rule.level_map.mapping.get(level_key(facts.get("level.value")))


#: What one equivalence rule whose ``when`` holds does with one achievement: derive a
#: new one, report a level its map does not have, or nothing (the level was reported).
Outcome = Item | Reason | None


def apply_rule(item: Item, equivalence: Equivalence, rule: EquivalenceRule) -> Outcome:
    """The achievement ``rule`` derives from ``item``, whose facts match ``rule.when``."""
    name = f"{equivalence.meta.id}/{rule.id}"
    facts = dict(item.facts)
    facts.update(rule.sets)
    suffix = rule.id
    if rule.framework is not None:
        level = _target_level(rule, item.facts)
        if level is None:
            if item.level_reported:
                return None  # the level itself was reported as outside its framework
            params = {
                "achievement": item.id,
                "rule": name,
                "framework": rule.framework,
                "from_framework": item.facts.get("level.framework"),
                "from_level": item.facts.get("level.value"),
            }
            return Reason("derive.no_mapped_level", params)
        facts["level.framework"] = rule.framework
        facts["level.value"] = level
        suffix = f"{rule.framework}-{level}"
    ident = f"{item.id}~{suffix}"
    facts["id"] = ident
    return Item(
        id=ident,
        title=facts.get("title"),
        completed=item.completed,
        position=item.position,
        facts=facts,
        root=item.root,
        depth=item.depth + 1,
        applied=item.applied | {name},
        rule=name,
        version=equivalence.meta.version,
        sources=(item.id,),
        level_reported=item.level_reported and rule.framework is None,
    )


def in_order(equivalences: Sequence[Equivalence]) -> list[tuple[Equivalence, EquivalenceRule]]:
    """Every rule of ``equivalences``, in the order derivation tries them."""
    return [(e, rule) for e in sorted(equivalences, key=lambda e: e.meta.id) for rule in e.rules]


def breadth_first(
    items: Sequence[Item], outcomes: Callable[[Item], Iterable[Outcome]], warnings: list[Reason]
) -> list[Item]:
    """Every achievement derived from ``items``, breadth first, given each one's rule outcomes.

    ``outcomes(item)`` gives, in rule order, the outcome of each rule not yet in the
    item's lineage whose ``when`` holds for it. An achievement derived twice (the same
    id) is kept the first time; past ``MAX_DERIVED`` derivation stops, with a warning.
    """
    known = {item.id for item in items}
    queue = deque(items)
    derived: list[Item] = []
    while queue:
        if len(derived) >= MAX_DERIVED:
            warnings.append(Reason("derive.stopped", {"limit": MAX_DERIVED}))
            break
        for outcome in outcomes(queue.popleft()):
            if isinstance(outcome, Reason):
                warnings.append(outcome)
            elif outcome is not None and outcome.id not in known:
                known.add(outcome.id)
                derived.append(outcome)
                queue.append(outcome)
    return derived


def derive(
    items: Sequence[Item], equivalences: Sequence[Equivalence], *, match: Match, warnings: list[Reason]
) -> list[Item]:
    """Every achievement derived from ``items`` by the equivalences in force, breadth first.

    A derived achievement is seen by later rules like a real one; a rule is never
    applied twice within one lineage, and a level with no match in a level map is
    reported, not guessed.
    """
    rules = in_order(equivalences)

    def outcomes(item: Item) -> Iterator[Outcome]:
        for equivalence, rule in rules:
            if f"{equivalence.meta.id}/{rule.id}" not in item.applied and match(rule.when, item.facts):
                yield apply_rule(item, equivalence, rule)

    return breadth_first(items, outcomes, warnings)


def derived_records(items: Sequence[Item]) -> tuple[Derived, ...]:
    """The ``derived`` section of a result."""
    return tuple(Derived(i.id, i.rule or "", i.sources, i.version or "") for i in items if i.depth > 0)
