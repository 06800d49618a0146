"""Participant pages. Every answer is a plain form post and redirect; sockets only add speed."""

from __future__ import annotations

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
from flask import (
    session as cookie,
)
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import bindparam
from sqlmodel import select

from facilitation import conversation
from facilitation.answers import AnswerRejected, check_answer
from facilitation.join_codes import normalise_code
from facilitation.live_round import Status, answerable
from facilitation.skip_logic import is_for
from workshop.pages.participant import lobby_page
from workshop.pages.participant.conversation_parts import parts_of
from workshop.pages.participant.forms import JoinCodeForm, JoinForm
from workshop.pages.participant.join_page import join_page
from workshop.pages.participant.preferences import PreferencesForm, preferences_of, remember
from workshop.pages.shared import network_steps
from workshop.pages.shared.group_results import group_results
from workshop.pages.shared.participants import participant_by_token, participant_in_round
from workshop.rounds import (
    answers,
    help,
    lifecycle,
    maps,
    people,
    results,
    run_sheet,
    self_paced,
    team,
)
from workshop.store.db import db
from workshop.store.models import Participant, Round
from workshop.web.errors import database_unavailable
from workshop.web.i18n import language_code
from workshop.web.urls import same_site
from workshop.web.wording import answer_error

bp = Blueprint("participant", __name__)


@bp.route("/", methods=["GET", "POST"])
def home():
    form = JoinCodeForm()
    if form.validate_on_submit():
        code = normalise_code(form.code.data)
        round_ = db().exec(select(Round).where(Round.join_code == code)).first() if code else None
        if round_ is None:
            form.code.errors = [
                _("We could not find a session with that code. Check each letter and try again.")
            ]
        elif round_.status == Status.ENDED:
            return _closed(round_)
        else:
            return redirect(url_for(".join", token=round_.join_token))
    return render_template("participant/home.html", form=form), 400 if form.errors else 200


_BY_JOIN_TOKEN = select(Round).where(Round.join_token == bindparam("token"))  # built once


@bp.route("/j/<token:token>", methods=["GET", "POST"])
def join(token: str):
    round_ = db().exec(_BY_JOIN_TOKEN, params={"token": token}).first()
    if round_ is None:
        abort(404)
    self_paced.close_if_due(db(), round_)
    # A device that joined before asks whether it is the same person: a tablet passed
    # round a room must not take the next person to the last one's page (and data). They
    # go on to their own page, even after the end; nobody new joins an ended round.
    known = cookie.get("rounds", {}).get(str(round_.id))
    if known and (person := participant_by_token(known)) is not None:
        attempt = request.form.get("attempt") if request.method == "POST" else None
        if attempt and attempt == person.join_attempt:  # the same form again: a double tap
            return redirect(url_for(".conversation_page", token=known))
        return render_template("participant/returning.html", round=round_, person=person)
    if round_.status == Status.ENDED:
        return _closed(round_)
    form = JoinForm()
    if form.validate_on_submit():
        participant = people.join(db(), round_, form.display_name.data, form.attempt.data)
        cookie["rounds"] = {**cookie.get("rounds", {}), str(round_.id): participant.token}
        cookie.permanent = True
        return redirect(url_for(".conversation_page", token=participant.token))

    def context() -> dict:
        return {**_round_context(round_), "schedule": self_paced.schedule_of(db(), round_.id)}

    if not form.errors and "_flashes" not in cookie:
        return join_page(round_, context)
    return render_template("participant/join.html", form=form, round=round_, **context()), 400


@bp.post("/j/<token:token>/someone-new")
def someone_new(token: str):
    """Someone says "This isn't me": this device forgets who joined the round from it, and
    the join page follows. That person's page is still theirs, behind their own link."""
    round_ = db().exec(_BY_JOIN_TOKEN, params={"token": token}).first()
    if round_ is None:
        abort(404)
    if FlaskForm().validate_on_submit():
        known = cookie.get("rounds", {})
        cookie["rounds"] = {k: v for k, v in known.items() if k != str(round_.id)}
    return redirect(url_for(".join", token=token))


@bp.get("/p/<token:token>")
def conversation_page(token: str):
    """The conversation; with ?part=conversation, only the part live updates replace."""
    participant, round_ = participant_in_round(token)
    people.touch(db(), participant)
    if lobby_page.shareable(round_):
        return lobby_page.lobby_page(
            participant, round_, lambda: _conversation(participant, round_, part=False)
        )
    return _conversation(participant, round_, request.args.get("part") == "conversation")


def _conversation(participant: Participant, round_: Round, part: bool) -> str:
    questionnaire = _questionnaire(round_)
    view = conversation.build(
        questionnaire,
        self_paced.state_for(db(), round_, participant),
        answers.answers_of(db(), participant),
    )
    # Only the waiting room names the facilitator: skip that query for live updates.
    context = _round_context(round_) if not part or round_.status == Status.LOBBY else {}
    current = view.current.step if view.current and view.current.for_you else None
    net = current and network_steps.view_for(db(), participant, questionnaire, current)
    read_as = (language_code(), preferences_of(round_.id).easy_read)
    group = group_results(round_.id, questionnaire, read_as)
    context.update(
        participant=participant,
        round=round_,
        questionnaire=questionnaire,
        view=view,
        title=_title(view),
        saved=request.args.get("saved"),
        net=net,
        map_shown=maps.map_shown(db(), round_.id),
        group=group,
        group_versions={step_id: results.result_version(r) for step_id, r in group.items()},
        schedule=self_paced.schedule_of(db(), round_.id),
        timer=run_sheet.timer_of(db(), round_),
        minutes_left=run_sheet.left,
        ends_at=run_sheet.ends_at,
    )
    parts = parts_of(context, preferences_of(round_.id).easy_read)
    return render_template(
        "participant/_conversation.html" if part else "participant/conversation.html",
        parts=parts,
        **context,
    )


def _title(view: conversation.Conversation) -> str:
    """The page's <h1> and title: the open question, or where the round is."""
    if view.current is not None and not view.current.for_you:
        return _("Nothing to answer here")
    if view.current is not None:
        return view.current.step.title
    if view.state.status is Status.LOBBY:
        return _("You are in. Please wait for the start.")
    return _("Thank you. The session has ended.")


@bp.route("/p/<token:token>/steps/<step_id>", methods=["GET", "POST"])
def step_page(token: str, step_id: str):
    """One question on its own: where a participant changes an answer or fixes an error."""
    participant, round_ = participant_in_round(token)
    questionnaire = _questionnaire(round_)
    step = questionnaire.step(step_id)
    if step is None:
        abort(404)
    state = self_paced.state_for(db(), round_, participant)
    # Asked now, while it is known: saving writes, and the database would be asked again.
    is_self_paced = self_paced.schedule_of(db(), round_.id) is not None
    if not answerable(state, questionnaire.position(step_id)):
        if state.status is Status.ENDED:
            flash(_("The session has ended, so answers cannot change now. Yours are kept."), "info")
        else:
            flash(_("That question is not open now."), "info")
        return redirect(url_for(".conversation_page", token=token, _anchor="now"))
    submitted = request.form.getlist("answer")
    error = None
    if request.method == "POST" and request.form.get("intent") == "delete":
        if not step.adds_one_at_a_time:
            answers.delete_answer(db(), participant, step)
            flash(_("Your answer to “%(title)s” is deleted.", title=step.title), "success")
        return redirect(url_for(".conversation_page", token=token, _anchor="main"))
    if request.method == "POST" and not step.collects_answer:
        return redirect(url_for(".conversation_page", token=token, _anchor="now"))
    given = answers.answers_of(db(), participant)
    if not is_for(step, given):
        flash(_("That question is not for you, because of an earlier answer."), "info")
        return redirect(url_for(".conversation_page", token=token, _anchor="now"))
    position = questionnaire.position(step.id)
    problem = None
    if request.method == "POST" and step.adds_to_map:
        problem = network_steps.post(db(), participant, questionnaire, step, request.form)
        if problem is None and step.adds_one_at_a_time:
            # Added or removed one: back to the same list, to add more, landing on the
            # message that says what happened.
            if position == state.step_index:
                return redirect(url_for(".conversation_page", token=token, _anchor="message"))
            return redirect(url_for(".step_page", token=token, step_id=step.id, _anchor="message"))
        if problem is None:
            return _after_saving(
                token, questionnaire, step, state, round_, participant, is_self_paced
            )
        error = problem.message
    elif request.method == "POST":  # CSRFProtect has already checked the token
        try:
            value = check_answer(step, submitted)
        except AnswerRejected as rejected:
            error = answer_error(step, rejected.problem)
        else:
            answers.save_answer(db(), participant, step, value)
            return _after_saving(
                token, questionnaire, step, state, round_, participant, is_self_paced
            )
    if request.method == "POST":  # a rejected post may still have changed them: read again
        given = answers.answers_of(db(), participant)
    stored = given.get(step.id)
    return (
        render_template(
            "participant/step.html",
            participant=participant,
            round=round_,
            questionnaire=questionnaire,
            step=step,
            number=questionnaire.question_number(step_id),
            value=submitted if error else stored,
            answered=step.id in given,
            error=error,
            errors=problem.errors if problem else {},
            submitted=problem.submitted if problem else {},
            net=network_steps.view_for(db(), participant, questionnaire, step),
        ),
        400 if error else 200,
    )


def _after_saving(
    token: str, questionnaire, step, state, round_: Round, participant, is_self_paced: bool
):
    """In a self-paced round, saving the open question also moves the person on (as a
    Continue button does), landing on the next one; otherwise as _saved."""
    position = questionnaire.position(step.id)
    if is_self_paced and position == state.step_index and position < state.step_count - 1:
        self_paced.move(db(), round_, participant, forward=True)
        return redirect(url_for(".conversation_page", token=token, saved=step.id, _anchor="now"))
    return _saved(token, questionnaire, step, state)


def _saved(token: str, questionnaire, step, state):
    """Land where the answer is shown, with "saved" beside it (not scrolled away)."""
    position = questionnaire.position(step.id)
    if position == state.step_index:
        anchor = "now"
    elif position < state.step_index:
        anchor = f"turn-{step.id}"
    else:  # the facilitator went back past it: it is not on the page just now
        flash(_("Your answer to “%(title)s” is saved.", title=step.title), "success")
        anchor = "main"
    return redirect(url_for(".conversation_page", token=token, saved=step.id, _anchor=anchor))


def _questionnaire(round_: Round):
    """The round's questionnaire in this participant's language, where it provides it, and
    in Easy Read when they asked for it."""
    easy = preferences_of(round_.id).easy_read
    return lifecycle.questionnaire_of(round_, language_code(), easy_read=easy)


@bp.route("/p/<token:token>/preferences", methods=["GET", "POST"])
def preferences_page(token: str):
    """How the pages look and read for this person, kept for the round."""
    participant, round_ = participant_in_round(token)
    form = PreferencesForm(obj=preferences_of(round_.id))
    if form.validate_on_submit():
        remember(round_.id, form)
        flash(_("Your choices are saved."), "success")
        return redirect(url_for(".conversation_page", token=token, _anchor="message"))
    return render_template(
        "participant/preferences.html", participant=participant, round=round_, form=form
    )


@bp.post("/p/<token:token>/pace")
def pace(token: str):
    """In a self-paced round: on to this person's next step, or back to the one before."""
    participant, round_ = participant_in_round(token)
    if self_paced.schedule_of(db(), round_.id) is None:
        abort(404)
    self_paced.move(db(), round_, participant, forward=request.form.get("go") != "back")
    return redirect(url_for(".conversation_page", token=token, _anchor="now"))


@bp.get("/p/<token:token>/my-answers.csv")
def my_answers(token: str):
    """A copy of everything this person answered, to keep."""
    participant, round_ = participant_in_round(token)
    body = answers.answers_file(
        _questionnaire(round_),
        answers.answers_of(db(), participant),
        (_("Question"), _("Your answer")),
    )
    response = current_app.response_class(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="my-answers.csv"'
    return response


@bp.route("/p/<token:token>/help", methods=["POST"])
def help_request(token: str):
    """ "I need help", or "I do not need help now": a plain post, back to the same page."""
    participant, round_ = participant_in_round(token)
    if request.form.get("intent") == "withdraw":
        help.withdraw(db(), participant)
        flash(_("You said you do not need help now."), "info")
    elif round_.status == Status.ENDED:
        flash(_("The session has ended. Ask whoever gave you the link."), "info")
    else:
        help.ask(db(), participant, round_)
        flash(_("We have told the facilitators. Someone will help you soon."), "success")
    back = same_site(request.form.get("next", "")) or url_for(".conversation_page", token=token)
    return redirect(back)


@bp.app_context_processor
def _participant_context() -> dict:
    """Every participant page (here and on the map) carries the person's display choices as
    classes on its body, and the bar with who runs the session and the help button."""
    token = (request.view_args or {}).get("token")
    if request.args.get("part"):  # a live update's fragment: no header, bar or body
        return {}
    if database_unavailable():  # the error page says so, without asking the database again
        return {}
    checked = request.memo.get("participant")  # participant_in_round found them in
    if checked is not None and checked.token == token:
        participant = checked
        asked = help.still_shown(request.memo["help"])  # found with them
    else:
        participant = participant_by_token(token) if isinstance(token, str) else None
        if participant is None or people.is_removed(db(), participant.id):
            return {}
        asked = help.last_request(db(), participant.id)
    round_ = db().get(Round, participant.round_id)
    return {
        "preference_classes": preferences_of(participant.round_id).body_classes,
        "room": {
            "participant": participant,
            "team": team.hosts_of(db(), round_).team,
            "present": people.present_count(db(), round_.id),
            "help": asked,
            "ended": round_.status == Status.ENDED,
        },
    }


def _round_context(round_: Round) -> dict:
    """Who runs this round: participants should know who they are talking to."""
    hosts = team.hosts_of(db(), round_)
    return {"project": hosts.project, "facilitator": hosts.lead}


def _closed(round_: Round):
    return render_template("participant/closed.html", round=round_), 410
