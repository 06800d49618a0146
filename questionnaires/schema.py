"""The questionnaire format as pydantic models: one source of truth for loading and checking."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    """One answer a participant can pick."""

    id: Slug
    label: str = Field(min_length=1, max_length=200)


class Term(_Strict):
    """One entry of a codebook: a readable id and the plain words participants see."""

    id: Slug
    label: str = Field(min_length=1, max_length=80)


class Codebook(_Strict):
    """The words a network map is made of, defined once for the whole questionnaire."""

    actor_kinds: list[Term] = Field(
        default_factory=list, description="Kinds of actor: organisation, group, person..."
    )
    tie_kinds: list[Term] = Field(
        default_factory=list, description="Kinds of tie: works with, ally, funds..."
    )
    layers: list[Term] = Field(
        default_factory=list, description="Network layers: offline, online, aspirational..."
    )


class Condition(_Strict):
    """Show a step only to people whose answer to an earlier step is one of these."""

    step: Slug = Field(description="The id of an earlier choice or rating step.")
    any_of: list[str] = Field(
        min_length=1, description="Option ids (or numbers, for a rating) that show the step."
    )


class _Step(_Strict):
    id: Slug
    title: str = Field(min_length=1, max_length=200, description="What the step asks or says.")
    help: str = Field("", max_length=1000, description="Plain-language help under the title.")
    show_if: Condition | None = Field(None, description="Skip logic: who this step is for.")

    @property
    def collects_answer(self) -> bool:
        return True


class InformationStep(_Step):
    """A step that only tells participants something."""

    type: Literal["information"]
    text: str = Field("", max_length=3000)

    @property
    def collects_answer(self) -> bool:
        return False


class SingleChoiceStep(_Step):
    """Pick one option."""

    type: Literal["single-choice"]
    options: list[Option] = Field(min_length=2)
    required: bool = True


class MultipleChoiceStep(_Step):
    """Pick any number of options."""

    type: Literal["multiple-choice"]
    options: list[Option] = Field(min_length=2)
    required: bool = True


class ShortTextStep(_Step):
    """A word or a line of text."""

    type: Literal["short-text"]
    max_length: int = Field(200, ge=1, le=500)
    required: bool = True


class LongTextStep(_Step):
    """A few sentences."""

    type: Literal["long-text"]
    max_length: int = Field(2000, ge=1, le=10000)
    required: bool = True


class RatingScaleStep(_Step):
    """A number on a scale, with words at both ends."""

    type: Literal["rating-scale"]
    min: int = Field(1, ge=0, le=10)
    max: int = Field(5, ge=1, le=10)
    min_label: str = Field(min_length=1, max_length=80)
    max_label: str = Field(min_length=1, max_length=80)
    required: bool = True

    @model_validator(mode="after")
    def _range(self) -> RatingScaleStep:
        if self.max <= self.min:
            raise ValueError("max must be larger than min")
        return self


STEP_TYPES = (
    "information",
    "single-choice",
    "multiple-choice",
    "short-text",
    "long-text",
    "rating-scale",
)

Step = Annotated[
    InformationStep
    | SingleChoiceStep
    | MultipleChoiceStep
    | ShortTextStep
    | LongTextStep
    | RatingScaleStep,
    Field(discriminator="type"),
]


class Questionnaire(_Strict):
    """A workshop: its steps in order."""

    id: Slug
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=2000)
    version: int = Field(1, ge=1)
    language: str = Field("en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")
    codebook: Codebook = Field(default_factory=Codebook)
    steps: list[Step] = Field(min_length=1)

    def step(self, step_id: str) -> Step | None:
        """The step with this id, or None."""
        return next((s for s in self.steps if s.id == step_id), None)

    @property
    def question_count(self) -> int:
        """How many steps ask something (information steps are not questions)."""
        return sum(1 for s in self.steps if s.collects_answer)

    def question_number(self, step_id: str) -> int | None:
        """1-based number among the questions, as participants count them; None for information."""
        number = 0
        for step in self.steps:
            number += step.collects_answer
            if step.id == step_id:
                return number if step.collects_answer else None
        raise ValueError(step_id)

    def position(self, step_id: str) -> int:
        """Zero-based index of a step; ValueError if it is not here."""
        for index, step in enumerate(self.steps):
            if step.id == step_id:
                return index
        raise ValueError(step_id)
