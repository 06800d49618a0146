"""The second pass: what a well-shaped questionnaire must also agree with itself about."""

from __future__ import annotations

from collections.abc import Iterator

from questionnaires.findings import Location
from questionnaires.schema import Questionnaire


def cross_reference_problems(questionnaire: Questionnaire) -> Iterator[tuple[Location, str]]:
    """Each (location, message) where parts of the file contradict each other."""
    first_at: dict[str, int] = {}
    for index, step in enumerate(questionnaire.steps):
        if step.id in first_at:
            yield (
                ("steps", index, "id"),
                f"the step id '{step.id}' is used twice (first by step {first_at[step.id] + 1}); "
                "give each step its own id",
            )
        first_at.setdefault(step.id, index)
        seen: set[str] = set()
        for number, option in enumerate(getattr(step, "options", [])):
            if option.id in seen:
                yield (
                    ("steps", index, "options", number, "id"),
                    f"the option id '{option.id}' is used twice in this step",
                )
            seen.add(option.id)
