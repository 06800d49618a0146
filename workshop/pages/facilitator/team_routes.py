"""The round's team at work: supporters invited and removed, help requests handled,
answers revealed to the group or hidden from it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Regexp

from facilitation.roles import Action
from workshop.pages.shared import link_mail
from workshop.pages.shared.access import may, round_or_404
from workshop.pages.shared.downloads import json_file
from workshop.rounds import help, lifecycle, people, personal_data, results, team
from workshop.store.db import db
from workshop.store.models import Answer, Participant, Removal, Round
from workshop.web import mail, one_time_links
from workshop.web.accounts import normalise_email
from workshop.web.urls import public_url
from workshop.web.wording import participant_label

bp = Blueprint("team", __name__)


class InviteForm(FlaskForm):
    """The email address of someone to help run the round, with an account or not yet."""

    email = EmailField(
        _l("Their email address"),
        description=_l(
            "If they have a Roundtable account, use the address they sign in with. If not, "
            "you get a link to send them."
        ),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            InputRequired(_l("Write their email address")),
            Regexp(
                r"^[^@\s]+@[^@\s]+$", message=_l("Write an email address like name@example.org")
            ),
            Length(max=254),
        ],
    )


@bp.before_request
@login_required
def _signed_in_only() -> None:
    """Every page here is for signed-in facilitators."""


@bp.route("/rounds/<id:round_id>/team", methods=["GET", "POST"])
def team_page(round_id: int):
    """Who helps run the round; the lead invites and removes supporters here."""
    round_ = round_or_404(round_id, Action.VIEW)
    may_invite = may(round_id, Action.INVITE)
    form = InviteForm()
    if request.method == "POST" and not may_invite:
        abort(404)
    if may_invite and form.validate_on_submit():
        try:
            invited = team.invite(db(), round_, current_user.id, normalise_email(form.email.data))
        except team.InviteRefused:
            form.email.errors = [_("They already help run this round.")]
        else:
            return _invitation_made(round_, invited)
    return (
        render_template(
            "facilitator/team.html",
            round=round_,
            members=team.team_of(db(), round_),
            invitations=one_time_links.pending_invitations(db(), round_.id) if may_invite else [],
            form=form,
        ),
        400 if form.errors else 200,
    )


def _invitation_made(round_: Round, invitation: team.Invitation):
    """The new invitation's link, shown this once to copy; emailed too where email works.
    A failed email loses nothing: the link is on the page all the same."""
    link = public_url("accounts.invitation", token=invitation.token)
    emailed = mail.configured() and link_mail.invitation(
        invitation.email, current_user.name, round_.name, link
    )
    return render_template(
        "facilitator/link_made.html",
        round=round_,
        link=link,
        email=invitation.email,
        invitation=True,
        emailed=emailed,
        mail_failed=mail.configured() and not emailed,
    )


@bp.post("/rounds/<id:round_id>/invitations/<id:invitation_id>/cancel")
def cancel_invitation(round_id: int, invitation_id: int):
    """Take back an invitation nobody has used yet: its link stops working."""
    round_ = round_or_404(round_id, Action.INVITE)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not team.cancel_invitation(db(), round_, invitation_id):
        abort(404)
    flash(_("The invitation is cancelled. Its link no longer works."), "success")
    return redirect(url_for(".team_page", round_id=round_.id, _anchor="message"))


@bp.post("/rounds/<id:round_id>/team/<id:facilitator_id>/password-link")
def password_link(round_id: int, facilitator_id: int):
    """A new-password link for a supporter who forgot theirs, for the lead to pass on."""
    round_ = round_or_404(round_id, Action.INVITE)
    if not FlaskForm().validate_on_submit():
        abort(400)
    made = team.password_link(db(), round_, current_user.id, facilitator_id)
    if made is None:
        abort(404)
    member, token = made
    link = public_url("accounts.new_password", token=token)
    emailed = mail.configured() and link_mail.password(member.email, link)
    return render_template(
        "facilitator/link_made.html",
        round=round_,
        link=link,
        email=member.email,
        name=member.name,
        invitation=False,
        emailed=emailed,
        mail_failed=mail.configured() and not emailed,
    )


@bp.post("/rounds/<id:round_id>/team/<id:facilitator_id>/remove")
def remove_supporter(round_id: int, facilitator_id: int):
    round_ = round_or_404(round_id, Action.INVITE)
    if not FlaskForm().validate_on_submit() or not team.remove_supporter(
        db(), round_, current_user.id, facilitator_id
    ):
        abort(400)
    flash(_("They can no longer help run this round."), "success")
    return redirect(url_for(".team_page", round_id=round_.id, _anchor="message"))


@bp.post("/rounds/<id:round_id>/help/<id:request_id>")
def handle_help(round_id: int, request_id: int):
    """Mark a help request handled: the person is told someone is coming."""
    round_ = round_or_404(round_id, Action.HELP)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not help.handle(db(), round_, request_id, current_user.id):
        abort(404)
    flash(_("Marked as handled. The person is told someone is coming."), "success")
    return redirect(url_for("facilitator.console", round_id=round_.id, _anchor="help-title"))


@bp.post("/rounds/<id:round_id>/steps/<step_id>/reveal")
def reveal(round_id: int, step_id: str):
    """Show the group's answers to a step on each participant's own device, or hide them."""
    round_ = round_or_404(round_id, Action.STEER)
    step = lifecycle.questionnaire_of(round_).step(step_id)
    if step is None or not step.revealable or not FlaskForm().validate_on_submit():
        abort(400)
    shown = request.form.get("shown") == "1"
    results.set_revealed(db(), round_.id, step, shown, current_user.id)
    if shown:
        flash(_("Participants can see the group's answers to this step now."), "success")
    else:
        flash(_("The group's answers to this step are hidden from participants."), "success")
    return redirect(url_for("facilitator.console", round_id=round_.id, step=step.id))


@bp.post("/rounds/<id:round_id>/answers/<id:answer_id>/hidden")
def hide_answer(round_id: int, answer_id: int):
    """Hide a written answer from everything the group sees (it stays in the record)."""
    round_ = round_or_404(round_id, Action.MODERATE)
    answer = db().get(Answer, answer_id)
    step = lifecycle.questionnaire_of(round_).step(answer.step_id) if answer else None
    if answer is None or answer.round_id != round_.id or step is None:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    hidden = request.form.get("hidden") == "1"
    results.set_hidden(db(), answer, hidden, current_user.id, step)
    if hidden:
        flash(_("That answer is hidden from the group. It is kept in the record."), "success")
    else:
        flash(_("That answer is shown to the group again."), "success")
    return redirect(url_for("facilitator.console", round_id=round_.id, step=step.id))


class RemoveForm(FlaskForm):
    """What happens to the answers of someone removed from a round."""

    answers = RadioField(
        _l("What should happen to what they gave?"),
        choices=[
            SelectChoice(
                "keep", _l("Keep their answers and the names they added, without their name")
            ),
            SelectChoice(
                "delete",
                _l("Delete their answers, connections and ratings, and names only they added"),
            ),
        ],
        validators=[InputRequired(_l("Choose what happens to what they gave"))],
    )


@bp.route("/rounds/<id:round_id>/people/<id:participant_id>/remove", methods=["GET", "POST"])
def remove_participant(round_id: int, participant_id: int):
    """Take someone out of the round: their link stops working; the lead chooses whether
    what they gave stays."""
    round_ = round_or_404(round_id, Action.REMOVE)
    person = db().get(Participant, participant_id)
    if person is None or person.round_id != round_.id or db().get(Removal, person.id):
        abort(404)
    form = RemoveForm()
    if form.validate_on_submit():
        label = participant_label(person)
        people.remove(db(), round_, person, current_user.id, form.answers.data == "keep")
        flash(_("%(name)s is no longer in this round.", name=label), "success")
        return redirect(url_for("facilitator.console", round_id=round_.id, _anchor="people-title"))
    return (
        render_template(
            "facilitator/remove_participant.html",
            round=round_,
            person=person,
            label=participant_label(person),
            form=form,
        ),
        400 if form.errors else 200,
    )


def _person_in(round_: Round, participant_id: int) -> Participant:
    """A participant still in this round (404 for anyone else)."""
    person = db().get(Participant, participant_id)
    if person is None or person.round_id != round_.id or db().get(Removal, person.id):
        abort(404)
    return person


@bp.get("/rounds/<id:round_id>/people/<id:participant_id>/data")
def participant_data(round_id: int, participant_id: int):
    """A person asked the organisation for their data, or for it to be deleted: the lead
    downloads it for them, or deletes it all, here."""
    round_ = round_or_404(round_id, Action.REMOVE)
    person = _person_in(round_, participant_id)
    return render_template(
        "facilitator/participant_data.html",
        round=round_,
        person=person,
        label=participant_label(person),
    )


@bp.post("/rounds/<id:round_id>/people/<id:participant_id>/data.json")
def export_participant(round_id: int, participant_id: int):
    """Everything held about the person, in one file; the record notes it, not whom."""
    round_ = round_or_404(round_id, Action.REMOVE)
    person = _person_in(round_, participant_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    held = personal_data.held_about(db(), round_, person, lifecycle.questionnaire_of(round_))
    personal_data.record_export(db(), round_, current_user.id)
    return json_file(held, f"participant-{person.number}-data.json")


@bp.post("/rounds/<id:round_id>/people/<id:participant_id>/data/delete")
def erase_participant(round_id: int, participant_id: int):
    """Delete everything about the person and end their link; the record notes it, not whom."""
    round_ = round_or_404(round_id, Action.REMOVE)
    person = _person_in(round_, participant_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    personal_data.erase(db(), round_, person, by=current_user.id)
    flash(_("Everything about that person is deleted. Their link no longer works."), "success")
    return redirect(url_for("facilitator.console", round_id=round_.id, _anchor="people-title"))
