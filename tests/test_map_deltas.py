"""Map deltas: every open map hears only what changed, and only rounds it may see."""

from __future__ import annotations

import json

from facilitation.map_graph import MapActor, build_graph
from facilitation.map_layout import place
from tests.conftest import command, join, make_setup, sign_in
from tests.test_network_steps import add_name
from tests.test_sockets import events, facilitator_socket, participant_socket
from workshop.rounds.canvas import delta, payload


def test_a_delta_holds_only_what_changed():
    graph = build_graph([MapActor(1, "A", "group"), MapActor(2, "B", "group")], [])
    positions = place(graph, {})
    before = payload(graph, positions)
    graph.add_edge(1, 2, weight=1, kinds=("works-with",))
    after = payload(graph, positions)
    change = delta(before, after)
    assert change["edges"] == {
        "added": [{"id": "1-2", "from": 1, "to": 2, "kinds": ["works-with"], "weight": 1}],
        "changed": [],
        "removed": [],
    }
    assert sorted(n["id"] for n in change["nodes"]["changed"]) == [1, 2]  # one more tie each
    assert change["counts"] == {"actors": 2, "ties": 1}
    assert delta(after, after) is None


def test_positions_never_move_as_the_map_grows():
    graph = build_graph([MapActor(i, f"Actor {i}", "group") for i in range(1, 30)], [])
    first = place(graph, {})
    graph.add_edges_from((1, n) for n in range(30, 60))
    second = place(graph, first)
    assert all(second[n] == first[n] for n in first)
    assert len({second[n] for n in graph}) == graph.number_of_nodes()  # no two on one spot


def setup_round(app, email: str):
    setup = make_setup(app, email=email, questionnaire="map-your-network")
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    participant = app.test_client()
    page = join(participant, setup, "Amira")
    command(facilitator, setup, "start")
    command(facilitator, setup, "next")  # face-to-face
    return setup, facilitator, participant, page


def test_open_maps_of_two_rounds_each_get_their_own_small_deltas(app):
    one, one_facilitator, one_participant, one_page = setup_round(app, "one@example.org")
    two, two_facilitator, _two_participant, _two_page = setup_round(app, "two@example.org")
    consoles = {}
    for name, setup, http in (("one", one, one_facilitator), ("two", two, two_facilitator)):
        client = facilitator_socket(app, http)
        reply = client.emit(
            "watch_map", {"round": setup.round_id}, namespace="/facilitator", callback=True
        )
        assert reply == {"ok": True}
        consoles[name] = client
        assert http.get(f"/rounds/{setup.round_id}/map/data.json").status_code == 200
    # Round one's facilitator may not watch round two's map.
    refused = consoles["one"].emit(
        "watch_map", {"round": two.round_id}, namespace="/facilitator", callback=True
    )
    assert refused["ok"] is False

    add_name(one_participant, one_page, "face-to-face", "Disability Wales", "organisation")
    (change,) = events(consoles["one"], "/facilitator", "map_delta")
    (node,) = change["nodes"]["added"]
    assert (node["label"], node["kind"], node["layer"], node["ties"]) == (
        "Disability Wales",
        "organisation",
        "offline",
        0,
    )
    assert isinstance(node["x"], float) and change["counts"] == {"actors": 1, "ties": 0}
    assert len(json.dumps(change)) < 2048  # a delta, not the map
    assert events(consoles["two"], "/facilitator", "map_delta") == []


def test_participants_hear_map_changes_only_while_the_map_is_shown(app):
    setup, facilitator, participant, page = setup_round(app, "kim@example.org")
    listener_page = join(app.test_client(), setup, "Bo")
    listener = participant_socket(app, listener_page)
    refused = listener.emit("watch_map", {}, namespace="/participant", callback=True)
    assert refused == {"ok": False}  # not a map step, and the map is not shown
    facilitator.post_form(f"/rounds/{setup.round_id}/map/display", {"part": "map", "shown": "1"})
    assert listener.emit("watch_map", {}, namespace="/participant", callback=True) == {"ok": True}
    facilitator.get(f"/rounds/{setup.round_id}/map/data.json")
    add_name(participant, page, "face-to-face", "Age UK", "organisation")
    (change,) = events(listener, "/participant", "map_delta")
    assert [n["label"] for n in change["nodes"]["added"]] == ["Age UK"]
    assert participant.get(f"{page}/map/data.json").status_code == 200
    facilitator.post_form(f"/rounds/{setup.round_id}/map/display", {"part": "map", "shown": "0"})
    assert participant.get(f"{page}/map/data.json").status_code == 404
    assert events(listener, "/participant", "map_hidden") == [{}]
    add_name(participant, page, "face-to-face", "Mind Cymru", "organisation")
    assert events(listener, "/participant", "map_delta") == []  # hidden: nothing more


def test_with_no_map_open_changes_wait_for_the_next_map_and_deltas_go_on_from_it(app):
    """Nobody is told of a change while no map is open (that work is skipped); the next map
    opened draws it, and the change after that is a delta from what that map drew."""
    setup, facilitator, participant, page = setup_round(app, "kim@example.org")
    facilitator.get(f"/rounds/{setup.round_id}/map/data.json")  # a map drawn, then closed
    for name in ("Disability Wales", "Age UK"):
        add_name(participant, page, "face-to-face", name, "organisation")
    console = facilitator_socket(app, facilitator)
    reply = console.emit(
        "watch_map", {"round": setup.round_id}, namespace="/facilitator", callback=True
    )
    assert reply == {"ok": True}
    drawn = facilitator.get(f"/rounds/{setup.round_id}/map/data.json").get_json()
    assert sorted(n["label"] for n in drawn["nodes"].values()) == ["Age UK", "Disability Wales"]
    assert events(console, "/facilitator", "map_delta") == []

    add_name(participant, page, "face-to-face", "Shelter Cymru", "organisation")
    (change,) = events(console, "/facilitator", "map_delta")
    assert [n["label"] for n in change["nodes"]["added"]] == ["Shelter Cymru"]
    assert change["counts"] == {"actors": 3, "ties": 0}
