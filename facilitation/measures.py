"""Measures of a round's map: who connects, who bridges, which groups form, who is left out."""

from __future__ import annotations

from collections.abc import Hashable, Sequence, Set
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

# Betweenness is exact up to this many actors, and sampled from this many pivots above it.
SAMPLE_ABOVE = 500
PIVOTS = 200

# The keys of the measures, in the order they are shown. The sentences that explain each one
# live in the web layer, where they are translated; these comments say what each key means.
MEASURES: tuple[str, ...] = (
    # "actors": how many actors (people, groups, organisations...) are on the map.
    "actors",
    # "ties": how many pairs of actors are linked, however many times the link was stated.
    "ties",
    # "key-connectors": the actors tied to the most others; news and requests reach them first.
    "key-connectors",
    # "brokers": the actors that sit on the shortest paths between others (betweenness); they
    # bridge parts of the network that would otherwise be far apart or cut off.
    "brokers",
    # "clusters": groups of actors more tied among themselves than to the rest (Louvain).
    "clusters",
    # "isolated": actors on the map with no tie to anyone; nobody named a link to them.
    "isolated",
    # "gaps": pairs of clusters with no tie at all between them: places to build a bridge.
    "gaps",
)


@dataclass(frozen=True)
class MapMeasures:
    """All the measures of one map, as returned by `summarise`."""

    actors: int
    ties: int
    key_connectors: tuple[tuple[int, int], ...]
    brokers: tuple[tuple[int, float], ...]
    clusters: tuple[frozenset[int], ...]
    isolated: tuple[int, ...]
    gaps: tuple[tuple[int, int], ...]
    sampled: bool


def _name_key(graph: nx.Graph, node: Hashable) -> tuple[str, str, Hashable]:
    """Sort key for an actor by name (case ignored first), then by id to settle equal names."""
    name = str(graph.nodes[node].get("name", ""))
    return (name.casefold(), name, node)


def _tie_count(graph: nx.Graph, node: Hashable) -> int:
    """How many other actors a node is tied to: a tie of an actor to itself does not count."""
    neighbours = graph[node]
    return len(neighbours) - (node in neighbours)


def _pivots(graph: nx.Graph, sample_above: int, k: int) -> int | None:
    """How many pivots sampled betweenness uses, or None when it is computed exactly."""
    count = graph.number_of_nodes()
    if count <= sample_above or k >= count:
        return None
    return max(k, 1)


def _top(ranked: list, top: int) -> list:
    """The first `top` items of a ranked list (none when `top` is zero or less)."""
    return ranked[: max(top, 0)]


def key_connectors(graph: nx.Graph, top: int = 5) -> list[tuple[int, int]]:
    """Return the actors tied to the most other actors.

    Each pair of actors counts once, however many statements (``weight``) made the tie.
    Ties of an actor to itself do not count. Actors with no ties are left out.

    Parameters
    ----------
    graph : networkx.Graph
        The round's map: nodes are actor ids with a ``name`` attribute.
    top : int, optional (default=5)
        How many actors to return at most.

    Returns
    -------
    list of (int, int)
        ``(actor, number of ties)``, most ties first; equal counts in order of name.

    Examples
    --------
    >>> import networkx as nx
    >>> graph = nx.Graph([(1, 2), (1, 3), (2, 3), (3, 4)])
    >>> nx.set_node_attributes(graph, {1: "Ada", 2: "Bea", 3: "Cy", 4: "Di"}, "name")
    >>> key_connectors(graph, top=3)
    [(3, 3), (1, 2), (2, 2)]
    """
    counts = {node: _tie_count(graph, node) for node in graph}
    ranked = sorted(
        (node for node, count in counts.items() if count > 0),
        key=lambda node: (-counts[node], _name_key(graph, node)),
    )
    return [(node, counts[node]) for node in _top(ranked, top)]


def brokers(
    graph: nx.Graph, top: int = 5, sample_above: int = SAMPLE_ABOVE, k: int = PIVOTS, seed: int = 0
) -> list[tuple[int, float]]:
    """Return the actors that most often lie on the shortest paths between other actors.

    This is normalized betweenness centrality, with every tie the same length (``weight`` is
    not used). It is exact for maps of at most `sample_above` actors; larger maps estimate it
    from `k` pivot actors picked with the fixed `seed`, so the answer is the same every time.

    Parameters
    ----------
    graph : networkx.Graph
        The round's map: nodes are actor ids with a ``name`` attribute.
    top : int, optional (default=5)
        How many actors to return at most.
    sample_above : int, optional (default=500)
        Above this many actors, betweenness is sampled instead of exact.
    k : int, optional (default=200)
        How many pivot actors the sample uses.
    seed : int, optional (default=0)
        Seed for picking the pivots.

    Returns
    -------
    list of (int, float)
        ``(actor, betweenness)``, highest first, only actors with betweenness above zero;
        equal values in order of name.

    See Also
    --------
    networkx.betweenness_centrality

    Examples
    --------
    >>> import networkx as nx
    >>> graph = nx.path_graph(4)  # 0 - 1 - 2 - 3
    >>> nx.set_node_attributes(graph, {0: "Ada", 1: "Bea", 2: "Cy", 3: "Di"}, "name")
    >>> [(actor, round(value, 3)) for actor, value in brokers(graph)]
    [(1, 0.667), (2, 0.667)]
    """
    return _top(_ranked_brokers(graph, sample_above, k, seed), top)


def _ranked_brokers(
    graph: nx.Graph, sample_above: int, k: int, seed: int
) -> list[tuple[int, float]]:
    """Every actor with betweenness above zero, highest first."""
    pivots = _pivots(graph, sample_above, k)
    values = nx.betweenness_centrality(graph, k=pivots, normalized=True, seed=seed)
    ranked = sorted(
        (node for node, value in values.items() if value > 0),
        key=lambda node: (-values[node], _name_key(graph, node)),
    )
    return [(node, values[node]) for node in ranked]


def clusters(graph: nx.Graph, seed: int = 0) -> list[frozenset[int]]:
    """Return groups of actors more tied among themselves than to the rest of the map.

    The groups are Louvain communities, found with the fixed `seed` so the answer is the
    same every time. Ties count by their ``weight`` (how many statements made them).
    Isolated actors (no tie to anyone else) are in no group.

    Parameters
    ----------
    graph : networkx.Graph
        The round's map: nodes are actor ids with a ``name`` attribute.
    seed : int, optional (default=0)
        Seed for the order in which Louvain visits actors.

    Returns
    -------
    list of frozenset of int
        The groups, largest first; groups of equal size in order of their first name.

    See Also
    --------
    networkx.community.louvain_communities

    Examples
    --------
    >>> import networkx as nx
    >>> graph = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5)])
    >>> graph.add_node(6)
    >>> nx.set_node_attributes(graph, {n: f"Actor {n}" for n in graph}, "name")
    >>> [sorted(group) for group in clusters(graph)]
    [[1, 2, 3], [4, 5]]
    """
    alone = set(isolated(graph))
    found = nx.community.louvain_communities(graph, seed=seed)
    groups = [frozenset(group - alone) for group in found]
    groups = [group for group in groups if group]
    return sorted(groups, key=lambda group: _cluster_key(graph, group))


def _cluster_key(graph: nx.Graph, group: Set[int]) -> tuple:
    """Sort key for a cluster: larger first, then by the first of its actors' names."""
    return (-len(group), min(_name_key(graph, node) for node in group))


def isolated(graph: nx.Graph) -> list[int]:
    """Return the actors with no tie to any other actor.

    Parameters
    ----------
    graph : networkx.Graph
        The round's map: nodes are actor ids with a ``name`` attribute.

    Returns
    -------
    list of int
        The isolated actors, in order of name.

    Examples
    --------
    >>> import networkx as nx
    >>> graph = nx.Graph([(1, 2)])
    >>> graph.add_nodes_from([(3, {"name": "Zoe"}), (4, {"name": "Abe"})])
    >>> isolated(graph)
    [4, 3]
    """
    alone = [node for node in graph if _tie_count(graph, node) == 0]
    return sorted(alone, key=lambda node: _name_key(graph, node))


def gaps(graph: nx.Graph, groups: Sequence[Set[int]]) -> list[tuple[int, int]]:
    """Return the pairs of groups with no tie between them.

    Parameters
    ----------
    graph : networkx.Graph
        The round's map.
    groups : sequence of sets of int
        Groups of actors, such as the result of `clusters`.

    Returns
    -------
    list of (int, int)
        ``(i, j)`` with ``i < j``, indexes into `groups`, for every pair of groups where no
        member of one is tied to any member of the other; in order.

    Examples
    --------
    >>> import networkx as nx
    >>> graph = nx.Graph([(1, 2), (2, 3), (4, 5)])
    >>> gaps(graph, [{1, 2}, {3}, {4, 5}])
    [(0, 2), (1, 2)]
    """
    linked = _linked_groups(graph, groups)
    return [pair for pair in combinations(range(len(groups)), 2) if pair not in linked]


def _linked_groups(graph: nx.Graph, groups: Sequence[Set[int]]) -> set[tuple[int, int]]:
    """The pairs of group indexes (i < j) with at least one tie between them."""
    member_of: dict[Hashable, list[int]] = {}
    for index, group in enumerate(groups):
        for node in group:
            member_of.setdefault(node, []).append(index)
    linked = set()
    for u, v in graph.edges:
        for i in member_of.get(u, ()):
            for j in member_of.get(v, ()):
                if i != j:
                    linked.add((min(i, j), max(i, j)))
    return linked


def summarise(graph: nx.Graph, seed: int = 0, top: int = 5) -> MapMeasures:
    """Return every measure of the map at once.

    Parameters
    ----------
    graph : networkx.Graph
        The round's map: nodes are actor ids with a ``name`` attribute.
    seed : int, optional (default=0)
        Seed for the clusters and, on large maps, for sampling betweenness.
    top : int, optional (default=5)
        How many key connectors and brokers to list at most.

    Returns
    -------
    MapMeasures
        The counts of actors and ties, the lists of each measure (as tuples), and `sampled`:
        whether betweenness was estimated from a sample because the map is large.

    Examples
    --------
    >>> import networkx as nx
    >>> graph = nx.Graph([(1, 2), (2, 3), (4, 5)])
    >>> graph.add_node(6)
    >>> nx.set_node_attributes(graph, {n: f"Actor {n}" for n in graph}, "name")
    >>> measures = summarise(graph)
    >>> measures.actors, measures.ties, measures.isolated, measures.gaps
    (6, 3, (6,), ((0, 1),))
    >>> summarise(nx.Graph()).key_connectors
    ()
    """
    groups = clusters(graph, seed=seed)
    return MapMeasures(
        actors=graph.number_of_nodes(),
        ties=graph.number_of_edges() - nx.number_of_selfloops(graph),
        key_connectors=tuple(key_connectors(graph, top=top)),
        brokers=tuple(brokers(graph, top=top, seed=seed)),
        clusters=tuple(groups),
        isolated=tuple(isolated(graph)),
        gaps=tuple(gaps(graph, groups)),
        sampled=_pivots(graph, SAMPLE_ABOVE, PIVOTS) is not None,
    )
