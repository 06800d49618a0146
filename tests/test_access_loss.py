"""Whoever loses access loses their open live connections at once: a participant removed (even
with everything they gave deleted), a supporter taken off the team, a facilitator who signs
out. Real python-socketio clients against a served app."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests
import socketio
from sqlmodel import select

from tests.browser import Server, served_app
from tests.conftest import PASSWORD, join, make_app, make_setup
from tests.test_scale_out import post, signed_in
from workshop.store.db import session_scope
from workshop.store.models import Participant, Supporter
from workshop.web.accounts import create_facilitator

ALEX = "alex@example.org"


def participant(server: Server, page: str) -> socketio.Client:
    client = socketio.Client(reconnection=False)
    token = page.rsplit("/", 1)[1]
    client.connect(
        server.url, namespaces=["/participant"], auth={"token": token}, transports=["websocket"]
    )
    return client


def console_socket(server: Server, browser: requests.Session) -> socketio.Client:
    """A console's socket, signed in as the browser is."""
    client = socketio.Client(reconnection=False)
    client.connect(
        server.url,
        namespaces=["/facilitator"],
        headers={"Cookie": f"session={browser.cookies['session']}"},
        transports=["websocket"],
    )
    return client


def watch(client: socketio.Client, round_id: int) -> dict:
    return client.call("watch", {"round": round_id}, namespace="/facilitator", timeout=10)


def console(server: Server, browser: requests.Session, round_id: int) -> socketio.Client:
    """A console's socket, watching the round."""
    client = console_socket(server, browser)
    assert watch(client, round_id) == {"ok": True}
    return client


def ends(client: socketio.Client, seconds: float = 5.0) -> None:
    give_up = time.monotonic() + seconds
    while client.connected and time.monotonic() < give_up:
        time.sleep(0.05)
    assert not client.connected, "the live connection is still open"


def test_losing_access_ends_open_live_connections(tmp_path: Path) -> None:
    """Issue 17 (2): after a supporter was removed, a participant removed (even with
    "delete"), or a facilitator signed out everywhere, their open sockets kept receiving
    map_delta, round_state and console_changed."""
    database = f"sqlite:///{tmp_path / 'roundtable.db'}"
    app = make_app(database)
    setup = make_setup(app)
    with app.app_context(), session_scope() as db:
        alex = create_facilitator(db, ALEX, "Alex Lee", PASSWORD)
        db.add(
            Supporter(
                round_id=setup.round_id, facilitator_id=alex.id, invited_by=setup.facilitator_id
            )
        )
        db.commit()
        alex_id = alex.id
    amira_page = join(app.test_client(), setup, "Amira")
    bo_page = join(app.test_client(), setup, "Bo")
    with app.app_context(), session_scope() as db:
        amira_id = db.exec(select(Participant.id).where(Participant.display_name == "Amira")).one()
    app.extensions["roundtable.engine"].dispose()

    with served_app(database, tmp_path / "server.log") as server:
        sam, alex_browser = signed_in(server, setup.email), signed_in(server, ALEX)
        amira, bo = participant(server, amira_page), participant(server, bo_page)
        sam_console = console(server, sam, setup.round_id)
        alex_console = console(server, alex_browser, setup.round_id)

        # A participant removed, with everything they gave deleted.
        remove = f"{server.url}/rounds/{setup.round_id}/people/{amira_id}/remove"
        assert post(sam, remove, {"answers": "delete"}, remove).status_code == 302
        ends(amira)
        with pytest.raises(socketio.exceptions.ConnectionError):
            participant(server, amira_page)  # and a new one is refused
        assert bo.connected

        # A supporter taken off the team: their console no longer hears the round.
        team = f"{server.url}/rounds/{setup.round_id}/team"
        response = post(sam, f"{team}/{alex_id}/remove", {}, team)
        assert response.status_code == 302
        ends(alex_console)
        again = console_refused(server, alex_browser, setup.round_id)
        assert again == {"ok": False, "error": "You cannot run this round."}
        assert sam_console.connected

        # The lead signs out (everywhere): their console ends, and cannot come back.
        assert post(sam, f"{server.url}/sign-out", {}, f"{server.url}/projects").status_code == 302
        ends(sam_console)
        assert bo.connected
        bo.disconnect()
        assert "Traceback" not in server.log_tail(20_000)


def console_refused(server: Server, browser: requests.Session, round_id: int) -> dict:
    """What a console that connects again is told when it asks to watch the round."""
    client = console_socket(server, browser)
    try:
        return watch(client, round_id)
    finally:
        client.disconnect()
