"""What the commands share in reading their options: dates as staff write them."""

from __future__ import annotations

import datetime as dt
import re

import typer

__all__ = ["as_of_day"]

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def as_of_day(value: str | None) -> dt.date:
    """An ``--as-of`` value: YYYY-MM-DD, or today when not given."""
    if value is None:
        return dt.date.today()
    # fromisoformat alone also takes 20251231 and 2025-W01-1; staff write (and read) YYYY-MM-DD.
    if not _ISO_DAY.fullmatch(value):
        raise typer.BadParameter(f"{value!r} is not a date written YYYY-MM-DD, e.g. 2025-12-31")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a real date (YYYY-MM-DD)") from None
