"""multiple-choice: pick any number of options."""

from __future__ import annotations

from typing import Literal

from questionnaires.steps.base import AnswerRejected, AnswerValue, Problem
from questionnaires.steps.shared import ChoiceStep, empty


class MultipleChoiceStep(ChoiceStep):
    """Pick any number of options."""

    type: Literal["multiple-choice"]

    def check(self, values: list[str]) -> AnswerValue | None:
        if not values:
            return empty(self, Problem.CHOOSE_AT_LEAST_ONE)
        known = [o.id for o in self.options]
        if not set(values) <= set(known):
            raise AnswerRejected(Problem.UNKNOWN_OPTION)
        return [o for o in known if o in values]  # questionnaire order, no repeats
