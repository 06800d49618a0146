"""A participant's own answers: deleting one, and a copy of all of them to download."""

from __future__ import annotations

import csv
import io

from sqlmodel import Session, delete, select

from facilitation.answers import answer_labels
from questionnaires.schema import Questionnaire, Step
from workshop.realtime import publish
from workshop.store.models import ActorRating, Answer, HiddenAnswer, Participant


def delete_answer(session: Session, participant: Participant, step: Step) -> None:
    """Delete this person's answer to a step (and their ratings on it), as if never given."""
    ids = session.exec(
        select(Answer.id).where(Answer.participant_id == participant.id, Answer.step_id == step.id)
    ).all()
    if ids:
        session.exec(delete(HiddenAnswer).where(HiddenAnswer.answer_id.in_(ids)))
        session.exec(delete(Answer).where(Answer.id.in_(ids)))
    session.exec(
        delete(ActorRating).where(
            ActorRating.participant_id == participant.id, ActorRating.step_id == step.id
        )
    )
    session.commit()
    publish.console_changed(participant.round_id, "answer")


def answers_file(questionnaire: Questionnaire, answers: dict, headings: tuple[str, str]) -> str:
    """Everything this person gave, one row per question under two headings, as CSV text
    (with a BOM, so spreadsheet programs read accents and other scripts right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings)
    for step in questionnaire.steps:
        if step.collects_answer and step.id in answers:
            words = answer_labels(step, answers[step.id])
            writer.writerow([str(step.title), "; ".join(words)])
    return "\ufeff" + buffer.getvalue()
