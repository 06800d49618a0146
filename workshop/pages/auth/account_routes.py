"""Accounts without the command line: the first-run set-up, invitations taken up, new passwords."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from workshop.pages.auth.forms import AccountForm, ForgotForm, NewPasswordForm, SetUpForm
from workshop.pages.shared import link_mail
from workshop.rounds import team
from workshop.store.db import db
from workshop.store.models import Facilitator, Round
from workshop.web import mail, one_time_links
from workshop.web.accounts import (
    account_for,
    create_first_facilitator,
    has_accounts,
    new_facilitator,
    normalise_email,
    set_password,
    start_session,
)
from workshop.web.backoff import backoff, keys_for, too_many_tries
from workshop.web.one_time_links import LinkRefused, Purpose
from workshop.web.urls import public_url

bp = Blueprint("accounts", __name__)


@bp.route("/set-up", methods=["GET", "POST"])
def set_up():
    """A fresh install's first page for whoever runs it: the first account. Gone (to the
    sign-in page) once anyone has an account."""
    if has_accounts(db()):
        return redirect(url_for("auth.sign_in"))
    form = SetUpForm()
    if form.validate_on_submit():
        made = create_first_facilitator(
            db(), form.email.data, form.name.data, form.password.data, form.organisation.data
        )
        if made is None:  # someone else set it up a moment ago
            flash(_("Roundtable is already set up. Sign in."), "info")
            return redirect(url_for("auth.sign_in"))
        start_session(made)
        flash(_("Roundtable is set up, and you are signed in."), "success")
        return redirect(url_for("facilitator.projects", _anchor="message"))
    return render_template("auth/set_up.html", form=form), 400 if form.errors else 200


@bp.route("/invitations/<token:token>", methods=["GET", "POST"])
def invitation(token: str):
    """Take up an invitation: signed in with the invited email's account, or with a new one
    made here. The page is the same whether or not that email has an account, so the link
    (which the lead sees too) tells nobody who has one."""
    try:
        link = one_time_links.find(db(), Purpose.INVITATION, token)
    except LinkRefused as refused:
        return _refused(refused.reason, Purpose.INVITATION)
    round_ = db().get(Round, link.round_id)
    signed_in = current_user.is_authenticated
    if signed_in and normalise_email(current_user.email) != link.email:
        return _invitation_page(link, round_, FlaskForm(), other_account=True)
    form = FlaskForm() if signed_in else AccountForm()
    if not form.validate_on_submit():
        return _invitation_page(link, round_, form)
    account = account_for(db(), link.email)
    if not signed_in and account is not None:
        form.password.errors = [
            _(
                "There is already an account for %(email)s. Sign in with it to take up the "
                "invitation.",
                email=link.email,
            )
        ]
        return _invitation_page(link, round_, form)
    try:
        team.accept(db(), link, account or _from(form, link.email))
    except LinkRefused as refused:  # used by a second press a moment before
        return _refused(refused.reason, Purpose.INVITATION)
    if not signed_in:
        start_session(account_for(db(), link.email))
    flash(_("Welcome. You can now help run %(round)s.", round=round_.name), "success")
    return redirect(url_for("facilitator.console", round_id=round_.id))


def _invitation_page(link, round_: Round, form, other_account: bool = False):
    return (
        render_template(
            "auth/invitation.html",
            form=form,
            email=link.email,
            round=round_,
            lead=db().get(Facilitator, link.made_by),
            signed_in=current_user.is_authenticated,
            other_account=other_account,
        ),
        400 if form.errors else 200,
    )


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    """Ask for a new-password link. The answer is the same whether or not the account
    exists; the link goes by email only, never on this page."""
    form = ForgotForm()
    if not form.validate_on_submit():
        return render_template("auth/forgot.html", form=form), 400 if form.errors else 200
    keys = [
        f"password:{key}" for key in keys_for(normalise_email(form.email.data), request.remote_addr)
    ]
    if wait := backoff().wait(keys):
        form.email.errors = [too_many_tries(wait)]
        return render_template("auth/forgot.html", form=form), 429
    backoff().failed(keys)  # every request counts: nobody can flood an inbox
    account = account_for(db(), form.email.data)
    if mail.configured() and account is not None:
        token = one_time_links.password_link(db(), account)
        db().commit()
        link_mail.password(
            account.email, public_url("accounts.new_password", token=token), later=True
        )
    return render_template("auth/forgot_sent.html", emailed=mail.configured())


@bp.route("/new-password/<token:token>", methods=["GET", "POST"])
def new_password(token: str):
    """Choose a new password from a one-time link; signs out every other session."""
    try:
        link = one_time_links.find(db(), Purpose.PASSWORD, token)
    except LinkRefused as refused:
        return _refused(refused.reason, Purpose.PASSWORD)
    account = db().get(Facilitator, link.facilitator_id)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            one_time_links.use(db(), link)
        except LinkRefused as refused:
            return _refused(refused.reason, Purpose.PASSWORD)
        set_password(db(), account, form.password.data)
        db().commit()
        start_session(account)
        flash(_("Your new password is saved, and you are signed in."), "success")
        return redirect(url_for("facilitator.projects", _anchor="message"))
    return (
        render_template("auth/new_password.html", form=form, email=account.email),
        400 if form.errors else 200,
    )


def _from(form: AccountForm, email: str) -> Facilitator:
    """The new account the invited person described."""
    return new_facilitator(email, form.name.data, form.password.data, form.organisation.data)


def _refused(reason: str, purpose: Purpose):
    """A link that does not work, said plainly: unknown (404), or used or expired (410)."""
    return (
        render_template("auth/link_refused.html", reason=reason, purpose=purpose),
        404 if reason == "unknown" else 410,
    )
