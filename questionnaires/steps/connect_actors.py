"""connect-actors: say who is tied to whom, choosing both names from lists (never by dragging)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from questionnaires.parts import Codebook, Slug, Term
from questionnaires.steps.base import Stored
from questionnaires.steps.shared import ActorStep


class ConnectActorsStep(ActorStep):
    """Say who is tied to whom, choosing both from lists."""

    type: Literal["connect-actors"]
    tie_kinds: list[Slug] = Field(
        default_factory=list, description="Kinds of tie people can choose (empty: every kind)."
    )
    max_ties: int = Field(30, ge=1, le=200)
    stores: ClassVar[Stored] = Stored.TIES
    codebook_fields: ClassVar[dict[str, str]] = {
        "actor_kinds": "actor_kinds",
        "tie_kinds": "tie_kinds",
    }
    needs_terms: ClassVar[tuple[str, ...]] = ("tie_kinds",)

    @property
    def max_items(self) -> int | None:
        return self.max_ties

    def kinds(self, codebook: Codebook) -> list[Term]:
        return [t for t in codebook.tie_kinds if not self.tie_kinds or t.id in self.tie_kinds]
