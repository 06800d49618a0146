"""Page requests take turns on gevent, so live connections are served in between, and the
team running a room goes first."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask

# On gevent, a request runs without a break until it waits for the network: the database
# does not yield. gevent then runs up to 50 ready greenlets before it looks at the clock,
# so a crowd of requests could hold the server for seconds while no socket is served, and
# Socket.IO clients whose pings go unanswered for long are dropped. Here page requests run
# AT_ONCE at a time, each starting on a fresh turn of the event loop, after the sockets and
# timers that are due. The total work is the same; sockets no longer wait behind it.
AT_ONCE = 2
# The facilitators' pages (the console's live panel, Next, the map they tidy) wait for no
# participant's: in front of 500 people answering at once, the console still counts their
# answers, and the room still moves on, within moments.
FIRST = "/rounds/"


class Gate:
    """At most `at_once` requests inside; a waiting facilitator's goes in before any
    waiting participant's. (Greenlets only switch where they wait, so no lock is needed.)"""

    def __init__(self, at_once: int) -> None:
        self._free = at_once
        self._waiting: tuple[deque, deque] = (deque(), deque())  # first, then the others

    @contextmanager
    def turn(self, first: bool) -> Iterator[None]:
        """Wait for a place (handed over by a request leaving), then hold it."""
        from gevent.event import Event

        if self._free > 0 and not any(self._waiting):
            self._free -= 1
        else:
            handed = Event()
            lane = self._waiting[0 if first else 1]
            lane.append(handed)
            try:
                handed.wait()
            except BaseException:  # killed while waiting: give back a place handed to it
                if handed.is_set():
                    self._leave()
                else:
                    lane.remove(handed)
                raise
        try:
            yield
        finally:
            self._leave()

    def _leave(self) -> None:
        for lane in self._waiting:
            if lane:
                lane.popleft().set()  # the place goes straight to the next in line
                return
        self._free += 1


def limit_page_requests(app: Flask) -> None:
    """Wrap the app's own requests (not Socket.IO's) in a gate of AT_ONCE, on gevent."""
    if app.config["SOCKETIO_ASYNC_MODE"] != "gevent":
        return
    import gevent

    gate = Gate(AT_ONCE)
    inner = app.wsgi_app

    def gated(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if not isinstance(gevent.getcurrent(), gevent.Greenlet):
            return inner(environ, start_response)  # not gevent's server: a test client's
        with gate.turn(first=environ.get("PATH_INFO", "").startswith(FIRST)):
            gevent.sleep(0.001)  # a timer, not a callback: the loop polls sockets first
            return inner(environ, start_response)

    app.wsgi_app = gated  # type: ignore[method-assign]
