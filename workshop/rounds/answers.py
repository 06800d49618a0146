"""Answers: storing and deleting them, reading them by person, and a person's copy of theirs."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from facilitation.answers import AnswerValue, answer_labels
from facilitation.exports import csv_file
from questionnaires.schema import Questionnaire, Step
from workshop.realtime import publish
from workshop.store import cascade
from workshop.store.models import ActorRating, Answer, HiddenAnswer, Participant, utcnow
from workshop.store.on_commit import on_commit


def delete_answer(db: Session, participant: Participant, step: Step) -> None:
    """Delete this person's answer to a step (and their ratings on it), as if never given."""
    mine = (Answer.participant_id == participant.id, Answer.step_id == step.id)
    cascade.delete_rows(db, Answer, *mine)
    rated = (ActorRating.participant_id == participant.id, ActorRating.step_id == step.id)
    cascade.delete_rows(db, ActorRating, *rated)
    on_commit(db, publish.console_changed, participant.round_id, "answer")
    db.commit()


def answers_file(questionnaire: Questionnaire, answers: dict, headings: tuple[str, str]) -> bytes:
    """Everything this person gave, one row per question under two headings, as a CSV file
    (written as every CSV is: see facilitation.exports.csv_file)."""
    return csv_file(
        headings,
        [
            (str(step.title), "; ".join(answer_labels(step, answers[step.id])))
            for step in questionnaire.steps
            if step.collects_answer and step.id in answers
        ],
    )


def save_answer(
    db: Session, participant: Participant, step: Step, value: AnswerValue | None
) -> Answer:
    """Store (or replace) an answer and commit it before anyone is told it is saved."""
    for _attempt in range(3):
        answer = db.exec(
            select(Answer).where(Answer.participant_id == participant.id, Answer.step_id == step.id)
        ).first() or Answer(
            round_id=participant.round_id, participant_id=participant.id, step_id=step.id
        )
        answer.value = value
        answer.updated_at = utcnow()
        db.add(answer)
        on_commit(db, publish.console_changed, participant.round_id, "answer")
        try:
            db.commit()
        except IntegrityError:  # the same answer sent twice at once (a double tap): update it
            db.rollback()
            continue
        return answer
    raise RuntimeError("could not store the answer")


def answers_of(db: Session, participant: Participant) -> dict[str, AnswerValue | None]:
    """A participant's answers by step id."""
    rows = db.exec(_OF_PERSON, params={"participant": participant.id})
    return {a.step_id: a.value for a in rows}


_OF_PERSON = select(Answer).where(Answer.participant_id == bindparam("participant"))


def answers_by_person(
    db: Session, round_ids: Collection[int]
) -> tuple[dict[int, dict[str, AnswerValue | None]], set[tuple[int, str]]]:
    """Every answer in these rounds by person and step id, and the (person, step id) pairs a
    facilitator hid from shared views. Everyone who joined is in it, answers or not."""
    people = db.exec(select(Participant.id).where(col(Participant.round_id).in_(round_ids)))
    by_person: dict[int, dict[str, AnswerValue | None]] = {p: {} for p in people}
    hidden = set(
        db.exec(select(HiddenAnswer.answer_id).where(col(HiddenAnswer.round_id).in_(round_ids)))
    )
    hidden_given: set[tuple[int, str]] = set()
    for answer in db.exec(select(Answer).where(col(Answer.round_id).in_(round_ids))):
        by_person.setdefault(answer.participant_id, {})[answer.step_id] = answer.value
        if answer.id in hidden:
            hidden_given.add((answer.participant_id, answer.step_id))
    return by_person, hidden_given
