"""Oversize input is refused plainly and stores nothing; a huge socket frame harms nobody else."""

from __future__ import annotations

import threading

import pytest
import requests
import socketio
from sqlmodel import select

from tests.browser import served_app
from tests.conftest import command, join, make_app, make_setup
from workshop.store.db import session_scope
from workshop.store.models import Answer, Participant

BODY_LIMIT = 256 * 1024


@pytest.fixture
def running(app, setup, facilitator):
    """A participant in a round at its first question (check-in: feeling, needs, ...)."""
    command(facilitator, setup, "start")
    client = app.test_client()
    return client, join(client, setup, "Layla")


def counts(app) -> tuple[int, int]:
    with app.app_context(), session_scope() as db:
        return len(db.exec(select(Participant)).all()), len(db.exec(select(Answer)).all())


def test_a_body_over_the_limit_gets_the_413_page_and_stores_nothing(app, setup, running):
    client, page = running
    assert app.config["MAX_CONTENT_LENGTH"] == BODY_LIMIT
    before = counts(app)
    for url, field in ((f"/j/{setup.join_token}", "display_name"), (f"{page}/steps/feeling", "x")):
        response = client.post_form(url, {field: "y" * (BODY_LIMIT + 1), "agree": "y"})
        html = response.get_data(as_text=True)
        assert response.status_code == 413
        assert "That was too much to send" in html
        assert "Go back and send a shorter answer." in html
    assert counts(app) == before


def test_a_200_kb_name_under_the_body_limit_gets_a_plain_error(app, setup):
    before = counts(app)
    data = {"display_name": "N" * 200_000, "agree": "y"}
    response = app.test_client().post_form(f"/j/{setup.join_token}", data)
    assert response.status_code == 400
    assert "Use 60 characters or fewer" in response.get_data(as_text=True)
    assert counts(app) == before


def test_a_200_kb_answer_under_the_body_limit_gets_a_plain_error(app, setup, running, facilitator):
    client, page = running
    command(facilitator, setup, "next")
    command(facilitator, setup, "next")  # check-in's third step: "hope", short text
    before = counts(app)
    response = client.post_form(f"{page}/steps/hope", {"answer": "N" * 200_000})
    assert response.status_code == 400
    assert "Your answer must be" in response.get_data(as_text=True)
    assert counts(app) == before


class Listener:
    """A real python-socketio client of the served app, recording round states and its end."""

    def __init__(self, url: str, token: str, transport: str) -> None:
        self.states: list[dict] = []
        self.gone = threading.Event()
        self.client = socketio.Client(reconnection=False)
        self.client.on("round_state", self.states.append, namespace="/participant")
        self.client.on("disconnect", lambda *_: self.gone.set(), namespace="/participant")
        self.client.connect(
            url, namespaces=["/participant"], auth={"token": token}, transports=[transport]
        )


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_a_socket_frame_over_the_buffer_limit_is_refused_and_others_carry_on(tmp_path, transport):
    database_url = f"sqlite:///{tmp_path / 'roundtable.db'}"
    app = make_app(database_url)
    setup = make_setup(app)
    big_page, calm_page = (join(app.test_client(), setup, name) for name in ("Big", "Calm"))
    app.extensions["roundtable.engine"].dispose()
    with served_app(database_url, tmp_path / "server.log") as server:
        big = Listener(server.url, big_page.rsplit("/", 1)[1], transport)
        calm = Listener(server.url, calm_page.rsplit("/", 1)[1], "websocket")
        assert big.client.connected and calm.client.connected
        small = big.client.call("watch_map", {"x": "y" * 1000}, namespace="/participant", timeout=5)
        assert small == {"ok": False}  # a small frame is answered (the map is not shown yet)
        big.client.emit("watch_map", {"x": "y" * 100_000}, namespace="/participant")
        assert big.gone.wait(10), "the server kept a client that sent a 100 KB frame"
        # Everyone else is unharmed: the calm client still hears the round, pages still load.
        assert calm.client.connected and not calm.gone.is_set()
        assert calm.client.call("watch_map", {}, namespace="/participant", timeout=5) == {
            "ok": False
        }
        assert requests.get(server.url + "/", timeout=5).status_code == 200
        again = Listener(server.url, big_page.rsplit("/", 1)[1], "websocket")
        assert again.client.connected
        calm.client.disconnect()
        again.client.disconnect()
        assert "Traceback" not in server.log_tail(20_000)
