"""rate-actors: give each name a number on a scale, such as influence from 1 to 5."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from questionnaires.parts import Codebook, Option
from questionnaires.steps.base import AnswerValue, Problem, Tally
from questionnaires.steps.shared import PlacementStep, Scale


class RateActorsStep(PlacementStep, Scale):
    """Give each actor a number on a scale, such as influence from 1 to 5."""

    type: Literal["rate-actors"]
    wrong_category: ClassVar[Problem] = Problem.CHOOSE_NUMBER

    def categories(self, codebook: Codebook) -> list[Option]:
        return [Option(id=n, label=n) for n in self.numbers]

    def placed(self, value: str) -> int | str:
        return int(value)

    def tally(self, given: Sequence[AnswerValue]) -> Tally:
        """Each actor's mean rating, highest first."""
        ratings: dict[str, list[int]] = {}
        for value in given:
            for item in value:
                ratings.setdefault(item["name"], []).append(item["value"])
        averages = tuple(
            sorted(
                ((name, sum(v) / len(v), len(v)) for name, v in ratings.items()),
                key=lambda row: (-row[1], row[0].casefold()),
            )
        )
        return Tally(len(given), (), (), averages)
