"""Check a participant's submitted answer against its step, and tally a step's answers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from facilitation.text import clean
from questionnaires.schema import (
    NETWORK_STEPS,
    LongTextStep,
    MultipleChoiceStep,
    RateActorsStep,
    RatingScaleStep,
    ReflectionStep,
    ShortTextStep,
    SingleChoiceStep,
    Step,
)

# A network step's answer is a list of {"actor" or "tie": id, "label": words, ...} items.
AnswerValue = str | int | list[str] | list[dict]


class Problem(StrEnum):
    """What is wrong with a submitted answer."""

    CHOOSE_ONE = "choose-one"
    CHOOSE_AT_LEAST_ONE = "choose-at-least-one"
    UNKNOWN_OPTION = "unknown-option"
    ENTER_TEXT = "enter-text"
    TOO_LONG = "too-long"
    CHOOSE_NUMBER = "choose-number"
    NO_ANSWER_NEEDED = "no-answer-needed"
    ENTER_NAME = "enter-name"
    NAME_TOO_LONG = "name-too-long"
    CHOOSE_KIND = "choose-kind"
    TOO_MANY = "too-many"
    CHOOSE_SOURCE = "choose-source"
    CHOOSE_TARGET = "choose-target"
    SAME_ACTOR = "same-actor"
    PLACE_ONE = "place-one"


class AnswerRejected(Exception):
    """A submitted answer that cannot be stored; `problem` says why (the first, when a
    form with several fields has several problems: `problems` lists them all)."""

    def __init__(self, problem: Problem, *more: Problem) -> None:
        super().__init__(", ".join(p.value for p in (problem, *more)))
        self.problem = problem
        self.problems = (problem, *more)


def check_answer(step: Step, submitted: Sequence[str]) -> AnswerValue | None:
    """Turn the raw values a form sent for a step into the value to store.

    Returns None for an optional step left empty. Raises AnswerRejected otherwise.
    """
    values = [v for v in (clean(s) for s in submitted) if v]
    required = getattr(step, "required", False)
    if isinstance(step, SingleChoiceStep):
        if not values:
            return _empty(required, Problem.CHOOSE_ONE)
        if len(values) > 1 or values[0] not in {o.id for o in step.options}:
            raise AnswerRejected(Problem.UNKNOWN_OPTION)
        return values[0]
    if isinstance(step, MultipleChoiceStep):
        if not values:
            return _empty(required, Problem.CHOOSE_AT_LEAST_ONE)
        known = [o.id for o in step.options]
        if not set(values) <= set(known):
            raise AnswerRejected(Problem.UNKNOWN_OPTION)
        return [o for o in known if o in values]  # questionnaire order, no repeats
    if isinstance(step, ShortTextStep | LongTextStep | ReflectionStep):
        text = "\n".join(values) if not isinstance(step, ShortTextStep) else " ".join(values)
        if not text:
            return _empty(required, Problem.ENTER_TEXT)
        if len(text) > step.max_length:
            raise AnswerRejected(Problem.TOO_LONG)
        return text
    if isinstance(step, RatingScaleStep):
        if not values:
            return _empty(required, Problem.CHOOSE_NUMBER)
        try:
            number = int(values[0])
        except ValueError:
            raise AnswerRejected(Problem.CHOOSE_NUMBER) from None
        if len(values) > 1 or not step.min <= number <= step.max:
            raise AnswerRejected(Problem.CHOOSE_NUMBER)
        return number
    raise AnswerRejected(Problem.NO_ANSWER_NEEDED)


def _empty(required: bool, problem: Problem) -> None:
    if required:
        raise AnswerRejected(problem)
    return None


def answer_labels(step: Step, value: AnswerValue | None) -> list[str]:
    """The answer as the words a participant chose or wrote, for showing back."""
    if value is None:
        return []
    if step.type in NETWORK_STEPS:
        return [item["label"] for item in value]
    if isinstance(step, SingleChoiceStep | MultipleChoiceStep):
        labels = {o.id: o.label for o in step.options}
        chosen = value if isinstance(value, list) else [value]
        return [labels.get(str(v), str(v)) for v in chosen]
    return [str(value)]


@dataclass(frozen=True)
class Tally:
    """A step's answers so far: a count per choice, or the texts in arrival order."""

    answered: int
    counts: tuple[tuple[str, int], ...]  # (label, count), in the questionnaire's order
    texts: tuple[str, ...]
    averages: tuple[tuple[str, float, int], ...] = ()  # (actor, mean rating, how many rated)


def tally(step: Step, values: Iterable[AnswerValue | None]) -> Tally:
    """Count the answers to one step."""
    given = [v for v in values if v is not None]
    if isinstance(step, SingleChoiceStep | MultipleChoiceStep):
        counter: Counter[str] = Counter()
        for value in given:
            counter.update(value if isinstance(value, list) else [value])
        counts = tuple((o.label, counter[o.id]) for o in step.options)
        return Tally(len(given), counts, ())
    if isinstance(step, RatingScaleStep):
        counter = Counter(str(v) for v in given)
        counts = tuple((str(n), counter[str(n)]) for n in range(step.min, step.max + 1))
        return Tally(len(given), counts, ())
    if isinstance(step, RateActorsStep):  # each actor's mean rating, highest first
        ratings: dict[str, list[int]] = {}
        for value in given:
            for item in value:
                ratings.setdefault(item["name"], []).append(item["value"])
        averages = tuple(
            sorted(
                ((name, sum(v) / len(v), len(v)) for name, v in ratings.items()),
                key=lambda row: (-row[1], row[0].casefold()),
            )
        )
        return Tally(len(given), (), (), averages)
    if step.type in NETWORK_STEPS:  # how many people named each actor, tie or category
        counter = Counter(label for v in given for label in answer_labels(step, v))
        return Tally(len(given), tuple(counter.most_common()), ())
    return Tally(len(given), (), tuple(str(v) for v in given))
