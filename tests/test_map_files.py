"""Map files as Gephi, yEd and graphology read them: valid against their schemas, each round
in time, and every actor where the canvas drew it (issue 17, points 12 and 13)."""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pytest
from bs4 import BeautifulSoup
from lxml import etree
from openpyxl import load_workbook

from facilitation.map_style import COLOURS
from tests.conftest import command, join, make_setup, sign_in
from tests.test_exports import download, mapped_round
from tests.test_network_steps import add_name
from tests.test_shared_map import actor_ids
from workshop.rounds import lifecycle
from workshop.store.db import session_scope
from workshop.store.models import Experiment

HERE = Path(__file__).parent
SCHEMAS = {
    ".gexf": etree.XMLSchema(etree.parse(str(HERE / "schemas" / "gexf-1.2.xsd"))),
    ".graphml": etree.XMLSchema(etree.parse(str(HERE / "schemas" / "graphml-1.0.xsd"))),
}
MARCH, APRIL = "Greenwich, March", "Greenwich, April"


def mapped(app, facilitator, setup, person: str, names, tie) -> None:
    """One person names actors (name, kind) and states one tie (from, to, kind)."""
    client = app.test_client()
    page = join(client, setup, person)
    command(facilitator, setup, "start")
    command(facilitator, setup, "next")
    for name, kind in names:
        add_name(client, page, "face-to-face", name, kind)
    for _ in range(3):
        command(facilitator, setup, "next")
    ids = actor_ids(app, setup)
    source, target, kind = tie
    client.post_form(
        f"{page}/steps/key-allies", {"source": ids[source], "target": ids[target], "kind": kind}
    )


def two_rounds(app):
    """March: Age UK (an organisation) works with Mind. April: Age UK, now named a group,
    funds Mind, and Shelter comes in."""
    march = make_setup(app, email="kim@example.org", questionnaire="map-your-network")
    with app.app_context(), session_scope() as db:
        experiment = db.get(Experiment, march.experiment_id)
        loaded = app.extensions["roundtable.questionnaires"]["map-your-network"]
        second = lifecycle.create_round(db, experiment, loaded, APRIL)
        april = replace(march, round_id=second.id, join_token=second.join_token)
    facilitator = app.test_client()
    sign_in(facilitator, march.email)
    mapped(
        app,
        facilitator,
        march,
        "Amira",
        [("Age UK", "organisation"), ("Mind", "group")],
        ("Age UK", "Mind", "works-with"),
    )
    mapped(
        app,
        facilitator,
        april,
        "Bo",
        [("age uk", "group"), ("Mind", "group"), ("Shelter", "organisation")],
        ("age uk", "Mind", "funds"),
    )
    return march, april, facilitator


def invalid(data: bytes, kind: str) -> list[str]:
    """What the schema finds wrong with a file: nothing, for a valid one."""
    schema = SCHEMAS[kind]
    schema.validate(etree.fromstring(data))
    return [error.message for error in schema.error_log]


def test_every_gexf_and_graphml_file_is_valid_against_its_schema(app):
    """Issue 17 (12): both GEXF files failed the schema (`attribute 'name' is not allowed`),
    and the experiment's used `timeformat="long"`, which the schema does not allow."""
    march, april, facilitator = two_rounds(app)
    files = {
        "rounds.gexf": download(
            facilitator, f"/experiments/{march.experiment_id}/export/rounds.gexf"
        )
    }
    for setup in (march, april):
        archive = download(facilitator, f"/rounds/{setup.round_id}/export/all.zip")
        with zipfile.ZipFile(io.BytesIO(archive)) as files_in:
            for name in ("map.gexf", "map.graphml"):
                files[f"{setup.round_id}/{name}"] = files_in.read(name)
                alone = download(facilitator, f"/rounds/{setup.round_id}/export/{name}")
                assert nx.utils.graphs_equal(_read(alone, name), _read(files_in.read(name), name))
    for name, data in files.items():
        assert invalid(data, Path(name).suffix) == [], name


def _read(data: bytes, name: str) -> nx.Graph:
    read = nx.read_gexf if name.endswith("gexf") else nx.read_graphml
    return read(io.BytesIO(data))


def test_the_experiments_gexf_shows_each_round_in_time_to_two_readers(app, tmp_path):
    """Issue 17 (12): round names were lost (slices 0 and 1), graphology saw no time at all,
    and an actor or tie kept the kind it had when first seen."""
    march, _april, facilitator = two_rounds(app)
    data = download(facilitator, f"/experiments/{march.experiment_id}/export/rounds.gexf")

    # networkx reads the time: a spell per round, and each attribute's value in each.
    graph = nx.read_gexf(io.BytesIO(data))
    assert sorted(graph.nodes) == ["age uk", "mind", "shelter"]
    age, shelter = graph.nodes["age uk"], graph.nodes["shelter"]
    assert age["spells"] == [(1.0, 2.0), (2.0, 3.0)] and shelter["spells"] == [(2.0, 3.0)]
    assert age["round"] == [(MARCH, 1.0, 2.0), (APRIL, 2.0, 3.0)]
    assert age["kind"] == [("An organisation", 1.0, 2.0), ("A group or network", 2.0, 3.0)]
    tie = graph.edges["age uk", "mind"]
    assert tie["kinds"] == [("Works with", 1.0, 2.0), ("Funds", 2.0, 3.0)]
    assert tie["spells"] == [(1.0, 2.0), (2.0, 3.0)]
    root = etree.fromstring(data)
    description = root.findtext("{*}meta/{*}description")
    assert f"1: {MARCH}; 2: {APRIL}" in description
    assert root.find("{*}graph").get("timeformat") == "double"

    # graphology-gexf, which reads no time, still sees which rounds had each one, and the
    # latest of each attribute.
    (tmp_path / "rounds.gexf").write_bytes(data)
    read = graphology(tmp_path / "rounds.gexf")
    assert set(read["nodes"]) == {"age uk", "mind", "shelter"}
    assert read["nodes"]["shelter"]["rounds"] == APRIL
    assert read["nodes"]["age uk"]["rounds"] == f"{MARCH} | {APRIL}"
    assert read["nodes"]["age uk"]["kind"] == "A group or network"
    [(source, target, tie_read)] = read["edges"]
    assert (source, target, tie_read["kinds"]) == ("age uk", "mind", "Funds")


def graphology(path: Path) -> dict:
    """A GEXF file as graphology-gexf (from the npm registry, run by Node) reads it."""
    node_modules = HERE.parent / "node_modules" / "graphology-gexf"
    if not node_modules.exists():
        pytest.fail("graphology-gexf is missing: run `bash scripts/setup test`")
    script = HERE / "readers" / "graphology_gexf.js"
    done = subprocess.run(
        ["node", str(script), str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_map_files_open_with_each_actor_where_the_canvas_drew_it(app):
    """Issue 17 (13): GEXF and GraphML had no positions, colours or sizes, so Gephi and yEd
    drew their own map instead of the one people saw."""
    march, _april, facilitator = two_rounds(app)
    canvas = json.loads(facilitator.get(f"/rounds/{march.round_id}/map/data.json").data)
    drawn = {node["label"]: node for node in canvas["nodes"].values()}
    base = f"/rounds/{march.round_id}/export"
    gexf = nx.read_gexf(io.BytesIO(download(facilitator, f"{base}/map.gexf")))
    graphml = nx.read_graphml(io.BytesIO(download(facilitator, f"{base}/map.graphml")))
    colours = {"An organisation": COLOURS[0], "A group or network": COLOURS[1]}
    for _node, data in gexf.nodes(data=True):
        seen = drawn[data["label"]]
        viz = data["viz"]
        # Gephi's y runs up, the canvas's down.
        assert (viz["position"]["x"], viz["position"]["y"]) == (seen["x"], -seen["y"])
        colour = colours[data["kind"]]
        assert tuple(viz["color"][c] for c in "rgb") == tuple(
            int(colour[i : i + 2], 16) for i in (1, 3, 5)
        )
        assert viz["size"] == pytest.approx(10 + 4 * math.sqrt(seen["ties"]), abs=0.01)
    for _node, data in graphml.nodes(data=True):
        seen = drawn[data["label"]]
        assert (data["x"], data["y"]) == (seen["x"], -seen["y"])
        assert (data["r"], data["g"], data["b"]) == tuple(
            int(colours[data["kind"]][i : i + 2], 16) for i in (1, 3, 5)
        )


def test_a_later_rounds_kumu_file_updates_the_same_elements_and_connections(app):
    """Issue 17 (16): Kumu's files had no IDs, so importing April's export into the map
    made from March's added every connection again (Kumu matches connections only by ID),
    and an actor whose kind changed became a second element."""
    march, april, facilitator = two_rounds(app)

    def rows(setup, sheet: str) -> dict[str, tuple]:
        data = download(facilitator, f"/rounds/{setup.round_id}/export/kumu.xlsx")
        values = list(load_workbook(io.BytesIO(data))[sheet].values)
        assert values[0][0] == "ID"
        return {row[0]: row for row in values[1:]}

    march_elements, april_elements = rows(march, "Elements"), rows(april, "Elements")
    assert march_elements["age-uk"][1:3] == ("Age UK", "An organisation")
    assert april_elements["age-uk"][1:3] == ("age uk", "A group or network")
    assert set(april_elements) == {"age-uk", "mind", "shelter"}
    march_ties, april_ties = rows(march, "Connections"), rows(april, "Connections")
    assert set(march_ties) == {"age-uk--mind--works-with"}
    assert april_ties["age-uk--mind--funds"][1:4] == ("age-uk", "mind", "Funds")


def test_each_count_of_the_map_is_said_with_what_it_counts(app):
    """Issue 17 (15): the map said 58 ties, the map files had 61 edges, Kumu 63 rows and
    the database 64 statements, and nothing said why. Two people say Age UK funds Mind and
    one says Mind works with Age UK: one pair of names, two edges (one each way), two Kumu
    rows, three statements. The report page and the ZIP's README say each count with what
    it counts, and each is what its file holds."""
    setup, facilitator = mapped_round(app)
    ids = actor_ids(app, setup)
    bo = app.test_client()
    page = join(bo, setup, "Cai")
    tie = {"source": ids["Mind"], "target": ids["Age UK"], "kind": "works-with"}
    assert bo.post_form(f"{page}/steps/key-allies", tie).status_code == 302
    base = f"/rounds/{setup.round_id}/export"
    said = [
        "4 names: each an element in Kumu, a node in the other map files.",
        "2 connections: pairs of names tied, either way, as the map counts them.",
        "3 edges in map.graphml, map.gexf and map.json: a pair tied both ways is two.",
        "3 rows in Kumu's Connections: one for each way and kind.",
        "4 statements: what people said, each person once for each kind.",
    ]
    report = BeautifulSoup(facilitator.get(f"/rounds/{setup.round_id}/report").data, "html.parser")
    listed = report.select("ul[aria-labelledby=file-counts] li")
    assert [item.get_text(" ", strip=True) for item in listed] == said
    with zipfile.ZipFile(io.BytesIO(download(facilitator, f"{base}/all.zip"))) as files:
        readme = files.read("README.txt").decode()
        graphml = nx.read_graphml(io.BytesIO(files.read("map.graphml")))
        kumu = files.read("kumu-connections.csv").decode("utf-8-sig").splitlines()
        elements = files.read("kumu-elements.csv").decode("utf-8-sig").splitlines()
    assert all(line in readme for line in said)
    assert len(elements) - 1 == graphml.number_of_nodes() == 4
    pairs = {frozenset(edge) for edge in graphml.edges}
    assert (len(pairs), graphml.number_of_edges(), len(kumu) - 1) == (2, 3, 3)
    assert sum(int(data["weight"]) for *_ends, data in graphml.edges(data=True)) == 4
    # The map page counts the same pairs of names as connections.
    summary = facilitator.get(f"/rounds/{setup.round_id}/map").get_data(as_text=True)
    assert "4 names, 2 connections" in summary


def test_pajek_and_the_edge_list_read_back_in_igraph_and_networkx(app, tmp_path):
    """Issue 17 (17): there was no file for Pajek, UCINET, igraph or statnet users."""
    import igraph

    setup, facilitator = mapped_round(app)
    base = f"/rounds/{setup.round_id}/export"
    expected = {
        ("Age UK", "Mind"): 2,
        ("Shelter", "Age UK"): 1,
    }
    (tmp_path / "map.net").write_bytes(download(facilitator, f"{base}/map.net"))
    pajek = igraph.Graph.Read_Pajek(str(tmp_path / "map.net"))
    assert sorted(pajek.vs["name"]) == ["=SUM(A1)", "Age UK", "Mind", "Shelter"]
    ends = {(pajek.vs[e.source]["name"], pajek.vs[e.target]["name"]): e["weight"] for e in pajek.es}
    assert ends == expected
    read = nx.read_pajek(str(tmp_path / "map.net"))
    assert {(a, b): d["weight"] for a, b, d in read.edges(data=True)} == expected
    text = download(facilitator, f"{base}/map-edges.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["source", "target", "weight", "kinds"]
    edges = igraph.Graph.TupleList(rows[1:], directed=True, edge_attrs=["weight", "kinds"])
    listed = {
        (edges.vs[e.source]["name"], edges.vs[e.target]["name"]): int(e["weight"]) for e in edges.es
    }
    assert listed == expected


def test_ratings_sorts_and_who_said_each_tie_are_in_the_map_files(app, live_round):
    """Issue 17 (14): no map file had what people said of each actor in rating and sorting
    steps, nor who stated each tie and when."""
    setup, facilitator, (amira, bo), (amira_page, bo_page) = live_round
    add_name(amira, amira_page, "face-to-face", "Age UK", "organisation")
    add_name(bo, bo_page, "face-to-face", "age uk", "organisation")
    add_name(bo, bo_page, "face-to-face", "Mind", "group")
    for _ in range(3):
        command(facilitator, setup, "next")  # key allies
    ids = actor_ids(app, setup)
    age, mind = ids["Age UK"], ids["Mind"]
    tie = {"source": age, "target": mind, "kind": "funds"}
    assert amira.post_form(f"{amira_page}/steps/key-allies", tie).status_code == 302
    command(facilitator, setup, "next")  # influence: rate each name
    # Each person rates and sorts the names they gave.
    amira.post_form(f"{amira_page}/steps/influence", {f"actor-{age}": "4"})
    bo.post_form(f"{bo_page}/steps/influence", {f"actor-{age}": "5", f"actor-{mind}": "2"})
    command(facilitator, setup, "next")  # closeness: sort each name
    amira.post_form(f"{amira_page}/steps/closeness", {f"actor-{age}": "close"})
    far = {f"actor-{age}": "some-contact", f"actor-{mind}": "no-contact"}
    bo.post_form(f"{bo_page}/steps/closeness", far)

    base = f"/rounds/{setup.round_id}/export"
    expected = {
        "Age UK": {
            "influence_mean": 4.5,
            "influence_count": 2,
            "closeness_chosen": "Close. We talk often.: 1 | Some contact now and then: 1",
        },
        "Mind": {
            "influence_mean": 2.0,
            "influence_count": 1,
            "closeness_chosen": "No contact yet: 1",
        },
    }
    gexf = download(facilitator, f"{base}/map.gexf")
    assert invalid(gexf, ".gexf") == []
    for name, read in (("map.graphml", nx.read_graphml), ("map.gexf", nx.read_gexf)):
        data = gexf if name == "map.gexf" else download(facilitator, f"{base}/{name}")
        graph = read(io.BytesIO(data))
        found = {
            data["label"]: {key: data[key] for key in expected[data["label"]]}
            for _node, data in graph.nodes(data=True)
        }
        assert found == expected, name
    # Kumu shows them as fields of each element: a column each, after Tags.
    book = load_workbook(io.BytesIO(download(facilitator, f"{base}/kumu.xlsx")))
    [headers, *elements] = list(book["Elements"].values)
    assert headers[5:] == ("closeness_chosen", "influence_count", "influence_mean")
    age_row = next(row for row in elements if row[1] == "Age UK")
    assert age_row[5:] == (expected["Age UK"]["closeness_chosen"], 2, 4.5)
    text = download(facilitator, f"{base}/statements.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["participant", "from", "to", "kind", "round", "when"]
    [(who, source, target, kind, round_name, when)] = rows[1:]
    assert (who, source, target, kind, round_name) == ("P1", "Age UK", "Mind", "Funds", MARCH)
    assert when[:4].isdigit() and "T" in when
    with zipfile.ZipFile(io.BytesIO(download(facilitator, f"{base}/all.zip"))) as files:
        readme = files.read("README.txt").decode()
    assert (
        "influence_mean, influence_count: the mean answer and how many answered, to “How much "
        "can each one change things?”" in readme
    )
    assert (
        "closeness_chosen: how many chose each answer, to “How close are you to each one?”"
        in readme
    )
