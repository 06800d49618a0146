"""The group's answers as participants see them, once a facilitator reveals a step; and
free-text answers a facilitator hid from every shared view."""

from __future__ import annotations

import zlib

from sqlalchemy import bindparam
from sqlmodel import Session, delete, func, select

from facilitation.results import StepResult, step_result
from questionnaires.schema import Questionnaire, Step
from workshop.realtime import publish
from workshop.rounds import team
from workshop.rounds.answers import answers_by_person
from workshop.rounds.maps import names_of
from workshop.store.models import Answer, HiddenAnswer, Participant, RevealedStep
from workshop.store.on_commit import on_commit
from workshop.web.wording import RecordAction


def revealed_ids(db: Session, round_id: int) -> set[str]:
    """The steps whose answers participants may see."""
    return set(db.exec(_REVEALED, params={"round": round_id}))


_REVEALED = select(RevealedStep.step_id).where(RevealedStep.round_id == bindparam("round"))


def set_revealed(db: Session, round_id: int, step: Step, shown: bool, by: int) -> None:
    """Show a step's answers to participants, or hide them again; recorded, and told."""
    db.exec(
        delete(RevealedStep).where(
            RevealedStep.round_id == round_id, RevealedStep.step_id == step.id
        )
    )
    if shown:
        db.add(RevealedStep(round_id=round_id, step_id=step.id))
    done = RecordAction.SHOW_ANSWERS if shown else RecordAction.HIDE_ANSWERS
    team.record(db, round_id, by, done, step.title)
    on_commit(db, publish.results_changed, round_id)
    on_commit(db, publish.console_changed, round_id, "results")
    db.commit()


def hidden_ids(db: Session, round_id: int) -> set[int]:
    """Ids of the answers left out of every shared view."""
    return set(db.exec(select(HiddenAnswer.answer_id).where(HiddenAnswer.round_id == round_id)))


def set_hidden(db: Session, answer: Answer, hidden: bool, by: int, step: Step) -> None:
    """Hide a free-text answer from the shared views (kept, marked), or show it again."""
    row = db.get(HiddenAnswer, answer.id)
    if hidden and row is None:
        db.add(HiddenAnswer(answer_id=answer.id, round_id=answer.round_id, hidden_by=by))
    elif not hidden and row is not None:
        db.delete(row)
    done = RecordAction.HIDE_ANSWER if hidden else RecordAction.SHOW_ANSWER
    team.record(db, answer.round_id, by, done, step.title)
    on_commit(db, publish.results_changed, answer.round_id)
    on_commit(db, publish.console_changed, answer.round_id, "moderation")
    db.commit()


def group_results(
    db: Session, round_id: int, questionnaire: Questionnaire
) -> dict[str, StepResult]:
    """For each revealed step, what the group said (hidden answers left out)."""
    shown = revealed_ids(db, round_id)
    if not shown:
        return {}
    given, hidden = answers_by_person(db, [round_id])
    names = names_of(db, [round_id], questionnaire.codebook)
    return {
        step.id: step_result(
            step,
            given,
            hidden=hidden,
            number=questionnaire.question_number(step.id),
            names=names,
        )
        for step in questionnaire.steps
        if step.id in shown and step.revealable
    }


def answers_mark(db: Session, round_id: int) -> tuple:
    """A mark that moves whenever what group results count moves: someone joins, or an
    answer is given, changed or deleted (with hidden answers and the map, the rest)."""
    return tuple(db.exec(_MARK, params={"round": round_id}).one())


_MARK = select(
    func.count(Answer.id),
    func.max(Answer.id),
    func.max(Answer.updated_at),
    select(func.count(Participant.id))
    .where(Participant.round_id == bindparam("round"))
    .scalar_subquery(),
).where(Answer.round_id == bindparam("round"))


def result_version(result: StepResult) -> str:
    """A short mark that changes whenever what the group is shown of a step changes (an
    answer given, hidden or shown again): open pages replace their copy when it does."""
    shown = repr((result.answered, result.hidden, result.tally))
    return format(zlib.crc32(shown.encode()), "x")
