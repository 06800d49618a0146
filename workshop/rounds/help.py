"""Help requests: a participant asks, the round's facilitators see who and where, and one
of them marks it handled. Each change is told to the consoles, and to the person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, bindparam, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from workshop.realtime import publish
from workshop.rounds import team
from workshop.store.models import (
    Facilitator,
    HelpRequest,
    Participant,
    Round,
    as_utc,
    utcnow,
)
from workshop.store.on_commit import on_commit
from workshop.web.wording import RecordAction, participant_label


def open_request(db: Session, participant_id: int) -> HelpRequest | None:
    """This person's request still waiting for a facilitator, if any."""
    return db.exec(
        select(HelpRequest).where(
            HelpRequest.participant_id == participant_id, HelpRequest.handled_at.is_(None)
        )
    ).first()


# How long a person's pages say a facilitator has seen their request: by then someone has
# come to them, and the words would only linger on every page for the rest of the session.
SEEN_FOR = timedelta(minutes=10)


def newest_of(participant_id: ColumnElement) -> ColumnElement:
    """A join's condition: the help request is this participant's newest (a page that reads
    the person anyway brings it in the same query)."""
    earlier = aliased(HelpRequest)
    newest = (
        select(func.max(earlier.id))
        .where(earlier.participant_id == participant_id)
        .scalar_subquery()
    )
    return and_(HelpRequest.participant_id == participant_id, HelpRequest.id == newest)


# Built once: every participant page asks it (building it cost as much as running it).
_NEWEST = (
    select(HelpRequest)
    .where(HelpRequest.participant_id == bindparam("participant"))
    .order_by(HelpRequest.id.desc())
)


def last_request(db: Session, participant_id: int) -> HelpRequest | None:
    """This person's newest request while their pages should mention it: still open, or
    handled within SEEN_FOR."""
    return still_shown(db.exec(_NEWEST, params={"participant": participant_id}).first())


def still_shown(request: HelpRequest | None) -> HelpRequest | None:
    """The newest request, if pages should still mention it (see `last_request`)."""
    if (
        request is not None
        and request.handled_at
        and as_utc(request.handled_at) < utcnow() - SEEN_FOR
    ):
        return None
    return request


def ask(db: Session, participant: Participant, round_: Round) -> HelpRequest:
    """Ask for help (asking twice keeps the first request, and its place in the queue)."""
    request = open_request(db, participant.id)
    if request is None:
        request = HelpRequest(
            round_id=round_.id, participant_id=participant.id, step_number=round_.step_index + 1
        )
        db.add(request)
        on_commit(db, publish.console_changed, round_.id, "help")
        db.commit()
    return request


def withdraw(db: Session, participant: Participant) -> None:
    """The person no longer needs help: their request closes, handled by nobody."""
    request = open_request(db, participant.id)
    if request is not None:
        request.handled_at = utcnow()
        on_commit(db, publish.console_changed, participant.round_id, "help")
        db.commit()


def handle(db: Session, round_: Round, request_id: int, facilitator_id: int) -> bool:
    """Mark a request of this round handled by this facilitator; False if there is none."""
    request = db.get(HelpRequest, request_id)
    if request is None or request.round_id != round_.id:
        return False
    if request.handled_at is None:
        request.handled_at = utcnow()
        request.handled_by = facilitator_id
        person = db.get(Participant, request.participant_id)
        team.record(
            db, round_.id, facilitator_id, RecordAction.HELP_HANDLED, participant_label(person)
        )
        on_commit(db, publish.console_changed, round_.id, "help")
        on_commit(db, publish.help_handled, request.participant_id)
        db.commit()
    return True


@dataclass(frozen=True)
class RequestRow:
    """A help request as the console lists it."""

    id: int
    participant: Participant
    step_number: int
    asked_at: datetime
    handled_at: datetime | None
    handled_by: str | None  # a facilitator's name; None when the person withdrew it


def requests_of(db: Session, round_id: int, handled_limit: int = 5) -> list[RequestRow]:
    """Open requests, oldest first (who waited longest), then the latest handled ones."""
    rows = db.exec(
        select(HelpRequest, Participant, Facilitator.name)
        .join(Participant, Participant.id == HelpRequest.participant_id)
        .join(Facilitator, Facilitator.id == HelpRequest.handled_by, isouter=True)
        .where(HelpRequest.round_id == round_id)
        .order_by(HelpRequest.id)
    ).all()
    made = [
        RequestRow(r.id, person, r.step_number, r.created_at, r.handled_at, name)
        for r, person, name in rows
    ]
    waiting = [r for r in made if r.handled_at is None]
    handled = sorted((r for r in made if r.handled_at), key=lambda r: r.handled_at, reverse=True)
    return waiting + handled[:handled_limit]
