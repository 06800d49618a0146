"""Measures of a map (worked out with igraph), checked against networkx on the famous networks
it ships and on hand-made ones."""

import doctest
import random

import networkx as nx
import pytest

import facilitation.measures
from facilitation.igraph_copy import shape_of
from facilitation.measures import (
    MEASURES,
    brokers,
    clusters,
    gaps,
    isolated,
    key_connectors,
    summarise,
    summarising,
)


def named(graph: nx.Graph) -> nx.Graph:
    """The graph with integer actor ids and a `name` on every actor, as the map builder gives."""
    if all(isinstance(node, int) for node in graph):
        graph = graph.copy()
        nx.set_node_attributes(graph, {node: f"Actor {node:03d}" for node in graph}, "name")
        return graph
    return nx.convert_node_labels_to_integers(graph, label_attribute="name")


def names(graph: nx.Graph, actors) -> list[str]:
    return [graph.nodes[actor]["name"] for actor in actors]


def test_the_examples_in_the_docstrings_run():
    result = doctest.testmod(facilitation.measures)
    assert result.attempted > 0
    assert result.failed == 0


def test_the_measure_keys_are_stable_and_in_display_order():
    assert MEASURES == (
        "actors",
        "ties",
        "key-connectors",
        "brokers",
        "clusters",
        "isolated",
        "gaps",
    )


def test_karate_club_key_connectors_are_the_two_leaders():
    graph = named(nx.karate_club_graph())
    top = key_connectors(graph)
    assert [actor for actor, _ in top[:2]] == [33, 0]
    degrees = dict(graph.degree())
    assert [count for _, count in top] == sorted(degrees.values(), reverse=True)[:5]
    assert all(degrees[actor] == count for actor, count in top)


def test_ties_count_once_per_pair_whatever_their_weight():
    graph = nx.Graph()
    graph.add_edge(1, 2, weight=9, kinds=("funds",))
    graph.add_edge(1, 3, weight=1, kinds=("advises",))
    graph.add_edge(3, 4, weight=1, kinds=("advises",))
    graph = named(graph)
    assert key_connectors(graph) == [(1, 2), (3, 2), (2, 1), (4, 1)]
    assert key_connectors(graph, top=1) == [(1, 2)]


def test_equal_counts_are_listed_by_name():
    graph = nx.Graph([(1, 2), (3, 4)])
    nx.set_node_attributes(graph, {1: "delta", 2: "Bravo", 3: "alpha", 4: "Charlie"}, "name")
    assert names(graph, [actor for actor, _ in key_connectors(graph)]) == [
        "alpha",
        "Bravo",
        "Charlie",
        "delta",
    ]


# Graphs networkx ships, as the map builder would give them: integer ids in the graph's
# order, names, and (Les Misérables, the karate club) a `weight` on each tie.
FAMOUS = {
    "karate club": nx.karate_club_graph,
    "Les Misérables": nx.les_miserables_graph,
    "Florentine families": nx.florentine_families_graph,
    "Davis southern women": nx.davis_southern_women_graph,
}


def famous(which: str) -> nx.Graph:
    return named(FAMOUS[which]())


@pytest.mark.parametrize("which", FAMOUS)
def test_brokers_are_networkx_exact_betweenness(which):
    graph = famous(which)
    exact = nx.betweenness_centrality(graph, normalized=True)
    found = dict(brokers(graph, top=graph.number_of_nodes()))
    assert set(found) == {actor for actor, value in exact.items() if value > 0}
    assert found == pytest.approx({actor: exact[actor] for actor in found}, abs=1e-12)


@pytest.mark.parametrize("which", FAMOUS)
def test_sampled_brokers_are_networkx_sampled_betweenness(which):
    graph = famous(which)
    for k, seed in ((5, 0), (12, 3)):
        sampled = nx.betweenness_centrality(graph, k=k, seed=seed, normalized=True)
        found = dict(brokers(graph, top=graph.number_of_nodes(), sample_above=0, k=k, seed=seed))
        assert set(found) == {actor for actor, value in sampled.items() if value > 0}
        assert found == pytest.approx({actor: sampled[actor] for actor in found}, abs=1e-12)


def test_karate_club_brokers_follow_exact_betweenness():
    graph = named(nx.karate_club_graph())
    exact = nx.betweenness_centrality(graph, normalized=True)
    expected = sorted(exact, key=exact.get, reverse=True)[:5]
    found = brokers(graph)
    assert [actor for actor, _ in found] == expected
    assert [value for _, value in found] == pytest.approx([exact[actor] for actor in expected])


def test_equal_betweenness_is_listed_by_name_whatever_the_arithmetic():
    # A ring: every actor has the same betweenness, summed in a different order for each.
    graph = nx.cycle_graph(7)
    nx.set_node_attributes(graph, {n: "ZYXWVUT"[n] for n in graph}, "name")
    assert [actor for actor, _ in brokers(graph, top=7)] == [6, 5, 4, 3, 2, 1, 0]


@pytest.mark.parametrize("which", FAMOUS)
def test_clusters_are_as_good_as_networkx_louvain(which):
    """Leiden and Louvain both look for the groups of highest modularity, each by its own
    random path: the groups differ, their quality must not (within 0.02 of the best that
    networkx's Louvain finds with five seeds, and about as many groups)."""
    graph = famous(which)
    found = clusters(graph)
    louvain = [nx.community.louvain_communities(graph, seed=seed) for seed in range(5)]
    best = max(nx.community.modularity(graph, groups) for groups in louvain)
    assert nx.community.modularity(graph, found) >= best - 0.02
    counts = [len(groups) for groups in louvain]
    assert min(counts) - 1 <= len(found) <= max(counts) + 1
    assert frozenset().union(*found) == set(graph)  # no one isolated: a partition of all
    assert sum(len(group) for group in found) == graph.number_of_nodes()


@pytest.mark.parametrize("which", FAMOUS)
def test_every_cluster_holds_together(which):
    # Leiden's promise, and why it is used: Louvain can give a group in two pieces.
    graph = famous(which)
    assert all(nx.is_connected(graph.subgraph(group)) for group in clusters(graph))


def test_karate_club_clusters_are_the_same_every_time_largest_first():
    graph = named(nx.karate_club_graph())
    found = clusters(graph, seed=7)
    sizes = [len(group) for group in found]
    assert sizes == sorted(sizes, reverse=True)
    assert clusters(graph, seed=7) == found  # the same every time
    # The club split in two (Zachary's "Mr Hi" and "Officer" factions): no group mixes the
    # two leaders, 0 and 33.
    assert not any({0, 33} <= group for group in found)


def test_the_measures_do_not_hang_on_the_order_actors_and_ties_were_added():
    graph = named(nx.les_miserables_graph())
    shuffled = nx.Graph()
    nodes = list(graph.nodes(data=True))
    random.Random(4).shuffle(nodes)
    shuffled.add_nodes_from(nodes)
    edges = list(graph.edges(data=True))
    random.Random(5).shuffle(edges)
    shuffled.add_edges_from((v, u, data) for u, v, data in edges)
    assert summarise(shuffled) == summarise(graph)
    assert brokers(shuffled, sample_above=0, k=20) == brokers(graph, sample_above=0, k=20)
    assert shape_of(shuffled) == shape_of(graph)


def test_the_shape_changes_with_anything_the_measures_read():
    graph = named(nx.florentine_families_graph())
    shape = shape_of(graph)
    renamed = graph.copy()
    renamed.nodes[0]["name"] = "Someone else"
    stated_again = graph.copy()
    stated_again.add_edge(*next(iter(graph.edges)), weight=2)
    fewer = graph.copy()
    fewer.remove_edge(*next(iter(graph.edges)))
    assert len({shape, shape_of(renamed), shape_of(stated_again), shape_of(fewer)}) == 4
    kinds_only = graph.copy()  # what measures do not read leaves the shape alone
    nx.set_node_attributes(kinds_only, "campaign", "kind")
    assert shape_of(kinds_only) == shape


def test_summarising_yields_between_pieces_and_ends_with_the_measures():
    graph = named(nx.barabasi_albert_graph(600, 2, seed=3))
    steps = summarising(graph)
    pieces = 0
    while True:
        try:
            next(steps)
        except StopIteration as done:
            measures = done.value
            break
        pieces += 1
    assert pieces > 10  # sampled betweenness alone comes in several pieces
    assert measures == summarise(graph)


def test_florentine_families_centre_on_the_medici():
    graph = named(nx.florentine_families_graph())
    assert names(graph, [key_connectors(graph)[0][0]]) == ["Medici"]
    assert names(graph, [brokers(graph)[0][0]]) == ["Medici"]
    assert isolated(graph) == []


def two_groups_and_a_loner() -> nx.Graph:
    graph = nx.Graph()
    graph.add_edges_from([(1, 2), (2, 3), (1, 3)], weight=1, kinds=("knows",))
    graph.add_edges_from([(4, 5), (5, 6), (4, 6), (6, 7)], weight=2, kinds=("funds",))
    graph.add_node(8)
    nx.set_node_attributes(graph, None, "layer")
    nx.set_node_attributes(graph, "organisation", "kind")
    return named(graph)


def test_groups_with_no_tie_between_them_are_a_gap():
    graph = two_groups_and_a_loner()
    found = clusters(graph)
    assert found == [frozenset({4, 5, 6, 7}), frozenset({1, 2, 3})]
    assert isolated(graph) == [8]
    assert all(8 not in group for group in found)
    assert gaps(graph, found) == [(0, 1)]


def test_a_single_tie_between_groups_closes_the_gap():
    graph = two_groups_and_a_loner()
    graph.add_edge(3, 4, weight=1, kinds=("knows",))
    assert gaps(graph, [{1, 2, 3}, {4, 5, 6, 7}, {8}]) == [(0, 2), (1, 2)]
    assert gaps(graph, [{1, 2}, {5, 6, 7}]) == [(0, 1)]  # the tie 3-4 is outside both


def test_a_tie_to_oneself_is_not_a_tie():
    graph = named(nx.Graph([(1, 2), (3, 3)]))
    assert isolated(graph) == [3]
    assert key_connectors(graph) == [(1, 1), (2, 1)]
    assert clusters(graph) == [frozenset({1, 2})]
    assert summarise(graph).ties == 1


def test_a_large_map_samples_betweenness_and_finds_most_of_the_same_brokers():
    graph = named(nx.barabasi_albert_graph(1200, 2, seed=1))
    measures = summarise(graph, top=10)
    assert measures.sampled
    assert len(measures.brokers) == 10
    exact = nx.betweenness_centrality(graph, normalized=True)
    exact_top = set(sorted(exact, key=exact.get, reverse=True)[:10])
    sampled_top = {actor for actor, _ in measures.brokers}
    assert len(sampled_top & exact_top) >= 6
    assert summarise(graph, top=10).brokers == measures.brokers  # fixed seed: same answer


def test_a_small_map_is_exact():
    graph = named(nx.karate_club_graph())
    assert not summarise(graph).sampled
    assert brokers(graph, sample_above=10, k=34) == brokers(graph)  # k covers every actor


def test_an_empty_map_has_nothing_to_report():
    measures = summarise(nx.Graph())
    assert (measures.actors, measures.ties) == (0, 0)
    assert measures.key_connectors == measures.brokers == ()
    assert measures.clusters == measures.isolated == measures.gaps == ()
    assert not measures.sampled


def test_a_map_with_no_ties_lists_everyone_as_isolated():
    graph = named(nx.empty_graph(4))
    measures = summarise(graph)
    assert (measures.actors, measures.ties) == (4, 0)
    assert measures.key_connectors == measures.brokers == ()
    assert measures.clusters == measures.gaps == ()
    assert measures.isolated == (0, 1, 2, 3)
