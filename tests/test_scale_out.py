"""Two real app processes share one round through Redis and PostgreSQL: never skipped.

Process A runs exactly as the README's Deployment section says (gunicorn, gevent worker);
process B is `roundtable serve`. A participant and a console connected to B hear what is
done through A, and the app recovers by itself when Redis restarts. Also: the Redis map
store's lock and cache, and what maps are sent when Redis cannot be reached.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import socketio
from flask import Flask
from sqlmodel import select

from tests.browser import NODE_MODULES, ROOT, Server, free_port, served_app
from tests.conftest import PASSWORD, make_app, make_setup, new_postgres_database
from tests.redis_server import RedisServer, port_open, wait_until
from tests.test_map_deltas import setup_round
from tests.test_network_steps import add_name
from tests.test_sockets import events, facilitator_socket
from workshop.realtime.last_sent import InRedis, Unavailable
from workshop.store.db import session_scope
from workshop.store.models import Participant

GUNICORN = Path(sys.executable).parent / "gunicorn"
SECRET = "scale-out-test-secret"


def gunicorn_command(port: int) -> list[str]:
    """The README's deployment command, on this port."""
    return [
        str(GUNICORN),
        "--worker-class",
        "gevent",
        "--workers",
        "1",
        "--bind",
        f"127.0.0.1:{port}",
        "workshop.wsgi:app",
    ]


@contextmanager
def gunicorn_app(env: dict[str, str], log: Path) -> Iterator[Server]:
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            gunicorn_command(port),
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        yield server  # not waited for: the other process starts meanwhile
    finally:
        process.send_signal(signal.SIGQUIT)  # a quick shutdown: the test is over
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def wait_for_server(server: Server, timeout: float = 60) -> None:
    port = int(server.url.rsplit(":", 1)[1])
    wait_until(lambda: server.process.poll() is not None or port_open(port), timeout, server.url)
    assert server.process.poll() is None, server.log_tail()


@dataclass
class Cluster:
    redis: RedisServer
    a: Server  # gunicorn, as the README says
    b: Server  # roundtable serve
    app: Flask  # on the same database, to set rounds up


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A new, empty database on this machine's PostgreSQL, for the module's processes."""
    with new_postgres_database() as url:
        yield url


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, database: str) -> Iterator[Cluster]:
    """Redis, PostgreSQL and two app processes, shared by this module's tests (each test
    runs its own round; the Redis test leaves Redis running again)."""
    tmp_path = tmp_path_factory.mktemp("cluster")
    postgres_url = database
    queue = RedisServer(tmp_path / "redis.log")
    queue.start()
    # The rounds are set up in-process, on the same database the two servers share.
    app = make_app(postgres_url)
    env = {
        "DATABASE_URL": postgres_url,
        "ROUNDTABLE_MESSAGE_QUEUE": queue.url,
        "ROUNDTABLE_SECRET_KEY": SECRET,
        "ROUNDTABLE_NODE_MODULES": str(NODE_MODULES),
    }
    try:
        with (
            gunicorn_app(env, tmp_path / "a.log") as a,
            served_app(postgres_url, tmp_path / "b.log", timeout=60, env=env) as b,
        ):
            wait_for_server(a)
            # Each process listens on the queue from its start.
            wait_until(lambda: queue.subscribers() == 2, 20, "both processes on the queue")
            yield Cluster(queue, a, b, app)
    finally:
        app.extensions["roundtable.engine"].dispose()
        queue.process.kill()
        queue.process.wait(timeout=5)


class Listener:
    """A real python-socketio client (WebSocket only) that records the events it is sent."""

    def __init__(self, url: str, namespace: str, events: list[str], **connect) -> None:
        self.namespace = namespace
        self.got: list[tuple[str, dict]] = []
        self.changed = threading.Condition()
        self.client = socketio.Client(reconnection_delay=0.2, reconnection_delay_max=1)
        for event in events:
            self.client.on(event, self._recorder(event), namespace=namespace)
        self.client.connect(url, namespaces=[namespace], transports=["websocket"], **connect)

    def _recorder(self, event: str) -> Callable[[dict], None]:
        def record(data: dict) -> None:
            with self.changed:
                self.got.append((event, data))
                self.changed.notify_all()

        return record

    def wait_for(self, event: str, check: Callable[[dict], bool], timeout: float = 15) -> dict:
        def found() -> dict | None:
            return next((d for e, d in self.got if e == event and check(d)), None)

        with self.changed:
            assert self.changed.wait_for(found, timeout), (event, self.got)
            return found()

    def ask(self, event: str, data: dict) -> dict:
        return self.client.call(event, data, namespace=self.namespace, timeout=10)


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def post(browser: requests.Session, url: str, data: dict, form_page: str) -> requests.Response:
    """Post a form as a browser does: the CSRF token from the page that holds the form."""
    token = csrf(browser.get(form_page, timeout=10).text)
    return browser.post(url, data={**data, "csrf_token": token}, allow_redirects=False, timeout=10)


def signed_in(server: Server, email: str) -> requests.Session:
    browser = requests.Session()
    response = post(
        browser,
        server.url + "/sign-in",
        {"email": email, "password": PASSWORD},
        server.url + "/sign-in",
    )
    assert response.status_code == 302, response.text
    return browser


def joined(server: Server, join_token: str, name: str) -> tuple[requests.Session, str]:
    """A participant who joined through this server: their browser and their page path."""
    browser = requests.Session()
    join_page = f"{server.url}/j/{join_token}"
    response = post(browser, join_page, {"display_name": name, "agree": "y"}, join_page)
    assert response.status_code == 302, response.text
    return browser, response.headers["Location"]


@dataclass
class Round:
    round_id: int
    facilitator: requests.Session
    command: Callable[[str], None]


def live_round(cluster: Cluster, email: str) -> tuple[Round, str]:
    """A map-your-network round whose facilitator steers it through A."""
    setup = make_setup(cluster.app, email=email, questionnaire="map-your-network")
    facilitator = signed_in(cluster.a, email)
    console_page = f"{cluster.a.url}/rounds/{setup.round_id}"

    def command(name: str) -> None:
        url = f"{console_page}/command"
        assert post(facilitator, url, {"command": name}, console_page).status_code == 302

    return Round(setup.round_id, facilitator, command), setup.join_token


def test_a_participant_on_b_hears_the_step_and_map_changes_made_through_a(cluster):
    round_, join_token = live_round(cluster, "lead@example.org")
    amira_browser, amira_page = joined(cluster.b, join_token, "Amira")
    bo, bo_page = joined(cluster.a, join_token, "Bo")
    amira = Listener(
        cluster.b.url,
        "/participant",
        ["round_state", "map_delta"],
        auth={"token": amira_page.rsplit("/", 1)[1]},
    )
    # Bo's page on A (gunicorn) listens by WebSocket too.
    bo_listener = Listener(
        cluster.a.url, "/participant", ["map_delta"], auth={"token": bo_page.rsplit("/", 1)[1]}
    )
    # The facilitator's console on B, signed in through A: the session cookie is shared.
    console = Listener(
        cluster.b.url,
        "/facilitator",
        ["round_state", "map_delta"],
        headers={"Cookie": f"session={round_.facilitator.cookies['session']}"},
    )
    try:
        assert console.ask("watch", {"round": round_.round_id}) == {"ok": True}
        assert console.ask("watch_map", {"round": round_.round_id}) == {"ok": True}

        # (a) Steps: the facilitator steers through A, the participant on B follows.
        round_.command("start")
        amira.wait_for("round_state", lambda s: s["status"] == "running")
        round_.command("next")
        state = amira.wait_for("round_state", lambda s: s["step_id"] == "face-to-face")
        assert state["step_number"] == 2
        console.wait_for("round_state", lambda s: s["step_number"] == 2)

        # (b) The map: shown to participants through A; the console on B draws it whole
        # once (which B keeps in Redis), then a name added through A reaches B as a delta
        # measured against that map: not {"reset": true}.
        shown = post(
            round_.facilitator,
            f"{cluster.a.url}/rounds/{round_.round_id}/map/display",
            {"part": "map", "shown": "1"},
            f"{cluster.a.url}/rounds/{round_.round_id}/map",
        )
        assert shown.status_code == 302
        assert amira.ask("watch_map", {}) == {"ok": True}
        assert bo_listener.ask("watch_map", {}) == {"ok": True}
        whole = round_.facilitator.get(
            f"{cluster.b.url}/rounds/{round_.round_id}/map/data.json", timeout=10
        )
        assert whole.status_code == 200 and not whole.json()["nodes"]
        added = post(
            bo,
            f"{cluster.a.url}{bo_page}/steps/face-to-face",
            {"intent": "add", "name": "Disability Wales", "kind": "organisation"},
            cluster.a.url + bo_page,
        )
        assert added.status_code == 302, added.text

        def adds_disability_wales(change: dict) -> bool:
            nodes = change.get("nodes", {}).get("added", [])
            return [n["label"] for n in nodes] == ["Disability Wales"]

        for listener in (amira, console):
            change = listener.wait_for("map_delta", adds_disability_wales)
            assert "reset" not in change and change["counts"] == {"actors": 1, "ties": 0}
        assert all("reset" not in d for e, d in amira.got + console.got if e == "map_delta")

        # A second name, added through B this time, is measured against what A sent.
        added = post(
            amira_browser,
            f"{cluster.b.url}{amira_page}/steps/face-to-face",
            {"intent": "add", "name": "Brent Mencap", "kind": "organisation"},
            cluster.b.url + amira_page,
        )
        assert added.status_code == 302, added.text
        for listener in (console, bo_listener):  # on B, and on A under gunicorn
            change = listener.wait_for(
                "map_delta",
                lambda c: (
                    [n["label"] for n in c.get("nodes", {}).get("added", [])] == ["Brent Mencap"]
                ),
            )
            # Only the new name: the kept map came back from Redis equal to what was drawn.
            assert change["nodes"]["changed"] == change["nodes"]["removed"] == []
            assert "edges" not in change and change["counts"] == {"actors": 2, "ties": 0}

        # (c) Losing access ends live connections in the other process too (issue 17): Amira
        # removed through A loses her socket on B; the lead signing out through A loses
        # the console on B. Neither may connect again.
        with cluster.app.app_context(), session_scope() as db:
            amira_id = db.exec(
                select(Participant.id).where(Participant.display_name == "Amira")
            ).one()
        remove = f"{cluster.a.url}/rounds/{round_.round_id}/people/{amira_id}/remove"
        assert post(round_.facilitator, remove, {"answers": "keep"}, remove).status_code == 302
        signed_out = post(
            round_.facilitator,
            f"{cluster.a.url}/sign-out",
            {},
            f"{cluster.a.url}/rounds/{round_.round_id}",
        )
        assert signed_out.status_code == 302
        for ended in (amira, console):
            wait_until(lambda c=ended.client: not c.connected, 5, "the socket on B to end")
        time.sleep(1)  # each client has tried to connect again by now, and been refused
        assert not amira.client.connected and not console.client.connected
        assert bo_listener.client.connected
    finally:
        for listener in (amira, bo_listener, console):
            listener.client.disconnect()


def test_the_app_recovers_by_itself_when_redis_restarts(cluster):
    round_, join_token = live_round(cluster, "steady@example.org")
    bo, bo_page = joined(cluster.a, join_token, "Bo")
    amira_browser, amira_page = joined(cluster.b, join_token, "Amira")
    amira = Listener(
        cluster.b.url, "/participant", ["round_state"], auth={"token": amira_page.rsplit("/", 1)[1]}
    )
    try:
        round_.command("start")
        round_.command("next")
        amira.wait_for("round_state", lambda s: s["step_id"] == "face-to-face")

        cluster.redis.kill()
        # Redis is away: pages keep working, and what people give is stored.
        page = cluster.a.url + bo_page
        assert bo.get(page, timeout=10).status_code == 200
        added = post(
            bo,
            f"{page}/steps/face-to-face",
            {"intent": "add", "name": "Age UK", "kind": "organisation"},
            page,
        )
        assert added.status_code == 302, added.text
        assert "Age UK" in bo.get(page, timeout=10).text
        assert amira_browser.get(cluster.b.url + amira_page, timeout=10).status_code == 200
        round_.command("next")  # stored, though nobody can be told just now

        cluster.redis.start()
        # B reconnects to Redis by itself, drops its sockets, and the participant's client
        # reconnects and is told the step it missed.
        amira.wait_for("round_state", lambda s: s["step_id"] == "online", timeout=20)
        # And what is done through A from now on reaches B again.
        round_.command("next")
        amira.wait_for("round_state", lambda s: s["step_id"] == "would-like-to-know", timeout=20)
    finally:
        amira.client.disconnect()


def test_the_map_store_holds_a_round_for_one_process_at_a_time(cluster):
    """The lock and the kept map, straight on Redis, as two processes see them."""
    one, two = InRedis(cluster.redis.url), InRedis(cluster.redis.url)
    order: list[str] = []

    def second() -> None:
        with two.held(7):
            order.append("two")

    with one.held(7):
        waiting = threading.Thread(target=second)
        waiting.start()
        with two.held(8):  # another round is never held up
            order.append("other round")
        time.sleep(0.3)  # the second process waits meanwhile
        order.append("one")
        one.keep(7, {"nodes": {"1": {"id": 1, "x": 0.1}}, "edges": {}})
    waiting.join(timeout=10)
    assert order == ["other round", "one", "two"]
    assert two.read(7) == {"nodes": {"1": {"id": 1, "x": 0.1}}, "edges": {}}
    two.seed(7, {"nodes": {}, "edges": {}})  # a first draw never hides a kept map
    assert one.read(7)["nodes"] == {"1": {"id": 1, "x": 0.1}}
    # A map another process kept replaces the one this process has cached.
    two.keep(7, {"nodes": {}, "edges": {"1-2": {"id": "1-2"}}})
    assert one.read(7) == {"nodes": {}, "edges": {"1-2": {"id": "1-2"}}}
    assert one.read(8) is None

    # Unreachable: a clear Unavailable, quickly, never a hang (pages call this).
    gone = InRedis(f"redis://127.0.0.1:{free_port()}/0")
    started = time.monotonic()
    for attempt in (lambda: gone.read(7), lambda: gone.held(7).__enter__()):
        with pytest.raises(Unavailable):
            attempt()
    assert time.monotonic() - started < 10


def test_with_redis_unreachable_open_maps_are_told_to_fetch_the_map_whole(app):
    """The map store on a Redis nobody answers at: the name is stored and the page is
    fine; open maps get {"reset": true} and the whole map still loads."""
    app.extensions["roundtable.last_sent"] = InRedis(f"redis://127.0.0.1:{free_port()}/0")
    setup, facilitator, participant, page = setup_round(app, "kim@example.org")
    console = facilitator_socket(app, facilitator)
    assert console.emit(
        "watch_map", {"round": setup.round_id}, namespace="/facilitator", callback=True
    ) == {"ok": True}
    whole = facilitator.get(f"/rounds/{setup.round_id}/map/data.json")
    assert whole.status_code == 200 and not whole.get_json()["nodes"]
    response = add_name(participant, page, "face-to-face", "Age UK", "organisation")
    assert response.status_code == 302
    assert "Age UK" in participant.get(response.headers["Location"]).get_data(as_text=True)
    (change,) = events(console, "/facilitator", "map_delta")
    assert change["reset"] is True and "nodes" not in change
    whole = facilitator.get(f"/rounds/{setup.round_id}/map/data.json").get_json()
    assert [n["label"] for n in whole["nodes"].values()] == ["Age UK"]
