"""The database out of reach for a while: a plain 503 page, nothing half-written, sockets
answer or refuse without crashing anything, and the app recovers by itself."""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import threading
import time
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
import socketio
from sqlalchemy import event
from sqlmodel import select

from tests.browser import served_app
from tests.conftest import PASSWORD, command, join, make_app, make_setup, sign_in
from tests.test_access_loss import console_socket
from tests.test_server_restart import Listener, csrf, disconnect_all
from workshop.rounds import lifecycle
from workshop.store.db import session_scope
from workshop.store.models import Actor, Answer, Experiment, Participant

NOT_SAVED = "Nothing was saved. Please try again in a minute."


class Cable:
    """A TCP forwarder between the app and PostgreSQL that the test can pull out: `cut()`
    closes every connection and refuses new ones; `silence()` closes them and lets new ones
    wait for an answer that never comes (a host gone from the network); `plug_in()` lets
    them through again."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.connections: set[socket.socket] = set()
        self.is_cut = False
        self.is_silent = False
        self.waiting: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:  # closed: the test is over
                return
            with self.lock:
                if self.is_cut:
                    client.close()  # refused: the database seems to be gone
                    continue
                if self.is_silent:
                    self.waiting.append(client)  # never answered
                    continue
                try:
                    server = socket.create_connection(self.target, timeout=5)
                except OSError:
                    client.close()
                    continue
                server.settimeout(None)
                self.connections |= {client, server}
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            self._close(source)
            self._close(sink)

    def _close(self, connection: socket.socket) -> None:
        with self.lock:
            self.connections.discard(connection)
        with contextlib.suppress(OSError):
            connection.shutdown(socket.SHUT_RDWR)  # wakes the thread reading from it
        connection.close()

    def cut(self) -> None:
        with self.lock:
            self.is_cut = True
            cut = list(self.connections)
        for connection in cut:
            self._close(connection)

    def silence(self) -> None:
        self.cut()
        with self.lock:
            self.is_cut, self.is_silent = False, True

    def plug_in(self) -> None:
        with self.lock:
            self.is_cut = self.is_silent = False
            waiting, self.waiting = self.waiting, []
        for connection in waiting:
            connection.close()

    def close(self) -> None:
        self.listener.close()
        self.cut()


def through(cable: Cable, database_url: str) -> str:
    """The same database URL, reached through the cable."""
    parts = urlsplit(database_url)
    netloc = parts.netloc.rsplit("@", 1)[0] + f"@127.0.0.1:{cable.port}"
    return urlunsplit(parts._replace(netloc=netloc))


@pytest.fixture
def cable(postgres_url):
    parts = urlsplit(postgres_url)
    cable = Cable(parts.hostname, parts.port or 5432)
    yield cable
    cable.close()


def assert_unavailable_page(response: requests.Response) -> None:
    assert response.status_code == 503, response.text[:500]
    assert response.headers["Retry-After"] == "60"
    assert NOT_SAVED in response.text
    assert "Traceback" not in response.text and "OperationalError" not in response.text
    assert "<h1>Sorry, we cannot save or show this just now</h1>" in response.text


def test_postgres_out_of_reach_then_back(postgres_url, cable, tmp_path):
    app = make_app(postgres_url)
    setup = make_setup(app, questionnaire="map-your-network")
    with app.app_context(), session_scope() as db:
        experiment = db.get(Experiment, setup.experiment_id)
        check_in = app.extensions["roundtable.questionnaires"]["check-in"]
        other = lifecycle.create_round(db, experiment, check_in, "Check-in")
        check_in_join = other.join_token
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    mapping = join(app.test_client(), setup, "Amira")  # adds names: an actor and an answer
    checking = join(app.test_client(), replace(setup, join_token=check_in_join), "Bo")
    command(facilitator, setup, "start")
    command(facilitator, setup, "next")
    facilitator.post_form(f"/rounds/{other.id}/command", {"command": "start"})
    app.extensions["roundtable.engine"].dispose()

    with served_app(through(cable, postgres_url), tmp_path / "server.log") as server:
        amira, bo, sam = requests.Session(), requests.Session(), requests.Session()
        amira_token = csrf(amira.get(server.url + mapping, timeout=5).text)
        bo_token = csrf(bo.get(server.url + checking, timeout=5).text)
        sign_in_token = csrf(sam.get(server.url + "/sign-in", timeout=5).text)
        sam.post(
            server.url + "/sign-in",
            data={"email": setup.email, "password": PASSWORD, "csrf_token": sign_in_token},
            timeout=5,
        )

        console = console_socket(server, sam)
        listener = Listener(server.url, mapping.rsplit("/", 1)[1])
        assert listener.wait_for(1)["step_number"] == 2

        def add_name() -> requests.Response:
            data = {"intent": "add", "name": "Age UK", "kind": "organisation"}
            return amira.post(
                f"{server.url}{mapping}/steps/face-to-face",
                data={**data, "csrf_token": amira_token},
                allow_redirects=False,
                timeout=15,
            )

        def answer_feeling() -> requests.Response:
            return bo.post(
                f"{server.url}{checking}/steps/feeling",
                data={"answer": "4", "csrf_token": bo_token},
                allow_redirects=False,
                timeout=15,
            )

        def steer() -> dict:
            next_step = {"round": setup.round_id, "command": "next"}
            return console.call("command", next_step, namespace="/facilitator", timeout=15)

        cable.cut()
        assert_unavailable_page(add_name())
        assert_unavailable_page(answer_feeling())
        assert_unavailable_page(amira.get(server.url + mapping, timeout=15))
        assert_unavailable_page(sam.get(f"{server.url}/rounds/{setup.round_id}", timeout=15))
        refused = steer()
        assert refused["ok"] is False and "try again in a minute" in refused["error"]
        with pytest.raises(socketio.exceptions.ConnectionError):
            Listener(server.url, checking.rsplit("/", 1)[1])  # refused, not crashed
        with pytest.raises(socketio.exceptions.ConnectionError):
            console_socket(server, sam)  # the sign-in cannot be checked: refused too
        assert server.process.poll() is None
        assert "Traceback" not in server.log_tail(20_000)
        with app.app_context(), session_scope() as db:
            assert db.exec(select(Answer)).all() == []
            assert db.exec(select(Actor)).all() == []

        cable.plug_in()  # no restart: the next request finds the database again
        assert add_name().status_code == 302
        assert answer_feeling().status_code == 302
        assert "Age UK" in amira.get(server.url + mapping, timeout=15).text
        assert steer() == {"ok": True, "status": "running", "step_number": 3}
        assert listener.wait_for(2)["step_number"] == 3  # the open socket heard it
        bo_live = Listener(server.url, checking.rsplit("/", 1)[1])  # connects again
        disconnect_all([bo_live.client, console, listener.client])
        assert server.process.poll() is None

    with app.app_context(), session_scope() as db:
        rows = db.exec(select(Answer)).all()
        actors = db.exec(select(Actor)).all()
    answers = {a.step_id: a.value for a in rows}
    assert len(rows) == 2  # each stored once
    assert [actor.name for actor in actors] == ["Age UK"]
    assert answers == {
        "feeling": 4,
        "face-to-face": [{"actor": actors[0].id, "label": "Age UK"}],
    }
    app.extensions["roundtable.engine"].dispose()


def test_a_locked_sqlite_database_gets_the_same_page(app, setup):
    """SQLite's "database is locked" is the same kind of error: the same page, nothing
    written, and the answer goes in once the lock is gone."""
    engine = app.extensions["roundtable.engine"]
    engine.dispose()
    event.listen(engine, "connect", lambda connection, _record: _short_wait(connection))
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    person = app.test_client()
    page = join(person, setup, "Amira")
    command(facilitator, setup, "start")
    holder = sqlite3.connect(engine.url.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the database
    try:
        response = person.post_form(f"{page}/steps/feeling", {"answer": "5"})
        html = response.get_data(as_text=True)
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "60"
        assert NOT_SAVED in html
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with app.app_context(), session_scope() as db:
        assert db.exec(select(Answer)).all() == []
    assert person.post_form(f"{page}/steps/feeling", {"answer": "5"}).status_code == 302
    with app.app_context(), session_scope() as db:
        assert [(a.step_id, a.value) for a in db.exec(select(Answer))] == [("feeling", 5)]
        assert db.exec(select(Participant)).one().display_name == "Amira"


def _short_wait(connection) -> None:
    """Give up on a lock after 0.2 s instead of 15 s, so the test does not wait."""
    connection.execute("PRAGMA busy_timeout=200")


def test_a_database_that_does_not_answer_gets_the_page_within_seconds(
    postgres_url, cable, tmp_path
):
    """A host gone from the network answers nothing at all: pages say to try again after a
    few seconds (the connection's time limit) instead of loading for minutes."""
    app = make_app(postgres_url)
    setup = make_setup(app)
    page = join(app.test_client(), setup, "Amira")
    app.extensions["roundtable.engine"].dispose()
    with served_app(through(cable, postgres_url), tmp_path / "server.log") as server:
        phone = requests.Session()
        assert phone.get(server.url + page, timeout=15).status_code == 200
        cable.silence()
        asked = time.monotonic()
        assert_unavailable_page(phone.get(server.url + page, timeout=30))
        assert time.monotonic() - asked < 15
        cable.plug_in()
        assert phone.get(server.url + page, timeout=15).status_code == 200
        assert server.process.poll() is None
    app.extensions["roundtable.engine"].dispose()
