"""What the golden-output test compares: every figure, status and sentence of a result.

The machine-readable ``code``/``params`` beside each sentence are left out, so the
digests taken before reasons had codes still apply; the sentences, in English and
Chinese, stand for the reasons.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from creditengine import Result

#: Evaluation dates: before, inside and after most effective windows and expiries.
DATES = (dt.date(2019, 6, 30), dt.date(2025, 12, 31), dt.date(2031, 3, 15))
SEED, WORKERS = 2026, 10_000


def without_codes(value: Any) -> Any:
    """``value`` without the ``code``/``params`` keys and ``*_reasons`` entries."""
    if isinstance(value, dict):
        return {
            k: without_codes(v)
            for k, v in value.items()
            if k not in ("code", "params") and not k.endswith(("_codes", "_reason", "_reasons"))
        }
    if isinstance(value, list):
        return [without_codes(v) for v in value]
    return value


def canonical(result: Result) -> str:
    """Both languages of one result as one text."""
    return json.dumps(
        [without_codes(result.to_dict("en")), without_codes(result.to_dict("zh"))], ensure_ascii=False
    )


def digest(texts: list[str]) -> str:
    """A short digest of one worker's results on every date."""
    return hashlib.sha256("\n".join(texts).encode()).hexdigest()[:20]
