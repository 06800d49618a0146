"""Changing the interface language: a plain link on every page, kept for the whole visit."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for

from workshop.web.i18n import choose
from workshop.web.urls import same_site

bp = Blueprint("language", __name__)


@bp.get("/language/<code>")
def change(code: str):
    """Read every page in this language from now on, starting with the one we came from."""
    if not choose(code):
        abort(404)
    return redirect(same_site(request.args.get("next", "")) or url_for("participant.home"))
