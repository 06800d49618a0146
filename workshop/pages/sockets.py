"""Socket namespaces: each event checks who is asking before it touches a round."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_babel import gettext as _
from flask_socketio import ConnectionRefusedError, Namespace, join_room
from sqlalchemy import bindparam
from sqlmodel import delete, select

from facilitation import live_round as live
from facilitation.roles import Action
from workshop.realtime import publish
from workshop.rounds import lifecycle, people, team
from workshop.store.db import UNAVAILABLE, session_scope
from workshop.store.models import FacilitatorSocket, Participant, Presence, Removal, Round
from workshop.store.on_commit import on_commit
from workshop.web.accounts import signed_in_id
from workshop.web.converters import is_id, is_token
from workshop.web.wording import refusal_message

# A participant, their round and whether they were removed, in one query built once.
_BY_TOKEN = (
    select(Participant, Round, Removal)
    .join(Round, Round.id == Participant.round_id)
    .outerjoin(Removal, Removal.participant_id == Participant.id)
    .where(Participant.token == bindparam("token"))
)


class ParticipantNamespace(Namespace):
    """Participants only listen: they are told when the round moves."""

    def on_connect(self, auth: Any = None) -> None:
        token = auth.get("token") if isinstance(auth, dict) else None
        if not is_token(token):
            raise ConnectionRefusedError("unknown participant")
        try:
            self._connect(token)
        except ConnectionRefusedError:
            raise
        except Exception as error:
            # Flask-SocketIO retries a connect handler that raised TypeError without its
            # auth, which would hide the real fault as "unknown participant": log it here.
            _log_failure("participant connect failed", error)
            raise ConnectionRefusedError("server error") from error

    def _connect(self, token: str) -> None:
        with session_scope() as db:
            found = db.exec(_BY_TOKEN, params={"token": token}).first()
            if found is None or found[2] is not None:  # unknown, or removed
                raise ConnectionRefusedError("unknown participant")
            participant, round_, _removal = found
            join_room(publish.participants_room(round_.id))
            join_room(publish.person_room(participant.id))
            # A reconnecting browser learns at once where the round is now.
            publish.round_state_to_sender(round_, lifecycle.questionnaire_of(round_))
            db.add(Presence(sid=request.sid, participant_id=participant.id, round_id=round_.id))
            on_commit(db, publish.console_changed, round_.id, "presence")
            db.commit()
            people.presence_changed(round_.id)

    def on_watch_map(self, _data: Any = None) -> dict[str, Any]:
        """Receive the map's changes, while the map is shown to participants."""
        with session_scope() as db:
            presence = db.get(Presence, request.sid)
            round_ = db.get(Round, presence.round_id) if presence else None
            if round_ is None or not lifecycle.map_is_shown(db, round_):
                return {"ok": False}
            join_room(publish.map_room(round_.id))
            return {"ok": True}

    def on_disconnect(self, *_reason: Any) -> None:
        with session_scope() as db:
            presence = db.get(Presence, request.sid)
            if presence is None:
                return
            db.exec(delete(Presence).where(Presence.sid == request.sid))
            on_commit(db, publish.console_changed, presence.round_id, "presence")
            db.commit()
            people.presence_changed(presence.round_id)


class FacilitatorNamespace(Namespace):
    """Consoles: only signed-in facilitators connect, and only to rounds they lead or
    support; only the lead steers."""

    def on_connect(self, _auth: Any = None) -> None:
        facilitator_id = signed_in_id()
        if facilitator_id is None:
            raise ConnectionRefusedError("sign in first")
        with session_scope() as db:  # kept, so that losing access can end it (team.py)
            db.add(FacilitatorSocket(sid=request.sid, facilitator_id=facilitator_id))
            db.commit()

    def on_disconnect(self, *_reason: Any) -> None:
        with session_scope() as db:
            db.exec(delete(FacilitatorSocket).where(FacilitatorSocket.sid == request.sid))
            db.commit()

    def on_watch(self, data: Any = None) -> dict[str, Any]:
        """Start receiving a round's live changes."""
        with session_scope() as db:
            round_ = _owned(db, data)
            if round_ is None:
                return {"ok": False, "error": _("You cannot run this round.")}
            join_room(publish.console_room(round_.id))
            return {"ok": True}

    def on_watch_map(self, data: Any = None) -> dict[str, Any]:
        """Receive a round's map changes, as small deltas."""
        with session_scope() as db:
            round_ = _owned(db, data)
            if round_ is None:
                return {"ok": False, "error": _("You cannot run this round.")}
            join_room(publish.map_room(round_.id))
            return {"ok": True}

    def on_command(self, data: Any = None) -> dict[str, Any]:
        """Start, Next, Back, Pause, Resume or End a round: the lead's alone."""
        with session_scope() as db:
            round_ = _owned(db, data, Action.STEER)
            if round_ is None:
                return {"ok": False, "error": _("You cannot run this round.")}
            try:
                command = live.Command(data.get("command"))
            except ValueError:
                return {"ok": False, "error": _("That is not a command Roundtable knows.")}
            try:
                lifecycle.run_command(db, round_, command, by=signed_in_id())
            except live.CommandRefused as refused:
                return {"ok": False, "error": refusal_message(refused.reason)}
            return {"ok": True, "status": round_.status, "step_number": round_.step_index + 1}


def failed_event(error: Exception) -> dict[str, Any]:
    """Any event that fails (the database out of reach, say) answers {"ok": False}, and a
    connection is refused; the client tries again later. The server carries on."""
    _log_failure(f"socket event {request.event['message']!r} failed", error)
    if request.event["message"] == "connect":
        raise ConnectionRefusedError("try again later")
    return {"ok": False, "error": _("Sorry, that did not work. Please try again in a minute.")}


def _log_failure(what: str, error: Exception) -> None:
    """A database out of reach is one line in the log; anything else, its traceback."""
    if isinstance(error, UNAVAILABLE):
        current_app.logger.warning("%s: %s", what, str(error).strip().splitlines()[0][:300])
    else:
        current_app.logger.exception(what, exc_info=error)


def _owned(db, data: Any, action: Action = Action.VIEW) -> Round | None:
    round_id = data.get("round") if isinstance(data, dict) else None
    if not is_id(round_id):
        return None
    # signed_in_id() checks the sign-in on every event: a sign-out ends an open console too.
    return team.round_for(db, round_id, signed_in_id(), action)
