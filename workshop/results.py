"""The group's answers as participants see them, once a facilitator reveals a step; and
free-text answers a facilitator hid from every shared view."""

from __future__ import annotations

from sqlmodel import Session, delete, select

from facilitation.answers import tally
from facilitation.skip_logic import is_for
from questionnaires.schema import Questionnaire, Step
from workshop import team
from workshop.realtime import publish
from workshop.reports.report import StepReport
from workshop.store.models import Answer, HiddenAnswer, RevealedStep

# What participants may be shown of a step: counts and free text, not who named whom
# (the map shows the network, when the facilitator shows it).
REVEALABLE = (
    "single-choice",
    "multiple-choice",
    "rating-scale",
    "short-text",
    "long-text",
    "reflection",
)


def can_reveal(step: Step) -> bool:
    """Whether a step's answers can be shown to the group."""
    return step.type in REVEALABLE


def revealed_ids(session: Session, round_id: int) -> set[str]:
    """The steps whose answers participants may see."""
    return set(session.exec(select(RevealedStep.step_id).where(RevealedStep.round_id == round_id)))


def set_revealed(session: Session, round_id: int, step: Step, shown: bool, by: int) -> None:
    """Show a step's answers to participants, or hide them again; recorded, and told."""
    session.exec(
        delete(RevealedStep).where(
            RevealedStep.round_id == round_id, RevealedStep.step_id == step.id
        )
    )
    if shown:
        session.add(RevealedStep(round_id=round_id, step_id=step.id))
    team.record(session, round_id, by, "show-answers" if shown else "hide-answers", step.title)
    session.commit()
    publish.results_changed(round_id)
    publish.console_changed(round_id, "results")


def hidden_ids(session: Session, round_id: int) -> set[int]:
    """Ids of the answers left out of every shared view."""
    return set(
        session.exec(select(HiddenAnswer.answer_id).where(HiddenAnswer.round_id == round_id))
    )


def set_hidden(session: Session, answer: Answer, hidden: bool, by: int, step: Step) -> None:
    """Hide a free-text answer from the shared views (kept, marked), or show it again."""
    row = session.get(HiddenAnswer, answer.id)
    if hidden and row is None:
        session.add(HiddenAnswer(answer_id=answer.id, round_id=answer.round_id, hidden_by=by))
    elif not hidden and row is not None:
        session.delete(row)
    team.record(
        session, answer.round_id, by, "hide-answer" if hidden else "show-answer", step.title
    )
    session.commit()
    publish.results_changed(answer.round_id)
    publish.console_changed(answer.round_id, "moderation")


def group_results(
    session: Session, round_id: int, questionnaire: Questionnaire
) -> dict[str, StepReport]:
    """For each revealed step, what the group said (hidden answers left out)."""
    shown = revealed_ids(session, round_id)
    if not shown:
        return {}
    hidden = hidden_ids(session, round_id)
    answers: dict[int, dict] = {}
    ids: dict[tuple[int, str], int] = {}
    for answer in session.exec(select(Answer).where(Answer.round_id == round_id)):
        answers.setdefault(answer.participant_id, {})[answer.step_id] = answer.value
        ids[answer.participant_id, answer.step_id] = answer.id
    results = {}
    for step in questionnaire.steps:
        if step.id not in shown or not can_reveal(step):
            continue
        asked = [p for p, given in answers.items() if is_for(step, given)]
        given = [p for p in asked if step.id in answers[p]]
        shown_values = [answers[p][step.id] for p in given if ids[p, step.id] not in hidden]
        results[step.id] = StepReport(
            step=step,
            number=questionnaire.question_number(step.id),
            opened=True,
            asked=len(asked),
            answered=len(given),  # a hidden answer was still given: the count says so
            tally=tally(step, shown_values),
        )
    return results
