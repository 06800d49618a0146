"""Finding the participant a link belongs to, for every audience's pages."""

from __future__ import annotations

from flask import abort, make_response, render_template, request
from sqlalchemy import bindparam
from sqlmodel import select

from workshop.rounds import help, people, self_paced
from workshop.store import lookup
from workshop.store.db import db
from workshop.store.models import (
    HelpRequest,
    MapDisplay,
    Participant,
    Removal,
    Round,
    SelfPaced,
    StepTimer,
)
from workshop.web.converters import is_token


def participant_by_token(token: str) -> Participant | None:
    """The participant this link belongs to, or None (removed people included)."""
    if not is_token(token):  # e.g. a stale value from the session cookie
        return None
    return db().exec(_BY_TOKEN, params={"token": token}).first()


# Built once: every participant request asks one of these, and building a statement (and its
# cache key) cost about as much as running it.
_BY_TOKEN = select(Participant).where(Participant.token == bindparam("token"))


def participant_in_round(token: str) -> tuple[Participant, Round]:
    """The participant with this token and their round; 404 for an unknown token, and a
    plain page saying so for someone removed from their round.

    One query brings the round's rows every participant page reads (whether it is self-paced,
    what of the map is shown, the time guide), the person's newest help request and whether
    they were removed: later asks for them are answered from the database session, not the
    database."""
    found = _visit(token)
    if found is None:
        abort(404)
    participant, round_ = found
    self_paced.close_if_due(db(), round_)
    if people.is_removed(db(), participant.id):
        page = render_template("participant/removed.html", round=round_, token=token)
        abort(make_response(page, 410))
    request.memo["participant"] = participant  # in the round: the page's bar needs no check
    return participant, round_


_JOINED = (SelfPaced, MapDisplay, StepTimer, Removal)
_VISIT = (
    select(Participant, Round, HelpRequest, *_JOINED)
    .join(Round, Round.id == Participant.round_id)
    .outerjoin(HelpRequest, help.newest_of(Participant.id))
    .outerjoin(SelfPaced, SelfPaced.round_id == Round.id)
    .outerjoin(MapDisplay, MapDisplay.round_id == Round.id)
    .outerjoin(StepTimer, StepTimer.round_id == Round.id)
    .outerjoin(Removal, Removal.participant_id == Participant.id)
    .where(Participant.token == bindparam("token"))
)


def _visit(token: str) -> tuple[Participant, Round] | None:
    if not is_token(token):
        return None
    row = db().exec(_VISIT, params={"token": token}).first()
    if row is None:
        return None
    participant, round_, asked, *joined = row
    request.memo["help"] = asked  # the bar on the person's page says where it is
    for model, found in zip(_JOINED, joined, strict=True):
        if found is None:
            key = participant.id if model is Removal else round_.id
            lookup.known_absent(db(), model, key)
    return participant, round_


def participant_with_data(token: str) -> tuple[Participant, Round]:
    """The person with this link, even if the lead removed them: what was kept about them
    is still theirs to download and delete."""
    participant = participant_by_token(token)
    if participant is None:
        abort(404)
    return participant, db().get(Round, participant.round_id)
