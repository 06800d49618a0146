"""Map pages: the text view for everyone, and the facilitator's tidying of actors."""

from __future__ import annotations

import networkx as nx
from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlmodel import select

from facilitation.live_round import Status
from facilitation.map_graph import build_graph, look_alikes
from facilitation.map_style import styles
from facilitation.network import MAX_NAME_LENGTH
from facilitation.roles import Action
from facilitation.text import as_id
from workshop.pages.maps.view import SORTS, actor_rows
from workshop.pages.shared import network_steps
from workshop.pages.shared.access import round_or_404
from workshop.pages.shared.map_version_cache import shared
from workshop.pages.shared.measures import map_words
from workshop.pages.shared.participants import participant_in_round
from workshop.rounds import lifecycle, map_updates, maps, measures, network, team, tidy
from workshop.store.db import db
from workshop.store.models import Actor, Round
from workshop.web.i18n import language_code
from workshop.web.wording import RecordAction, participant_label

bp = Blueprint("maps", __name__)
ROWS_SHOWN = 100  # a big map's table shows this many rows until asked for all of them
# What the record notes for each change: what participants are shown, and each tidying.
_DISPLAYED = {
    ("map", True): RecordAction.SHOW_MAP,
    ("map", False): RecordAction.HIDE_MAP,
    ("measures", True): RecordAction.SHOW_MEASURES,
    ("measures", False): RecordAction.HIDE_MEASURES,
}
_TIDIED = {
    "rename": RecordAction.TIDY_RENAME_TO,
    "merge": RecordAction.TIDY_MERGE_INTO,
    "split": RecordAction.TIDY_SPLIT,
    "hide": RecordAction.TIDY_HIDE,
    "show": RecordAction.TIDY_SHOW,
}


def _map_context(round_: Round, with_measures: bool = True) -> dict:
    """The text view of a round's map, searched and sorted as the address asks, with its
    last measures in words (a large map's are worked out in the background: never waited for
    here, never on a socket event)."""
    questionnaire = lifecycle.questionnaire_of(round_, language_code())
    # The graph and its rows in words are the same for everyone until the map changes:
    # worked out once per map version (and language, and sort), then shared. Never changed.
    actors, graph = shared(round_.id, "graph", lambda: _actors_and_graph(round_.id))
    words = map_words(graph, measures.for_page(db(), round_.id, graph))
    query = (request.args.get("q") or "").strip()[:120]
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "name"
    rows = (
        actor_rows(graph, questionnaire.codebook, query, sort)
        if query  # searches are each their own: not kept
        else shared(
            round_.id,
            ("rows", language_code(), sort),
            lambda: actor_rows(graph, questionnaire.codebook, "", sort),
        )
    )
    every = request.args.get("rows") == "all"
    return {
        "round": round_,
        "graph": graph,
        "rows": rows if every else rows[:ROWS_SHOWN],
        "matching": len(rows),
        "query": query,
        "sort": sort,
        "actors": actors,
        "summary": words.summary,
        "measures": words.sections if with_measures else None,
        "measures_note": words.note,
        "display": maps.display_of(db(), round_.id),
    }


def _actors_and_graph(round_id: int) -> tuple[list, nx.Graph]:
    actors, ties = maps.map_data(db(), round_id)
    return actors, build_graph(actors, ties)


@bp.get("/rounds/<id:round_id>/map")
@login_required
def facilitator_map(round_id: int):
    """The round's map for its facilitator: every actor, and names that look alike."""
    round_ = round_or_404(round_id)
    context = _map_context(round_)
    names = {a.id: a.name for a in context["actors"]}
    pairs = [(a, b, names[a], names[b]) for a, b, _score in look_alikes(context["actors"])]
    return render_template(
        "maps/facilitator_map.html", look_alikes=pairs, styles=_styles(round_), **context
    )


@bp.get("/rounds/<id:round_id>/map/data.json")
@login_required
def facilitator_map_data(round_id: int):
    """The whole map for a first draw of the canvas; deltas follow over the socket."""
    return jsonify(map_updates.current(db(), round_or_404(round_id).id))


@bp.get("/rounds/<id:round_id>/map/projector")
@login_required
def projector(round_id: int):
    """The map alone, full screen with large text, for sharing a screen: no controls."""
    round_ = round_or_404(round_id)
    context = _map_context(round_)
    return render_template("maps/projector.html", styles=_styles(round_), **context)


@bp.post("/rounds/<id:round_id>/map/display")
@login_required
def display(round_id: int):
    """Show the map, or its measures, to participants; or hide them again."""
    round_ = round_or_404(round_id, Action.STEER)
    part, shown = request.form.get("part"), request.form.get("shown") == "1"
    if part in ("map", "measures"):
        # Recorded first: set_display commits the record with the change.
        team.record(db(), round_.id, current_user.id, _DISPLAYED[part, shown])
        maps.set_display(db(), round_.id, **{f"{part}_shown": shown})
        messages = {
            ("map", True): _("Participants can see the map now."),
            ("map", False): _("The map is hidden from participants."),
            ("measures", True): _("Participants can see the measures now."),
            ("measures", False): _("The measures are hidden from participants."),
        }
        flash(messages[part, shown], "success")
    return redirect(url_for(".facilitator_map", round_id=round_.id, _anchor="message"))


@bp.route("/rounds/<id:round_id>/map/actors/<id:actor_id>", methods=["GET", "POST"])
@login_required
def tidy_actor(round_id: int, actor_id: int):
    """Rename, merge, split, hide or show one actor."""
    round_ = round_or_404(round_id, Action.TIDY)
    actor = db().get(Actor, actor_id)
    if actor is None or actor.round_id != round_.id:
        abort(404)
    form = FlaskForm()  # for its CSRF check: every change here is a plain post
    error = None
    if request.method == "POST" and form.validate_on_submit():
        error = _tidy(round_, actor, request.form)
        if error is None:
            return redirect(url_for(".facilitator_map", round_id=round_.id, _anchor="message"))
    others = db().exec(
        select(Actor)
        .where(Actor.round_id == round_.id, Actor.id != actor.id, Actor.merged_into.is_(None))
        .order_by(Actor.name)
    )
    merged = tidy.merged_into_this(db(), actor)
    return (
        render_template(
            "maps/tidy_actor.html",
            round=round_,
            actor=actor,
            others=list(others),
            shown_as=db().get(Actor, actor.merged_into) if actor.merged_into else None,
            merged=merged,
            named_by=[
                participant_label(person)
                for person in network.named_by(
                    db(),
                    {actor.id, *(m.id for m in merged)},
                    round_.id,
                    lifecycle.questionnaire_of(round_, language_code()),
                )
            ],
            error=error,
            typed=request.form.get("name"),
        ),
        400 if error else 200,
    )


def _tidy(round_: Round, actor: Actor, form) -> str | None:
    """Carry out one tidying change; a message saying why not, when it cannot be made."""
    action = form.get("action")
    names = [actor.name]  # what the record names: the actor, and for some what it became
    try:
        if action == "rename":
            old = actor.name
            tidy.rename(db(), round_.id, actor.id, form.get("name", ""))
            message = _("Renamed “%(old)s” to “%(new)s”.", old=old, new=actor.name)
            names = [old, actor.name]
        elif action == "merge" and as_id(form.get("into")):
            merged = tidy.merge(db(), round_.id, actor.id, as_id(form["into"]))
            into = db().get(Actor, merged.merged_into)
            message = _("“%(name)s” now shows as “%(into)s”.", name=actor.name, into=into.name)
            names = [actor.name, into.name]
        elif action == "split" and as_id(form.get("part")):
            part = tidy.split(db(), round_.id, as_id(form["part"]))
            message = _("“%(name)s” shows on its own again.", name=part.name)
        elif action in ("hide", "show"):
            tidy.set_hidden(db(), round_.id, actor.id, action == "hide")
            if action == "hide":
                message = _("“%(name)s” is off the map.", name=actor.name)
            else:
                message = _("“%(name)s” is back on the map.", name=actor.name)
        else:
            return _("Choose what to change.")
    except tidy.TidyRefused as refused:
        return _tidy_refusal(refused.reason)
    team.record(db(), round_.id, current_user.id, _TIDIED[action], *names)
    tidy.store(db(), round_.id)  # the change and its record, in one transaction
    flash(message, "success")
    return None


def _tidy_refusal(reason: tidy.TidyRefusal) -> str:
    refusals = {
        tidy.TidyRefusal.NAME_EMPTY: _("Write a name"),
        tidy.TidyRefusal.NAME_TOO_LONG: _(
            "The name must be %(count)d characters or fewer", count=MAX_NAME_LENGTH
        ),
        tidy.TidyRefusal.NAME_TAKEN: _(
            "That name is already on the map. To make them one, merge them instead."
        ),
        tidy.TidyRefusal.SAME_ACTOR: _("They already show as one name."),
        tidy.TidyRefusal.NOT_MERGED: _("That name already shows on its own."),
    }
    return refusals.get(reason, _("That name is not on this map."))


@bp.route("/p/<token:token>/map", methods=["GET", "POST"])
def participant_map(token: str):
    """The shared map, drawn and in words, for participants when it is shown to them; with
    forms to add a name or a connection, choosing from the names already on it."""
    participant, round_ = participant_in_round(token)
    display = maps.display_of(db(), round_.id)
    if not lifecycle.map_is_shown(db(), round_):
        return render_template("maps/not_shown.html", participant=participant, round=round_)
    questionnaire = lifecycle.questionnaire_of(round_, language_code())
    problem = None
    if request.method == "POST" and round_.status == Status.ENDED:
        flash(_("The session has ended, so the map cannot change now."), "info")
        return redirect(url_for(".participant_map", token=token, _anchor="message"))
    if request.method == "POST":
        step = network.MAP_TIES if request.form.get("form") == "connect" else network.MAP_NAMES
        fields = request.form
        if step is network.MAP_TIES and "tie_kind" in fields:  # the page's own name for it
            fields = fields.copy()
            fields["kind"] = request.form["tie_kind"]
        problem = network_steps.post(db(), participant, questionnaire, step, fields)
        if problem is None:
            return redirect(url_for(".participant_map", token=token, _anchor="message"))
    codebook = questionnaire.codebook
    context = _map_context(round_, with_measures=display.measures_shown)
    choices, options = network_steps.choosable(db(), participant, network.MAP_TIES, questionnaire)
    return (
        render_template(
            "maps/participant_map.html",
            participant=participant,
            styles=_styles(round_),
            choices=choices,
            options=options,
            actor_kinds=codebook.actor_kinds,
            tie_kinds=codebook.tie_kinds,
            problem=problem,
            form_name=request.form.get("form"),
            **context,
        ),
        400 if problem else 200,
    )


@bp.get("/p/<token:token>/map/data.json")
def participant_map_data(token: str):
    """The whole map for a participant's first draw, when the map is shown to them."""
    _participant, round_ = participant_in_round(token)
    if not lifecycle.map_is_shown(db(), round_):
        abort(404)
    return jsonify(map_updates.current(db(), round_.id))


def _styles(round_: Round) -> dict:
    return styles(lifecycle.questionnaire_of(round_, language_code()).codebook)
