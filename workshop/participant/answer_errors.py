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
    if problem is Problem.ENTER_NAME:
        return _("Write a name")
    if problem is Problem.NAME_TOO_LONG:
        return _("The name must be 120 characters or fewer")
    if problem is Problem.CHOOSE_KIND:
        return _("Choose what kind it is")
    if problem is Problem.TOO_MANY:
        limit = getattr(step, "max_actors", None) or getattr(step, "max_ties", 0)
        return _("You can add up to %(count)d here. Remove one to add another.", count=limit)
    if problem is Problem.CHOOSE_SOURCE:
        return _("Choose the first name")
    if problem is Problem.CHOOSE_TARGET:
        return _("Choose the second name")
    if problem is Problem.SAME_ACTOR:
        return _("Choose two different names")
    if problem is Problem.PLACE_ONE:
        return _("Give an answer for at least one name")
    return _("This step does not need an answer")
