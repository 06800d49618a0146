"""Values about a round kept in this process for a few seconds: a room of hundreds loading
its pages in the same second asks the database once, not hundreds of times."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_KEPT: dict[tuple[str, int], tuple[float, object]] = {}
_MOST = 10_000  # entries; past it everything is dropped (a few bytes each)


def kept(what: str, round_id: int, seconds: float, read: Callable[[], T]) -> T:
    """`read()`, or what it returned less than `seconds` ago for this round."""
    now = time.monotonic()
    found = _KEPT.get((what, round_id))
    if found is not None and now - found[0] < seconds:
        return found[1]  # type: ignore[return-value]
    value = read()
    if len(_KEPT) >= _MOST:
        _KEPT.clear()
    _KEPT[(what, round_id)] = (now, value)
    return value


def forget(what: str, round_id: int) -> None:
    """It changed through this process: read it again next time. (Other processes see the
    change once their copy is older than its `seconds`.)"""
    _KEPT.pop((what, round_id), None)
