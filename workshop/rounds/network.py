"""The round's map in the database: the actors, ties and ratings that network steps add.

Each change is stored in one transaction with the participant's answer to the step (the
list of what they added: the ids of what they chose, with the words they saw), so the
transcript, the console and the map agree. Counts go by the ids, never the words.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple, TypeVar

from flask import current_app
from sqlalchemy import bindparam, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from facilitation.network import NewActor, NewTie, tie_words
from questionnaires.schema import Questionnaire, Step, Stored
from questionnaires.steps.connect_actors import ConnectActorsStep
from questionnaires.steps.name_actors import NameActorsStep
from questionnaires.steps.shared import PlacementStep
from workshop.realtime import publish
from workshop.rounds import map_updates as live_map
from workshop.rounds import maps, measures
from workshop.rounds.map_patch import Touched
from workshop.store import cascade
from workshop.store.db import UNAVAILABLE
from workshop.store.models import (
    Actor,
    ActorRating,
    Answer,
    Participant,
    Tie,
    utcnow,
)
from workshop.store.on_commit import on_commit

T = TypeVar("T")

# The map page's own forms add names and connections outside any questionnaire step: they
# are stored like a step's, under these ids, so who added what (and when) is kept.
MAP_NAMES = NameActorsStep(type="name-actors", id="on-the-map-names", title="-", max_actors=100)
MAP_TIES = ConnectActorsStep(
    type="connect-actors", id="on-the-map-ties", title="-", actors="everyone", max_ties=200
)


def items_of(db: Session, participant: Participant, step_id: str) -> list[dict]:
    """What a participant has added at a network step: items with the ids of what they chose
    ({"actor": id} or {"tie": id, "source", "target", "kind"}) and "label", their words."""
    answer = answer_of(db, participant, step_id)
    return list(answer.value or []) if answer else []


def named_ids(db: Session, participant: Participant, questionnaire: Questionnaire) -> set[int]:
    """The actors this participant has named at any name-actors step."""
    answers = db.exec(
        select(Answer).where(
            Answer.participant_id == participant.id,
            col(Answer.step_id).in_(_name_steps(questionnaire)),
        )
    )
    return {item["actor"] for a in answers for item in a.value or []}


class Choice(NamedTuple):
    """An actor offered in a list: what its forms show and check."""

    id: int
    name: str
    kind: str
    created_at: datetime


def choosable(
    db: Session, participant: Participant, step: Step, questionnaire: Questionnaire
) -> list[Choice]:
    """The actors an actor step offers: the participant's own, or everyone's, by name."""
    # Four columns, not whole rows: a connect step lists the whole map, on every view.
    columns = (Actor.id, Actor.name, Actor.kind, Actor.created_at)
    query = select(*columns).where(Actor.round_id == participant.round_id)
    if step.actors == "mine":
        query = query.where(col(Actor.id).in_(named_ids(db, participant, questionnaire)))
    else:  # everyone's: those on show (a merged actor shows as another one)
        query = query.where(maps.on_show())
    if step.actor_kinds:
        query = query.where(col(Actor.kind).in_(step.actor_kinds))
    return sorted((Choice(*row) for row in db.exec(query)), key=lambda a: a.name.casefold())


def add_actor(
    db: Session, participant: Participant, step: NameActorsStep, new: NewActor
) -> tuple[Actor, bool]:
    """Add a name to the participant's list, reusing the round's actor of the same name.

    Returns the actor and whether it was newly listed (False: it was on their list already).
    """

    def change(touched: Touched) -> tuple[Actor, bool]:
        items = items_of(db, participant, step.id)
        actor = db.exec(
            select(Actor).where(Actor.round_id == participant.round_id, Actor.key == new.key)
        ).first()
        if actor is not None and any(item["actor"] == actor.id for item in items):
            return actor, False
        if actor is None:
            actor = Actor(
                round_id=participant.round_id,
                name=new.name,
                key=new.key,
                kind=new.kind,
                layer=step.layer,
                added_by=participant.id,
                step_id=step.id,
            )
            db.add(actor)
            db.flush()  # the id, and the unique name check, now
        touched.actor(actor.id)
        _store(db, participant, step.id, [*items, {"actor": actor.id, "label": actor.name}])
        return actor, True

    return _commit(db, participant, change)


def remove_actor(
    db: Session,
    participant: Participant,
    step: NameActorsStep,
    questionnaire: Questionnaire,
    actor_id: int,
) -> int:
    """Take a name off the participant's list, with their own ties to it and ratings of it
    (returns how many of those went too).

    The actor stays on the round's map while anyone else still names, ties or rates it.
    """

    def change(touched: Touched) -> int:
        dropped = 0
        touched.actor(actor_id)
        items = items_of(db, participant, step.id)
        _store(db, participant, step.id, [i for i in items if i["actor"] != actor_id])
        mine = select(Tie).where(
            Tie.added_by == participant.id,
            or_(Tie.source_id == actor_id, Tie.target_id == actor_id),
        )
        for tie in db.exec(mine):
            _drop_item(db, participant, tie.step_id, "tie", tie.id)
            touched.tie(tie.source_id, tie.target_id)
            db.delete(tie)
            dropped += 1
        ratings = select(ActorRating).where(
            ActorRating.participant_id == participant.id, ActorRating.actor_id == actor_id
        )
        for rating in db.exec(ratings):
            _drop_item(db, participant, rating.step_id, "actor", actor_id)
            db.delete(rating)
            dropped += 1
        db.flush()
        actor = db.get(Actor, actor_id)
        gone = actor is None or actor.round_id != participant.round_id
        if not gone and not _in_use(db, actor, _name_steps(questionnaire)):
            db.delete(actor)
        return dropped

    return _commit(db, participant, change)


def add_tie(
    db: Session,
    participant: Participant,
    step: Step,
    new: NewTie,
    kind_label: str,
) -> tuple[Tie, bool]:
    """Add a tie the participant states; False when they had stated it already."""

    def change(touched: Touched) -> tuple[Tie, bool]:
        tie = db.exec(
            select(Tie).where(
                Tie.added_by == participant.id,
                Tie.step_id == step.id,
                Tie.source_id == new.source,
                Tie.target_id == new.target,
                Tie.kind == new.kind,
            )
        ).first()
        if tie is not None:
            return tie, False
        source, target = db.get(Actor, new.source), db.get(Actor, new.target)
        tie = Tie(
            round_id=participant.round_id,
            source_id=new.source,
            target_id=new.target,
            kind=new.kind,
            added_by=participant.id,
            step_id=step.id,
        )
        db.add(tie)
        db.flush()
        touched.tie(new.source, new.target)
        label = tie_words(source.name, kind_label, target.name)
        items = items_of(db, participant, step.id)
        chosen = {"tie": tie.id, "source": new.source, "target": new.target, "kind": new.kind}
        _store(db, participant, step.id, [*items, {**chosen, "label": label}])
        return tie, True

    return _commit(db, participant, change)


def remove_tie(db: Session, participant: Participant, step: Step, tie_id: int) -> None:
    """Take back one of the participant's own ties at this step."""

    def change(touched: Touched) -> None:
        tie = db.get(Tie, tie_id)
        _drop_item(db, participant, step.id, "tie", tie_id)
        if tie is not None and tie.added_by == participant.id and tie.step_id == step.id:
            touched.tie(tie.source_id, tie.target_id)
            db.delete(tie)

    _commit(db, participant, change)


def save_placements(
    db: Session,
    participant: Participant,
    step: PlacementStep,
    questionnaire: Questionnaire,
    placed: dict[int, int | str],
) -> None:
    """Store the participant's ratings (or categories) at this step, replacing earlier ones."""
    labels = {c.id: c.label for c in step.categories(questionnaire.codebook)}

    def change(_touched: Touched) -> None:
        earlier = db.exec(
            select(ActorRating).where(
                ActorRating.participant_id == participant.id, ActorRating.step_id == step.id
            )
        ).all()
        by_actor = {r.actor_id: r for r in earlier}
        for rating in earlier:
            if rating.actor_id not in placed:
                db.delete(rating)
        actors = {a.id: a for a in db.exec(select(Actor).where(col(Actor.id).in_(list(placed))))}
        items = []
        for actor_id, value in placed.items():
            rating = by_actor.get(actor_id) or ActorRating(
                round_id=participant.round_id,
                actor_id=actor_id,
                participant_id=participant.id,
                step_id=step.id,
                value=value,
            )
            rating.value, rating.updated_at = value, utcnow()
            db.add(rating)
            name = actors[actor_id].name
            label = f"{name}: {labels[str(value)]}"
            items.append({"actor": actor_id, "name": name, "value": value, "label": label})
        _store(db, participant, step.id, items, empty_means_skipped=True)

    _commit(db, participant, change, changes_map=False)


def skip(db: Session, participant: Participant, step: Step) -> None:
    """The participant has nobody to add here: the step counts as answered, with nothing."""
    _commit(db, participant, lambda _touched: _store(db, participant, step.id, [], True), False)


def namers(db: Session, round_id: int, questionnaire: Questionnaire) -> dict[int, set[int]]:
    """Who named each actor of the round: actor id to the ids of the participants."""
    named: dict[int, set[int]] = {}
    # Two columns, not whole rows: the map in words asks this on every view.
    answers = db.exec(
        select(Answer.participant_id, Answer.value).where(
            Answer.round_id == round_id, col(Answer.step_id).in_(_name_steps(questionnaire))
        )
    )
    for participant_id, value in answers:
        for item in value or []:
            named.setdefault(item["actor"], set()).add(participant_id)
    return named


def named_by(
    db: Session, actor_ids: set[int], round_id: int, questionnaire: Questionnaire
) -> list[Participant]:
    """Everyone who named any of these actors (a facilitator's view: who added what)."""
    named = namers(db, round_id, questionnaire)
    people = set().union(*(named.get(actor_id, set()) for actor_id in actor_ids))
    rows = db.exec(select(Participant).where(col(Participant.id).in_(people)))
    return sorted(rows, key=lambda p: p.number)


def answer_of(db: Session, participant: Participant, step_id: str) -> Answer | None:
    """The participant's stored answer to a step, if any."""
    return db.exec(_ANSWER, params={"participant": participant.id, "step": step_id}).first()


_ANSWER = select(Answer).where(
    Answer.participant_id == bindparam("participant"), Answer.step_id == bindparam("step")
)


def _store(
    db: Session,
    participant: Participant,
    step_id: str,
    items: list[dict],
    empty_means_skipped: bool = False,
) -> None:
    """Write the participant's answer to a network step; an emptied list is no answer."""
    answer = answer_of(db, participant, step_id)
    if not items and not empty_means_skipped:
        if answer is not None:
            cascade.delete_rows(db, Answer, Answer.id == answer.id)
        return
    answer = answer or Answer(
        round_id=participant.round_id, participant_id=participant.id, step_id=step_id
    )
    answer.value = items or None
    answer.updated_at = utcnow()
    db.add(answer)


def _drop_item(db: Session, participant: Participant, step_id: str, key: str, item_id: int) -> None:
    items = items_of(db, participant, step_id)
    _store(db, participant, step_id, [i for i in items if i.get(key) != item_id])


def _name_steps(questionnaire: Questionnaire) -> list[str]:
    """Where names are added: the questionnaire's name-actors steps, and the map page."""
    return [*(s.id for s in questionnaire.steps if s.stores is Stored.ACTORS), MAP_NAMES.id]


def _in_use(db: Session, actor: Actor, name_steps: list[str]) -> bool:
    """Whether anyone still names, ties or rates this actor."""
    tied = db.exec(
        select(Tie.id).where(or_(Tie.source_id == actor.id, Tie.target_id == actor.id))
    ).first()
    rated = db.exec(select(ActorRating.id).where(ActorRating.actor_id == actor.id)).first()
    shown_as_it = db.exec(select(Actor.id).where(Actor.merged_into == actor.id)).first()
    if tied is not None or rated is not None or shown_as_it is not None:
        return True
    named = db.exec(
        select(Answer).where(Answer.round_id == actor.round_id, col(Answer.step_id).in_(name_steps))
    )
    return any(item.get("actor") == actor.id for a in named for item in a.value or [])


def _commit(
    db: Session,
    participant: Participant,
    change: Callable[[Touched], T],
    changes_map: bool = True,
) -> T:
    """Run a change and commit it; a clash with a simultaneous change (a double tap, two
    people naming the same actor at once) is retried against what the other one stored.
    The change notes what it wrote to the map, so open maps are sent that alone."""
    for _attempt in range(3):
        touched = Touched()
        try:
            result = change(touched)
            if changes_map:  # ratings and "nothing to add" leave the map as it was
                map_changed(db, participant.round_id, touched)
            else:
                on_commit(db, publish.console_changed, participant.round_id, "answer")
            db.commit()
        except IntegrityError:
            db.rollback()
            continue
        return result
    raise RuntimeError("could not store the change")


def _publish_map(db: Session, round_id: int, touched: Touched | None = None) -> None:
    """Tell open maps what the stored change did. It is stored: if the database goes away
    just now, the person still hears so, and open maps catch up at the next change.
    With no map open there is no one to tell: whoever opens it next draws it whole."""
    if not publish.map_watched(round_id):
        live_map.nobody_watching(round_id, touched)
        return
    try:
        live_map.publish_changes(db, round_id, touched)
    except UNAVAILABLE as error:
        db.rollback()
        current_app.logger.warning("Map not sent: %s", str(error).strip().splitlines()[0][:300])


def forget_participant(db: Session, participant: Participant, questionnaire: Questionnaire) -> None:
    """Delete everything a person gave the round: answers, ties, ratings, and the names only
    they put on the map (names others also use stay). Not committed: the caller commits it
    with the rest of its change, and consoles and open maps are told then."""
    cascade.delete_of(db, participant.id, cascade.GIVEN)
    name_steps = _name_steps(questionnaire)
    for actor in db.exec(select(Actor).where(Actor.added_by == participant.id)):
        if not _in_use(db, actor, name_steps):
            db.delete(actor)
    map_changed(db, participant.round_id)


def map_changed(db: Session, round_id: int, touched: Touched | None = None) -> None:
    """Once this change commits, tell consoles and open maps that it altered the round's
    answers and map (what it `touched`, or without it anything), and ask for the map's new
    measures."""
    on_commit(db, publish.console_changed, round_id, "answer")
    on_commit(db, _publish_map, db, round_id, touched)
    on_commit(db, measures.schedule, round_id)
