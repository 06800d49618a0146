"""Removing a participant from a round: their link stops working, and the lead chooses
whether what they gave stays (without their name) or goes."""

from __future__ import annotations

from sqlmodel import Session, delete, select

from workshop import network, rounds, team
from workshop.realtime import publish
from workshop.store.models import Participant, Presence, Removal, Round
from workshop.wording import participant_label


def is_removed(session: Session, participant_id: int) -> bool:
    """Whether this participant was taken out of their round."""
    return session.get(Removal, participant_id) is not None


def removed_ids(session: Session, round_id: int) -> set[int]:
    """Everyone taken out of this round."""
    return set(session.exec(select(Removal.participant_id).where(Removal.round_id == round_id)))


def remove(
    session: Session, round_: Round, person: Participant, by: int, keep_answers: bool
) -> None:
    """Take the person out of the round; recorded with who did it, and told to their pages.
    One transaction: if it fails, they are still in the round with everything they gave."""
    label = participant_label(person)  # the record names them, as the console did
    if not keep_answers:
        network.forget_participant(session, person, rounds.questionnaire_of(round_))
    person.display_name = None  # kept answers are no longer tied to a name
    session.add(
        Removal(
            participant_id=person.id, round_id=round_.id, removed_by=by, answers_kept=keep_answers
        )
    )
    session.exec(delete(Presence).where(Presence.participant_id == person.id))
    team.record(session, round_.id, by, "remove-participant", label)
    session.commit()
    publish.participant_removed(person.id)
    publish.console_changed(round_.id, "presence")
    if not keep_answers:
        network.map_changed(session, round_.id)
