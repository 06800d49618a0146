"""short-text: a word or a line of text."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from questionnaires.steps.shared import TextStep


class ShortTextStep(TextStep):
    """A word or a line of text."""

    type: Literal["short-text"]
    max_length: int = Field(200, ge=1, le=500)
    one_line: ClassVar[bool] = True
