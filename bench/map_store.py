"""What keeping the map's last-sent state in Redis costs each change, against in-process."""

# Run: .venv/bin/python bench/map_store.py [--actors 100 1000 5000] [--changes 200]
#
# For each map size: a Barabasi-Albert map (bench/map.py's synthetic_map, placed and drawn
# as the live map does), then --changes times the store work publish_changes does around
# each change: hold the round, read the last map sent, keep the new one. With the
# in-process store (one process); with the Redis store (several processes) on a
# redis-server this script starts on a free 127.0.0.1 port and stops, first as one process
# making every change (its own map is cached), then as two taking turns (each read fetches
# and decodes the map the other kept). Each twice: keeping the whole map (as a change that
# redraws it does: a merge, an import) and keeping a delta (as a participant's change does:
# one actor added to the map read; in Redis the delta is appended, and the other process
# replays it on its next read). Prints the median, p95 and max milliseconds of each, and the
# bytes kept per round.

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402

from bench.map import percentile, synthetic_map  # noqa: E402
from facilitation.map_graph import build_graph  # noqa: E402
from facilitation.map_layout import place  # noqa: E402
from workshop.realtime.last_sent import InProcess, InRedis, LastSent, apply  # noqa: E402
from workshop.rounds.canvas import payload  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis(port: int) -> subprocess.Popen:
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    process = subprocess.Popen(
        [*command, "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    client = redis.Redis(port=port, socket_connect_timeout=0.5)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            return process
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)


def one_change(store: LastSent, round_id: int, drawn: dict, new_id: int | None) -> float:
    """The store's work around one change: the whole map kept, or (new_id) a delta."""
    started = time.perf_counter()
    with store.held(round_id):
        kept = store.read(round_id)
        if new_id is None:
            store.keep(round_id, drawn)
        else:
            node = {"id": new_id, "label": f"Actor {new_id}", "kind": "group", "layer": None}
            node |= {"x": float(new_id), "y": 0.0, "ties": 0}
            change = {"nodes": {"added": [node], "changed": [], "removed": []}}
            apply(kept, change)
            store.keep(round_id, kept, change)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--actors", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--changes", type=int, default=200)
    args = parser.parse_args()
    port = free_port()
    server = start_redis(port)
    try:
        url = f"redis://127.0.0.1:{port}/0"
        stores = {
            "in-process": [InProcess()],
            "redis": [InRedis(url)],
            # Two processes taking turns: each change reads the map the other kept.
            "redis, 2 in turn": [InRedis(url), InRedis(url)],
        }
        print(f"map store, {args.changes} changes per size (milliseconds per change)")
        for actors in args.actors:
            graph = build_graph(*synthetic_map(actors))
            drawn = payload(graph, place(graph, {}))
            size = len(json.dumps(drawn, separators=(",", ":")).encode())
            print(f"{actors:>6} actors, {size / 1024:,.0f} KB kept per round")
            for name, turns in stores.items():
                for kept in ("whole map", "a delta"):
                    turns[0].keep(actors, json.loads(json.dumps(drawn)))
                    times = [
                        one_change(
                            turns[i % len(turns)],
                            actors,
                            drawn,
                            None if kept == "whole map" else 10**6 + i,
                        )
                        * 1000
                        for i in range(args.changes)
                    ]
                    print(
                        f"    {name:<16} {kept:<9} median {statistics.median(times):7.2f}"
                        f"   p95 {percentile(times, 95):7.2f}   max {max(times):7.2f}"
                    )
    finally:
        server.kill()
        server.wait(timeout=5)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
