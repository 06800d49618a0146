"""Generated payloads for every socket event and connection: never an exception, a refusal
or a valid answer, and no stored change unless the round's lead sent a valid command.

The events come from the namespaces' on_* methods, so a new event is fuzzed at once.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlmodel import SQLModel

from facilitation.live_round import Command, Status
from tests.conftest import sign_in
from tests.fuzz_world import World, build_world
from tests.invariants import invalid_rows
from workshop.pages.sockets import FacilitatorNamespace, ParticipantNamespace
from workshop.store.db import session_scope

NAMESPACES = {"/participant": ParticipantNamespace, "/facilitator": FacilitatorNamespace}
LIFECYCLE = {"connect", "disconnect"}
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))  # FUZZ_EXAMPLES=500 digs deeper
# Rows a socket's own coming and going writes: who is connected, and when.
VOLATILE = {"presence": None, "participant": {"last_seen_at"}}


def events_of(namespace: type) -> list[str]:
    return sorted(
        name[3:]
        for name in dir(namespace)
        if name.startswith("on_")
        and name[3:] not in LIFECYCLE
        and callable(getattr(namespace, name))
    )


EVENTS = [(path, event) for path, cls in NAMESPACES.items() for event in events_of(cls)]


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    return build_world(tmp_path_factory.mktemp("world"))


# --- payloads -------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([0, -1, 1, 2, 2**31, 2**63 - 1, 2**63, 10**30, -(2**64)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["", "\x00", "1", "start", "x" * 20_000, "名前"]),
)
json_like = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=20,
)


def round_payloads(round_id: int) -> st.SearchStrategy[dict]:
    """Payloads shaped like ours, with each value right or wrong."""
    rounds = st.sampled_from([round_id, round_id + 1, 0, -1, 2**63, str(round_id), float(round_id)])
    commands = st.one_of(st.sampled_from([c.value for c in Command]), scalars)
    return st.fixed_dictionaries(
        {"round": rounds}, optional={"command": commands, "extra": json_like}
    )


def payloads(round_id: int) -> st.SearchStrategy[Any]:
    return st.one_of(json_like, round_payloads(round_id))


# --- what may change ------------------------------------------------------------------------


def snapshot(app) -> dict[str, list]:
    """Every stored row, less what connecting and disconnecting write."""
    with app.app_context(), session_scope() as db:
        rows = {}
        for name, table in SQLModel.metadata.tables.items():
            if name in VOLATILE and VOLATILE[name] is None:
                continue
            skip = VOLATILE.get(name) or set()
            columns = [c for c in table.columns if c.name not in skip]
            result = db.connection().execute(select(*columns).order_by(*table.primary_key))
            rows[name] = [tuple(r) for r in result]
        return rows


def is_valid_command(payload: Any, round_id: int) -> bool:
    return (
        isinstance(payload, dict)
        and type(payload.get("round")) is int
        and payload["round"] == round_id
        and payload.get("command") in {c.value for c in Command}
    )


def check_answer(event: str, reply: Any) -> None:
    """A refusal (no answer, or ok False with words) or a valid answer."""
    if reply is None:
        return
    assert isinstance(reply, dict) and isinstance(reply.get("ok"), bool), reply
    if not reply["ok"]:
        assert reply.get("error") is None or (isinstance(reply["error"], str) and reply["error"])
    elif event == "command":
        assert reply["status"] in {s.value for s in Status}
        assert isinstance(reply["step_number"], int) and reply["step_number"] >= 1


# --- the properties -------------------------------------------------------------------------


def sockets(app, world: World):
    socketio = app.extensions["socketio"]
    lead = app.test_client()
    assert sign_in(lead, world.email).status_code == 302
    participant = socketio.test_client(
        app, namespace="/participant", auth={"token": world.participant_token}
    )
    console = socketio.test_client(app, namespace="/facilitator", flask_test_client=lead)
    assert participant.is_connected("/participant") and console.is_connected("/facilitator")
    return {"/participant": participant, "/facilitator": console}


def test_every_event_of_every_namespace_is_fuzzed():
    assert ("/facilitator", "command") in EVENTS
    assert ("/participant", "watch_map") in EVENTS
    names = {f"{path} {event}" for path, event in EVENTS}
    assert len(names) == len(EVENTS) >= 4


@pytest.mark.parametrize(("namespace", "event"), EVENTS)
def test_no_payload_breaks_an_event_or_changes_what_it_should_not(
    namespace: str, event: str, world: World, tmp_path: Path
):
    app = world.app(tmp_path)
    clients = sockets(app, world)
    round_id = world.ids["round_id"][0]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(payload=payloads(round_id))
    def emit(payload: Any):
        before = snapshot(app)
        reply = clients[namespace].emit(event, payload, namespace=namespace, callback=True)
        check_answer(event, reply)
        if snapshot(app) != before:
            assert namespace == "/facilitator" and is_valid_command(payload, round_id), payload
        assert invalid_rows(app) == []

    emit()


@pytest.mark.parametrize(("namespace", "event"), EVENTS)
def test_an_event_with_no_data_is_refused_and_logs_no_error(
    namespace: str, event: str, world: World, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    """Issue 17 (6): `watch` or `command` sent with no data at all raised TypeError, logged
    at ERROR with its traceback (the answer was still a refusal, so payload fuzzing passed)."""
    app = world.app(tmp_path)
    clients = sockets(app, world)
    with caplog.at_level(logging.WARNING):
        reply = clients[namespace].emit(event, namespace=namespace, callback=True)
    check_answer(event, reply)
    if namespace == "/facilitator":  # names no round: refused in words
        assert reply["ok"] is False and reply["error"] == "You cannot run this round."
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


@pytest.mark.parametrize("namespace", sorted(NAMESPACES))
def test_no_connect_payload_breaks_a_namespace(namespace: str, world: World, tmp_path: Path):
    app = world.app(tmp_path)
    socketio = app.extensions["socketio"]
    lead = app.test_client()
    assert sign_in(lead, world.email).status_code == 302
    real = {"token": world.participant_token}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        # A connect packet's payload is an object or nothing (a bare number would run into
        # the packet's id: python-socketio's own client cannot even encode one).
        auth=st.one_of(
            st.none(),
            st.dictionaries(st.text(max_size=10), json_like),
            st.lists(json_like, max_size=3),
            st.text(max_size=40),
            st.just(real),
            st.fixed_dictionaries({"token": json_like}),
        ),
        signed_in=st.booleans(),
    )
    def connect(auth: Any, signed_in: bool):
        before = snapshot(app)
        client = socketio.test_client(
            app,
            namespace=namespace,
            auth=auth,
            flask_test_client=lead if signed_in else app.test_client(),
        )
        connected = client.is_connected(namespace)
        if namespace == "/participant":
            assert connected == (auth == real)
        else:
            assert connected == signed_in
        if connected:
            client.disconnect(namespace)
        assert snapshot(app) == before

    connect()


def test_the_snapshot_sees_a_command(world: World, tmp_path: Path):
    """The no-change property is not vacuous: a valid command from the lead changes rows."""
    app = world.app(tmp_path)
    console = sockets(app, world)["/facilitator"]
    before = snapshot(app)
    payload = {"round": world.ids["round_id"][0], "command": "back"}
    assert console.emit("command", payload, namespace="/facilitator", callback=True)["ok"]
    assert snapshot(app) != before
