"""What a designer can set on each step type, read off the step's own model: one list of
settings per type, so a new field on a step type appears in the designer by itself."""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from annotated_types import Ge, Le
from pydantic.fields import FieldInfo

from questionnaires.parts import PARTICIPANT_TEXTS, Option
from questionnaires.schema import STEP_CLASSES, STEP_TYPES
from questionnaires.steps.base import StepType
from questionnaires.steps.rating_scale import RatingScaleStep
from questionnaires.steps.shared import ChoiceStep

LONG_TEXTS = frozenset({"help", "text", "description"})  # written in a box of several lines
_SEPARATE = frozenset({"id", "type", "show_if"})  # the step's own id, its type, skip logic


class Kind(StrEnum):
    """How a setting is edited."""

    TEXT = "text"  # words participants read, in each language and in Easy Read
    NUMBER = "number"
    SWITCH = "switch"  # yes or no
    CHOICE = "choice"  # one of a fixed few
    TERMS = "terms"  # some of the codebook's entries (none: all)
    TERM = "term"  # one of the codebook's entries, or none
    OPTIONS = "options"  # the step's own answers to choose from, each with words


@dataclass(frozen=True)
class Setting:
    """One setting of a step type, as its model defines it."""

    name: str
    kind: Kind
    default: Any = None
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()  # for CHOICE
    part: str | None = None  # the codebook's part, for TERMS and TERM
    optional_choice: bool = False  # a CHOICE that may be left unset

    @property
    def long(self) -> bool:
        return self.name in LONG_TEXTS


def settings_of(step_type: type[StepType]) -> list[Setting]:
    """Every setting of a step type: its texts first, then the model's order, the Easy Read
    picture last."""
    found = [
        _setting(step_type, name, info)
        for name, info in step_type.model_fields.items()
        if name not in _SEPARATE
    ]
    first = {"title": 0, "help": 1, "text": 2, "picture": 4}
    return sorted(found, key=lambda setting: first.get(setting.name, 3))


def _setting(step_type: type[StepType], name: str, info: FieldInfo) -> Setting:
    default = None if info.is_required() else info.get_default(call_default_factory=True)
    required = info.is_required()
    if name in PARTICIPANT_TEXTS:
        return Setting(name, Kind.TEXT, default, required)
    if name in step_type.codebook_fields:
        kind = Kind.TERMS if typing.get_origin(info.annotation) is list else Kind.TERM
        return Setting(name, kind, default, required, part=step_type.codebook_fields[name])
    annotation, optional = _unwrapped(info.annotation)
    if annotation is bool:
        return Setting(name, Kind.SWITCH, default, required)
    if annotation is int:
        bounds = {type(m): m for m in info.metadata}
        low, high = bounds.get(Ge), bounds.get(Le)
        return Setting(
            name,
            Kind.NUMBER,
            default,
            required,
            minimum=low.ge if low else None,
            maximum=high.le if high else None,
        )
    if typing.get_origin(annotation) is Literal:
        choices = tuple(str(v) for v in typing.get_args(annotation))
        return Setting(
            name, Kind.CHOICE, default, required, choices=choices, optional_choice=optional
        )
    if typing.get_origin(annotation) is list and typing.get_args(annotation) == (Option,):
        return Setting(name, Kind.OPTIONS, default, required)
    raise TypeError(f"{step_type.__name__}.{name}: the designer does not know this setting")


def _unwrapped(annotation: Any) -> tuple[Any, bool]:
    """`X | None` as (X, True); anything else as (it, False)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def conditions_offered(steps: list[dict], index: int) -> list[tuple[str, list[str]]]:
    """The earlier steps skip logic can look at, for the step at `index`, each with the
    answers it can match: (step id, answer ids). Steps as written, finished or not; what
    does not read as a choice or rating step is not offered."""
    by_type = dict(zip(STEP_TYPES, STEP_CLASSES, strict=True))
    offered = []
    for step in steps[:index]:
        kind, step_id = step.get("type"), step.get("id")
        cls = by_type.get(kind) if isinstance(kind, str) else None
        if cls is None or not isinstance(step_id, str):
            continue
        if issubclass(cls, ChoiceStep):
            options = step.get("options")
            listed = options if isinstance(options, list) else []
            offered.append((step_id, [str(o.get("id")) for o in listed if isinstance(o, dict)]))
        elif cls is RatingScaleStep:
            low, high = step.get("min", 1), step.get("max", 5)
            fits = isinstance(low, int) and isinstance(high, int) and 0 <= low < high <= 10
            offered.append((step_id, [str(n) for n in range(low, high + 1)] if fits else []))
    return offered
