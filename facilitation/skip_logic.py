"""Skip logic: whether a step is for a participant, given their earlier answers."""

from __future__ import annotations

from collections.abc import Mapping

from facilitation.answers import AnswerValue
from questionnaires.schema import Step


def is_for(step: Step, answers: Mapping[str, AnswerValue | None]) -> bool:
    """True when the step has no condition, or the earlier answer it names matches.

    A multiple-choice answer matches when any chosen option is listed; a rating when its
    number is. No answer (yet) to the earlier step means the step is not shown.
    """
    condition = step.show_if
    if condition is None:
        return True
    given = answers.get(condition.step)
    chosen = given if isinstance(given, list) else [] if given is None else [given]
    return any(str(value) in condition.any_of for value in chosen)
