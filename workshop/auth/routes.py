"""Sign in and sign out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from workshop.auth import authenticate, end_all_sessions, remember_sign_in
from workshop.auth.forms import SignInForm
from workshop.store.db import db

bp = Blueprint("auth", __name__)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        facilitator = authenticate(db(), form.email.data, form.password.data)
        if facilitator is not None:
            session.clear()  # a fresh session at sign-in: no fixation
            login_user(facilitator)
            remember_sign_in(facilitator)
            return redirect(_safe_next(request.args.get("next")))
        failed = True
        form.email.errors = [_("The email address or password is not right")]
    status = 400 if form.errors or failed else 200
    return render_template("auth/sign_in.html", form=form), status


@bp.post("/sign-out")
def sign_out():
    if current_user.is_authenticated:
        end_all_sessions(db(), current_user.id)
    logout_user()
    session.clear()
    return redirect(url_for("participant.home"))


def _safe_next(target: str | None) -> str:
    # Only same-site paths: never send someone to another site after sign-in.
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("facilitator.projects")
