"""Report pages and downloads of a round, for those the roles table lets see them."""

from __future__ import annotations

import io
import re

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import select

from facilitation.roles import Action
from facilitation.text import as_id
from workshop.pages.reports.compare import compare
from workshop.pages.reports.forms import ReflectionForm
from workshop.pages.reports.report import round_report
from workshop.pages.shared.access import experiment_or_404, round_or_404
from workshop.rounds import reflections
from workshop.rounds.files import FILES, counts_in_words, experiment_gexf, make_file, map_counts
from workshop.store.db import db
from workshop.store.models import Experiment, Project, Round

bp = Blueprint("reports", __name__)
MOST_COMPARED = 6  # rounds side by side: more would not fit a page, and each costs a map

TYPES = {
    ".csv": "text/csv",  # Werkzeug adds "; charset=utf-8" to text types
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".graphml": "application/xml",
    ".gexf": "application/xml",
    ".json": "application/json",
    ".net": "text/plain",  # Pajek's
    ".zip": "application/zip",
}


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in facilitator."""


@bp.get("/rounds/<id:round_id>/export/<name>")
def round_file(round_id: int, name: str):
    """One export of a round (answers, Kumu, GraphML, GEXF, JSON), or all.zip."""
    round_ = round_or_404(round_id, Action.REPORT)
    if name not in FILES and name != "all.zip":
        abort(404)
    return _download(make_file(db(), round_, name), f"{_slug(round_.name)}-{name}")


@bp.get("/experiments/<id:experiment_id>/export/rounds.gexf")
def experiment_file(experiment_id: int):
    """Every round of an experiment as one dynamic GEXF: a time slice per round."""
    experiment = experiment_or_404(experiment_id, Action.REPORT)
    return _download(experiment_gexf(db(), experiment), f"{_slug(experiment.name)}-rounds.gexf")


@bp.route("/rounds/<id:round_id>/report", methods=["GET", "POST"])
def round_report_page(round_id: int):
    """A round's report: answers as charts and tables, participation, the final map, and
    the team's reflection on it (written here)."""
    round_ = round_or_404(round_id, Action.REPORT)
    reflection = reflections.reflection_of(db(), round_.experiment_id, round_.id)
    form = ReflectionForm(obj=reflection)
    if form.validate_on_submit():
        form.save(db(), reflection, current_user.id)
        flash(_("Your reflection is saved."), "success")
        return redirect(url_for(".round_report_page", round_id=round_.id, _anchor="message"))
    experiment = db().get(Experiment, round_.experiment_id)
    return (
        render_template(
            "reports/round.html",
            report=round_report(db(), round_),
            file_counts=counts_in_words(map_counts(db(), round_)),
            form=form,
            experiment=experiment,
            project=db().get(Project, experiment.project_id),
            experiment_reflection=reflections.reflection_of(db(), experiment.id, None),
        ),
        400 if form.errors else 200,
    )


@bp.route("/experiments/<id:experiment_id>/compare", methods=["GET", "POST"])
def compare_page(experiment_id: int):
    """Two or more rounds side by side, and the team's reflection on the experiment."""
    experiment = experiment_or_404(experiment_id, Action.REPORT)
    project = db().get(Project, experiment.project_id)
    all_rounds = list(
        db().exec(
            select(Round).where(Round.experiment_id == experiment.id).order_by(Round.created_at)
        )
    )
    wanted = {as_id(value) for value in request.args.getlist("round")}
    chosen = [r for r in all_rounds if r.id in wanted]
    reflection = reflections.reflection_of(db(), experiment.id, None)
    form = ReflectionForm(obj=reflection)
    if form.validate_on_submit():
        form.save(db(), reflection, current_user.id)
        flash(_("Your reflection on the experiment is saved."), "success")
        return redirect(request.full_path.rstrip("?") + "#message")
    error = None
    if "round" in request.args and len(chosen) < 2:
        error = _("Choose at least two rounds to compare.")
    elif len(chosen) > MOST_COMPARED:
        error = _("Choose up to %(count)d rounds to compare.", count=MOST_COMPARED)
        chosen = []
    return (
        render_template(
            "reports/compare.html",
            experiment=experiment,
            project=project,
            rounds=all_rounds,
            chosen={r.id for r in chosen},
            comparison=compare(db(), chosen) if len(chosen) >= 2 else None,
            round_reflections={
                r.id: reflections.reflection_of(db(), experiment.id, r.id) for r in chosen
            },
            form=form,
            error=error,
        ),
        400 if error or form.errors else 200,
    )


def _download(data: bytes, filename: str) -> Response:
    mimetype = next((t for end, t in TYPES.items() if filename.endswith(end)), "text/plain")
    # send_file writes the name both plainly and as filename* (for names in any script).
    return send_file(io.BytesIO(data), mimetype, as_attachment=True, download_name=filename)


def _slug(name: str) -> str:
    """A file name from a round's name: letters (any script), digits and dashes only."""
    return re.sub(r"[\W_]+", "-", name.casefold()).strip("-")[:60] or "round"
