"""A participant's own data (UK GDPR): see what is held, download it all, delete it all."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask import session as cookie
from flask_wtf import FlaskForm

from workshop.pages.shared.downloads import json_file
from workshop.pages.shared.participants import participant_with_data
from workshop.rounds import lifecycle, personal_data
from workshop.store.db import db
from workshop.web.i18n import language_code

bp = Blueprint("your_data", __name__)


@bp.get("/p/<token:token>/your-data")
def your_data(token: str):
    """What we hold about this person, a download of it, and the way to delete it."""
    participant, round_ = participant_with_data(token)
    return render_template("participant/your_data.html", participant=participant, round=round_)


@bp.get("/p/<token:token>/your-data.json")
def download(token: str):
    """Everything held about this person, in one file."""
    participant, round_ = participant_with_data(token)
    questionnaire = lifecycle.questionnaire_of(round_, language_code())  # in their language
    held = personal_data.held_about(db(), round_, participant, questionnaire)
    return json_file(held, "your-data.json")


@bp.route("/p/<token:token>/your-data/delete", methods=["GET", "POST"])
def delete(token: str):
    """Ask once more, then erase everything and end the link."""
    participant, round_ = participant_with_data(token)
    form = FlaskForm()
    if form.validate_on_submit():
        personal_data.erase(db(), round_, participant, by=None)
        known = cookie.get("rounds", {})
        cookie["rounds"] = {k: v for k, v in known.items() if v != token}
        return render_template("participant/your_data_deleted.html", round=round_)
    return render_template(
        "participant/your_data_delete.html", participant=participant, round=round_, form=form
    )
