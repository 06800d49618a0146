"""Publish round changes to connected browsers; the only module that emits."""

from __future__ import annotations

import time
from typing import Any

from flask import current_app
from flask_socketio import emit

from questionnaires.schema import Questionnaire
from workshop.store.models import Round

PARTICIPANTS = "/participant"  # the socket namespaces
FACILITATORS = "/facilitator"


class Event:
    """What browsers hear, by the names static/js/ listens for (plain strings on the wire)."""

    ROUND_STATE = "round_state"  # the round moved: its status or open step
    CONSOLE_CHANGED = "console_changed"  # presence, answers or help changed: refresh
    MAP_DELTA = "map_delta"  # what changed on the map, small
    MAP_HIDDEN = "map_hidden"  # participants no longer see the map
    MEASURES_CHANGED = "measures_changed"  # participants' maps show or hide the measures
    MEASURES_READY = "measures_ready"  # new measures of the map are worked out: refresh
    HELP_HANDLED = "help_handled"  # a facilitator has seen this person's request
    RESULTS_CHANGED = "results_changed"  # what the group's answers show changed
    REMOVED = "removed"  # this person was taken out of the round


def participants_room(round_id: int) -> str:
    """The room every participant socket of a round is in."""
    return f"round:{round_id}"


def console_room(round_id: int) -> str:
    """The room of a round's facilitator consoles."""
    return f"console:{round_id}"


def state_payload(round_: Round, questionnaire: Questionnaire) -> dict[str, Any]:
    """What a participant's browser needs to know that the round moved."""
    step = questionnaire.steps[round_.step_index]
    return {
        "status": round_.status,
        "step_id": step.id,
        "step_number": round_.step_index + 1,
        "step_count": round_.step_count,
        # What participants are told: questions are counted among questions only.
        "question_number": questionnaire.question_number(step.id),
        "question_count": questionnaire.question_count,
        "title": step.title,
        "sent_at": time.time(),
    }


def round_state(round_: Round, questionnaire: Questionnaire) -> None:
    """Tell participants and consoles the round's status or step changed."""
    payload = state_payload(round_, questionnaire)
    socketio = current_app.extensions["socketio"]
    socketio.emit(
        Event.ROUND_STATE, payload, to=participants_room(round_.id), namespace=PARTICIPANTS
    )
    # Consoles ask for a live panel made after this moment (see console_changed).
    told = {**payload, "at": time.time()}
    socketio.emit(Event.ROUND_STATE, told, to=console_room(round_.id), namespace=FACILITATORS)


def round_state_to_sender(round_: Round, questionnaire: Questionnaire) -> None:
    """Tell the socket whose event is being handled where the round is (as it connects)."""
    emit(Event.ROUND_STATE, state_payload(round_, questionnaire))


def console_changed(round_id: int, reason: str) -> None:
    """Tell consoles that presence or answers changed, so they refresh their live panel."""
    current_app.extensions["socketio"].emit(
        Event.CONSOLE_CHANGED,
        {"reason": reason, "at": time.time()},  # consoles ask for a panel made after it
        to=console_room(round_id),
        namespace=FACILITATORS,
    )


def map_room(round_id: int) -> str:
    """The room of every open map of a round, consoles' and participants' alike."""
    return f"map:{round_id}"


def map_watched(round_id: int) -> bool:
    """Whether any open map may be listening to this round's changes.

    One process knows its own sockets; with a shared message queue, another process's
    may listen, so then the answer is always yes."""
    if current_app.config.get("SOCKETIO_MESSAGE_QUEUE"):
        return True
    manager = current_app.extensions["socketio"].server.manager
    room = map_room(round_id)
    return any(
        next(iter(manager.get_participants(namespace, room)), None) is not None
        for namespace in (PARTICIPANTS, FACILITATORS)
    )


def map_delta(round_id: int, change: dict[str, Any]) -> None:
    """Send open maps what changed: added, changed and removed actors and ties."""
    socketio = current_app.extensions["socketio"]
    change = {**change, "sent_at": time.time()}
    for namespace in (PARTICIPANTS, FACILITATORS):
        socketio.emit(Event.MAP_DELTA, change, to=map_room(round_id), namespace=namespace)


def stop_participant_maps(round_id: int) -> None:
    """The map is no longer shown to participants: their open maps stop hearing changes."""
    socketio = current_app.extensions["socketio"]
    socketio.emit(Event.MAP_HIDDEN, {}, to=map_room(round_id), namespace=PARTICIPANTS)
    socketio.close_room(map_room(round_id), namespace=PARTICIPANTS)


def measures_changed(round_id: int) -> None:
    """The measures were shown to participants, or hidden: their open maps fetch the words."""
    current_app.extensions["socketio"].emit(
        Event.MEASURES_CHANGED, {}, to=map_room(round_id), namespace=PARTICIPANTS
    )


def measures_ready(round_id: int) -> None:
    """New measures of the map are worked out: open maps fetch their words again (with the
    refresh a change starts, at most every few seconds)."""
    socketio = current_app.extensions["socketio"]
    for namespace in (PARTICIPANTS, FACILITATORS):
        socketio.emit(Event.MEASURES_READY, {}, to=map_room(round_id), namespace=namespace)


def person_room(participant_id: int) -> str:
    """The room of one participant's own open pages."""
    return f"person:{participant_id}"


def help_handled(participant_id: int) -> None:
    """Tell a participant's open pages that a facilitator has seen their request."""
    current_app.extensions["socketio"].emit(
        Event.HELP_HANDLED, {}, to=person_room(participant_id), namespace=PARTICIPANTS
    )


def results_changed(round_id: int) -> None:
    """Tell participants' pages that what the group's answers show has changed."""
    current_app.extensions["socketio"].emit(
        Event.RESULTS_CHANGED, {}, to=participants_room(round_id), namespace=PARTICIPANTS
    )


def participant_removed(participant_id: int) -> None:
    """Tell a removed participant's open pages, which then show that they are out."""
    current_app.extensions["socketio"].emit(
        Event.REMOVED, {}, to=person_room(participant_id), namespace=PARTICIPANTS
    )


def end_sockets(sids: list[str], namespace: str) -> None:
    """Close these live connections, in whichever process holds them (through the message
    queue): someone who loses access loses their open pages' updates at once. A browser
    that connects again is refused."""
    server = current_app.extensions["socketio"].server
    for sid in sids:
        server.disconnect(sid, namespace=namespace)
