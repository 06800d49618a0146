"""The map as data for the live canvas: full for a first draw, then small deltas."""

from __future__ import annotations

from typing import Any

import networkx as nx
from sqlmodel import Session

from facilitation.map_graph import arrows, build_graph
from facilitation.map_layout import place
from questionnaires.schema import Codebook
from workshop.rounds import lifecycle
from workshop.rounds.maps import actor_rows, map_data
from workshop.store.models import Round

# Shapes and colours for actor kinds, in codebook order: shape and colour together, so
# kinds never differ by colour alone. Okabe-Ito colours stay distinct in colour blindness.
SHAPES = ("dot", "square", "triangle", "diamond", "star", "triangleDown", "hexagon")
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
DASHES: tuple[Any, ...] = (False, [8, 5], [2, 5], [12, 4, 2, 4])  # layers, in codebook order


def styles(codebook: Codebook) -> dict[str, Any]:
    """How each actor kind and layer is drawn (also the legend's content)."""
    return {
        "kinds": {
            t.id: {
                "shape": SHAPES[i % len(SHAPES)],
                "colour": COLOURS[i % len(COLOURS)],
                "label": t.label,
            }
            for i, t in enumerate(codebook.actor_kinds)
        },
        "layers": {
            t.id: {"dashes": DASHES[i % len(DASHES)], "label": t.label}
            for i, t in enumerate(codebook.layers)
        },
        "arrows": any(t.directed for t in codebook.tie_kinds),  # the legend explains them
    }


def positioned_graph(db: Session, round_id: int) -> tuple[nx.Graph, dict[int, tuple]]:
    """The round's graph and a position for each actor; new actors are placed and stored.
    Each tie carries ``arrows``: the way it points, where its kinds have a direction."""
    every = actor_rows(db, round_id)
    graph = build_graph(*map_data(db, round_id, every))
    codebook = lifecycle.questionnaire_of(db.get(Round, round_id)).codebook
    directed = {t.id for t in codebook.tie_kinds if t.directed}
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


def payload(graph: nx.Graph, positions: dict[int, tuple]) -> dict[str, dict[str, dict]]:
    """Every node and edge, keyed by id, in the small shape the browser draws from."""
    nodes = {
        str(node): {
            "id": node,
            "label": data["name"],
            "kind": data["kind"],
            "layer": data["layer"],
            "x": positions[node][0],
            "y": positions[node][1],
            "ties": graph.degree(node),
        }
        for node, data in graph.nodes(data=True)
    }
    edges = {}
    for a, b, data in graph.edges(data=True):
        low, high = sorted((a, b))
        key = f"{low}-{high}"
        edges[key] = {
            "id": key,
            "from": low,
            "to": high,
            "kinds": list(data["kinds"]),
            "weight": data["weight"],
        }
        if data.get("arrows"):  # only where it points somewhere: deltas stay small
            edges[key]["arrows"] = data["arrows"]
    return {"nodes": nodes, "edges": edges}


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
