"""look-at-the-map: the group looks at the round's shared map together, with a prompt."""

from __future__ import annotations

from typing import ClassVar, Literal

from questionnaires.parts import Prose
from questionnaires.steps.base import StepType, Stored


class MapStep(StepType):
    """Look at the shared map together, with a prompt."""

    type: Literal["look-at-the-map"]
    text: Prose = ""
    stores: ClassVar[Stored] = Stored.NOTHING
    shows_map: ClassVar[bool] = True
