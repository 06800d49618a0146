"""Load benchmark: N people join over HTTP and answer a whole round while the map grows."""

# Run:  .venv/bin/python bench/load.py [--participants 500] [--think 1 5] [--cycles 2000]
#                                      [--database sqlite|postgres] [--out FILE]
#
# It makes a fresh database in-process with the app's own functions (SQLite in a temporary
# folder, or a new PostgreSQL database on 127.0.0.1:5432, dropped afterwards): a facilitator
# and a round of "campaign-pies" (13 steps, 10 that take answers; three name-actors steps,
# connect-actors, rate and sort, so the map grows). It starts `roundtable serve` (gevent) on
# 127.0.0.1 with rate limits off, and from one asyncio loop:
#   1. N participants join as a browser does: GET the join page, POST the form with its CSRF
#      token, follow the redirect; each also connects a python-socketio client to /participant;
#   2. the facilitator signs in over HTTP, watches the round over a socket and moves it step by
#      step; at each step every participant, after a random think time, GETs the step page and
#      POSTs a real answer (names and ties on network steps), as many posts as a person would;
#   3. --cycles connect/disconnect cycles of participant sockets, in batches, while the room
#      stays connected; the server's RSS after a warm-up and at the end.
# Then it counts what the database holds and compares it to what was acknowledged (a POST
# answered by the redirect that says "saved"). Every request and wait is bounded, and so is
# the whole run. Exit status 1 on any error or any difference between stored and acknowledged.

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import logging
import math
import os
import platform
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fanout import (  # a sibling script, not a package
    HOST,
    PARTICIPANTS,
    ROOT,
    SECRET_KEY,
    Server,
    free_port,
    percentile,
    servers_killed_on_exit,
    sign_in,
)

FACILITATORS = "/facilitator"
QUESTIONNAIRE = "campaign-pies"
EMAIL = "bench@roundtable.example"
POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
MEMORY_BUDGET_PCT = 10.0
JOIN_BUDGET_S = 5.0
FANOUT_BUDGET_MS = 200.0
CONSOLE_BUDGET_MS = 1000.0
KEEP_ALIVE_S = 75  # gunicorn's idle connections, as `roundtable serve --processes` sets it
CPU_BUDGET_MS = 3.0
PANEL_GAP_S = 0.5  # console.js asks for its live panel at most this often
# The endpoints a participant's browser asks for (the join pages and everything under /p/).
PARTICIPANT_KIND = re.compile(r" participant\.")

ANSWERED = re.compile(r'<progress id="progress"[^>]*value="(\d+)"')  # the live panel's count
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ATTEMPT = re.compile(r'name="attempt"[^>]*value="([^"]*)"')
CHOICE = re.compile(
    r'<input class="[^"]*" type="(?:radio|checkbox)" name="([^"]+)" [^>]*value="([^"]*)"'
)
SOURCE = re.compile(r'<select [^>]*id="source"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="(\d+)"')


# ---------------------------------------------------------------- what people write


PLACES = [
    "Greenwich", "Lewisham", "Cardiff", "Swansea", "Wrexham", "Brent", "Hackney", "Newport",
    "Bangor", "Camden", "Croydon", "Leeds", "Bristol", "Merthyr", "Rhyl", "Luton",
    "Barry", "Neath", "Llanelli", "Caerphilly", "Pontypridd", "Aberystwyth", "Carmarthen",
    "Tower Hamlets", "Southwark", "Lambeth", "Haringey", "Ealing", "Barnet", "Bromley",
    "Sheffield", "Bradford", "Manchester", "Salford", "Oldham", "Bolton", "Wigan", "Derby",
]  # fmt: skip
GROUPS = [
    "Mencap", "Age UK", "Citizens Advice", "Food Bank", "Tenants Union", "Disability Forum",
    "Youth Club", "Mosque", "Credit Union", "Carers Centre", "Law Centre", "Refugee Network",
    "Women's Aid", "Pride", "Deaf Club", "Library", "Council", "Housing Association",
    "Mind", "Parents Forum", "Chamber of Commerce", "Bus Users Group", "Cycle Hub",
]  # fmt: skip
COMMON = ["Shelter Cymru", "Disability Wales", "Local councillor", "Ward officer", "Age UK"]
THEMES = ["Safe homes", "Bus fares", "Hate crime", "Step-free stations", "Warm spaces"]
WORDS = [
    "We need more people with lived experience in the room.",
    "Young carers are missing. So are people who do not speak English.",
    "Let us call the council's equality officer next week.",
    "A joint letter to the local paper, signed by every group here.",
    "Meet again in March, in a place with step-free access.",
]


def name_pool() -> list[str]:
    """Names people give: a few everyone knows, then many local ones (so the map grows)."""
    return COMMON + [f"{place} {group}" for place in PLACES for group in GROUPS]


def pick_names(rng: random.Random, pool: list[str], count: int, avoid: set[str]) -> list[str]:
    """Distinct names, the first few (known to all) far more often than the rest."""
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(COMMON) if rng.random() < 0.3 else rng.choice(pool)
        if name not in names and name not in avoid:
            names.append(name)
    return names


# ---------------------------------------------------------------- set-up (in this process)


@dataclass
class Fixture:
    """A fresh database with a facilitator and one round; how to reach it and drop it."""

    database_url: str
    round_id: int
    join_token: str
    steps: list[Any]  # the questionnaire's steps, in English
    dropped: str = ""  # a PostgreSQL database to drop afterwards


def postgres_database() -> tuple[str, str]:
    """A new, empty PostgreSQL database on this machine: its URL and its name."""
    import psycopg

    name = f"roundtable_load_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{name}", name


def drop_postgres(name: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_fixture(workdir: Path, database: str) -> Fixture:
    """Create the database, the facilitator and the round, as the tests do."""
    os.environ["ROUNDTABLE_SECRET_KEY"] = SECRET_KEY  # before the app reads its settings
    sys.path.insert(0, str(ROOT))
    from tests.conftest import make_app, make_setup

    dropped = ""
    if database == "postgres":
        database_url, dropped = postgres_database()
    else:
        database_url = f"sqlite:///{workdir / 'roundtable.db'}"
    app = make_app(database_url)
    setup = make_setup(app, email=EMAIL, questionnaire=QUESTIONNAIRE)
    steps = list(app.extensions["roundtable.questionnaires"][QUESTIONNAIRE].questionnaire.steps)
    app.extensions["roundtable.engine"].dispose()
    return Fixture(database_url, setup.round_id, setup.join_token, steps, dropped)


def app_env(fixture: Fixture, workdir: Path, cpu_by_kind: bool = True) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": fixture.database_url,
        "ROUNDTABLE_SECRET_KEY": SECRET_KEY,
        "ROUNDTABLE_ASYNC_MODE": "gevent",
        "ROUNDTABLE_NODE_MODULES": str(ROOT / "node_modules"),
        "ROUNDTABLE_RATE_LIMITS": "0",  # 500 people from one address would be limited
        "ROUNDTABLE_BENCH_TIMINGS": str(workdir / "cpu") if cpu_by_kind else "",
    }
    env.pop("ROUNDTABLE_MESSAGE_QUEUE", None)
    return env


def serve(fixture: Fixture, port: int, workdir: Path, cpu_by_kind: bool) -> Server:
    """One process: `roundtable serve`, the embedded default."""
    command = Path(sys.executable).parent / "roundtable"
    argv = [str(command), "serve", "--host", HOST, "--port", str(port)]
    env = app_env(fixture, workdir, cpu_by_kind)
    return Server("roundtable", argv, env, workdir / "roundtable.log")


def redis_server(port: int, workdir: Path) -> Server:
    argv = ["redis-server", "--port", str(port), "--bind", HOST, "--save", ""]
    argv += ["--appendonly", "no", "--dir", str(workdir)]
    return Server("redis", argv, dict(os.environ), workdir / "redis.log")


def gunicorn(
    fixture: Fixture, port: int, workdir: Path, queue: str, number: int, cpu_by_kind: bool
) -> Server:
    """One of several processes, as `roundtable serve --processes` starts each (README)."""
    env = {**app_env(fixture, workdir, cpu_by_kind), "ROUNDTABLE_MESSAGE_QUEUE": queue}
    argv = [str(Path(sys.executable).parent / "gunicorn"), "--worker-class", "gevent"]
    argv += ["--workers", "1", "--bind", f"{HOST}:{port}", "--no-control-socket"]
    argv += ["--keep-alive", str(KEEP_ALIVE_S)]  # as nginx would reuse connections
    return Server(f"app {number}", [*argv, "workshop.wsgi:app"], env, workdir / f"app{number}.log")


def tree(pid: int) -> list[int]:
    """pid and every process under it (gunicorn's worker is its master's child)."""
    found = [pid]
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found += tree(int(child))
    return found


def app_pids(servers: list[Server]) -> list[int] | None:
    """Every process of the app servers, workers included; None if one has not started."""
    if any(server.proc is None for server in servers):
        return None
    return [pid for server in servers for pid in tree(server.proc.pid)]


def rss_mb(servers: list[Server]) -> float:
    """The app processes' resident memory now, in MB (Linux /proc), or NaN."""
    pids = app_pids(servers)
    if pids is None:
        return math.nan
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
    return total


def cpu_seconds(servers: list[Server]) -> float:
    """User + system CPU of the app processes so far, workers included (Linux /proc)."""
    pids = app_pids(servers)
    if pids is None:
        return math.nan
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def wait_answering(servers: list[Server], ports: list[int], timeout: float = 120) -> None:
    """Each app process answers a page (gunicorn listens before its worker has the app)."""
    from workshop.cli.processes import answering

    deadline = time.monotonic() + timeout
    for server, port in zip(servers, ports, strict=True):
        while not answering(port):
            if time.monotonic() > deadline or (server.proc and server.proc.poll() is not None):
                raise RuntimeError(f"{server.name} does not answer:\n{server.tail()}")
            time.sleep(0.2)


def request_cpu(workdir: Path) -> dict[str, list[float]]:
    """What the app processes wrote of each page request's CPU (ms), by kind, merged."""
    merged: dict[str, list[float]] = {}
    for path in workdir.glob("cpu.*"):
        if path.suffix == ".tmp":
            continue
        with contextlib.suppress(OSError, ValueError):
            for kind, values in json.loads(path.read_text())["ms"].items():
                merged.setdefault(kind, []).extend(values)
    return merged


# ---------------------------------------------------------------- figures


@dataclass
class Figures:
    """Everything measured, printed and written as JSON."""

    participants: int
    database: str
    joined: int = 0
    join_failures: int = 0
    join_s: float = math.nan
    join_ms: list[float] = field(default_factory=list)
    answer_ms: list[float] = field(default_factory=list)  # answer POSTs, to the redirect
    page_ms: list[float] = field(default_factory=list)  # page GETs (step pages, landings)
    fanout_ms: list[float] = field(default_factory=list)  # command emit -> round_state
    console_shown_ms: list[float] = field(default_factory=list)  # ack -> panel shows it
    console_not_shown: int = 0
    panel_ms: list[float] = field(default_factory=list)  # each live-panel fetch
    request_cpu_ms: dict[str, list[float]] = field(default_factory=dict)  # by kind
    processes: int = 1
    step_s: list[float] = field(default_factory=list)  # each step, from command to all done
    errors: Counter[str] = field(default_factory=Counter)
    acknowledged: Counter[str] = field(default_factory=Counter)
    stored: Counter[str] = field(default_factory=Counter)
    mismatches: int = 0
    rss_mb: dict[str, float] = field(default_factory=dict)
    actors: int = 0
    ties: int = 0
    cycles: int = 0
    cycle_rss_mb: list[tuple[int, float]] = field(default_factory=list)
    cycle_growth_pct: float = math.nan
    presence_rows: int = -1
    presence_expected: int = -1
    server_cpu_s: float = math.nan
    client_lag_max_s: float = 0.0
    wall_s: float = math.nan

    def error(self, kind: str) -> None:
        self.errors[kind] += 1


def describe(error: BaseException) -> str:
    if isinstance(error, TimeoutError | asyncio.TimeoutError):
        return "timeout"
    return type(error).__name__


def socket_log(fig: Figures) -> logging.Logger:
    """The Engine.IO clients' log, where only why a connection ended is kept, as an error."""

    class WhyEnded(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            # Only these two end a connection nobody closed: the server went quiet.
            if any(why in str(record.msg) for why in ("stopped communicating", "queue is empty")):
                fig.error(f"socket ended: {record.getMessage()[:80]}")

    logger = logging.getLogger("load.engineio")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.handlers = [WhyEnded()]
    return logger


# ---------------------------------------------------------------- one participant


class Person:
    """One participant: a browser (cookies, forms) and a socket; what they were told was saved."""

    def __init__(self, index: int, rng: random.Random) -> None:
        self.index = index
        self.rng = rng
        self.base = ""  # the app process this person's browser reaches (a proxy's choice)
        self.answered: set[int] = set()  # step numbers
        self.http: aiohttp.ClientSession | None = None
        self.token = ""
        self.page = ""
        self.socket: socketio.AsyncClient | None = None
        self.arrivals: dict[int, float] = {}  # step number -> perf_counter of round_state
        # What the server acknowledged, to compare with the database afterwards.
        self.values: dict[str, Any] = {}  # plain steps: step id -> value
        self.names: dict[str, list[str]] = {}  # name steps: step id -> names added
        self.ties: set[tuple[int, int, str]] = set()
        self.placed: dict[str, dict[int, str]] = {}  # rate/sort: step id -> actor id -> value

    def on_round_state(self, data: Any) -> None:
        if isinstance(data, dict) and data.get("status") == "running":
            self.arrivals.setdefault(int(data.get("step_number") or 0), time.perf_counter())


class Load:
    """The benchmark's clients, their shared HTTP gate, and the figures they produce."""

    def __init__(
        self, args: argparse.Namespace, fixture: Fixture, bases: list[str], fig: Figures
    ) -> None:
        self.args = args
        self.fixture = fixture
        self.base = bases[0]  # the facilitator's
        self.fig = fig
        self.gate = asyncio.Semaphore(args.concurrency)
        self.connector = aiohttp.TCPConnector(limit=args.concurrency, force_close=False)
        self.timeout = aiohttp.ClientTimeout(total=args.request_timeout)
        self.pool = name_pool()
        self.people = [Person(i, random.Random(args.seed * 100_003 + i)) for i in range(args.n)]
        for person in self.people:  # each sticks to one process, round-robin as a proxy would
            person.base = bases[person.index % len(bases)]
        # The console as the facilitator sees it: when each answer was acknowledged, when
        # console_changed arrived, and each live-panel fetch (started, finished).
        self.step_number = 0  # the step the facilitator last moved the round to
        self.first_acks: dict[int, list[float]] = {}  # step -> each person's first ack
        self.panel_counts: dict[int, list[tuple[float, int]]] = {}  # step -> (fetched, count)
        self.panel_http: aiohttp.ClientSession | None = None
        self.panel_url = ""
        self.panel_busy = False
        self.panel_again = False
        self.panel_task: asyncio.Future[None] | None = None
        self.panel_since: float | None = None
        self.closing = False
        self.socket_log = socket_log(fig)

    # -- HTTP, each request bounded and timed

    async def request(
        self, person: Person, method: str, url: str, kind: str, data: Any = None
    ) -> tuple[int, str, str] | None:
        """One request inside the gate: (status, Location, body), or None after an error."""
        assert person.http is not None
        async with self.gate:
            started = time.perf_counter()
            try:
                async with person.http.request(
                    method, person.base + url, data=data, allow_redirects=False
                ) as response:
                    body = await response.text()
                    status, location = response.status, response.headers.get("Location", "")
            except Exception as error:
                self.fig.error(f"{kind}: {describe(error)}")
                return None
            elapsed = (time.perf_counter() - started) * 1000
        (self.fig.answer_ms if method == "POST" and kind == "answer" else self.fig.page_ms).append(
            elapsed
        )
        if status >= 500 or "Traceback" in body:
            self.fig.error(f"{kind}: HTTP {status}")
            return None
        return status, location, body

    async def get_page(self, person: Person, url: str, kind: str = "page") -> str | None:
        got = await self.request(person, "GET", url, kind)
        if got is None:
            return None
        if got[0] != 200:
            self.fig.error(f"{kind}: HTTP {got[0]} for GET")
            return None
        return got[2]

    async def post_answer(
        self, person: Person, step: Any, data: dict[str, Any], editor: bool
    ) -> bool:
        """POST an answer; True when the server said it was saved (and the landing page loads)."""
        got = await self.request(person, "POST", f"{person.page}/steps/{step.id}", "answer", data)
        if got is None:
            return False
        status, location, _body = got
        saved = f"saved={step.id}" in location or (editor and location.endswith("#message"))
        if status != 302 or not saved:
            self.fig.error(f"answer: HTTP {status} not saved ({step.type})")
            return False
        number = self.fixture.steps.index(step) + 1
        if number not in person.answered:  # later names and ties do not move the count
            person.answered.add(number)
            self.first_acks.setdefault(number, []).append(time.perf_counter())
        await self.get_page(person, location.removeprefix(person.base), "landing")
        return True

    # -- joining

    async def join(self, person: Person) -> None:
        jar = aiohttp.CookieJar(unsafe=True)  # unsafe: cookies from an IP address
        person.http = aiohttp.ClientSession(
            connector=self.connector, connector_owner=False, cookie_jar=jar, timeout=self.timeout
        )
        started = time.perf_counter()
        url = f"/j/{self.fixture.join_token}"
        html = await self.get_page(person, url, "join")
        csrf, attempt = (CSRF.search(html), ATTEMPT.search(html)) if html else (None, None)
        if csrf is None or attempt is None:
            self.fig.join_failures += 1
            if html is not None:
                self.fig.error("join: no form")
            return
        form = {
            "csrf_token": csrf.group(1),
            "attempt": attempt.group(1),
            "display_name": f"Person {person.index + 1}" if person.index % 3 else "",
            "agree": "y",
        }
        got = await self.request(person, "POST", url, "join", form)
        found = re.search(r"/p/([^/?#]+)$", got[1]) if got else None
        if got is None or got[0] != 302 or found is None:
            self.fig.join_failures += 1
            if got is not None:
                self.fig.error(f"join: HTTP {got[0]} without a page")
            return
        person.token, person.page = found.group(1), f"/p/{found.group(1)}"
        if await self.get_page(person, person.page, "join") is None:
            self.fig.join_failures += 1
            return
        person.socket = await self.connect_socket(person, person.on_round_state, "socket")
        if person.socket is None:
            self.fig.join_failures += 1
            return
        self.fig.join_ms.append((time.perf_counter() - started) * 1000)

    async def connect_socket(self, person: Person, handler: Any, kind: str):
        """A participant's socket, as the page's script opens it; None after an error."""
        client = socketio.AsyncClient(
            reconnection=False, handle_sigint=False, engineio_logger=self.socket_log
        )
        client.on("round_state", handler, namespace=PARTICIPANTS)

        def dropped(*reason: Any) -> None:
            if not self.closing and kind == "socket":  # a cycle's own disconnect is no drop
                self.fig.error(f"socket dropped: {reason[0] if reason else 'no reason'}")

        client.on("disconnect", dropped, namespace=PARTICIPANTS)
        try:
            await asyncio.wait_for(
                client.connect(
                    person.base,
                    auth={"token": person.token},
                    transports=["websocket"],
                    namespaces=[PARTICIPANTS],
                    wait_timeout=self.args.request_timeout,
                ),
                self.args.request_timeout + 1,
            )
        except Exception as error:
            self.fig.error(f"{kind} connect: {describe(error)}")
            with contextlib.suppress(Exception):
                await asyncio.wait_for(client.disconnect(), 5)
            return None
        return client

    # -- answering one step as a person would

    async def think(self, person: Person, scale: float = 1.0) -> None:
        low, high = self.args.think
        await asyncio.sleep(person.rng.uniform(low, high) * scale)

    async def answer(self, person: Person, step: Any, number: int) -> None:
        arrived = person.arrivals.get(number)
        if arrived is None:
            self.fig.error("round_state not received")
            arrived = time.perf_counter()
        low, high = self.args.think
        wait = person.rng.uniform(low, high) - (time.perf_counter() - arrived)
        await asyncio.sleep(max(0.0, wait))
        html = await self.get_page(person, f"{person.page}/steps/{step.id}")
        if html is None or not step.collects_answer:
            return
        csrf = CSRF.search(html)
        if csrf is None:
            self.fig.error(f"answer: no form ({step.type})")
            return
        token = csrf.group(1)
        rng = person.rng
        if step.type == "name-actors":
            kinds = [v for n, v in CHOICE.findall(html) if n == "kind"]
            avoid = set(person.names.get(step.id, []))
            for name in pick_names(rng, self.pool, rng.randint(1, 3), avoid):
                form = {"csrf_token": token, "intent": "add", "name": name}
                if kinds:
                    form["kind"] = rng.choice(kinds)
                if await self.post_answer(person, step, form, editor=True):
                    person.names.setdefault(step.id, []).append(name)
                await self.think(person, 0.3)
        elif step.type == "connect-actors":
            select = SOURCE.search(html)
            actors = [int(v) for v in OPTION.findall(select.group(1))] if select else []
            kinds = [v for n, v in CHOICE.findall(html) if n == "kind"]
            if len(actors) < 2 or not kinds:
                self.fig.error("answer: too few names to connect")
                return
            for _ in range(rng.randint(1, 2)):
                source, target = rng.sample(actors, 2)
                tie = (source, target, rng.choice(kinds))
                if tie in person.ties:
                    continue
                form = {"csrf_token": token, "intent": "add", "source": source}
                form.update(target=target, kind=tie[2])
                if await self.post_answer(person, step, form, editor=True):
                    person.ties.add(tie)
                await self.think(person, 0.3)
        elif step.type in ("rate-actors", "sort-actors"):
            fields: dict[str, list[str]] = {}
            for name, value in CHOICE.findall(html):
                if name.startswith("actor-"):
                    fields.setdefault(name, []).append(value)
            if not fields:
                self.fig.error(f"answer: nothing to place ({step.type})")
                return
            placed = {name: rng.choice(values) for name, values in fields.items()}
            if await self.post_answer(person, step, {"csrf_token": token, **placed}, False):
                person.placed[step.id] = {int(k[6:]): v for k, v in placed.items()}
        else:
            value = self.plain_answer(person, step, html)
            form = aiohttp.FormData({"csrf_token": token})
            for item in value if isinstance(value, list) else [value]:
                form.add_field("answer", str(item))
            if await self.post_answer(person, step, form, editor=False):
                person.values[step.id] = value

    def plain_answer(self, person: Person, step: Any, html: str) -> Any:
        rng = person.rng
        options = [v for n, v in CHOICE.findall(html) if n == "answer"]
        if step.type == "multiple-choice":
            return rng.sample(options, rng.randint(1, min(3, len(options))))
        if step.type in ("single-choice", "rating-scale"):
            return rng.choice(options)
        if step.type == "short-text":
            return rng.choice(THEMES)
        return " ".join(rng.sample(WORDS, rng.randint(1, 3)))

    # -- the facilitator

    async def open_console(self) -> socketio.AsyncClient:
        console = socketio.AsyncClient(reconnection=False, handle_sigint=False)

        def dropped(*reason: Any) -> None:
            if not self.closing:
                self.fig.error(f"console dropped: {reason[0] if reason else 'no reason'}")

        console.on("disconnect", dropped, namespace=FACILITATORS)
        console.on("console_changed", self.console_told, namespace=FACILITATORS)
        console.on("round_state", self.console_told, namespace=FACILITATORS)
        cookie = await sign_in(self.base)
        await asyncio.wait_for(
            console.connect(
                self.base,
                headers={"Cookie": cookie},
                transports=["websocket"],
                namespaces=[FACILITATORS],
            ),
            30,
        )
        self.panel_http = aiohttp.ClientSession(
            headers={"Cookie": cookie}, timeout=self.timeout, cookie_jar=aiohttp.DummyCookieJar()
        )
        async with self.panel_http.get(f"{self.base}/rounds/{self.fixture.round_id}") as page:
            found = re.search(r'data-live-url="([^"]+)"', await page.text())
        if found is None:
            raise RuntimeError("the console page has no live panel address")
        self.panel_url = self.base + found.group(1).replace("&amp;", "&")
        watched = await console.call(
            "watch", {"round": self.fixture.round_id}, namespace=FACILITATORS, timeout=15
        )
        if not (isinstance(watched, dict) and watched.get("ok")):
            raise RuntimeError(f"the facilitator cannot watch the round: {watched!r}")
        return console

    def console_told(self, change: Any) -> None:
        """As console.js: keep the newest change's time (`at`, where the server sends one)
        for the panel's `since`, and refresh."""
        at = change.get("at") if isinstance(change, dict) else None
        if isinstance(at, int | float) and (self.panel_since is None or at > self.panel_since):
            self.panel_since = at
        self.refresh_panel()

    def refresh_panel(self) -> None:
        """As console.js's refresher: one fetch at a time, at most two a second, and one
        more after a fetch when something changed meanwhile."""
        if self.panel_busy:
            self.panel_again = True
            return
        self.panel_busy = True
        self.panel_task = asyncio.ensure_future(self.fetch_panel())

    async def fetch_panel(self) -> None:
        assert self.panel_http is not None
        started = time.perf_counter()
        try:
            number = self.step_number
            url = self.panel_url
            if self.panel_since is not None:
                url += ("&" if "?" in url else "?") + f"since={self.panel_since}"
            async with self.panel_http.get(url) as response:
                html = await response.text()
                if response.status != 200:
                    self.fig.error(f"live panel: HTTP {response.status}")
                else:
                    fetched = time.perf_counter()
                    self.fig.panel_ms.append((fetched - started) * 1000)
                    if found := ANSWERED.search(html):
                        count = int(found.group(1))
                        self.panel_counts.setdefault(number, []).append((fetched, count))
        except Exception as error:
            self.fig.error(f"live panel: {describe(error)}")
        await asyncio.sleep(max(0.0, PANEL_GAP_S - (time.perf_counter() - started)))
        self.panel_busy = False
        if self.panel_again and not self.closing:
            self.panel_again = False
            self.refresh_panel()

    def console_latency(self) -> None:
        """For the k-th person to have an answer to a step acknowledged: the time until a
        fetched live panel first says at least k answered (0 when one said so before the
        person's page did: the answer is committed before its redirect is sent)."""
        for number, acks in self.first_acks.items():
            counts = self.panel_counts.get(number, [])
            for k, acked in enumerate(sorted(acks), 1):
                shown = next((at for at, count in counts if count >= k), None)
                if shown is None:
                    self.fig.console_not_shown += 1
                else:
                    self.fig.console_shown_ms.append(max(0.0, shown - acked) * 1000)

    async def command(self, console: socketio.AsyncClient, command: str, number: int) -> None:
        """Press a command; wait (bounded) until every connected participant has the step."""
        started = time.perf_counter()
        message = {"round": self.fixture.round_id, "command": command}
        try:
            reply = await console.call("command", message, namespace=FACILITATORS, timeout=30)
        except Exception as error:
            self.fig.error(f"command {command}: {describe(error)}")
            return
        if not (isinstance(reply, dict) and reply.get("ok")):
            self.fig.error(f"command {command}: refused")
            return
        self.step_number = number
        if command == "end":
            return
        connected = [p for p in self.people if p.socket is not None]
        deadline = started + self.args.step_timeout
        while time.perf_counter() < deadline:
            if all(number in p.arrivals for p in connected):
                break
            await asyncio.sleep(0.01)
        for person in connected:
            if number in person.arrivals:
                self.fig.fanout_ms.append((person.arrivals[number] - started) * 1000)

    # -- connect/disconnect cycles

    async def cycles(self, servers: list[Server]) -> None:
        """Connect and disconnect participant sockets in batches; RSS after warm-up and end."""
        args, fig = self.args, self.fig
        joined = [p for p in self.people if p.token]
        if not joined:
            return
        done = 0
        while done < args.cycles:
            batch = [
                joined[(done + i) % len(joined)] for i in range(min(args.batch, args.cycles - done))
            ]
            await asyncio.gather(*(self.cycle(person) for person in batch))
            done += len(batch)
            fig.cycles = done
            if done >= args.warmup or done == args.cycles:
                await asyncio.sleep(0.2)
                fig.cycle_rss_mb.append((done, rss_mb(servers)))
        await asyncio.sleep(2)  # let the server finish the last disconnects
        fig.cycle_rss_mb.append((done, rss_mb(servers)))
        warm = next(rss for count, rss in fig.cycle_rss_mb if count >= args.warmup)
        fig.cycle_growth_pct = (fig.cycle_rss_mb[-1][1] - warm) / warm * 100

    async def cycle(self, person: Person) -> None:
        told = asyncio.Event()
        client = await self.connect_socket(person, lambda _data: told.set(), "cycle")
        if client is None:
            return
        try:
            await asyncio.wait_for(told.wait(), self.args.request_timeout)
        except TimeoutError:
            self.fig.error("cycle: no round_state")
        try:
            await asyncio.wait_for(client.disconnect(), self.args.request_timeout)
        except Exception as error:
            self.fig.error(f"cycle disconnect: {describe(error)}")

    async def watch_lag(self) -> None:
        """This process's own event-loop lag: when it is long, the clients, not the server,
        are late (to read, and to answer the server's pings)."""
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.25)
            lag = time.perf_counter() - before - 0.25
            self.fig.client_lag_max_s = max(self.fig.client_lag_max_s, lag)

    async def close(self) -> None:
        self.closing = True
        await asyncio.gather(
            *(
                asyncio.wait_for(p.socket.disconnect(), 10)
                for p in self.people
                if p.socket is not None
            ),
            return_exceptions=True,
        )
        for person in self.people:
            if person.http is not None:
                await person.http.close()
        if self.panel_task is not None:
            self.panel_task.cancel()
        if self.panel_http is not None:
            await self.panel_http.close()
        await self.connector.close()


# ---------------------------------------------------------------- the run


async def run(
    args: argparse.Namespace,
    fixture: Fixture,
    servers: list[Server],
    ports: list[int],
    fig: Figures,
) -> None:
    bases = [f"http://{HOST}:{port}" for port in ports]
    load = Load(args, fixture, bases, fig)
    console = None
    cpu = cpu_seconds(servers)
    lag = asyncio.ensure_future(load.watch_lag())
    try:
        fig.rss_mb["start"] = rss_mb(servers)
        console = await load.open_console()
        print(f"{args.n} participants join ...", flush=True)
        started = time.perf_counter()
        await asyncio.gather(*(load.join(p) for p in load.people))
        fig.join_s = time.perf_counter() - started
        print(f"  {fig.join_s:.1f} s; errors so far {sum(fig.errors.values())}", flush=True)
        fig.joined = sum(1 for p in load.people if p.socket is not None)
        fig.rss_mb["after joins"] = rss_mb(servers)
        gc.collect()
        gc.freeze()  # the clients' long-lived objects: keep later collections short
        present = [p for p in load.people if p.socket is not None]
        if not args.no_workshop:
            await workshop(args, load, console, present, fixture)
        fig.rss_mb["after the round"] = rss_mb(servers)
        if args.cycles:
            print(f"{args.cycles} connect/disconnect cycles ...", flush=True)
            await load.cycles(servers)
        fig.presence_expected = sum(1 for p in load.people if p.socket and p.socket.connected)
        fig.presence_rows = count_presence(fixture)
        await load.command(console, "end", 0)
        fig.rss_mb["end"] = rss_mb(servers)
        # The last panel fetch (up to a second after the last event), then the app's CPU
        # file, which it writes every 2 s.
        await asyncio.sleep(4.5)
        load.console_latency()
    finally:
        lag.cancel()
        load.closing = True
        fig.server_cpu_s = cpu_seconds(servers) - cpu
        if console is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(console.disconnect(), 10)
        await load.close()
    count_stored(fixture, load.people, fig)


async def workshop(
    args: argparse.Namespace,
    load: Load,
    console: socketio.AsyncClient,
    present: list[Person],
    fixture: Fixture,
) -> None:
    """Start, then Next through every step; at each, everyone answers after thinking."""
    steps = fixture.steps
    for index, step in enumerate(steps):
        number = index + 1
        print(f"  step {number}/{len(steps)}: {step.id} ({step.type})", flush=True)
        started = time.perf_counter()
        await load.command(console, "start" if index == 0 else "next", number)
        tasks = [asyncio.ensure_future(load.answer(p, step, number)) for p in present]
        # Each person's requests have their own timeouts; cutting one short mid-request would
        # leave an answer stored but never acknowledged. This bound is only a backstop.
        done, pending = await asyncio.wait(tasks, timeout=args.step_timeout * 5)
        for task in pending:
            task.cancel()
            load.fig.error("answer: step did not finish in time")
        for task in done:
            if task.exception() is not None:
                load.fig.error(f"answer: {describe(task.exception())}")
        # The facilitator moves on once the panel says everyone has answered (bounded).
        wanted = len(load.first_acks.get(number, []))
        deadline = time.perf_counter() + 10
        while wanted and time.perf_counter() < deadline:
            if any(count >= wanted for _, count in load.panel_counts.get(number, [])):
                break
            await asyncio.sleep(0.05)
        load.fig.step_s.append(time.perf_counter() - started)
        got = sum(1 for p in present if number in p.arrivals)
        print(
            f"    {len(present)} people, {got} told the step; done in "
            f"{load.fig.step_s[-1]:.1f} s; errors so far {sum(load.fig.errors.values())}; "
            f"client lag max {load.fig.client_lag_max_s:.1f} s",
            flush=True,
        )
        for kind, count in load.fig.errors.most_common(3):
            print(f"      {count:>6}  {kind}", flush=True)


def count_presence(fixture: Fixture) -> int:
    from sqlalchemy import create_engine, func, select

    from workshop.store.models import Presence

    engine = create_engine(fixture.database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(Presence)).scalar_one()
    finally:
        engine.dispose()


def count_stored(fixture: Fixture, people: list[Person], fig: Figures) -> None:
    """What the database holds, against what each person was told was saved."""
    from sqlalchemy import create_engine
    from sqlmodel import Session, select

    from workshop.store.models import Actor, ActorRating, Answer, Participant, Tie

    by_type = {s.id: s.type for s in fixture.steps}
    for person in people:
        fig.acknowledged["answers"] += len(person.values)
        fig.acknowledged["names"] += sum(len(v) for v in person.names.values())
        fig.acknowledged["ties"] += len(person.ties)
        fig.acknowledged["placements"] += sum(len(v) for v in person.placed.values())
    engine = create_engine(fixture.database_url)
    try:
        with Session(engine) as db:
            ids = {p.token: p.id for p in db.exec(select(Participant))}
            owner = {ids.get(p.token): p for p in people if p.token}
            answers = db.exec(select(Answer).where(Answer.round_id == fixture.round_id)).all()
            ties = db.exec(select(Tie).where(Tie.round_id == fixture.round_id)).all()
            ratings = db.exec(
                select(ActorRating).where(ActorRating.round_id == fixture.round_id)
            ).all()
            fig.actors = len(
                db.exec(select(Actor.id).where(Actor.round_id == fixture.round_id)).all()
            )
    finally:
        engine.dispose()
    fig.ties = len(ties)
    stored_ties: dict[int, set[tuple[int, int, str]]] = {}
    for tie in ties:
        stored_ties.setdefault(tie.added_by, set()).add((tie.source_id, tie.target_id, tie.kind))
    stored_placed: dict[tuple[int, str], dict[int, str]] = {}
    for rating in ratings:
        stored_placed.setdefault((rating.participant_id, rating.step_id), {})[rating.actor_id] = (
            str(rating.value)
        )
    for answer in answers:
        person = owner.get(answer.participant_id)
        kind = by_type.get(answer.step_id, "")
        if kind == "name-actors":
            labels = [item["label"] for item in answer.value or []]
            fig.stored["names"] += len(labels)
            if person is None or sorted(labels) != sorted(person.names.get(answer.step_id, [])):
                fig.mismatches += 1
        elif kind == "connect-actors":
            pass  # counted from the ties themselves below
        elif kind in ("rate-actors", "sort-actors"):
            placed = stored_placed.get((answer.participant_id, answer.step_id), {})
            fig.stored["placements"] += len(placed)
            if person is None or placed != person.placed.get(answer.step_id):
                fig.mismatches += 1
        else:
            fig.stored["answers"] += 1
            sent = person.values.get(answer.step_id) if person else None
            value = answer.value
            same = (
                sorted(map(str, value)) == sorted(map(str, sent))
                if isinstance(value, list) and isinstance(sent, list)
                else str(value) == str(sent)
            )
            if not same:
                fig.mismatches += 1
    for participant_id, person in owner.items():
        mine = stored_ties.pop(participant_id, set())
        fig.stored["ties"] += len(mine)
        if mine != person.ties:
            fig.mismatches += 1
    fig.stored["ties"] += sum(len(v) for v in stored_ties.values())  # nobody's: a mismatch
    fig.mismatches += len(stored_ties)
    if fig.mismatches:
        fig.errors["stored answer differs from the one acknowledged"] += fig.mismatches


# ---------------------------------------------------------------- report


def fmt(value: float, digits: int = 1) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def verdict(ok: bool) -> str:
    return "pass" if ok else "FAIL"


def report(fig: Figures, args: argparse.Namespace) -> dict[str, Any]:
    """Print the figures; return them (with the budget checks) for the JSON file."""

    def line(values: list[float]) -> str:
        return (
            f"p50 {fmt(percentile(values, 50))} ms, p95 {fmt(percentile(values, 95))} ms, "
            f"max {fmt(max(values, default=math.nan))} ms (n={len(values)})"
        )

    n = fig.participants
    budgets: dict[str, bool] = {}
    print()
    print(
        f"load on {fig.database}, {fig.processes} process{'es' if fig.processes > 1 else ''}: "
        f"{n} participants, think {args.think[0]}-{args.think[1]} s, "
        f"{len(fig.step_s)} steps, {fig.cycles} socket cycles; wall {fmt(fig.wall_s)} s"
    )
    print(
        f"join:        {fig.joined}/{n} joined in {fmt(fig.join_s, 2)} s, "
        f"{fig.join_failures} failed; each {line(fig.join_ms)}"
    )
    if n >= 500:
        budgets["join_500_in_5_s"] = fig.join_s <= JOIN_BUDGET_S and fig.join_failures == 0
        print(
            f"             budget: 500 join in <= {JOIN_BUDGET_S:.0f} s, none fail: "
            f"{verdict(budgets['join_500_in_5_s'])}"
        )
    print(f"answer POST: {line(fig.answer_ms)}")
    print(f"page GET:    {line(fig.page_ms)}")
    print(f"step change: {line(fig.fanout_ms)}  (command -> each round_state)")
    if fig.fanout_ms:
        budgets["fanout_p95_200_ms"] = percentile(fig.fanout_ms, 95) <= FANOUT_BUDGET_MS
        print(
            f"             budget: p95 <= {FANOUT_BUDGET_MS:.0f} ms: "
            f"{verdict(budgets['fanout_p95_200_ms'])}"
        )
    print(f"console:     answer acknowledged -> live panel counts it: {line(fig.console_shown_ms)}")
    print(f"             each live-panel fetch: {line(fig.panel_ms)}")
    if fig.console_not_shown:
        print(f"             {fig.console_not_shown} answers never counted on a fetched panel")
    if fig.console_shown_ms:
        budgets["console_p95_1_s"] = percentile(fig.console_shown_ms, 95) <= CONSOLE_BUDGET_MS
        print(
            f"             budget: p95 <= {CONSOLE_BUDGET_MS:.0f} ms: "
            f"{verdict(budgets['console_p95_1_s'])}"
        )
    report_cpu(fig, budgets)
    if fig.step_s:
        print(
            "steps:       command to everyone done: "
            f"median {fmt(statistics.median(fig.step_s))} s, "
            f"max {fmt(max(fig.step_s))} s"
        )
    print(f"errors:      {sum(fig.errors.values())}")
    for kind, count in sorted(fig.errors.items()):
        print(f"             {count:>6}  {kind}")
    kinds = ("answers", "names", "ties", "placements")
    acked, stored = sum(fig.acknowledged.values()), sum(fig.stored.values())
    print(
        f"stored / acknowledged: {stored} / {acked} "
        f"({'equal' if stored == acked else 'NOT EQUAL'}): "
        + ", ".join(f"{k} {fig.stored[k]}/{fig.acknowledged[k]}" for k in kinds)
    )
    print(f"map at the end: {fig.actors} actors, {fig.ties} ties")
    print(
        "server RSS:  "
        + ", ".join(f"{k} {fmt(v)} MB" for k, v in fig.rss_mb.items())
        + f"; server CPU {fmt(fig.server_cpu_s)} s"
        + f"; client loop lag max {fmt(fig.client_lag_max_s)} s"
    )
    if fig.cycles:
        warm = next((r for c, r in fig.cycle_rss_mb if c >= args.warmup), math.nan)
        budgets["memory_growth_10_pct"] = fig.cycle_growth_pct <= MEMORY_BUDGET_PCT
        print(
            f"cycles:      {fig.cycles} connect/disconnect; RSS after {args.warmup} "
            f"{fmt(warm)} MB, at the end {fmt(fig.cycle_rss_mb[-1][1])} MB: growth "
            f"{fmt(fig.cycle_growth_pct, 2)}% (budget <= {MEMORY_BUDGET_PCT:.0f}%: "
            f"{verdict(budgets['memory_growth_10_pct'])})"
        )
        print(f"presence:    {fig.presence_rows} rows for {fig.presence_expected} open sockets")
    return budgets


def report_cpu(fig: Figures, budgets: dict[str, bool]) -> None:
    """Server CPU per page request by kind (the app's own accounting), and what is left."""
    kinds = fig.request_cpu_ms
    if not kinds:
        print("server CPU per request: not recorded")
        return
    print("server CPU per page request, by kind (ms of the request's own greenlet):")
    print(f"    {'count':>7} {'median':>7} {'p95':>7} {'total s':>8}  kind")
    for kind, values in sorted(kinds.items(), key=lambda kv: -sum(kv[1])):
        print(
            f"    {len(values):>7} {fmt(statistics.median(values), 2):>7} "
            f"{fmt(percentile(values, 95), 2):>7} {sum(values) / 1000:>8.1f}  {kind}"
        )
    participant = [
        v for kind, values in kinds.items() if PARTICIPANT_KIND.search(kind) for v in values
    ]
    attributed = sum(map(sum, kinds.values())) / 1000
    print(
        f"    all page requests {fmt(attributed)} s of server CPU {fmt(fig.server_cpu_s)} s; "
        "the rest is sockets, emits, the database driver's threads and start-up"
    )
    if participant:
        median = statistics.median(participant)
        budgets["participant_cpu_median_3_ms"] = median <= CPU_BUDGET_MS
        print(
            f"    participant requests: median {fmt(median, 2)} ms (n={len(participant)}); "
            f"budget <= {CPU_BUDGET_MS:.0f} ms: {verdict(budgets['participant_cpu_median_3_ms'])}"
        )


def to_json(fig: Figures, budgets: dict[str, bool], args: argparse.Namespace) -> str:
    def clean(value: Any) -> Any:
        if isinstance(value, float):
            return None if math.isnan(value) else round(value, 3)
        if isinstance(value, dict):
            return {str(k): clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        return value

    def summary(values: list[float]) -> dict[str, float]:
        return {
            "n": len(values),
            "p50": percentile(values, 50),
            "p95": percentile(values, 95),
            "max": max(values, default=math.nan),
        }

    document = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "loadavg": os.getloadavg(),
        },
        "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "database": fig.database,
        "participants": fig.participants,
        "joined": fig.joined,
        "join_failures": fig.join_failures,
        "join_s": fig.join_s,
        "join_ms": summary(fig.join_ms),
        "answer_ms": summary(fig.answer_ms),
        "page_ms": summary(fig.page_ms),
        "fanout_ms": summary(fig.fanout_ms),
        "processes": fig.processes,
        "console_shown_ms": summary(fig.console_shown_ms),
        "console_not_shown": fig.console_not_shown,
        "panel_ms": summary(fig.panel_ms),
        "request_cpu_ms": {
            kind: {**summary(values), "total_s": sum(values) / 1000}
            for kind, values in fig.request_cpu_ms.items()
        },
        "step_s": fig.step_s,
        "errors": sum(fig.errors.values()),
        "errors_by_kind": dict(fig.errors),
        "acknowledged": sum(fig.acknowledged.values()),
        "stored": sum(fig.stored.values()),
        "acknowledged_by_kind": dict(fig.acknowledged),
        "stored_by_kind": dict(fig.stored),
        "map": {"actors": fig.actors, "ties": fig.ties},
        "rss_mb": fig.rss_mb,
        "server_cpu_s": fig.server_cpu_s,
        "client_lag_max_s": fig.client_lag_max_s,
        "cycles": fig.cycles,
        "cycle_rss_mb": fig.cycle_rss_mb,
        "cycle_growth_pct": fig.cycle_growth_pct,
        "presence_rows": fig.presence_rows,
        "presence_expected": fig.presence_expected,
        "budgets": budgets,
        "wall_s": fig.wall_s,
    }
    return json.dumps(clean(document), indent=2)


# ---------------------------------------------------------------- main


@contextlib.contextmanager
def fixture_for(args: argparse.Namespace, workdir: Path) -> Iterator[Fixture]:
    fixture = make_fixture(workdir, args.database)
    try:
        yield fixture
    finally:
        if fixture.dropped:
            drop_postgres(fixture.dropped)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", "-n", dest="n", type=int, default=500)
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=[1.0, 5.0],
        metavar=("MIN", "MAX"),
        help="seconds each person thinks before answering (uniform)",
    )
    parser.add_argument(
        "--people",
        action="store_true",
        help="think 5-30 s, as people in a real room do (the same as --think 5 30)",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="app processes (gunicorn, gevent) sharing Redis; more than 1 needs postgres",
    )
    parser.add_argument(
        "--no-cpu-by-kind",
        action="store_true",
        help="leave the app's per-request CPU accounting off (to see what it costs)",
    )
    parser.add_argument("--cycles", type=int, default=2000, help="socket connect/disconnects")
    parser.add_argument("--batch", type=int, default=50, help="cycles at once")
    parser.add_argument("--warmup", type=int, default=200, help="cycles before the first RSS")
    parser.add_argument("--no-workshop", action="store_true", help="join, then only cycles")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--concurrency", type=int, default=100, help="HTTP requests in flight")
    parser.add_argument("--request-timeout", type=float, default=30.0)
    parser.add_argument("--step-timeout", type=float, default=60.0)
    parser.add_argument("--limit", type=float, default=1800.0, help="seconds for the whole run")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "load.json")
    args = parser.parse_args(argv)
    if args.people:
        args.think = [5.0, 30.0]
    if not 1 <= args.processes <= 8:
        parser.error("--processes must be 1 to 8")
    if args.processes > 1 and args.database != "postgres":
        parser.error("--processes above 1 needs --database postgres (SQLite is one process's)")
    if not 2 <= args.n <= 2000:
        parser.error("--participants must be 2 to 2000")
    if not 0 <= args.think[0] <= args.think[1] <= 60:
        parser.error("--think needs 0 <= MIN <= MAX <= 60")
    if args.cycles and not 1 <= args.warmup < args.cycles:
        parser.error("--warmup must be at least 1 and fewer than --cycles")
    if not 0 <= args.cycles <= 100_000 or not 1 <= args.batch <= 500:
        parser.error("--cycles must be 0 to 100000 and --batch 1 to 500")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    load = os.getloadavg()[0]
    print(f"load average {load:.2f} on {os.cpu_count()} CPUs at the start", flush=True)
    fig = Figures(participants=args.n, database=args.database, processes=args.processes)
    started = time.perf_counter()
    with (
        servers_killed_on_exit(),
        tempfile.TemporaryDirectory(prefix="load-") as tmp,
        fixture_for(args, Path(tmp)) as fixture,
    ):
        workdir = Path(tmp)
        ports = [free_port() for _ in range(args.processes)]
        if args.processes == 1:
            servers = [serve(fixture, ports[0], workdir, not args.no_cpu_by_kind)]
        else:
            queue_port = free_port()
            redis_server(queue_port, workdir).start(queue_port)
            queue = f"redis://{HOST}:{queue_port}/0"
            servers = [
                gunicorn(fixture, port, workdir, queue, number, not args.no_cpu_by_kind)
                for number, port in enumerate(ports, 1)
            ]
        try:
            for server, port in zip(servers, ports, strict=True):
                server.start(port)
            wait_answering(servers, ports)
            asyncio.run(asyncio.wait_for(run(args, fixture, servers, ports, fig), args.limit))
        except (TimeoutError, RuntimeError) as error:
            fig.error(f"run: {describe(error)}: {str(error)[:200]}")
            for server in servers:
                print(server.tail(), file=sys.stderr)
        finally:
            fig.request_cpu_ms = request_cpu(workdir)
            Server.stop_all()
    fig.wall_s = time.perf_counter() - started
    budgets = report(fig, args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(to_json(fig, budgets, args) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    failed = sum(fig.errors.values()) > 0 or sum(fig.stored.values()) != sum(
        fig.acknowledged.values()
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
