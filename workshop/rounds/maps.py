"""The round's shared map from the database, and what participants are shown of it."""

from __future__ import annotations

from collections.abc import Collection

import networkx as nx
from sqlalchemy import ColumnElement, and_
from sqlmodel import Session, col, select

from facilitation.answers import Names
from facilitation.map_graph import MapActor, MapTie, build_graph, shown_as
from questionnaires.schema import Codebook
from workshop.realtime import publish
from workshop.rounds import lifecycle
from workshop.store import lookup
from workshop.store.models import Actor, MapDisplay, Round, Tie, utcnow
from workshop.store.on_commit import on_commit


def actor_rows(db: Session, round_id: int) -> list[Actor]:
    """Every actor row of a round, oldest first."""
    return list(db.exec(select(Actor).where(Actor.round_id == round_id).order_by(Actor.id)))


def on_show() -> ColumnElement[bool]:
    """`facilitation.map_graph.on_show` as a filter on Actor rows (not hidden, not merged
    into another), for lists of names that must not read every actor of a big map."""
    return and_(Actor.hidden.is_(False), Actor.merged_into.is_(None))


def map_data(
    db: Session, round_id: int, rows: list[Actor] | None = None
) -> tuple[list[MapActor], list[MapTie]]:
    """Every actor and tie of a round, as the map model reads them."""
    if rows is None:  # only the columns the map reads: whole rows cost far more to make
        columns = (Actor.id, Actor.name, Actor.kind, Actor.layer, Actor.added_by)
        query = select(*columns, Actor.hidden, Actor.merged_into)
        actors = [
            MapActor(*row)
            for row in db.exec(query.where(Actor.round_id == round_id).order_by(Actor.id))
        ]
    else:
        actors = [
            MapActor(a.id, a.name, a.kind, a.layer, a.added_by, a.hidden, a.merged_into)
            for a in rows
        ]
    # Columns, not Tie rows: making 3,000 ORM objects took 100 ms of every map in words.
    tie_columns = (Tie.id, Tie.source_id, Tie.target_id, Tie.kind, Tie.added_by)
    ties = [
        MapTie(*row)
        for row in db.exec(select(*tie_columns).where(Tie.round_id == round_id).order_by(Tie.id))
    ]
    return actors, ties


def names_of(db: Session, round_ids: Collection[int], codebook: Codebook) -> Names:
    """What counting words answers with: every actor of these rounds as it shows now (a
    merged one as the actor it was merged into, by that one's name), and the codebook."""
    rows = db.exec(
        select(Actor.id, Actor.name, Actor.kind, Actor.merged_into).where(
            col(Actor.round_id).in_(round_ids)
        )
    )
    actors = [MapActor(i, name, kind, merged_into=into) for i, name, kind, into in rows]
    target = shown_as(actors)
    named = {a.id: a.name for a in actors}
    return Names({a.id: (target[a.id], named[target[a.id]]) for a in actors}, codebook)


def round_graph(db: Session, round_id: int) -> nx.Graph:
    """The round's map as a graph (merged actors folded, hidden ones left out)."""
    return build_graph(*map_data(db, round_id))


def display_of(db: Session, round_id: int) -> MapDisplay:
    """What participants of a round are shown of its map (a new row shows nothing)."""
    return lookup.get(db, MapDisplay, round_id) or MapDisplay(round_id=round_id)


def map_shown(db: Session, round_id: int) -> bool:
    """Whether participants are shown the map now (no new row made to say no: every
    participant page asks)."""
    display = lookup.get(db, MapDisplay, round_id)
    return display is not None and display.map_shown


def set_display(db: Session, round_id: int, **shown: bool) -> MapDisplay:
    """Show or hide the map, or its measures, to a round's participants."""
    display = display_of(db, round_id)
    for part, value in shown.items():
        setattr(display, part, value)
    display.updated_at = utcnow()
    db.add(display)
    on_commit(db, publish.console_changed, round_id, "map")
    if "measures_shown" in shown:
        on_commit(db, publish.measures_changed, round_id)
    # Participants' pages fetch themselves again, and offer (or stop offering) the map.
    lifecycle.tell_state(db, db.get(Round, round_id))
    db.commit()
    return display
