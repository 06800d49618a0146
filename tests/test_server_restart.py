"""kill -9 the real server mid-round: nothing acknowledged is lost, clients rejoin the same step."""

import re
import signal
import threading

import requests
import socketio

from tests.browser import free_port, served_app
from tests.conftest import PASSWORD, command, join, make_app, make_setup, sign_in


class Listener:
    """A real python-socketio participant client that records every round_state it gets."""

    def __init__(self, url: str, token: str) -> None:
        self.states: list[dict] = []
        self.changed = threading.Condition()
        self.client = socketio.Client(reconnection_delay=0.2, reconnection_delay_max=0.5)
        self.client.on("round_state", self._got, namespace="/participant")
        self.client.connect(
            url, namespaces=["/participant"], auth={"token": token}, transports=["websocket"]
        )

    def _got(self, state: dict) -> None:
        with self.changed:
            self.states.append(state)
            self.changed.notify_all()

    def wait_for(self, count: int, timeout: float = 15.0) -> dict:
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.states) >= count, timeout), self.states
            return self.states[count - 1]


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_killed_server_loses_no_answer_and_clients_rejoin_the_same_step(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'roundtable.db'}"
    app = make_app(database_url)
    setup = make_setup(app, questionnaire="network-layers")
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    page = join(app.test_client(), setup, "Amira")
    command(facilitator, setup, "start")
    command(facilitator, setup, "next")
    app.extensions["roundtable.engine"].dispose()

    port = free_port()
    log = tmp_path / "server.log"
    with served_app(database_url, log, port=port) as first:
        listener = Listener(first.url, page.rsplit("/", 1)[1])
        assert listener.wait_for(1)["step_number"] == 2
        phone = requests.Session()
        token = csrf(phone.get(first.url + page, timeout=5).text)
        saved = phone.post(
            f"{first.url}{page}/steps/joining-from",
            data={"answer": "online-at-home", "csrf_token": token},
            allow_redirects=False,
            timeout=5,
        )
        assert saved.status_code == 302  # acknowledged: the next page says "saved"
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=5)

    with served_app(database_url, log, port=port) as second:
        rejoined = listener.wait_for(2)  # the client reconnects by itself
        assert (rejoined["status"], rejoined["step_number"]) == ("running", 2)
        html = phone.get(second.url + page, timeout=5).text
        assert "Online, from home" in html
        laptop = requests.Session()
        laptop.post(
            second.url + "/sign-in",
            data={
                "email": setup.email,
                "password": PASSWORD,
                "csrf_token": csrf(laptop.get(second.url + "/sign-in", timeout=5).text),
            },
            timeout=5,
        )
        laptop.post(
            f"{second.url}/rounds/{setup.round_id}/command",
            data={"command": "next", "csrf_token": csrf(laptop.get(second.url, timeout=5).text)},
            timeout=5,
        )
        assert listener.wait_for(3)["step_number"] == 3
        listener.client.disconnect()
