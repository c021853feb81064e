"""The front door (SPEC §7): ``Engine`` loads a pack and evaluates records."""

from __future__ import annotations

import datetime as dt
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from importlib import resources
from pathlib import Path
from typing import Literal

from ._errors import RuleError
from ._evaluators.compiled import CompiledKernels
from ._ir import Pack
from ._limits import DEFAULT_LIMITS, Limits
from ._pack import load_pack
from ._pipeline import Pipeline
from ._record import WorkerRecord
from ._results import Result
from ._source import SourceLocation

__all__ = ["Engine", "default_pack_path"]

EngineName = Literal["compiled"]


def default_pack_path() -> Path:
    """Where the packaged default (Shenzhen) rule pack lives."""
    return Path(str(resources.files("creditengine.rules")))


class Engine:
    """A loaded rule pack ready to evaluate worker records.

    An engine is immutable after loading and safe to share between threads;
    several engines (packs, or versions of one pack) can coexist.

    :param pack: a compiled pack (see :meth:`load`).
    :param engine: the evaluator, by name.

    >>> engine = Engine.load()                      # the default pack
    >>> engine.pack.name
    'shenzhen'

    .. versionadded:: 0.1
    """

    def __init__(
        self, pack: Pack, *, engine: EngineName = "compiled", limits: Limits = DEFAULT_LIMITS
    ) -> None:
        if engine != "compiled":
            raise ValueError(f"unknown evaluator {engine!r}; available: compiled")
        self.pack = pack
        self.engine_name = engine
        self.limits = limits
        # Worker processes reload the pack from here (absolute: immune to a later chdir).
        self._source = str(Path(pack.root).resolve())
        self._evaluator = Pipeline(pack, CompiledKernels(pack))

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        engine: EngineName = "compiled",
        limits: Limits = DEFAULT_LIMITS,
    ) -> Engine:
        """Load, validate and compile a rule pack folder (default: the packaged pack).

        :raises RuleError: with every problem, each at FILE:LINE:COL.
        """
        pack = load_pack(path if path is not None else default_pack_path(), limits=limits)
        return cls(pack, engine=engine, limits=limits)

    def evaluate(self, record: WorkerRecord, *, as_of: dt.date) -> Result:
        """Evaluate one worker record on ``as_of``.

        :param record: a validated record (see :func:`load_record`).
        :param as_of: the evaluation date: policies in force then decide.
        :raises EvaluationError: when a rule cannot be applied to this record.
        :raises RecordError: when the record's attributes do not fit the pack.
        """
        if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
            raise TypeError("as_of must be a datetime.date")
        return self._evaluator.evaluate(record, as_of)

    def evaluate_many(
        self, records: Iterable[WorkerRecord], *, as_of: dt.date, processes: int = 1, window: int = 256
    ) -> Iterator[Result]:
        """Evaluate many records, yielding results in input order with bounded memory.

        :param records: any iterable of records; it is read as results are consumed.
        :param as_of: the evaluation date.
        :param processes: worker processes; 1 evaluates in this process. Records and
            results cross process boundaries by pickling, which costs about as much as
            evaluating them with the default pack: more processes pay off only for
            packs whose rules cost more than that.
        :param window: with several processes, at most this many records are handed to
            them and not yet yielded at once (they travel in chunks of about
            ``window / (2 * processes)``), so memory stays bounded.
        :raises ValueError: when ``window`` is not a whole number of at least 1.

        >>> records = load_records("examples/course-heavy-capped.yaml")
        >>> [r.totals.all for r in engine.evaluate_many(records, as_of=dt.date(2025, 12, 31))]
        [Decimal('72.0')]
        """
        if isinstance(window, bool) or not isinstance(window, int) or window < 1:
            raise ValueError(f"window must be a whole number of records, at least 1; got {window!r}")
        return self._evaluate_many(records, as_of, processes, window)

    def _evaluate_many(
        self, records: Iterable[WorkerRecord], as_of: dt.date, processes: int, window: int
    ) -> Iterator[Result]:
        if processes <= 1:
            for record in records:
                yield self.evaluate(record, as_of=as_of)
            return
        # Two chunks per process keep each one busy while the next chunk waits.
        chunk_size = max(1, window // (2 * processes))
        most_pending = max(1, window // chunk_size)
        with ProcessPoolExecutor(
            max_workers=processes,
            initializer=_init_worker,
            initargs=(self._source, self.engine_name, self.limits, self.pack.fingerprint),
        ) as pool:
            # Records travel in chunks: one round trip per chunk, not per record.
            pending: deque[Future[list[Result]]] = deque()
            chunk: list[WorkerRecord] = []
            for record in records:
                chunk.append(record.detached())
                if len(chunk) >= chunk_size:
                    pending.append(pool.submit(_evaluate_in_worker, chunk, as_of))
                    chunk = []
                    if len(pending) >= most_pending:
                        yield from pending.popleft().result()
            if chunk:
                pending.append(pool.submit(_evaluate_in_worker, chunk, as_of))
            while pending:
                yield from pending.popleft().result()


_WORKER_ENGINE: Engine | None = None


def _init_worker(root: str, engine: EngineName, limits: Limits, fingerprint: str) -> None:
    # Each process loads the pack from its folder: IR is never pickled.
    global _WORKER_ENGINE
    _WORKER_ENGINE = Engine.load(root, engine=engine, limits=limits)
    if _WORKER_ENGINE.pack.fingerprint != fingerprint:
        raise RuleError("the rule pack changed on disk since it was loaded", location=SourceLocation(root))


def _evaluate_in_worker(records: list[WorkerRecord], as_of: dt.date) -> list[Result]:
    assert _WORKER_ENGINE is not None
    return [_WORKER_ENGINE.evaluate(record, as_of=as_of) for record in records]
