"""information: a step that only tells participants something."""

from __future__ import annotations

from typing import ClassVar, Literal

from questionnaires.parts import Prose
from questionnaires.steps.base import StepType, Stored


class InformationStep(StepType):
    """A step that only tells participants something."""

    type: Literal["information"]
    text: Prose = ""
    stores: ClassVar[Stored] = Stored.NOTHING
