"""Facilitator pages. Every route needs sign-in and asks the roles table about what it touches."""

from __future__ import annotations

import io
from pathlib import Path

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
from sqlalchemy import func
from sqlmodel import col, select
from werkzeug.utils import secure_filename
from wtforms.fields.choices import SelectChoice

from facilitation import live_round as live
from facilitation.roles import Action
from questionnaires.loader import LoadedQuestionnaire, check, snapshot
from workshop.pages.facilitator.forms import ExperimentForm, ProjectForm, RoundForm, UploadForm
from workshop.pages.facilitator.live_panel import live_context, live_panel_html
from workshop.pages.shared.access import (
    experiment_or_404,
    project_or_404,
    role_here,
    round_or_404,
)
from workshop.pages.shared.findings import finding_line
from workshop.pages.shared.preview import preview
from workshop.rounds import designs, lifecycle, self_paced, team
from workshop.store.db import db
from workshop.store.models import Experiment, Participant, Project, Round
from workshop.web.i18n import count_words as ngettext
from workshop.web.i18n import other_language
from workshop.web.urls import public_url
from workshop.web.wording import refusal_message

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
    supported = team.supported_rounds(db(), current_user.id)
    return _page("facilitator/projects.html", form, projects=mine, supported=supported)


@bp.route("/projects/<id:project_id>", methods=["GET", "POST"])
def project(project_id: int):
    project = project_or_404(project_id, Action.ORGANISE)
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
    experiment, project = _experiment(experiment_id)
    library = _library(project.id)
    form = _round_form(library)
    joinable = {str(r.id): r for r in self_paced.joinable_rounds(db(), experiment.id)}
    form.joins.choices = [SelectChoice("", _("No: a round of its own"))] + [
        SelectChoice(key, _round_and_questionnaire(r)) for key, r in joinable.items()
    ]
    if form.validate_on_submit() and _joins_ok(form, joinable, library):
        closing = joins = None
        if form.pace.data == "self":
            joins = joinable[form.joins.data].id if form.joins.data else None
            zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
            closing = self_paced.end_of_day(form.closes_on.chosen, zone)
        loaded = library[form.questionnaire.data]
        round_ = lifecycle.create_round(
            db(), experiment, loaded, form.name.data or "", closes_at=closing, joins=joins
        )
        return redirect(url_for(".console", round_id=round_.id))
    return _experiment_page(experiment, project, form, UploadForm(formdata=None, prefix="upload"))


@bp.post("/experiments/<id:experiment_id>/upload")
def upload_questionnaire(experiment_id: int):
    """Start a round from an uploaded file; a file with any error never starts one."""
    experiment, project = _experiment(experiment_id)
    upload = UploadForm(prefix="upload")
    findings: tuple = ()
    if upload.validate_on_submit():
        name = secure_filename(upload.file.data.filename or "") or "questionnaire.yaml"
        try:
            text = upload.file.data.read().decode("utf-8")
        except UnicodeDecodeError:
            upload.file.errors = [_("This file is not plain text. Save it as UTF-8 and try again.")]
        else:
            report = check(text, name)
            if report.questionnaire is not None:
                loaded = LoadedQuestionnaire(snapshot(text), text, Path(name))
                round_ = lifecycle.create_round(db(), experiment, loaded, upload.name.data or "")
                for warning in report.warnings:
                    suggestion = finding_line(warning)
                    flash(_("Plain-language suggestion: %(finding)s", finding=suggestion), "info")
                return redirect(url_for(".console", round_id=round_.id))
            findings = report.errors
            upload.file.errors = [
                _("This file has problems, listed at the top. Fix them and upload it again.")
            ]
    return _experiment_page(
        experiment, project, _round_form(_library(project.id), formdata=None), upload, findings
    )


def _library(project_id: int) -> dict[str, LoadedQuestionnaire]:
    """What a round can run: the built-in questionnaires, and the newest ready version of
    each of the project's own (keyed "project-<id>", never a built-in's id)."""
    library = dict(current_app.extensions["roundtable.questionnaires"])
    for kept, version in designs.ready_to_run(db(), project_id):
        name = Path(f"{kept.slug}-{version.number}.yaml")
        library[f"project-{kept.id}"] = LoadedQuestionnaire(
            snapshot(version.source), version.source, name
        )
    return library


def _round_form(library: dict, **kwargs) -> RoundForm:
    form = RoundForm(**kwargs)
    form.questionnaire.choices = [
        (
            qid,
            ngettext(
                "%(title)s (%(num)s step)",
                "%(title)s (%(num)s steps)",
                len(loaded.questionnaire.steps),
                title=title,
            ),
            _lang_attribute(title),
        )
        for qid, loaded in library.items()
        for title in [loaded.questionnaire.title]
    ]
    return form


def _lang_attribute(text: str) -> dict[str, str]:
    """An option's lang attribute, for a title in another language than the page."""
    lang = other_language(text)
    return {"lang": lang} if lang else {}


def _experiment_page(experiment, project, form, upload, findings=()):
    listed = (
        db()
        .exec(select(Round).where(Round.experiment_id == experiment.id).order_by(Round.created_at))
        .all()
    )
    errors = [(f.id, f.errors[0]) for f in (*form, *upload) if f.errors and f.id != "csrf_token"]
    # Problems in an uploaded file are listed one by one, in the checker's own words.
    errors[:0] = [(upload.file.id, finding_line(finding)) for finding in findings]
    return (
        render_template(
            "facilitator/experiment.html",
            form=form,
            upload=upload,
            errors=errors,
            project=project,
            experiment=experiment,
            rounds=listed,
            joined=dict(
                db()
                .exec(
                    select(Participant.round_id, func.count())
                    .where(col(Participant.round_id).in_([r.id for r in listed]))
                    .group_by(Participant.round_id)
                )
                .all()
            ),
            library=current_app.extensions["roundtable.questionnaires"],
        ),
        400 if errors else 200,
    )


@bp.get("/questionnaires/<questionnaire_id>/preview/<int:number>")
def preview_library(questionnaire_id: str, number: int):
    """Step through a built-in questionnaire as a participant would; nothing is saved."""
    loaded = current_app.extensions["roundtable.questionnaires"].get(questionnaire_id)
    if loaded is None:
        abort(404)
    return preview(loaded.source, number, ".preview_library", questionnaire_id=questionnaire_id)


@bp.get("/rounds/<id:round_id>/preview/<int:number>")
def preview_round(round_id: int, number: int):
    """Step through the exact questionnaire a round runs (an uploaded one too)."""
    round_ = round_or_404(round_id)
    return preview(round_.questionnaire_source, number, ".preview_round", round_id=round_.id)


@bp.get("/rounds/<id:round_id>")
def console(round_id: int):
    round_ = round_or_404(round_id)
    experiment = db().get(Experiment, round_.experiment_id)
    return render_template(
        "facilitator/console.html",
        experiment=experiment,
        project=db().get(Project, experiment.project_id),
        join_url=_join_url(round_),
        **live_context(round_),
    )


@bp.get("/rounds/<id:round_id>/live")
def live_panel(round_id: int):
    """The console's live panel alone, fetched by the console's script when something changes."""
    round_ = round_or_404(round_id)
    since = request.args.get("since", type=float)
    return live_panel_html(round_, role_here(round_id), since)


@bp.post("/rounds/<id:round_id>/command")
def command(round_id: int):
    round_ = round_or_404(round_id, Action.STEER)
    try:
        chosen = live.Command(request.form.get("command", ""))
    except ValueError:
        abort(400)
    try:
        lifecycle.run_command(db(), round_, chosen, by=current_user.id)
    except live.CommandRefused as refused:
        flash(refusal_message(refused.reason), "info")
    return redirect(url_for(".console", round_id=round_.id))


@bp.get("/rounds/<id:round_id>/end")
def confirm_end(round_id: int):
    round_ = round_or_404(round_id, Action.STEER)
    return render_template("facilitator/confirm_end.html", round=round_)


@bp.get("/rounds/<id:round_id>/join-details")
def join_details(round_id: int):
    """The join link, code and QR code, large, for showing on a shared screen."""
    round_ = round_or_404(round_id)
    return render_template(
        "facilitator/join_details.html", round=round_, join_url=_join_url(round_)
    )


@bp.get("/rounds/<id:round_id>/qr.svg")
def qr_code(round_id: int):
    round_ = round_or_404(round_id)
    buffer = io.BytesIO()
    segno.make(_join_url(round_), error="m").save(
        buffer, kind="svg", scale=10, border=2, xmldecl=False, title=_("Join link")
    )
    return current_app.response_class(buffer.getvalue(), mimetype="image/svg+xml")


def _page(template: str, form: FlaskForm, **context):
    return render_template(template, form=form, **context), 400 if form.errors else 200


def _experiment(experiment_id: int) -> tuple[Experiment, Project]:
    """The experiment, to add rounds to, and its project (for the breadcrumbs)."""
    experiment = experiment_or_404(experiment_id, Action.ORGANISE)
    return experiment, db().get(Project, experiment.project_id)


def _join_url(round_: Round) -> str:
    return public_url("participant.join", token=round_.join_token)


def _joins_ok(form: RoundForm, joinable: dict[str, Round], library: dict) -> bool:
    """A self-paced round may join a live round of this experiment that runs the very same
    questionnaire file (a designer's copy of a built-in one, or another version, does not
    count); says why not on the field otherwise."""
    chosen = form.joins.data or ""
    if not chosen or form.pace.data != "self":
        return True
    live_round = joinable.get(chosen)
    if live_round is None:
        form.joins.errors = [_("Choose one of this experiment's live rounds")]
        return False
    questionnaire = library.get(form.questionnaire.data)
    if questionnaire is None or questionnaire.source != live_round.questionnaire_source:
        form.joins.errors = [_("Choose a round of the same questionnaire")]
        return False
    return True


def _round_and_questionnaire(round_: Round) -> str:
    """ "Tuesday check-in (Quick check-in)": a round with what it asks, to choose between."""
    title = lifecycle.questionnaire_of(round_).title  # the round's own file: never a namesake
    return _("%(round)s (%(questionnaire)s)", round=round_.name, questionnaire=title)
