"""The map as igraph reads it, and work done on it in pieces that yield between them."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Generator, Hashable, Iterable
from typing import TypeVar

import igraph
import networkx as nx

# igraph's C core is not thread-safe, and its random numbers come from one generator for the
# whole process: one igraph call at a time, each with its own seeded generator.
IGRAPH = threading.Lock()
# About how many actors and ties one piece of betweenness reads (sources x (actors + ties)):
# some milliseconds of C between two yields, on any size of map.
PIECE = 200_000

T = TypeVar("T")
Steps = Generator[None, None, T]


class Copy:
    """The map as igraph reads it: actors in id order, ties to oneself left out."""

    def __init__(self, nodes: list[Hashable], ties: list[tuple[int, int, float]]) -> None:
        self.nodes = nodes
        self.index = {node: i for i, node in enumerate(nodes)}
        self.graph = igraph.Graph(n=len(nodes), edges=[(a, b) for a, b, _w in ties])
        # Leiden needs weights above zero: a tie is stated at least once.
        self.weights = [w if isinstance(w, int | float) and w > 0 else 1 for _a, _b, w in ties]


def copying(graph: nx.Graph) -> Steps[Copy]:
    """The igraph copy of a map, made a few thousand actors at a time."""
    nodes = in_order(graph)
    ties = yield from ties_of(graph, nodes)
    return Copy(nodes, ties)


def copy_of(graph: nx.Graph) -> Copy:
    """The igraph copy, made in one go."""
    return finish(copying(graph))


def ties_of(graph: nx.Graph, nodes: list[Hashable]) -> Steps[list[tuple[int, int, float]]]:
    """Every tie as (i, j, weight) with i < j, indexes into `nodes`, in order; read from the
    adjacency directly (twice as fast as networkx's edge views on 30,000 ties)."""
    index = {node: i for i, node in enumerate(nodes)}
    ties = []
    for count, (node, neighbours) in enumerate(graph.adjacency()):
        i = index[node]
        for other, data in neighbours.items():
            j = index[other]
            if i < j:
                ties.append((i, j, data.get("weight", 1)))
        if count % 2000 == 1999:
            yield
    ties.sort()
    return ties


def in_order(nodes: Iterable[Hashable]) -> list[Hashable]:
    """Actors in id order, so the answer does not hang on the order they were added in;
    in the graph's own order when ids cannot be compared (a mix of kinds)."""
    try:
        return sorted(nodes)
    except TypeError:
        return list(nodes)


def finish(steps: Steps[T]) -> T:
    """Run a piecewise computation to its end, without pausing, and return its value."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def shape_of(graph: nx.Graph) -> str:
    """Return a digest of everything the measures depend on: the actors, their names, the
    ties and how often each was stated. Two maps with the same shape have the same measures.

    Examples
    --------
    >>> import networkx as nx
    >>> first = nx.Graph([(1, 2)])
    >>> second = nx.Graph([(2, 1)])
    >>> shape_of(first) == shape_of(second)
    True
    >>> second.add_node(3)
    >>> shape_of(first) == shape_of(second)
    False
    """
    nodes = in_order(graph)
    names = [graph.nodes[node].get("name") for node in nodes]
    ties = finish(ties_of(graph, nodes))
    return hashlib.blake2b(repr((nodes, names, ties)).encode(), digest_size=16).hexdigest()
