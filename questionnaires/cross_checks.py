"""The second pass: what a well-shaped questionnaire must also agree with itself about."""

from __future__ import annotations

from collections.abc import Iterator

from questionnaires.findings import N_, Location, Said
from questionnaires.schema import Questionnaire

_TWICE = {
    "actor_kinds": N_("'%(id)s' is listed twice in the codebook's actor kinds"),
    "tie_kinds": N_("'%(id)s' is listed twice in the codebook's tie kinds"),
    "layers": N_("'%(id)s' is listed twice in the codebook's layers"),
}
_LATER = N_(
    "show_if refers to '%(step)s', which comes later; it can only refer to an earlier choice "
    "or rating step (earlier ones: %(known)s)"
)
_NOT_A_STEP = N_(
    "show_if refers to '%(step)s', which is not a step in this questionnaire; it can only "
    "refer to an earlier choice or rating step (earlier ones: %(known)s)"
)


def cross_reference_problems(questionnaire: Questionnaire) -> Iterator[tuple[Location, str]]:
    """Each (location, message) where parts of the file contradict each other."""
    for part in ("actor_kinds", "tie_kinds", "layers"):
        seen_terms: set[str] = set()
        for number, term in enumerate(getattr(questionnaire.codebook, part)):
            if term.id in seen_terms:
                yield (
                    ("codebook", part, number, "id"),
                    Said(_TWICE[part], id=term.id),
                )
            seen_terms.add(term.id)
    first_at: dict[str, int] = {}
    for index, step in enumerate(questionnaire.steps):
        if step.id in first_at:
            yield (
                ("steps", index, "id"),
                Said(
                    N_(
                        "the step id '%(id)s' is used twice (first by step %(first)s); give "
                        "each step its own id"
                    ),
                    id=step.id,
                    first=first_at[step.id] + 1,
                ),
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
                    Said(N_("the option id '%(id)s' is used twice in this step"), id=option.id),
                )
            seen.add(option.id)


def _codebook_problems(questionnaire: Questionnaire, index: int) -> Iterator[tuple[Location, str]]:
    """What the step's own type says it disagrees with: codebook kinds and layers, and steps
    it needs before it."""
    step = questionnaire.steps[index]
    for where, message in step.problems(questionnaire.codebook, questionnaire.steps[:index]):
        yield ("steps", index, *where), message


def _condition_problems(questionnaire: Questionnaire, index: int) -> Iterator[tuple[Location, str]]:
    """Skip logic may only look back, at a step whose answers it can name."""
    condition = questionnaire.steps[index].show_if
    where: Location = ("steps", index, "show_if", "step")
    earlier = {s.id: s for s in questionnaire.steps[:index]}
    if condition.step not in earlier:
        later = any(s.id == condition.step for s in questionnaire.steps[index:])
        known = ", ".join(s.id for s in earlier.values() if s.answers_to_match()) or "none"
        message = _LATER if later else _NOT_A_STEP
        yield where, Said(message, step=condition.step, known=known)
        return
    answers = earlier[condition.step].answers_to_match()
    if answers is None:
        yield (
            where,
            Said(
                N_(
                    "show_if refers to '%(step)s', which is not a choice or rating step, so "
                    "there is nothing to match"
                ),
                step=condition.step,
            ),
        )
        return
    for number, value in enumerate(condition.any_of):
        if value not in answers:
            yield (
                ("steps", index, "show_if", "any_of", number),
                Said(
                    N_("'%(value)s' is not an answer to '%(step)s'; its answers are: %(answers)s"),
                    value=value,
                    step=condition.step,
                    answers=", ".join(answers),
                ),
            )
