"""single-choice: pick one option."""

from __future__ import annotations

from typing import Literal

from questionnaires.steps.base import AnswerRejected, AnswerValue, Problem
from questionnaires.steps.shared import ChoiceStep, empty


class SingleChoiceStep(ChoiceStep):
    """Pick one option."""

    type: Literal["single-choice"]

    def check(self, values: list[str]) -> AnswerValue | None:
        if not values:
            return empty(self, Problem.CHOOSE_ONE)
        if len(values) > 1 or values[0] not in {o.id for o in self.options}:
            raise AnswerRejected(Problem.UNKNOWN_OPTION)
        return values[0]
