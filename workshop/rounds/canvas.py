"""The map as data for the live canvas: full for a first draw, then small deltas."""

from __future__ import annotations

from typing import Any

import networkx as nx
from sqlmodel import Session

from facilitation.map_graph import MapActor, arrows, build_graph, shown_as
from facilitation.map_layout import place
from workshop.rounds import lifecycle
from workshop.rounds.maps import actor_rows, map_data
from workshop.store.models import Round


def positioned_graph(db: Session, round_id: int) -> tuple[nx.Graph, dict[int, tuple]]:
    """The round's graph and a position for each actor; new actors are placed and stored.
    Each tie carries ``arrows``: the way it points, where its kinds have a direction."""
    every = actor_rows(db, round_id)
    actors, ties = map_data(db, round_id, every)
    graph = build_graph(actors, ties)
    graph.graph["merged"] = merged_of(actors)
    directed = directed_kinds(db, round_id)
    for a, b, data in graph.edges(data=True):
        data["arrows"] = arrows(data["sources"], min(a, b), max(a, b), directed)
    rows = {a.id: a for a in every if a.id in graph}
    known = {i: (a.x, a.y) for i, a in rows.items() if a.x is not None and a.y is not None}
    positions = place(graph, known)
    fresh = [i for i in positions if i not in known]
    for actor_id in fresh:
        rows[actor_id].x, rows[actor_id].y = positions[actor_id]
        db.add(rows[actor_id])
    if fresh:
        db.commit()
    return graph, positions


def directed_kinds(db: Session, round_id: int) -> set[str]:
    """The tie kinds of the round's codebook that have a direction."""
    codebook = lifecycle.questionnaire_of(db.get(Round, round_id)).codebook
    return {t.id for t in codebook.tie_kinds if t.directed}


def merged_of(actors: list[MapActor]) -> dict[str, int]:
    """Each merged actor (by id, as text: a JSON key) and the actor it shows as."""
    return {str(a): shown for a, shown in shown_as(actors).items() if a != shown}


def payload(graph: nx.Graph, positions: dict[int, tuple]) -> dict[str, dict[str, dict]]:
    """Every node and edge, keyed by id, in the small shape the browser draws from."""
    nodes = {
        str(node): node_entry(
            node, data["name"], data["kind"], data["layer"], positions[node], graph.degree(node)
        )
        for node, data in graph.nodes(data=True)
    }
    edges = {}
    for a, b, data in graph.edges(data=True):
        entry = edge_entry(a, b, data["kinds"], data["weight"], data.get("arrows", ""))
        edges[entry["id"]] = entry
    return {"nodes": nodes, "edges": edges}


def node_entry(
    node: int, name: str, kind: str, layer: str | None, position: tuple, ties: int
) -> dict[str, Any]:
    """One actor as the browser draws it."""
    return {
        "id": node,
        "label": name,
        "kind": kind,
        "layer": layer,
        "x": position[0],
        "y": position[1],
        "ties": ties,
    }


def edge_entry(a: int, b: int, kinds: Any, weight: int, arrows: str) -> dict[str, Any]:
    """One tied pair as the browser draws it, keyed "low-high"."""
    low, high = sorted((a, b))
    key = f"{low}-{high}"
    entry = {"id": key, "from": low, "to": high, "kinds": list(kinds), "weight": weight}
    if arrows:  # only where it points somewhere: deltas stay small
        entry["arrows"] = arrows
    return entry


def kept(graph: nx.Graph, positions: dict[int, tuple]) -> dict[str, Any]:
    """The map as the server keeps it between changes: the payload, and which actors are
    merged into which (a tie stated to a merged actor is drawn at the one it shows as)."""
    return {**payload(graph, positions), "merged": graph.graph.get("merged", {})}


def drawn(kept_map: dict[str, Any]) -> dict[str, dict[str, dict]]:
    """What the browser is sent of a kept map."""
    return {"nodes": kept_map["nodes"], "edges": kept_map["edges"]}


def delta(before: dict, after: dict) -> dict[str, Any] | None:
    """What changed between two payloads: added, changed and removed nodes and edges."""
    result: dict[str, Any] = {}
    for part in ("nodes", "edges"):
        old, new = before[part], after[part]
        added = [new[k] for k in new.keys() - old.keys()]
        changed = [new[k] for k in new.keys() & old.keys() if new[k] != old[k]]
        removed = [old[k]["id"] for k in old.keys() - new.keys()]
        if added or changed or removed:
            result[part] = {"added": added, "changed": changed, "removed": removed}
    if not result:
        return None
    result["counts"] = {"actors": len(after["nodes"]), "ties": len(after["edges"])}
    return result
