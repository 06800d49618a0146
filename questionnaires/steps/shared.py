"""What several step types share: options to pick, text, a scale, names to answer about."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from questionnaires.findings import Location
from questionnaires.parts import Codebook, Label, Option, Slug, Strict
from questionnaires.steps.base import (
    AnswerRejected,
    AnswerValue,
    Problem,
    StepType,
    Stored,
    Tally,
)


class ChoiceStep(StepType):
    """Pick from the step's own options."""

    options: list[Option] = Field(min_length=2)
    required: bool = True
    revealable: ClassVar[bool] = True

    def labels(self, value: AnswerValue) -> list[str]:
        words = {o.id: o.label for o in self.options}
        chosen = value if isinstance(value, list) else [value]
        return [words.get(str(v), str(v)) for v in chosen]

    def tally(self, given: Sequence[AnswerValue]) -> Tally:
        counter: Counter[str] = Counter()
        for value in given:
            counter.update(value if isinstance(value, list) else [value])
        return Tally(len(given), tuple((o.label, counter[o.id]) for o in self.options), ())

    def answers_to_match(self) -> list[str] | None:
        return [o.id for o in self.options]


class TextStep(StepType):
    """Words people write; several lines unless the step is one line."""

    max_length: int = Field(2000, ge=1, le=10000)
    required: bool = True
    revealable: ClassVar[bool] = True
    one_line: ClassVar[bool] = False

    def check(self, values: list[str]) -> AnswerValue | None:
        text = (" " if self.one_line else "\n").join(values)
        if not text:
            return empty(self, Problem.ENTER_TEXT)
        if len(text) > self.max_length:
            raise AnswerRejected(Problem.TOO_LONG)
        return text


class Scale(Strict):
    """Numbers from min to max, with words at both ends."""

    min: int = Field(1, ge=0, le=10)
    max: int = Field(5, ge=1, le=10)
    min_label: Label
    max_label: Label

    @model_validator(mode="after")
    def _range(self) -> Scale:
        if self.max <= self.min:
            raise ValueError("max must be larger than min")
        return self

    @property
    def numbers(self) -> list[str]:
        """Every number on the scale, as the form sends it."""
        return [str(n) for n in range(self.min, self.max + 1)]


class NetworkStep(StepType):
    """A step whose answer is a list of items on the round's map, each with its words."""

    required: bool = False

    def labels(self, value: AnswerValue) -> list[str]:
        return [item["label"] for item in value]

    def tally(self, given: Sequence[AnswerValue]) -> Tally:
        """How many people named each actor, tie or category, most first."""
        counter = Counter(label for value in given for label in self.labels(value))
        return Tally(len(given), tuple(counter.most_common()), ())


Whose = Literal["mine", "everyone"]


class ActorStep(NetworkStep):
    """A step about actors already named: a participant's own, or everyone's in the round."""

    actors: Whose = Field(
        "mine",
        description="'mine': the actors this participant named; 'everyone': all in the round.",
    )
    actor_kinds: list[Slug] = Field(
        default_factory=list, description="Only actors of these kinds (empty: every kind)."
    )
    codebook_fields: ClassVar[dict[str, str]] = {"actor_kinds": "actor_kinds"}

    def problems(
        self, codebook: Codebook, earlier: Sequence[StepType]
    ) -> Iterator[tuple[Location, str]]:
        yield from super().problems(codebook, earlier)
        if not any(step.stores is Stored.ACTORS for step in earlier):
            yield (
                ("type",),
                f"a {self.type} step needs a name-actors step before it, "
                "so that there are actors to choose from",
            )


class PlacementStep(ActorStep):
    """Give each actor one of the step's categories; saved together, as one answer."""

    stores: ClassVar[Stored] = Stored.PLACEMENTS
    wrong_category: ClassVar[Problem] = Problem.UNKNOWN_OPTION

    def placed(self, value: str) -> int | str:
        """A category as it is stored."""
        return value


def empty(step: StepType, problem: Problem) -> None:
    """An optional step may be left empty; a required one says what is missing."""
    if getattr(step, "required", False):
        raise AnswerRejected(problem)
    return None
