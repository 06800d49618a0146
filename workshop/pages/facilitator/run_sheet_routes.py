"""The run sheet page (planned minutes and private notes per step) and the time guide."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from facilitation.roles import Action
from facilitation.text import clean
from facilitation.timing import MAX_MINUTES, check_minutes, running_totals
from workshop.pages.shared.access import may, round_or_404
from workshop.rounds import lifecycle, run_sheet, self_paced
from workshop.store.db import db

bp = Blueprint("run_sheet", __name__)
MAX_NOTES = 2000


@bp.before_request
@login_required
def _signed_in_only() -> None:
    """Every page here is for signed-in facilitators."""


@bp.route("/rounds/<id:round_id>/run-sheet", methods=["GET", "POST"])
def run_sheet_page(round_id: int):
    """Minutes planned for each step, with the running total, and the team's private notes."""
    round_ = round_or_404(round_id, Action.VIEW)
    may_plan = may(round_id, Action.PLAN)
    steps = lifecycle.questionnaire_of(round_).steps
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    if request.method == "POST":
        if not may_plan or not FlaskForm().validate_on_submit():
            abort(404 if not may_plan else 400)
        entries = {}
        for step in steps:
            minutes_text = request.form.get(f"minutes-{step.id}", "")
            notes = clean(request.form.get(f"notes-{step.id}", ""))
            typed[f"minutes-{step.id}"], typed[f"notes-{step.id}"] = minutes_text, notes
            try:
                minutes = check_minutes(minutes_text)
            except ValueError:
                errors[f"minutes-{step.id}"] = _(
                    "Write the minutes for “%(title)s” as a whole number from 0 to %(most)d",
                    title=step.title,
                    most=MAX_MINUTES,
                )
                continue
            if len(notes) > MAX_NOTES:
                errors[f"notes-{step.id}"] = _(
                    "The notes for “%(title)s” must be %(most)d characters or fewer",
                    title=step.title,
                    most=MAX_NOTES,
                )
                continue
            entries[step.id] = (minutes, notes)
        if not errors:
            run_sheet.save_plan(db(), round_.id, entries, current_user.id)
            flash(_("The run sheet is saved."), "success")
            return redirect(url_for(".run_sheet_page", round_id=round_.id, _anchor="message"))
    plan = run_sheet.plan_of(db(), round_.id)
    totals = running_totals(plan[s.id].minutes if s.id in plan else None for s in steps)
    return (
        render_template(
            "facilitator/run_sheet.html",
            round=round_,
            steps=steps,
            plan=plan,
            totals=totals,
            errors=errors,
            typed=typed,
        ),
        400 if errors else 200,
    )


@bp.post("/rounds/<id:round_id>/timer")
def timer(round_id: int):
    """Start, extend or stop the open step's time guide (the lead's, as steering is)."""
    round_ = round_or_404(round_id, Action.STEER)
    live_round = self_paced.schedule_of(db(), round_.id) is None  # no guides in people's own time
    if not FlaskForm().validate_on_submit() or round_.status not in ("running", "paused"):
        abort(400)
    if not live_round:
        abort(400)
    action = request.form.get("action")
    if action == "start":
        try:
            minutes = check_minutes(request.form.get("minutes", ""))
        except ValueError:
            minutes = None
        if not minutes:
            flash(_("Choose how many minutes the time guide shows, from 1 to %(most)d.",
                    most=MAX_MINUTES), "info")  # fmt: skip
        else:
            run_sheet.start_timer(db(), round_, minutes, current_user.id)
    elif action == "extend":
        run_sheet.extend_timer(db(), round_, current_user.id)
    elif action == "stop":
        run_sheet.stop_timer(db(), round_, current_user.id)
    else:
        abort(400)
    return redirect(url_for("facilitator.console", round_id=round_.id, _anchor="timer-title"))
