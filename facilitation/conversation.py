"""A participant's view of a round as a conversation: earlier turns, then the step open now."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from facilitation.answers import AnswerValue, answer_labels
from facilitation.live_round import RoundState, Status, opened_count
from facilitation.skip_logic import is_for
from questionnaires.schema import Questionnaire, Step


@dataclass(frozen=True)
class Turn:
    """One step as it appears in the transcript."""

    step: Step
    number: int | None  # among the questions, as in "Question 3 of 7"; None for information
    answered: bool
    labels: tuple[str, ...]  # the answer in words; empty when skipped or not answered
    for_you: bool = True  # False when skip logic leaves this step out for this person

    @property
    def version(self) -> str:
        """Changes whenever what the turn shows changes (used to update pages in place)."""
        digest = zlib.crc32("\x1f".join(self.labels).encode())
        return f"{self.step.id}:{int(self.answered)}:{int(self.for_you)}:{digest:x}"


@dataclass(frozen=True)
class Conversation:
    """What a participant sees: the transcript above, and the step open now (if any)."""

    state: RoundState
    earlier: tuple[Turn, ...]
    current: Turn | None
    question_count: int

    @property
    def version(self) -> str:
        """Changes whenever the open step or its answer changes."""
        current = self.current.version if self.current else "-"
        return f"{self.state.status.value}:{self.state.step_index}:{current}"


def _questions(turns: tuple[Turn, ...]) -> tuple[Turn, ...]:
    # Information steps, and steps skip logic leaves out, have nothing to show or change.
    return tuple(t for t in turns if t.step.collects_answer and t.for_you)


def build(
    questionnaire: Questionnaire, state: RoundState, answers: dict[str, AnswerValue | None]
) -> Conversation:
    """Lay out a participant's conversation from the round's state and their answers."""
    if state.status is Status.LOBBY:
        return Conversation(state, (), None, questionnaire.question_count)
    last = state.step_index if state.is_open else opened_count(state) - 1
    turns = tuple(
        Turn(
            step=step,
            number=questionnaire.question_number(step.id),
            answered=step.id in answers,
            labels=tuple(answer_labels(step, answers.get(step.id))),
            for_you=is_for(step, answers),
        )
        for step in questionnaire.steps[: last + 1]
    )
    if not state.is_open:
        return Conversation(state, _questions(turns), None, questionnaire.question_count)
    return Conversation(state, _questions(turns[:-1]), turns[-1], questionnaire.question_count)
