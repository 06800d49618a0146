"""Socket events with real Socket.IO test clients: live updates and who may do what."""

import pytest
from sqlmodel import select

from tests.conftest import command, join, make_setup, round_row, sign_in
from workshop.store.db import session_scope
from workshop.store.models import Participant, Presence


def socketio(app):
    return app.extensions["socketio"]


def token_of(page: str) -> str:
    return page.rsplit("/", 1)[1]


def participant_socket(app, page: str):
    return socketio(app).test_client(app, namespace="/participant", auth={"token": token_of(page)})


def events(client, namespace: str, name: str) -> list[dict]:
    return [e["args"][0] for e in client.get_received(namespace) if e["name"] == name]


def test_a_participant_is_told_where_the_round_is_on_connect_and_when_it_moves(
    app, setup, facilitator
):
    page = join(app.test_client(), setup)
    client = participant_socket(app, page)
    assert client.is_connected("/participant")
    (first,) = events(client, "/participant", "round_state")
    assert (first["status"], first["step_number"], first["step_count"]) == ("lobby", 1, 3)
    command(facilitator, setup, "start")
    command(facilitator, setup, "next")
    received = events(client, "/participant", "round_state")
    assert [(e["status"], e["step_number"], e["step_id"]) for e in received] == [
        ("running", 1, "feeling"),
        ("running", 2, "needs"),
    ]
    assert all(isinstance(e["sent_at"], float) for e in received)


@pytest.mark.parametrize("auth", [None, {}, {"token": "nope"}, {"token": 42}, {"token": "x" * 500}])
def test_sockets_without_a_real_participant_token_are_refused(app, setup, auth):
    client = socketio(app).test_client(app, namespace="/participant", auth=auth)
    assert not client.is_connected("/participant")


def test_the_facilitator_namespace_refuses_anyone_not_signed_in(app, setup):
    anonymous = socketio(app).test_client(app, namespace="/facilitator")
    assert not anonymous.is_connected("/facilitator")
    participant_http = app.test_client()
    join(participant_http, setup)  # has a session cookie, but no sign-in
    participant = socketio(app).test_client(
        app, namespace="/facilitator", flask_test_client=participant_http
    )
    assert not participant.is_connected("/facilitator")


def test_participants_cannot_send_facilitator_commands(app, setup):
    page = join(app.test_client(), setup)
    client = participant_socket(app, page)
    reply = client.emit(
        "command",
        {"round": setup.round_id, "command": "start"},
        namespace="/participant",
        callback=True,
    )
    assert not reply  # participants have no such event: nothing runs, nothing answers
    assert round_row(app, setup.round_id).status == "lobby"


def facilitator_socket(app, http_client):
    client = socketio(app).test_client(app, namespace="/facilitator", flask_test_client=http_client)
    assert client.is_connected("/facilitator")
    return client


def send(client, event: str, data):
    return client.emit(event, data, namespace="/facilitator", callback=True)


def test_commands_over_the_socket_are_stored_then_published(app, setup, facilitator):
    watcher = participant_socket(app, join(app.test_client(), setup))
    watcher.get_received("/participant")
    console = facilitator_socket(app, facilitator)
    assert send(console, "watch", {"round": setup.round_id}) == {"ok": True}
    reply = send(console, "command", {"round": setup.round_id, "command": "start"})
    assert reply == {"ok": True, "status": "running", "step_number": 1}
    assert round_row(app, setup.round_id).status == "running"
    assert [e["status"] for e in events(watcher, "/participant", "round_state")] == ["running"]
    assert [e["step_number"] for e in events(console, "/facilitator", "round_state")] == [1]
    refused = send(console, "command", {"round": setup.round_id, "command": "back"})
    assert refused == {"ok": False, "error": "This is the first step. There is nothing before it."}


def test_another_facilitator_cannot_watch_or_steer(app, setup):
    other = make_setup(app, email="kim@example.org")
    kim_http = app.test_client()
    sign_in(kim_http, other.email)
    kim = facilitator_socket(app, kim_http)
    assert send(kim, "watch", {"round": setup.round_id})["ok"] is False
    assert send(kim, "command", {"round": setup.round_id, "command": "start"})["ok"] is False
    assert round_row(app, setup.round_id).status == "lobby"
    assert send(kim, "command", {"round": other.round_id, "command": "start"})["ok"] is True


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "start",
        [],
        {},
        {"round": "1", "command": "start"},
        {"round": True, "command": "start"},
        {"round": 1},
        {"round": 1, "command": "explode"},
        {"round": 1, "command": ["start"]},
        {"round": 10**30, "command": "start"},
    ],
)
def test_malformed_commands_are_refused_plainly(app, setup, facilitator, payload):
    console = facilitator_socket(app, facilitator)
    reply = send(console, "command", payload)
    assert reply["ok"] is False
    assert reply["error"]
    assert round_row(app, setup.round_id).status == "lobby"


def test_rounds_are_isolated(app, setup, facilitator):
    other = make_setup(app, email="kim@example.org")
    mine = participant_socket(app, join(app.test_client(), setup))
    theirs = participant_socket(app, join(app.test_client(), other))
    mine.get_received("/participant")
    theirs.get_received("/participant")
    command(facilitator, setup, "start")
    assert len(events(mine, "/participant", "round_state")) == 1
    assert events(theirs, "/participant", "round_state") == []


def reasons(changes: list[dict]) -> list[str]:
    """What each change was; each also says when it was made, for consoles' panels."""
    assert all(isinstance(change["at"], float) for change in changes)
    return [change["reason"] for change in changes]


def test_presence_follows_connections_and_consoles_hear_of_changes(app, setup, facilitator):
    console = facilitator_socket(app, facilitator)
    send(console, "watch", {"round": setup.round_id})
    page = join(app.test_client(), setup, "Amira")
    assert reasons(events(console, "/facilitator", "console_changed")) == ["joined"]
    client = participant_socket(app, page)
    assert reasons(events(console, "/facilitator", "console_changed")) == ["presence"]
    with app.app_context(), session_scope() as db:
        assert len(db.exec(select(Presence)).all()) == 1
    client.disconnect(namespace="/participant")
    assert reasons(events(console, "/facilitator", "console_changed")) == ["presence"]
    with app.app_context(), session_scope() as db:
        assert db.exec(select(Presence)).all() == []
        assert db.exec(select(Participant)).one().display_name == "Amira"


def test_consoles_hear_of_each_answer(app, setup, facilitator):
    console = facilitator_socket(app, facilitator)
    send(console, "watch", {"round": setup.round_id})
    participant = app.test_client()
    page = join(participant, setup)
    command(facilitator, setup, "start")
    console.get_received("/facilitator")
    participant.post_form(f"{page}/steps/feeling", {"answer": "3"})
    assert reasons(events(console, "/facilitator", "console_changed")) == ["answer"]


def test_signing_out_stops_an_open_console(app, setup, facilitator):
    console = facilitator_socket(app, facilitator)
    assert send(console, "watch", {"round": setup.round_id}) == {"ok": True}
    facilitator.post_form("/sign-out")
    # The console's connection is ended at the sign-out (issue 17): nothing more goes in.
    assert not console.is_connected("/facilitator")
    with pytest.raises(RuntimeError, match="not connected"):
        send(console, "command", {"round": setup.round_id, "command": "start"})
    assert round_row(app, setup.round_id).status == "lobby"


def test_the_state_says_the_question_number_and_title(app):
    setup = make_setup(app, email="lee@example.org", questionnaire="network-layers")
    laptop = app.test_client()
    sign_in(laptop, setup.email)
    client = participant_socket(app, join(app.test_client(), setup))
    client.get_received("/participant")
    command(laptop, setup, "start")
    command(laptop, setup, "next")
    welcome, first = events(client, "/participant", "round_state")
    assert (welcome["question_number"], welcome["title"]) == (None, "Welcome")
    assert (first["question_number"], first["question_count"]) == (1, 7)
