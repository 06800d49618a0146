"""Network steps for participants: what each shows, and the forms that add to the map."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from flask import flash, get_template_attribute
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlmodel import Session, col, select
from werkzeug.datastructures import MultiDict

from facilitation import network as rules
from facilitation.answers import AnswerRejected, Problem
from facilitation.map_graph import on_show, shown_as
from facilitation.text import as_id
from questionnaires.schema import Option, Questionnaire, Step, Stored, Term
from workshop.pages.shared.map_version_cache import shared
from workshop.rounds import maps, network
from workshop.store.models import Actor, Participant
from workshop.web.i18n import language_code
from workshop.web.wording import answer_error

MAX_SUGGESTIONS = 500
MACROS = "components/network_steps.html"


@dataclass(frozen=True)
class Listed:
    """A name as the map in words lists it (a whole Actor row costs far more to make)."""

    id: int
    name: str
    kind: str


@dataclass(frozen=True)
class NetworkView:
    """Everything a network step's page needs besides the step itself."""

    items: list[dict] = field(default_factory=list)  # what this person added here
    choices: list[Actor | Listed | network.Choice] = field(default_factory=list)  # to pick from
    suggestions: list[str] = field(default_factory=list)  # names already in the round
    suggested: Markup = field(default_factory=Markup)  # the suggestions as a datalist's <option>s
    kinds: list[Term] = field(default_factory=list)  # actor kinds, or tie kinds
    categories: list[Option] = field(default_factory=list)  # for rating or sorting
    placed: dict[int, str] = field(default_factory=dict)  # actor id -> category id
    kind_labels: dict[str, str] = field(default_factory=dict)  # every actor kind's words
    ties: list[str] = field(default_factory=list)  # the map step: each connection, in words
    named_by: dict[int, int] = field(default_factory=dict)  # the map step: actor id -> people
    new_names: list[str] = field(default_factory=list)  # named since this answer was saved
    # Drawn once per map version for everyone (see map_version_cache): the choices as <option>s,
    # and the map step's lists.
    options: Markup | None = None
    lists: Markup | None = None


@dataclass(frozen=True)
class NetworkError:
    """A rejected addition: each field to fix with its message, and what was typed (kept)."""

    errors: dict[str, str]
    submitted: dict[str, str]

    @property
    def message(self) -> str:
        return next(iter(self.errors.values()))


def view_for(
    db: Session, participant: Participant, questionnaire: Questionnaire, step: Step
) -> NetworkView | None:
    """What a network (or map) step shows this participant now; None for other steps."""
    codebook = questionnaire.codebook
    kind_labels = {t.id: t.label for t in codebook.actor_kinds}
    if step.shows_map:
        view = map_view(db, participant.round_id, questionnaire)
        lists = shared(
            participant.round_id,
            ("map-lists", _wording(questionnaire), language_code()),
            lambda: Markup(get_template_attribute(MACROS, "map_lists")(view, "h3")),
        )
        return replace(view, lists=lists)
    if step.stores is Stored.ACTORS:
        items = network.items_of(db, participant, step.id)
        mine = {i["actor"] for i in items}
        # Each name on the list shows its kind: the first person to name it chose it.
        kinds = {
            actor_id: kind_labels.get(kind, kind)
            for actor_id, kind in db.exec(
                select(Actor.id, Actor.kind).where(col(Actor.id).in_(mine))
            )
        }
        # Suggestions are names on show (none a facilitator took off, or merged away) but
        # their own: the round's list is read once per map version, for everyone.
        on_show = shared(
            participant.round_id, "names", lambda: _names(db, participant.round_id), names=True
        )
        offered = [(name, option) for actor_id, name, option in on_show if actor_id not in mine]
        offered = offered[:MAX_SUGGESTIONS]
        return NetworkView(
            items=[{**i, "kind": kinds.get(i["actor"], "")} for i in items],
            suggestions=[name for name, _option in offered],
            suggested=Markup("".join(option for _name, option in offered)),
            kinds=step.kinds(codebook),
            kind_labels=kind_labels,
        )
    if step.adds_to_map:
        items = network.items_of(db, participant, step.id)
        choices, options = choosable(db, participant, step, questionnaire)
        placed = {i["actor"]: str(i["value"]) for i in items if "value" in i}
        return NetworkView(
            items=items,
            choices=choices,
            options=options,
            new_names=_named_since_answered(db, participant, step, choices, placed),
            kinds=step.kinds(codebook),
            categories=step.categories(codebook),
            placed=placed,
            kind_labels=kind_labels,
        )
    return None


def _named_since_answered(
    db: Session,
    participant: Participant,
    step: Step,
    choices: list[network.Choice],
    placed: dict,
) -> list[str]:
    """Names to rate or sort that were added after this person saved their answer here."""
    if step.stores is not Stored.PLACEMENTS:
        return []
    answer = network.answer_of(db, participant, step.id)
    if answer is None:
        return []
    saved = answer.updated_at.replace(tzinfo=None)
    return [
        a.name for a in choices if a.id not in placed and a.created_at.replace(tzinfo=None) > saved
    ]


def _names(db: Session, round_id: int) -> list[tuple[int, str, str]]:
    """Every name on show in a round, in the database's order of names, each with its
    datalist <option> drawn once (hundreds, for each of hundreds of people naming)."""
    query = select(Actor.id, Actor.name).where(Actor.round_id == round_id, maps.on_show())
    return [
        (actor_id, name, f'<option value="{escape(name)}"></option>')
        for actor_id, name in db.exec(query.order_by(Actor.name))
    ]


def choosable(
    db: Session, participant: Participant, step: Step, questionnaire: Questionnaire
) -> tuple[list[network.Choice], Markup | None]:
    """`choices_of`, and the choices as <option>s: a list of everyone's names is the same
    for everyone, so it is drawn once per map version (None for "mine")."""
    choices = choices_of(db, participant, step, questionnaire)
    if step.actors == "mine":
        return choices, None
    kinds = tuple(step.actor_kinds or ())
    return choices, shared(
        participant.round_id, ("options", kinds), lambda: as_options(choices), names=True
    )


def choices_of(
    db: Session, participant: Participant, step: Step, questionnaire: Questionnaire
) -> list[network.Choice]:
    """`network.choosable`: everyone's names are read once per map version, for everyone."""
    if step.actors == "mine":
        return network.choosable(db, participant, step, questionnaire)
    return shared(
        participant.round_id,
        ("choices", tuple(step.actor_kinds or ())),
        lambda: network.choosable(db, participant, step, questionnaire),
        names=True,  # connecting two names leaves the list of names as it was
    )


def as_options(choices: list) -> Markup:
    """Names to choose from as a select's options (none chosen), drawn once for everyone."""
    # Plain string work: Markup.format costs ten times as much, for hundreds of names.
    return Markup("".join(f'<option value="{c.id:d}">{escape(c.name)}</option>' for c in choices))


def _wording(questionnaire: Questionnaire) -> str:
    """What the map in words says of kinds, in this questionnaire's language."""
    codebook = questionnaire.codebook
    return repr([(t.id, t.label) for t in (*codebook.actor_kinds, *codebook.tie_kinds)])


def map_view(db: Session, round_id: int, questionnaire: Questionnaire) -> NetworkView:
    """The round's map in words, as everyone sees it (merged names shown as one, hidden ones
    left out): every name, most shared first, and every connection in sentences. Worked out
    once per map version and wording of its kinds, for everyone who looks."""
    wording = _wording(questionnaire)
    return shared(round_id, ("map", wording), lambda: _map_view(db, round_id, questionnaire))


def _map_view(db: Session, round_id: int, questionnaire: Questionnaire) -> NetworkView:
    actors, ties = maps.map_data(db, round_id)
    target = shown_as(actors)
    by_id = {a.id: a for a in actors}
    shown_ids = {a.id for a in actors if on_show(a)}
    named: dict[int, set[int]] = {}
    for actor_id, people in network.namers(db, round_id, questionnaire).items():
        if actor_id in target:
            named.setdefault(target[actor_id], set()).update(people)
    counts = {actor_id: len(people) for actor_id, people in named.items()}
    shown = sorted(
        (Listed(a.id, a.name, a.kind) for a in actors if a.id in shown_ids),
        key=lambda a: (-counts.get(a.id, 0), a.name.casefold()),
    )
    labels = {t.id: t.label for t in questionnaire.codebook.tie_kinds}
    # One connection per two names linked, as the map counts them: its statements (in
    # order, each once) read together.
    sentences: dict[frozenset[int], dict[str, None]] = {}
    for tie in ties:
        source, end = target.get(tie.source), target.get(tie.target)
        if source in shown_ids and end in shown_ids and source != end:
            words = rules.tie_words(
                by_id[source].name, labels.get(tie.kind, tie.kind), by_id[end].name
            )
            sentences.setdefault(frozenset((source, end)), {})[words] = None
    return NetworkView(
        choices=shown,
        kind_labels={t.id: t.label for t in questionnaire.codebook.actor_kinds},
        ties=["; ".join(said) for said in sentences.values()],
        named_by=counts,
    )


def preview_view(questionnaire: Questionnaire, step: Step) -> NetworkView | None:
    """What a network step shows in a facilitator's preview: a few example names, unsaved."""
    codebook = questionnaire.codebook
    kinds = [t.id for t in codebook.actor_kinds] or ["example"]
    examples = [
        Actor(
            id=n,
            round_id=0,
            name=_("Example name %(n)d", n=n),
            key="",
            kind=kinds[n % len(kinds)],
            step_id="",
        )
        for n in (1, 2, 3)
    ]
    view = NetworkView(choices=examples, kind_labels={t.id: t.label for t in codebook.actor_kinds})
    if step.stores is Stored.ACTORS:
        return NetworkView(kinds=step.kinds(codebook))
    if step.adds_to_map:
        return replace(view, kinds=step.kinds(codebook), categories=step.categories(codebook))
    return view if step.shows_map else None


def post(
    db: Session,
    participant: Participant,
    questionnaire: Questionnaire,
    step: Step,
    form: MultiDict,
) -> NetworkError | None:
    """Carry out a network step's form: add, remove, skip or save. None when it worked."""
    try:
        if "remove" in form:
            _remove(db, participant, questionnaire, step, form["remove"])
        elif form.get("intent") == "none":
            network.skip(db, participant, step)
            flash(_("Saved: nothing to add here."), "success")
        elif step.stores is Stored.ACTORS:
            _add_actor(db, participant, questionnaire, step, form)
        elif step.stores is Stored.TIES:
            _add_tie(db, participant, questionnaire, step, form)
        elif step.stores is Stored.PLACEMENTS:
            choices = [a.id for a in choices_of(db, participant, step, questionnaire)]
            submitted = {a: form.get(f"actor-{a}", "") for a in choices}
            placed = rules.check_placements(step, questionnaire.codebook, choices, submitted)
            network.save_placements(db, participant, step, questionnaire, placed)
    except AnswerRejected as rejected:
        errors: dict[str, str] = {}
        for problem in rejected.problems:
            field_id = _field_for(problem, step, db, participant, questionnaire)
            errors.setdefault(field_id, answer_error(step, problem))
        return NetworkError(errors, {key: form.get(key, "") for key in form})
    return None


def _remove(db, participant, questionnaire, step, value: str) -> None:
    item_id = as_id(value)
    key = "actor" if step.stores is Stored.ACTORS else "tie"
    items = network.items_of(db, participant, step.id)
    label = next((i["label"] for i in items if item_id and i.get(key) == item_id), None)
    if label is None:
        return  # not on this person's list (already removed, or not theirs)
    if step.stores is Stored.ACTORS:
        others = network.remove_actor(db, participant, step, questionnaire, item_id)
        if others:
            message = _(
                "Removed “%(name)s” from your list, with your %(count)d other answers about it.",
                name=label,
                count=others,
            )
        else:
            message = _("Removed “%(name)s” from your list.", name=label)
        flash(message, "success")
    elif step.stores is Stored.TIES:
        network.remove_tie(db, participant, step, item_id)
        flash(_("Removed: %(words)s.", words=label), "success")


def _add_actor(db, participant, questionnaire, step: Step, form) -> None:
    listed = len(network.items_of(db, participant, step.id))
    new = rules.check_new_actor(
        step, questionnaire.codebook, form.get("name", ""), form.get("kind"), listed
    )
    actor, added = network.add_actor(db, participant, step, new)
    if not added:
        flash(_("“%(name)s” is already on your list.", name=actor.name), "info")
    elif actor.kind != new.kind:
        kind = next((t.label for t in questionnaire.codebook.actor_kinds if t.id == actor.kind), "")
        flash(
            _(
                "Added “%(name)s”. Someone else named them already, as: %(kind)s.",
                name=actor.name,
                kind=kind,
            ),
            "success",
        )
    else:
        flash(_("Added “%(name)s” to your list.", name=actor.name), "success")


def _add_tie(db, participant, questionnaire, step: Step, form) -> None:
    choices = choices_of(db, participant, step, questionnaire)
    listed = len(network.items_of(db, participant, step.id))
    new = rules.check_new_tie(step, questionnaire.codebook, {a.id for a in choices}, form, listed)
    label = next(t.label for t in questionnaire.codebook.tie_kinds if t.id == new.kind)
    _tie, added = network.add_tie(db, participant, step, new, label)
    names = {a.id: a.name for a in choices}
    words = rules.tie_words(names[new.source], label, names[new.target])
    if added:
        flash(_("Added: %(words)s.", words=words), "success")
    else:
        flash(_("You have already said: %(words)s.", words=words), "info")


def _field_for(problem: Problem, step: Step, db, participant, questionnaire) -> str:
    """The id of the control an error is about, for the error summary's link."""
    if problem in (Problem.ENTER_NAME, Problem.NAME_TOO_LONG):
        return "name"
    if problem is Problem.CHOOSE_KIND:
        return "kind"
    if problem is Problem.TOO_MANY:
        return "name" if step.stores is Stored.ACTORS else "source"
    if problem in (Problem.CHOOSE_TARGET, Problem.SAME_ACTOR):
        return "target"
    if step.stores is Stored.PLACEMENTS:
        first = choices_of(db, participant, step, questionnaire)[:1]
        return f"actor-{first[0].id}" if first else "main"
    return "source"
