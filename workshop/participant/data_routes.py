"""A participant's own data (UK GDPR): see what is held, download it all, delete it all."""

from __future__ import annotations

import json

from flask import Blueprint, abort, current_app, render_template, session
from flask_wtf import FlaskForm

from workshop import personal_data, rounds
from workshop.i18n import language_code
from workshop.participant.routes import participant_by_token
from workshop.store.db import db
from workshop.store.models import Participant, Round

bp = Blueprint("your_data", __name__)


def participant_and_round(token: str) -> tuple[Participant, Round]:
    """The person with this link, even if the lead removed them: what was kept about them
    is still theirs to download and delete."""
    participant = participant_by_token(token)
    if participant is None:
        abort(404)
    return participant, db().get(Round, participant.round_id)


@bp.get("/p/<token:token>/your-data")
def your_data(token: str):
    """What we hold about this person, a download of it, and the way to delete it."""
    participant, round_ = participant_and_round(token)
    return render_template("participant/your_data.html", participant=participant, round=round_)


@bp.get("/p/<token:token>/your-data.json")
def download(token: str):
    """Everything held about this person, in one file."""
    participant, round_ = participant_and_round(token)
    questionnaire = rounds.questionnaire_of(round_, language_code())  # in their language
    held = personal_data.held_about(db(), round_, participant, questionnaire)
    return json_file(held, "your-data.json")


@bp.route("/p/<token:token>/your-data/delete", methods=["GET", "POST"])
def delete(token: str):
    """Ask once more, then erase everything and end the link."""
    participant, round_ = participant_and_round(token)
    form = FlaskForm()
    if form.validate_on_submit():
        personal_data.erase(db(), round_, participant, by=None)
        known = session.get("rounds", {})
        session["rounds"] = {k: v for k, v in known.items() if v != token}
        return render_template("participant/your_data_deleted.html", round=round_)
    return render_template(
        "participant/your_data_delete.html", participant=participant, round=round_, form=form
    )


def json_file(data: dict, filename: str):
    """A JSON download, readable by people as well as programs."""
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
