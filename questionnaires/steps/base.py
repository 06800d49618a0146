"""What every step type is: its fields, what it stores, its answer rule, its tally, its template."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from questionnaires.findings import N_, Location, Said
from questionnaires.parts import (
    Codebook,
    Condition,
    Help,
    Option,
    Picture,
    Slug,
    Strict,
    Term,
    Title,
)
from questionnaires.pictures import PICTURES

# A network step's answer is a list of items, each with the ids of what was chosen (an
# actor; a tie's two actors and kind; an actor and its category or number) and "label":
# the words the person saw then, in their language, kept for their own copy.
AnswerValue = str | int | list[str] | list[dict]


class Stored(StrEnum):
    """What a step's answer becomes in a round."""

    NOTHING = "nothing"  # information: no answer
    VALUE = "value"  # one answer: a choice, a number, words
    ACTORS = "actors"  # names on the round's map, added and removed one at a time
    TIES = "ties"  # connections between names, added and removed one at a time
    PLACEMENTS = "placements"  # a number or a category for each name, saved together


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


@dataclass(frozen=True)
class Tally:
    """A step's answers so far: a count per choice, or the texts in arrival order."""

    answered: int
    counts: tuple[tuple[str, int], ...]  # (label, count), in the questionnaire's order
    texts: tuple[str, ...]
    averages: tuple[tuple[str, float, int], ...] = ()  # (actor, mean rating, how many rated)
    columns: tuple[str, ...] = ()  # a table of names by category: the categories
    rows: tuple[tuple[str, tuple[int, ...]], ...] = ()  # (name, how many chose each category)


@dataclass(frozen=True)
class Names:
    """What counting needs to word the ids people chose, in the reader's language: each
    actor as it shows now (a merged one as the actor it was merged into), and the codebook.
    Empty, the words stored with each answer are used."""

    # Actor id: (the id it shows as, that actor's name).
    actors: Mapping[int, tuple[int, str]] = dataclass_field(default_factory=dict)
    codebook: Codebook | None = None

    def actor(self, actor_id: int, words: str) -> tuple[int | str, str]:
        """The actor an id shows as now, and its name (`words` for one not known here)."""
        return self.actors.get(actor_id, (f"?{words}", words))

    def term(self, part: str, term_id: str) -> str:
        """A codebook entry's label (its id when there is no codebook, or no such entry)."""
        terms = getattr(self.codebook, part, []) if self.codebook else []
        return next((str(t.label) for t in terms if t.id == term_id), term_id)


# What the checks say of each codebook part: one message per part, so that each reads
# whole in every language.
_NONE_IN_CODEBOOK = {
    "actor_kinds": N_(
        "this step needs at least one actor kind, and the codebook has none; add them under "
        "codebook: actor_kinds"
    ),
    "tie_kinds": N_(
        "this step needs at least one tie kind, and the codebook has none; add them under "
        "codebook: tie_kinds"
    ),
    "layers": N_(
        "this step needs at least one layer, and the codebook has none; add them under "
        "codebook: layers"
    ),
}
_NOT_IN_CODEBOOK = {
    "actor_kinds": N_("actor kind '%(value)s' is not in the codebook; known kinds: %(known)s"),
    "tie_kinds": N_("tie kind '%(value)s' is not in the codebook; known kinds: %(known)s"),
    "layers": N_("layer '%(value)s' is not in the codebook; known layers: %(known)s"),
}


class StepType(Strict):
    """One screen of a questionnaire. Each step type is a subclass in its own module of
    questionnaires/steps/, and the lists of types are made from those modules."""

    id: Slug
    title: Title = Field(description="What the step asks or says.")
    help: Help = Field("", description="Plain-language help under the title.")
    show_if: Condition | None = Field(None, description="Skip logic: who this step is for.")
    picture: Picture | None = Field(
        None, description="In Easy Read, a picture beside the question: " + ", ".join(PICTURES)
    )

    stores: ClassVar[Stored] = Stored.VALUE
    # Whether the lead may show the group everyone's answers (counts and words, no names).
    revealable: ClassVar[bool] = False
    # Whether the console names who wrote each written answer (reflections are anonymous).
    named_answers: ClassVar[bool] = True
    # Whether participants see the round's map while this step is open.
    shows_map: ClassVar[bool] = False
    # Fields that name codebook entries (field -> the codebook's part), and the parts this
    # step cannot do without: the file's second pass checks both.
    codebook_fields: ClassVar[dict[str, str]] = {}
    needs_terms: ClassVar[tuple[str, ...]] = ()

    @property
    def collects_answer(self) -> bool:
        """Whether people answer this step (information steps only tell)."""
        return self.stores is not Stored.NOTHING

    @property
    def adds_to_map(self) -> bool:
        """Whether answers here are names, ties or placements on the round's map."""
        return self.stores in (Stored.ACTORS, Stored.TIES, Stored.PLACEMENTS)

    @property
    def adds_one_at_a_time(self) -> bool:
        """Whether people add and remove items one at a time, rather than fill in one form."""
        return self.stores in (Stored.ACTORS, Stored.TIES)

    @property
    def template(self) -> str:
        """The template whose macros draw this step: templates/steps/<type>.html."""
        return f"steps/{self.type}.html"

    @property
    def max_items(self) -> int | None:
        """How many items one person may add here, for steps that add one at a time."""
        return None

    def check(self, values: list[str]) -> AnswerValue | None:
        """The value to store from a form's cleaned, non-empty values; None for an optional
        step left empty. Raises AnswerRejected."""
        raise AnswerRejected(Problem.NO_ANSWER_NEEDED)

    def labels(self, value: AnswerValue, names: Names | None = None) -> list[str]:
        """A stored answer as words: those a participant chose or wrote, or (given `names`)
        the chosen ids worded in the reader's language, merged names as they show now."""
        return [str(value)]

    def tally(self, given: Sequence[AnswerValue], names: Names | None = None) -> Tally:
        """Count the answers given (none of them None); network answers by what was chosen
        (ids, merged names as one), worded with `names`."""
        return Tally(len(given), (), tuple(str(v) for v in given))

    def answers_to_match(self) -> list[str] | None:
        """What skip logic may match in this step's answers; None if it cannot look here."""
        return None

    def kinds(self, codebook: Codebook) -> list[Term]:
        """The kinds people choose from here (of actor, or of tie), in codebook order."""
        return []

    def categories(self, codebook: Codebook) -> list[Option]:
        """What each name can be given here: numbers on a scale, or categories."""
        return []

    def problems(
        self, codebook: Codebook, earlier: Sequence[StepType]
    ) -> Iterator[tuple[Location, str]]:
        """Where this step disagrees with the codebook or the steps before it (locations
        inside the step)."""
        for field, part in self.codebook_fields.items():
            known = [term.id for term in getattr(codebook, part)]
            if part in self.needs_terms and not known:
                yield ("type",), Said(_NONE_IN_CODEBOOK[part])
            chosen = getattr(self, field)
            listed = chosen if isinstance(chosen, list) else [] if chosen is None else [chosen]
            for number, value in enumerate(listed):
                if value not in known:
                    where = (field, number) if isinstance(chosen, list) else (field,)
                    unknown = Said(
                        _NOT_IN_CODEBOOK[part], value=value, known=", ".join(known) or "none"
                    )
                    yield where, unknown
