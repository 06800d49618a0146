"""Network steps in plain Python: the words for actors and ties, and checks on what people add."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from facilitation.answers import AnswerRejected, Problem
from facilitation.text import as_id, clean
from questionnaires.schema import Codebook
from questionnaires.steps.connect_actors import ConnectActorsStep
from questionnaires.steps.connect_actors import tie_words as tie_words  # the pages' words
from questionnaires.steps.name_actors import NameActorsStep
from questionnaires.steps.shared import PlacementStep

MAX_NAME_LENGTH = 120
_SPACES = re.compile(r"\s+")


def actor_key(name: str) -> str:
    """What makes two names the same actor: case, spacing and look-alike characters ignored."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", name)).strip().casefold()


def clean_name(name: str | None) -> str:
    """A name as typed, without control characters, spaces at the ends or runs of spaces."""
    return _SPACES.sub(" ", clean(name or ""))


@dataclass(frozen=True)
class NewActor:
    """A checked name and kind, ready to add."""

    name: str
    kind: str

    @property
    def key(self) -> str:
        return actor_key(self.name)


def check_new_actor(
    step: NameActorsStep, codebook: Codebook, name: str, kind: str | None, listed: int
) -> NewActor:
    """Check a name a participant wants to add; `listed` is how many they have named here."""
    name = clean_name(name)
    kinds = [t.id for t in step.kinds(codebook)]
    if len(kinds) == 1 and not kind:
        kind = kinds[0]
    _reject(
        (not name, Problem.ENTER_NAME),
        (len(name) > MAX_NAME_LENGTH, Problem.NAME_TOO_LONG),
        (kind not in kinds, Problem.CHOOSE_KIND),
    )
    _reject((listed >= step.max_actors, Problem.TOO_MANY))
    return NewActor(name, kind)


def _reject(*checks: tuple[bool, Problem]) -> None:
    """Refuse with every problem found at once, as a form's error summary lists them."""
    problems = [problem for failed, problem in checks if failed]
    if problems:
        raise AnswerRejected(*problems)


@dataclass(frozen=True)
class NewTie:
    """A checked tie between two actors, ready to add."""

    source: int
    target: int
    kind: str


def check_new_tie(
    step: ConnectActorsStep,
    codebook: Codebook,
    choosable: set[int],
    submitted: Mapping[str, str | None],
    listed: int,
) -> NewTie:
    """Check the two actors (ids from the lists shown) and the kind of tie between them."""
    kinds = [t.id for t in step.kinds(codebook)]
    source, target = as_id(submitted.get("source")), as_id(submitted.get("target"))
    kind = submitted.get("kind") or (kinds[0] if len(kinds) == 1 else None)
    _reject(
        (source is None, Problem.CHOOSE_SOURCE),
        (kind not in kinds, Problem.CHOOSE_KIND),
        (target is None, Problem.CHOOSE_TARGET),
        (source is not None and source == target, Problem.SAME_ACTOR),
    )
    _reject(
        (not {source, target} <= choosable, Problem.UNKNOWN_OPTION),
        (listed >= step.max_ties, Problem.TOO_MANY),
    )
    return NewTie(source, target, kind)


def check_placements(
    step: PlacementStep,
    codebook: Codebook,
    choosable: Sequence[int],
    submitted: Mapping[int, str],
) -> dict[int, int | str]:
    """Each actor's rating or category, from form fields keyed by actor id; blanks are left out."""
    allowed = {c.id for c in step.categories(codebook)}
    placed: dict[int, int | str] = {}
    for actor_id in choosable:
        value = clean(submitted.get(actor_id) or "")
        if not value:
            continue
        if value not in allowed:
            raise AnswerRejected(step.wrong_category)
        placed[actor_id] = step.placed(value)
    if not placed and step.required and choosable:
        raise AnswerRejected(Problem.PLACE_ONE)
    return placed
