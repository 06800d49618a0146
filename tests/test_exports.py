"""Exports: every file other tools read keeps every actor, tie and attribute of the map."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import networkx as nx
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from facilitation.exports import CONNECTION_HEADERS, ELEMENT_HEADERS, export_graph, kumu_rows
from facilitation.map_graph import MapActor, MapTie
from questionnaires.schema import Codebook, Term, TieKind
from tests.conftest import command, join, make_setup, sign_in
from tests.test_network_steps import add_name, run_whole_round
from tests.test_shared_map import actor_ids
from workshop.store.db import session_scope
from workshop.store.models import Round


def mapped_round(app):
    """Amira and Bo name four actors (two of them the same), tie two, and answer."""
    setup = make_setup(app, email="kim@example.org", questionnaire="map-your-network")
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    amira, bo = app.test_client(), app.test_client()
    amira_page, bo_page = join(amira, setup, "Amira"), join(bo, setup, "Bo Secret")
    command(facilitator, setup, "start")
    command(facilitator, setup, "next")
    for name, kind in (("Age UK", "organisation"), ("=SUM(A1)", "group"), ("Mind", "group")):
        add_name(amira, amira_page, "face-to-face", name, kind)
    add_name(bo, bo_page, "face-to-face", "age uk", "organisation")
    add_name(bo, bo_page, "face-to-face", "Shelter", "organisation")
    for _ in range(3):
        command(facilitator, setup, "next")
    ids = actor_ids(app, setup)
    for client, page in ((amira, amira_page), (bo, bo_page)):
        tie = {"source": ids["Age UK"], "target": ids["Mind"], "kind": "funds"}
        client.post_form(f"{page}/steps/key-allies", tie)
    tie = {"source": ids["Shelter"], "target": ids["Age UK"], "kind": "ally"}
    bo.post_form(f"{bo_page}/steps/key-allies", tie)
    hidden = {"action": "hide"}
    facilitator.post_form(f"/rounds/{setup.round_id}/map/actors/{ids['Mind']}", hidden)
    facilitator.post_form(f"/rounds/{setup.round_id}/map/actors/{ids['Mind']}", {"action": "show"})
    return setup, facilitator


def download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    return response.data


def test_graph_files_read_back_with_every_actor_tie_and_attribute(app):
    setup, facilitator = mapped_round(app)
    base = f"/rounds/{setup.round_id}/export"
    graphs = {
        "graphml": nx.read_graphml(io.BytesIO(download(facilitator, f"{base}/map.graphml"))),
        "gexf": nx.read_gexf(io.BytesIO(download(facilitator, f"{base}/map.gexf"))),
        # Read with networkx's defaults (issue 17, point 17): they call the edges "edges".
        "json": nx.node_link_graph(json.loads(download(facilitator, f"{base}/map.json"))),
    }
    for name, graph in graphs.items():
        labels = sorted(data["label"] for _node, data in graph.nodes(data=True))
        assert labels == ["=SUM(A1)", "Age UK", "Mind", "Shelter"], name
        by_label = {data["label"]: node for node, data in graph.nodes(data=True)}
        age = graph.nodes[by_label["Age UK"]]
        assert (age["kind"], age["layer"]) == ("An organisation", "We meet face to face"), name
        funds = graph.edges[by_label["Age UK"], by_label["Mind"]]
        assert (funds["kinds"], int(funds["weight"])) == ("Funds", 2), name
        ally = graph.edges[by_label["Shelter"], by_label["Age UK"]]
        assert (ally["kinds"], int(ally["weight"])) == ("Is an ally of", 1), name
        assert graph.number_of_edges() == 2, name


def test_kumu_files_have_the_documented_headers_in_order(app):
    setup, facilitator = mapped_round(app)
    base = f"/rounds/{setup.round_id}/export"
    book = load_workbook(io.BytesIO(download(facilitator, f"{base}/kumu.xlsx")))
    assert book.sheetnames == ["Elements", "Connections"]
    elements = list(book["Elements"].values)
    connections = list(book["Connections"].values)
    assert elements[0] == ELEMENT_HEADERS == ("ID", "Label", "Type", "Description", "Tags")
    assert (
        connections[0]
        == CONNECTION_HEADERS
        == (
            *("ID", "From", "To"),
            *("Type", "Strength", "Tags"),
        )
    )
    assert [row[1] for row in elements[1:]] == ["=SUM(A1)", "Age UK", "Mind", "Shelter"]
    assert book["Elements"]["B2"].data_type == "s"  # text, never a formula
    assert ("age-uk--mind--funds", "age-uk", "mind", "Funds", 2, None) in connections
    for name, headers in (
        ("kumu-elements.csv", ELEMENT_HEADERS),
        ("kumu-connections.csv", CONNECTION_HEADERS),
    ):
        rows = list(
            csv.reader(io.StringIO(download(facilitator, f"{base}/{name}").decode("utf-8-sig")))
        )
        assert tuple(rows[0]) == headers
    assert len(rows) == len(connections)


def test_answers_are_a_row_per_participant_per_step_under_pseudonyms(app):
    setup, facilitator = mapped_round(app)
    data = download(facilitator, f"/rounds/{setup.round_id}/export/answers.csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert {r["participant"] for r in rows} == {"P1", "P2"}
    assert "Bo Secret" not in data.decode() and "Amira" not in data.decode()
    bo_names = next(r for r in rows if r["participant"] == "P2" and r["step"] == "face-to-face")
    assert bo_names["answer"] == "Age UK | Shelter"
    assert bo_names["question"] == "Who do you meet face to face?"


def test_everything_in_one_zip_with_a_readme_from_the_page_and_the_command_line(app, tmp_path):
    setup, facilitator = mapped_round(app)
    archive = zipfile.ZipFile(
        io.BytesIO(download(facilitator, f"/rounds/{setup.round_id}/export/all.zip"))
    )
    names = set(archive.namelist())
    assert names == {
        "README.txt",
        "answers.csv",
        "kumu.xlsx",
        "kumu-elements.csv",
        "kumu-connections.csv",
        "map.graphml",
        "map.gexf",
        "map.json",
        "map.net",
        "map-edges.csv",
        "statements.csv",
    }
    readme = archive.read("README.txt").decode()
    assert all(name in readme for name in names - {"README.txt"})
    out = tmp_path / "out"
    result = app.test_cli_runner().invoke(args=["export", str(setup.round_id), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert zipfile.ZipFile(out / f"round-{setup.round_id}.zip").namelist()[0] == "README.txt"
    missing = app.test_cli_runner().invoke(args=["export", "999"])
    assert missing.exit_code != 0 and "There is no round 999" in missing.output


def test_an_experiments_rounds_are_time_slices_of_one_gexf(app):
    setup, facilitator = mapped_round(app)
    page = BeautifulSoup(facilitator.get(f"/experiments/{setup.experiment_id}").data, "html.parser")
    link = page.select_one("a[href$='rounds.gexf']")
    assert link is not None
    graph = nx.read_gexf(io.BytesIO(download(facilitator, link["href"])))
    age = next(data for _n, data in graph.nodes(data=True) if data["label"] == "Age UK")
    assert age["spells"] == [(1.0, 2.0)]  # round 1 is the time from 1 to 2


def test_only_the_rounds_facilitator_may_download(app):
    setup, _facilitator = mapped_round(app)
    other = make_setup(app, email="other@example.org")
    stranger = app.test_client()
    sign_in(stranger, other.email)
    for name in ("answers.csv", "all.zip", "nope.txt"):
        assert stranger.get(f"/rounds/{setup.round_id}/export/{name}").status_code == 404
    assert stranger.get(f"/experiments/{setup.experiment_id}/export/rounds.gexf").status_code == 404
    anonymous = app.test_client()
    assert anonymous.get(f"/rounds/{setup.round_id}/export/answers.csv").status_code == 302


def test_every_built_in_round_exports(app):
    run_whole_round(app, "community-of-practice")
    facilitator = app.test_client()
    sign_in(facilitator, "kim@example.org")
    archive = zipfile.ZipFile(io.BytesIO(download(facilitator, "/rounds/1/export/all.zip")))
    assert nx.read_graphml(io.BytesIO(archive.read("map.graphml"))).number_of_nodes() == 3


def test_a_round_named_in_any_script_downloads_under_its_name(app):
    setup, facilitator = mapped_round(app)
    with app.app_context(), session_scope() as db:
        round_ = db.get(Round, setup.round_id)
        round_.name = "Caerdydd, Mai / Кардіфф"
        db.add(round_)
        db.commit()
    response = facilitator.get(f"/rounds/{setup.round_id}/export/map.json")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert (
        "filename*=UTF-8''caerdydd-mai-%D0%BA%D0%B0%D1%80%D0%B4%D1%96%D1%84%D1%84-map.json"
        in disposition
    )


FORMULAS = ["=SUM(A1)", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]


def test_no_csv_cell_starts_a_spreadsheet_formula():
    """Every cell a spreadsheet would run (= + - @, and a tab or carriage return before
    one) is written as text: a single quote goes first."""
    from facilitation.exports import AnswerRow, answers_csv

    data = answers_csv(AnswerRow("P1", "hope", "Hope?", text) for text in FORMULAS)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [row[3] for row in rows[1:]] == ["'" + text for text in FORMULAS]


def test_a_participants_own_answers_download_never_runs_a_formula(app):
    setup = make_setup(app)  # check-in: a rating, choices, a written answer
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    amira = app.test_client()
    page = join(amira, setup, "Amira")
    for name in ("start", "next", "next"):
        command(facilitator, setup, name)
    formula = '=HYPERLINK("https://example.org","Click")'
    assert amira.post_form(f"{page}/steps/hope", {"answer": formula}).status_code == 302
    data = download(amira, f"{page}/my-answers.csv")
    assert data.startswith(b"\xef\xbb\xbf")  # the mark that makes Excel read UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Question", "Your answer"]
    assert rows[-1] == ["What do you hope to get from today?", "'" + formula]


def test_kumu_gives_each_kind_of_connection_its_own_strength():
    """Two people say Age UK funds Mind, one that it works with Mind: Kumu's Connections
    sheet has a row per kind, each as strong as the people who said that kind (2 and 1),
    as the console counts them; the pair's total (3) stays the edge's weight elsewhere."""
    book = Codebook(
        actor_kinds=[Term(id="group", label="A group")],
        tie_kinds=[TieKind(id="funds", label="Funds"), TieKind(id="works", label="Works with")],
    )
    actors = [MapActor(1, "Age UK", "group"), MapActor(2, "Mind", "group")]
    ties = [
        MapTie(1, 1, 2, "funds", added_by=10),
        MapTie(2, 1, 2, "funds", added_by=11),
        MapTie(3, 1, 2, "works", added_by=10),
    ]
    graph = export_graph(actors, ties, book)
    assert graph.edges[1, 2]["weight"] == 3
    _elements, connections = kumu_rows(graph)
    assert connections == [
        ("age-uk--mind--funds", "age-uk", "mind", "Funds", 2, ""),
        ("age-uk--mind--works-with", "age-uk", "mind", "Works with", 1, ""),
    ]


NOT_XML = "Age\ufffe UK\uffff"  # characters XML 1.0 does not allow, even escaped


def test_a_name_with_characters_xml_cannot_hold_never_breaks_a_map_file(app):
    """Issue 17 (7): one name with U+FFFF in it made GraphML, GEXF, the experiment's GEXF
    and kumu.xlsx fail to parse. A name typed with them is kept without them; one stored
    with them before is written without them."""
    from xml.etree import ElementTree

    from sqlmodel import select

    from workshop.store.models import Actor

    setup, facilitator = mapped_round(app)
    amira = app.test_client()
    page = join(amira, setup, "Amira")
    command(facilitator, setup, "back")
    command(facilitator, setup, "back")
    command(facilitator, setup, "back")  # the names step again
    add_name(amira, page, "face-to-face", "Food\uffff bank", "organisation")
    with app.app_context(), session_scope() as db:
        names = {a.name for a in db.exec(select(Actor))}
        assert "Food bank" in names and not any("\uffff" in n for n in names)
        shelter = db.exec(select(Actor).where(Actor.name == "Shelter")).one()
        shelter.name = NOT_XML  # as stored before the names were cleaned
        db.add(shelter)
        db.commit()

    base = f"/rounds/{setup.round_id}/export"
    files = {
        "map.graphml": download(facilitator, f"{base}/map.graphml"),
        "map.gexf": download(facilitator, f"{base}/map.gexf"),
        "rounds.gexf": download(
            facilitator, f"/experiments/{setup.experiment_id}/export/rounds.gexf"
        ),
    }
    for name, data in files.items():
        ElementTree.fromstring(data)  # well-formed, or ParseError
        assert "Age UK" in data.decode() and "Food bank" in data.decode(), name
    with zipfile.ZipFile(io.BytesIO(download(facilitator, f"{base}/kumu.xlsx"))) as book:
        for part in book.namelist():
            if part.endswith(".xml"):
                ElementTree.fromstring(book.read(part))
    labels = [
        row[1]
        for row in load_workbook(io.BytesIO(download(facilitator, f"{base}/kumu.xlsx")))[
            "Elements"
        ].values
    ]
    assert "Age UK" in labels


def test_csv_files_say_their_character_set_once(app):
    """Issue 17 (11): CSV downloads said `charset=utf-8; charset=utf-8`."""
    setup, facilitator = mapped_round(app)
    base = f"/rounds/{setup.round_id}/export"
    for name in ("answers.csv", "kumu-elements.csv", "kumu-connections.csv"):
        response = facilitator.get(f"{base}/{name}")
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8", name
    amira = app.test_client()
    page = join(amira, setup, "Amira")
    assert amira.get(f"{page}/my-answers.csv").headers["Content-Type"] == "text/csv; charset=utf-8"


def test_a_kind_of_tie_with_a_bar_in_its_name_writes_every_file():
    """The files join a pair's kinds with "|": a kind named with one broke Kumu's rows."""
    book = Codebook(
        actor_kinds=[Term(id="group", label="A group")],
        tie_kinds=[TieKind(id="funds", label="Funds | pays"), TieKind(id="ally", label="Ally")],
    )
    actors = [MapActor(1, "Age UK", "group"), MapActor(2, "Mind", "group")]
    ties = [MapTie(1, 1, 2, "funds", added_by=10), MapTie(2, 1, 2, "ally", added_by=10)]
    _elements, connections = kumu_rows(export_graph(actors, ties, book))
    assert [(row[3], row[4]) for row in connections] == [("Ally", 1), ("Funds / pays", 1)]
