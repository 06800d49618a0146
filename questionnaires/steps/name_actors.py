"""name-actors: people name who is in their network, one at a time; each joins the round's map."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from questionnaires.parts import Codebook, Slug, Term
from questionnaires.steps.base import Stored
from questionnaires.steps.shared import NetworkStep


class NameActorsStep(NetworkStep):
    """Name the people, groups and organisations in your network: they join the round's map."""

    type: Literal["name-actors"]
    actor_kinds: list[Slug] = Field(
        default_factory=list, description="Kinds people can choose from (empty: every kind)."
    )
    layer: Slug | None = Field(None, description="The layer the actors named here belong to.")
    max_actors: int = Field(20, ge=1, le=100)
    stores: ClassVar[Stored] = Stored.ACTORS
    codebook_fields: ClassVar[dict[str, str]] = {"actor_kinds": "actor_kinds", "layer": "layers"}
    needs_terms: ClassVar[tuple[str, ...]] = ("actor_kinds",)

    @property
    def max_items(self) -> int | None:
        return self.max_actors

    def kinds(self, codebook: Codebook) -> list[Term]:
        return [t for t in codebook.actor_kinds if not self.actor_kinds or t.id in self.actor_kinds]
