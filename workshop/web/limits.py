"""Rate limits: joining per address, answering per participant; they never fail closed."""

from __future__ import annotations

import math
import time

from flask import Flask, current_app, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from workshop.web import redis_connection

# Where a person joins: looking up a short code, and the join form.
JOIN_ENDPOINTS = ("participant.home", "participant.join")
ANSWER_PREFIX = "/p/<token:token>/"


def _participant_token() -> str:
    # Per person, not per address: a room behind one school address never shares a budget.
    return (request.view_args or {}).get("token", "") or get_remote_address()


def register(app: Flask) -> None:
    """Limit joining and answering on this app, with counts kept where its processes share
    them (Redis when a message queue is set, else this process's memory)."""
    app.config.setdefault(
        "RATELIMIT_STORAGE_URI", app.config.get("SOCKETIO_MESSAGE_QUEUE") or "memory://"
    )
    shared = redis_connection.is_redis(app.config["RATELIMIT_STORAGE_URI"])
    limiter = Limiter(
        key_func=get_remote_address,
        key_prefix="roundtable",
        # If Redis cannot be reached, count in this process's memory; if even that fails,
        # let the request through: a lost count is better than a lost answer.
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        storage_options=redis_connection.options() if shared else {},
    )
    limiter.init_app(app)
    app.extensions["roundtable.limiter"] = limiter
    join = limiter.limit(lambda: app.config["JOIN_LIMIT"], methods=["POST"])
    answer = limiter.shared_limit(
        lambda: app.config["ANSWER_LIMIT"],
        scope="answer",
        key_func=_participant_token,
        methods=["POST"],
    )
    answering = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(ANSWER_PREFIX) and "POST" in (rule.methods or ())
    }
    for endpoint in JOIN_ENDPOINTS:
        app.view_functions[endpoint] = join(app.view_functions[endpoint])
    for endpoint in answering:
        app.view_functions[endpoint] = answer(app.view_functions[endpoint])


def retry_after(error: RateLimitExceeded) -> int:
    """Seconds until the limit that was hit lets this person try again (at least 1)."""
    limit = current_app.extensions["roundtable.limiter"].current_limit
    if limit is None:
        return int(error.limit.limit.get_expiry())
    # The window's end is kept to the whole second after it, so rounding up could say one
    # second more than the window is long.
    window = int(limit.limit.get_expiry())
    return min(window, max(1, math.ceil(limit.reset_at - time.time())))
