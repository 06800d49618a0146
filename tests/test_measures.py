"""Measures of a map, checked against networkx on well-known and hand-made networks."""

import doctest

import networkx as nx

import facilitation.measures
from facilitation.measures import (
    MEASURES,
    brokers,
    clusters,
    gaps,
    isolated,
    key_connectors,
    summarise,
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


def test_karate_club_brokers_follow_exact_betweenness():
    graph = named(nx.karate_club_graph())
    exact = nx.betweenness_centrality(graph, normalized=True)
    expected = sorted(exact, key=exact.get, reverse=True)[:5]
    found = brokers(graph)
    assert [actor for actor, _ in found] == expected
    assert [value for _, value in found] == [exact[actor] for actor in expected]


def test_karate_club_clusters_are_louvain_communities_largest_first():
    graph = named(nx.karate_club_graph())
    found = clusters(graph, seed=7)
    expected = nx.community.louvain_communities(graph, seed=7)
    assert set(found) == {frozenset(group) for group in expected}
    assert len(found) == len(expected)
    sizes = [len(group) for group in found]
    assert sizes == sorted(sizes, reverse=True)
    assert frozenset().union(*found) == set(graph)  # a partition of every actor
    assert sum(sizes) == graph.number_of_nodes()
    assert clusters(graph, seed=7) == found  # the same every time


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
