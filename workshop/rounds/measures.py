"""A round's map measures, kept per map version: worked out off the request, read by pages.

A page never waits for measures of a large map. It shows the last ones kept (with when they
were worked out) and, when the map has changed since, asks for new ones; a change to the map
asks too, once it commits. The measures queue works them out in the background, in pieces
that let the process serve others in between, keeps them in the database (every app process
reads them there) and tells open maps, which fetch their words again.

python-igraph holds the GIL for the whole of each call (and its C core is not thread-safe),
so a thread pool would stall the event loop just the same: measured, a 0.9 s betweenness in a
thread held the main thread for 0.9 s. Pieces of a few milliseconds in a greenlet do not.

Maps of up to INLINE_UP_TO actors are worked out on the page request itself, as before:
that takes milliseconds (11 ms at 300 actors), less than drawing the page's table.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

import networkx as nx
from flask import Flask, current_app
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from facilitation.igraph_copy import shape_of
from facilitation.map_graph import build_graph
from facilitation.measures import MapMeasures, summarise, summarising
from workshop.realtime import publish
from workshop.rounds.maps import map_data
from workshop.store.db import UNAVAILABLE, session_scope
from workshop.store.models import KeptMeasures, as_utc, utcnow
from workshop.store.on_commit import on_commit

INLINE_UP_TO = 300  # actors: a page works out a map this small itself
PAUSE_EVERY = 0.02  # seconds of work, at most, before the background task lets others run
KEPT_IN_MEMORY = 64  # versions of measures this process keeps decoded

T = TypeVar("T")


@dataclass(frozen=True)
class LastMeasures:
    """Measures worked out for one version of a round's map, with the names they show."""

    measures: MapMeasures
    names: Mapping[int, str]  # every actor on the map then, by id
    worked_out_at: datetime
    shape: str  # facilitation.measures.shape_of the map they are of


@dataclass(frozen=True)
class MeasuresNow:
    """What a page can show now: the last measures (None before the first are worked out),
    and whether the map has changed since they were."""

    last: LastMeasures | None
    changed_since: bool


_WORKED_HERE: OrderedDict[str, LastMeasures] = OrderedDict()  # small maps, by shape
_DECODED: OrderedDict[int, LastMeasures] = OrderedDict()  # kept measures, by round


def for_page(db: Session, round_id: int, graph: nx.Graph) -> MeasuresNow:
    """The measures a page of the round's map shows, never waiting for a large map's."""
    shape = shape_of(graph)
    if graph.number_of_nodes() <= INLINE_UP_TO:
        return MeasuresNow(_worked_out_here(graph, shape), changed_since=False)
    last = _kept(db, round_id)
    changed = last is None or last.shape != shape
    if changed:
        schedule(round_id)
    return MeasuresNow(last, changed_since=changed)


def schedule(round_id: int) -> None:
    """Ask for the round's measures to be worked out in the background, soon."""
    current_app.extensions["roundtable.measures"].add(round_id)


def _worked_out_here(graph: nx.Graph, shape: str) -> LastMeasures:
    if shape not in _WORKED_HERE:
        _WORKED_HERE[shape] = LastMeasures(summarise(graph), _names(graph), utcnow(), shape)
        _trim(_WORKED_HERE)
    _WORKED_HERE.move_to_end(shape)
    return _WORKED_HERE[shape]


def _kept(db: Session, round_id: int) -> LastMeasures | None:
    """The round's kept measures: their version read each time, decoded once per version."""
    where = KeptMeasures.round_id == round_id
    version = db.exec(select(KeptMeasures.shape, KeptMeasures.worked_out_at).where(where)).first()
    if version is None:
        return None
    shape, worked_out_at = version[0], as_utc(version[1])
    known = _DECODED.get(round_id)
    if known is None or (known.shape, known.worked_out_at) != (shape, worked_out_at):
        value = db.exec(select(KeptMeasures.value).where(where)).one()
        measures, names = decoded(value)
        known = _DECODED[round_id] = LastMeasures(measures, names, worked_out_at, shape)
        _trim(_DECODED)
    _DECODED.move_to_end(round_id)
    return known


def _trim(kept: OrderedDict) -> None:
    while len(kept) > KEPT_IN_MEMORY:
        kept.popitem(last=False)


def work_out_in(app: Flask, round_id: int) -> None:
    """The measures queue's work: work out and keep one round's measures, in `app`. A
    failure is logged and the next change asks again; it never stops the queue."""
    with app.app_context():
        try:
            work_out(round_id)
        except UNAVAILABLE as error:
            app.logger.warning("Measures not worked out: %s", str(error).splitlines()[0][:300])
        except Exception:
            app.logger.exception("Measures of round %s not worked out", round_id)


def work_out(round_id: int) -> None:
    """Work out the measures of the round's map as it is now, unless they are kept already;
    keep them, then tell open maps. Nothing is held in the database meanwhile, and the
    process serves others between each piece of the work."""
    sleep = current_app.extensions["socketio"].sleep
    with session_scope() as db:
        actors, ties = map_data(db, round_id)
        kept = db.exec(select(KeptMeasures.shape).where(KeptMeasures.round_id == round_id)).first()
    sleep(0.001)
    graph = build_graph(actors, ties)
    if graph.number_of_nodes() <= INLINE_UP_TO:
        return  # pages work these out themselves
    sleep(0.001)
    shape = shape_of(graph)
    if kept == shape:
        return
    measures = with_pauses(summarising(graph), sleep)
    value = encoded(measures, _names(graph))
    with session_scope() as db:
        now = utcnow()
        stored = db.exec(
            update(KeptMeasures)
            .where(KeptMeasures.round_id == round_id)
            .values(shape=shape, worked_out_at=now, value=value)
        )
        if stored.rowcount == 0:
            db.add(KeptMeasures(round_id=round_id, shape=shape, worked_out_at=now, value=value))
        on_commit(db, publish.measures_ready, round_id)
        try:
            db.commit()
        except IntegrityError:  # another process kept them at this moment: the same ones
            db.rollback()


def with_pauses(steps: Generator[None, None, T], sleep: Callable[[float], object]) -> T:
    """Run a piecewise computation (facilitation.measures.summarising), letting the process
    serve others at least every PAUSE_EVERY seconds of work."""
    since = time.monotonic()
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value
        if time.monotonic() - since >= PAUSE_EVERY:
            sleep(0.001)  # a timer, not sleep(0): gevent then polls sockets before it returns
            since = time.monotonic()


def _names(graph: nx.Graph) -> dict[int, str]:
    return {node: graph.nodes[node].get("name", "") for node in graph}


def encoded(measures: MapMeasures, names: Mapping[int, str]) -> dict:
    """Measures and names as JSON keeps them."""
    return {
        "actors": measures.actors,
        "ties": measures.ties,
        "key_connectors": [list(pair) for pair in measures.key_connectors],
        "brokers": [list(pair) for pair in measures.brokers],
        "clusters": [sorted(group) for group in measures.clusters],
        "isolated": list(measures.isolated),
        "gaps": [list(pair) for pair in measures.gaps],
        "sampled": measures.sampled,
        "names": [[node, name] for node, name in names.items()],
    }


def decoded(value: dict) -> tuple[MapMeasures, dict[int, str]]:
    """The measures and names that `encoded` kept."""
    measures = MapMeasures(
        actors=value["actors"],
        ties=value["ties"],
        key_connectors=tuple((a, n) for a, n in value["key_connectors"]),
        brokers=tuple((a, b) for a, b in value["brokers"]),
        clusters=tuple(frozenset(group) for group in value["clusters"]),
        isolated=tuple(value["isolated"]),
        gaps=tuple((a, b) for a, b in value["gaps"]),
        sampled=value["sampled"],
    )
    return measures, {node: name for node, name in value["names"]}
