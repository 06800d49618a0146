"""The questionnaire format as pydantic models: one source of truth for loading and checking.

The pieces every part shares are in parts.py, and each step type is in its own module of
steps/ (import a type's class from there).
"""

from __future__ import annotations

from pydantic import Field

from questionnaires.parts import (
    BY_LANGUAGE,
    EASY_READ,
    ONE_TEXT,
    PARTICIPANT_TEXTS,
    Codebook,
    Condition,
    Description,
    LanguageTag,
    Option,
    Slug,
    Strict,
    Term,
    TieKind,
    Title,
)
from questionnaires.steps import STEP_CLASSES, STEP_TYPES, Step
from questionnaires.steps.base import StepType, Stored

__all__ = [
    "BY_LANGUAGE",
    "EASY_READ",
    "ONE_TEXT",
    "PARTICIPANT_TEXTS",
    "STEP_CLASSES",
    "STEP_TYPES",
    "Codebook",
    "Condition",
    "Option",
    "Questionnaire",
    "Step",
    "StepType",
    "Stored",
    "Term",
    "TieKind",
]


class Questionnaire(Strict):
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
