"""sort-actors: put each name in one category: the step's options, or the codebook's layers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Literal

from pydantic import Field

from questionnaires.findings import N_, Location, Said
from questionnaires.parts import Codebook, Option
from questionnaires.steps.base import StepType
from questionnaires.steps.shared import PlacementStep


class SortActorsStep(PlacementStep):
    """Put each actor into one category: the codebook's layers, or options of its own."""

    type: Literal["sort-actors"]
    options: list[Option] = Field(
        default_factory=list, description="The categories (empty: the codebook's layers)."
    )

    def categories(self, codebook: Codebook) -> list[Option]:
        if self.options:
            return list(self.options)
        return [Option(id=t.id, label=t.label) for t in codebook.layers]

    def problems(
        self, codebook: Codebook, earlier: Sequence[StepType]
    ) -> Iterator[tuple[Location, str]]:
        yield from super().problems(codebook, earlier)
        if not self.options and not codebook.layers:
            yield (
                ("type",),
                Said(
                    N_(
                        "this step sorts actors into the codebook's layers, and it has none; "
                        "add codebook: layers, or give the step its own options"
                    )
                ),
            )
