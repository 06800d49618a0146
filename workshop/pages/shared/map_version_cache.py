"""The map in words worked out once per map version, and shared by everyone who sees the same.

What a page lists of the whole map (every name on show, every connection in words, the names a
connect step offers) is the same for everyone in a round until the map changes: hundreds of
people at one step would otherwise each read and sort the whole map. Entries are keyed by the
round, the map's version (`map_updates.version`: it moves on with every change, in every
process, from the shared store) and what else the words depend on (the codebook's labels, in
the page's language). Without a version (the store is unreachable) nothing is reused. An entry
also ages out after MAX_AGE seconds, so a change whose telling was lost shows soon anyway.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from workshop.rounds import map_updates

T = TypeVar("T")

ENTRIES = 256  # a few kinds of list, for the rounds running now
MAX_AGE = 60.0  # seconds

_entries: OrderedDict[Hashable, tuple[float, object]] = OrderedDict()
_lock = threading.Lock()


def shared(round_id: int, what: Hashable, compute: Callable[[], T], names: bool = False) -> T:
    """`compute()`'s result for this round's map as it is now, worked out once per map
    version and `what` (which list, and anything else it depends on). With `names`, for a
    list of the map's names alone: a change to ties alone keeps it. The result is shared:
    never change it."""
    version = map_updates.version(round_id, names)
    if version is None:
        return compute()
    key = (round_id, version, names, what)
    now = time.monotonic()
    with _lock:
        found = _entries.get(key)
        if found is not None and now - found[0] <= MAX_AGE:
            _entries.move_to_end(key)
            return found[1]  # type: ignore[return-value]
    value = compute()  # two at once may both compute: the same result, kept once
    with _lock:
        _entries[key] = (now, value)
        _entries.move_to_end(key)
        while len(_entries) > ENTRIES:
            _entries.popitem(last=False)
    return value
