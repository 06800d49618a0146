"""The load benchmark's CPU per page request, by endpoint: on only with ROUNDTABLE_BENCH_TIMINGS."""

# Under gevent every request runs in a greenlet of one thread, so time.thread_time() around
# a request would also count whatever other greenlets ran while it waited on the database.
# Instead, greenlet.settrace charges the thread's CPU to the greenlet that was running at
# each switch; a request costs what its own greenlet used between entering and leaving the
# page app (session, view, template, commit; not Socket.IO, which wraps this app). The
# trace costs a Python call per switch: that is why it is off unless asked for.

from __future__ import annotations

import gc
import json
import os
import time
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import gevent
import greenlet
from flask import Flask, request

KIND = "roundtable.request_kind"
FLUSH_S = 2.0


class Ledger:
    """CPU seconds used by each greenlet of this thread, charged at every switch."""

    def __init__(self) -> None:
        self.used: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
        self.since = time.thread_time()

    def trace(self, event: str, args: tuple[Any, Any]) -> None:
        if event in ("switch", "throw"):
            now = time.thread_time()
            origin = args[0]
            self.used[origin] = self.used.get(origin, 0.0) + now - self.since
            self.since = now

    def current(self) -> float:
        """The running greenlet's CPU so far, this moment included."""
        running = greenlet.getcurrent()
        return self.used.get(running, 0.0) + time.thread_time() - self.since


def record(app: Flask, path: str) -> None:
    """Time each page request; write {kind: [milliseconds, ...]} to path.<pid> every 2 s."""
    ledger = Ledger()
    greenlet.settrace(ledger.trace)
    samples: dict[str, list[float]] = {}
    out = Path(f"{path}.{os.getpid()}")

    @app.teardown_request
    def name_the_kind(_error: BaseException | None) -> None:
        request.environ[KIND] = f"{request.method} {request.endpoint or 'no route'}"

    inner = app.wsgi_app

    def timed(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = ledger.current()
        try:
            return inner(environ, start_response)
        finally:
            kind = environ.get(KIND, "unnamed")
            samples.setdefault(kind, []).append((ledger.current() - started) * 1000)

    app.wsgi_app = timed  # type: ignore[method-assign]
    gc.callbacks.append(_collections_into(samples))

    def flush() -> None:
        written = -1
        while True:
            gevent.sleep(FLUSH_S)
            count = sum(map(len, samples.values()))
            if count != written:
                draft = Path(f"{out}.tmp")
                draft.write_text(json.dumps({"pid": os.getpid(), "ms": samples}))
                draft.replace(out)
                written = count

    gevent.spawn(flush)


def _collections_into(samples: dict[str, list[float]]) -> Callable[[str, dict], None]:
    """A gc callback that times each collection into samples, as "gc generation N" (a
    collection runs inside whichever request allocated last, and is counted there too)."""
    began = 0.0

    def timed(phase: str, info: dict) -> None:
        nonlocal began
        if phase == "start":
            began = time.thread_time()
        else:
            kind = f"gc generation {info['generation']}"
            samples.setdefault(kind, []).append((time.thread_time() - began) * 1000)

    return timed
