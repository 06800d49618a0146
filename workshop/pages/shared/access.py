"""The one way facilitator pages find a round, an experiment or a project, and ask what the
signed-in person may do there: always through the roles table (facilitation.roles)."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context

from facilitation import roles
from facilitation.roles import Action, Role
from workshop.rounds import team
from workshop.store.db import db
from workshop.store.models import Experiment, Project, Round


def role_here(round_id: int) -> Role | None:
    """The signed-in facilitator's part in the round, read once per request (a console asks
    for each person it lists)."""
    key = ("role", round_id)
    if key not in request.memo:
        request.memo[key] = team.role_in(db(), round_id, current_user.id)
    return request.memo[key]


def may(round_id: int, action: Action) -> bool:
    """Whether the signed-in facilitator may do `action` to the round."""
    return roles.may(role_here(round_id), action)


def round_or_404(round_id: int, action: Action = Action.VIEW) -> Round:
    """The round, if the signed-in facilitator may do `action` to it; 404 otherwise (the
    same answer as for a round that does not exist, so nobody learns which ids are real)."""
    round_ = db().get(Round, round_id) if may(round_id, action) else None
    if round_ is None:
        abort(404)
    return round_


def experiment_or_404(experiment_id: int, action: Action) -> Experiment:
    """The experiment, if the signed-in facilitator may do `action` to its project; 404
    otherwise, as for one that does not exist."""
    experiment = team.experiment_for(db(), experiment_id, current_user.id, action)
    if experiment is None:
        abort(404)
    return experiment


def project_or_404(project_id: int, action: Action) -> Project:
    """The project, if the signed-in facilitator may do `action` to it; 404 otherwise."""
    project = team.project_for(db(), project_id, current_user.id, action)
    if project is None:
        abort(404)
    return project


@pass_context
def may_in_template(context: Context, action: str) -> bool:
    """For templates: whether the signed-in facilitator may do `action` to the round the
    page shows, `{% if may("steer") %}`. An action the table does not know fails loudly."""
    return may(context["round"].id, Action(action))
