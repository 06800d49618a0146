"""The questionnaire format as pydantic models: one source of truth for loading and checking."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from questionnaires.pictures import PICTURES

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)]
LanguageTag = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
EASY_READ = "-easy"
ONE_TEXT, BY_LANGUAGE = (
    "one-text",
    "by-language",
)  # the two forms of a text, in error paths  # "en-easy": the Easy Read version of the English text


def _text(max_length: int, min_length: int = 1):
    """A text participants read: one string in the main language, or one per language
    (and Easy Read version), such as {en: ..., cy: ..., en-easy: ...}."""
    one = Annotated[str, Field(min_length=min_length, max_length=max_length)]
    versions = Annotated[dict[LanguageTag, one], Field(min_length=1)]
    # Tagged, so a mistake is reported once, against the form the author used.
    return Annotated[
        Annotated[one, Tag(ONE_TEXT)] | Annotated[versions, Tag(BY_LANGUAGE)],
        Discriminator(lambda v: BY_LANGUAGE if isinstance(v, dict) else ONE_TEXT),
    ]


# The fields participants read: each may be given per language (checked, chosen, scored).
PARTICIPANT_TEXTS = ("title", "help", "text", "label", "min_label", "max_label", "description")

Label = _text(80)
LongLabel = _text(200)
Title = _text(200)
Help = _text(1000, 0)
Prose = _text(3000, 0)
Description = _text(2000, 0)
Picture = Literal[PICTURES]  # one of the built-in Easy Read pictures, by name


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    """One answer a participant can pick."""

    id: Slug
    label: LongLabel


class Term(_Strict):
    """One entry of a codebook: a readable id and the plain words participants see."""

    id: Slug
    label: Label


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
    title: Title = Field(description="What the step asks or says.")
    help: Help = Field("", description="Plain-language help under the title.")
    show_if: Condition | None = Field(None, description="Skip logic: who this step is for.")
    picture: Picture | None = Field(
        None, description="In Easy Read, a picture beside the question: " + ", ".join(PICTURES)
    )

    @property
    def collects_answer(self) -> bool:
        return True


class InformationStep(_Step):
    """A step that only tells participants something."""

    type: Literal["information"]
    text: Prose = ""

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


class _Scale(_Strict):
    """Numbers from min to max, with words at both ends."""

    min: int = Field(1, ge=0, le=10)
    max: int = Field(5, ge=1, le=10)
    min_label: Label
    max_label: Label

    @model_validator(mode="after")
    def _range(self) -> _Scale:
        if self.max <= self.min:
            raise ValueError("max must be larger than min")
        return self


class RatingScaleStep(_Step, _Scale):
    """A number on a scale, with words at both ends."""

    type: Literal["rating-scale"]
    required: bool = True


Whose = Literal["mine", "everyone"]


class _ActorStep(_Step):
    """A step about actors already named: a participant's own, or everyone's in the round."""

    actors: Whose = Field(
        "mine",
        description="'mine': the actors this participant named; 'everyone': all in the round.",
    )
    actor_kinds: list[Slug] = Field(
        default_factory=list, description="Only actors of these kinds (empty: every kind)."
    )
    required: bool = False


class NameActorsStep(_Step):
    """Name the people, groups and organisations in your network: they join the round's map."""

    type: Literal["name-actors"]
    actor_kinds: list[Slug] = Field(
        default_factory=list, description="Kinds people can choose from (empty: every kind)."
    )
    layer: Slug | None = Field(None, description="The layer the actors named here belong to.")
    max_actors: int = Field(20, ge=1, le=100)
    required: bool = False


class ConnectActorsStep(_ActorStep):
    """Say who is tied to whom, choosing both from lists."""

    type: Literal["connect-actors"]
    tie_kinds: list[Slug] = Field(
        default_factory=list, description="Kinds of tie people can choose (empty: every kind)."
    )
    max_ties: int = Field(30, ge=1, le=200)


class RateActorsStep(_ActorStep, _Scale):
    """Give each actor a number on a scale, such as influence from 1 to 5."""

    type: Literal["rate-actors"]


class SortActorsStep(_ActorStep):
    """Put each actor into one category: the codebook's layers, or options of its own."""

    type: Literal["sort-actors"]
    options: list[Option] = Field(
        default_factory=list, description="The categories (empty: the codebook's layers)."
    )


class MapStep(_Step):
    """Look at the shared map together, with a prompt."""

    type: Literal["look-at-the-map"]
    text: Prose = ""

    @property
    def collects_answer(self) -> bool:
        return False


class ReflectionStep(_Step):
    """Open text for the group: what people write may be shown to everyone, without names."""

    type: Literal["reflection"]
    max_length: int = Field(2000, ge=1, le=10000)
    required: bool = False


STEP_TYPES = (
    "information",
    "single-choice",
    "multiple-choice",
    "short-text",
    "long-text",
    "rating-scale",
    "name-actors",
    "connect-actors",
    "rate-actors",
    "sort-actors",
    "look-at-the-map",
    "reflection",
)
ACTOR_STEPS = ("connect-actors", "rate-actors", "sort-actors")
NETWORK_STEPS = ("name-actors", *ACTOR_STEPS)

Step = Annotated[
    InformationStep
    | SingleChoiceStep
    | MultipleChoiceStep
    | ShortTextStep
    | LongTextStep
    | RatingScaleStep
    | NameActorsStep
    | ConnectActorsStep
    | RateActorsStep
    | SortActorsStep
    | MapStep
    | ReflectionStep,
    Field(discriminator="type"),
]


class Questionnaire(_Strict):
    """A workshop: its steps in order."""

    id: Slug
    title: Title
    description: Description = ""
    version: int = Field(1, ge=1)
    language: LanguageTag = Field("en", description="The main language: every text has it.")
    languages: list[LanguageTag] = Field(
        default_factory=list,
        description="Every language the texts are given in, the main one too (empty: just it).",
    )
    fallbacks: dict[LanguageTag, LanguageTag] = Field(
        default_factory=dict,
        description="Where a language may borrow texts it lacks, e.g. {cy: en}.",
    )
    codebook: Codebook = Field(default_factory=Codebook)
    steps: list[Step] = Field(min_length=1)

    @property
    def provided_languages(self) -> list[str]:
        """The languages this questionnaire's texts come in, the main one first."""
        return [self.language, *(code for code in self.languages if code != self.language)]

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
