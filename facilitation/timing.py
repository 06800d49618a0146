"""Planned minutes and time guides: running totals, and what is left of a guide."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime

MAX_MINUTES = 240  # one step planned for at most four hours
EXTEND_BY = 2  # minutes added by "More time"


def running_totals(minutes: Iterable[int | None]) -> list[int]:
    """The planned minutes by the end of each step (a step with no plan adds nothing).

    >>> running_totals([5, None, 10, 3])
    [5, 5, 15, 18]
    """
    totals, total = [], 0
    for planned in minutes:
        total += planned or 0
        totals.append(total)
    return totals


def minutes_left(ends_at: datetime, now: datetime) -> int:
    """Whole minutes left of a time guide, rounded up, and never below zero.

    >>> from datetime import UTC, datetime, timedelta
    >>> start = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    >>> minutes_left(start + timedelta(seconds=61), start), minutes_left(start, start)
    (2, 0)
    """
    return max(0, math.ceil((ends_at - now).total_seconds() / 60))


def check_minutes(text: str) -> int | None:
    """Planned minutes as typed: empty is no plan; a whole number 0 to MAX_MINUTES.

    >>> check_minutes(" 12 "), check_minutes("")
    (12, None)
    """
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_MINUTES:
        raise ValueError(text)
    return int(text)
