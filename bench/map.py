"""Map benchmark: delta sizes, measure and layout times, first draw in Chromium, page weight."""

# Run: .venv/bin/python bench/map.py [--loads 3] [--no-browser] [--out FILE]
#      .venv/bin/python bench/map.py --only-changes [--changes 100] [--change-sizes 1000 10000]
#
# Budgets (shared/guides/performance.md):
#   median map update (a delta) <= 2 KB;
#   server work per map change at 1,000 actors: median <= 2 ms, p95 <= 10 ms;
#   measures of a 1,000-actor map <= 0.3 s; 10,000 actors (sampled betweenness) <= 5 s, and the
#   sampled top-10 brokers overlap the exact top 10 by >= 0.9 (at 1,000 and 10,000 actors);
#   first draw of a 1,000-actor map <= 1 s in headless Chromium;
#   map page <= 170 KB gzip, the map library only where the map is shown.
#
# 1. Deltas, in this process with the pure functions (build_graph, place, payload, delta): a
#    1,000-actor Barabasi-Albert map (3 ties per new actor), then 200 times: one actor added,
#    then one tie from it to an actor picked in proportion to its ties. Each change's delta is
#    measured as publish.map_delta sends it (with sent_at): json.dumps bytes, and the Socket.IO
#    frame (compact JSON, namespace and Engine.IO prefix) that goes on the wire.
# 1b. Map changes through the app's own functions at 1,000 and 10,000 actors (see
#    bench_changes): the map's part of each change (from the stored change to the delta handed
#    to Socket.IO), the whole call, and the deltas a watching console received.
# 2. build_graph, place (every actor new; then every actor known) and summarise (igraph) at
#    1,000 and 10,000 actors, with brokers and clusters timed on their own; the measures worked
#    out as the app's background task does (workshop.rounds.measures.with_pauses on gevent)
#    while a ticker greenlet asks for the event loop every millisecond: the longest stall;
#    top-10 overlap of sampled brokers (forced at 1,000 with sample_above=0 and summarise's k)
#    with exact betweenness, and at 10,000 as summarise samples (exact there: about 10 s).
# 3. A SQLite database with a round of map-your-network whose map has 1,000 actors and ~3,000
#    ties (Actor, Tie and Participant rows written directly), positions placed once as the
#    live map does; `roundtable serve` on it; headless Chromium signs in as the facilitator and
#    opens /rounds/<id>/map --loads times. First draw = data-drawn-at on #map-canvas
#    (performance.now(), so measured from navigation start). Also data.json's size.
# 4. The participant map page (of a small map and of the 1,000-actor one): gzip bytes of its
#    HTML and of every stylesheet and script it links, as bench/page_weight.py counts them.

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import networkx as nx  # noqa: E402
import socketio.packet  # noqa: E402

from facilitation.map_graph import MapActor, MapTie, build_graph  # noqa: E402
from facilitation.map_layout import place  # noqa: E402
from facilitation.measures import (  # noqa: E402
    PIVOTS,
    SAMPLE_ABOVE,
    brokers,
    clusters,
    summarise,
    summarising,
)
from facilitation.network import actor_key  # noqa: E402
from workshop.rounds.canvas import delta, payload  # noqa: E402
from workshop.rounds.measures import with_pauses  # noqa: E402

BUDGET_DELTA_MEDIAN_BYTES = 2048
BUDGET_CHANGE_MEDIAN_MS = 2.0  # server work per map change at 1,000 actors
BUDGET_CHANGE_P95_MS = 10.0
BUDGET_MEASURES_1K_S = 0.3
BUDGET_MEASURES_10K_S = 5.0
BUDGET_OVERLAP = 0.9
BUDGET_FIRST_DRAW_MS = 700.0  # the median of warm loads (the guide)
BUDGET_MAP_PAGE_KB = 170.0
GUIDE_PIVOTS = 256  # "k about 256" in the performance guide

QUESTIONNAIRE = "map-your-network"
BASE_ACTORS = 1000
ADDED = 200  # actors, and as many ties, added one at a time
TIES_PER_ACTOR = 3  # Barabasi-Albert m: about 3 ties per actor
PEOPLE = 30  # participants who named the actors and ties
SMALL_ACTORS = 40  # a map as a workshop of 30 makes it, for the participant page
SEEDS = range(5)

# Names as people write them: a place and a kind of group, about 20 characters.
PLACES = (
    "Greenwich", "Lewisham", "Cardiff", "Swansea", "Leeds", "Bradford", "Hackney", "Newham",
    "Bristol", "Salford", "Wrexham", "Croydon", "Camden", "Brixton", "Newport", "Barnsley",
    "Luton", "Preston", "Hull", "Walsall", "Dudley", "Oldham", "Bolton", "Wigan", "Rhyl",
)  # fmt: skip
GROUPS = (
    "food bank", "tenants' association", "mosque", "youth club", "library", "credit union",
    "carers' network", "Age UK", "Mind", "disability forum", "women's centre", "ward office",
    "GP surgery", "job centre", "citizens advice", "allotment society", "refugee welcome",
    "parish council", "football club", "choir", "men's shed", "scout group", "housing co-op",
    "repair cafe", "community fridge", "baby bank", "deaf club", "chess club", "church",
    "gurdwara", "synagogue", "school PTA", "sixth form", "college", "arts centre",
    "cycling club", "walking group", "lunch club", "parents' forum", "pride group",
)  # fmt: skip
KINDS = ("organisation", "group", "person", "campaign")  # map-your-network's codebook
LAYERS = {"offline": "face-to-face", "online": "online", "aspirational": "would-like-to-know"}
TIE_KINDS = ("works-with", "ally", "funds", "would-like-to-know")

T = TypeVar("T")


# ---------------------------------------------------------------- helpers


def percentile(values: list[float], pct: float) -> float:
    """Linear-interpolated percentile (as numpy's default); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def timed(function: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[float, T]:
    """Seconds one call takes, and what it returned."""
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def verdict(ok: bool) -> str:
    return "within budget" if ok else "OVER BUDGET"


def actor_name(index: int) -> str:
    """A unique, ordinary-looking actor name for the index-th actor."""
    name = f"{PLACES[index % len(PLACES)]} {GROUPS[(index // len(PLACES)) % len(GROUPS)]}"
    repeat = index // (len(PLACES) * len(GROUPS))
    return name if repeat == 0 else f"{name} {repeat + 1}"


def synthetic_map(actors: int, seed: int = 0) -> tuple[list[MapActor], list[MapTie]]:
    """A Barabasi-Albert map: each new actor tied to 3 earlier ones, most-tied more likely.

    Ids count from 1; added_by is a participant number 1 to PEOPLE.
    """
    rng = random.Random(seed)
    edges = nx.barabasi_albert_graph(actors, TIES_PER_ACTOR, seed=seed).edges
    people = range(1, PEOPLE + 1)
    layers = list(LAYERS)
    return (
        [
            MapActor(
                i + 1, actor_name(i), rng.choice(KINDS), rng.choice(layers), rng.choice(people)
            )
            for i in range(actors)
        ],
        [
            MapTie(j + 1, a + 1, b + 1, rng.choice(TIE_KINDS), rng.choice(people))
            for j, (a, b) in enumerate(edges)
        ],
    )


def graph_with_names(actors: int, seed: int = 0) -> nx.Graph:
    return build_graph(*synthetic_map(actors, seed))


# ---------------------------------------------------------------- 1. deltas


def wire_bytes(change: dict[str, Any]) -> tuple[int, int]:
    """(json.dumps bytes, Socket.IO frame bytes) of a delta as publish.map_delta emits it."""
    sent = {**change, "sent_at": time.time()}
    plain = len(json.dumps(sent).encode())
    packet = socketio.packet.Packet(
        socketio.packet.EVENT, data=["map_delta", sent], namespace="/participant"
    )
    frame = 1 + len(packet.encode().encode())  # "4": Engine.IO's message type
    return plain, frame


def bench_deltas(seed: int = 0) -> dict[str, Any]:
    print(f"1. deltas: {ADDED} actors and {ADDED} ties added one at a time to {BASE_ACTORS}")
    rng = random.Random(seed + 1)
    actors, ties = synthetic_map(BASE_ACTORS, seed)
    graph = build_graph(actors, ties)
    positions = place(graph, {})
    before = payload(graph, positions)
    whole = json.dumps(before, separators=(",", ":")).encode()
    ends = [end for tie in ties for end in (tie.source, tie.target)]  # preferential attachment
    sizes: dict[str, list[int]] = {"actor": [], "tie": []}
    frames: list[int] = []
    server_ms: list[float] = []

    def change(kind: str) -> None:
        nonlocal before, positions
        started = time.perf_counter()
        graph = build_graph(actors, ties)
        positions = place(graph, positions)
        after = payload(graph, positions)
        found = delta(before, after)
        server_ms.append((time.perf_counter() - started) * 1000)
        assert found is not None, "a change made no delta"
        plain, frame = wire_bytes(found)
        sizes[kind].append(plain)
        frames.append(frame)
        before = after

    for i in range(ADDED):
        new = BASE_ACTORS + i + 1
        layer = rng.choice(list(LAYERS))
        person = rng.randint(1, PEOPLE)
        actors.append(MapActor(new, actor_name(new - 1), rng.choice(KINDS), layer, person))
        change("actor")
        target = rng.choice(ends)
        ties.append(MapTie(len(ties) + 1, new, target, rng.choice(TIE_KINDS), person))
        ends += [new, target]
        change("tie")

    every = sizes["actor"] + sizes["tie"]
    result = {
        "base_actors": BASE_ACTORS,
        "base_ties": len(ties) - ADDED,
        "changes": len(every),
        "median_bytes": statistics.median(every),
        "p95_bytes": percentile(every, 95),
        "max_bytes": max(every),
        "median_actor_bytes": statistics.median(sizes["actor"]),
        "median_tie_bytes": statistics.median(sizes["tie"]),
        "median_frame_bytes": statistics.median(frames),
        "p95_frame_bytes": percentile(frames, 95),
        "whole_map_bytes": len(whole),
        "whole_map_gzip_bytes": gzipped(whole),
        "server_median_ms": statistics.median(server_ms),
        "server_p95_ms": percentile(server_ms, 95),
    }
    result["budget_ok"] = result["median_bytes"] <= BUDGET_DELTA_MEDIAN_BYTES
    r = result
    print(
        f"   delta (json.dumps): median {r['median_bytes']:.0f} B, p95 {r['p95_bytes']:.0f} B, "
        f"max {r['max_bytes']} B over {r['changes']} changes "
        f"(actor added: median {r['median_actor_bytes']:.0f} B; "
        f"tie added: {r['median_tie_bytes']:.0f} B)"
    )
    print(
        f"   Socket.IO frame on the wire: median {r['median_frame_bytes']:.0f} B, "
        f"p95 {r['p95_frame_bytes']:.0f} B; the whole map would be {r['whole_map_bytes']} B "
        f"({r['whole_map_gzip_bytes']} B gzip)"
    )
    print(
        f"   a whole redraw per change (build_graph + place + payload + delta; the app now "
        f"applies the change alone, see 1b): "
        f"median {r['server_median_ms']:.1f} ms, p95 {r['server_p95_ms']:.1f} ms"
    )
    print(
        f"   budget median <= {BUDGET_DELTA_MEDIAN_BYTES} B: {verdict(result['budget_ok'])}",
        flush=True,
    )
    return result


# ---------------------------------------------------------------- 1b. changes, the real path


def bench_changes(folder: Path, sizes: tuple[int, ...], changes: int, seed: int = 0) -> dict:
    """Participants' map changes through the app's own functions, with a map open.

    A round of map-your-network gets a Barabasi-Albert map of each size (rows written
    directly, positions placed by one data.json, as the live map does); a facilitator's
    console watches the map over Socket.IO. Then `changes` cycles, each change in its own
    database session as a request has: a participant adds a name on the map page
    (`network.add_actor`), then a connection from it to a name picked in proportion to its
    ties (`network.add_tie`); every fifth cycle they take the connection back
    (`network.remove_tie`), and every tenth the name (`network.remove_actor`). Timed: each
    whole call (stored, committed, published), and of it the map's part (`_publish_map`:
    from the stored change to the delta handed to Socket.IO); the delta's bytes as the
    console received it (json.dumps, with sent_at).
    """
    from tests.conftest import make_app
    from workshop.rounds import network

    print(f"1b. map changes through the app (SQLite, a console watching), {changes} cycles")
    app = make_app(f"sqlite:///{folder / 'changes.db'}")
    publish_map = network._publish_map
    map_ms: list[float] = []
    cpu_ms: list[float] = []  # this process's CPU time: what other work on the machine adds not

    def timed_publish(db: Any, round_id: int, *touched: Any) -> None:
        started, cpu = time.perf_counter(), time.process_time()
        publish_map(db, round_id, *touched)
        map_ms.append((time.perf_counter() - started) * 1000)
        cpu_ms.append((time.process_time() - cpu) * 1000)

    network._publish_map = timed_publish  # measured where the app calls it, nothing else
    result: dict[str, Any] = {"changes": changes, "sizes": {}}
    try:
        for n in sizes:
            map_ms.clear()
            cpu_ms.clear()
            result["sizes"][n] = changes_at(
                app, n, changes, random.Random(seed + n), map_ms, cpu_ms
            )
    finally:
        network._publish_map = publish_map
        app.extensions["roundtable.engine"].dispose()
    return result


def changes_at(
    app: Any, n: int, changes: int, rng: random.Random, map_ms: list[float], cpu_ms: list[float]
) -> dict:
    """bench_changes on one map of n actors; map_ms and cpu_ms fill as the app publishes."""
    from sqlmodel import select

    from facilitation.network import NewActor, NewTie
    from tests.conftest import make_setup, sign_in
    from workshop.rounds import lifecycle, network, people
    from workshop.store.db import session_scope
    from workshop.store.models import Participant, Round, Tie

    setup = make_setup(app, email=f"changes{n}@example.org", questionnaire=QUESTIONNAIRE)
    fill_round(app, setup.round_id, n)
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    console = app.extensions["socketio"].test_client(
        app, namespace="/facilitator", flask_test_client=facilitator
    )
    reply = console.emit(
        "watch_map", {"round": setup.round_id}, namespace="/facilitator", callback=True
    )
    assert reply == {"ok": True}, reply
    first_s, first = timed(facilitator.get, f"/rounds/{setup.round_id}/map/data.json")
    assert first.status_code == 200
    console.get_received("/facilitator")
    with app.app_context(), session_scope() as db:
        round_ = db.get(Round, setup.round_id)
        questionnaire = lifecycle.questionnaire_of(round_)
        person = people.join(db, round_, "Changer").id
        ends = [
            end
            for s, t in db.exec(
                select(Tie.source_id, Tie.target_id).where(Tie.round_id == round_.id)
            )
            for end in (s, t)
        ]
    call_ms: dict[str, list[float]] = {}
    kind_map_ms: dict[str, list[float]] = {}
    sizes_b: list[int] = []

    def change(kind: str, work: Callable[[Any, Participant], Any]) -> Any:
        with app.app_context(), session_scope() as db:
            participant = db.get(Participant, person)
            before = len(map_ms)
            started = time.perf_counter()
            done = work(db, participant)
            call_ms.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
            kind_map_ms.setdefault(kind, []).extend(map_ms[before:])
        for sent in console.get_received("/facilitator"):
            if sent["name"] == "map_delta":
                sizes_b.append(len(json.dumps(sent["args"][0]).encode()))
        return done

    for i in range(changes):
        new = NewActor(actor_name(n + 10 * i), rng.choice(KINDS))  # past the map's own names
        actor, _ = change(
            "add actor", lambda db, p, new=new: network.add_actor(db, p, network.MAP_NAMES, new)
        )
        stated = NewTie(actor.id, rng.choice(ends), rng.choice(TIE_KINDS))
        tie, _ = change(
            "add tie",
            lambda db, p, t=stated: network.add_tie(db, p, network.MAP_TIES, t, "works with"),
        )
        if i % 5 == 4:
            change(
                "remove tie",
                lambda db, p, t=tie.id: network.remove_tie(db, p, network.MAP_TIES, t),
            )
        else:
            ends += [stated.source, stated.target]
        if i % 10 == 9:
            change(
                "remove actor",
                lambda db, p, a=actor.id: network.remove_actor(
                    db, p, network.MAP_NAMES, questionnaire, a
                ),
            )
    console.disconnect(namespace="/facilitator")
    every_call = [ms for values in call_ms.values() for ms in values]
    row = {
        "actors": n,
        "first_data_json_s": first_s,
        "map_median_ms": statistics.median(map_ms),
        "map_p95_ms": percentile(map_ms, 95),
        "map_max_ms": max(map_ms),
        "map_cpu_median_ms": statistics.median(cpu_ms),
        "map_cpu_p95_ms": percentile(cpu_ms, 95),
        "map_cpu_max_ms": max(cpu_ms),
        "call_median_ms": statistics.median(every_call),
        "call_p95_ms": percentile(every_call, 95),
        "call_max_ms": max(every_call),
        "by_kind": {
            kind: {
                "count": len(values),
                "call_median_ms": statistics.median(values),
                "map_median_ms": statistics.median(kind_map_ms[kind]),
                "map_p95_ms": percentile(kind_map_ms[kind], 95),
            }
            for kind, values in call_ms.items()
        },
        "deltas": len(sizes_b),
        "delta_median_bytes": statistics.median(sizes_b),
        "delta_p95_bytes": percentile(sizes_b, 95),
        "delta_max_bytes": max(sizes_b),
    }
    row["budget_ok"] = n != BASE_ACTORS or (
        row["map_median_ms"] <= BUDGET_CHANGE_MEDIAN_MS
        and row["map_p95_ms"] <= BUDGET_CHANGE_P95_MS
        and row["delta_median_bytes"] <= BUDGET_DELTA_MEDIAN_BYTES
    )
    print(
        f"   {n:>6} actors, {len(map_ms)} changes: map work per change median "
        f"{row['map_median_ms']:.2f} ms, p95 {row['map_p95_ms']:.2f} ms, max "
        f"{row['map_max_ms']:.1f} ms; whole call (store + commit + map) median "
        f"{row['call_median_ms']:.2f} ms, p95 {row['call_p95_ms']:.2f} ms, max "
        f"{row['call_max_ms']:.1f} ms"
    )
    print(
        f"            of which CPU (this process): median {row['map_cpu_median_ms']:.2f} ms, "
        f"p95 {row['map_cpu_p95_ms']:.2f} ms, max {row['map_cpu_max_ms']:.1f} ms"
    )
    print(
        "            "
        + "; ".join(
            f"{kind} ({v['count']}): map {v['map_median_ms']:.2f} ms "
            f"(p95 {v['map_p95_ms']:.2f}), call {v['call_median_ms']:.2f} ms"
            for kind, v in row["by_kind"].items()
        )
    )
    budget = (
        f"; budget median <= {BUDGET_CHANGE_MEDIAN_MS:.0f} ms, p95 <= "
        f"{BUDGET_CHANGE_P95_MS:.0f} ms, delta median <= {BUDGET_DELTA_MEDIAN_BYTES} B: "
        f"{verdict(row['budget_ok'])}"
        if n == BASE_ACTORS
        else ""
    )
    print(
        f"            deltas received: {len(sizes_b)}, median "
        f"{row['delta_median_bytes']:.0f} B, p95 {row['delta_p95_bytes']:.0f} B, max "
        f"{row['delta_max_bytes']} B; first data.json {first_s:.2f} s{budget}",
        flush=True,
    )
    return row


# ---------------------------------------------------------------- 2. measures and layout


def overlap(first: list[tuple[int, float]], second: list[tuple[int, float]]) -> float:
    """Share of the first top list that is also in the second."""
    return len({a for a, _ in first} & {a for a, _ in second}) / len(first) if first else math.nan


def loop_stall(graph: nx.Graph) -> dict[str, float]:
    """Work the measures out as the app's background task does, on gevent, while a ticker
    greenlet asks for the loop every millisecond: the longest it waited is how long sockets
    would wait. (Before, the map's read and build_graph are one more piece: timed above.)"""
    import gevent

    gaps: list[float] = []
    working = True

    def tick() -> None:
        last = time.perf_counter()
        while working:
            gevent.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticker = gevent.spawn(tick)
    gevent.sleep(0.01)
    started = time.perf_counter()
    gevent.spawn(with_pauses, summarising(graph), gevent.sleep).join()
    wall = time.perf_counter() - started
    working = False
    ticker.join()
    return {
        "wall_s": wall,
        "longest_stall_ms": 1000 * max(gaps),
        "stall_p99_ms": 1000 * percentile(gaps, 99),
        "ticks": len(gaps),
    }


def bench_measures() -> dict[str, Any]:
    print("2. measures and layout (Barabasi-Albert maps, 3 ties per actor)")
    result: dict[str, Any] = {"sample_above": SAMPLE_ABOVE, "pivots": PIVOTS, "sizes": {}}
    for n in (BASE_ACTORS, 10 * BASE_ACTORS):
        actors, ties = synthetic_map(n)
        build_s, graph = timed(build_graph, actors, ties)
        place_s, positions = timed(place, graph, {})
        replace_s, _ = timed(place, graph, positions)
        payload_s, _ = timed(payload, graph, positions)
        summarise_s, measures = timed(summarise, graph)
        brokers_s, _ = timed(brokers, graph)
        clusters_s, groups = timed(clusters, graph)
        stall = loop_stall(graph)
        budget = BUDGET_MEASURES_1K_S if n == BASE_ACTORS else BUDGET_MEASURES_10K_S
        row = {
            "actors": graph.number_of_nodes(),
            "ties": graph.number_of_edges(),
            "build_graph_s": build_s,
            "place_all_new_s": place_s,
            "place_all_known_s": replace_s,
            "payload_s": payload_s,
            "summarise_s": summarise_s,
            "brokers_s": brokers_s,
            "clusters_s": clusters_s,
            "clusters": len(groups),
            "sampled": measures.sampled,
            "in_background": stall,
            "budget_s": budget,
            "budget_ok": summarise_s <= budget,
        }
        result["sizes"][n] = row
        print(
            f"   {n:>6} actors, {row['ties']} ties: build_graph {build_s:.3f} s, "
            f"place {place_s:.3f} s all new / {replace_s:.4f} s all known, "
            f"payload {payload_s:.3f} s"
        )
        print(
            f"   {n:>6} actors: summarise {summarise_s:.2f} s (betweenness "
            f"{'sampled, k=' + str(PIVOTS) if measures.sampled else 'exact'}); alone: brokers "
            f"{brokers_s:.2f} s, clusters {clusters_s:.2f} s ({len(groups)} clusters); "
            f"budget <= {budget:.1f} s: {verdict(row['budget_ok'])}",
            flush=True,
        )
        print(
            f"   {n:>6} actors, as the background task works them out on gevent: "
            f"{stall['wall_s']:.2f} s, the event loop's longest stall "
            f"{stall['longest_stall_ms']:.0f} ms (p99 {stall['stall_p99_ms']:.1f} ms)",
            flush=True,
        )

    graph = graph_with_names(BASE_ACTORS)
    exact_s, exact = timed(brokers, graph, top=10, sample_above=graph.number_of_nodes())
    by_k: dict[int, list[float]] = {}
    sampled_s: list[float] = []
    for k in sorted({PIVOTS, GUIDE_PIVOTS}):
        for seed in SEEDS:
            seconds, sampled = timed(brokers, graph, top=10, sample_above=0, k=k, seed=seed)
            by_k.setdefault(k, []).append(overlap(exact, sampled))
            if k == PIVOTS:
                sampled_s.append(seconds)
    ours = by_k[PIVOTS]
    result["overlap_1000"] = {
        "exact_s": exact_s,
        "sampled_median_s": statistics.median(sampled_s),
        "k": PIVOTS,
        "seed0": ours[0],
        "by_k": {k: {"seeds": list(SEEDS), "overlaps": v} for k, v in by_k.items()},
        "budget_ok": ours[0] >= BUDGET_OVERLAP,
    }
    print(
        f"   top-10 brokers at {BASE_ACTORS} actors, sampled (k={PIVOTS}, seed 0, as summarise "
        f"samples above {SAMPLE_ABOVE}) vs exact: overlap {ours[0]:.1f}; "
        f"budget >= {BUDGET_OVERLAP}: {verdict(ours[0] >= BUDGET_OVERLAP)}"
    )
    for k, values in by_k.items():
        print(
            f"     k={k}: seeds {SEEDS.start}-{SEEDS.stop - 1}: "
            f"{' '.join(f'{v:.1f}' for v in values)} (min {min(values):.1f})"
        )
    print(f"     exact betweenness {exact_s:.2f} s, sampled {statistics.median(sampled_s):.2f} s")
    large = graph_with_names(10 * BASE_ACTORS)
    exact_s, exact = timed(brokers, large, top=10, sample_above=large.number_of_nodes())
    sampled = brokers(large, top=10)
    share = overlap(exact, sampled)
    result["overlap_10000"] = {
        "exact_s": exact_s,
        "k": PIVOTS,
        "seed0": share,
        "budget_ok": share >= BUDGET_OVERLAP,
    }
    print(
        f"   top-10 brokers at {10 * BASE_ACTORS} actors, as summarise samples them (k={PIVOTS}, "
        f"seed 0) vs exact: overlap {share:.1f}; budget >= {BUDGET_OVERLAP}: "
        f"{verdict(share >= BUDGET_OVERLAP)} (exact betweenness {exact_s:.1f} s)",
        flush=True,
    )
    return result


# ---------------------------------------------------------------- 3 and 4. served pages


def fill_round(app: Any, round_id: int, actors: int) -> None:
    """Give a round a synthetic map: Participant, Actor and Tie rows, written directly."""
    from workshop.rounds import people
    from workshop.store.db import session_scope
    from workshop.store.models import Actor, Round, Tie

    map_actors, map_ties = synthetic_map(actors)
    with app.app_context(), session_scope() as db:
        round_ = db.get(Round, round_id)
        joined = [people.join(db, round_, f"Person {i + 1}").id for i in range(PEOPLE)]
        rows = [
            Actor(
                round_id=round_id,
                name=a.name,
                key=actor_key(a.name),
                kind=a.kind,
                layer=a.layer,
                added_by=joined[a.added_by - 1],
                step_id=LAYERS[a.layer],
            )
            for a in map_actors
        ]
        db.add_all(rows)
        db.flush()
        ids = {a.id: row.id for a, row in zip(map_actors, rows, strict=True)}
        db.add_all(
            Tie(
                round_id=round_id,
                source_id=ids[t.source],
                target_id=ids[t.target],
                kind=t.kind,
                added_by=joined[t.added_by - 1],
                step_id="key-allies",
            )
            for t in map_ties
        )
        db.commit()


def linked_files(html: str) -> list[str]:
    """The stylesheets and scripts a page links, in order."""
    found = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    found += re.findall(r'<script src="([^"]+)"', html)
    return found


def page_weight(client: Any, path: str) -> dict[str, Any]:
    """gzip bytes of a page's HTML and of each file it links."""
    html = client.get(path).data
    parts = {"HTML": gzipped(html)}
    for url in linked_files(html.decode()):
        parts[url.split("?", 1)[0].rsplit("/", 1)[1]] = gzipped(client.get(url).data)
    return {"parts": parts, "total": sum(parts.values()), "html_bytes": len(html)}


def prepare(folder: Path) -> dict[str, Any]:
    """A database with two rounds of map-your-network: a 1,000-actor map and a small one.

    Each map's data.json is fetched once here: the first places every actor and stores the
    positions, as the live map does change by change, so the browser finds them placed.
    """
    from tests.conftest import make_app, make_setup, sign_in

    database_url = f"sqlite:///{folder / 'map.db'}"
    app = make_app(database_url)
    rounds: dict[str, dict[str, Any]] = {}
    for name, actors in (("big", BASE_ACTORS), ("small", SMALL_ACTORS)):
        setup = make_setup(app, email=f"{name}@example.org", questionnaire=QUESTIONNAIRE)
        fill_round(app, setup.round_id, actors)
        facilitator = app.test_client()
        sign_in(facilitator, setup.email)
        data = facilitator.get(f"/rounds/{setup.round_id}/map/data.json").data
        rounds[name] = {
            "setup": setup,
            "actors": actors,
            "data_json_bytes": len(data),
            "data_json_gzip_bytes": gzipped(data),
        }
    app.extensions["roundtable.engine"].dispose()  # the server opens the file next
    return {"app": app, "database_url": database_url, "rounds": rounds}


def bench_pages(prepared: dict[str, Any]) -> dict[str, Any]:
    """Weigh the participant map page of each round, and check it when the map is hidden."""
    from tests.conftest import join
    from workshop.rounds import maps
    from workshop.store.db import session_scope

    print("4. participant map page weight (gzip level 6, as bench/page_weight.py)")
    app = prepared["app"]
    result: dict[str, Any] = {}
    for name, prepared_round in prepared["rounds"].items():
        setup = prepared_round["setup"]
        participant = app.test_client()
        token = re.search(r"/p/([^/?#]+)", join(participant, setup)).group(1)
        hidden = participant.get(f"/p/{token}/map").data
        with app.app_context(), session_scope() as db:
            maps.set_display(db, setup.round_id, map_shown=True)
        weight = page_weight(participant, f"/p/{token}/map")
        total_kb = weight["total"] / 1024
        weight.update(
            actors=prepared_round["actors"],
            map_library_when_hidden=b"vis-network" in hidden,
            budget_ok=total_kb <= BUDGET_MAP_PAGE_KB,
        )
        result[name] = weight
    app.extensions["roundtable.engine"].dispose()

    small, big = result["small"], result["big"]
    for url, size in small["parts"].items():
        line = f"   {url:22} {size / 1024:6.1f} KB gzip"
        if url == "HTML":
            line += (
                f" ({SMALL_ACTORS} actors; {big['parts']['HTML'] / 1024:.1f} KB at {BASE_ACTORS})"
            )
        print(line)
    for page in (small, big):
        total_kb = page["total"] / 1024
        over = total_kb - BUDGET_MAP_PAGE_KB
        print(
            f"   participant map page, {page['actors']} actors: {total_kb:.1f} KB gzip "
            f"(budget {BUDGET_MAP_PAGE_KB:.0f} KB): {verdict(page['budget_ok'])}"
            + (f" by {over:.1f} KB" if over > 0 else "")
        )
    library = small["parts"].get("vis-map.js", 0)
    print(
        f"   of which the map library (vis-map.js): {library / 1024:.1f} KB gzip; "
        f"everything else: {(small['total'] - library) / 1024:.1f} KB"
    )
    print(
        "   map library on the participant page while the map is not shown: "
        f"{'yes' if small['map_library_when_hidden'] else 'no'}",
        flush=True,
    )
    return result


# The next animation frame after map.js sets data-drawn-at: by then vis-network has painted.
AFTER_FRAME = """
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("map-canvas");
  if (!box) { return; }
  new MutationObserver(function (changes, observer) {
    if (!box.dataset.drawnAt) { return; }
    observer.disconnect();
    requestAnimationFrame(function () { window.benchFrameAt = performance.now(); });
  }).observe(box, { attributes: true, attributeFilter: ["data-drawn-at"] });
});
"""

TIMINGS = """
var box = document.getElementById("map-canvas");
var nav = performance.getEntriesByType("navigation")[0];
var data = performance.getEntriesByType("resource").filter(function (e) {
  return e.name.indexOf("/map/data.json") !== -1;
})[0];
return {
  drawn_ms: Number(box.dataset.drawnAt),
  frame_ms: window.benchFrameAt || null,
  html_first_byte_ms: nav.responseStart,
  html_end_ms: nav.responseEnd,
  dom_ready_ms: nav.domContentLoadedEventEnd,
  data_start_ms: data ? data.startTime : null,
  data_end_ms: data ? data.responseEnd : null,
  data_bytes: data ? data.decodedBodySize : null,
  html_bytes: nav.decodedBodySize,
  nodes: window.Roundtable.map.nodes.length,
  edges: window.Roundtable.map.edges.length
};
"""


def bench_browser(folder: Path, prepared: dict[str, Any], loads: int) -> dict[str, Any]:
    from selenium.webdriver.common.by import By

    from tests.browser import served_app, start_chromium, wait_until
    from tests.conftest import PASSWORD

    big = prepared["rounds"]["big"]
    setup = big["setup"]
    print(f"3. first draw of the {BASE_ACTORS}-actor map in headless Chromium, {loads} loads")
    runs: list[dict[str, Any]] = []
    with served_app(prepared["database_url"], folder / "server.log") as server:
        driver = start_chromium(folder / "profile")
        try:
            driver.get(f"{server.url}/sign-in")
            driver.find_element(By.ID, "email").send_keys(setup.email)
            driver.find_element(By.ID, "password").send_keys(PASSWORD)
            driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
            wait_until(driver, lambda d: "/sign-in" not in d.current_url, 10, "signed in")
            driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": AFTER_FRAME})
            url = f"{server.url}/rounds/{setup.round_id}/map"
            for load in range(loads):
                driver.get(url)
                wait_until(
                    driver,
                    lambda d: d.find_element(By.ID, "map-canvas").get_attribute("data-drawn-at"),
                    30,
                    "the map drawn",
                )
                wait_until(
                    driver, lambda d: d.execute_script("return window.benchFrameAt"), 5, "a frame"
                )
                run = driver.execute_script(TIMINGS)
                runs.append(run)
                print(
                    f"   load {load + 1}{' (cold cache)' if load == 0 else ''}: "
                    f"drawn at {run['drawn_ms']:.0f} ms (next frame {run['frame_ms']:.0f} ms); "
                    f"HTML first byte {run['html_first_byte_ms']:.0f} ms, "
                    f"DOM ready {run['dom_ready_ms']:.0f} ms, data.json "
                    f"{run['data_start_ms']:.0f}-{run['data_end_ms']:.0f} ms; "
                    f"{run['nodes']} nodes, {run['edges']} edges",
                    flush=True,
                )
        finally:
            driver.quit()
    warm = runs[1:] or runs  # the first load fills the browser's cache
    median = statistics.median(r["drawn_ms"] for r in warm)
    result = {
        "loads": runs,
        "median_drawn_ms": median,
        "median_frame_ms": statistics.median(r["frame_ms"] for r in warm),
        "median_html_first_byte_ms": statistics.median(r["html_first_byte_ms"] for r in warm),
        "facilitator_html_bytes": runs[-1]["html_bytes"],
        "budget_ok": median <= BUDGET_FIRST_DRAW_MS,
    }
    print(
        f"   median first draw of the warm loads {median:.0f} ms "
        f"(next frame {result['median_frame_ms']:.0f} ms), "
        f"of which waiting for the page's HTML {result['median_html_first_byte_ms']:.0f} ms; "
        f"budget <= {BUDGET_FIRST_DRAW_MS:.0f} ms: {verdict(result['budget_ok'])}"
    )
    print(
        f"   data.json {big['data_json_bytes']} B ({big['data_json_gzip_bytes']} B gzip); "
        f"facilitator page HTML {result['facilitator_html_bytes']} B",
        flush=True,
    )
    return result


# ---------------------------------------------------------------- main


def clean(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 4)
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--loads", type=int, default=3, help="page loads in Chromium (median)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium draw")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "map.json")
    parser.add_argument(
        "--changes", type=int, default=100, help="cycles of map changes through the app, per size"
    )
    parser.add_argument(
        "--change-sizes",
        type=int,
        nargs="+",
        default=[BASE_ACTORS, 10 * BASE_ACTORS],
        help="map sizes (actors) for the changes through the app",
    )
    parser.add_argument(
        "--only-changes", action="store_true", help="run only the map changes through the app"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.loads <= 20:
        parser.error("--loads must be 1 to 20")
    if not 1 <= args.changes <= 10_000:
        parser.error("--changes must be 1 to 10,000")
    if not all(1 <= n <= 100_000 for n in args.change_sizes):
        parser.error("--change-sizes must be 1 to 100,000 actors")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("ROUNDTABLE_SECRET_KEY", "bench-only-secret-key-not-for-any-real-server")
    started = time.monotonic()
    load = os.getloadavg()[0]
    print(f"load average {load:.2f} on {os.cpu_count()} CPUs at the start", flush=True)
    document: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "loadavg": os.getloadavg(),
        },
    }
    with tempfile.TemporaryDirectory(prefix="map-bench-") as tmp:
        document["changes"] = bench_changes(Path(tmp), tuple(args.change_sizes), args.changes)
    if args.only_changes:
        return finish(document, started, args.out)
    document["deltas"] = bench_deltas()
    document["measures"] = bench_measures()
    with tempfile.TemporaryDirectory(prefix="map-bench-") as tmp:
        prepared = prepare(Path(tmp))
        document["data_json"] = {
            name: {k: v for k, v in r.items() if k != "setup"}
            for name, r in prepared["rounds"].items()
        }
        if args.no_browser:
            print("3. first draw in Chromium: skipped (--no-browser)")
        else:
            document["first_draw"] = bench_browser(Path(tmp), prepared, args.loads)
        document["participant_page"] = bench_pages(prepared)
    return finish(document, started, args.out)


def finish(document: dict[str, Any], started: float, out: Path) -> int:
    document["seconds"] = time.monotonic() - started
    print(f"\ntook {document['seconds']:.0f} s")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(clean(document), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
