"""Load a rule pack folder: read YAML, validate with pydantic, lower to the IR.

Every problem in every file is collected and raised together, each located
at FILE:LINE:COL with its key path (OPA's ``opa check`` habit).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar, cast

from pydantic import ValidationError

from ._conditions import may_match
from ._errors import RuleError, RuleSchemaError, RuleSyntaxError
from ._expr import (
    AllOf,
    Compare,
    suggest,
)
from ._ir import (
    AdjustmentSet,
    Conversion,
    Entitlement,
    Equivalence,
    Meta,
    Pack,
    Policy,
    Scale,
    StatusReq,
    Transfer,
    Versions,
    statuses_in,
)
from ._limits import DEFAULT_LIMITS, Limits
from ._lower import Lowering, Problems, titles_of
from ._models import problems_of
from ._packfiles import (
    RULE_FILE_MODELS,
    AccreditationFile,
    AdjustmentFile,
    ConversionFile,
    EntitlementFile,
    EquivalenceFile,
    PackFile,
    RuleFileBase,
    TransferFile,
)
from ._source import SourceLocation
from ._yaml import Document, TooLarge, decode_text, load_documents, read_bounded

__all__ = ["load_pack"]

F = TypeVar("F", Conversion, AdjustmentSet, Policy, Equivalence, Entitlement, Transfer)


@dataclass
class _Loaded:
    """One validated rule file document, before lowering."""

    doc: Document
    model: RuleFileBase
    folder: str


def _read(path: Path, shown: str, limits: Limits, problems: Problems) -> list[Document] | None:
    """The documents of one file, or None (with the problem recorded) when it cannot be read."""
    try:
        data = read_bounded(path, limits.rule_file_bytes)
    except TooLarge:
        problems.add(
            RuleSyntaxError,
            SourceLocation(shown),
            f"rule file is over the size limit; the limit is {limits.rule_file_bytes:,} bytes",
        )
        return None
    except (OSError, RuntimeError) as exc:  # unreadable, or a link loop
        problems.add(RuleSyntaxError, SourceLocation(shown), f"cannot read rule file: {_reason(exc)}")
        return None
    try:
        text = decode_text(data, shown, error=RuleSyntaxError, what="rule file")
        docs = load_documents(text, shown, error=RuleSyntaxError, limits=limits, what="rule file")
    except RuleSyntaxError as exc:
        problems.items.extend((RuleSyntaxError, p) for p in exc.problems)
        return None
    return [d for d in docs if d.data is not None]


def _reason(exc: BaseException) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def _inside(path: Path, real_root: Path) -> bool:
    """Whether ``path`` (following every link, folders included) stays inside the pack."""
    try:
        return path.resolve(strict=True).is_relative_to(real_root)
    except (OSError, RuntimeError):
        return False


RULE_FOLDERS = ("conversions", "adjustments", "policies")
_NOT_READ_NOTE = "(a file or folder whose name starts with '_' or '.' is not read)"


def _left_out(name: str) -> bool:
    """Names the pack deliberately keeps out: ``_drafts/``, ``__init__.py``, ``.git``."""
    return name.startswith(("_", "."))


def _yaml_name(name: str) -> bool:
    return name.lower().endswith((".yaml", ".yml"))


def _special(path: Path) -> str | None:
    """What a path is when it is neither a regular file nor a folder (a FIFO, a socket, a device)."""
    if path.is_dir() or path.is_file():
        return None
    if path.is_fifo():
        return "a FIFO (named pipe)"
    if path.is_socket():
        return "a socket"
    if path.is_block_device() or path.is_char_device():
        return "a device"
    return "not a regular file"


class _Walk:
    """Every file of a pack folder, refusing what would otherwise be skipped without a word."""

    def __init__(self, root: Path, shown_root: str, problems: Problems) -> None:
        self.root = root
        self.shown_root = shown_root
        self.real_root = root.resolve()
        self.problems = problems

    def shown(self, path: Path) -> str:
        return os.path.join(self.shown_root, str(path.relative_to(self.root)))

    def refuse(self, path: Path, message: str, kind: type[RuleError] = RuleSyntaxError) -> None:
        self.problems.add(kind, SourceLocation(self.shown(path)), message)

    def entries(self, folder: Path) -> list[Path]:
        """The folder's entries in name order, without those left out; an unreadable folder is a problem."""
        try:
            with os.scandir(folder) as listing:
                names = sorted(entry.name for entry in listing)
        except OSError as exc:
            self.refuse(folder, f"cannot read folder: {_reason(exc)}")
            return []
        return [folder / name for name in names if not _left_out(name)]

    def usable(self, path: Path) -> bool:
        """A path that stays in the pack and is a file or a folder (else a problem naming it)."""
        if not _inside(path, self.real_root):
            self.refuse(path, "a link out of the pack (or a broken link) is not allowed")
            return False
        special = _special(path)
        if special is not None:
            self.refuse(path, f"{special} is not allowed in a rule pack; a pack holds files and folders")
            return False
        return True

    def rule_files(
        self, folder: Path, kind_folder: str, ancestors: frozenset[Path]
    ) -> list[tuple[Path, str, str]]:
        found: list[tuple[Path, str, str]] = []
        for path in self.entries(folder):
            if not self.usable(path):
                continue
            if path.is_dir():
                real = path.resolve()
                if real in ancestors:
                    self.refuse(path, "a link to a folder that contains it (a loop) is not allowed")
                    continue
                found += self.rule_files(path, kind_folder, ancestors | {real})
            elif path.suffix in (".yaml", ".yml"):
                found.append((path, self.shown(path), kind_folder))
            elif _yaml_name(path.name):
                self.refuse(path, "a rule file's name ends in .yaml or .yml, in lower case", RuleSchemaError)
        return found

    def holds_yaml(self, folder: Path, depth: int = 0) -> bool:
        """Whether a folder outside the rule folders holds YAML files (that would never be read)."""
        if depth > 8:  # a folder this deep is not a misnamed rule folder
            return False
        try:
            with os.scandir(folder) as listing:
                entries = [
                    (e.name, e.is_dir(follow_symlinks=False)) for e in listing if not _left_out(e.name)
                ]
        except OSError:
            return False
        return any(
            self.holds_yaml(folder / name, depth + 1) if is_dir else _yaml_name(name)
            for name, is_dir in entries
        )

    def pack_files(self) -> list[tuple[Path, str, str]]:
        """(path, shown path, rule folder) of every rule file, sorted."""
        found: list[tuple[Path, str, str]] = []
        for path in self.entries(self.root):
            name = path.name
            if name == "pack.yaml":
                continue
            if name in RULE_FOLDERS:
                if not _inside(path, self.real_root):
                    self.refuse(path, "a link out of the pack is not allowed")
                elif not path.is_dir():
                    self.refuse(path, f"{name} must be a folder of rule files", RuleSchemaError)
                else:
                    found += self.rule_files(path, name, frozenset({path.resolve()}))
                continue
            if not self.usable(path):
                continue
            if path.is_dir():
                if self.holds_yaml(path):
                    self.refuse(
                        path,
                        f"folder {name}/ is not read: rule files belong in conversions/, adjustments/ or "
                        f"policies/{suggest(name, RULE_FOLDERS)} {_NOT_READ_NOTE}",
                        RuleSchemaError,
                    )
            elif _yaml_name(name):
                self.refuse(
                    path,
                    f"rule files belong in conversions/, adjustments/ or policies/ {_NOT_READ_NOTE}",
                    RuleSchemaError,
                )
        return sorted(found)


def load_pack(directory: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS) -> Pack:
    """Load, validate and compile the rule pack in ``directory``.

    :raises RuleError: with every problem found, each at FILE:LINE:COL.
    """
    root = Path(directory)
    shown_root = str(directory)
    problems = Problems()
    pack_path = root / "pack.yaml"
    shown_pack = os.path.join(shown_root, "pack.yaml")
    try:
        if not root.is_dir():
            raise RuleError("not a rule pack folder", location=SourceLocation(shown_root))
        os.scandir(root).close()  # an unreadable folder is a located problem, not a traceback
        has_header = pack_path.is_file()
    except OSError as exc:
        raise RuleError(
            f"cannot read the rule pack folder: {_reason(exc)}", location=SourceLocation(shown_root)
        ) from None
    if not has_header:
        raise RuleError("a rule pack needs pack.yaml", location=SourceLocation(shown_pack))
    if pack_path.is_symlink() and not pack_path.resolve().is_relative_to(root.resolve()):
        raise RuleSyntaxError("a link out of the pack is not allowed", location=SourceLocation(shown_pack))
    pack_docs = _read(pack_path, shown_pack, limits, problems)
    problems.raise_if_any()
    if pack_docs is None or len(pack_docs) != 1:
        raise RuleSchemaError("pack.yaml must hold one document", location=SourceLocation(shown_pack))
    pack_doc = pack_docs[0]
    header = _validate(PackFile, pack_doc, problems, "pack.yaml")
    problems.raise_if_any()
    assert header is not None
    context = Lowering(header, pack_doc, problems)

    loaded: list[_Loaded] = []
    declared: dict[str, str] = {}  # status -> policy, from every accreditation file, even a broken one
    canonical: dict[str, Any] = {"pack.yaml": [pack_doc.data]}
    for path, shown, folder in _Walk(root, shown_root, problems).pack_files():
        docs = _read(path, shown, limits, problems)
        if docs is None:
            continue
        if not docs:
            problems.add(
                RuleSchemaError,
                SourceLocation(shown),
                "rule file is empty (no YAML document in it); delete it, or start its name with '_' "
                "to keep it in the folder unread",
            )
            continue
        canonical[str(path.relative_to(root))] = [d.data for d in docs]
        for doc in docs:
            _note_grants(doc, declared)
            model = _validate_rule_file(doc, folder, path, problems)
            if model is not None:
                loaded.append(_Loaded(doc, model, folder))
    conversions: list[Conversion] = []
    adjustments: list[AdjustmentSet] = []
    policies: list[Policy] = []
    equivalences: list[Equivalence] = []
    entitlements: list[Entitlement] = []
    transfers: list[Transfer] = []
    for item in loaded:
        match item.model:
            case ConversionFile() as model:
                conversions.append(context.conversion(model, item.doc))
            case AdjustmentFile() as model:
                adjustments.append(context.adjustments(model, item.doc))
            case EntitlementFile() as model:
                entitlements.append(context.entitlement(model, item.doc))
            case TransferFile() as model:
                transfers.append(context.transfer(model, item.doc))
            case EquivalenceFile() as model:
                equivalences.append(context.equivalence(model, item.doc))
            case AccreditationFile() as model:
                policy = context.policy(model, item.doc)
                if policy is not None:
                    policies.append(policy)
    grouped_policies = _group(policies, problems)
    _check_statuses(grouped_policies, declared, problems, context.status_refs)
    grouped_equivalences = _group(equivalences, problems)
    _check_derivation_cycles(grouped_equivalences, problems)
    pack = Pack(
        name=header.name,
        title=titles_of(header.title),
        scale=Scale(
            unit=header.scale.unit,
            decimals=header.scale.decimals,
            rounding=header.scale.rounding,
            definition=titles_of(header.scale.definition),
        ),
        convert_at=header.convert_at,
        categories=tuple(header.category_names),
        category_titles=tuple(
            (c.id, titles_of(c.title)) for c in header.categories if not isinstance(c, str)
        ),
        default_category=header.default_category,
        frameworks=tuple(context.frameworks.items()),
        level_maps=context.maps,
        attributes=tuple(context.attributes.items()),
        conversions=_group(conversions, problems),
        adjustments=_group(adjustments, problems),
        policies=grouped_policies,
        equivalences=grouped_equivalences,
        entitlements=_group(entitlements, problems),
        transfers=_group(transfers, problems),
        fingerprint=_fingerprint(canonical),
        root=shown_root,
    )
    _check_one_kind_per_id(pack, problems)
    problems.raise_if_any()
    return pack


def _note_grants(doc: Document, declared: dict[str, str]) -> None:
    """Record the status an accreditation file declares, read before validation: a file that fails
    for another reason still grants its status, so policies needing it are not blamed as well."""
    data = doc.data
    if isinstance(data, dict) and data.get("kind") == "accreditation" and isinstance(data.get("grants"), str):
        declared.setdefault(data["grants"], str(data.get("id")))


def _check_one_kind_per_id(pack: Pack, problems: Problems) -> None:
    """A rule file id names one rule file (in versions), whatever its kind."""
    kinds: dict[str, Meta] = {}
    for version in pack.all_versions():
        meta = version.meta
        first = kinds.setdefault(meta.id, meta)
        if first.kind != meta.kind:
            problems.add(
                RuleSchemaError,
                meta.source.at("id"),
                f"id {meta.id!r} is already the id of a {first.kind} file ({first.source.file}); "
                "ids name one rule file across the whole pack",
            )


def _validate(model: type[Any], doc: Document, problems: Problems, what: str) -> Any:
    if not isinstance(doc.data, dict):
        problems.add(RuleSchemaError, doc.locate(()), f"{what} must be a mapping of keys to values")
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        for problem in problems_of(exc, doc, model):
            problems.items.append((RuleSchemaError, problem))
        return None


def _validate_rule_file(doc: Document, folder: str, path: Path, problems: Problems) -> RuleFileBase | None:
    data = doc.data
    if not isinstance(data, dict):
        problems.add(RuleSchemaError, doc.locate(()), "a rule file must be a mapping of keys to values")
        return None
    kind = data.get("kind")
    if kind not in RULE_FILE_MODELS:
        where = doc.locate(("kind",)) if "kind" in data else doc.locate(())
        known = [k for k, (f, _) in RULE_FILE_MODELS.items() if f == folder]
        message = (
            "missing required key 'kind'"
            if kind is None
            else f"kind: {kind!r} is not a rule kind here"
            + suggest(str(kind), list(RULE_FILE_MODELS))
            + (f"; {folder}/ holds {', '.join(known)}" if known else "")
        )
        problems.add(RuleSchemaError, where, message)
        return None
    expected_folder, model = RULE_FILE_MODELS[kind]
    if expected_folder != folder:
        problems.add(RuleSchemaError, doc.locate(("kind",)), f"a {kind} file belongs in {expected_folder}/")
        return None
    result = _validate(model, doc, problems, "a rule file")
    if result is None:
        return None
    stem = path.stem.split("@", 1)[0]
    if result.id != stem:
        problems.add(
            RuleSchemaError,
            doc.locate(("id",)),
            f"id {result.id!r} must match the file name {path.name!r} "
            "(name versions id.yaml, id@VERSION.yaml, or as several documents in one file)",
        )
    return cast(RuleFileBase, result)


def _group(items: Iterable[F], problems: Problems) -> tuple[Versions[F], ...]:
    """Group versions by id, ordered by start; overlapping windows are an error."""
    by_id: dict[str, list[F]] = {}
    for item in items:
        by_id.setdefault(item.meta.id, []).append(item)
    out = []
    for ident in sorted(by_id):
        versions = sorted(by_id[ident], key=lambda v: (v.meta.effective.start, v.meta.source.file))
        for earlier, later in itertools.pairwise(versions):
            if earlier.meta.effective.overlaps(later.meta.effective):
                problems.add(
                    RuleSchemaError,
                    later.meta.effective_source,
                    f"{ident} version {later.meta.version} ({later.meta.effective}) overlaps version "
                    f"{earlier.meta.version} ({earlier.meta.effective}) at {earlier.meta.source}",
                )
        out.append(Versions(ident, tuple(versions)))
    return tuple(out)


def _check_statuses(
    policies: tuple[Versions[Policy], ...],
    declared: dict[str, str],
    problems: Problems,
    other_refs: Iterable[StatusReq] = (),
) -> None:
    """Every required status is granted by exactly one policy; no cycles.

    ``declared`` maps statuses to the policies whose files declare them, even
    policies that failed to load, so one broken file does not cause follow-on errors.
    """
    granted_by: dict[str, str] = {}
    for group in policies:
        for version in group.items:
            other = granted_by.get(version.grants)
            if other is not None and other != group.id:
                problems.add(
                    RuleSchemaError,
                    version.grants_source,
                    f"status {version.grants!r} is granted by both {other} and {group.id}; "
                    "a status has one policy (use any: in that policy for alternatives)",
                )
            granted_by.setdefault(version.grants, group.id)
    edges: dict[str, set[str]] = {}
    files: dict[str, str] = {}
    where: dict[tuple[str, str], SourceLocation] = {}
    for group in policies:
        for version in group.items:
            files[group.id] = version.meta.source.file
            for req in statuses_in(version.requires):
                owner = granted_by.get(req.status)
                if owner is None and req.status in declared:
                    continue
                if owner is None:
                    problems.add(
                        RuleSchemaError,
                        req.source,
                        f"status {req.status!r} is granted by no policy"
                        + suggest(req.status, list(granted_by)),
                    )
                    continue
                edges.setdefault(group.id, set()).add(owner)
                where.setdefault((group.id, owner), req.source)
    for ref in other_refs:
        if ref.status not in granted_by and ref.status not in declared:
            problems.add(
                RuleSchemaError,
                ref.source,
                f"status {ref.status!r} is granted by no policy" + suggest(ref.status, list(granted_by)),
            )
    for cycle in _cycles(edges):
        names = " -> ".join([*cycle, cycle[0]])
        first = cycle[0]
        step = next(
            (where[(first, other)] for other in cycle if (first, other) in where),
            SourceLocation(files[first]),
        )
        problems.add(
            RuleSchemaError,
            step,
            f"policies require each other's statuses in a cycle: {names} "
            f"(files: {', '.join(files[c] for c in cycle)})",
        )


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected group of policies that can reach itself (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                group.append(item)
                if item == node:
                    break
            if len(group) > 1 or node in edges.get(node, ()):
                found.append(_path_through(sorted(group), edges))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def _path_through(group: list[str], edges: dict[str, set[str]]) -> list[str]:
    """One actual cycle inside a strongly connected group, starting at its first member."""
    start = group[0]
    members = set(group)
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(edges.get(node, ()), reverse=True):
            if nxt == start:
                return path
            if nxt in members and nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return group  # pragma: no cover - a strongly connected group always has a cycle


def _check_derivation_cycles(groups: tuple[Versions[Equivalence], ...], problems: Problems) -> None:
    """Equivalence rules that could derive each other forever are an error naming their files."""
    rules = {
        f"{version.meta.id}/{rule.id}": rule
        for group in groups
        for version in group.items
        for rule in version.rules
    }
    edges: dict[str, set[str]] = {}
    for name, rule in rules.items():
        # What a derivative certainly is: what its rule's condition pinned, then what counts_as sets.
        known: dict[str, object] = {
            c.path: c.value
            for c in (rule.when.items if isinstance(rule.when, AllOf) else (rule.when,))
            if isinstance(c, Compare) and c.op == "eq" and c.ref is None
        }
        known.pop("id", None)
        known.update(rule.sets)
        if rule.framework is not None:
            known["level.framework"] = rule.framework
            if rule.level is not None:
                known["level.value"] = rule.level
            else:  # mapped: the new level is any the map yields, not the one the condition pinned
                known.pop("level.value", None)
        for other_name, other in rules.items():
            if may_match(other.when, known):
                edges.setdefault(name, set()).add(other_name)
    for cycle in _cycles(edges):
        names = " -> ".join([*cycle, cycle[0]])
        files = ", ".join(sorted({rules[c].source.file for c in cycle}))
        problems.add(
            RuleSchemaError,
            rules[cycle[0]].source,
            f"equivalence rules could derive each other without end: {names} (files: {files})",
        )


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    text = getattr(value, "text", None)
    if isinstance(text, str):  # numbers and dates as written: version 2024.10 is not 2024.1
        return {"scalar": text}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return {"scalar": str(value)}
    return value


def _fingerprint(canonical: dict[str, Any]) -> str:
    text = json.dumps(_canonical(canonical), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
