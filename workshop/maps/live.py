"""Keep every open map up to date: after each change is stored, send what changed, small."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from sqlmodel import Session

from workshop.maps.canvas import delta, payload, positioned_graph
from workshop.realtime import publish

# The last map each round's open canvases were sent, per process, to diff the next one
# against. A round this process has not drawn yet gets {"reset": true}: fetch it whole.
_LAST: OrderedDict[int, dict] = OrderedDict()
_ROUNDS_KEPT = 256


def current(session: Session, round_id: int) -> dict[str, Any]:
    """The whole map for a first draw; the next delta is measured from it."""
    graph, positions = positioned_graph(session, round_id)
    drawn = payload(graph, positions)
    _remember(round_id, drawn)
    return drawn


def publish_changes(session: Session, round_id: int) -> None:
    """Send open maps the difference a stored change made (nothing, if it made none)."""
    before = _LAST.get(round_id)
    graph, positions = positioned_graph(session, round_id)
    after = payload(graph, positions)
    _remember(round_id, after)
    change = {"reset": True} if before is None else delta(before, after)
    if change is not None and _size(change) > BIG_CHANGE:
        change = {"reset": True}  # an import of thousands: cheaper to fetch it whole once
    if change is not None:
        publish.map_delta(round_id, change)


BIG_CHANGE = 500  # actors and ties in one delta; above it, open maps fetch the whole map


def _size(change: dict) -> int:
    parts = [change.get("nodes"), change.get("edges")]
    return sum(len(p["added"]) + len(p["changed"]) + len(p["removed"]) for p in parts if p)


def _remember(round_id: int, drawn: dict) -> None:
    _LAST[round_id] = drawn
    _LAST.move_to_end(round_id)
    while len(_LAST) > _ROUNDS_KEPT:
        _LAST.popitem(last=False)
