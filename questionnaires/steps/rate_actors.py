"""rate-actors: give each name a number on a scale, such as influence from 1 to 5."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import ClassVar, Literal

from questionnaires.parts import Codebook, Option
from questionnaires.steps.base import AnswerValue, Names, Problem, Tally
from questionnaires.steps.shared import PlacementStep, Scale


class RateActorsStep(PlacementStep, Scale):
    """Give each actor a number on a scale, such as influence from 1 to 5."""

    type: Literal["rate-actors"]
    wrong_category: ClassVar[Problem] = Problem.CHOOSE_NUMBER

    def categories(self, codebook: Codebook) -> list[Option]:
        return [Option(id=n, label=n) for n in self.numbers]

    def placed(self, value: str) -> int | str:
        return int(value)

    def tally(self, given: Sequence[AnswerValue], names: Names | None = None) -> Tally:
        """Each actor's mean rating, highest first: each person counts once, with the mean of
        their ratings of the names since merged into it."""
        names = names or Names()
        ratings: dict[Hashable, list[float]] = {}
        words: dict[Hashable, str] = {}
        for value in given:
            mine: dict[Hashable, list[int]] = {}
            for item in value:
                if not isinstance(item.get("value"), int):
                    continue  # a rating that could not be read when answers were migrated
                actor, words[actor] = names.actor(item["actor"], item.get("name", ""))
                mine.setdefault(actor, []).append(item["value"])
            for actor, numbers in mine.items():
                ratings.setdefault(actor, []).append(sum(numbers) / len(numbers))
        averages = tuple(
            sorted(
                ((words[a], sum(v) / len(v), len(v)) for a, v in ratings.items()),
                key=lambda row: (-row[1], row[0].casefold()),
            )
        )
        return Tally(len(given), (), (), averages)
