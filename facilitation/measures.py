"""Measures of a round's map: who connects, who bridges, which groups form, who is left out.

The map stays a networkx graph; betweenness and clusters are worked out on an igraph copy of
it, whose C core does them 30 to 100 times faster. `summarising` does the work in small
pieces, yielding between them, so that a caller on an event loop can let others run.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence, Set
from dataclasses import dataclass
from itertools import combinations
from operator import add

import igraph
import networkx as nx

from facilitation.igraph_copy import (
    IGRAPH,
    PIECE,
    Copy,
    Steps,
    copy_of,
    copying,
    finish,
)

# Betweenness is exact up to this many actors, and sampled from this many pivots above it.
SAMPLE_ABOVE = 500
PIVOTS = 200
# Leiden iterates until an iteration no longer improves the clusters; this bounds it.
MAX_ITERATIONS = 500

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
    # "clusters": groups of actors more tied among themselves than to the rest (Leiden).
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
    not used), as `networkx.betweenness_centrality` gives it. It is exact for maps of at most
    `sample_above` actors; larger maps estimate it from `k` pivot actors picked with the fixed
    `seed`, so the answer is the same every time. The pivots and the scaling are networkx's:
    with the same seed, on a graph whose actors were added in id order, the estimate is the
    one ``networkx.betweenness_centrality(graph, k=k, seed=seed)`` gives.

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
    copy = copy_of(graph)
    return _top(finish(_ranked_brokers(graph, copy, sample_above, k, seed)), top)


def _ranked_brokers(
    graph: nx.Graph, copy: Copy, sample_above: int, k: int, seed: int
) -> Steps[list[tuple[int, float]]]:
    """Every actor with betweenness above zero, highest first."""
    values = yield from _betweenness(copy, _pivots(graph, sample_above, k), seed)
    # Ranked on values rounded to 12 places: sums in another order differ in the last bits,
    # and equal values must fall back to names, not to noise.
    ranked = sorted(
        (node for node, value in values.items() if value > 0),
        key=lambda node: (-round(values[node], 12), _name_key(graph, node)),
    )
    return [(node, values[node]) for node in ranked]


def _betweenness(copy: Copy, pivots: int | None, seed: int) -> Steps[dict[Hashable, float]]:
    """Normalized betweenness of every actor, exact (`pivots` None) or from that many
    pivots picked as networkx picks them, summed a piece of sources at a time."""
    n = len(copy.nodes)
    if pivots is None:
        sources = list(range(n))
    else:
        picked = random.Random(seed).sample(copy.nodes, pivots)
        sources = [copy.index[node] for node in picked]
    # igraph's subset betweenness counts each (source, target) pair once; networkx counts
    # shortest paths from each source to every target, that is each pair from both ends.
    totals = [0.0] * n
    per_piece = max(1, PIECE // max(1, n + copy.graph.ecount()))
    for start in range(0, len(sources), per_piece):
        with IGRAPH:
            part = copy.graph.betweenness(
                directed=False, sources=sources[start : start + per_piece]
            )
        totals = list(map(add, totals, part))
        yield
    return dict(zip(copy.nodes, _normalized(totals, n, sources, pivots), strict=True))


def _normalized(totals: list[float], n: int, sources: list[int], pivots: int | None) -> list[float]:
    """Betweenness over the pairs it could be, as networkx scales it (endpoints left out)."""
    if n <= 2:
        return [0.0] * n
    if pivots is None:  # every unordered pair once: over (n - 1)(n - 2) / 2 pairs
        return [2 * value / ((n - 1) * (n - 2)) for value in totals]
    # A pivot cannot be on its own paths, so it is measured from the other k - 1 pivots.
    chosen = set(sources)
    per_source = 2 / (pivots * (n - 2))
    per_pivot = 2 / ((pivots - 1) * (n - 2)) if pivots > 1 else 0.0
    return [
        value * (per_pivot if index in chosen else per_source) for index, value in enumerate(totals)
    ]


def clusters(graph: nx.Graph, seed: int = 0) -> list[frozenset[int]]:
    """Return groups of actors more tied among themselves than to the rest of the map.

    The groups are Leiden communities of the highest modularity it finds (iterated until an
    iteration no longer improves them), found with the fixed `seed` so the answer is the same
    every time. Leiden, unlike Louvain, never leaves a group in pieces: the actors of a group
    are always connected among themselves. Ties count by their ``weight`` (how many statements
    made them). Isolated actors (no tie to anyone else) are in no group.

    Parameters
    ----------
    graph : networkx.Graph
        The round's map: nodes are actor ids with a ``name`` attribute.
    seed : int, optional (default=0)
        Seed for the order in which Leiden visits actors.

    Returns
    -------
    list of frozenset of int
        The groups, largest first; groups of equal size in order of their first name.

    See Also
    --------
    networkx.community.louvain_communities, igraph.Graph.community_leiden

    Examples
    --------
    >>> import networkx as nx
    >>> graph = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5)])
    >>> graph.add_node(6)
    >>> nx.set_node_attributes(graph, {n: f"Actor {n}" for n in graph}, "name")
    >>> [sorted(group) for group in clusters(graph)]
    [[1, 2, 3], [4, 5]]
    """
    return finish(_clusters(graph, copy_of(graph), seed))


def _clusters(graph: nx.Graph, copy: Copy, seed: int) -> Steps[list[frozenset[int]]]:
    """`clusters`, one Leiden iteration at a time."""
    if copy.graph.ecount() == 0:
        return []
    generator = random.Random(seed)
    membership: list[int] | None = None
    quality = float("-inf")
    for _iteration in range(MAX_ITERATIONS):
        with IGRAPH:
            igraph.set_random_number_generator(generator)
            try:
                found = copy.graph.community_leiden(
                    objective_function="modularity",
                    weights=copy.weights,
                    n_iterations=1,
                    initial_membership=membership,
                )
            finally:
                igraph.set_random_number_generator(random)
        improved = found.quality > quality
        membership, quality = found.membership, found.quality
        yield
        if not improved:
            break
    groups: dict[int, set[Hashable]] = {}
    for node, group in zip(copy.nodes, membership, strict=True):
        if _tie_count(graph, node) > 0:  # an isolated actor is a group of one: in none
            groups.setdefault(group, set()).add(node)
    found_groups = [frozenset(group) for group in groups.values()]
    return sorted(found_groups, key=lambda group: _cluster_key(graph, group))


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


def count_ties(graph: nx.Graph) -> int:
    """Return how many pairs of actors are tied: a tie of an actor to itself does not count.

    Examples
    --------
    >>> import networkx as nx
    >>> count_ties(nx.Graph([(1, 2), (2, 3), (3, 3)]))
    2
    """
    return graph.number_of_edges() - nx.number_of_selfloops(graph)


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

    See Also
    --------
    summarising : the same, in pieces.

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
    return finish(summarising(graph, seed=seed, top=top))


def summarising(graph: nx.Graph, seed: int = 0, top: int = 5) -> Steps[MapMeasures]:
    """Work out `summarise`'s measures in pieces, yielding (None) between them.

    Each piece is a few milliseconds, even on a map of 10,000 actors, so a caller that
    shares its thread (an event loop) can let others run at each yield. The measures are the
    generator's return value. The graph must not change until the generator is done.

    Examples
    --------
    >>> import networkx as nx
    >>> graph = nx.Graph([(1, 2), (2, 3)])
    >>> nx.set_node_attributes(graph, {1: "Ada", 2: "Bea", 3: "Cy"}, "name")
    >>> steps = summarising(graph)
    >>> pieces = 0
    >>> while True:
    ...     try:
    ...         next(steps)
    ...     except StopIteration as done:
    ...         measures = done.value
    ...         break
    ...     pieces += 1
    >>> pieces > 1, measures.brokers
    (True, ((2, 1.0),))
    """
    copy = yield from copying(graph)
    groups = yield from _clusters(graph, copy, seed)
    ranked = yield from _ranked_brokers(graph, copy, SAMPLE_ABOVE, PIVOTS, seed)
    connectors = key_connectors(graph, top=top)
    yield
    alone = isolated(graph)
    yield
    return MapMeasures(
        actors=graph.number_of_nodes(),
        ties=count_ties(graph),
        key_connectors=tuple(connectors),
        brokers=tuple(_top(ranked, top)),
        clusters=tuple(groups),
        isolated=tuple(alone),
        gaps=tuple(gaps(graph, groups)),
        sampled=_pivots(graph, SAMPLE_ABOVE, PIVOTS) is not None,
    )
