"""The console's list of people: each row drawn once, and kept while it stays the same."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask import current_app, get_template_attribute
from flask_babel import gettext as _
from markupsafe import Markup

from facilitation.roles import Action
from workshop.pages.facilitator.console import PersonRow
from workshop.pages.shared.access import may
from workshop.web.i18n import language_code
from workshop.web.urls import url_for_each

# A room of 1,000 changes a few rows between two renders of the live panel, and drawing
# every row through Jinja (ten escapes and a dozen lookups each) was most of the panel's
# cost. Rows are kept per round, language and what the viewer may do: the lists last drawn.
KEPT_LISTS = 20
Draw = Callable[[PersonRow, str], str]  # a person and their step's words: their row


@dataclass(frozen=True)
class RowWords:
    """What every row of one list shares: its words, links, and which tags it shows."""

    here: str
    away: str
    skips: str
    answered: str
    not_yet: str
    remove: str
    their_data: str
    shows_answers: bool
    remove_url: Callable[[int], str] | None  # None: the viewer may not remove people
    data_url: Callable[[int], str] | None


def people_list(
    round_id: int,
    people: Sequence[PersonRow],
    shows_answers: bool,
    progress: dict[int, int] | None,
    step_count: int,
) -> Markup:
    """Every person's row, in order; `progress` (self-paced rounds) says each one's step."""
    may_remove = may(round_id, Action.REMOVE)
    key = (round_id, language_code(), may_remove, shows_answers, progress is not None)
    lists: OrderedDict[tuple, dict] = current_app.extensions.setdefault(
        "roundtable.people_lists", OrderedDict()
    )
    kept = lists.pop(key, {})
    draw: Draw | None = None
    drawn: dict[tuple, str] = {}
    for person in people:
        at = progress.get(person.id, 1) if progress is not None else None
        row = kept.get((person, at))
        if row is None:
            if draw is None:
                draw = _drawing(round_id, shows_answers, may_remove)
            at_step = _("at step %(n)d of %(total)d", n=at, total=step_count) if at else ""
            row = draw(person, at_step)
        drawn[(person, at)] = row
    lists[key] = drawn
    while len(lists) > KEPT_LISTS:
        lists.popitem(last=False)
    return Markup("".join(drawn.values()))


def _drawing(round_id: int, shows_answers: bool, may_remove: bool) -> Draw:
    """A row's HTML from a person and their step's words, the rest shared by every row."""
    macro = get_template_attribute("facilitator/_person_row.html", "person_row")
    remove_url = data_url = None
    if may_remove:
        remove_url = url_for_each("team.remove_participant", "participant_id", round_id=round_id)
        data_url = url_for_each("team.participant_data", "participant_id", round_id=round_id)
    words = RowWords(
        _("here"),
        _("away"),
        _("skips this"),
        _("answered"),
        _("not yet"),
        _("Remove"),
        _("Their data"),
        shows_answers,
        remove_url,
        data_url,
    )
    return lambda person, at_step: str(macro(person, at_step, words))
