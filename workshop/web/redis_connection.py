"""Every connection to Redis is made from here, with the one timeout policy they share.

Redis holds what several app processes share (ROUNDTABLE_MESSAGE_QUEUE): Socket.IO's
message queue, the map last sent to open canvases, rate-limit counts and the sign-in
backoff. Each of them goes on without Redis when it is away (counts kept in memory, maps
fetched whole, sign-in without the backoff), so the policy is:

- fail fast while Redis is away: give up connecting after CONNECT_SECONDS and waiting for
  an answer after ANSWER_SECONDS, so that no page ever hangs on Redis;
- one quick retry, at once: after Redis restarts every pooled connection is dead, and the
  first command on one fails although Redis is back; the retry takes a fresh connection.
"""

from __future__ import annotations

from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

CONNECT_SECONDS = 2
ANSWER_SECONDS = 2
RETRIES = 1


def is_redis(url: str | None) -> bool:
    """Whether this URL names a Redis (rather than this process's memory, say)."""
    return bool(url) and url.startswith(("redis://", "rediss://"))


def client(url: str) -> redis.Redis:
    """A client for the Redis at `url`, with the policy."""
    return redis.Redis.from_url(url, **options())


def options() -> dict[str, Any]:
    """The policy as redis-py's keyword arguments, for a library that makes its own client
    from a URL (Flask-Limiter's and limits' storage)."""
    return {
        "socket_connect_timeout": CONNECT_SECONDS,
        "socket_timeout": ANSWER_SECONDS,
        "retry": Retry(NoBackoff(), RETRIES),
    }


def queue_options() -> dict[str, Any]:
    """The policy for Socket.IO's message queue, whose one client also listens.

    Listening waits for the next message as long as the room is quiet, so no answer time
    is set: keepalive finds a dead connection instead. redis-py does not retry either:
    python-socketio already tries a publish twice, and our manager reconnects a broken
    subscription itself, noting the gap (a retry inside redis-py would hide it)."""
    return {
        "socket_connect_timeout": CONNECT_SECONDS,
        "socket_keepalive": True,
        "retry": Retry(NoBackoff(), 0),
    }
