"""The join page, rendered once for everyone joining a round in the same few seconds: a room
scanning the code on the screen at once. Each person's form token and attempt are put in."""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template, request

from facilitation.join_codes import new_token
from workshop.pages.participant.forms import JoinForm
from workshop.pages.shared.shared_render import put_in, taken_out
from workshop.rounds.kept import kept
from workshop.store.models import Round
from workshop.web.i18n import language_code

KEEP_FOR = 2.0  # seconds: a renamed round or a new lead shows on the join page by then
_ATTEMPT = "rtAttemptStandIn00000"  # a valid attempt, so the form renders as it would


def join_page(round_: Round, context: Callable[[], dict]) -> str:
    """The join page (no errors, no messages) for this person, from the shared render;
    `context` is what else the page shows, asked for only when it is rendered."""
    what = f"join page {language_code()} {round_.status} {round_.name} {request.full_path}"
    html = kept(what, round_.id, KEEP_FOR, lambda: _render(round_, context()))
    return put_in(html, {_ATTEMPT: new_token()})


def _render(round_: Round, context: dict) -> str:
    form = JoinForm(attempt=_ATTEMPT)
    html = render_template("participant/join.html", form=form, round=round_, **context)
    return taken_out(html)
