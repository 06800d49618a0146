"""The map's measures in plain words: what each one found, and what it means for the network."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import networkx as nx
from flask_babel import gettext as _

from facilitation.igraph_copy import shape_of
from facilitation.measures import MapMeasures, count_ties, summarise
from workshop.rounds.measures import MeasuresNow
from workshop.web.i18n import as_list
from workshop.web.i18n import count_words as ngettext

_KEPT: OrderedDict[str, MapMeasures] = OrderedDict()


def measures_of(graph: nx.Graph) -> MapMeasures:
    """A report's map's measures, worked out here and kept by the map's shape (a round's
    report and comparisons are read again and again; its map no longer changes)."""
    shape = shape_of(graph)
    if shape not in _KEPT:
        _KEPT[shape] = summarise(graph)
        while len(_KEPT) > 64:
            _KEPT.popitem(last=False)
    _KEPT.move_to_end(shape)
    return _KEPT[shape]


def names_in(graph: nx.Graph) -> dict[int, str]:
    """Every actor's name on the map, by id."""
    return {node: graph.nodes[node]["name"] for node in graph}


@dataclass(frozen=True)
class MeasuresNote:
    """When the measures shown were worked out (None: the first are being worked out), and
    whether the map has changed since."""

    worked_out_at: datetime | None
    changed_since: bool


@dataclass(frozen=True)
class MapWords:
    """The words of a map page that come from its measures."""

    summary: str
    sections: tuple[MeasureSection, ...]  # none while the first measures are worked out
    note: MeasuresNote


def map_words(graph: nx.Graph, now: MeasuresNow) -> MapWords:
    """The summary line (counted on the map as it is now, with the last clusters known), and
    the last measures in words, with when they were worked out."""
    last = now.last
    clusters = len(last.measures.clusters) if last else None
    return MapWords(
        summary=summary_line(graph.number_of_nodes(), count_ties(graph), clusters),
        sections=tuple(measure_sections(last.measures, last.names)) if last else (),
        note=MeasuresNote(last.worked_out_at if last else None, now.changed_since),
    )


@dataclass(frozen=True)
class MeasureSection:
    """One measure: a heading, one sentence on what it means, and what it found."""

    key: str
    title: str
    meaning: str
    found: tuple[str, ...]


def _names(names: Mapping[int, str], nodes: Iterable[int], limit: int = 4) -> str:
    shown = [names[n] for n in nodes]
    if len(shown) > limit:
        rest = len(shown) - limit
        return _("%(names)s and %(count)d more", names=", ".join(shown[:limit]), count=rest)
    return ", ".join(shown)


def summary_line(actors: int, ties: int, clusters: int | None = None) -> str:
    """One line for the map's accessible name, in the words the map step uses too (the
    glossary's): "34 names, 78 connections and 3 clusters" (no clusters before any are
    worked out)."""
    parts = [
        ngettext("%(num)s name", "%(num)s names", actors),
        ngettext("%(num)s connection", "%(num)s connections", ties),
    ]
    if clusters is not None:
        parts.append(ngettext("%(num)s cluster", "%(num)s clusters", clusters))
    return as_list(parts)


def measure_sections(measures: MapMeasures, names: Mapping[int, str]) -> list[MeasureSection]:
    """Every measure, in order, each with its sentence of meaning; `names` are the actors'
    names when the measures were worked out."""

    def name(node: int) -> str:
        return names[node]

    clusters = [
        _("Cluster %(n)d: %(names)s", n=i + 1, names=_names(names, sorted(group, key=name)))
        for i, group in enumerate(measures.clusters)
    ]
    return [
        MeasureSection(
            "size",
            summary_line(measures.actors, measures.ties, len(measures.clusters)),
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
            (_names(names, measures.isolated, limit=12),) if measures.isolated else (),
        ),
        MeasureSection(
            "gaps",
            _("Gaps"),
            _("Clusters with no connections between them. An introduction could bridge them."),
            tuple(_("Cluster %(a)d and cluster %(b)d", a=a + 1, b=b + 1) for a, b in measures.gaps),
        ),
    ]
