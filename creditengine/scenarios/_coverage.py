"""Rule coverage: which rules of the packs used decided something in a scenario's evaluation.

A *rule* is what a result names in its ``rule`` or ``policy`` fields, so coverage
reads only results, never the evaluator's internals:

- a conversion, adjustment or equivalence rule: ``file-id/rule-id``;
- an entitlement's pricing rules (``file-id/rule-id``) and the clauses that can
  refuse a claim, when the file has them (``file-id/eligible``,
  ``file-id/claim_within``, ``file-id/once_per``, ``file-id/max_claims``);
- an accreditation policy: its file id;
- a transfer: its file id, and each exemption (``file-id/exemption-id``).

A rule is *exercised* when an evaluation's result names it: the conversion rule of
a ledger entry (whatever its status), the rule of each adjustment applied to an
entry, a policy whose requirements were evaluated (met **or** unmet: its
requirements were decided either way), the rule of an entitlement claim, granted
or refused, a transfer decided (granted or refused), an exemption granted, an
equivalence rule that derived an achievement. Results name the file version too:
a rule counts only in the pack whose version decided.

Rule files a scenario writes itself (``the pack has the rule file``) are drafts
of that scenario: they count neither as rules of the pack nor as exercised.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from creditengine import Result
from creditengine._engine import default_pack_path
from creditengine._ir import (
    AdjustmentSet,
    Conversion,
    Entitlement,
    Equivalence,
    Pack,
    Policy,
    RuleFile,
    Transfer,
)

from ._report import Coverage, PackCoverage

__all__ = ["Recorder", "active", "exercised", "pack_rules", "recording", "rules_of"]

#: A rule as results name it, with the version of its file: ("caps-and-validity/course-yearly-cap", "2").
Named = tuple[str, str]


def rules_of(version: RuleFile) -> tuple[str, ...]:
    """The rules of one rule file version, as results name them."""
    name = version.meta.id
    if isinstance(version, Conversion | AdjustmentSet | Equivalence):
        return tuple(f"{name}/{rule.id}" for rule in version.rules)
    if isinstance(version, Entitlement):
        clauses = {
            "eligible": version.eligible is not None,
            "claim_within": version.claim_within is not None,
            "once_per": bool(version.once_per),
            "max_claims": version.max_claims is not None,
        }
        return (
            *(f"{name}/{rule.id}" for rule in version.rules),
            *(f"{name}/{clause}" for clause, present in clauses.items() if present),
        )
    if isinstance(version, Transfer):
        return (name, *(f"{name}/{exemption.id}" for exemption in version.exemptions))
    assert isinstance(version, Policy)
    return (name,)


def _relative(file: str, root: str) -> str:
    return Path(os.path.relpath(file, root)).as_posix()


def pack_rules(pack: Pack, left_out: Collection[str] = ()) -> frozenset[Named]:
    """Every rule of a pack with its file version, except those of the files ``left_out``
    (paths inside the pack, such as ``policies/draft.yaml``)."""
    skip = {Path(name).as_posix() for name in left_out}
    return frozenset(
        (rule, version.meta.version)
        for version in pack.all_versions()
        if _relative(version.meta.source.file, pack.root) not in skip
        for rule in rules_of(version)
    )


def exercised(result: Result) -> frozenset[Named]:
    """Every rule that decided something in one result (see the module's docstring)."""
    return frozenset(_named(result))


def _named(result: Result) -> Iterator[Named]:
    for entry in result.ledger:
        yield entry.rule, entry.version
        for adjustment in entry.adjustments:
            yield adjustment.rule, adjustment.version
    for outcome in result.outcomes:
        yield outcome.policy, outcome.version
    for derived in result.derived:
        yield derived.rule, derived.version
    for claim in result.entitlements:
        # A claim refused as one piece of learning names the equivalence rule (counted under derived).
        if claim.rule.startswith(f"{claim.policy}/"):
            yield claim.rule, claim.version
    for transfer in result.transfers:
        yield transfer.policy, transfer.version
        for exemption in transfer.exemptions:
            yield exemption.rule, transfer.version


class Recorder:
    """Collects, while scenarios run, the packs they load and the rules their evaluations name.

    :param default_pack: the folder "Given the default rule pack" means (default: the packaged pack).
    :param base: folders are shown relative to this one when inside it (default: the working folder).
    """

    def __init__(self, default_pack: Path | None = None, base: Path | None = None) -> None:
        self.default_pack = default_pack
        self._base = (base or Path.cwd()).resolve()
        self._names: dict[Path, str] = {}
        self._rules: dict[Path, set[Named]] = {}
        self._exercised: dict[Path, set[Named]] = {}
        self._evaluated: set[Path] = set()

    def pack_used(self, folder: Path, pack: Pack, drafts: Collection[str] = ()) -> None:
        """A scenario loaded ``pack`` from ``folder``, with draft rule files of its own."""
        key = folder.resolve()
        self._names.setdefault(key, pack.name)
        self._rules.setdefault(key, set()).update(pack_rules(pack, drafts))
        self._exercised.setdefault(key, set())

    def evaluated(self, folder: Path, pack: Pack, result: Result, drafts: Collection[str] = ()) -> None:
        """A scenario evaluated a worker with ``pack`` (loaded from ``folder``)."""
        self.pack_used(folder, pack, drafts)
        decided = exercised(result) & pack_rules(pack, drafts)
        self._exercised[folder.resolve()].update(decided)
        self._evaluated.add(folder.resolve())

    def coverage(self) -> Coverage:
        """Coverage of every pack a scenario evaluated a worker with.

        A pack only loaded (a scenario checking that it is valid) is left out: none of its rules
        could decide anything there, and counting them would lower the figure of a pack whose
        scenarios use it under another name (``--rules``).
        """
        packs = tuple(
            _pack_coverage(self._shown(key), self._names[key], self._rules[key], self._exercised[key])
            for key in sorted(self._evaluated, key=self._shown)
        )
        rules = sum(len(p.rules) for p in packs)
        done = sum(len(p.exercised) for p in packs)
        return Coverage(packs, rules, done, _percent(done, rules))

    def _shown(self, folder: Path) -> str:
        if folder == default_pack_path().resolve():
            return "packaged default pack"
        try:
            return folder.relative_to(self._base).as_posix() or "."
        except ValueError:
            return str(folder)


def _percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def _pack_coverage(folder: str, name: str, rules: Iterable[Named], done: Iterable[Named]) -> PackCoverage:
    every = sorted({rule for rule, _ in rules})
    hit = {rule for rule, _ in done}
    exercised_rules = tuple(rule for rule in every if rule in hit)
    never = tuple(rule for rule in every if rule not in hit)
    return PackCoverage(folder, name, tuple(every), exercised_rules, never, _percent(len(hit), len(every)))


_active: list[Recorder] = []


def active() -> Recorder | None:
    """The recorder of the run in progress, if any (the repository's own tests run without one)."""
    return _active[-1] if _active else None


@contextmanager
def recording(recorder: Recorder) -> Iterator[Recorder]:
    """Install ``recorder`` while scenarios run."""
    _active.append(recorder)
    try:
        yield recorder
    finally:
        _active.pop()
