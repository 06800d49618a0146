"""GEXF 1.2, Gephi's format, as its schema allows: a round's map, or rounds in time."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from xml.etree.ElementTree import Element, SubElement, indent, register_namespace, tostring

import networkx as nx

from facilitation.exports import answer_columns
from facilitation.network import actor_key

# GEXF 1.2 is the version networkx, graphology and every Gephi since 0.8 read; its schema
# allows no `name` on <graph> and no `timeformat="long"` (both written by networkx).
NS = "http://www.gexf.net/1.2draft"
VIZ = "http://www.gexf.net/1.2draft/viz"
register_namespace("", NS)
register_namespace("viz", VIZ)

NODE_ATTRIBUTES = (("kind", "string"), ("layer", "string"), ("ties", "integer"))
EDGE_ATTRIBUTES = (("kinds", "string"), ("kind_weights", "string"))
TYPES = {bool: "boolean", int: "integer", float: "double"}  # any other value: a string


def round_gexf(graph: nx.DiGraph, title: str) -> bytes:
    """One round's map as people saw it: each actor where the canvas placed it, coloured by
    kind and as large as its ties, with every attribute of the export graph."""
    root, graph_element = _document(title, mode="static")
    node_attributes = _node_attributes([graph])
    _declare(graph_element, "node", "static", node_attributes)
    _declare(graph_element, "edge", "static", EDGE_ATTRIBUTES)
    nodes = SubElement(graph_element, _tag("nodes"))
    for node, data in graph.nodes(data=True):
        element = SubElement(nodes, _tag("node"), id=str(node), label=data["label"])
        _values(element, ((name, data[name]) for name, _type in node_attributes if name in data))
        _looks(element, data)
    edges = SubElement(graph_element, _tag("edges"))
    for number, (source, end, data) in enumerate(graph.edges(data=True)):
        element = SubElement(
            edges,
            _tag("edge"),
            id=str(number),
            source=str(source),
            target=str(end),
            weight=str(data["weight"]),
        )
        _values(element, ((name, data[name]) for name, _type in EDGE_ATTRIBUTES))
    return _bytes(root)


def rounds_gexf(rounds: Sequence[tuple[str, nx.DiGraph]], title: str) -> bytes:
    """An experiment's rounds as one dynamic GEXF: round i (from 1) is the time from i to
    i + 1, each actor and tie lives in the rounds that had it, and each attribute has its
    value in each of them. Actors are matched across rounds by name (case and spacing
    ignored). Readers without time still see which rounds had each one ("rounds")."""
    numbered = "; ".join(f"{i}: {name}" for i, (name, _g) in enumerate(rounds, start=1))
    root, graph_element = _document(
        f"{title}. Rounds by time: {numbered}", mode="dynamic", timeformat="double"
    )
    # One declaration a class (graphology reads only the last): "rounds" has one value from
    # the first round to the last, the others a value a round.
    node_attributes = (("round", "string"), *_node_attributes([g for _name, g in rounds]))
    edge_attributes = (("round", "string"), ("weight", "double"), *EDGE_ATTRIBUTES)
    _declare(graph_element, "node", "dynamic", (("rounds", "string"), *node_attributes))
    _declare(graph_element, "edge", "dynamic", (("rounds", "string"), *edge_attributes))
    actors: dict[str, list] = {}  # key -> [(round number, name, data), ...]
    ties: dict[tuple[str, str], list] = {}
    for number, (name, graph) in enumerate(rounds, start=1):
        keys = {node: actor_key(data["label"]) for node, data in graph.nodes(data=True)}
        for node, data in graph.nodes(data=True):
            actors.setdefault(keys[node], []).append((number, name, {**data, "round": name}))
        for source, end, data in graph.edges(data=True):
            seen = ties.setdefault((keys[source], keys[end]), [])
            seen.append((number, name, {**data, "round": name}))
    nodes = SubElement(graph_element, _tag("nodes"))
    for key, lives in actors.items():
        latest = lives[-1][2]
        element = SubElement(nodes, _tag("node"), id=key, label=latest["label"])
        _lives(element, lives, node_attributes)
        _looks(element, latest)
    edges = SubElement(graph_element, _tag("edges"))
    for number, ((source, end), lives) in enumerate(ties.items()):
        weight = str(lives[-1][2]["weight"])
        element = SubElement(
            edges, _tag("edge"), id=str(number), source=source, target=end, weight=weight
        )
        _lives(element, lives, edge_attributes)
    return _bytes(root)


def _node_attributes(graphs: Sequence[nx.DiGraph]) -> tuple[tuple[str, str], ...]:
    """Every attribute the actors have, each with its GEXF type: the usual ones, then those
    answers gave them (a rating's mean, a sort's answers)."""
    kinds = {
        name: TYPES.get(type(value), "string")
        for graph in graphs
        for _node, data in graph.nodes(data=True)
        for name, value in data.items()
    }
    return (*NODE_ATTRIBUTES, *((name, kinds[name]) for name in answer_columns(graphs)))


def _document(description: str, **graph_attributes: str) -> tuple[Element, Element]:
    root = Element(_tag("gexf"), version="1.2")
    meta = SubElement(root, _tag("meta"), lastmodifieddate=datetime.date.today().isoformat())
    SubElement(meta, _tag("creator")).text = "Roundtable"
    SubElement(meta, _tag("description")).text = description
    graph = SubElement(root, _tag("graph"), defaultedgetype="directed", **graph_attributes)
    return root, graph


def _declare(graph: Element, of: str, mode: str, attributes: Sequence[tuple[str, str]]) -> None:
    """The attributes of nodes or edges: each one's id is its name, as readers show it."""
    declared = SubElement(graph, _tag("attributes"), {"class": of, "mode": mode})
    for name, kind in attributes:
        SubElement(declared, _tag("attribute"), id=name, title=name, type=kind)


def _values(element: Element, values) -> None:
    holder = SubElement(element, _tag("attvalues"))
    for name, value in values:
        SubElement(holder, _tag("attvalue"), {"for": name, "value": str(value)})


def _lives(element: Element, lives: list, attributes: Sequence[tuple[str, str]]) -> None:
    """When an actor or tie was on the map (a spell per round) and its value in each."""
    holder = SubElement(element, _tag("attvalues"))
    names = " | ".join(name for _number, name, _data in lives)
    whole = {"start": f"{lives[0][0]}.0", "end": f"{lives[-1][0] + 1}.0"}
    SubElement(holder, _tag("attvalue"), {"for": "rounds", "value": names, **whole})
    for number, _name, data in lives:
        for name, _type in attributes:
            if name not in data:
                continue  # not rated or sorted in this round
            when = {"start": f"{number}.0", "end": f"{number + 1}.0"}
            value = {"for": name, "value": str(data[name])}
            SubElement(holder, _tag("attvalue"), {**value, **when})
    spells = SubElement(element, _tag("spells"))
    for number, _name, _data in lives:
        SubElement(spells, _tag("spell"), start=f"{number}.0", end=f"{number + 1}.0")


def _looks(element: Element, data: dict) -> None:
    """Colour, place and size, where the export graph has them."""
    if "r" in data:
        colour = {part: str(data[part]) for part in "rgb"}
        SubElement(element, f"{{{VIZ}}}color", colour)
    if "x" in data:
        SubElement(element, f"{{{VIZ}}}position", x=str(data["x"]), y=str(data["y"]), z="0.0")
    if "size" in data:
        SubElement(element, f"{{{VIZ}}}size", value=str(data["size"]))


def _tag(name: str) -> str:
    return f"{{{NS}}}{name}"


def _bytes(root: Element) -> bytes:
    indent(root)
    return tostring(root, encoding="utf-8", xml_declaration=True)
