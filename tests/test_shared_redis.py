"""Two deployments on one Redis server, each with its own database number, hear only their
own live updates: Redis pub/sub ignores the database number, so the channel must not."""

from __future__ import annotations

import time
from pathlib import Path

import requests

from tests.browser import served_app
from tests.conftest import PASSWORD, join, make_app, make_setup
from tests.redis_server import RedisServer
from tests.test_server_restart import Listener, csrf, disconnect_all


def test_two_deployments_sharing_a_redis_server_hear_only_their_own(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    """Issue 17 (1): with ROUNDTABLE_MESSAGE_QUEUE on /7 and /8 of one Redis, B's round
    starting told A's waiting participants (the same round id) that theirs had started."""
    base = redis_server.url.rsplit("/", 1)[0]
    deployments = []
    for name, number in (("a", 7), ("b", 8)):
        database = f"sqlite:///{tmp_path / name}.db"
        app = make_app(database)
        setup = make_setup(app)  # round 1 in each: the same room names
        page = join(app.test_client(), setup, "Amira")
        app.extensions["roundtable.engine"].dispose()
        deployments.append((database, f"{base}/{number}", setup, page.rsplit("/", 1)[1]))

    (a_db, a_queue, _a_setup, a_token), (b_db, b_queue, b_setup, b_token) = deployments
    with (
        served_app(a_db, tmp_path / "a.log", env={"ROUNDTABLE_MESSAGE_QUEUE": a_queue}) as a,
        served_app(b_db, tmp_path / "b.log", env={"ROUNDTABLE_MESSAGE_QUEUE": b_queue}) as b,
    ):
        in_a, in_b = Listener(a.url, a_token), Listener(b.url, b_token)
        assert in_a.wait_for(1)["status"] == in_b.wait_for(1)["status"] == "lobby"

        lead = requests.Session()
        token = csrf(lead.get(f"{b.url}/sign-in", timeout=5).text)
        lead.post(
            f"{b.url}/sign-in",
            data={"email": b_setup.email, "password": PASSWORD, "csrf_token": token},
            timeout=5,
        )
        console = f"{b.url}/rounds/{b_setup.round_id}"
        token = csrf(lead.get(console, timeout=5).text)
        lead.post(f"{console}/command", data={"command": "start", "csrf_token": token}, timeout=5)

        assert in_b.wait_for(2)["status"] == "running"
        time.sleep(1.0)  # what B published has reached every subscriber by now
        assert [state["status"] for state in in_a.states] == ["lobby"]
        disconnect_all([in_a.client, in_b.client])
