"""`roundtable serve --processes 2`: one address, two app processes, and Ctrl+C stops them all."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import socketio

from tests.browser import NODE_MODULES, ROOT, free_port
from tests.conftest import make_app, make_setup, new_postgres_database
from tests.redis_server import port_open, wait_until
from tests.test_scale_out import Listener, joined, post, signed_in

ROUNDTABLE = Path(sys.executable).parent / "roundtable"


def three_free_ports() -> int:
    """A port whose next two are free too (nginx, then one per app process)."""
    for _ in range(50):
        port = free_port()
        if port < 65530 and all(_free(p) for p in (port, port + 1, port + 2)):
            return port
    raise AssertionError("no three free ports in a row")


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def descendants(pid: int) -> set[int]:
    """Every process started under pid, from /proc (Linux)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split() if (task / "children").exists() else []
        for child in map(int, children):
            found |= {child} | descendants(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_two_processes_behind_one_address_share_a_round_and_stop_on_ctrl_c(tmp_path):
    with new_postgres_database() as database_url:
        app = make_app(database_url)  # the tables, and a round to join, made in-process
        setup = make_setup(app, email="lead@example.org", questionnaire="map-your-network")
        app.extensions["roundtable.engine"].dispose()
        port = three_free_ports()
        env = {**os.environ, "DATABASE_URL": database_url, "ROUNDTABLE_SECRET_KEY": "procs"}
        env["ROUNDTABLE_NODE_MODULES"] = str(NODE_MODULES)
        env.pop("ROUNDTABLE_MESSAGE_QUEUE", None)  # it starts a Redis of its own
        log = tmp_path / "serve.log"
        with log.open("wb") as out:
            command = subprocess.Popen(
                [str(ROUNDTABLE), "serve", "--processes", "2", "--port", str(port)],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, as a terminal gives it
            )
        listeners: list[Listener] = []
        try:
            wait_until(lambda: b"Roundtable is running" in log.read_bytes(), 120, "the start")
            proxy = SimpleNamespace(url=f"http://127.0.0.1:{port}")
            one, two = (f"http://127.0.0.1:{port + n}" for n in (1, 2))

            # A participant joins at the one address a browser knows.
            browser, page = joined(proxy, setup.join_token, "Amira")
            assert browser.get(proxy.url + page, timeout=10).status_code == 200
            token = page.rsplit("/", 1)[1]
            # Their socket on process two, and another through nginx by WebSocket ...
            listeners.append(Listener(two, "/participant", ["round_state"], auth={"token": token}))
            listeners.append(
                Listener(proxy.url, "/participant", ["round_state"], auth={"token": token})
            )
            # ... and one through nginx by long-polling, which must keep reaching one process.
            polling = socketio.Client(reconnection=False)
            polled: list[dict] = []
            polling.on("round_state", polled.append, namespace="/participant")
            polling.connect(
                proxy.url,
                namespaces=["/participant"],
                transports=["polling"],
                auth={"token": token},
            )
            # The facilitator steers through process one.
            facilitator = signed_in(SimpleNamespace(url=one), "lead@example.org")
            console_page = f"{one}/rounds/{setup.round_id}"
            assert post(facilitator, f"{console_page}/command", {"command": "start"}, console_page)
            assert post(facilitator, f"{console_page}/command", {"command": "next"}, console_page)
            for listener in listeners:
                state = listener.wait_for("round_state", lambda s: s.get("step_number") == 2)
                assert state["step_id"] == "face-to-face"
            wait_until(lambda: any(s.get("step_number") == 2 for s in polled), 15, "polling")
            polling.disconnect()

            # Ctrl+C, as a terminal sends it: to the whole process group.
            children = descendants(command.pid)
            assert len(children) >= 4, children  # Redis, two gunicorn masters, nginx
            for listener in listeners:
                listener.client.disconnect()
            listeners.clear()
            os.killpg(command.pid, signal.SIGINT)
            assert command.wait(timeout=60) == 0, log.read_text(errors="replace")[-3000:]
            wait_until(lambda: not any(alive(pid) for pid in children), 20, "every child to stop")
            assert not any(port_open(p) for p in (port, port + 1, port + 2))
        finally:
            for listener in listeners:
                listener.client.disconnect()
            if command.poll() is None:
                os.killpg(command.pid, signal.SIGKILL)
                command.wait(timeout=10)


def test_several_processes_refuse_sqlite_and_say_what_to_set(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'one.db'}"}
    done = subprocess.run(
        [str(ROUNDTABLE), "serve", "--processes", "2", "--port", str(free_port())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "need a PostgreSQL database: set DATABASE_URL" in done.stderr
