"""The pieces every part of the format shares: ids, texts in several languages, the codebook."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from questionnaires.pictures import PICTURES

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)]
LanguageTag = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
EASY_READ = "-easy"  # "en-easy": the Easy Read version of the English text
ONE_TEXT, BY_LANGUAGE = "one-text", "by-language"  # the two forms of a text, in error paths


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


class Strict(BaseModel):
    """Every part of the format: unknown fields are mistakes, and nothing changes once read."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(Strict):
    """One answer a participant can pick."""

    id: Slug
    label: LongLabel


class Term(Strict):
    """One entry of a codebook: a readable id and the plain words participants see."""

    id: Slug
    label: Label


class TieKind(Term):
    """A kind of tie, and whether it goes one way ("funds") or both ("works with")."""

    directed: bool = Field(
        default=False,
        description="True when the tie goes from one actor to the other, as 'funds' does: "
        "the map draws an arrow. Leave it out for ties that go both ways, like 'works with'.",
    )


class Codebook(Strict):
    """The words a network map is made of, defined once for the whole questionnaire."""

    actor_kinds: list[Term] = Field(
        default_factory=list, description="Kinds of actor: organisation, group, person..."
    )
    tie_kinds: list[TieKind] = Field(
        default_factory=list, description="Kinds of tie: works with, ally, funds..."
    )
    layers: list[Term] = Field(
        default_factory=list, description="Network layers: offline, online, aspirational..."
    )


class Condition(Strict):
    """Show a step only to people whose answer to an earlier step is one of these."""

    step: Slug = Field(description="The id of an earlier choice or rating step.")
    any_of: list[str] = Field(
        min_length=1, description="Option ids (or numbers, for a rating) that show the step."
    )
