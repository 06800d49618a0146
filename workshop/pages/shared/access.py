"""The one way facilitator pages find a round: only if the signed-in person may act on it."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from facilitation.roles import Action
from workshop.rounds import team
from workshop.store.db import db
from workshop.store.models import Round


def round_or_404(round_id: int, action: Action = Action.VIEW) -> Round:
    """The round, if the signed-in facilitator may do `action` to it; 404 otherwise (the
    same answer as for a round that does not exist, so nobody learns which ids are real)."""
    round_ = team.round_for(db(), round_id, current_user.id, action)
    if round_ is None:
        abort(404)
    return round_
