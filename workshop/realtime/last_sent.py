"""The map each round's open canvases were last sent: in this process, or in Redis when
several processes share the rounds (ROUNDTABLE_MESSAGE_QUEUE). Callers never know which."""

from __future__ import annotations

import json
import secrets
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from typing import Protocol

from redis.exceptions import LockError, RedisError

from workshop.web import redis_connection


class Unavailable(Exception):
    """The shared store cannot be reached just now: open maps should fetch the map whole."""


class LastSent(Protocol):
    """Where the last map sent to a round's open canvases is kept."""

    def held(self, round_id: int) -> AbstractContextManager[None]:
        """Hold the round while its change is read, computed, kept and sent."""

    def read(self, round_id: int) -> dict | None:
        """The map last sent, or None when none is known (send {"reset": true})."""

    def keep(self, round_id: int, drawn: dict) -> None:
        """Keep the map just sent."""

    def seed(self, round_id: int, drawn: dict) -> None:
        """Keep a whole map drawn for a first view, unless a map is already kept."""

    def forget(self, round_id: int) -> None:
        """No map is open: the next first view's map is what later changes are measured from."""


class InProcess:
    """One process: a dictionary of the most recently used rounds."""

    def __init__(self, rounds_kept: int = 256) -> None:
        self._maps: OrderedDict[int, dict] = OrderedDict()
        self._rounds_kept = rounds_kept
        # gevent makes these locks between greenlets; a few, shared by rounds, so rounds
        # seldom wait on each other and the locks never grow in number.
        self._locks = [threading.Lock() for _ in range(32)]

    @contextmanager
    def held(self, round_id: int) -> Iterator[None]:
        with self._locks[round_id % len(self._locks)]:
            yield

    def read(self, round_id: int) -> dict | None:
        return self._maps.get(round_id)

    def keep(self, round_id: int, drawn: dict) -> None:
        self._maps[round_id] = drawn
        self._maps.move_to_end(round_id)
        while len(self._maps) > self._rounds_kept:
            self._maps.popitem(last=False)

    def seed(self, round_id: int, drawn: dict) -> None:
        if round_id not in self._maps:
            self.keep(round_id, drawn)

    def forget(self, round_id: int) -> None:
        with self.held(round_id):
            self._maps.pop(round_id, None)


class InRedis:
    """Several processes: one Redis key per round, which expires when the round goes quiet,
    and a Redis lock per round so no change is measured against a stale map.

    Each kept map starts with a version (16 bytes). A process also keeps the maps it last
    kept or read: when the version in Redis is still theirs, it reads 16 bytes, not the map
    (339 KB at 1,000 actors) and its JSON decoding."""

    KEPT_SECONDS = 24 * 3600
    LOCK_SECONDS = 30  # frees the round if a process dies while holding it
    WAIT_SECONDS = 5  # then give up and tell open maps to fetch the map whole
    ROUNDS_CACHED = 16
    VERSION_BYTES = 16

    def __init__(self, url: str) -> None:
        self._redis = redis_connection.client(url)
        self._cached: OrderedDict[int, tuple[bytes, dict]] = OrderedDict()

    @staticmethod
    def _key(round_id: int) -> str:
        return f"roundtable:map-sent:{round_id}"

    @contextmanager
    def held(self, round_id: int) -> Iterator[None]:
        lock = self._redis.lock(
            f"roundtable:map-lock:{round_id}",
            timeout=self.LOCK_SECONDS,
            blocking_timeout=self.WAIT_SECONDS,
        )
        try:
            acquired = lock.acquire()
        except RedisError as error:
            raise Unavailable(str(error)) from error
        if not acquired:
            raise Unavailable("another process held the round's map too long")
        try:
            yield
        finally:
            with suppress(LockError, RedisError):  # it expires by itself
                lock.release()

    def read(self, round_id: int) -> dict | None:
        key = self._key(round_id)
        try:
            version = self._redis.getrange(key, 0, self.VERSION_BYTES - 1)
            if not version:
                return None
            cached = self._cached.get(round_id)
            if cached is not None and cached[0] == version:
                return cached[1]
            kept = self._redis.get(key)
        except RedisError as error:
            raise Unavailable(str(error)) from error
        if kept is None:
            return None
        drawn = json.loads(kept[self.VERSION_BYTES :])
        self._cache(round_id, kept[: self.VERSION_BYTES], drawn)
        return drawn

    def keep(self, round_id: int, drawn: dict) -> None:
        self._set(round_id, drawn, only_new=False)

    def seed(self, round_id: int, drawn: dict) -> None:
        self._set(round_id, drawn, only_new=True)

    def forget(self, round_id: int) -> None:
        self._cached.pop(round_id, None)
        try:
            self._redis.delete(self._key(round_id))
        except RedisError as error:
            raise Unavailable(str(error)) from error

    def _set(self, round_id: int, drawn: dict, only_new: bool) -> None:
        version = secrets.token_hex(self.VERSION_BYTES // 2).encode()
        text = version + json.dumps(drawn, separators=(",", ":")).encode()
        try:
            stored = self._redis.set(self._key(round_id), text, ex=self.KEPT_SECONDS, nx=only_new)
        except RedisError as error:
            self._cached.pop(round_id, None)
            raise Unavailable(str(error)) from error
        if stored:
            self._cache(round_id, version, drawn)

    def _cache(self, round_id: int, version: bytes, drawn: dict) -> None:
        self._cached[round_id] = (version, drawn)
        self._cached.move_to_end(round_id)
        while len(self._cached) > self.ROUNDS_CACHED:
            self._cached.popitem(last=False)


def for_queue(message_queue: str | None) -> LastSent:
    """Redis when the processes share a Redis message queue; this process's memory otherwise."""
    if redis_connection.is_redis(message_queue):
        return InRedis(message_queue)
    return InProcess()
