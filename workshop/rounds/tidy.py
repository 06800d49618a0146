"""The facilitator's ways of tidying a round's map: rename, merge, split, hide and show.

Each change is made but not committed: the caller records who made it, then `store`s both
in one transaction.
"""

from __future__ import annotations

from enum import StrEnum

from sqlmodel import Session, select

from facilitation.map_graph import MapActor, shown_as
from facilitation.network import MAX_NAME_LENGTH, actor_key, clean_name
from workshop.realtime import publish
from workshop.rounds import map_updates, measures
from workshop.store.models import Actor
from workshop.store.on_commit import on_commit


class TidyRefusal(StrEnum):
    """Why a tidying change was not made."""

    NOT_HERE = "not-here"
    NAME_EMPTY = "name-empty"
    NAME_TOO_LONG = "name-too-long"
    NAME_TAKEN = "name-taken"
    SAME_ACTOR = "same-actor"
    NOT_MERGED = "not-merged"


class TidyRefused(Exception):
    """A tidying change that cannot be made; `reason` says why."""

    def __init__(self, reason: TidyRefusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


def _actor(db: Session, round_id: int, actor_id: int) -> Actor:
    actor = db.get(Actor, actor_id)
    if actor is None or actor.round_id != round_id:
        raise TidyRefused(TidyRefusal.NOT_HERE)
    return actor


def rename(db: Session, round_id: int, actor_id: int, name: str) -> Actor:
    """Give an actor a clearer name; the words people typed stay in their own answers."""
    actor = _actor(db, round_id, actor_id)
    name = clean_name(name)
    if not name:
        raise TidyRefused(TidyRefusal.NAME_EMPTY)
    if len(name) > MAX_NAME_LENGTH:
        raise TidyRefused(TidyRefusal.NAME_TOO_LONG)
    key = actor_key(name)
    clash = db.exec(
        select(Actor).where(Actor.round_id == round_id, Actor.key == key, Actor.id != actor.id)
    ).first()
    if clash is not None:
        raise TidyRefused(TidyRefusal.NAME_TAKEN)
    actor.name, actor.key = name, key
    return _save(db, actor)


def merge(db: Session, round_id: int, actor_id: int, into_id: int) -> Actor:
    """Show an actor as another one (the same organisation named two ways). Undone by split."""
    actor = _actor(db, round_id, actor_id)
    into = _actor(db, round_id, into_id)
    shown = shown_as(
        MapActor(a.id, a.name, a.kind, merged_into=a.merged_into)
        for a in db.exec(select(Actor).where(Actor.round_id == round_id))
    )
    if shown[into.id] == shown[actor.id]:
        raise TidyRefused(TidyRefusal.SAME_ACTOR)
    actor.merged_into = shown[into.id]
    return _save(db, actor)


def split(db: Session, round_id: int, actor_id: int) -> Actor:
    """Undo a merge: the actor shows on its own again, with the ties people gave it."""
    actor = _actor(db, round_id, actor_id)
    if actor.merged_into is None:
        raise TidyRefused(TidyRefusal.NOT_MERGED)
    actor.merged_into = None
    return _save(db, actor)


def set_hidden(db: Session, round_id: int, actor_id: int, hidden: bool) -> Actor:
    """Leave an actor (and its ties) off the shared map, or put it back."""
    actor = _actor(db, round_id, actor_id)
    actor.hidden = hidden
    return _save(db, actor)


def merged_into_this(db: Session, actor: Actor) -> list[Actor]:
    """The actors shown as this one, to split off again."""
    rows = db.exec(select(Actor).where(Actor.merged_into == actor.id).order_by(Actor.name))
    return list(rows)


def store(db: Session, round_id: int) -> None:
    """Commit the change (with its record), then tell consoles and open maps."""
    on_commit(db, publish.console_changed, round_id, "map")
    on_commit(db, map_updates.publish_changes, db, round_id)
    on_commit(db, measures.schedule, round_id)
    db.commit()


def _save(db: Session, actor: Actor) -> Actor:
    db.add(actor)
    db.flush()  # a clash shows now, before anything is recorded
    return actor
