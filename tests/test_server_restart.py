"""kill -9 the real server mid-round, on SQLite and PostgreSQL: nothing acknowledged is lost,
nothing is half-written, and every client rejoins the same step by itself."""

import re
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
import requests
import socketio
from sqlmodel import select

from tests.browser import free_port, served_app
from tests.conftest import PASSWORD, command, join, make_app, make_setup, sign_in
from workshop.store.db import session_scope
from workshop.store.models import Actor, Answer, Participant

STEP = "face-to-face"  # a name-actors step: each name adds an actor and changes the answer
PEOPLE = ("Amira", "Bo", "Cai", "Dee")


class Listener:
    """A real python-socketio participant client that records every round_state it gets."""

    def __init__(self, url: str, token: str) -> None:
        self.states: list[dict] = []
        self.changed = threading.Condition()
        self.client = socketio.Client(reconnection_delay=0.2, reconnection_delay_max=0.5)
        self.client.on("round_state", self._got, namespace="/participant")
        self.client.connect(
            url, namespaces=["/participant"], auth={"token": token}, transports=["websocket"]
        )

    def _got(self, state: dict) -> None:
        with self.changed:
            self.states.append(state)
            self.changed.notify_all()

    def wait_for(self, count: int, timeout: float = 15.0) -> dict:
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.states) >= count, timeout), self.states
            return self.states[count - 1]


def disconnect_all(clients: list[socketio.Client]) -> None:
    """Disconnect clients at once: each disconnect waits about 3 s for the server's goodbye."""
    with ThreadPoolExecutor(len(clients)) as pool:
        list(pool.map(lambda client: client.disconnect(), clients))


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


@dataclass
class Phone:
    """One participant adding names, one after another, until the server goes away."""

    name: str
    page: str
    acknowledged: list[str] = field(default_factory=list)
    in_flight: str | None = None  # the name whose request failed: it may or may not be stored
    http: requests.Session = field(default_factory=requests.Session)

    def add_names(self, url: str, token: str) -> None:
        for number in range(1, 16):  # the step takes 15 names at most
            name = f"{self.name} group {number}"
            try:
                response = self.http.post(
                    f"{url}{self.page}/steps/{STEP}",
                    data={"intent": "add", "name": name, "kind": "group", "csrf_token": token},
                    allow_redirects=False,
                    timeout=5,
                )
            except requests.RequestException:
                self.in_flight = name
                return
            if response.status_code != 302:  # e.g. the list is full: stop
                return
            self.acknowledged.append(name)  # the next page says "Added"
            time.sleep(0.05)  # a little thinking time, so the kill lands mid-round


@pytest.fixture(params=["sqlite", "postgresql"])
def any_database(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'roundtable.db'}"
    return request.getfixturevalue("postgres_url")


def test_killed_server_loses_no_answer_and_clients_rejoin_the_same_step(any_database, tmp_path):
    app = make_app(any_database)
    setup = make_setup(app, questionnaire="map-your-network")
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    phones = [Phone(name, join(app.test_client(), setup, name)) for name in PEOPLE]
    command(facilitator, setup, "start")
    command(facilitator, setup, "next")
    app.extensions["roundtable.engine"].dispose()

    port = free_port()
    log = tmp_path / "server.log"
    with served_app(any_database, log, port=port) as first:
        listeners = [Listener(first.url, phone.page.rsplit("/", 1)[1]) for phone in phones]
        assert all(listener.wait_for(1)["step_number"] == 2 for listener in listeners)
        tokens = [csrf(p.http.get(first.url + p.page, timeout=5).text) for p in phones]
        threads = [
            threading.Thread(target=phone.add_names, args=(first.url, token), daemon=True)
            for phone, token in zip(phones, tokens, strict=True)
        ]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while min(len(p.acknowledged) for p in phones) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        first.process.send_signal(signal.SIGKILL)  # while everyone is still adding names
        first.process.wait(timeout=5)
        for thread in threads:
            thread.join(timeout=10)
        assert not any(thread.is_alive() for thread in threads)
    assert all(len(p.acknowledged) >= 2 for p in phones), [p.acknowledged for p in phones]
    assert any(p.in_flight for p in phones), "the kill came after everyone had finished"

    with served_app(any_database, log, port=port) as second:
        for listener in listeners:
            rejoined = listener.wait_for(2)  # each client reconnects by itself
            assert (rejoined["status"], rejoined["step_number"]) == ("running", 2)
        for phone in phones:
            html = phone.http.get(second.url + phone.page, timeout=5).text
            assert phone.acknowledged[-1] in html
        laptop = requests.Session()
        laptop.post(
            second.url + "/sign-in",
            data={
                "email": setup.email,
                "password": PASSWORD,
                "csrf_token": csrf(laptop.get(second.url + "/sign-in", timeout=5).text),
            },
            timeout=5,
        )
        laptop.post(
            f"{second.url}/rounds/{setup.round_id}/command",
            data={"command": "next", "csrf_token": csrf(laptop.get(second.url, timeout=5).text)},
            timeout=5,
        )
        for listener in listeners:
            assert listener.wait_for(3)["step_number"] == 3
        disconnect_all([listener.client for listener in listeners])

    stored = make_app(any_database)
    with stored.app_context(), session_scope() as db:
        for phone in phones:
            person = db.exec(select(Participant).where(Participant.display_name == phone.name))
            person = person.one()
            answer = db.exec(
                select(Answer).where(Answer.participant_id == person.id, Answer.step_id == STEP)
            ).one()
            listed = [item["label"] for item in answer.value]
            actors = db.exec(select(Actor).where(Actor.added_by == person.id)).all()
            # Every acknowledged name is kept; the one in flight may be, but only whole:
            # its actor and its place on the person's list, or neither.
            assert listed[: len(phone.acknowledged)] == phone.acknowledged
            assert listed in (phone.acknowledged, [*phone.acknowledged, phone.in_flight])
            assert sorted(a.name for a in actors) == sorted(listed)
    stored.extensions["roundtable.engine"].dispose()
