"""The map's measures in plain words: what each one found, and what it means for the network."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import networkx as nx
from flask_babel import gettext as _

from facilitation.measures import MapMeasures, summarise
from workshop.web.i18n import as_list
from workshop.web.i18n import count_words as ngettext

_KEPT: OrderedDict[int, MapMeasures] = OrderedDict()


def measures_of(graph: nx.Graph) -> MapMeasures:
    """The map's measures, computed again only when its actors or ties changed (they take
    0.4 s at 1,000 actors, and a busy map page is loaded again and again)."""
    shape = hash(
        (
            tuple(sorted(graph.nodes)),
            tuple(sorted((min(a, b), max(a, b), w) for a, b, w in graph.edges(data="weight"))),
        )
    )
    if shape not in _KEPT:
        _KEPT[shape] = summarise(graph)
        while len(_KEPT) > 64:
            _KEPT.popitem(last=False)
    _KEPT.move_to_end(shape)
    return _KEPT[shape]


@dataclass(frozen=True)
class MeasureSection:
    """One measure: a heading, one sentence on what it means, and what it found."""

    key: str
    title: str
    meaning: str
    found: tuple[str, ...]


def _names(graph: nx.Graph, nodes, limit: int = 4) -> str:
    names = [graph.nodes[n]["name"] for n in nodes]
    if len(names) > limit:
        rest = len(names) - limit
        return _("%(names)s and %(count)d more", names=", ".join(names[:limit]), count=rest)
    return ", ".join(names)


def summary_line(measures: MapMeasures) -> str:
    """One line for the map's accessible name, in the words the map step uses too (the
    glossary's): "34 names, 78 connections and 3 clusters"."""
    return as_list(
        (
            ngettext("%(num)s name", "%(num)s names", measures.actors),
            ngettext("%(num)s connection", "%(num)s connections", measures.ties),
            ngettext("%(num)s cluster", "%(num)s clusters", len(measures.clusters)),
        )
    )


def measure_sections(graph: nx.Graph, measures: MapMeasures) -> list[MeasureSection]:
    """Every measure, in order, each with its sentence of meaning."""

    def name(node: int) -> str:
        return graph.nodes[node]["name"]

    clusters = [
        _("Cluster %(n)d: %(names)s", n=i + 1, names=_names(graph, sorted(group, key=name)))
        for i, group in enumerate(measures.clusters)
    ]
    return [
        MeasureSection(
            "size",
            summary_line(measures),
            _("Everyone and everything the group named, and the links between them."),
            (),
        ),
        MeasureSection(
            "key-connectors",
            _("Key connectors"),
            _("They have the most connections. News and requests reach them first."),
            tuple(
                ngettext(
                    "%(name)s: %(num)s connection", "%(name)s: %(num)s connections", n, name=name(a)
                )
                for a, n in measures.key_connectors
            ),
        ),
        MeasureSection(
            "brokers",
            _("Bridges and brokers"),
            _("They link parts of the network that would otherwise lose touch."),
            tuple(name(a) for a, _score in measures.brokers),
        ),
        MeasureSection(
            "clusters",
            _("Clusters"),
            _("Groups that are more connected to each other than to the rest."),
            tuple(clusters),
        ),
        MeasureSection(
            "isolated",
            _("Not connected to anyone yet"),
            _("Named, but with no connections. Who could connect them?"),
            (_names(graph, measures.isolated, limit=12),) if measures.isolated else (),
        ),
        MeasureSection(
            "gaps",
            _("Gaps"),
            _("Clusters with no connections between them. An introduction could bridge them."),
            tuple(_("Cluster %(a)d and cluster %(b)d", a=a + 1, b=b + 1) for a, b in measures.gaps),
        ),
    ]
