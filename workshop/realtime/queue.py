"""Socket.IO's Redis message queue, made to recover by itself when Redis restarts."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import suppress

import socketio
from flask_socketio import SocketIO
from redis.connection import parse_url

from workshop.web import redis_connection

LONGEST_WAIT_SECONDS = 5.0


class RecoveringRedisManager(socketio.RedisManager):
    """python-socketio's RedisManager waits up to 60 s between tries to reach Redis again,
    and then carries on as if nothing was missed. This one tries at least every few
    seconds, and after a gap drops every connection to this process: each browser
    reconnects by itself, and on reconnecting is told where its round is now."""

    def __init__(self, url: str) -> None:
        super().__init__(
            url, channel=channel_of(url), redis_options=redis_connection.queue_options()
        )

    def _redis_listen_with_retries(self) -> Iterator[dict]:  # pragma: no cover (Redis I/O)
        wait, missed = 0.5, False
        while True:
            pubsub = None
            try:
                self._redis_connect()
                pubsub = self.pubsub  # publishing may replace self.pubsub after a failure
                pubsub.subscribe(self.channel)
                if missed:
                    self._get_logger().warning("Redis is back: browsers here reconnect")
                    self.server.start_background_task(self._reconnect_everyone)
                wait, missed = 0.5, False
                yield from pubsub.listen()
            except Exception as error:
                self._get_logger().error(
                    f"Cannot receive from Redis ({error}): trying again in {wait} s"
                )
                if pubsub is not None:
                    with suppress(Exception):
                        pubsub.close()
                missed = True
                time.sleep(wait)
                wait = min(wait * 2, LONGEST_WAIT_SECONDS)

    def _reconnect_everyone(self) -> None:
        """Close this process's connections without a goodbye, as a network would: browsers
        (and python-socketio clients) then reconnect by themselves, and catch up."""
        engine = self.server.eio
        for sid, connection in list(engine.sockets.items()):
            connection.close(wait=False, abort=True)
            engine.sockets.pop(sid, None)


def channel_of(url: str) -> str:
    """The deployment's own channel: one per Redis database number, as its keys are.

    Redis pub/sub ignores the database number, so two deployments sharing a Redis server
    on /7 and /8 heard each other's updates on one fixed channel (rooms are named by round
    id, which both have): names typed in one appeared on the other's open map.

    >>> channel_of("redis://127.0.0.1:6379/7"), channel_of("unix:///run/redis.sock?db=2")
    ('roundtable-7', 'roundtable-2')
    """
    return f"roundtable-{parse_url(url).get('db', 0)}"


def options(message_queue: str | None) -> dict[str, object]:
    """SocketIO's options for this queue: ours for Redis; others as Flask-SocketIO makes them."""
    if redis_connection.is_redis(message_queue):
        return {"client_manager": RecoveringRedisManager(message_queue)}
    return {"message_queue": message_queue}


def listen_now(socketio: SocketIO) -> None:
    """Listen on the queue from the start, not from the first connection (python-socketio's
    way): an update another process sends before then would be lost."""
    server = socketio.server
    if not server.manager_initialized:
        server.manager_initialized = True
        server.manager.initialize()
