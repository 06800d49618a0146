"""A stored change applied to the kept map: only the actors and ties it touched are read again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from facilitation.map_graph import arrows
from facilitation.map_layout import cell, place_one
from workshop.realtime.last_sent import CELLS, SPIRAL
from workshop.rounds.canvas import directed_kinds, edge_entry, node_entry
from workshop.store.models import Actor, Tie


class Redraw(Exception):
    """The change did more than a delta says (a merged actor went): draw the map whole."""


@dataclass
class Touched:
    """What one change wrote to a round's map: actors added or removed (or named again), and
    the two ends (as stated) of each tie added or removed. Whatever else a change alters
    (merges, hiding, renames, imports) it does not say: those rebuild the whole map."""

    actors: set[int] = field(default_factory=set)
    pairs: set[tuple[int, int]] = field(default_factory=set)

    def actor(self, actor_id: int) -> None:
        self.actors.add(actor_id)

    def tie(self, source: int, target: int) -> None:
        self.pairs.add((source, target))


def patch(
    db: Session, round_id: int, kept_map: dict[str, Any], touched: Touched
) -> dict[str, Any] | None:
    """The delta a change made to the kept map (None: it made none), read from the
    database for what it touched alone; new actors are placed and their places stored.

    The kept map is not changed here (see `last_sent.apply`), but for the places it keeps
    in this process (see `_place`). Raises Redraw when the change is more than a delta."""
    merged: dict[str, int] = kept_map["merged"]
    nodes: dict[str, dict] = kept_map["nodes"]
    edges: dict[str, dict] = kept_map["edges"]

    def shown(actor_id: int) -> int:
        seen = {actor_id}
        while str(actor_id) in merged and merged[str(actor_id)] not in seen:
            actor_id = merged[str(actor_id)]
            seen.add(actor_id)
        return actor_id

    # Actors: as they are now (gone, or on show as themselves, or not).
    # By id alone: with the round too, SQLite may read the round's every actor instead.
    columns = (Actor.id, Actor.round_id, Actor.name, Actor.kind, Actor.layer, Actor.x, Actor.y)
    rows = {
        row.id: row
        for row in db.exec(select(*columns, Actor.hidden).where(col(Actor.id).in_(touched.actors)))
        if row.round_id == round_id
    }
    new_nodes: dict[str, dict | None] = {}
    for actor_id in touched.actors:
        row = rows.get(actor_id)
        if row is None and str(actor_id) in merged:
            raise Redraw  # the merges kept with the map change too
        if row is None or row.hidden or shown(actor_id) != actor_id:
            if str(actor_id) in nodes:
                new_nodes[str(actor_id)] = None
        elif str(actor_id) not in nodes:
            new_nodes[str(actor_id)] = {"row": row}
        else:
            old = nodes[str(actor_id)]
            if (old["label"], old["kind"], old["layer"]) != (row.name, row.kind, row.layer):
                new_nodes[str(actor_id)] = {
                    **old,
                    "label": row.name,
                    "kind": row.kind,
                    "layer": row.layer,
                }

    def on_show(actor_id: int) -> bool:
        key = str(actor_id)
        return new_nodes[key] is not None if key in new_nodes else key in nodes

    # Tied pairs: every statement between the two actors as they show, read again.
    pairs = {
        (min(a, b), max(a, b))
        for a, b in ((shown(s), shown(t)) for s, t in touched.pairs)
        if a != b and on_show(a) and on_show(b)
    }
    new_edges: dict[str, dict | None] = {}
    if pairs:
        new_edges = _edges(db, round_id, pairs, merged, shown, directed_kinds(db, round_id))
        new_edges = {k: e for k, e in new_edges.items() if e != edges.get(k)}
    for key, entry in new_nodes.items():  # an actor gone takes its ties with it
        if entry is None and nodes[key]["ties"]:  # (it had some: look for them)
            for edge_key, edge in edges.items():
                if str(edge["from"]) == key or str(edge["to"]) == key:
                    new_edges[edge_key] = None
    new_edges = {k: e for k, e in new_edges.items() if e is not None or k in edges}

    # Each end's count of ties follows its edges.
    degree: dict[str, int] = {}
    for key, entry in new_edges.items():
        step = (entry is not None) - (key in edges)
        for end in key.split("-"):
            degree[end] = degree.get(end, 0) + step
    for key, step in degree.items():
        current = new_nodes[key] if key in new_nodes else nodes.get(key)
        if step and current is not None and "row" not in current:  # new ones: when placed
            new_nodes[key] = {**current, "ties": current["ties"] + step}
    _place(db, kept_map, new_nodes, new_edges, degree)

    result: dict[str, Any] = {}
    for part, before, after in (("nodes", nodes, new_nodes), ("edges", edges, new_edges)):
        added = [e for k, e in after.items() if e is not None and k not in before]
        changed = [e for k, e in after.items() if e is not None and k in before]
        removed = [before[k]["id"] for k, e in after.items() if e is None]
        if added or changed or removed:
            result[part] = {"added": added, "changed": changed, "removed": removed}
    if not result:
        return None
    result["counts"] = {
        "actors": len(nodes) + sum((e is not None) - (k in nodes) for k, e in new_nodes.items()),
        "ties": len(edges) + sum((e is not None) - (k in edges) for k, e in new_edges.items()),
    }
    return result


def _edges(
    db: Session,
    round_id: int,
    pairs: set[tuple[int, int]],
    merged: dict[str, int],
    shown: Callable[[int], int],
    directed: set[str],
) -> dict[str, dict | None]:
    """Each pair's edge as `build_graph` makes it from every statement between the two."""
    ends = {end for pair in pairs for end in pair}
    folded = ends | {int(m) for m, into in merged.items() if shown(into) in ends}
    # By the ends alone (a tie's actors are its round's): the ends' indexes, not the round's.
    statements = db.exec(
        select(Tie.source_id, Tie.target_id, Tie.kind).where(
            col(Tie.source_id).in_(folded), col(Tie.target_id).in_(folded)
        )
    )
    found: dict[tuple[int, int], list[tuple[str, int]]] = {}
    for source, target, kind in statements:
        a, b = shown(source), shown(target)
        pair = (min(a, b), max(a, b))
        if pair in pairs:
            found.setdefault(pair, []).append((kind, a))
    result: dict[str, dict | None] = {}
    for low, high in pairs:
        stated = found.get((low, high))
        if not stated:
            result[f"{low}-{high}"] = None
            continue
        kinds = sorted({kind for kind, _ in stated})
        sources = sorted(set(stated))
        result[f"{low}-{high}"] = edge_entry(
            low, high, kinds, len(stated), arrows(sources, low, high, directed)
        )
    return result


def _place(
    db: Session,
    kept_map: dict[str, Any],
    new_nodes: dict[str, dict | None],
    new_edges: dict[str, dict | None],
    degree: dict[str, int],
) -> None:
    """Make each new actor's node: at its stored place, or placed as `place` would (near
    its placed neighbours, else on the spiral's first free place) and its place stored.

    The places taken, and where on the spiral to look, are kept with the map in this process
    (`last_sent.CELLS`, `last_sent.SPIRAL`): worked out again only after an actor went."""
    fresh = sorted(int(k) for k, e in new_nodes.items() if e is not None and "row" in e)
    if not fresh:
        return
    nodes = kept_map["nodes"]
    gone = {k for k, e in new_nodes.items() if e is None}
    taken = kept_map.get(CELLS)
    spiral_from = kept_map.get(SPIRAL, 0)
    if taken is None or gone:  # an actor that goes frees its place
        taken = {cell((e["x"], e["y"])) for k, e in nodes.items() if k not in gone}
        spiral_from = 0
    positions: dict[str, tuple[float, float]] = {}  # of the new ones
    for actor_id in fresh:  # placed before (while no map was open): they keep their place
        row = new_nodes[str(actor_id)]["row"]
        if row.x is not None and row.y is not None:
            positions[str(actor_id)] = (row.x, row.y)
            taken.add(cell((row.x, row.y)))

    def placed(key: str) -> tuple[float, float] | None:
        if key in positions:
            return positions[key]
        node = nodes.get(key) if key not in gone else None
        return (node["x"], node["y"]) if node else None

    for actor_id in fresh:
        key = str(actor_id)
        row = new_nodes[key]["row"]
        if key not in positions:
            ends = [
                end
                for edge_key, edge in new_edges.items()
                if edge is not None and key in edge_key.split("-")
                for end in edge_key.split("-")
                if end != key
            ]
            neighbours = [point for end in ends if (point := placed(end)) is not None]
            point, spiral_from = place_one(actor_id, neighbours, taken, spiral_from)
            positions[key] = point
            taken.add(cell(point))
            db.exec(update(Actor).where(col(Actor.id) == actor_id).values(x=point[0], y=point[1]))
        new_nodes[key] = node_entry(
            actor_id, row.name, row.kind, row.layer, positions[key], degree.get(key, 0)
        )
    db.commit()
    kept_map[CELLS], kept_map[SPIRAL] = taken, spiral_from
