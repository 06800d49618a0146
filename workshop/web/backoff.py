"""Sign-in backoff: after a few failed tries, each further try waits longer (shared store)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable

from flask import Flask, current_app
from flask_babel import ngettext
from limits.errors import StorageError
from limits.storage import Storage, storage_from_string

from workshop.web import redis_connection

_FAILURES = "roundtable/sign-in/failures/"
_WAIT = "roundtable/sign-in/wait/"
_EMAIL, _ADDRESS, _PAIR = "email:", "address:", "pair:"  # what each key counts


class Backoff:
    """Counts failed sign-ins per key (an email, an address) in a store that every app
    process shares, and says how long the next try must wait."""

    def __init__(
        self, storage: Storage, failures: int, window: int, first_wait: int, longest_wait: int
    ) -> None:
        self.storage = storage
        self.failures = failures  # allowed within the window before any wait
        self.window = window
        self.first_wait = first_wait
        self.longest_wait = longest_wait

    def wait(self, keys: Iterable[str]) -> int:
        """Seconds left before any of these keys may try again (0: try now)."""
        now = time.time()
        try:
            left = [
                self.storage.get_expiry(_WAIT + key) - now
                for key in keys
                if self.storage.get(_WAIT + key) > 0
            ]
        except StorageError:
            _unreachable()
            return 0
        # Rounded, not ceiled: Redis keeps expiry times to the second.
        return max(0, round(max(left, default=0)))

    def failed(self, keys: Iterable[str]) -> None:
        """Count a failed try; past the allowance, start a wait that doubles each time (for
        the email and the address: the pair of them is only counted)."""
        try:
            for key in keys:
                count = self.storage.incr(_FAILURES + key, self.window)
                over = count - self.failures
                if over >= 0 and not key.startswith(_PAIR):
                    wait = min(self.first_wait * 2 ** min(over, 20), self.longest_wait)
                    self.storage.clear(_WAIT + key)
                    self.storage.incr(_WAIT + key, wait)
        except StorageError:
            _unreachable()

    def succeeded(self, keys: Iterable[str]) -> None:
        """A right password (outside any wait) forgives the failures made on this email: its
        own count goes, and the address's falls by those made on it from there. The
        address keeps the rest, so that one address cannot guess at many emails without
        end, signing in to its own account between tries."""
        by_kind = {key.split(":", 1)[0] + ":": key for key in keys}
        email, address, pair = by_kind[_EMAIL], by_kind[_ADDRESS], by_kind[_PAIR]
        try:
            own = self.storage.get(_FAILURES + pair)
            for key in (email, pair):
                self.storage.clear(_FAILURES + key)
                self.storage.clear(_WAIT + key)
            if own and self.storage.incr(_FAILURES + address, self.window, -own) < self.failures:
                self.storage.clear(_WAIT + address)
        except StorageError:
            _unreachable()


def _unreachable() -> None:
    # Sign-in goes on without the backoff rather than fail for everyone; say so in the log.
    current_app.logger.error("sign-in backoff: the shared store cannot be reached")


def init_app(app: Flask) -> None:
    """One backoff per app, in the message queue's Redis when there is one."""
    url = app.config["SOCKETIO_MESSAGE_QUEUE"] or "memory://"
    waits = redis_connection.options() if redis_connection.is_redis(url) else {}
    app.extensions["roundtable.backoff"] = Backoff(
        storage_from_string(url, wrap_exceptions=True, **waits),
        app.config["SIGN_IN_FAILURES"],
        app.config["SIGN_IN_WINDOW"],
        app.config["SIGN_IN_FIRST_WAIT"],
        app.config["SIGN_IN_LONGEST_WAIT"],
    )


def backoff() -> Backoff:
    """This app's sign-in backoff."""
    return current_app.extensions["roundtable.backoff"]


def keys_for(email: str, address: str | None) -> list[str]:
    """The email tried (hashed: the store need not hold addresses), where from, and the
    two together."""
    digest = hashlib.sha256(email.encode()).hexdigest()[:32]
    where = address or "unknown"
    return [f"{_EMAIL}{digest}", f"{_ADDRESS}{where}", f"{_PAIR}{digest}/{where}"]


def too_many_tries(wait: int) -> str:
    """What a person told to wait reads: the same whether or not the email is known."""
    minutes = max(1, -(-wait // 60))
    return ngettext(
        "Too many tries. Wait %(num)d minute, then try again.",
        "Too many tries. Wait %(num)d minutes, then try again.",
        minutes,
    )
