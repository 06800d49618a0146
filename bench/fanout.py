"""Fan-out benchmark: time from a facilitator's Next to N real Socket.IO participants, vs bare."""

# Run:  .venv/bin/python bench/fanout.py [--clients 100 [500 ...]] [--steps 5] [--out FILE]
#
# For each N it starts two server subprocesses on 127.0.0.1, side by side:
#   roundtable  `roundtable serve` (gevent) on a new SQLite database with one facilitator,
#               one round of "network-layers" and N participants, made here in-process;
#   bare        bench/bare_server.py: Flask-SocketIO on gevent with the same socket traffic
#               (join a room and get the state on connect, broadcast round_state on command)
#               and no app around it.
# N python-socketio AsyncClients (websocket transport) per server connect from one asyncio
# loop, and a facilitator client per server watches its round. Each presses Start, then the
# two take turns (ABBA...) to move a step, --steps times each (Next; past the last step, Back),
# so background load on a shared machine hits both alike. Latency runs from just before the
# facilitator's emit to each participant's handler (one clock, one machine). It prints
# connect time, p50/p95/max latency, how many of N received each step, and p95 ours / bare.
# Figures also go to --out as JSON. Every wait is bounded; servers are killed on exit.

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import math
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import aiohttp
import socketio
import socketio.packet
from yarl import URL

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
QUESTIONNAIRE = "network-layers"
EMAIL = "bench@roundtable.example"
SECRET_KEY = "bench-only-secret-key-not-for-any-real-server"
PARTICIPANTS = "/participant"
FACILITATORS = "/facilitator"
AIM_RATIO = 1.5
BUDGET_P95_MS = 200.0
BUDGET_N = 500


# ---------------------------------------------------------------- set-up (in this process)


@dataclass
class Fixture:
    """A database ready for one run: a facilitator, a round and its participants' tokens."""

    database_url: str
    round_id: int
    tokens: list[str]
    step_ids: list[str]


def make_fixture(workdir: Path, clients: int) -> Fixture:
    """Create the database, facilitator, round and N participants, as the tests do."""
    # Set before the app reads its settings, so nothing is written to instance/.
    os.environ["ROUNDTABLE_SECRET_KEY"] = SECRET_KEY
    sys.path.insert(0, str(ROOT))
    from tests.conftest import make_app, make_setup
    from workshop.rounds import people
    from workshop.store.db import session_scope
    from workshop.store.models import Round

    database_url = f"sqlite:///{workdir / 'roundtable.db'}"
    app = make_app(database_url)
    setup = make_setup(app, email=EMAIL, questionnaire=QUESTIONNAIRE)
    with app.app_context(), session_scope() as db:
        round_ = db.get(Round, setup.round_id)
        tokens = [people.join(db, round_, None).token for _ in range(clients)]
    library = app.extensions["roundtable.questionnaires"]
    step_ids = [step.id for step in library[QUESTIONNAIRE].questionnaire.steps]
    app.extensions["roundtable.engine"].dispose()
    return Fixture(database_url, setup.round_id, tokens, step_ids)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """A server subprocess in its own process group, killed on stop (and on any exit)."""

    running: ClassVar[list[Server]] = []

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.name = name
        self.argv = argv
        self.env = env
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, port: int, timeout: float = 30.0) -> None:
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                self.argv,
                env=self.env,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        Server.running.append(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} server exited early:\n{self.tail()}")
            with contextlib.suppress(OSError), socket.create_connection((HOST, port), 0.2):
                return
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} server did not listen within {timeout} s:\n{self.tail()}")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far (Linux /proc), or NaN."""
        if self.proc is None:
            return math.nan
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return math.nan
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def stop(self) -> None:
        proc = self.proc
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        self.proc = None
        if self in Server.running:
            Server.running.remove(self)

    @classmethod
    def stop_all(cls) -> None:
        for server in list(cls.running):
            server.stop()


def roundtable_server(fixture: Fixture, port: int, workdir: Path) -> Server:
    env = {
        **os.environ,
        "DATABASE_URL": fixture.database_url,
        "ROUNDTABLE_SECRET_KEY": SECRET_KEY,
        "ROUNDTABLE_ASYNC_MODE": "gevent",
        "ROUNDTABLE_NODE_MODULES": str(ROOT / "node_modules"),
    }
    env.pop("ROUNDTABLE_MESSAGE_QUEUE", None)
    command = Path(sys.executable).parent / "roundtable"
    argv = [str(command), "serve", "--host", HOST, "--port", str(port)]
    return Server("roundtable", argv, env, workdir / "roundtable.log")


def bare_server(step_ids: list[str], port: int, workdir: Path) -> Server:
    script = Path(__file__).resolve().parent / "bare_server.py"
    argv = [sys.executable, str(script), "--host", HOST, "--port", str(port)]
    argv += ["--step-ids", ",".join(step_ids)]
    return Server("bare", argv, dict(os.environ), workdir / "bare.log")


# ---------------------------------------------------------------- clients


async def sign_in(base: str) -> str:
    """Sign in over HTTP as a browser does; returns the Cookie header for the socket."""
    jar = aiohttp.CookieJar(unsafe=True)  # unsafe: accept cookies from an IP address
    timeout = aiohttp.ClientTimeout(total=15)
    async with aiohttp.ClientSession(cookie_jar=jar, timeout=timeout) as http:
        async with http.get(f"{base}/sign-in") as response:
            html = await response.text()
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        if found is None:
            raise RuntimeError("no csrf_token on /sign-in")
        from tests.conftest import PASSWORD  # the facilitator make_setup() created

        form = {"email": EMAIL, "password": PASSWORD, "csrf_token": found.group(1)}
        async with http.post(f"{base}/sign-in", data=form, allow_redirects=False) as response:
            if response.status != 302:
                raise RuntimeError(f"sign-in failed: HTTP {response.status}")
        cookies = jar.filter_cookies(URL(base))
        return "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())


@dataclass
class Arrival:
    """One participant's receipt of one round_state."""

    perf: float  # time.perf_counter() in the handler
    wall: float  # time.time() in the handler, to compare with the server's sent_at
    sent_at: float


class Crowd:
    """N participant clients and the round_state arrivals they record."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.clients: dict[int, socketio.AsyncClient] = {}
        self.arrivals: dict[tuple[str, int], dict[int, Arrival]] = {}
        self.target: tuple[str, int] | None = None
        self.expected = 0
        self.all_in = asyncio.Event()
        self.frame_bytes = 0
        self.payload_bytes = 0
        self.connect_errors: dict[str, int] = {}

    def expect(self, key: tuple[str, int], fresh: bool = True) -> None:
        """Wait for this (status, step_number) from every connected client.

        `fresh` forgets earlier arrivals of the same state (after Back, states repeat).
        """
        if fresh:
            self.arrivals.pop(key, None)
        self.target = key
        self.expected = len(self.clients)
        self.all_in = asyncio.Event()
        if len(self.arrivals.get(key, {})) >= self.expected:
            self.all_in.set()

    def handler(self, index: int) -> Callable[[Any], None]:
        def on_round_state(data: Any) -> None:
            perf, wall = time.perf_counter(), time.time()
            if not isinstance(data, dict):
                return
            key = (str(data.get("status")), int(data.get("step_number") or 0))
            got = self.arrivals.setdefault(key, {})
            if index in got:
                return
            got[index] = Arrival(perf, wall, float(data.get("sent_at") or 0.0))
            if not self.frame_bytes:
                self.frame_bytes = frame_size(PARTICIPANTS, data)
                self.payload_bytes = len(json.dumps(data, separators=(",", ":")))
            if key == self.target and len(got) >= self.expected:
                self.all_in.set()

        return on_round_state

    async def connect(
        self, url: str, concurrency: int, timeout: float
    ) -> tuple[float, list[float], int]:
        """Connect every client; returns total seconds, each connect's seconds, failures."""
        gate = asyncio.Semaphore(concurrency)
        failures = 0

        async def one(index: int, token: str) -> float | None:
            nonlocal failures
            async with gate:
                client = socketio.AsyncClient(reconnection=False, handle_sigint=False)
                client.on("round_state", self.handler(index), namespace=PARTICIPANTS)
                started = time.perf_counter()
                try:
                    await asyncio.wait_for(
                        client.connect(
                            url,
                            auth={"token": token},
                            transports=["websocket"],
                            namespaces=[PARTICIPANTS],
                            wait_timeout=timeout,
                        ),
                        timeout + 1,
                    )
                except Exception as error:
                    failures += 1
                    reason = f"{type(error).__name__}: {error}"[:200]
                    self.connect_errors[reason] = self.connect_errors.get(reason, 0) + 1
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(client.disconnect(), 5)
                    return None
                self.clients[index] = client
                return time.perf_counter() - started

        started = time.perf_counter()
        times = await asyncio.gather(*(one(i, t) for i, t in enumerate(self.tokens)))
        total = time.perf_counter() - started
        return total, [t for t in times if t is not None], failures

    async def disconnect(self, timeout: float) -> float:
        started = time.perf_counter()
        await asyncio.gather(
            *(asyncio.wait_for(c.disconnect(), timeout) for c in self.clients.values()),
            return_exceptions=True,
        )
        self.clients.clear()
        return time.perf_counter() - started


def frame_size(namespace: str, data: Any) -> int:
    """Bytes of the Socket.IO text frame that carries this round_state."""
    packet = socketio.packet.Packet(
        socketio.packet.EVENT, namespace=namespace, data=["round_state", data]
    )
    return len(packet.encode())


# ---------------------------------------------------------------- one run


@dataclass
class Step:
    """One facilitator command and what came of it."""

    command: str
    step_number: int
    ack_ms: float
    ack_ok: bool
    received: int
    of: int
    wall_ms: float  # from the emit until every participant had it (or the step timed out)
    client_cpu_ms: float  # CPU this benchmark process used meanwhile (all N clients)
    latencies_ms: list[float] = field(repr=False)
    server_ms: list[float] = field(repr=False)  # facilitator emit -> server's sent_at
    fanout_ms: list[float] = field(repr=False)  # server's sent_at -> participant receipt


@dataclass
class Run:
    """The figures of one server at one N."""

    server: str
    clients: int
    connected: int = 0
    connect_failures: int = 0
    connect_total_s: float = math.nan
    connect_per_client_ms: float = math.nan  # total / N
    connect_mean_ms: float = math.nan
    connect_p95_ms: float = math.nan
    joins_per_s: float = math.nan
    initial_state_received: int = 0
    p50_ms: float = math.nan
    p95_ms: float = math.nan
    max_ms: float = math.nan
    received_min: int = 0
    received_total: int = 0
    expected_total: int = 0
    server_p50_ms: float = math.nan
    fanout_p50_ms: float = math.nan
    fanout_p95_ms: float = math.nan
    ack_median_ms: float = math.nan
    ack_max_ms: float = math.nan
    start_p95_ms: float = math.nan
    disconnect_s: float = math.nan
    server_cpu_connect_s: float = math.nan
    server_cpu_steps_s: float = math.nan
    client_busy: float = math.nan  # client CPU / wall time while steps fanned out: near 1 = the
    # benchmark's own clients, not the server, set the pace
    connect_errors: dict[str, int] = field(default_factory=dict)
    frame_bytes: int = 0
    payload_bytes: int = 0
    steps: list[Step] = field(default_factory=list)


def percentile(values: list[float], pct: float) -> float:
    """Linear-interpolated percentile; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


async def press(
    crowd: Crowd,
    facilitator: socketio.AsyncClient,
    command: dict[str, Any],
    key: tuple[str, int],
    step_timeout: float,
) -> Step:
    """Send one command and wait (bounded) until every participant has the new state."""
    crowd.expect(key)
    cpu0 = time.process_time()
    t0, w0 = time.perf_counter(), time.time()
    ack_ok = False
    with contextlib.suppress(Exception):
        reply = await facilitator.call("command", command, namespace=FACILITATORS, timeout=10)
        ack_ok = isinstance(reply, dict) and reply.get("ok") is True
    ack_ms = (time.perf_counter() - t0) * 1000
    with contextlib.suppress(TimeoutError):
        remaining = max(0.0, step_timeout - (time.perf_counter() - t0))
        await asyncio.wait_for(crowd.all_in.wait(), remaining)
    wall_ms = (time.perf_counter() - t0) * 1000
    client_cpu_ms = (time.process_time() - cpu0) * 1000
    got = list(crowd.arrivals.get(key, {}).values())
    return Step(
        command=command["command"],
        step_number=key[1],
        ack_ms=ack_ms,
        ack_ok=ack_ok,
        received=len(got),
        of=crowd.expected,
        wall_ms=wall_ms,
        client_cpu_ms=client_cpu_ms,
        latencies_ms=[(a.perf - t0) * 1000 for a in got],
        server_ms=[(a.sent_at - w0) * 1000 for a in got],
        fanout_ms=[(a.wall - a.sent_at) * 1000 for a in got],
    )


def plan(steps: int, step_count: int) -> list[tuple[str, int]]:
    """The commands after Start: Next to the last step, then Back, and so on."""
    commands: list[tuple[str, int]] = []
    number, direction = 1, 1
    for _ in range(steps):
        if not 1 <= number + direction <= step_count:
            direction = -direction
        number += direction
        commands.append(("next" if direction > 0 else "back", number))
    return commands


class Side:
    """One server under test with its participants and facilitator."""

    def __init__(self, server: Server, port: int, tokens: list[str], round_id: int) -> None:
        self.server = server
        self.base = f"http://{HOST}:{port}"
        self.port = port
        self.round_id = round_id
        self.crowd = Crowd(tokens)
        self.facilitator = socketio.AsyncClient(reconnection=False, handle_sigint=False)
        self.result = Run(server=server.name, clients=len(tokens))
        self.cpu_mark = math.nan

    async def open(self, args: argparse.Namespace) -> None:
        """Start the server; the facilitator's console connects, then every participant."""
        result, crowd = self.result, self.crowd
        self.server.start(self.port)
        headers = {"Cookie": await sign_in(self.base)} if self.server.name == "roundtable" else {}
        await asyncio.wait_for(
            self.facilitator.connect(
                self.base, headers=headers, transports=["websocket"], namespaces=[FACILITATORS]
            ),
            15,
        )
        watched = await self.facilitator.call(
            "watch", {"round": self.round_id}, namespace=FACILITATORS, timeout=10
        )
        if not (isinstance(watched, dict) and watched.get("ok")):
            raise RuntimeError(f"{self.server.name}: facilitator cannot watch: {watched!r}")

        cpu = self.server.cpu_seconds()
        total, times, failures = await crowd.connect(
            self.base, args.concurrency, args.connect_timeout
        )
        result.server_cpu_connect_s = self.server.cpu_seconds() - cpu
        result.connected = len(crowd.clients)
        result.connect_failures = failures
        result.connect_errors = dict(crowd.connect_errors)
        result.connect_total_s = total
        result.connect_per_client_ms = total / result.clients * 1000
        result.connect_mean_ms = statistics.fmean(times) * 1000 if times else math.nan
        result.connect_p95_ms = percentile(times, 95) * 1000
        result.joins_per_s = len(times) / total if total else math.nan
        # Every client is told the round's state as it connects (the lobby, step 1).
        crowd.expect(("lobby", 1), fresh=False)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(crowd.all_in.wait(), args.step_timeout)
        result.initial_state_received = len(crowd.arrivals.get(("lobby", 1), {}))

    async def press(self, command: str, number: int, step_timeout: float) -> Step:
        if math.isnan(self.cpu_mark):
            self.cpu_mark = self.server.cpu_seconds()
        message = {"round": self.round_id, "command": command}
        return await press(self.crowd, self.facilitator, message, ("running", number), step_timeout)

    async def close(self, timeout: float) -> None:
        result = self.result
        if not math.isnan(self.cpu_mark):
            result.server_cpu_steps_s = self.server.cpu_seconds() - self.cpu_mark
        with contextlib.suppress(Exception):
            result.disconnect_s = await self.crowd.disconnect(timeout)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.facilitator.disconnect(), 5)
        self.server.stop()

    def finish(self) -> Run:
        """Gather the figures of the Nexts (and Backs) into the result."""
        result, steps = self.result, self.result.steps
        latencies = [ms for s in steps for ms in s.latencies_ms]
        result.p50_ms = percentile(latencies, 50)
        result.p95_ms = percentile(latencies, 95)
        result.max_ms = max(latencies, default=math.nan)
        result.received_min = min((s.received for s in steps), default=0)
        result.received_total = sum(s.received for s in steps)
        result.expected_total = result.clients * len(steps)
        result.server_p50_ms = percentile([ms for s in steps for ms in s.server_ms], 50)
        fanout = [ms for s in steps for ms in s.fanout_ms]
        result.fanout_p50_ms = percentile(fanout, 50)
        result.fanout_p95_ms = percentile(fanout, 95)
        acks = [s.ack_ms for s in steps]
        result.ack_median_ms = statistics.median(acks) if acks else math.nan
        result.ack_max_ms = max(acks, default=math.nan)
        wall = sum(s.wall_ms for s in steps)
        result.client_busy = sum(s.client_cpu_ms for s in steps) / wall if wall else math.nan
        result.frame_bytes = self.crowd.frame_bytes
        result.payload_bytes = self.crowd.payload_bytes
        return result


async def run_pair(n: int, workdir: Path, args: argparse.Namespace) -> tuple[Run, Run]:
    """Ours and bare at one N, connected side by side; their steps alternate (ABBA...)."""
    rundir = workdir / f"n{n}"
    rundir.mkdir()
    fixture = make_fixture(rundir, n)
    port = free_port()
    ours = Side(roundtable_server(fixture, port, rundir), port, fixture.tokens, fixture.round_id)
    port = free_port()
    bare = Side(bare_server(fixture.step_ids, port, rundir), port, fixture.tokens, 1)
    try:
        for side in (ours, bare):
            print(f"N={n}: {side.server.name}: connecting ...", flush=True)
            await side.open(args)
        # The 2N clients make many objects: a collection in the middle of a step would be
        # this process's pause, not the server's. Collect now and pause the collector.
        gc.collect()
        gc.freeze()
        gc.disable()
        for side in (ours, bare):
            start = await side.press("start", 1, args.step_timeout)
            side.result.start_p95_ms = percentile(start.latencies_ms, 95)
            await asyncio.sleep(args.pause)
        print(f"N={n}: {args.steps} steps each, alternating ...", flush=True)
        for index, (command, number) in enumerate(plan(args.steps, len(fixture.step_ids))):
            order = (ours, bare) if index % 2 == 0 else (bare, ours)
            for side in order:
                step = await side.press(command, number, args.step_timeout)
                side.result.steps.append(step)
                await asyncio.sleep(args.pause)
    finally:
        gc.enable()
        gc.unfreeze()
        for side in (ours, bare):
            await side.close(args.connect_timeout)
    return ours.finish(), bare.finish()


# ---------------------------------------------------------------- report


def fmt(value: float, digits: int = 1) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def print_table(runs: list[Run]) -> None:
    head = (
        f"{'server':<11}{'N':>5}{'connected':>11}{'connect s':>11}{'ms/client':>11}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'received':>10}"
    )
    print(head)
    print("-" * len(head))
    for r in runs:
        print(
            f"{r.server:<11}{r.clients:>5}{r.connected:>11}{fmt(r.connect_total_s, 2):>11}"
            f"{fmt(r.connect_per_client_ms, 2):>11}{fmt(r.p50_ms):>9}{fmt(r.p95_ms):>9}"
            f"{fmt(r.max_ms):>9}{f'{r.received_min}/{r.clients}':>10}"
        )
    print()
    print("where the time goes (ms unless marked)")
    head = (
        f"{'server':<11}{'N':>5}{'Next->sent_at':>15}{'sent_at->recv p50/p95':>23}"
        f"{'ack med/max':>14}{'Start p95':>11}{'disconnect s':>14}{'server cpu s join/steps':>25}"
        f"{'client busy':>13}"
    )
    print(head)
    print("-" * len(head))
    for r in runs:
        fan = f"{fmt(r.fanout_p50_ms)}/{fmt(r.fanout_p95_ms)}"
        ack = f"{fmt(r.ack_median_ms)}/{fmt(r.ack_max_ms)}"
        cpu = f"{fmt(r.server_cpu_connect_s, 2)}/{fmt(r.server_cpu_steps_s, 2)}"
        print(
            f"{r.server:<11}{r.clients:>5}{fmt(r.server_p50_ms):>15}{fan:>23}{ack:>14}"
            f"{fmt(r.start_p95_ms):>11}{fmt(r.disconnect_s, 2):>14}{cpu:>25}"
            f"{fmt(r.client_busy, 2):>13}"
        )
    for r in runs:
        for reason, count in r.connect_errors.items():
            print(f"{r.server} N={r.clients}: {count} connects failed: {reason}")


def summarise(pairs: dict[int, tuple[Run, Run]]) -> dict[str, Any]:
    """Ratios and budget checks; printed and returned for the JSON file."""
    summary: dict[str, Any] = {"per_n": {}}
    for n, (ours, bare) in pairs.items():
        ratio = ours.p95_ms / bare.p95_ms if bare.p95_ms else math.nan
        step_ratios = [
            percentile(a.latencies_ms, 95) / percentile(b.latencies_ms, 95)
            for a, b in zip(ours.steps, bare.steps, strict=False)
            if a.latencies_ms and b.latencies_ms
        ]
        paired = statistics.median(step_ratios) if step_ratios else math.nan
        everyone = ours.received_total == ours.expected_total and ours.connect_failures == 0
        line = (
            f"N={n}: p95 ours/bare = {fmt(ours.p95_ms)} / {fmt(bare.p95_ms)} ms = "
            f"{fmt(ratio, 2)} (aim <= {AIM_RATIO}: {'met' if ratio <= AIM_RATIO else 'NOT met'})"
            f"; median of per-step ratios {fmt(paired, 2)}"
            f"; received {ours.received_total}/{ours.expected_total} over {len(ours.steps)} steps"
        )
        per_n: dict[str, Any] = {
            "ratio_p95": ratio,
            "ratio_p95_median_per_step": paired,
            "all_received": everyone,
        }
        if n == BUDGET_N:
            ok = ours.p95_ms <= BUDGET_P95_MS and everyone
            per_n["budget_p95_ok"] = ok
            line += f"; budget p95 <= {BUDGET_P95_MS:.0f} ms at {n}: {'met' if ok else 'NOT met'}"
        print(line)
        summary["per_n"][n] = per_n
    ns = sorted(pairs)
    if len(ns) > 1:
        low, high = ns[0], ns[-1]
        growth = pairs[high][0].p95_ms / pairs[low][0].p95_ms
        bare_growth = pairs[high][1].p95_ms / pairs[low][1].p95_ms
        print(f"growth p95({high})/p95({low}): ours {fmt(growth, 2)}, bare {fmt(bare_growth, 2)}")
        summary["growth"] = {"from": low, "to": high, "ours": growth, "bare": bare_growth}
    return summary


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "loadavg": os.getloadavg(),
    }


def to_json(runs: list[Run], summary: dict[str, Any], args: argparse.Namespace) -> str:
    def clean(value: Any) -> Any:
        if isinstance(value, float):
            return None if math.isnan(value) else round(value, 3)
        if isinstance(value, dict):
            return {str(k): clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        return value

    document = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine(),
        "options": {k: v for k, v in vars(args).items() if k != "out"},
        "async_mode": "gevent",
        "runs": [asdict(r) for r in runs],
        "summary": summary,
    }
    return json.dumps(clean(document), indent=2)


# ---------------------------------------------------------------- main


@contextlib.contextmanager
def servers_killed_on_exit() -> Iterator[None]:
    def on_signal(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        Server.stop_all()
        for s, handler in previous.items():
            signal.signal(s, handler)


async def bench(args: argparse.Namespace, workdir: Path) -> list[Run]:
    runs: list[Run] = []
    for n in args.clients:
        runs.extend(await run_pair(n, workdir, args))
    return runs


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--clients",
        type=int,
        nargs="+",
        default=[100],
        metavar="N",
        help="participants per run; give several (e.g. 100 500) to also print growth",
    )
    parser.add_argument(
        "--steps", type=int, default=5, help="steps to move (1-8 Nexts; more go Back and on)"
    )
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between commands")
    parser.add_argument("--concurrency", type=int, default=50, help="connects in flight at once")
    parser.add_argument("--connect-timeout", type=float, default=20.0)
    parser.add_argument("--step-timeout", type=float, default=10.0)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "fanout.json")
    args = parser.parse_args(argv)
    if not 1 <= args.steps <= 100:
        parser.error("--steps must be 1 to 100")
    if any(not 1 <= n <= 2000 for n in args.clients):
        parser.error("--clients must be 1 to 2000")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    load = os.getloadavg()[0]
    cpus = os.cpu_count() or 1
    print(f"load average {load:.2f} on {cpus} CPUs at the start", flush=True)
    if load > cpus / 2:
        print("  (a busy machine: absolute times will be noisy; the ratio less so)", flush=True)
    with servers_killed_on_exit(), tempfile.TemporaryDirectory(prefix="fanout-") as tmp:
        runs = asyncio.run(asyncio.wait_for(bench(args, Path(tmp)), 600 * len(args.clients)))
    print()
    sample = next((r for r in runs if r.frame_bytes), None)
    if sample:
        print(
            f"round_state: {sample.payload_bytes} bytes of JSON, "
            f"{sample.frame_bytes} bytes per Socket.IO frame (ours)"
        )
    print(
        f"gevent on {HOST}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{args.steps} steps each, {args.pause} s apart; latency = facilitator emit -> "
        "participant handler; received = fewest of N over the steps"
    )
    print()
    print_table(runs)
    print()
    pairs = {runs[i].clients: (runs[i], runs[i + 1]) for i in range(0, len(runs), 2)}
    summary = summarise(pairs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(to_json(runs, summary, args) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
