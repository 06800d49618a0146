"""Keep every open map up to date: after each change is stored, send what changed, small.

The map last sent is kept (see `last_sent`), and a participant's change is applied to it:
only what the change touched is read again (`map_patch`). Other changes, and any change
when no map is kept, draw the map whole and send the difference.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from flask import current_app
from sqlmodel import Session

from workshop.realtime import publish
from workshop.realtime.last_sent import LastSent, Unavailable, apply
from workshop.rounds.canvas import delta, drawn, kept, positioned_graph
from workshop.rounds.map_patch import Redraw, Touched, patch

RESET = {"reset": True}  # open maps fetch the whole map
# Changes applied to a kept map before it is drawn whole again: a change whose telling was
# lost (a process that died between storing it and sending it) is mended by then.
REDRAW_AFTER = 500


def current(db: Session, round_id: int) -> dict[str, Any]:
    """The whole map for a first draw: the kept map, when one is kept (every change since
    it was drawn is applied to it, and every later one is sent as a delta: a room of
    hundreds opening the map reads it, not the database); else drawn from the database,
    and kept: the next delta is measured from it."""
    store = _last_sent()
    with suppress(Unavailable), store.held(round_id):
        found = store.read(round_id)
        if found is not None and "merged" in found:
            # Copies of the two lists (their entries are never changed, only replaced):
            # the response is made after the round is let go.
            return {"nodes": dict(found["nodes"]), "edges": dict(found["edges"])}
    whole = kept(*positioned_graph(db, round_id))
    with suppress(Unavailable):  # nothing kept: the next change sends {"reset": true}
        store.seed(round_id, whole)
    return drawn(whole)


def nobody_watching(round_id: int, touched: Touched | None = None) -> None:
    """A change was stored while no map was open: forget the map last sent, so the next
    first draw is what the next change is measured from (not a map from before both)."""
    with suppress(Unavailable):
        _last_sent().forget(round_id, _names_may_differ(touched))


def version(round_id: int, names: bool = False) -> str | None:
    """A token that differs after every change to the round's map (with `names`, every
    change that may have altered its names), in every process; None when the store cannot
    be reached (then nothing may be reused)."""
    try:
        return _last_sent().version(round_id, names)
    except Unavailable:
        return None


def publish_changes(db: Session, round_id: int, touched: Touched | None = None) -> None:
    """Send open maps the difference a stored change made (nothing, if it made none).
    `touched` says what a participant's change wrote; without it the map is drawn whole.

    Read, compute, keep and send happen while the round is held, in every process at
    once: two changes are never both measured against the same "before"."""
    store = _last_sent()
    try:
        with store.held(round_id):
            before = store.read(round_id)
            try:
                if not _patchable(before, touched):
                    raise Redraw
                change = _patched(db, round_id, before, touched)
            except Redraw:
                after = kept(*positioned_graph(db, round_id))
                store.keep(round_id, after, names=_names_may_differ(touched))
                change = RESET if before is None else delta(before, after)
            if change is not None and _size(change) > BIG_CHANGE:
                change = RESET  # an import of thousands: cheaper to fetch it whole once
            if change is not None:
                publish.map_delta(round_id, change)
    except Unavailable as error:
        current_app.logger.warning("map store unavailable, maps fetch it whole: %s", error)
        publish.map_delta(round_id, RESET)


BIG_CHANGE = 500  # actors and ties in one delta; above it, open maps fetch the whole map


def _patchable(before: dict | None, touched: Touched | None) -> bool:
    """Whether a change can be applied to the kept map rather than the map drawn whole."""
    return (
        before is not None
        and touched is not None
        and "merged" in before  # kept by a version that kept no merges
        and before.get("patched", 0) < REDRAW_AFTER
    )


def _patched(db: Session, round_id: int, before: dict, touched: Touched) -> dict | None:
    """Apply a participant's change to the kept map, and keep it; the delta it made."""
    store = _last_sent()
    try:
        change = patch(db, round_id, before, touched)
    except Redraw:
        raise
    except Exception:
        store.forget(round_id)  # a change half-read must not stay on the kept map
        raise
    names = _names_may_differ(touched)
    if change is None:
        store.changed(round_id, names)  # who named what may have changed, if nothing drawn did
        return None
    apply(before, change)
    before["patched"] = before.get("patched", 0) + 1
    store.keep(round_id, before, change, names)
    return change


def _names_may_differ(touched: Touched | None) -> bool:
    """False only for a change that says it wrote ties alone: the names on the map (and the
    lists of them pages show) are as they were."""
    return touched is None or bool(touched.actors)


def _size(change: dict) -> int:
    parts = [change.get("nodes"), change.get("edges")]
    return sum(len(p["added"]) + len(p["changed"]) + len(p["removed"]) for p in parts if p)


def _last_sent() -> LastSent:
    return current_app.extensions["roundtable.last_sent"]
