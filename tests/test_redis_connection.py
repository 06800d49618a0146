"""One Redis timeout policy: every client the app makes fails fast, and retries once."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from tests.conftest import make_app
from workshop.web import redis_connection
from workshop.web.backoff import backoff


@pytest.fixture
def silent_redis() -> Iterator[str]:
    """A port that takes connections and never answers: a Redis that hangs."""
    listener = socket.create_server(("127.0.0.1", 0))
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    listener.close()


def test_every_client_the_app_makes_follows_the_policy(database_url):
    # Clients connect on first use: a Redis here is never reached.
    app = make_app(database_url, SOCKETIO_MESSAGE_QUEUE="redis://127.0.0.1:1/0")
    clients = {
        "map last sent": app.extensions["roundtable.last_sent"]._redis,
        "rate limits": app.extensions["roundtable.limiter"].storage.storage,
        "sign-in backoff": app.extensions["roundtable.backoff"].storage.storage,
    }
    for what, client in clients.items():
        made = client.connection_pool.connection_kwargs
        assert made["socket_connect_timeout"] == redis_connection.CONNECT_SECONDS, what
        assert made["socket_timeout"] == redis_connection.ANSWER_SECONDS, what
        assert client.get_retry()._retries == redis_connection.RETRIES, what
    queue = app.extensions["socketio"].server.manager.redis_options
    assert queue["socket_connect_timeout"] == redis_connection.CONNECT_SECONDS
    assert "socket_timeout" not in queue  # it listens: a quiet hour is no failure
    app.extensions["roundtable.engine"].dispose()


def test_sign_in_never_hangs_on_a_redis_that_does_not_answer(database_url, silent_redis):
    app = make_app(database_url, SOCKETIO_MESSAGE_QUEUE=silent_redis)
    started = time.monotonic()
    with app.app_context():
        assert backoff().wait(["email:x"]) == 0  # let through, the failure logged
    # Two tries (the first and its retry), each given up after ANSWER_SECONDS.
    assert (
        time.monotonic() - started
        < (redis_connection.RETRIES + 1) * redis_connection.ANSWER_SECONDS + 2
    )
    app.extensions["roundtable.engine"].dispose()
