"""What changed between two versions of a questionnaire, step by step: steps added, removed
and moved, and each setting or text (in each language) that changed, from its words before
to its words after."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import yaml


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    MOVED = "moved"
    CHANGED = "changed"


@dataclass(frozen=True)
class Difference:
    """One setting that differs: where ("title", "options 2 label", with the language of a
    text), and its value before and after, as words ("" where there was none)."""

    where: tuple[str | int, ...]
    before: str
    after: str


@dataclass(frozen=True)
class StepChange:
    """What happened to one step between the versions."""

    step_id: str
    change: set[Change]
    place_before: int | None  # 1-based
    place_after: int | None
    differences: list[Difference] = field(default_factory=list)


def _read(text: str) -> dict:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _steps(data: dict) -> dict[str, tuple[int, dict]]:
    steps = data.get("steps")
    found: dict[str, tuple[int, dict]] = {}
    for place, step in enumerate(steps if isinstance(steps, list) else [], start=1):
        if isinstance(step, dict):
            found.setdefault(str(step.get("id")), (place, step))
    return found


def differences(before: Any, after: Any, where: tuple = ()) -> Iterator[Difference]:
    """Each leaf that differs between two pieces of a questionnaire, with its path."""
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        for key in [*before, *(k for k in after if k not in before)]:
            yield from differences(before.get(key), after.get(key), (*where, key))
    elif isinstance(before, list) and isinstance(after, list) and _items(before + after):
        for number in range(max(len(before), len(after))):
            old = before[number] if number < len(before) else None
            new = after[number] if number < len(after) else None
            yield from differences(old, new, (*where, number + 1))
    elif before != after:
        yield Difference(where, _words(before), _words(after))


def _items(values: list) -> bool:
    return any(isinstance(v, Mapping | list) for v in values)


def _words(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping | list):
        return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True).strip()
    return str(value)


def questionnaire_changes(before_text: str, after_text: str) -> list[Difference]:
    """What changed outside the steps: title, languages, codebook..."""
    before, after = _read(before_text), _read(after_text)
    before.pop("steps", None)
    after.pop("steps", None)
    before.pop("version", None)
    after.pop("version", None)
    return list(differences(before, after))


def step_changes(before_text: str, after_text: str) -> list[StepChange]:
    """Every step that was added, removed, moved or changed, in the newer version's order
    (removed steps where they were)."""
    before, after = _steps(_read(before_text)), _steps(_read(after_text))
    stayed = _kept_in_order([s for s in before if s in after], [s for s in after if s in before])
    found: list[StepChange] = []
    for step_id, (place, step) in after.items():
        if step_id not in before:
            found.append(StepChange(step_id, {Change.ADDED}, None, place))
            continue
        old_place, old = before[step_id]
        change: set[Change] = set()
        listed = list(differences(old, step))
        if listed:
            change.add(Change.CHANGED)
        if step_id not in stayed:
            change.add(Change.MOVED)
        if change:
            found.append(StepChange(step_id, change, old_place, place, listed))
    for step_id, (place, _step) in before.items():
        if step_id not in after:
            found.append(StepChange(step_id, {Change.REMOVED}, place, None))
    return sorted(
        found, key=lambda c: (c.place_after or c.place_before or 0, c.place_after is None)
    )


def _kept_in_order(first: list[str], second: list[str]) -> set[str]:
    """The most steps that kept their order (the longest common subsequence): the others
    are the ones that moved, so moving one step down names it alone."""
    lengths = [[0] * (len(second) + 1) for _ in range(len(first) + 1)]
    for i, a in enumerate(first):
        for j, b in enumerate(second):
            lengths[i + 1][j + 1] = (
                lengths[i][j] + 1 if a == b else max(lengths[i][j + 1], lengths[i + 1][j])
            )
    kept, i, j = set(), len(first), len(second)
    while i and j:
        if first[i - 1] == second[j - 1]:
            kept.add(first[i - 1])
            i, j = i - 1, j - 1
        elif lengths[i - 1][j] >= lengths[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return kept
