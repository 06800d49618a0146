"""Error messages for answers, in plain words, naming what to do next."""

from __future__ import annotations

from flask_babel import gettext as _

from facilitation.answers import Problem
from questionnaires.schema import Step


def answer_error(step: Step, problem: Problem) -> str:
    """The message shown in the error summary and beside the question."""
    if problem is Problem.CHOOSE_ONE:
        return _("Choose one answer")
    if problem is Problem.CHOOSE_AT_LEAST_ONE:
        return _("Choose at least one answer")
    if problem is Problem.UNKNOWN_OPTION:
        return _("Choose from the answers shown")
    if problem is Problem.ENTER_TEXT:
        return _("Write your answer")
    if problem is Problem.TOO_LONG:
        return _("Your answer must be %(count)d characters or fewer", count=step.max_length)
    if problem is Problem.CHOOSE_NUMBER:
        return _("Choose a number from %(low)d to %(high)d", low=step.min, high=step.max)
    return _("This step does not need an answer")
