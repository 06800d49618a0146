"""rating-scale: a number on a scale, with words at both ends."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import ClassVar, Literal

from questionnaires.steps.base import (
    AnswerRejected,
    AnswerValue,
    Names,
    Problem,
    StepType,
    Tally,
)
from questionnaires.steps.shared import Scale, empty


class RatingScaleStep(StepType, Scale):
    """A number on a scale, with words at both ends."""

    type: Literal["rating-scale"]
    required: bool = True
    revealable: ClassVar[bool] = True

    def check(self, values: list[str]) -> AnswerValue | None:
        if not values:
            return empty(self, Problem.CHOOSE_NUMBER)
        try:
            number = int(values[0])
        except ValueError:
            raise AnswerRejected(Problem.CHOOSE_NUMBER) from None
        if len(values) > 1 or not self.min <= number <= self.max:
            raise AnswerRejected(Problem.CHOOSE_NUMBER)
        return number

    def tally(self, given: Sequence[AnswerValue], names: Names | None = None) -> Tally:
        counter = Counter(str(v) for v in given)
        return Tally(len(given), tuple((n, counter[n]) for n in self.numbers), ())

    def answers_to_match(self) -> list[str] | None:
        return self.numbers
