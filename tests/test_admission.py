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


def test_a_facilitators_request_goes_in_before_waiting_participants(app):
    """In front of a crowd answering at once, the console's panel and Next wait for no
    participant's page: they go in as soon as a place is free."""
    order = []

    @app.get("/bench-only-work")
    def work():
        gevent.sleep(0.01)
        order.append("participant")
        return "done"

    @app.get("/rounds/bench-only-console")
    def console():
        order.append("facilitator")
        return "done"

    def get(path: str) -> None:
        environ = EnvironBuilder(path=path).get_environ()
        b"".join(app.wsgi_app(environ, lambda _status, _headers: None))

    crowd = [gevent.spawn(get, "/bench-only-work") for _ in range(AT_ONCE * 10)]
    gevent.sleep(0)  # the crowd is in, or waiting, before the facilitator asks
    facilitator = gevent.spawn(get, "/rounds/bench-only-console")
    gevent.joinall([*crowd, facilitator], timeout=30)
    assert len(order) == AT_ONCE * 10 + 1
    assert order.index("facilitator") <= AT_ONCE, order


def test_a_request_killed_while_waiting_gives_back_its_place(app):
    @app.get("/bench-only-work")
    def work():
        gevent.sleep(0.01)
        return "done"

    waiting = [gevent.spawn(serve_at_once, app, AT_ONCE * 3) for _ in range(2)]
    gevent.sleep(0.001)
    waiting[0].kill()
    gevent.joinall(waiting[1:], timeout=30)
    assert waiting[1].value == [200] * AT_ONCE * 3
    assert serve_at_once(app, AT_ONCE * 2) == [200] * AT_ONCE * 2  # no place was lost
