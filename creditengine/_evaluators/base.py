"""The interface every evaluator implements (one backend per module)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from .._ir import Pack
from .._record import WorkerRecord
from .._results import Result

__all__ = ["Evaluator"]


class Evaluator(Protocol):
    """Evaluates worker records against one compiled pack."""

    pack: Pack

    def evaluate(self, record: WorkerRecord, as_of: dt.date) -> Result:
        """Evaluate one record on ``as_of``; never mutates shared state."""
        ...
