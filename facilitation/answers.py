"""Check a participant's submitted answer against its step, and tally a step's answers.

Each step type's own rule decides (questionnaires/steps/); these are the doors to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from facilitation.text import clean
from questionnaires.schema import Step
from questionnaires.steps.base import AnswerRejected, AnswerValue, Names, Problem, Tally

__all__ = [
    "AnswerRejected",
    "AnswerValue",
    "Names",
    "Problem",
    "Tally",
    "answer_labels",
    "check_answer",
]


def check_answer(step: Step, submitted: Sequence[str]) -> AnswerValue | None:
    """Turn the raw values a form sent for a step into the value to store.

    Returns None for an optional step left empty. Raises AnswerRejected otherwise.

    >>> from questionnaires.steps.rating_scale import RatingScaleStep
    >>> scale = RatingScaleStep(
    ...     type="rating-scale", id="trust", title="How much?", min_label="No", max_label="Yes"
    ... )
    >>> check_answer(scale, [" 4 "])
    4
    >>> check_answer(scale, ["9"])
    Traceback (most recent call last):
    ...
    questionnaires.steps.base.AnswerRejected: choose-number
    """
    return step.check([v for v in (clean(s) for s in submitted) if v])


def answer_labels(step: Step, value: AnswerValue | None, names: Names | None = None) -> list[str]:
    """The answer as the words a participant chose or wrote, for showing back to them; or,
    given `names`, what they chose worded for the reader (merged names as they show now)."""
    return [] if value is None else step.labels(value, names)


def tally(step: Step, values: Iterable[AnswerValue | None], names: Names | None = None) -> Tally:
    """Count the answers to one step by what was chosen (empty answers are not counted)."""
    return step.tally([v for v in values if v is not None], names)
