"""The map as rows of a table: each actor with its kind, layer, ties and who it is tied to."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
from flask_babel import gettext as _

from facilitation.map_graph import arrows
from facilitation.network import actor_key
from questionnaires.schema import Codebook

SORTS = ("name", "kind", "ties")


@dataclass(frozen=True)
class Neighbour:
    """One actor this row's actor is tied to, and how."""

    id: int
    name: str
    how: str  # the tie kinds, in words


@dataclass(frozen=True)
class ActorRow:
    """One actor of the map, as its text view lists it."""

    id: int
    name: str
    kind: str
    layer: str
    ties: int
    neighbours: tuple[Neighbour, ...]


def actor_rows(
    graph: nx.Graph, codebook: Codebook, query: str = "", sort: str = "name"
) -> list[ActorRow]:
    """Every actor on the map (those whose name contains `query`), sorted as asked."""
    kinds = {t.id: t.label for t in codebook.actor_kinds}
    layers = {t.id: t.label for t in codebook.layers}
    ties = {t.id: t.label for t in codebook.tie_kinds}
    directed = {t.id for t in codebook.tie_kinds if t.directed}
    wanted = actor_key(query)
    rows = []
    for node, data in graph.nodes(data=True):
        if wanted and wanted not in actor_key(data["name"]):
            continue
        neighbours = sorted(
            (
                Neighbour(
                    other,
                    graph.nodes[other]["name"],
                    ", ".join(
                        _way(ties.get(k, k), k, graph.edges[node, other], node, other, directed)
                        for k in graph.edges[node, other]["kinds"]
                    ),
                )
                for other in graph.neighbors(node)
            ),
            key=lambda n: n.name.casefold(),
        )
        rows.append(
            ActorRow(
                node,
                data["name"],
                kinds.get(data["kind"], data["kind"]),
                layers.get(data["layer"], data["layer"] or ""),
                len(neighbours),
                tuple(neighbours),
            )
        )
    if sort == "kind":
        return sorted(rows, key=lambda r: (r.kind.casefold(), r.name.casefold()))
    if sort == "ties":
        return sorted(rows, key=lambda r: (-r.ties, r.name.casefold()))
    return sorted(rows, key=lambda r: r.name.casefold())


def _way(label: str, kind: str, edge: dict, node: int, other: int, directed: set[str]) -> str:
    """A tie kind in words as a row lists it, saying which way it goes where it has a way:
    "Funds – to them" in the funder's row, "Funds – from them" in the other's."""
    way = arrows([s for s in edge.get("sources", ()) if s[0] == kind], node, other, directed)
    if way == "to":
        return _("%(kind)s – to them", kind=label)
    if way == "from":
        return _("%(kind)s – from them", kind=label)
    if way == "both":
        return _("%(kind)s – both ways", kind=label)
    return label
