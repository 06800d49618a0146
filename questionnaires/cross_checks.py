"""The second pass: what a well-shaped questionnaire must also agree with itself about."""

from __future__ import annotations

from collections.abc import Iterator

from questionnaires.findings import Location
from questionnaires.schema import (
    ConnectActorsStep,
    MultipleChoiceStep,
    NameActorsStep,
    Questionnaire,
    RatingScaleStep,
    SingleChoiceStep,
    SortActorsStep,
    Step,
)


def cross_reference_problems(questionnaire: Questionnaire) -> Iterator[tuple[Location, str]]:
    """Each (location, message) where parts of the file contradict each other."""
    for part in ("actor_kinds", "tie_kinds", "layers"):
        seen_terms: set[str] = set()
        for number, term in enumerate(getattr(questionnaire.codebook, part)):
            if term.id in seen_terms:
                yield (
                    ("codebook", part, number, "id"),
                    f"'{term.id}' is listed twice in the codebook's {part.replace('_', ' ')}",
                )
            seen_terms.add(term.id)
    first_at: dict[str, int] = {}
    for index, step in enumerate(questionnaire.steps):
        if step.id in first_at:
            yield (
                ("steps", index, "id"),
                f"the step id '{step.id}' is used twice (first by step {first_at[step.id] + 1}); "
                "give each step its own id",
            )
        first_at.setdefault(step.id, index)
        if step.show_if is not None:
            yield from _condition_problems(questionnaire, index)
        yield from _codebook_problems(questionnaire, index)
        seen: set[str] = set()
        for number, option in enumerate(getattr(step, "options", [])):
            if option.id in seen:
                yield (
                    ("steps", index, "options", number, "id"),
                    f"the option id '{option.id}' is used twice in this step",
                )
            seen.add(option.id)


# (what the step lists, the codebook's part, how to name one entry in a message)
_REFERENCES = (
    ("actor_kinds", "actor_kinds", "actor kind"),
    ("tie_kinds", "tie_kinds", "tie kind"),
)


def _codebook_problems(questionnaire: Questionnaire, index: int) -> Iterator[tuple[Location, str]]:
    """Network steps may only use the kinds and layers the codebook defines."""
    step = questionnaire.steps[index]
    codebook = questionnaire.codebook
    for field, part, noun in _REFERENCES:
        if not hasattr(step, field):
            continue
        known = [term.id for term in getattr(codebook, part)]
        needs_some = isinstance(step, NameActorsStep) or (
            isinstance(step, ConnectActorsStep) and part == "tie_kinds"
        )
        if needs_some and not known:
            yield (
                ("steps", index, "type"),
                f"this step needs at least one {noun}, and the codebook has none; "
                f"add them under codebook: {part}",
            )
        for number, value in enumerate(getattr(step, field)):
            if value not in known:
                yield (
                    ("steps", index, field, number),
                    f"{noun} '{value}' is not in the codebook; known kinds: "
                    f"{', '.join(known) or 'none'}",
                )
    layers = [term.id for term in codebook.layers]
    layer = getattr(step, "layer", None)
    if layer is not None and layer not in layers:
        yield (
            ("steps", index, "layer"),
            f"layer '{layer}' is not in the codebook; known layers: {', '.join(layers) or 'none'}",
        )
    if isinstance(step, SortActorsStep) and not step.options and not layers:
        yield (
            ("steps", index, "type"),
            "this step sorts actors into the codebook's layers, and it has none; "
            "add codebook: layers, or give the step its own options",
        )
    if hasattr(step, "actors") and not any(
        isinstance(earlier, NameActorsStep) for earlier in questionnaire.steps[:index]
    ):
        yield (
            ("steps", index, "type"),
            f"a {step.type} step needs a name-actors step before it, "
            "so that there are actors to choose from",
        )


def _condition_problems(questionnaire: Questionnaire, index: int) -> Iterator[tuple[Location, str]]:
    """Skip logic may only look back, at a step whose answers it can name."""
    condition = questionnaire.steps[index].show_if
    where: Location = ("steps", index, "show_if", "step")
    earlier = {s.id: s for s in questionnaire.steps[:index]}
    if condition.step not in earlier:
        later = any(s.id == condition.step for s in questionnaire.steps[index:])
        known = ", ".join(s.id for s in earlier.values() if _answers_of(s)) or "none"
        reason = "comes later" if later else "is not a step in this questionnaire"
        yield (
            where,
            (
                f"show_if refers to '{condition.step}', which {reason}; it can only refer to an "
                f"earlier choice or rating step (earlier ones: {known})"
            ),
        )
        return
    answers = _answers_of(earlier[condition.step])
    if answers is None:
        yield (
            where,
            (
                f"show_if refers to '{condition.step}', which is not a choice or rating step, "
                "so there is nothing to match"
            ),
        )
        return
    for number, value in enumerate(condition.any_of):
        if value not in answers:
            yield (
                ("steps", index, "show_if", "any_of", number),
                (
                    f"'{value}' is not an answer to '{condition.step}'; "
                    f"its answers are: {', '.join(answers)}"
                ),
            )


def _answers_of(step: Step) -> list[str] | None:
    if isinstance(step, SingleChoiceStep | MultipleChoiceStep):
        return [o.id for o in step.options]
    if isinstance(step, RatingScaleStep):
        return [str(n) for n in range(step.min, step.max + 1)]
    return None
