"""Facilitator pages. Every route needs sign-in and checks the facilitator owns what it touches."""

from __future__ import annotations

import io

import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlmodel import select

from facilitation import session as live
from workshop import rounds
from workshop.facilitator.console import console_view
from workshop.facilitator.forms import ExperimentForm, ProjectForm, RoundForm
from workshop.store.db import db
from workshop.store.models import Experiment, Project, Round
from workshop.urls import public_url
from workshop.wording import refusal_message

bp = Blueprint("facilitator", __name__)


@bp.before_request
@login_required
def _signed_in_only() -> None:
    """Every page here needs a signed-in facilitator (login_required redirects otherwise)."""


@bp.route("/projects", methods=["GET", "POST"])
def projects():
    form = ProjectForm()
    if form.validate_on_submit():
        project = Project(
            owner_id=current_user.id, name=form.name.data, description=form.description.data
        )
        db().add(project)
        db().commit()
        return redirect(url_for(".project", project_id=project.id))
    mine = (
        db()
        .exec(
            select(Project).where(Project.owner_id == current_user.id).order_by(Project.created_at)
        )
        .all()
    )
    return _page("facilitator/projects.html", form, projects=mine)


@bp.route("/projects/<id:project_id>", methods=["GET", "POST"])
def project(project_id: int):
    project = _owned_project(project_id)
    form = ExperimentForm()
    if form.validate_on_submit():
        experiment = Experiment(
            project_id=project.id, name=form.name.data, description=form.description.data
        )
        db().add(experiment)
        db().commit()
        return redirect(url_for(".experiment", experiment_id=experiment.id))
    experiments = (
        db()
        .exec(
            select(Experiment)
            .where(Experiment.project_id == project.id)
            .order_by(Experiment.created_at)
        )
        .all()
    )
    return _page("facilitator/project.html", form, project=project, experiments=experiments)


@bp.route("/experiments/<id:experiment_id>", methods=["GET", "POST"])
def experiment(experiment_id: int):
    experiment = db().get(Experiment, experiment_id)
    if experiment is None:
        abort(404)
    project = _owned_project(experiment.project_id)
    library = current_app.extensions["roundtable.questionnaires"]
    form = RoundForm()
    form.questionnaire.choices = [
        (qid, f"{loaded.questionnaire.title} ({len(loaded.questionnaire.steps)})")
        for qid, loaded in library.items()
    ]
    if form.validate_on_submit():
        round_ = rounds.create_round(
            db(), experiment, library[form.questionnaire.data], form.name.data or ""
        )
        return redirect(url_for(".console", round_id=round_.id))
    listed = (
        db()
        .exec(select(Round).where(Round.experiment_id == experiment.id).order_by(Round.created_at))
        .all()
    )
    return _page(
        "facilitator/experiment.html",
        form,
        project=project,
        experiment=experiment,
        rounds=listed,
        library=library,
    )


@bp.get("/rounds/<id:round_id>")
def console(round_id: int):
    round_ = _owned_round(round_id)
    experiment = db().get(Experiment, round_.experiment_id)
    return render_template(
        "facilitator/console.html",
        experiment=experiment,
        project=db().get(Project, experiment.project_id),
        join_url=_join_url(round_),
        **_live_context(round_),
    )


@bp.get("/rounds/<id:round_id>/live")
def live_panel(round_id: int):
    """The console's live panel alone, fetched by the console's script when something changes."""
    round_ = _owned_round(round_id)
    return render_template("facilitator/_live.html", **_live_context(round_))


@bp.post("/rounds/<id:round_id>/command")
def command(round_id: int):
    round_ = _owned_round(round_id)
    try:
        chosen = live.Command(request.form.get("command", ""))
    except ValueError:
        abort(400)
    try:
        rounds.run_command(db(), round_, chosen)
    except live.CommandRefused as refused:
        flash(refusal_message(refused.reason), "info")
    return redirect(url_for(".console", round_id=round_.id))


@bp.get("/rounds/<id:round_id>/end")
def confirm_end(round_id: int):
    round_ = _owned_round(round_id)
    return render_template("facilitator/confirm_end.html", round=round_)


@bp.get("/rounds/<id:round_id>/join-details")
def join_details(round_id: int):
    """The join link, code and QR code, large, for showing on a shared screen."""
    round_ = _owned_round(round_id)
    return render_template(
        "facilitator/join_details.html", round=round_, join_url=_join_url(round_)
    )


@bp.get("/rounds/<id:round_id>/qr.svg")
def qr_code(round_id: int):
    round_ = _owned_round(round_id)
    buffer = io.BytesIO()
    segno.make(_join_url(round_), error="m").save(
        buffer, kind="svg", scale=10, border=2, xmldecl=False, title=_("Join link")
    )
    return current_app.response_class(buffer.getvalue(), mimetype="image/svg+xml")


def _page(template: str, form: FlaskForm, **context):
    return render_template(template, form=form, **context), 400 if form.errors else 200


def _owned_project(project_id: int) -> Project:
    project = db().get(Project, project_id)
    if project is None or project.owner_id != current_user.id:
        abort(404)
    return project


def _owned_round(round_id: int) -> Round:
    round_ = rounds.owned_round(db(), round_id, current_user.id)
    if round_ is None:
        abort(404)
    return round_


def _join_url(round_: Round) -> str:
    return public_url("participant.join", token=round_.join_token)


def _live_context(round_: Round) -> dict:
    """What the console's live panel needs (and nothing more: it is fetched on each change)."""
    questionnaire = rounds.questionnaire_of(round_)
    state = rounds.state_of(round_)
    current = rounds.current_step(round_)
    # The facilitator may look back at any step already opened; the open step by default.
    opened = questionnaire.steps[: live.opened_count(state)]
    chosen = request.args.get("step")
    shown = next((s for s in opened if s.id == chosen), None) or current
    return {
        "round": round_,
        "questionnaire": questionnaire,
        "state": state,
        "commands": live.available_commands(state),
        "live": console_view(db(), round_, shown),
        "current": current,
        "chosen": chosen,
        "opened": opened,
    }
