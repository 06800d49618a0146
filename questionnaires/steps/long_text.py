"""long-text: a few sentences."""

from __future__ import annotations

from typing import Literal

from questionnaires.steps.shared import TextStep


class LongTextStep(TextStep):
    """A few sentences."""

    type: Literal["long-text"]
