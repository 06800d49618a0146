"""What changed between two rounds' maps: actors and ties added, lost and kept."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from facilitation.network import actor_key

Pair = tuple[str, str]  # two actor names, in the order of their keys


@dataclass(frozen=True)
class MapDifference:
    """Actors (by name) and ties (by pair of names) in the later map only, the earlier only,
    or both. Names match with case and spacing ignored, as actors do within a round."""

    added_actors: tuple[str, ...]
    lost_actors: tuple[str, ...]
    kept_actors: tuple[str, ...]
    added_ties: tuple[Pair, ...]
    lost_ties: tuple[Pair, ...]
    kept_ties: tuple[Pair, ...]


def _names(graph: nx.Graph) -> dict[str, str]:
    """Actor key -> the name as written, for every actor on the map."""
    return {actor_key(data["name"]): data["name"] for _node, data in graph.nodes(data=True)}


def _ties(graph: nx.Graph) -> dict[tuple[str, str], Pair]:
    names = {node: data["name"] for node, data in graph.nodes(data=True)}
    ties = {}
    for a, b in graph.edges():
        (key_a, name_a), (key_b, name_b) = sorted(
            ((actor_key(names[a]), names[a]), (actor_key(names[b]), names[b]))
        )
        ties[(key_a, key_b)] = (name_a, name_b)
    return ties


def difference(before: nx.Graph, after: nx.Graph) -> MapDifference:
    """Compare two maps (graphs whose nodes carry a ``name``).

    Examples
    --------
    >>> one = nx.Graph([(1, 2)]); nx.set_node_attributes(one, {1: "Age UK", 2: "Mind"}, "name")
    >>> two = nx.Graph([(7, 8)]); nx.set_node_attributes(two, {7: "age uk", 8: "Shelter"}, "name")
    >>> d = difference(one, two)
    >>> d.added_actors, d.lost_actors, d.kept_actors
    (('Shelter',), ('Mind',), ('age uk',))
    >>> d.added_ties, d.lost_ties
    ((('age uk', 'Shelter'),), (('Age UK', 'Mind'),))
    """
    old, new = _names(before), _names(after)
    old_ties, new_ties = _ties(before), _ties(after)

    def ordered(names: dict, keys: set) -> tuple:
        return tuple(names[k] for k in sorted(keys))

    return MapDifference(
        added_actors=ordered(new, new.keys() - old.keys()),
        lost_actors=ordered(old, old.keys() - new.keys()),
        kept_actors=ordered(new, new.keys() & old.keys()),
        added_ties=ordered(new_ties, new_ties.keys() - old_ties.keys()),
        lost_ties=ordered(old_ties, old_ties.keys() - new_ties.keys()),
        kept_ties=ordered(new_ties, new_ties.keys() & old_ties.keys()),
    )


def union_graph(before: nx.Graph, after: nx.Graph) -> nx.Graph:
    """Both maps as one graph keyed by actor key, each node and edge marked ``added``,
    ``lost`` or ``kept``: the picture of the difference."""
    old, new = _names(before), _names(after)
    old_ties, new_ties = _ties(before), _ties(after)
    graph = nx.Graph()
    for key in sorted(old.keys() | new.keys()):
        status = "kept" if key in old and key in new else "added" if key in new else "lost"
        graph.add_node(key, name=new.get(key) or old[key], status=status)
    for pair in sorted(old_ties.keys() | new_ties.keys()):
        in_old, in_new = pair in old_ties, pair in new_ties
        graph.add_edge(*pair, status="kept" if in_old and in_new else "added" if in_new else "lost")
    return graph
