"""The people in a round: joining, who is here, and removing someone (their link stops working,
and the lead chooses whether what they gave stays, without their name, or goes)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, func, union
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, delete, select

from facilitation.join_codes import new_token
from workshop.realtime import publish
from workshop.rounds import lifecycle, network, team
from workshop.rounds.kept import forget, kept
from workshop.store import cascade, lookup
from workshop.store.db import session_scope
from workshop.store.models import (
    FacilitatorSocket,
    Participant,
    Presence,
    Removal,
    Round,
    utcnow,
)
from workshop.store.on_commit import on_commit
from workshop.web.wording import RecordAction, participant_label


def is_removed(db: Session, participant_id: int) -> bool:
    """Whether this participant was taken out of their round."""
    return lookup.get(db, Removal, participant_id) is not None


def removed_ids(db: Session, round_id: int) -> set[int]:
    """Everyone taken out of this round."""
    return set(db.exec(select(Removal.participant_id).where(Removal.round_id == round_id)))


def remove(db: Session, round_: Round, person: Participant, by: int, keep_answers: bool) -> None:
    """Take the person out of the round; recorded with who did it, and told to their pages.
    One transaction: if it fails, they are still in the round with everything they gave."""
    label = participant_label(person)  # the record names them, as the console did
    on_commit(db, publish.participant_removed, person.id)
    on_commit(db, publish.console_changed, round_.id, "presence")
    if not keep_answers:
        network.forget_participant(db, person, lifecycle.questionnaire_of(round_))
    person.display_name = None  # kept answers are no longer tied to a name
    db.add(
        Removal(
            participant_id=person.id, round_id=round_.id, removed_by=by, answers_kept=keep_answers
        )
    )
    # Their open pages are told, then their live connections end (a new one is refused).
    sids = list(db.exec(select(Presence.sid).where(Presence.participant_id == person.id)))
    on_commit(db, publish.end_sockets, sids, publish.PARTICIPANTS)
    cascade.delete_rows(db, Presence, Presence.participant_id == person.id)
    team.record(db, round_.id, by, RecordAction.REMOVE_PARTICIPANT, label)
    db.commit()


_HIGHEST_NUMBER = (  # built once: a room joining runs it hundreds of times a second
    select(func.max(Participant.number)).where(Participant.round_id == bindparam("round"))
)
# Joins made at once (in two processes, or two greenlets waiting on the database) read the
# same highest number, and all but one were refused: at 1,000 people on two processes half
# of all joins clashed, and one in a thousand still did after 20 tries. Each join now takes
# its turn on the round's row first (PostgreSQL; SQLite lets one writer in at a time). FOR
# NO KEY UPDATE: answers and names added meanwhile, whose keys point at the round, go on.
_TURN = select(Round.id).where(Round.id == bindparam("round")).with_for_update(key_share=True)


def join(
    db: Session, round_: Round, display_name: str | None, attempt: str | None = None
) -> Participant:
    """Add a participant to a round; numbers count up in joining order.

    `attempt` is the join form's one-time value: the same form posted twice (a double
    tap on a slow phone) returns the participant the first post made.
    """
    name = (display_name or "").strip() or None
    attempt = attempt or None  # an empty field is no attempt: it would match every other
    for _attempt in range(20):
        db.exec(_TURN, params={"round": round_.id})
        number = (db.exec(_HIGHEST_NUMBER, params={"round": round_.id}).one() or 0) + 1
        participant = Participant(
            round_id=round_.id,
            token=new_token(),
            number=number,
            display_name=name,
            join_attempt=attempt,
        )
        db.add(participant)
        on_commit(db, publish.console_changed, round_.id, "joined")
        try:
            db.commit()
        except IntegrityError:  # two people joined at once, or the same form twice
            db.rollback()
            if attempt and (earlier := _joined_by(db, round_, attempt)):
                return earlier  # asked only now: a room joining posts each form once
            continue
        presence_changed(round_.id)  # (every column was set here: nothing to read back)
        return participant
    raise RuntimeError("could not add the participant")


def _joined_by(db: Session, round_: Round, attempt: str) -> Participant | None:
    return db.exec(
        select(Participant).where(
            Participant.join_attempt == attempt, Participant.round_id == round_.id
        )
    ).first()


TOUCH_EVERY = timedelta(seconds=30)


def touch(db: Session, participant: Participant) -> None:
    """Note that a participant loaded a page: how people without JavaScript show as present.

    At most one write every 30 s: a step change makes every open page fetch itself at
    once, and hundreds of writes then would queue on the database for nothing.
    """
    if participant.last_seen_at > utcnow() - TOUCH_EVERY:
        return
    participant.last_seen_at = utcnow()
    db.add(participant)
    db.commit()
    presence_changed(participant.round_id)


def present_ids(db: Session, round_id: int) -> set[int]:
    """Participants with a live connection, or who loaded a page in the last little while."""
    connected, recent = _present_queries(round_id)
    return set(db.exec(connected).all()) | set(db.exec(recent).all())


PRESENT_FOR = 2.0  # seconds a count is kept: every participant page shows it


def present_count(db: Session, round_id: int) -> int:
    """How many present_ids there are, counted by the database (reading hundreds of ids to
    count them cost more than the page), at most every PRESENT_FOR seconds."""

    def count() -> int:
        connected, recent = _present_queries(round_id)
        both = union(connected, recent).subquery()
        return db.exec(select(func.count()).select_from(both)).one()

    return kept("present", round_id, PRESENT_FOR, count)


def presence_changed(round_id: int) -> None:
    """Someone arrived or left through this process: count again on the next page."""
    forget("present", round_id)


def _present_queries(round_id: int):
    """Who is connected, and who loaded a page within the presence window."""
    window = timedelta(seconds=current_app.config["PRESENCE_WINDOW_SECONDS"])
    connected = select(Presence.participant_id).where(Presence.round_id == round_id)
    recent = select(Participant.id).where(
        Participant.round_id == round_id, Participant.last_seen_at >= utcnow() - window
    )
    return connected, recent


def forget_old_connections() -> None:
    """At start, a lone process forgets the connections it had: their browsers reconnect.
    Not when processes share the rounds (a message queue): the others' are still open."""
    if current_app.config["SOCKETIO_MESSAGE_QUEUE"]:
        return
    with session_scope() as db:
        db.exec(delete(Presence))
        db.exec(delete(FacilitatorSocket))
        db.commit()
