"""Views of result JSON for tests that check sentences and figures, not reason codes."""

from __future__ import annotations

from typing import Any


def sentences(value: Any) -> Any:
    """``value`` without the machine-readable ``code``/``params`` keys and ``*_reason(s)`` entries.

    Tests written before reasons had codes compare this view; the codes have tests of their own.
    """
    if isinstance(value, dict):
        return {
            k: sentences(v)
            for k, v in value.items()
            if k not in ("code", "params") and not k.endswith(("_reason", "_reasons"))
        }
    if isinstance(value, list):
        return [sentences(v) for v in value]
    return value
