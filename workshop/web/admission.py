"""Page requests take turns on gevent, so live connections are served in between."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

# On gevent, a request runs without a break until it waits for the network: the database
# does not yield. gevent then runs up to 50 ready greenlets before it looks at the clock,
# so a crowd of requests could hold the server for seconds while no socket is served, and
# Socket.IO clients whose pings go unanswered for long are dropped. Here page requests run
# AT_ONCE at a time, each starting on a fresh turn of the event loop, after the sockets and
# timers that are due. The total work is the same; sockets no longer wait behind it.
AT_ONCE = 2


def limit_page_requests(app: Flask) -> None:
    """Wrap the app's own requests (not Socket.IO's) in a gate of AT_ONCE, on gevent."""
    if app.config["SOCKETIO_ASYNC_MODE"] != "gevent":
        return
    import gevent
    from gevent.lock import BoundedSemaphore

    gate = BoundedSemaphore(AT_ONCE)
    inner = app.wsgi_app

    def gated(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if not isinstance(gevent.getcurrent(), gevent.Greenlet):
            return inner(environ, start_response)  # not gevent's server: a test client's
        with gate:
            gevent.sleep(0.001)  # a timer, not a callback: the loop polls sockets first
            return inner(environ, start_response)

    app.wsgi_app = gated  # type: ignore[method-assign]
