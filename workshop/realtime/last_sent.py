"""The map each round's open canvases were last sent, and a version of each round's map that
every change moves on (and one of its names, that changes to ties alone leave): in this
process, or in Redis when several processes share the rounds (ROUNDTABLE_MESSAGE_QUEUE).
Callers never know which."""

from __future__ import annotations

import json
import secrets
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from typing import Any, Protocol

from redis.exceptions import LockError, RedisError

from facilitation.map_layout import cell
from workshop.web import redis_connection


class Unavailable(Exception):
    """The shared store cannot be reached just now: open maps should fetch the map whole."""


class LastSent(Protocol):
    """Where the last map sent to a round's open canvases is kept."""

    def held(self, round_id: int) -> AbstractContextManager[None]:
        """Hold the round while its change is read, computed, kept and sent."""

    def read(self, round_id: int) -> dict | None:
        """The map last sent, or None when none is known (send {"reset": true})."""

    def keep(
        self, round_id: int, drawn: dict, change: dict | None = None, names: bool = True
    ) -> None:
        """Keep the map just sent; `change` is the delta that made it from the map read
        (held since), when the caller applied one rather than drawing it whole. `names`:
        whether the change may have altered the round's names (not only its ties)."""

    def changed(self, round_id: int, names: bool = True) -> None:
        """The round's map (or who named what on it) changed: move its version on."""

    def version(self, round_id: int, names: bool = False) -> str:
        """A token that differs after every change to the round's map, in every process;
        with `names`, after every change that may have altered its names."""

    def seed(self, round_id: int, drawn: dict) -> None:
        """Keep a whole map drawn for a first view, unless a map is already kept."""

    def forget(self, round_id: int, names: bool = True) -> None:
        """No map is open: the next first view's map is what later changes are measured from
        (the version moves on too)."""


# Keys of a kept map that this process works out from it, kept only here (never in Redis):
# the grid cells its actors take, and where on the spiral the next free place may be.
CELLS, SPIRAL = "_cells", "_spiral"


def apply(drawn: dict[str, Any], change: dict[str, Any]) -> None:
    """Make a map what it is after a delta, in place (the inverse of `canvas.delta`)."""
    nodes = change.get("nodes")
    if nodes and nodes["removed"]:  # a place freed: work them out again when needed
        drawn.pop(CELLS, None)
        drawn.pop(SPIRAL, None)
    elif nodes and CELLS in drawn:
        drawn[CELLS].update(cell((e["x"], e["y"])) for e in nodes["added"])
    for part in ("nodes", "edges"):
        if part not in change:
            continue
        entries = drawn[part]
        for key in change[part]["removed"]:
            entries.pop(str(key), None)
        for entry in (*change[part]["added"], *change[part]["changed"]):
            entries[str(entry["id"])] = entry


class InProcess:
    """One process: a dictionary of the most recently used rounds."""

    def __init__(self, rounds_kept: int = 256) -> None:
        self._maps: OrderedDict[int, dict] = OrderedDict()
        self._rounds_kept = rounds_kept
        # gevent makes these locks between greenlets; a few, shared by rounds, so rounds
        # seldom wait on each other and the locks never grow in number.
        self._locks = [threading.Lock() for _ in range(32)]
        # Never dropped (an int a round): a count that restarted could name an old map.
        self._versions: dict[int, int] = {}
        self._name_versions: dict[int, int] = {}
        self._started = secrets.token_hex(4)

    @contextmanager
    def held(self, round_id: int) -> Iterator[None]:
        with self._locks[round_id % len(self._locks)]:
            yield

    def read(self, round_id: int) -> dict | None:
        return self._maps.get(round_id)

    def keep(
        self, round_id: int, drawn: dict, change: dict | None = None, names: bool = True
    ) -> None:
        self._keep(round_id, drawn)
        self.changed(round_id, names)

    def _keep(self, round_id: int, drawn: dict) -> None:
        self._maps[round_id] = drawn
        self._maps.move_to_end(round_id)
        while len(self._maps) > self._rounds_kept:
            self._maps.popitem(last=False)

    def changed(self, round_id: int, names: bool = True) -> None:
        self._versions[round_id] = self._versions.get(round_id, 0) + 1
        if names:
            self._name_versions[round_id] = self._name_versions.get(round_id, 0) + 1

    def version(self, round_id: int, names: bool = False) -> str:
        versions = self._name_versions if names else self._versions
        return f"{self._started}:{versions.get(round_id, 0)}"

    def seed(self, round_id: int, drawn: dict) -> None:
        if round_id not in self._maps:
            self._keep(round_id, drawn)

    def forget(self, round_id: int, names: bool = True) -> None:
        with self.held(round_id):
            self._maps.pop(round_id, None)
            self.changed(round_id, names)


class InRedis:
    """Several processes: Redis keys per round, which expire when the round goes quiet, and
    a Redis lock per round so no change is measured against a stale map.

    Each kept map starts with a version (16 bytes), and is followed by a list of the deltas
    applied to it since, each starting with the version it follows on from. A process keeps
    the maps it last kept or read, with how many deltas it applied: when the version in
    Redis is still theirs, it reads 16 bytes and a length (and any deltas another process
    added), not the map (339 KB at 1,000 actors) and its JSON decoding. A change appends
    its delta (hundreds of bytes); once the deltas outweigh the map, or number
    COMPACT_AFTER, the map is written whole again."""

    KEPT_SECONDS = 24 * 3600
    LOCK_SECONDS = 30  # frees the round if a process dies while holding it
    WAIT_SECONDS = 5  # then give up and tell open maps to fetch the map whole
    ROUNDS_CACHED = 16
    VERSION_BYTES = 16
    COMPACT_AFTER = 5000  # deltas a process that reads the map afresh may have to replay

    def __init__(self, url: str) -> None:
        self._redis = redis_connection.client(url)
        # round -> (version, deltas applied, map, bytes of the map kept whole less the deltas')
        self._cached: OrderedDict[int, tuple[bytes, int, dict, int]] = OrderedDict()

    @staticmethod
    def _key(round_id: int) -> str:
        return f"roundtable:map-sent:{round_id}"

    @staticmethod
    def _log_key(round_id: int) -> str:
        return f"roundtable:map-deltas:{round_id}"

    @staticmethod
    def _version_key(round_id: int, names: bool = False) -> str:
        return f"roundtable:{'names' if names else 'map'}-version:{round_id}"

    def _move_on(self, pipe: Any, round_id: int, names: bool) -> None:
        """Queue on `pipe` new versions: the map's, and its names' too if `names`."""
        for which in (False, True) if names else (False,):
            pipe.set(self._version_key(round_id, which), self._token(), ex=self.KEPT_SECONDS)

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
        key, log = self._key(round_id), self._log_key(round_id)
        try:
            pipe = self._redis.pipeline()
            pipe.getrange(key, 0, self.VERSION_BYTES - 1)
            pipe.llen(log)
            version, length = pipe.execute()
            if not version:
                return None
            cached = self._cached.get(round_id)
            if cached is not None and cached[0] == version and cached[1] <= length:
                _version, applied, drawn, room = cached
                entries = self._redis.lrange(log, applied, -1) if applied < length else []
            else:
                pipe = self._redis.pipeline()
                pipe.get(key)
                pipe.lrange(log, 0, -1)
                kept, entries = pipe.execute()
                if kept is None:
                    return None
                version, applied, room = kept[: self.VERSION_BYTES], 0, len(kept)
                drawn = json.loads(kept[self.VERSION_BYTES :])
        except RedisError as error:
            raise Unavailable(str(error)) from error
        for entry in entries:
            if entry[: self.VERSION_BYTES] == version:  # else left from a map kept before
                apply(drawn, json.loads(entry[self.VERSION_BYTES :]))
            room -= len(entry)
        self._cache(round_id, version, applied + len(entries), drawn, room)
        return drawn

    def keep(
        self, round_id: int, drawn: dict, change: dict | None = None, names: bool = True
    ) -> None:
        cached = self._cached.get(round_id)
        if (
            change is None
            or cached is None
            or cached[2] is not drawn  # not the map read (and changed) while held
            or cached[1] >= self.COMPACT_AFTER
            or cached[3] <= 0  # the deltas outweigh the map: cheaper to read it whole
        ):
            self._set(round_id, drawn, only_new=False, names=names)
            return
        version, applied, _drawn, room = cached
        entry = version + json.dumps(change, separators=(",", ":")).encode()
        try:
            pipe = self._redis.pipeline()
            pipe.rpush(self._log_key(round_id), entry)
            pipe.expire(self._log_key(round_id), self.KEPT_SECONDS)
            pipe.expire(self._key(round_id), self.KEPT_SECONDS)
            self._move_on(pipe, round_id, names)
            pipe.execute()
        except RedisError as error:
            self._cached.pop(round_id, None)
            raise Unavailable(str(error)) from error
        self._cache(round_id, version, applied + 1, drawn, room - len(entry))

    def changed(self, round_id: int, names: bool = True) -> None:
        try:
            pipe = self._redis.pipeline()
            self._move_on(pipe, round_id, names)
            pipe.execute()
        except RedisError as error:
            raise Unavailable(str(error)) from error

    def version(self, round_id: int, names: bool = False) -> str:
        key = self._version_key(round_id, names)
        try:
            version = self._redis.get(key)
            if version is None:  # none yet, or expired: any new token names what is there now
                self._redis.set(key, self._token(), ex=self.KEPT_SECONDS, nx=True)
                version = self._redis.get(key)
        except RedisError as error:
            raise Unavailable(str(error)) from error
        return (version or b"").decode()

    def seed(self, round_id: int, drawn: dict) -> None:
        self._set(round_id, drawn, only_new=True)

    def forget(self, round_id: int, names: bool = True) -> None:
        self._cached.pop(round_id, None)
        try:
            pipe = self._redis.pipeline()
            pipe.delete(self._key(round_id), self._log_key(round_id))
            self._move_on(pipe, round_id, names)
            pipe.execute()
        except RedisError as error:
            raise Unavailable(str(error)) from error

    def _token(self) -> str:
        return secrets.token_hex(self.VERSION_BYTES // 2)

    def _set(self, round_id: int, drawn: dict, only_new: bool, names: bool = True) -> None:
        version = self._token().encode()
        kept = {k: v for k, v in drawn.items() if k not in (CELLS, SPIRAL)}
        text = version + json.dumps(kept, separators=(",", ":")).encode()
        try:
            if only_new:
                stored = self._redis.set(self._key(round_id), text, ex=self.KEPT_SECONDS, nx=True)
            else:  # a map kept whole: the deltas kept after the one before are done with
                pipe = self._redis.pipeline()
                pipe.set(self._key(round_id), text, ex=self.KEPT_SECONDS)
                pipe.delete(self._log_key(round_id))
                self._move_on(pipe, round_id, names)
                stored = pipe.execute()[0]
        except RedisError as error:
            self._cached.pop(round_id, None)
            raise Unavailable(str(error)) from error
        if stored:
            self._cache(round_id, version, 0, drawn, len(text))

    def _cache(self, round_id: int, version: bytes, applied: int, drawn: dict, room: int) -> None:
        self._cached[round_id] = (version, applied, drawn, room)
        self._cached.move_to_end(round_id)
        while len(self._cached) > self.ROUNDS_CACHED:
            self._cached.popitem(last=False)


def for_queue(message_queue: str | None) -> LastSent:
    """Redis when the processes share a Redis message queue; this process's memory otherwise."""
    if redis_connection.is_redis(message_queue):
        return InRedis(message_queue)
    return InProcess()
