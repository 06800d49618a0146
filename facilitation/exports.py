"""A round's map and answers in the files other tools read: Kumu, GraphML, CSV, JSON."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
from openpyxl import Workbook

from facilitation.map_graph import MapActor, MapTie, on_show, shown_as
from facilitation.map_style import COLOURS, colour_of
from facilitation.network import actor_key
from facilitation.text import without_controls
from questionnaires.schema import Codebook

# An ID first, as Kumu's import allows: it then updates the elements and connections of an
# earlier import (a later round's export) instead of adding them again, and From and To
# name elements by their IDs.
ELEMENT_HEADERS = ("ID", "Label", "Type", "Description", "Tags")
CONNECTION_HEADERS = ("ID", "From", "To", "Type", "Strength", "Tags")


def export_graph(
    actors: Sequence[MapActor],
    ties: Iterable[MapTie],
    codebook: Codebook,
    positions: Mapping[int, tuple[float, float]] | None = None,
) -> nx.DiGraph:
    """The map as a directed graph for export: one node per actor on show, one edge per
    (from, to) pair with how many times it was stated (each person once for each kind,
    whichever merged names they used), every kind in plain words, and how many said each.
    Each actor also carries how the canvas draws it: its kind's colour (r, g, b), its size
    (from its ties) and, where `positions` has it, its place (x, y, with y up as Gephi
    draws it: the canvas's y runs down).

    Examples
    --------
    >>> from questionnaires.schema import Codebook, Term, TieKind
    >>> book = Codebook(actor_kinds=[Term(id="group", label="A group")],
    ...                 tie_kinds=[TieKind(id="funds", label="Funds")])
    >>> g = export_graph([MapActor(1, "Age UK", "group"), MapActor(2, "Mind", "group")],
    ...                  [MapTie(1, 1, 2, "funds"), MapTie(2, 1, 2, "funds")], book)
    >>> g.nodes[1]["label"], g.edges[1, 2]["weight"], g.edges[1, 2]["kinds"]
    ('Age UK', 2, 'Funds')
    """
    # Plain strings: the labels may be a questionnaire's language-tagged texts, and the
    # GraphML and GEXF writers accept exactly str. Every text loses what XML cannot hold
    # (names stored before they were cleaned; an uploaded questionnaire's words).
    kinds = {t.id: without_controls(str(t.label)) for t in codebook.actor_kinds}
    layers = {t.id: without_controls(str(t.label)) for t in codebook.layers}
    # "|" joins a pair's kinds in the files: a kind's own "|" is written "/".
    tie_kinds = {t.id: without_controls(str(t.label)).replace("|", "/") for t in codebook.tie_kinds}
    target = shown_as(actors)
    by_id = {a.id: a for a in actors}
    graph = nx.DiGraph()
    stated: dict[tuple[int, int], set[tuple]] = {}
    per_kind: dict[tuple[int, int], Counter[str]] = {}  # how many said each kind, per pair
    for actor in actors:
        shown = by_id[target[actor.id]]
        if not on_show(shown) or shown.id in graph:
            continue
        graph.add_node(
            shown.id,
            label=without_controls(shown.name),
            kind=kinds.get(shown.kind, without_controls(shown.kind)),
            layer=layers.get(shown.layer, without_controls(shown.layer or "")),
        )
    for tie in ties:
        source, end = target.get(tie.source), target.get(tie.target)
        if source not in graph or end not in graph or source == end:
            continue
        who = ("person", tie.added_by, tie.kind) if tie.added_by is not None else ("tie", tie.id)
        said = stated.setdefault((source, end), set())
        if who in said:
            continue  # one person's tie, stated again with a name since merged
        said.add(who)
        said_kinds = per_kind.setdefault((source, end), Counter())
        said_kinds[tie_kinds.get(tie.kind, without_controls(tie.kind))] += 1
    for (source, end), said_kinds in per_kind.items():
        kinds = sorted(said_kinds)
        graph.add_edge(
            source,
            end,
            weight=said_kinds.total(),
            kinds="|".join(kinds),
            kind_weights="|".join(str(said_kinds[kind]) for kind in kinds),
        )
    _add_looks(graph, {a.id: a.kind for a in actors}, colour_of(codebook), positions or {})
    return graph


def _add_looks(graph: nx.DiGraph, kind_of: Mapping[int, str], colours, positions) -> None:
    """Each node's colour, size and place, as the canvas draws them (map.js sizes an actor
    10 + 4 * sqrt(ties))."""
    for node, data in graph.nodes(data=True):
        ties = len(set(graph.predecessors(node)) | set(graph.successors(node)))
        colour = colours.get(kind_of[node], COLOURS[-1])
        data.update(
            ties=ties,
            size=round(10 + 4 * math.sqrt(ties), 2),
            r=int(colour[1:3], 16),
            g=int(colour[3:5], 16),
            b=int(colour[5:7], 16),
        )
        if node in positions:
            data.update(x=float(positions[node][0]), y=-float(positions[node][1]))


@dataclass(frozen=True)
class MapCounts:
    """What each map file counts, so that pages and the ZIP's README can say it in words."""

    actors: int  # names on the map: Kumu's elements, the other files' nodes
    pairs: int  # pairs of names tied, either way: the map's "connections"
    edges: int  # GraphML, GEXF and JSON edges: a pair tied both ways is two
    kumu_rows: int  # rows of Kumu's Connections: one for each way and kind
    statements: int  # what people said, each person once for each kind: the weights' sum


def map_counts(graph: nx.DiGraph) -> MapCounts:
    """Every count of the export graph.

    >>> g = nx.DiGraph()
    >>> g.add_edge(1, 2, kinds="Funds|Works with", weight=3)
    >>> g.add_edge(2, 1, kinds="Works with", weight=1)
    >>> map_counts(g)
    MapCounts(actors=2, pairs=1, edges=2, kumu_rows=3, statements=4)
    """
    edges = list(graph.edges(data=True))
    return MapCounts(
        actors=graph.number_of_nodes(),
        pairs=len({frozenset((a, b)) for a, b, _data in edges}),
        edges=len(edges),
        kumu_rows=sum(len(data["kinds"].split("|")) for _a, _b, data in edges),
        statements=sum(data["weight"] for _a, _b, data in edges),
    )


def graphml(graph: nx.DiGraph) -> bytes:
    """GraphML, which yEd, Cytoscape and networkx read."""
    out = io.BytesIO()
    nx.write_graphml(graph, out)
    return out.getvalue()


def node_link(graph: nx.DiGraph) -> bytes:
    """networkx's node-link JSON, which node_link_graph reads with its defaults (its edges
    are "edges": D3's examples call them "links")."""
    data = nx.node_link_data(graph)
    return json.dumps(data, ensure_ascii=False, indent=1).encode()


def pajek(graph: nx.DiGraph) -> bytes:
    """Pajek's .net, which Pajek, UCINET, igraph and statnet read: the actors numbered
    from 1 with their names, then each arc and how many said it.

    >>> g = nx.DiGraph()
    >>> g.add_node(7, label='Age "UK"'); g.add_node(9, label="Mind")
    >>> g.add_edge(7, 9, weight=2)
    >>> lines = pajek(g).decode().splitlines()
    >>> lines[0], lines[2:]
    ('*Vertices 2', ['2 "Mind"', '*Arcs', '1 2 2'])
    >>> print(lines[1])
    1 "Age 'UK'"
    """
    number = {node: i for i, node in enumerate(graph.nodes, start=1)}
    lines = [f"*Vertices {len(number)}"]
    # Pajek has no way to write a " inside a name, nor a line break.
    lines += [
        f'{i} "{" ".join(graph.nodes[node]["label"].replace(chr(34), chr(39)).split())}"'
        for node, i in number.items()
    ]
    lines.append("*Arcs")
    lines += [f"{number[a]} {number[b]} {data['weight']}" for a, b, data in graph.edges(data=True)]
    return ("\r\n".join(lines) + "\r\n").encode()


EDGE_LIST_HEADERS = ("source", "target", "weight", "kinds")


def edge_list(graph: nx.DiGraph) -> bytes:
    """A plain edge list as CSV: one row an edge, the actors by name, how many said it and
    its kinds; what igraph's read_csv, statnet's network() and UCINET's DL import take."""
    rows = [
        (graph.nodes[a]["label"], graph.nodes[b]["label"], data["weight"], data["kinds"])
        for a, b, data in graph.edges(data=True)
    ]
    rows.sort(key=lambda row: (row[0].casefold(), row[1].casefold()))
    return csv_file(EDGE_LIST_HEADERS, rows)


def kumu_rows(graph: nx.DiGraph) -> tuple[list[tuple], list[tuple]]:
    """Kumu's import layout: Elements (ID, Label, Type, Description, Tags) and Connections
    (ID, From, To, Type, Strength, Tags), one connection row per kind of tie, as strong as
    the people who said that kind. IDs come from the names, so the same actor has the same
    ID in every round's export ("age-uk"), and a connection is its ends and kind."""
    ids = kumu_ids(graph)
    answered = answer_columns([graph])
    by_name = sorted(graph.nodes(data=True), key=lambda n: n[1]["label"].casefold())
    elements = [
        (ids[node], data["label"], data["kind"], "", data["layer"], *map(data.get, answered))
        for node, data in by_name
    ]
    connections = []
    for source, end, data in graph.edges(data=True):
        for kind, weight in zip(
            data["kinds"].split("|"), data["kind_weights"].split("|"), strict=True
        ):
            row_id = f"{ids[source]}--{ids[end]}--{_slug(kind)}"
            connections.append((row_id, ids[source], ids[end], kind, int(weight), ""))
    connections.sort()
    return elements, connections


# What every actor of the export graph carries; anything more, answers gave it.
DRAWN = frozenset({"label", "kind", "layer", "ties", "x", "y", "r", "g", "b", "size"})


def answer_columns(graphs: Iterable[nx.DiGraph]) -> list[str]:
    """The attributes answers gave the actors (a rating step's mean and count, a sorting
    step's answers), by name: Kumu's extra element columns, GEXF's extra attributes."""
    given = {name for graph in graphs for _node, data in graph.nodes(data=True) for name in data}
    return sorted(given - DRAWN)


def kumu_ids(graph: nx.DiGraph) -> dict[int, str]:
    """An ID for each actor from its name: letters of any script, digits and dashes (Kumu
    cannot select an ID with an underscore); a second actor with the same one gets "-2".

    >>> g = nx.DiGraph()
    >>> g.add_node(1, label="Age UK"); g.add_node(2, label="age_uk"); g.add_node(3, label="!")
    >>> kumu_ids(g)
    {1: 'age-uk', 2: 'age-uk-2', 3: 'actor-3'}
    """
    ids: dict[int, str] = {}
    taken: set[str] = set()
    for node, data in graph.nodes(data=True):
        base = kumu_id(data["label"]) or f"actor-{node}"
        given, number = base, 1
        while given in taken:
            number += 1
            given = f"{base}-{number}"
        taken.add(given)
        ids[node] = given
    return ids


def kumu_id(name: str) -> str:
    """The ID Kumu files give an actor of this name (before any "-2" that tells apart two
    names with the same one); empty for a name of no letters or digits.

    >>> kumu_id("Age  UK"), kumu_id("Café_Cymru")
    ('age-uk', 'café-cymru')
    """
    return _slug(actor_key(name))


def _slug(text: str) -> str:
    return re.sub(r"[\W_]+", "-", text.casefold()).strip("-")


def kumu_xlsx(graph: nx.DiGraph) -> bytes:
    """One workbook with an Elements and a Connections sheet, as Kumu imports it."""
    elements, connections = kumu_rows(graph)
    book = Workbook()
    sheet = book.active
    sheet.title = "Elements"
    _fill(sheet, (element_headers(graph), *elements))
    _fill(book.create_sheet("Connections"), (CONNECTION_HEADERS, *connections))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def kumu_csvs(graph: nx.DiGraph) -> tuple[bytes, bytes]:
    """The same two sheets as CSV files (elements, connections)."""
    elements, connections = kumu_rows(graph)
    return csv_file(element_headers(graph), elements), csv_file(CONNECTION_HEADERS, connections)


def element_headers(graph: nx.DiGraph) -> tuple[str, ...]:
    """Kumu's element columns, then one for each attribute answers gave the actors."""
    return (*ELEMENT_HEADERS, *answer_columns([graph]))


def _fill(sheet, rows: Iterable[Sequence]) -> None:
    """Rows into a sheet, every text as text: a name like '=SUM(A1)' is never a formula."""
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"


# What a spreadsheet reads as the start of a formula; a tab or carriage return first is
# skipped by some, which then run what follows.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """Text a spreadsheet will not run as a formula (a name starting with '=' stays text)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_file(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """The one way Roundtable writes CSV: a header row, then every row with each text that
    a spreadsheet would run as a formula kept as text; UTF-8 with the byte order mark that
    makes Excel read accents and other scripts right.

    >>> csv_file(("name",), [("=SUM(A1)",), ("Mind",)]).decode("utf-8-sig").splitlines()
    ['name', "'=SUM(A1)", 'Mind']
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


@dataclass(frozen=True)
class AnswerRow:
    """One participant's answer to one step, for the answers CSV."""

    participant: str  # a pseudonym: "P3"
    step: str
    question: str
    answer: str


ANSWER_HEADERS = ("participant", "step", "question", "answer")


def answers_csv(rows: Iterable[AnswerRow]) -> bytes:
    """Every answer, a row per participant per step."""
    return csv_file(ANSWER_HEADERS, [(r.participant, r.step, r.question, r.answer) for r in rows])


def bundle(files: Mapping[str, bytes], readme: str) -> bytes:
    """A ZIP of every file, with a README saying what each one is."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme)
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()
