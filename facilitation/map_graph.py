"""The round's shared map as a graph: merged actors folded together, hidden ones left out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx
from rapidfuzz import fuzz, process

from facilitation.network import actor_key


@dataclass(frozen=True)
class MapActor:
    """An actor as the map sees it. `merged_into` points at the actor it now shows as."""

    id: int
    name: str
    kind: str
    layer: str | None = None
    added_by: int | None = None
    hidden: bool = False
    merged_into: int | None = None


@dataclass(frozen=True)
class MapTie:
    """One person's statement that two actors are tied."""

    id: int
    source: int
    target: int
    kind: str
    added_by: int | None = None


def on_show(actor: MapActor) -> bool:
    """Whether an actor is on the map as itself: not taken off it (hidden) and not merged
    into another (it then shows as that one: see `shown_as`). The one rule for what the map,
    its words, its files and people's lists of names show; `workshop.rounds.maps.on_show`
    is the same rule as a database filter.

    >>> on_show(MapActor(1, "Age UK", "group")), on_show(MapActor(2, "Age", "group", merged_into=1))
    (True, False)
    >>> on_show(MapActor(3, "Mind", "group", hidden=True))
    False
    """
    return not actor.hidden and actor.merged_into is None


def shown_as(actors: Iterable[MapActor]) -> dict[int, int]:
    """Map each actor id to the id it shows as on the map, following merges to the end.

    Parameters
    ----------
    actors : iterable of MapActor

    Returns
    -------
    dict
        Actor id to the id of the actor it was (perhaps in several steps) merged into;
        an unmerged actor shows as itself. A merge loop (never made by the app) stops
        where it would repeat.

    Examples
    --------
    >>> shown_as([MapActor(1, "A", "group"), MapActor(2, "a.", "group", merged_into=1)])
    {1: 1, 2: 1}
    """
    into = {a.id: a.merged_into for a in actors}
    result: dict[int, int] = {}
    for start in into:
        seen = [start]
        current = start
        while into.get(current) is not None and into[current] in into and into[current] not in seen:
            current = into[current]
            seen.append(current)
        result[start] = current
    return result


def build_graph(actors: Sequence[MapActor], ties: Iterable[MapTie]) -> nx.Graph:
    """The shared map: one node per actor on show, one edge per tied pair.

    Parameters
    ----------
    actors : sequence of MapActor
        Every actor of the round; merged ones are folded into the actor they show as,
        and hidden ones (with their ties) are left out.
    ties : iterable of MapTie

    Returns
    -------
    networkx.Graph
        Nodes are actor ids with ``name``, ``kind``, ``layer`` and ``added_by``
        (everyone who named it or an actor merged into it). Edges carry ``weight`` (how
        many statements of a tie between the two), ``kinds`` (sorted tie kinds) and
        ``sources`` (sorted (kind, actor id it was stated from) pairs: see `arrows`).
        Ties are undirected here: measures read who is linked, not which way.

    Examples
    --------
    >>> g = build_graph(
    ...     [MapActor(1, "Age UK", "organisation"), MapActor(2, "Mind", "organisation")],
    ...     [MapTie(1, 1, 2, "works-with"), MapTie(2, 2, 1, "funds")],
    ... )
    >>> g.edges[1, 2]["weight"], g.edges[1, 2]["kinds"], g.edges[1, 2]["sources"]
    (2, ('funds', 'works-with'), (('funds', 2), ('works-with', 1)))
    """
    target = shown_as(actors)
    by_id = {a.id: a for a in actors}
    graph = nx.Graph()
    for actor in actors:
        shown = by_id[target[actor.id]]
        if not on_show(shown):
            continue
        if shown.id not in graph:
            graph.add_node(
                shown.id, name=shown.name, kind=shown.kind, layer=shown.layer, added_by=set()
            )
        if actor.added_by is not None:
            graph.nodes[shown.id]["added_by"].add(actor.added_by)
    for tie in ties:
        source, end = target.get(tie.source), target.get(tie.target)
        if source is None or end is None or source == end:
            continue  # an actor merged into the other end says nothing about a tie
        if source not in graph or end not in graph:
            continue  # hidden
        if graph.has_edge(source, end):
            edge = graph.edges[source, end]
            edge["weight"] += 1
            edge["kinds"] = tuple(sorted({*edge["kinds"], tie.kind}))
            edge["sources"] = tuple(sorted({*edge["sources"], (tie.kind, source)}))
        else:
            graph.add_edge(source, end, weight=1, kinds=(tie.kind,), sources=((tie.kind, source),))
    return graph


def arrows(sources: Iterable[tuple[str, int]], low: int, high: int, directed: set[str]) -> str:
    """Which way a tie between actors `low` and `high` points, from the statements of it
    (`sources`, as `build_graph` keeps them) whose kind has a direction: "to" (from low to
    high), "from" (high to low), "both", or "" when no statement of it has a direction.

    >>> arrows([("funds", 1), ("works-with", 2)], 1, 2, {"funds"})
    'to'
    >>> arrows([("funds", 1), ("funds", 2)], 1, 2, {"funds"}), arrows([("ally", 2)], 1, 2, set())
    ('both', '')
    """
    ends = {source for kind, source in sources if kind in directed}
    if ends >= {low, high}:
        return "both"
    return "to" if low in ends else "from" if high in ends else ""


def look_alikes(
    actors: Sequence[MapActor], threshold: float = 85.0, limit: int = 50
) -> list[tuple[int, int, float]]:
    """Pairs of actors on show whose names look like one actor written two ways.

    Parameters
    ----------
    actors : sequence of MapActor
    threshold : float
        How alike (0 to 100, rapidfuzz's ratio of the names with case and spacing
        ignored) two names must be to be offered for merging.
    limit : int
        At most this many pairs, the most alike first.

    Returns
    -------
    list of (id, id, score)
        Each pair once, the older actor (lower id) first.

    Examples
    --------
    >>> look_alikes([MapActor(1, "Inclusion London", "organisation"),
    ...              MapActor(2, "Inclusion Ldn", "organisation"),
    ...              MapActor(3, "Age UK", "organisation")])
    [(1, 2, 89.7)]
    """
    shown = [a for a in actors if on_show(a)]
    keys = [actor_key(a.name) for a in shown]
    pairs = []
    for i, key in enumerate(keys):
        later = keys[i + 1 :]
        for _match, score, offset in process.extract(
            key, later, scorer=fuzz.ratio, score_cutoff=threshold, limit=None
        ):
            a, b = shown[i].id, shown[i + 1 + offset].id
            pairs.append((min(a, b), max(a, b), round(score, 1)))
    return sorted(pairs, key=lambda p: (-p[2], p[0], p[1]))[:limit]
