"""Sign in and sign out."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask import session as cookie
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from workshop.pages.auth.forms import SignInForm
from workshop.rounds import team
from workshop.store.db import db
from workshop.web.accounts import (
    authenticate,
    end_all_sessions,
    has_accounts,
    normalise_email,
    remember_sign_in,
)
from workshop.web.backoff import backoff, keys_for, too_many_tries
from workshop.web.urls import same_site

bp = Blueprint("auth", __name__)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if request.method == "GET" and not has_accounts(db()):
        return redirect(url_for("accounts.set_up"))  # a fresh install: nobody to sign in yet
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        keys = keys_for(normalise_email(form.email.data), request.remote_addr)
        wait = backoff().wait(keys)
        if wait:
            # Refused even with the right password, and the same whether the email is known.
            form.email.errors = [too_many_tries(wait)]
            return render_template("auth/sign_in.html", form=form), 429
        facilitator = authenticate(db(), form.email.data, form.password.data)
        if facilitator is not None:
            backoff().succeeded(keys)
            cookie.clear()  # a fresh session at sign-in: no fixation
            login_user(facilitator)
            remember_sign_in(facilitator)
            return redirect(same_site(request.args.get("next")) or url_for("facilitator.projects"))
        backoff().failed(keys)
        form.email.errors = [_("The email address or password is not right")]
    if form.errors:
        status = 400
    return render_template("auth/sign_in.html", form=form), status


@bp.post("/sign-out")
def sign_out():
    if current_user.is_authenticated:
        team.end_live_connections(db(), current_user.id)  # at the commit below
        end_all_sessions(db(), current_user.id)
    logout_user()
    cookie.clear()
    return redirect(url_for("participant.home"))
