"""The waiting page, rendered once for everyone who has just joined a round: a room joining
together all lands on it in the same few seconds. Each person's link, name and form token
are put in."""

from __future__ import annotations

from collections.abc import Callable

from flask import request, session
from markupsafe import escape

from facilitation.live_round import Status
from workshop.pages.participant.preferences import preferences_of
from workshop.pages.shared.shared_render import put_in, taken_out
from workshop.rounds import help, people, self_paced
from workshop.rounds.kept import forget, kept
from workshop.store.db import db
from workshop.store.models import Participant, Round
from workshop.web.i18n import language_code
from workshop.web.wording import participant_label

KEEP_FOR = 2.0  # seconds: a renamed round or a new helper shows on the page by then
_TOKEN, _LABEL = "\x00token\x00", "\x00label\x00"


def shareable(round_: Round) -> bool:
    """Whether this person's page is the waiting page everyone sees: a live round not started
    yet, and nothing said to them alone (a message, their help request, a saved answer)."""
    return (
        round_.status == Status.LOBBY
        and not request.args
        and "_flashes" not in session
        and help.still_shown(request.memo.get("help")) is None
        and self_paced.schedule_of(db(), round_.id) is None
    )


def lobby_page(participant: Participant, round_: Round, render: Callable[[], str]) -> str:
    """The waiting page for this person, from the render shared with everyone waiting in
    the same language and display choices; `render` draws it whole for this person."""
    what = f"lobby {language_code()} {preferences_of(round_.id).body_classes}"
    # One kept page per language and display choices: drawn again when the number of
    # people here (which the page says) has changed, rather than kept once per number.
    here = people.present_count(db(), round_.id)

    def shared() -> tuple[int, str | None]:
        return here, _shared(render(), participant)

    found = kept(what, round_.id, KEEP_FOR, shared)
    if found[0] != here:
        forget(what, round_.id)
        found = kept(what, round_.id, KEEP_FOR, shared)
    html = found[1]
    if html is None:  # their name could not be told apart from the rest: theirs alone
        return render()
    label = str(escape(participant_label(participant)))
    return put_in(html, {_TOKEN: participant.token, _LABEL: label})


def _shared(html: str, participant: Participant) -> str | None:
    """The first person's page with their link, name and form token taken out; None when
    their name is not found exactly once where the page names them."""
    named = f"</bdi> · <bdi>{escape(participant_label(participant))}</bdi> ·"
    if html.count(named) != 1:
        return None
    return taken_out(html, {named: f"</bdi> · <bdi>{_LABEL}</bdi> ·", participant.token: _TOKEN})
