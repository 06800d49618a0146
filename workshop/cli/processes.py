"""`roundtable serve --processes N`: Redis, N gunicorn gevent processes and nginx in front."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import click

STOP_WAIT_S = 15.0  # each child's time to stop before it is killed
KEEP_ALIVE_S = 75  # seconds an app process keeps an idle connection open
START_WAIT_S = 90.0  # each app process's time to listen (the first may migrate the database)


def find_program(name: str, where: list[Path]) -> str:
    """The path of a program: on PATH, or in one of the usual places (nginx is in /usr/sbin)."""
    found = shutil.which(name)
    if found:
        return found
    for folder in where:
        if (folder / name).is_file():
            return str(folder / name)
    return ""


def port_free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


def answering(port: int) -> bool:
    """The app process answers a page: gunicorn listens before its worker has loaded the app."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/")
        return connection.getresponse().status < 500
    except OSError:
        return False
    finally:
        connection.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_config(host: str, port: int, backends: list[int], folder: Path) -> str:
    """nginx in front: pages go to the least busy process (any can serve them), while a
    browser's socket requests always reach the same process (long-polling needs that)."""
    servers = "".join(f"    server 127.0.0.1:{p};\n" for p in backends)
    # A location that sets any header inherits none from outside it: so each sets all.
    headers = """
      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;"""
    temp = "".join(
        f"  {kind}_temp_path {folder / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""# Written by `roundtable serve --processes`; gone when it stops.
worker_processes 1;
daemon off;
pid {folder / "nginx.pid"};
error_log stderr warn;
events {{ worker_connections 8192; }}
http {{
  access_log off;
{temp}  client_max_body_size 2m;  # the app refuses over 256 KB itself, with its own page
  upstream roundtable_pages {{
    least_conn;
{servers}    keepalive 64;
  }}
  upstream roundtable_sockets {{
    hash $binary_remote_addr consistent;
{servers}  }}
  map $http_upgrade $connection_upgrade {{ default upgrade; "" ""; }}
  server {{
    listen {host}:{port};
    location / {{{headers}
      proxy_set_header Connection "";
      proxy_pass http://roundtable_pages;
    }}
    location /socket.io/ {{{headers}
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_buffering off;
      proxy_read_timeout 1h;
      proxy_pass http://roundtable_sockets;
    }}
  }}
}}
"""


class Children:
    """The processes started so far, stopped last-started stage first (also on any error)."""

    def __init__(self) -> None:
        self.running: list[tuple[int, str, subprocess.Popen[bytes]]] = []
        self.stopping = False  # set by Ctrl+C or SIGTERM; the loops below look at it

    def start(self, stage: int, name: str, argv: list[str], env: dict[str, str]) -> None:
        process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL)
        self.running.append((stage, name, process))

    def exited(self) -> str:
        """The name of a child that has exited by itself, or ''."""
        return next((name for _s, name, p in self.running if p.poll() is not None), "")

    def stop(self) -> None:
        """nginx first (no new requests), then the app processes together, then Redis."""
        for stage in sorted({s for s, _n, _p in self.running}, reverse=True):
            group = [p for s, _n, p in self.running if s == stage]
            for process in group:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in group:
                try:
                    process.wait(timeout=STOP_WAIT_S)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=5)
        self.running.clear()


def wait_ready(
    children: Children, port: int, timeout: float, ready: Callable[[int], bool] = listening
) -> None:
    deadline = time.monotonic() + timeout
    while not ready(port) and not children.stopping:
        if name := children.exited():
            raise click.ClickException(f"{name} stopped while starting; see its messages above.")
        if time.monotonic() > deadline:
            raise click.ClickException(f"Nothing listened on port {port} within {timeout:.0f} s.")
        time.sleep(0.2)


def check(database_url: str, host: str, port: int, processes: int) -> tuple[str, str]:
    """Refuse, with what to do, whatever would keep the processes from starting: returns the
    nginx and redis-server programs ('' for Redis when ROUNDTABLE_MESSAGE_QUEUE is set)."""
    if not database_url.startswith("postgresql"):
        raise click.UsageError(
            "Several processes need a PostgreSQL database: set DATABASE_URL, e.g. "
            "DATABASE_URL=postgresql+psycopg://roundtable@localhost/roundtable"
        )
    sbin = [Path("/usr/sbin"), Path("/usr/local/sbin")]
    nginx = find_program("nginx", sbin)
    if not nginx:
        raise click.UsageError("Several processes need nginx in front: apt-get install nginx")
    redis = ""
    if not os.environ.get("ROUNDTABLE_MESSAGE_QUEUE"):
        redis = find_program("redis-server", [Path("/usr/bin"), *sbin])
        if not redis:
            raise click.UsageError(
                "Several processes need Redis: apt-get install redis-server, or set "
                "ROUNDTABLE_MESSAGE_QUEUE to one you run"
            )
    taken = [p for p in range(port, port + processes + 1) if not port_free(host, p)]
    if taken:
        raise click.UsageError(
            f"Ports {port} to {port + processes} must be free (nginx, then one per process); "
            f"{', '.join(map(str, taken))} in use. Choose another --port."
        )
    return nginx, redis


def serve_processes(database_url: str, host: str, port: int, processes: int) -> None:
    """Start Redis (unless given), the app processes and nginx; stop them all on Ctrl+C."""
    nginx, redis = check(database_url, host, port, processes)
    backends = [port + 1 + i for i in range(processes)]
    folder = Path(tempfile.mkdtemp(prefix="roundtable-processes-"))
    folder.chmod(0o755)  # nginx's workers may run as another user (nobody, when root)
    env = {**os.environ, "DATABASE_URL": database_url}
    # One more proxy in front: each person's own address still counts for the limits.
    env["ROUNDTABLE_PROXIES"] = str(int(env.get("ROUNDTABLE_PROXIES") or 0) + 1)
    children = Children()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        # Only a flag: an exception raised here could land in gevent's hub instead.
        children.stopping = True

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        if redis:
            redis_port = free_port()
            argv = [redis, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""]
            argv += ["--appendonly", "no", "--dir", str(folder)]
            children.start(1, "redis-server", argv, env)
            wait_ready(children, redis_port, 10)
            env["ROUNDTABLE_MESSAGE_QUEUE"] = f"redis://127.0.0.1:{redis_port}/0"
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        for number, backend in enumerate(backends, 1):
            argv = [gunicorn, "--worker-class", "gevent", "--workers", "1", "--bind"]
            argv += [f"127.0.0.1:{backend}", "--graceful-timeout", "5", "--no-control-socket"]
            # Longer than nginx keeps an idle connection (60 s): with gunicorn's 2 s, a
            # request nginx sends on a connection gunicorn is just closing fails.
            argv += ["--keep-alive", str(KEEP_ALIVE_S)]
            children.start(2, f"app process {number}", [*argv, "workshop.wsgi:app"], env)
        for backend in backends:
            wait_ready(children, backend, START_WAIT_S, answering)
        config = folder / "nginx.conf"
        config.write_text(nginx_config(host, port, backends, folder), encoding="utf-8")
        if not children.stopping:
            children.start(3, "nginx", [nginx, "-p", str(folder), "-c", str(config)], env)
            wait_ready(children, port, 10)
        if not children.stopping:
            click.echo(
                f"Roundtable is running at http://{host}:{port}/ with {processes} processes "
                f"(on ports {backends[0]} to {backends[-1]}) (press Ctrl+C to stop)"
            )
        while not children.stopping:
            if name := children.exited():
                raise click.ClickException(f"{name} stopped; the others were stopped too.")
            time.sleep(0.3)
        click.echo("Stopping ...")
    finally:
        # A second Ctrl+C must not leave children behind: the flag only, until all stop.
        children.stop()
        shutil.rmtree(folder, ignore_errors=True)
        for s, handler in previous.items():
            signal.signal(s, handler)
