"""Under gevent, page requests take turns, and sockets and timers are served in between."""

import re
import time

import gevent
from werkzeug.test import EnvironBuilder

from workshop.web.admission import AT_ONCE


def serve_at_once(app, count: int) -> list[int]:
    """Call the app as gevent's server does, from `count` greenlets at once: the statuses."""

    def get() -> int:
        environ = EnvironBuilder(path="/bench-only-work").get_environ()
        statuses = []
        body = app.wsgi_app(environ, lambda status, _headers: statuses.append(status))
        assert b"".join(body) == b"done"
        return int(statuses[0].split()[0])

    requests = [gevent.spawn(get) for _ in range(count)]
    gevent.joinall(requests, timeout=30)
    return [r.value for r in requests]


def test_page_requests_on_gevent_take_turns_and_all_get_an_answer(app):
    running, most = 0, 0

    @app.get("/bench-only-work")
    def work():
        nonlocal running, most
        running += 1
        most = max(most, running)
        gevent.sleep(0.01)  # as a request waiting for the network would
        running -= 1
        return "done"

    assert serve_at_once(app, AT_ONCE * 4) == [200] * AT_ONCE * 4
    assert most == AT_ONCE


def test_a_timer_that_is_due_runs_between_requests_that_never_yield(app):
    """Like a socket's ping: it is not kept waiting behind a crowd of database work."""
    order = []

    @app.get("/bench-only-work")
    def work():
        time.sleep(0.005)  # the database: blocks without letting other greenlets run
        order.append("r")
        return "done"

    def ticker():
        while True:
            order.append("t")
            gevent.sleep(0.001)

    tick = gevent.spawn(ticker)
    assert serve_at_once(app, 40) == [200] * 40
    tick.kill()
    runs = [len(run) for run in re.findall("r+", "".join(order))]
    assert max(runs) <= AT_ONCE, "".join(order)


def test_a_test_client_outside_gevent_is_not_held_up(client):
    assert client.get("/").status_code == 200
