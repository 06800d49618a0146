"""What one step's answers add up to: who it was for, who answered, and what they said."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from facilitation.answers import AnswerValue, Names, Tally, tally
from facilitation.skip_logic import is_for
from questionnaires.schema import Step

# Each person's answers by step id: {participant id: {step id: value}}.
Answers = Mapping[int, Mapping[str, AnswerValue | None]]


@dataclass(frozen=True)
class StepResult:
    """One step of a round: how many were asked and answered, and what they said."""

    step: Step
    number: int | None  # the question's number, as participants saw it
    opened: bool  # False for steps the round never reached
    asked: int
    answered: int
    tally: Tally | None  # None for steps that take no answer
    hidden: int = 0  # written answers a facilitator hid from shared views: counted, not shown

    def percent(self, count: int) -> int:
        """A count as a whole percentage of the people who answered."""
        return round(100 * count / self.answered) if self.answered else 0


def step_result(
    step: Step,
    answers: Answers,
    *,
    people: Iterable[int] | None = None,
    hidden: Collection[tuple[int, str]] = frozenset(),
    number: int | None = None,
    opened: bool = True,
    names: Names | None = None,
) -> StepResult:
    """Count one step's answers: the console, the group's results and the report all ask this.

    Parameters
    ----------
    step : the step to count.
    answers : each person's answers by step id (skip logic reads the earlier ones).
    people : who could have been asked; everyone in `answers` when not given.
    hidden : (person, step id) pairs hidden from shared views: still answered, never tallied.
    names : the round's actors as they show now and the codebook, in the reader's language:
        network answers are counted by the ids chosen and worded with these.

    Examples
    --------
    >>> from questionnaires.steps.single_choice import SingleChoiceStep
    >>> step = SingleChoiceStep(
    ...     type="single-choice", id="way-in", title="Where do we start?",
    ...     options=[{"id": "place", "label": "A place"}, {"id": "issue", "label": "An issue"}],
    ... )
    >>> result = step_result(step, {1: {"way-in": "place"}, 2: {"way-in": "issue"}, 3: {}})
    >>> result.asked, result.answered, result.tally.counts
    (3, 2, (('A place', 1), ('An issue', 1)))
    >>> step_result(step, {1: {"way-in": "place"}}, hidden={(1, "way-in")}).tally.counts
    (('A place', 0), ('An issue', 0))
    """
    everyone = answers.keys() if people is None else people
    asked = [p for p in everyone if is_for(step, answers.get(p, {}))]
    given = [p for p in asked if step.id in answers.get(p, {})]
    values = [answers[p][step.id] for p in given if (p, step.id) not in hidden]
    return StepResult(
        step=step,
        number=number,
        opened=opened,
        asked=len(asked),
        answered=len(given),
        tally=tally(step, values, names) if step.collects_answer else None,
        hidden=len(given) - len(values),
    )
