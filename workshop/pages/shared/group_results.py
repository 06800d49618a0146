"""What the group said at revealed steps, worked out once per change and shared by the room."""

from __future__ import annotations

from facilitation.results import StepResult
from questionnaires.schema import Questionnaire
from workshop.pages.shared.map_version_cache import shared
from workshop.rounds import results
from workshop.store.db import db


def group_results(
    round_id: int, questionnaire: Questionnaire, read_as: tuple
) -> dict[str, StepResult]:
    """`results.group_results`, shared by every page that sees the same: once a step is
    revealed, each of a room's pages read every answer in the round and counted them
    again (1,000 people: 1,000 reads of the round after the reveal, and on every page
    after). Three small questions now say whether anything counted has changed: the
    revealed steps, the answers' mark and the hidden answers; the map's names version
    covers names. `read_as` is what the questionnaire's words depend on (language, Easy
    Read)."""
    shown = results.revealed_ids(db(), round_id)
    if not shown:
        return {}
    what = (
        "group results",
        frozenset(shown),
        results.answers_mark(db(), round_id),
        frozenset(results.hidden_ids(db(), round_id)),
        read_as,
    )
    return shared(
        round_id, what, lambda: results.group_results(db(), round_id, questionnaire), names=True
    )
