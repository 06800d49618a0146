"""What several step types share: options to pick, text, a scale, names to answer about."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterator, Sequence
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from questionnaires.findings import N_, Location, Said
from questionnaires.parts import Codebook, Label, Option, Slug, Strict
from questionnaires.steps.base import (
    AnswerRejected,
    AnswerValue,
    Names,
    Problem,
    StepType,
    Stored,
    Tally,
)


class ChoiceStep(StepType):
    """Pick from the step's own options."""

    options: list[Option] = Field(min_length=2)
    required: bool = True
    revealable: ClassVar[bool] = True

    def labels(self, value: AnswerValue, names: Names | None = None) -> list[str]:
        words = {o.id: o.label for o in self.options}
        chosen = value if isinstance(value, list) else [value]
        return [words.get(str(v), str(v)) for v in chosen]

    def tally(self, given: Sequence[AnswerValue], names: Names | None = None) -> Tally:
        counter: Counter[str] = Counter()
        for value in given:
            counter.update(value if isinstance(value, list) else [value])
        return Tally(len(given), tuple((o.label, counter[o.id]) for o in self.options), ())

    def answers_to_match(self) -> list[str] | None:
        return [o.id for o in self.options]


class TextStep(StepType):
    """Words people write; several lines unless the step is one line."""

    max_length: int = Field(2000, ge=1, le=10000)
    required: bool = True
    revealable: ClassVar[bool] = True
    one_line: ClassVar[bool] = False

    def check(self, values: list[str]) -> AnswerValue | None:
        text = (" " if self.one_line else "\n").join(values)
        if not text:
            return empty(self, Problem.ENTER_TEXT)
        if len(text) > self.max_length:
            raise AnswerRejected(Problem.TOO_LONG)
        return text


class Scale(Strict):
    """Numbers from min to max, with words at both ends."""

    min: int = Field(1, ge=0, le=10)
    max: int = Field(5, ge=1, le=10)
    min_label: Label
    max_label: Label

    @model_validator(mode="after")
    def _range(self) -> Scale:
        if self.max <= self.min:
            raise ValueError("max must be larger than min")
        return self

    @property
    def numbers(self) -> list[str]:
        """Every number on the scale, as the form sends it."""
        return [str(n) for n in range(self.min, self.max + 1)]


class NetworkStep(StepType):
    """A step whose answer is a list of items on the round's map, each with its words."""

    required: bool = False

    def chosen(self, item: dict, names: Names) -> tuple[Hashable, str]:
        """What one item chose, as counting tells it apart (merged names as one), and its
        words. An item `names` cannot word is known by the words stored with it."""
        return names.actor(item["actor"], item["label"])

    def labels(self, value: AnswerValue, names: Names | None = None) -> list[str]:
        if names is None:
            return [item["label"] for item in value]
        return [self.chosen(item, names)[1] for item in value]

    def tally(self, given: Sequence[AnswerValue], names: Names | None = None) -> Tally:
        """How many people chose each actor, tie or category, most first."""
        names = names or Names()
        counter: Counter[Hashable] = Counter()
        words: dict[Hashable, str] = {}
        for value in given:
            mine = dict(self.chosen(item, names) for item in value)
            counter.update(mine.keys())  # a person who named both merged names: once
            words.update(mine)
        rows = sorted(counter.items(), key=lambda row: (-row[1], words[row[0]].casefold()))
        return Tally(len(given), tuple((words[key], count) for key, count in rows), ())


Whose = Literal["mine", "everyone"]


class ActorStep(NetworkStep):
    """A step about actors already named: a participant's own, or everyone's in the round."""

    actors: Whose = Field(
        "mine",
        description="'mine': the actors this participant named; 'everyone': all in the round.",
    )
    actor_kinds: list[Slug] = Field(
        default_factory=list, description="Only actors of these kinds (empty: every kind)."
    )
    codebook_fields: ClassVar[dict[str, str]] = {"actor_kinds": "actor_kinds"}

    def problems(
        self, codebook: Codebook, earlier: Sequence[StepType]
    ) -> Iterator[tuple[Location, str]]:
        yield from super().problems(codebook, earlier)
        if not any(step.stores is Stored.ACTORS for step in earlier):
            yield (
                ("type",),
                Said(
                    N_(
                        "a %(type)s step needs a name-actors step before it, so that there "
                        "are actors to choose from"
                    ),
                    type=self.type,
                ),
            )


class PlacementStep(ActorStep):
    """Give each actor one of the step's categories; saved together, as one answer."""

    stores: ClassVar[Stored] = Stored.PLACEMENTS
    revealable: ClassVar[bool] = True
    wrong_category: ClassVar[Problem] = Problem.UNKNOWN_OPTION

    def placed(self, value: str) -> int | str:
        """A category as it is stored."""
        return value

    def chosen(self, item: dict, names: Names) -> tuple[Hashable, str]:
        if not names.actors:
            return f"?{item['label']}", item["label"]
        actor, name = names.actor(item["actor"], item.get("name", ""))
        value = item.get("value")
        return (actor, value), f"{name}: {self.category(value, names)}"

    def category(self, value: int | str | None, names: Names) -> str:
        """A stored category's words in the reader's language."""
        codebook = names.codebook or Codebook()
        return next((str(c.label) for c in self.categories(codebook) if c.id == str(value)), "")

    def tally(self, given: Sequence[AnswerValue], names: Names | None = None) -> Tally:
        """A table of names by category: how many people put each name in each one."""
        names = names or Names()
        columns = self.categories(names.codebook or Codebook())
        placed: dict[Hashable, set[tuple[int, str]]] = defaultdict(set)
        words: dict[Hashable, str] = {}
        for person, value in enumerate(given):
            for item in value:
                actor, name = names.actor(item["actor"], item.get("name", ""))
                placed[actor].add((person, str(item.get("value"))))
                words[actor] = name
        rows = tuple(
            (words[actor], tuple(sum(1 for _p, v in placed[actor] if v == c.id) for c in columns))
            for actor in sorted(placed, key=lambda a: words[a].casefold())
        )
        return Tally(len(given), (), (), columns=tuple(str(c.label) for c in columns), rows=rows)


def empty(step: StepType, problem: Problem) -> None:
    """An optional step may be left empty; a required one says what is missing."""
    if getattr(step, "required", False):
        raise AnswerRejected(problem)
    return None
