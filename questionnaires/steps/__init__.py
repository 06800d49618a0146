"""Step types: one module each in this folder; every list of types is made from those modules.

Adding a step type means a module here (its fields, answer rule, tally and what it stores),
a template in workshop/templates/steps/ named after its type, its messages and its tests.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Annotated, Union, get_args

from pydantic import Field

from questionnaires.steps.base import StepType

_NOT_TYPES = {"base", "shared"}  # what step types share, not types of their own
for _module in pkgutil.iter_modules(__path__):
    if _module.name not in _NOT_TYPES:
        importlib.import_module(f"{__name__}.{_module.name}")


def _concrete(cls: type[StepType]) -> list[type[StepType]]:
    found = [cls] if "type" in cls.model_fields else []
    return found + [c for sub in cls.__subclasses__() for c in _concrete(sub)]


def _type_of(cls: type[StepType]) -> str:
    return get_args(cls.model_fields["type"].annotation)[0]


STEP_CLASSES: tuple[type[StepType], ...] = tuple(
    sorted(dict.fromkeys(_concrete(StepType)), key=_type_of)
)
STEP_TYPES: tuple[str, ...] = tuple(_type_of(cls) for cls in STEP_CLASSES)

# Any one step, read from a file by its `type`.
Step = Annotated[Union[STEP_CLASSES], Field(discriminator="type")]  # noqa: UP007
