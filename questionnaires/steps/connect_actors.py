"""connect-actors: say who is tied to whom, choosing both names from lists (never by dragging)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import ClassVar, Literal

from pydantic import Field

from questionnaires.parts import Codebook, Slug, Term
from questionnaires.steps.base import Names, Stored
from questionnaires.steps.shared import ActorStep


def tie_words(source: str, kind_label: str, target: str) -> str:
    """A tie as a sentence: "Disability Wales works with Shelter Cymru"."""
    middle = kind_label[:1].lower() + kind_label[1:]
    return f"{source} {middle} {target}"


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

    def chosen(self, item: dict, names: Names) -> tuple[Hashable, str]:
        """A tie is its two actors (as they show now) and its kind, in any language."""
        if not names.actors or "kind" not in item:
            return f"?{item['label']}", item["label"]
        source, source_name = names.actor(item["source"], "")
        target, target_name = names.actor(item["target"], "")
        words = tie_words(source_name, names.term("tie_kinds", item["kind"]), target_name)
        return (source, item["kind"], target), words
