"""The skill bank (SPEC §1, issue 10): workers and their achievements, the packs used, evaluations.

``Bank`` is the one core behind the library and ``creditengine bank ...``. It validates a whole
batch before writing any of it, writes a batch in one transaction, and evaluates workers in
chunks of bounded size, committing each chunk (so a run that stops keeps what it finished and the
next run does only the rest). SQL lives in :mod:`._store`; reading files in :mod:`._imports`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from . import _store as store
from ._engine import Engine
from ._errors import BankUnavailableError, Problem, RecordError, StoreError
from ._imports import Incoming, read_file
from ._limits import DEFAULT_LIMITS, Limits
from ._record import WorkerRecord, load_record
from ._results import Result

__all__ = ["Bank", "EvaluationReport", "ImportReport", "StoredEvaluation", "canonical_json"]

#: Called with (done, total) as a long operation advances.
Progress = Callable[[int, int], None]

_CHUNK = 500


def canonical_json(value: Any) -> str:
    """One text for one value: keys sorted, no spaces, numbers exact (a ``Decimal`` as written
    in plain digits, never through ``float``), dates in ISO 8601.

    >>> canonical_json({"b": Decimal("12.50"), "a": dt.date(2024, 3, 1)})
    '{"a":"2024-03-01","b":12.50}'
    """
    # The C encoder, with decimals passed through as marked text and unmarked after: about five
    # times quicker than walking the value in Python, and imports encode every achievement.
    return _DECIMAL_MARK.sub(r"\1", _ENCODE(value))


def _encode_default(value: object) -> object:
    if isinstance(value, Decimal):
        return f"{_MARK}{format(value, 'f')}"
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot store a {type(value).__name__} in the bank")


_ENCODE = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_encode_default
).encode
# A marker no text can hold by chance or by design: a control character and a secret per process.
_MARK = f"\x00{secrets.token_hex(8)}:"
_DECIMAL_MARK = re.compile('"' + re.escape(json.dumps(_MARK)[1:-1]) + r'([-0-9.]+)"')


def _loads(text: str) -> Any:
    return json.loads(text, parse_float=Decimal)


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did.

    .. versionadded:: 0.3
    """

    files: int
    workers_new: int
    workers_changed: int
    achievements_new: int
    achievements_unchanged: int
    achievements_replaced: int


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    """What a population evaluation did: workers evaluated now, and those already up to date.

    .. versionadded:: 0.3
    """

    pack: str
    fingerprint: str
    as_of: dt.date
    evaluated: int
    up_to_date: int


@dataclass(frozen=True, slots=True)
class StoredEvaluation:
    """An evaluation as the bank keeps it: the summary figures and the result's JSON.

    .. versionadded:: 0.3
    """

    worker: str
    fingerprint: str
    as_of: dt.date
    total_points: Decimal
    by_category: tuple[tuple[str, Decimal], ...]
    statuses: tuple[str, ...]
    entitlement_amount: Decimal
    transfer_credits: Decimal
    result_json: str


@dataclass
class _Planned:
    """One worker of a batch: its fields and achievements, merged over every file of the batch."""

    worker: dict[str, Any]
    #: The first record of the worker in the batch. Positions are found only to report a problem:
    #: a record read without them finds them by reading its file again.
    first: Incoming
    #: evidence id -> (canonical data, type, completed, the record, the achievement's index in it)
    achievements: dict[str, tuple[str, str, dt.date, Incoming, int]]


def _worker_fields(record: WorkerRecord) -> dict[str, Any]:
    worker = record.worker
    return {
        "name": worker.name,
        "jurisdiction": worker.jurisdiction,
        "attributes": canonical_json(worker.attributes) if worker.attributes else None,
    }


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Bank:
    """A skill bank: SQLite by default, PostgreSQL by URL.

    :param url: ``sqlite:///FILE`` or ``postgresql://USER@HOST/DB`` (psycopg 3); default
        ``$CREDITENGINE_DB``, else ``sqlite:///creditbank.db``.

    >>> bank = Bank.open("sqlite:///creditbank.db")            # doctest: +SKIP
    >>> bank.init()                                            # doctest: +SKIP
    >>> bank.import_records(["examples/electrician-level3.yaml"])  # doctest: +SKIP
    >>> bank.evaluate(Engine.load(), as_of=dt.date(2025, 12, 31))  # doctest: +SKIP

    .. versionadded:: 0.3
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine = store.connect(url)
        self._checked = False

    @classmethod
    def open(cls, url: str | None = None) -> Bank:
        """The bank at ``url`` (default ``$CREDITENGINE_DB``, else ``sqlite:///creditbank.db``).

        Nothing is read until it is used; :meth:`init` creates or upgrades the schema.

        :raises StoreError: when the URL is not a SQLite or PostgreSQL URL.
        """
        return cls(url or os.environ.get("CREDITENGINE_DB") or store.DEFAULT_URL)

    def __repr__(self) -> str:
        return f"Bank({self.shown_url!r})"

    @property
    def shown_url(self) -> str:
        """The bank's URL as messages show it (never with its password)."""
        return store.shown_url(self.url)

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def __enter__(self) -> Bank:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ------------------------------------------------------------------------------

    def init(self) -> str:
        """Create the schema, or upgrade it to this release's; returns the schema revision.

        :raises StoreError: when the database cannot be reached, or its schema is newer than this release.
        """
        store.migrate(self._engine)
        self._checked = True
        return store.head_revision()

    def revision(self) -> str | None:
        """The bank's schema revision (None when it has not been initialised)."""
        with store.transaction(self._engine) as connection:
            return store.current_revision(connection)

    def _ready(self) -> None:
        if self._checked:
            return
        current, head = self.revision(), store.head_revision()
        shown = self.shown_url
        if current is None:
            raise BankUnavailableError(f"{shown}: not a skill bank yet; run: creditengine bank init --db URL")
        if current != head:
            raise BankUnavailableError(
                f"{shown}: the bank's schema is at revision {current}, this release needs {head}; "
                "run: creditengine bank init --db URL"
            )
        self._checked = True

    # -- imports -----------------------------------------------------------------------------

    def import_records(
        self,
        paths: Sequence[str | os.PathLike[str]],
        *,
        format: str | None = None,
        replace: bool = False,
        limits: Limits = DEFAULT_LIMITS,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Import worker records from files, all or nothing.

        Every file is read and validated before anything is written; the batch is then written in
        one transaction. Achievements already in the bank with the same content are left as they
        are (importing a file twice changes nothing); one whose content differs under the same
        evidence id is a conflict, reported with where it was read, unless ``replace``.

        :param format: ``yaml``, ``json`` or ``csv``; by default each file's extension decides.
        :param replace: accept changed achievements and worker fields (they replace the stored ones).
        :param progress: called with (workers written, workers in the batch) as writing advances.
        :raises RecordError: with every problem of every file (FILE:LINE:COL: message), or every
            conflict with the bank; nothing is written.
        :raises StoreError: when the bank cannot be used.
        """
        problems: list[Problem] = []
        batch: list[Incoming] = []
        for path in paths:
            try:
                batch.extend(read_file(Path(path), limits, format))
            except RecordError as bad:
                problems.extend(bad.problems)
        if problems:
            raise RecordError(problems[0].message, problems=problems)
        return self.import_incoming(batch, files=len(paths), replace=replace, progress=progress)

    def import_population(
        self, records: Iterable[Mapping[str, Any]], *, source: str, progress: Progress | None = None
    ) -> ImportReport:
        """Import records given as plain mappings (``creditengine generate --db``), all or nothing.

        :param source: what the achievements' ``source`` says they came from.
        :raises RecordError: when a record is invalid; nothing is written.
        """
        batch = [Incoming(load_record(dict(raw)), source) for raw in records]
        return self.import_incoming(batch, files=0, replace=False, progress=progress)

    def import_incoming(
        self,
        batch: Sequence[Incoming],
        *,
        files: int,
        replace: bool = False,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Write validated records in one transaction (see :meth:`import_records`)."""
        self._ready()
        planned, problems = _plan(batch)
        if problems:
            raise RecordError(problems[0].message, problems=problems)
        ids = sorted(planned)
        now = _now()
        counts = {"workers_new": 0, "workers_changed": 0, "new": 0, "unchanged": 0, "replaced": 0}
        with store.transaction(self._engine) as connection:
            writes: list[tuple[list[str], dict[str, Any]]] = []
            for chunk in _chunks(ids, _CHUNK):
                stored_workers, stored_items = _stored(connection, chunk)
                plan = _compare(planned, chunk, stored_workers, stored_items, replace, problems, counts)
                writes.append((chunk, plan))
            if problems:
                raise RecordError(problems[0].message, problems=problems)
            done = 0
            for chunk, plan in writes:
                _write(connection, plan, now)
                done += len(chunk)
                if progress is not None:
                    progress(done, len(ids))
        return ImportReport(
            files=files,
            workers_new=counts["workers_new"],
            workers_changed=counts["workers_changed"],
            achievements_new=counts["new"],
            achievements_unchanged=counts["unchanged"],
            achievements_replaced=counts["replaced"],
        )

    # -- reading -----------------------------------------------------------------------------

    def worker(self, worker_id: str) -> WorkerRecord:
        """A worker's record as the bank holds it: every achievement imported, in import order.

        :raises StoreError: when the worker is not in the bank (or the bank cannot be used).
        """
        self._ready()
        with store.transaction(self._engine) as connection:
            found = _raw_records(connection, [worker_id])
        if not found:
            raise StoreError(f"worker {worker_id} is not in the bank")
        return load_record(found[0])

    def worker_ids(self) -> list[str]:
        """Every worker's id, sorted."""
        self._ready()
        with store.transaction(self._engine) as connection:
            return list(connection.scalars(sa.select(store.WORKER.c.id).order_by(store.WORKER.c.id)))

    def counts(self) -> dict[str, int]:
        """How many workers, achievements, packs and evaluations the bank holds."""
        self._ready()
        tables = {
            "workers": store.WORKER,
            "achievements": store.ACHIEVEMENT,
            "packs": store.PACK,
            "evaluations": store.EVALUATION,
        }
        with store.transaction(self._engine) as connection:
            return {
                name: connection.scalar(sa.select(sa.func.count()).select_from(row)) or 0
                for name, row in tables.items()
            }

    def evaluations(self, worker_id: str) -> list[StoredEvaluation]:
        """A worker's stored evaluations, newest ``as_of`` first."""
        self._ready()
        with store.transaction(self._engine) as connection:
            return _evaluations(connection, worker_id)

    # -- evaluation --------------------------------------------------------------------------

    def evaluate(
        self,
        engine: Engine,
        *,
        as_of: dt.date,
        workers: Sequence[str] | None = None,
        chunk: int = _CHUNK,
        processes: int = 1,
        progress: Progress | None = None,
    ) -> EvaluationReport:
        """Evaluate workers with ``engine``'s pack on ``as_of`` and store the results.

        Workers are read, evaluated and written in chunks; each chunk is committed on its own, so
        memory stays bounded and an interrupted run keeps its finished chunks. A worker already
        evaluated with this pack and date, and not changed by an import since, is not evaluated
        again: a second run resumes where the first stopped.

        :param workers: only these workers (default: every worker).
        :param chunk: workers per chunk (and per transaction).
        :param processes: worker processes for evaluation (see :meth:`Engine.evaluate_many`).
        :param progress: called with (workers done, workers to do) after each chunk.
        :raises StoreError: when a named worker is not in the bank, or the bank cannot be used.
        :raises EvaluationError: when a rule cannot be applied to a worker (the chunk is not written).
        """
        if chunk < 1:
            raise ValueError(f"chunk must be at least 1, got {chunk}")
        self._ready()
        pack = engine.pack
        with store.transaction(self._engine) as connection:
            _remember_pack(connection, engine)
            considered, pending = _count_to_evaluate(connection, pack.fingerprint, as_of, workers)
        # Keyset pages of worker ids: memory holds one chunk, however many workers the bank has.
        done, after = 0, None
        while True:
            with store.transaction(self._engine) as connection:
                ids = _next_to_evaluate(connection, pack.fingerprint, as_of, workers, after, chunk)
                if not ids:
                    break
                raws = _raw_records(connection, ids)
                revisions = dict(
                    connection.execute(
                        sa.select(store.WORKER.c.id, store.WORKER.c.revision).where(
                            store.WORKER.c.id.in_(ids)
                        )
                    ).all()
                )
                results = list(engine.evaluate_many(raws, as_of=as_of, processes=processes))
                _store_results(connection, results, revisions, _now())
            after = ids[-1]
            done += len(ids)
            if progress is not None:
                progress(done, max(pending, done))
        return EvaluationReport(pack.name, pack.fingerprint, as_of, done, considered - pending)


def _chunks(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _plan(batch: Sequence[Incoming]) -> tuple[dict[str, _Planned], list[Problem]]:
    """Merge a batch by worker; the same evidence given twice with different content is a problem."""
    planned: dict[str, _Planned] = {}
    problems: list[Problem] = []
    for incoming in batch:
        record = incoming.record
        ident = record.worker.id
        fields = _worker_fields(record)
        entry = planned.get(ident)
        if entry is None:
            entry = planned[ident] = _Planned(fields, incoming, {})
        else:
            for key, value in fields.items():
                if value is None:
                    continue
                if entry.worker[key] is None:
                    entry.worker[key] = value
                elif entry.worker[key] != value:
                    problems.append(
                        Problem(
                            incoming.locate_worker(),
                            f"worker {ident}: its {key} differs from the record at "
                            f"{entry.first.locate_worker()}",
                        )
                    )
        for index, item in enumerate(record.achievements):
            data = canonical_json(item.model_dump(exclude_none=True))
            earlier = entry.achievements.get(item.id)
            if earlier is not None:
                if earlier[0] != data:
                    problems.append(
                        Problem(
                            incoming.locate(index),
                            f"worker {ident}, achievement {item.id}: differs from the one at "
                            f"{earlier[3].locate(earlier[4])}",
                        )
                    )
                continue
            entry.achievements[item.id] = (data, item.type, item.completed, incoming, index)
    return planned, problems


def _stored(
    connection: sa.Connection, ids: list[str]
) -> tuple[dict[str, Any], dict[tuple[str, str], tuple[str, int]]]:
    W, A = store.WORKER, store.ACHIEVEMENT
    workers = {row.id: row for row in connection.execute(sa.select(W).where(W.c.id.in_(ids)))}
    items = {
        (row.worker_id, row.evidence_id): (row.data, row.seq)
        for row in connection.execute(
            sa.select(A.c.worker_id, A.c.evidence_id, A.c.data, A.c.seq).where(A.c.worker_id.in_(ids))
        )
    }
    return workers, items


def _compare(
    planned: dict[str, _Planned],
    chunk: list[str],
    stored_workers: dict[str, Any],
    stored_items: dict[tuple[str, str], tuple[str, int]],
    replace: bool,
    problems: list[Problem],
    counts: dict[str, int],
) -> dict[str, Any]:
    """What to write for one chunk of workers; conflicts with the bank go to ``problems``."""
    plan: dict[str, Any] = {"workers_new": [], "workers_update": [], "items_new": [], "items_replace": []}
    next_seq: dict[str, int] = {}
    for (worker_id, _), (_, seq) in stored_items.items():
        next_seq[worker_id] = max(next_seq.get(worker_id, 0), seq + 1)
    for ident in chunk:
        entry = planned[ident]
        row = stored_workers.get(ident)
        changed = False
        if row is None:
            plan["workers_new"].append({"id": ident, **{k: v for k, v in entry.worker.items()}})
            counts["workers_new"] += 1
        else:
            update: dict[str, Any] = {}
            for key, value in entry.worker.items():
                held = getattr(row, key)
                held = None if key == "attributes" and held == "{}" else held
                if value is None or value == held:
                    continue
                if held is None or replace:
                    update[key] = value
                else:
                    problems.append(
                        Problem(
                            entry.first.locate_worker(),
                            f"worker {ident}: its {key} differs from the bank's; "
                            "use --replace to accept the new one",
                        )
                    )
            if update:
                plan["workers_update"].append((ident, update))
                changed = True
        seq = next_seq.get(ident, 0)
        for evidence, (data, kind, day, incoming, index) in entry.achievements.items():
            held_item = stored_items.get((ident, evidence))
            values = {"type": kind, "completed": day, "data": data, "source": incoming.source}
            if held_item is None:
                plan["items_new"].append({"worker_id": ident, "evidence_id": evidence, "seq": seq, **values})
                seq += 1
                counts["new"] += 1
                changed = True
            elif held_item[0] == data:
                counts["unchanged"] += 1
            elif replace:
                plan["items_replace"].append((ident, evidence, values))
                counts["replaced"] += 1
                changed = True
            else:
                problems.append(
                    Problem(
                        incoming.locate(index),
                        f"worker {ident}, achievement {evidence}: differs from the one in the bank "
                        "(same evidence id); use --replace to accept the new one",
                    )
                )
        if changed and row is not None:
            plan.setdefault("bump", []).append(ident)
            counts["workers_changed"] += 1
    return plan


def _write(connection: sa.Connection, plan: dict[str, Any], now: dt.datetime) -> None:
    W, A = store.WORKER, store.ACHIEVEMENT
    if plan["workers_new"]:
        connection.execute(
            sa.insert(W),
            [
                {**w, "attributes": w["attributes"] or "{}", "revision": 1, "imported_at": now}
                for w in plan["workers_new"]
            ],
        )
    for ident, update in plan["workers_update"]:
        connection.execute(sa.update(W).where(W.c.id == ident).values(**update))
    for ident in plan.get("bump", []):
        connection.execute(sa.update(W).where(W.c.id == ident).values(revision=W.c.revision + 1))
    if plan["items_new"]:
        connection.execute(sa.insert(A), [{**item, "imported_at": now} for item in plan["items_new"]])
    for ident, evidence, values in plan["items_replace"]:
        connection.execute(
            sa.update(A)
            .where(A.c.worker_id == ident, A.c.evidence_id == evidence)
            .values(**values, imported_at=now)
        )


def _raw_records(connection: sa.Connection, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Workers' records as plain mappings, in the order of ``ids``, achievements in import order."""
    W, A = store.WORKER, store.ACHIEVEMENT
    workers = {row.id: row for row in connection.execute(sa.select(W).where(W.c.id.in_(ids)))}
    items: dict[str, list[Any]] = {}
    query = sa.select(A.c.worker_id, A.c.data).where(A.c.worker_id.in_(ids)).order_by(A.c.worker_id, A.c.seq)
    for worker_id, data in connection.execute(query):
        items.setdefault(worker_id, []).append(_loads(data))
    out = []
    for ident in ids:
        row = workers.get(ident)
        if row is None:
            continue
        worker: dict[str, Any] = {"id": ident}
        if row.name is not None:
            worker["name"] = row.name
        if row.jurisdiction is not None:
            worker["jurisdiction"] = row.jurisdiction
        attributes = _loads(row.attributes)
        if attributes:
            worker["attributes"] = attributes
        out.append({"worker": worker, "achievements": items.get(ident, [])})
    return out


def _pack_source(root: str) -> dict[str, str]:
    base = Path(root)
    return {
        path.relative_to(base).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(base.rglob("*"))
        if path.suffix in (".yaml", ".yml") and path.is_file()
    }


def _remember_pack(connection: sa.Connection, engine: Engine) -> None:
    pack = engine.pack
    P = store.PACK
    if connection.scalar(sa.select(P.c.fingerprint).where(P.c.fingerprint == pack.fingerprint)) is not None:
        return
    versions = {group.id: [item.meta.version for item in group.items] for group in pack.groups()}
    connection.execute(
        sa.insert(P).values(
            fingerprint=pack.fingerprint,
            name=pack.name,
            versions=canonical_json(versions),
            source=canonical_json(_pack_source(pack.root)),
            seen_at=_now(),
        )
    )


def _pending(fingerprint: str, as_of: dt.date, only: Sequence[str] | None) -> sa.Select[tuple[str]]:
    """Workers with no up-to-date evaluation for this pack and date (changed by an import since)."""
    W, E = store.WORKER, store.EVALUATION
    current = sa.and_(
        E.c.worker_id == W.c.id,
        E.c.pack_fingerprint == fingerprint,
        E.c.as_of == as_of,
        E.c.worker_revision == W.c.revision,
    )
    query = sa.select(W.c.id).where(~sa.exists().where(current))
    return query if only is None else query.where(W.c.id.in_(list(only)))


def _count_to_evaluate(
    connection: sa.Connection, fingerprint: str, as_of: dt.date, only: Sequence[str] | None
) -> tuple[int, int]:
    """(workers considered, workers to evaluate); a named worker not in the bank is an error."""
    W = store.WORKER
    everyone = sa.select(sa.func.count()).select_from(W)
    if only is not None:
        found = set(connection.scalars(sa.select(W.c.id).where(W.c.id.in_(list(only)))))
        missing = sorted(set(only) - found)
        if missing:
            more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
            raise StoreError(f"worker {missing[0]}{more} not in the bank")
        everyone = everyone.where(W.c.id.in_(list(only)))
    pending = sa.select(sa.func.count()).select_from(_pending(fingerprint, as_of, only).subquery())
    return connection.scalar(everyone) or 0, connection.scalar(pending) or 0


def _next_to_evaluate(
    connection: sa.Connection,
    fingerprint: str,
    as_of: dt.date,
    only: Sequence[str] | None,
    after: str | None,
    size: int,
) -> list[str]:
    """The next ``size`` workers to evaluate, by id, after ``after``."""
    query = _pending(fingerprint, as_of, only)
    if after is not None:
        query = query.where(store.WORKER.c.id > after)
    return list(connection.scalars(query.order_by(store.WORKER.c.id).limit(size)))


def _store_results(
    connection: sa.Connection, results: list[Result], revisions: Mapping[str, int], now: dt.datetime
) -> None:
    E = store.EVALUATION
    if not results:
        return
    fingerprint, as_of = results[0].pack.fingerprint, results[0].as_of
    ids = [r.worker for r in results]
    stale = sa.select(E.c.id).where(
        E.c.worker_id.in_(ids),
        E.c.pack_fingerprint == fingerprint,
        E.c.as_of == as_of,
    )
    old = list(connection.scalars(stale))
    if old:
        for child in (store.EVALUATION_CATEGORY, store.EVALUATION_STATUS, store.EVALUATION_CLAIM):
            connection.execute(sa.delete(child).where(child.c.evaluation_id.in_(old)))
        connection.execute(sa.delete(E).where(E.c.id.in_(old)))
    rows = [
        {
            "worker_id": r.worker,
            "pack_fingerprint": fingerprint,
            "as_of": as_of,
            "worker_revision": revisions[r.worker],
            "evaluated_at": now,
            "total_points": r.totals.all,
            "entitlement_amount": sum(
                (c.amount for c in r.entitlements if c.status == "granted"), Decimal(0)
            ),
            "transfer_credits": sum((t.credits for t in r.transfers if t.status == "granted"), Decimal(0)),
            "result": r.to_json(),
        }
        for r in results
    ]
    new_ids = list(connection.scalars(sa.insert(E).returning(E.c.id, sort_by_parameter_order=True), rows))
    categories, statuses, claims = [], [], []
    for ident, r in zip(new_ids, results, strict=True):
        categories += [{"evaluation_id": ident, "category": c, "points": p} for c, p in r.totals.by_category]
        statuses += [
            {"evaluation_id": ident, "policy": o.policy, "status": o.grants} for o in r.outcomes if o.met
        ]
        claims += [
            {
                "evaluation_id": ident,
                "seq": seq,
                "policy": c.policy,
                "status": c.status,
                "amount": c.amount,
                "currency": c.currency,
                "code": c.reason.code,
            }
            for seq, c in enumerate(r.entitlements)
        ]
    for table, values in (
        (store.EVALUATION_CATEGORY, categories),
        (store.EVALUATION_STATUS, statuses),
        (store.EVALUATION_CLAIM, claims),
    ):
        if values:
            connection.execute(sa.insert(table), values)


def _evaluations(connection: sa.Connection, worker_id: str) -> list[StoredEvaluation]:
    E, C, S = store.EVALUATION, store.EVALUATION_CATEGORY, store.EVALUATION_STATUS
    out = []
    query = sa.select(E).where(E.c.worker_id == worker_id).order_by(E.c.as_of.desc(), E.c.pack_fingerprint)
    for row in connection.execute(query).all():
        by_category = tuple(
            (category, points)
            for category, points in connection.execute(
                sa.select(C.c.category, C.c.points).where(C.c.evaluation_id == row.id).order_by(C.c.category)
            )
        )
        statuses = tuple(
            connection.scalars(sa.select(S.c.status).where(S.c.evaluation_id == row.id).order_by(S.c.status))
        )
        out.append(
            StoredEvaluation(
                worker=row.worker_id,
                fingerprint=row.pack_fingerprint,
                as_of=row.as_of,
                total_points=row.total_points,
                by_category=by_category,
                statuses=statuses,
                entitlement_amount=row.entitlement_amount,
                transfer_credits=row.transfer_credits,
                result_json=row.result,
            )
        )
    return out
