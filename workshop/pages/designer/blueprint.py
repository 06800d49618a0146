"""The designer's blueprint and what its pages share: who may open them (ORGANISE on the
project), finding the questionnaire, and the words its templates use."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from facilitation.roles import Action
from workshop.pages.designer.words import (
    choice_words,
    codebook_words,
    finding_words,
    language_name,
    language_of,
    place_words,
    setting_words,
    term_choices,
)
from workshop.pages.shared.access import project_or_404
from workshop.rounds import designs
from workshop.store.db import db
from workshop.store.models import ProjectQuestionnaire

bp = Blueprint("designer", __name__, url_prefix="/projects/<id:project_id>/questionnaires")
HERE = "/<slug:questionnaire_id>"


@bp.before_request
@login_required
def _signed_in_only() -> None:
    """Every page here needs a signed-in facilitator (login_required redirects otherwise)."""


def unreadable(kept: ProjectQuestionnaire):
    """A change the file's own shape does not allow (a list that is not one): nothing is
    saved, and the page says where to fix it."""
    message = _("Part of this file cannot be read, so this change was not saved. Fix the file.")
    if wants_json():
        return jsonify(message=message), 400
    flash(message, "error")
    return to_overview(kept)


def to_overview(kept: ProjectQuestionnaire, anchor: str = ""):
    """Back to the questionnaire's overview (at `anchor`, "#step-hope", if given)."""
    where = url_for(".overview", project_id=kept.project_id, questionnaire_id=kept.slug)
    return redirect(where + anchor)


def wants_json() -> bool:
    """A save sent by designer.js, which takes what the checks found as JSON."""
    return request.accept_mimetypes.best == "application/json"


def questionnaire_or_404(project_id: int, questionnaire_id: str):
    """The project and its questionnaire, if the signed-in facilitator may organise the
    project; 404 otherwise (as for one that does not exist)."""
    project = project_or_404(project_id, Action.ORGANISE)
    found = designs.find(db(), project.id, questionnaire_id)
    if found is None:
        abort(404)
    return project, found


@bp.context_processor
def _words() -> dict:
    """What the designer's templates say of settings, choices and languages."""
    return {
        "setting_words": setting_words,
        "choice_words": choice_words,
        "codebook_words": codebook_words,
        "finding_words": finding_words,
        "place_words": place_words,
        "language_of": language_of,
        "term_choices": term_choices,
        "language_name": language_name,
    }
