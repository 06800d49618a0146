"""Keep every open map up to date: after each change is stored, send what changed, small."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from flask import current_app
from sqlmodel import Session

from workshop.realtime import publish
from workshop.realtime.last_sent import LastSent, Unavailable
from workshop.rounds.canvas import delta, payload, positioned_graph

RESET = {"reset": True}  # open maps fetch the whole map


def current(db: Session, round_id: int) -> dict[str, Any]:
    """The whole map for a first draw; the next delta is measured from it, unless one is
    already measured from an earlier map (a map sent since would be skipped otherwise)."""
    graph, positions = positioned_graph(db, round_id)
    drawn = payload(graph, positions)
    with suppress(Unavailable):  # nothing kept: the next change sends {"reset": true}
        _last_sent().seed(round_id, drawn)
    return drawn


def nobody_watching(round_id: int) -> None:
    """A change was stored while no map was open: forget the map last sent, so the next
    first draw is what the next change is measured from (not a map from before both)."""
    with suppress(Unavailable):
        _last_sent().forget(round_id)


def publish_changes(db: Session, round_id: int) -> None:
    """Send open maps the difference a stored change made (nothing, if it made none).

    Read, compute, keep and send happen while the round is held, in every process at
    once: two changes are never both measured against the same "before"."""
    store = _last_sent()
    try:
        with store.held(round_id):
            before = store.read(round_id)
            graph, positions = positioned_graph(db, round_id)
            after = payload(graph, positions)
            store.keep(round_id, after)
            change = RESET if before is None else delta(before, after)
            if change is not None and _size(change) > BIG_CHANGE:
                change = RESET  # an import of thousands: cheaper to fetch it whole once
            if change is not None:
                publish.map_delta(round_id, change)
    except Unavailable as error:
        current_app.logger.warning("map store unavailable, maps fetch it whole: %s", error)
        publish.map_delta(round_id, RESET)


BIG_CHANGE = 500  # actors and ties in one delta; above it, open maps fetch the whole map


def _size(change: dict) -> int:
    parts = [change.get("nodes"), change.get("edges")]
    return sum(len(p["added"]) + len(p["changed"]) + len(p["removed"]) for p in parts if p)


def _last_sent() -> LastSent:
    return current_app.extensions["roundtable.last_sent"]
