"""Everything held about one participant (UK GDPR): a copy of it, and erasing it on request."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from facilitation.answers import answer_labels
from facilitation.join_codes import new_token
from questionnaires.schema import Questionnaire
from workshop.realtime import publish
from workshop.rounds import lifecycle, network, team
from workshop.store import cascade
from workshop.store.models import (
    Actor,
    ActorRating,
    Answer,
    HelpRequest,
    Participant,
    Progress,
    Removal,
    Round,
    Tie,
)
from workshop.store.on_commit import on_commit
from workshop.web.wording import RecordAction


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def held_about(
    db: Session, round_: Round, person: Participant, questionnaire: Questionnaire
) -> dict[str, Any]:
    """Everything this round holds about the person, as plain data for one JSON file."""
    names = {a.id: a.name for a in db.exec(select(Actor).where(Actor.round_id == round_.id))}
    answers = db.exec(
        select(Answer).where(Answer.participant_id == person.id).order_by(Answer.id)
    ).all()
    steps = {step.id: step for step in questionnaire.steps}
    progress = db.get(Progress, person.id)
    return {
        "session": round_.name,
        "your_name": person.display_name,
        "participant_number": person.number,
        "joined_at": _when(person.consented_at),
        "last_seen_at": _when(person.last_seen_at),
        "answers": [
            {
                "question": str(steps[a.step_id].title) if a.step_id in steps else a.step_id,
                "answer": answer_labels(steps[a.step_id], a.value) if a.step_id in steps else [],
                "stored_as": a.value,
                "first_given_at": _when(a.created_at),
                "last_changed_at": _when(a.updated_at),
            }
            for a in answers
        ],
        "names_you_added_first": [
            {"name": a.name, "kind": a.kind, "layer": a.layer, "added_at": _when(a.created_at)}
            for a in db.exec(select(Actor).where(Actor.added_by == person.id).order_by(Actor.id))
        ],
        "ties_you_added": [
            {
                "from": names.get(t.source_id),
                "to": names.get(t.target_id),
                "kind": t.kind,
                "added_at": _when(t.created_at),
            }
            for t in db.exec(select(Tie).where(Tie.added_by == person.id).order_by(Tie.id))
        ],
        "ratings_you_gave": [
            {"name": names.get(r.actor_id), "step": r.step_id, "value": r.value}
            for r in db.exec(
                select(ActorRating)
                .where(ActorRating.participant_id == person.id)
                .order_by(ActorRating.id)
            )
        ],
        "step_reached_in_your_own_time": progress.furthest_index + 1 if progress else None,
        "help_requests": [
            {
                "asked_at": _when(h.created_at),
                "at_step": h.step_number,
                "ended_at": _when(h.handled_at),
            }
            for h in db.exec(
                select(HelpRequest)
                .where(HelpRequest.participant_id == person.id)
                .order_by(HelpRequest.id)
            )
        ],
    }


def record_export(db: Session, round_: Round, by: int) -> None:
    """Note in the round's record that someone's data was exported (not whose)."""
    # The record says what was done, never to whom: its detail is left empty.
    team.record(db, round_.id, by, RecordAction.EXPORTED_DATA)
    db.commit()


def erase(db: Session, round_: Round, person: Participant, by: int | None) -> None:
    """Erase everything about the person and end their link. `by` is the lead who did it on
    their request, or None when the person did it themselves.

    Their answers, ties, ratings and the names only they gave go (the remove-and-delete
    path); names others also gave stay, without who gave them first. Their row stays, empty
    and marked removed, so numbers and counts of the round do not shift."""
    on_commit(db, publish.participant_removed, person.id)
    on_commit(db, publish.console_changed, round_.id, "presence")
    network.forget_participant(db, person, lifecycle.questionnaire_of(round_))
    for actor in db.exec(select(Actor).where(Actor.added_by == person.id)):
        actor.added_by = None
        db.add(actor)
    cascade.delete_of(db, person.id, cascade.HELD)
    lead = team.team_of(db, round_)[0].facilitator_id
    person.display_name = None
    person.join_attempt = None
    person.consented_at = person.last_seen_at = round_.created_at
    person.token = new_token()  # the old link finds nothing now
    db.add(person)
    if db.get(Removal, person.id) is None:
        db.add(
            Removal(
                participant_id=person.id,
                round_id=round_.id,
                removed_by=by or lead,
                answers_kept=False,
            )
        )
    done = RecordAction.ERASED_DATA if by else RecordAction.ERASED_OWN_DATA
    team.record(db, round_.id, by or lead, done)  # not whose: no detail
    db.commit()
