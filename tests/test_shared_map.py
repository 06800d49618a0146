"""The shared map: one graph from everyone's actors and ties, tidied by facilitators."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from facilitation.map_graph import (
    MapActor,
    MapTie,
    build_graph,
    look_alikes,
    on_show,
    shown_as,
)
from tests.conftest import command, join, make_setup, sign_in
from tests.test_network_steps import add_name
from workshop.store.db import session_scope
from workshop.store.models import Actor

ACTORS = [
    MapActor(1, "Inclusion London", "organisation", "offline", added_by=10),
    MapActor(2, "Inclusion Ldn", "organisation", "online", added_by=11),
    MapActor(3, "Age UK", "organisation", added_by=10),
    MapActor(4, "Mind", "organisation", added_by=12),
]
TIES = [
    MapTie(1, 1, 3, "works-with", 10),
    MapTie(2, 2, 3, "funds", 11),
    MapTie(3, 4, 3, "ally", 12),
]


def test_a_merge_folds_an_actor_and_its_ties_into_another_and_remembers_who_added_what():
    merged = [ACTORS[0], MapActor(2, "Inclusion Ldn", "organisation", merged_into=1, added_by=11)]
    graph = build_graph([*merged, *ACTORS[2:]], TIES)
    assert sorted(graph.nodes) == [1, 3, 4]
    assert graph.nodes[1]["added_by"] == {10, 11}  # both people who named it
    assert graph.edges[1, 3] == {
        "weight": 2,
        "kinds": ("funds", "works-with"),
        "sources": (("funds", 1), ("works-with", 1)),  # Inclusion Ldn's "funds" is now 1's
    }
    # Split again (the merge undone): two actors, each with the tie its namer gave it.
    apart = build_graph(ACTORS, TIES)
    assert sorted(apart.nodes) == [1, 2, 3, 4] and apart.edges[2, 3]["kinds"] == ("funds",)


def test_a_hidden_actor_and_its_ties_are_off_the_map():
    hidden = [*ACTORS[:3], MapActor(4, "Mind", "organisation", hidden=True)]
    graph = build_graph(hidden, TIES)
    assert 4 not in graph and not graph.has_edge(4, 3)
    assert graph.number_of_edges() == 2


def test_merges_follow_chains_and_never_loop():
    chain = [MapActor(1, "A", "g"), MapActor(2, "B", "g", merged_into=1)]
    chain.append(MapActor(3, "C", "g", merged_into=2))
    assert shown_as(chain) == {1: 1, 2: 1, 3: 1}
    loop = [MapActor(1, "A", "g", merged_into=2), MapActor(2, "B", "g", merged_into=1)]
    assert set(shown_as(loop).values()) <= {1, 2}


def test_names_that_look_alike_are_offered_for_merging():
    assert [(a, b) for a, b, _score in look_alikes(ACTORS)] == [(1, 2)]
    already = [ACTORS[0], MapActor(2, "Inclusion Ldn", "organisation", merged_into=1)]
    assert look_alikes(already) == []


def test_one_rule_says_which_actors_are_on_show_in_python_and_in_the_database(app):
    """Not hidden and not merged into another: the graph, the lists of names and the
    database's filter all show exactly these (a merge loop, never made, shows neither)."""
    from workshop.rounds import maps

    setup = make_setup(app, email="kim@example.org", questionnaire="map-your-network")
    with app.app_context(), session_scope() as db:
        rows = {}
        for name, hidden in (("Shown", False), ("Hidden", True), ("Merged", False)):
            rows[name] = Actor(
                round_id=setup.round_id, name=name, key=name.lower(), kind="g", step_id="s"
            )
            rows[name].hidden = hidden
            db.add(rows[name])
        db.flush()
        rows["Merged"].merged_into = rows["Shown"].id
        hidden_merged = Actor(
            round_id=setup.round_id, name="Both", key="both", kind="g", step_id="s", hidden=True
        )
        hidden_merged.merged_into = rows["Shown"].id
        db.add(hidden_merged)
        db.commit()
        actors, ties = maps.map_data(db, setup.round_id)
        by_rule = {a.id for a in actors if on_show(a)}
        by_filter = set(
            db.exec(select(Actor.id).where(Actor.round_id == setup.round_id, maps.on_show()))
        )
        assert by_rule == by_filter == {rows["Shown"].id}
        assert set(build_graph(actors, ties).nodes) == by_rule
    loop = [MapActor(1, "A", "g", merged_into=2), MapActor(2, "B", "g", merged_into=1)]
    assert not any(on_show(a) for a in loop) and build_graph(loop, []).number_of_nodes() == 0


@pytest.fixture
def mapped(app):
    """A map-your-network round where two people have named five actors and tied some."""
    setup = make_setup(app, email="kim@example.org", questionnaire="map-your-network")
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    amira, bo = app.test_client(), app.test_client()
    pages = join(amira, setup, "Amira"), join(bo, setup, "Bo Secret")
    command(facilitator, setup, "start")
    command(facilitator, setup, "next")
    for name in ("Inclusion London", "Age UK", "Mind Cymru"):
        add_name(amira, pages[0], "face-to-face", name, "organisation")
    for name in ("Inclusion Ldn", "Age UK", "Shelter"):
        add_name(bo, pages[1], "face-to-face", name, "organisation")
    for _ in range(3):
        command(facilitator, setup, "next")  # key-allies
    ids = actor_ids(app, setup)
    tie = {"source": ids["Inclusion London"], "target": ids["Age UK"], "kind": "works-with"}
    amira.post_form(f"{pages[0]}/steps/key-allies", tie)
    tie = {"source": ids["Inclusion Ldn"], "target": ids["Age UK"], "kind": "funds"}
    bo.post_form(f"{pages[1]}/steps/key-allies", tie)
    return setup, facilitator, (amira, bo), pages


def actor_ids(app, setup) -> dict[str, int]:
    with app.app_context(), session_scope() as db:
        rows = db.exec(select(Actor).where(Actor.round_id == setup.round_id))
        return {a.name: a.id for a in rows}


def table_rows(client, url: str) -> list[list[str]]:
    """The table's cells as a wide screen shows them: without the words ("Kind:") that
    only narrow screens show, where each row is a card."""
    soup = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    for label in soup.select(".map-table__label"):
        label.decompose()
    return [
        [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
        for row in soup.select(".map-table tbody tr")
    ]


def test_the_text_view_lists_every_actor_with_its_ties(app, mapped):
    setup, facilitator, _people, _pages = mapped
    url = f"/rounds/{setup.round_id}/map"
    rows = table_rows(facilitator, url)
    assert len(rows) == len(actor_ids(app, setup)) == 5
    age = next(r for r in rows if r[0].startswith("Age UK"))
    assert age[1:4] == ["An organisation", "We meet face to face", "2"]
    assert (
        "Inclusion London (Works with)" in age[4] and "Inclusion Ldn (Funds – from them)" in age[4]
    )
    by_ties = table_rows(facilitator, url + "?sort=ties")
    assert by_ties[0][0].startswith("Age UK")
    found = table_rows(facilitator, url + "?q=inclusion")
    assert [r[0].split(" (")[0] for r in found] == ["Inclusion Ldn", "Inclusion London"]


def test_a_facilitator_merges_look_alikes_renames_hides_and_splits(app, mapped):
    setup, facilitator, _people, _pages = mapped
    ids = actor_ids(app, setup)
    url = f"/rounds/{setup.round_id}/map"
    page = BeautifulSoup(facilitator.get(url).get_data(as_text=True), "html.parser")
    offered = [li.get_text(" ", strip=True) for li in page.select(".look-alikes li")]
    assert offered and "“Inclusion Ldn” and “Inclusion London”" in offered[0]
    tidy = f"{url}/actors/{ids['Inclusion Ldn']}"
    merged = facilitator.post_form(tidy, {"action": "merge", "into": ids["Inclusion London"]})
    assert merged.status_code == 302
    rows = table_rows(facilitator, url)
    assert len(rows) == 4
    inclusion = next(r for r in rows if r[0].startswith("Inclusion London"))
    assert inclusion[3] == "1" and "Works with, Funds" not in inclusion[4]
    assert "Age UK (Funds – to them, Works with)" in inclusion[4]
    tidy_page = facilitator.get(f"{url}/actors/{ids['Inclusion London']}").get_data(as_text=True)
    assert "Named by: Amira, Bo Secret." in tidy_page  # who added what, kept through merges

    taken = facilitator.post_form(
        f"{url}/actors/{ids['Mind Cymru']}", {"action": "rename", "name": "age uk"}
    )
    assert taken.status_code == 400
    assert "That name is already on the map" in taken.get_data(as_text=True)
    facilitator.post_form(f"{url}/actors/{ids['Mind Cymru']}", {"action": "rename", "name": "Mind"})
    facilitator.post_form(f"{url}/actors/{ids['Shelter']}", {"action": "hide"})
    names = [r[0].split(" (")[0] for r in table_rows(facilitator, url)]
    assert names == ["Age UK", "Inclusion London", "Mind"]

    split = facilitator.post_form(tidy, {"action": "split", "part": ids["Inclusion Ldn"]})
    assert split.status_code == 302
    assert len(table_rows(facilitator, url)) == 4


def test_only_the_rounds_facilitator_can_see_or_tidy_its_map(app, mapped):
    setup, _facilitator, (amira, _bo), _pages = mapped
    ids = actor_ids(app, setup)
    other = make_setup(app, email="other@example.org")
    stranger = app.test_client()
    sign_in(stranger, other.email)
    url = f"/rounds/{setup.round_id}/map"
    assert stranger.get(url).status_code == 404
    hide = {"action": "hide"}
    assert stranger.post_form(f"{url}/actors/{ids['Age UK']}", hide).status_code == 404
    assert amira.get(url).status_code == 302  # to sign in
    assert len(actor_ids(app, setup)) == 5


def test_participants_see_the_map_at_a_map_step_without_anyones_name(app, mapped):
    setup, facilitator, (amira, _bo), (amira_page, _bo_page) = mapped
    early = amira.get(f"{amira_page}/map").get_data(as_text=True)
    assert "The map is not shown now" in early
    for _ in range(3):
        command(facilitator, setup, "next")  # the-map
    page = amira.get(f"{amira_page}/map").get_data(as_text=True)
    assert len(table_rows(amira, f"{amira_page}/map")) == 5
    assert "Bo Secret" not in page and "Amira" not in page

    # Issue 15: after the end, the map page said the map was not shown. People keep the
    # final map they helped make (and may no longer change it).
    command(facilitator, setup, "next")
    assert "The map is not shown now" in amira.get(f"{amira_page}/map").get_data(as_text=True)
    command(facilitator, setup, "end")
    assert len(table_rows(amira, f"{amira_page}/map")) == 5
    assert amira.get(f"{amira_page}/map/data.json").status_code == 200


def test_measures_are_in_plain_words_and_reach_participants_only_when_shown(app, mapped):
    setup, facilitator, (amira, _bo), (amira_page, _bo_page) = mapped
    url = f"/rounds/{setup.round_id}/map"
    page = BeautifulSoup(facilitator.get(url).get_data(as_text=True), "html.parser")
    assert page.select_one(".lead").get_text(strip=True) == "5 names, 2 connections and 1 cluster."
    measures = page.select_one(".measures").get_text(" ", strip=True)
    assert "Key connectors They have the most connections." in measures
    assert "Age UK: 2 connections" in measures
    assert "Not connected to anyone yet" in measures and "Mind Cymru, Shelter" in measures
    assert "The map is not shown now" in amira.get(f"{amira_page}/map").get_data(as_text=True)

    shown = facilitator.post_form(f"{url}/display", {"part": "map", "shown": "1"})
    assert shown.status_code == 302
    offer = BeautifulSoup(amira.get(amira_page).get_data(as_text=True), "html.parser")
    assert offer.select_one("#now .map-shown a")["href"] == f"{amira_page}/map"
    seen = BeautifulSoup(amira.get(f"{amira_page}/map").get_data(as_text=True), "html.parser")
    assert len(seen.select(".map-table tbody tr")) == 5
    assert seen.select_one(".measures") is None  # measures wait until they are shown
    facilitator.post_form(f"{url}/display", {"part": "measures", "shown": "1"})
    seen = BeautifulSoup(amira.get(f"{amira_page}/map").get_data(as_text=True), "html.parser")
    assert "Key connectors" in seen.select_one(".measures").get_text()
    assert amira.post_form(f"{url}/display", {"part": "map", "shown": "0"}).status_code == 302
    seen = amira.get(f"{amira_page}/map").get_data(as_text=True)
    assert "Our map" in seen  # a participant's post went to sign-in: nothing changed


def test_participants_add_names_and_connections_on_the_map_page(app, mapped):
    setup, facilitator, (amira, _bo), (amira_page, _bo_page) = mapped
    facilitator.post_form(f"/rounds/{setup.round_id}/map/display", {"part": "map", "shown": "1"})
    url = f"{amira_page}/map"
    added = amira.post_form(url, {"form": "name", "name": "Ward officer", "kind": "person"})
    assert added.status_code == 302 and added.headers["Location"].endswith("#message")
    ids = actor_ids(app, setup)
    # Nothing chosen: the summary lists the problems in the form's order (who, whom, kind).
    nothing = amira.post_form(url, {"form": "connect"})
    page = BeautifulSoup(nothing.data, "html.parser")
    links = [a["href"] for a in page.select(".error-summary a")]
    assert links == ["#source", "#target", "#tie-kind"], links
    connect = {"form": "connect", "source": ids["Ward officer"], "target": ids["Mind Cymru"]}
    missing_kind = amira.post_form(url, connect)
    assert missing_kind.status_code == 400
    page = BeautifulSoup(missing_kind.data, "html.parser")
    assert [a["href"] for a in page.select(".error-summary a")] == ["#tie-kind"]
    assert page.select_one("#source option[selected]").get_text() == "Ward officer"
    assert amira.post_form(url, {**connect, "kind": "ally"}).status_code == 302
    rows = table_rows(amira, url)
    ward = next(r for r in rows if r[0] == "Ward officer")
    assert ward[1:4] == ["A person or a role", "–", "1"] and "Mind Cymru (Is an ally of)" in ward[4]


def test_tidying_and_odd_ids_never_break_a_participants_list(app, mapped):
    setup, facilitator, (amira, bo), (amira_page, bo_page) = mapped
    ids = actor_ids(app, setup)
    url = f"/rounds/{setup.round_id}/map"
    # Bo's "Inclusion Ldn" shows as Amira's "Inclusion London"; then Amira removes hers.
    facilitator.post_form(
        f"{url}/actors/{ids['Inclusion Ldn']}", {"action": "merge", "into": ids["Inclusion London"]}
    )
    removed = amira.post_form(
        f"{amira_page}/steps/face-to-face", {"remove": ids["Inclusion London"]}
    )
    assert removed.status_code == 302
    assert "Inclusion London" in actor_ids(app, setup)  # Bo's name still shows as it
    for odd in ("²", "9" * 30, "-1", "", "1e3"):
        response = bo.post_form(f"{bo_page}/steps/face-to-face", {"remove": odd})
        assert response.status_code in (302, 400), odd
        tie = {"source": odd, "target": ids["Age UK"], "kind": "funds"}
        assert bo.post_form(f"{bo_page}/steps/key-allies", tie).status_code in (302, 400)
        merge = {"action": "merge", "into": odd}
        assert facilitator.post_form(f"{url}/actors/{ids['Shelter']}", merge).status_code == 400
    assert len(actor_ids(app, setup)) == 5


def test_names_off_the_map_are_off_it_everywhere_participants_look(app, mapped):
    setup, facilitator, (amira, _bo), (amira_page, _bo_page) = mapped
    ids = actor_ids(app, setup)
    facilitator.post_form(
        f"/rounds/{setup.round_id}/map/actors/{ids['Shelter']}", {"action": "hide"}
    )
    for _ in range(3):
        command(facilitator, setup, "next")  # the-map
    now = amira.get(amira_page).get_data(as_text=True)
    assert "Shelter" not in now and "Age UK" in now
    suggestions = amira.get(f"{amira_page}/steps/face-to-face").get_data(as_text=True)
    assert 'value="Shelter"' not in suggestions
    facilitator.post_form(f"/rounds/{setup.round_id}/map/display", {"part": "map", "shown": "1"})
    command(facilitator, setup, "end")
    late = amira.post_form(f"{amira_page}/map", {"form": "name", "name": "Late", "kind": "group"})
    assert "The session has ended" in amira.get(late.headers["Location"]).get_data(as_text=True)
    assert "Late" not in actor_ids(app, setup)


def test_a_name_added_on_the_map_page_counts_as_named(app, mapped):
    setup, facilitator, (amira, bo), (amira_page, bo_page) = mapped
    facilitator.post_form(f"/rounds/{setup.round_id}/map/display", {"part": "map", "shown": "1"})
    amira.post_form(f"{amira_page}/map", {"form": "name", "name": "Z club", "kind": "group"})
    add_name(bo, bo_page, "face-to-face", "Z club", "group")
    bo.post_form(f"{bo_page}/steps/face-to-face", {"remove": actor_ids(app, setup)["Z club"]})
    assert "Z club" in actor_ids(app, setup)  # Amira still names it, on the map page
