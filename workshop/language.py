"""Changing the interface language: a plain link on every page, kept for the whole visit."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for

from workshop.i18n import choose

bp = Blueprint("language", __name__)


@bp.get("/language/<code>")
def change(code: str):
    """Read every page in this language from now on, starting with the one we came from."""
    if not choose(code):
        abort(404)
    return redirect(same_site(request.args.get("next", "")) or url_for("participant.home"))


def same_site(path: str) -> str | None:
    """Only a path on this site (never "//elsewhere" or "https://..."), so links can't send
    people away."""
    if path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return None
