"""Rounds whose map measures are due, worked out one at a time by one background task per process.

A change asks for its round's measures; a burst of changes is one working out, a little
after the first of them, and a round is worked out again only after resting three times as
long as its last working out took, so a busy 10,000-actor map costs at most a quarter of a
process. Nothing here is kept that the database cannot rebuild: a restart forgets what was
due, and the next page that finds the measures older than the map asks again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

WAIT_SECONDS = 0.5  # after a change asks, for the rest of its burst
REST_FACTOR = 3  # a round rests this many times its last working out before the next
POLL_SECONDS = 0.25  # the task looks again this often while rounds are waiting


class MeasuresQueue:
    """The rounds due, and the one task that works them out (started when one is due)."""

    def __init__(
        self,
        start: Callable[[Callable[[], None]], Any],
        sleep: Callable[[float], None],
        work: Callable[[int], None],
    ) -> None:
        self._start = start  # starts a background task (a greenlet on gevent)
        self._sleep = sleep
        self._work = work  # works out one round's measures and keeps them
        self._due: dict[int, float] = {}  # round id: monotonic time it is due
        self._rested: dict[int, float] = {}  # round id: not before this time again
        self._running = False

    def add(self, round_id: int) -> None:
        """Ask for a round's measures; asking again before they are worked out does nothing."""
        if round_id not in self._due:
            self._due[round_id] = time.monotonic() + WAIT_SECONDS
        if not self._running:
            self._running = True
            self._start(self._run)

    def due(self) -> list[int]:
        """The rounds waiting to be worked out."""
        return sorted(self._due)

    def idle(self) -> bool:
        """Whether nothing is waiting or being worked out (a round leaves `due` as its
        working out begins)."""
        return not self._running

    def _next(self) -> tuple[int, float]:
        """The round due first, and when (after its rest)."""
        when = {r: max(at, self._rested.get(r, 0.0)) for r, at in self._due.items()}
        round_id = min(when, key=when.__getitem__)
        return round_id, when[round_id]

    def _run(self) -> None:
        try:
            while self._due:
                round_id, when = self._next()
                if (wait := when - time.monotonic()) > 0:
                    self._sleep(min(wait, POLL_SECONDS))
                    continue
                del self._due[round_id]  # a change from now on asks again
                started = time.monotonic()
                self._work(round_id)
                ended = time.monotonic()
                self._rested[round_id] = ended + REST_FACTOR * (ended - started)
                self._rested = {r: t for r, t in self._rested.items() if t > ended}
        finally:
            self._running = False
