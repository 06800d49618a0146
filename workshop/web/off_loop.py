"""Long pure work (reading an uploaded spreadsheet) runs in one of gevent's native threads,
so the event loop goes on serving every socket and page while it runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import current_app

P = ParamSpec("P")
T = TypeVar("T")


def off_the_loop(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`work(*args, **kwargs)`, run in gevent's thread pool, the calling request waiting.

    On gevent a request holds the whole process until it waits for the network: a 5,000-row
    workbook took 1.1 s to read, and for that time no socket in the room was served. In a
    native thread the loop goes on (the parse still takes its turns at the interpreter's
    lock with it). The pool holds at most 10 such threads: more wait their turn. Work passed
    here must touch no Flask context, no database session and no lock the loop also takes
    (gevent's advice): no logging, no `warnings.catch_warnings`. The readers of spreadsheets
    are set up for this where they are imported.
    """
    if current_app.config["SOCKETIO_ASYNC_MODE"] != "gevent":
        return work(*args, **kwargs)  # threading: each request is its own thread already
    import gevent

    return gevent.get_hub().threadpool.apply(work, args, kwargs)
