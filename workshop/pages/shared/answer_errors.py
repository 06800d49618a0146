"""Error messages for answers, in plain words, naming what to do next."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

from facilitation.answers import Problem
from facilitation.network import MAX_NAME_LENGTH
from questionnaires.schema import Step, Stored


def answer_error(step: Step, problem: Problem) -> str:
    """The message shown in the error summary and beside the question."""
    return _MESSAGES.get(problem, _no_answer_needed)(step)


def _no_answer_needed(_step: Step) -> str:
    return _("This step does not need an answer")


_MESSAGES: dict[Problem, Callable[[Step], str]] = {
    Problem.CHOOSE_ONE: lambda _step: _("Choose one answer"),
    Problem.CHOOSE_AT_LEAST_ONE: lambda _step: _("Choose at least one answer"),
    Problem.UNKNOWN_OPTION: lambda _step: _("Choose from the answers shown"),
    Problem.ENTER_TEXT: lambda _step: _("Write your answer"),
    Problem.TOO_LONG: lambda step: _(
        "Your answer must be %(count)d characters or fewer", count=step.max_length
    ),
    Problem.CHOOSE_NUMBER: lambda step: _(
        "Choose a number from %(low)d to %(high)d", low=step.min, high=step.max
    ),
    Problem.ENTER_NAME: lambda _step: _("Write a name"),
    Problem.NAME_TOO_LONG: lambda _step: _(
        "The name must be %(count)d characters or fewer", count=MAX_NAME_LENGTH
    ),
    Problem.CHOOSE_KIND: lambda step: (
        _("Choose how they are connected")
        if step.stores is Stored.TIES
        else _("Choose what kind it is")
    ),
    Problem.TOO_MANY: lambda step: _(
        "You can add up to %(count)d here. Remove one to add another.", count=step.max_items or 0
    ),
    Problem.CHOOSE_SOURCE: lambda _step: _("Choose who"),
    Problem.CHOOSE_TARGET: lambda _step: _("Choose who they are connected with"),
    Problem.SAME_ACTOR: lambda _step: _("Choose two different names"),
    Problem.PLACE_ONE: lambda _step: _("Give an answer for at least one name"),
}
