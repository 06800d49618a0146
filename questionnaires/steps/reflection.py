"""reflection: open text for the group, shown to everyone without names."""

from __future__ import annotations

from typing import ClassVar, Literal

from questionnaires.steps.shared import TextStep


class ReflectionStep(TextStep):
    """Open text for the group: what people write may be shown to everyone, without names."""

    type: Literal["reflection"]
    required: bool = False
    named_answers: ClassVar[bool] = False
