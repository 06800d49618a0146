"""Round operations shared by pages and sockets: create, join, command, answer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from facilitation import live_round as live
from facilitation.join_codes import new_join_code, new_token
from questionnaires.loader import LoadedQuestionnaire, snapshot
from questionnaires.schema import Questionnaire, Step
from workshop.realtime import publish
from workshop.rounds import team
from workshop.store.models import (
    Experiment,
    MapDisplay,
    Round,
    SelfPaced,
    utcnow,
)
from workshop.store.on_commit import on_commit
from workshop.web.wording import RecordAction

# Each command is recorded under its own name; a command with no record action fails here,
# when the app starts, never halfway through a round.
_RECORDED = {command: RecordAction(command.value) for command in live.Command}


def questionnaire_of(
    round_: Round, language: str | None = None, easy_read: bool = False
) -> Questionnaire:
    """The exact questionnaire this round runs (its stored snapshot), in one language."""
    return snapshot(round_.questionnaire_source, language, easy_read)


def state_of(round_: Round) -> live.RoundState:
    """The round's live state as the domain sees it."""
    return live.RoundState(
        live.Status(round_.status), round_.step_index, round_.step_count, round_.furthest_index
    )


def current_step(round_: Round) -> Step | None:
    """The step open now, or None before the start and after the end."""
    if not state_of(round_).is_open:
        return None
    return questionnaire_of(round_).steps[round_.step_index]


def create_round(
    db: Session,
    experiment: Experiment,
    loaded: LoadedQuestionnaire,
    name: str,
    closes_at: datetime | None = None,
    joins: int | None = None,
) -> Round:
    """A new round of an experiment, with its own join link and code: waiting in its lobby;
    or, given `closes_at`, self-paced: open at once until then, its answers joining the
    results of round `joins`, if given. One transaction."""
    questionnaire = loaded.questionnaire
    for _attempt in range(10):
        round_ = Round(
            experiment_id=experiment.id,
            name=name.strip() or questionnaire.title,
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
            questionnaire_source=loaded.source,
            step_count=len(questionnaire.steps),
            join_token=new_token(),
            join_code=new_join_code(),
        )
        db.add(round_)
        try:
            if closes_at is not None:
                db.flush()  # the round's id
                round_.status, round_.started_at = live.Status.RUNNING.value, utcnow()
                db.add(SelfPaced(round_id=round_.id, closes_at=closes_at, joins_round_id=joins))
            db.commit()
        except IntegrityError:  # a join code already in use: draw another
            db.rollback()
            continue
        db.refresh(round_)
        return round_
    raise RuntimeError("could not find a free join code")


def run_command(
    db: Session, round_: Round, command: live.Command, by: int | None = None
) -> live.RoundState:
    """Apply a facilitator's command (by facilitator `by`, recorded with it): store the new
    state first, then tell everyone.

    The write lands only if the round is still in the state the command was applied to,
    so two consoles pressing at the same moment can never, say, reopen an ended round:
    the later one is applied again to what the first one left (and may be refused).
    """
    if command is not live.Command.END and db.get(SelfPaced, round_.id) is not None:
        raise live.CommandRefused(live.Refusal.SELF_PACED)
    for _attempt in range(5):
        db.refresh(round_)
        before = state_of(round_)
        after = live.apply(before, command)
        values = {
            "status": after.status.value,
            "step_index": after.step_index,
            "furthest_index": after.furthest_index,
        }
        if command is live.Command.START:
            values["started_at"] = utcnow()
        if command is live.Command.END:
            values["ended_at"] = utcnow()
        written = db.exec(
            update(Round)
            .where(
                Round.id == round_.id,
                Round.status == before.status.value,
                Round.step_index == before.step_index,
                Round.furthest_index == before.furthest_index,
            )
            .values(**values)
        )
        if written.rowcount == 1:
            if by is not None:
                team.record(db, round_.id, by, _RECORDED[command], str(after.step_index + 1))
            tell_state(db, round_)
            db.commit()  # and round_ is read again, as stored (see tell_state)
            return after
        db.rollback()  # someone else moved the round first: look again
    raise RuntimeError("the round kept changing under this command")


def tell_state(db: Session, round_: Round) -> None:
    """Once this change commits, tell participants and consoles where the round is, and
    close participants' open maps if it no longer shows them."""
    on_commit(db, _told_state, db, round_)


def _told_state(db: Session, round_: Round) -> None:
    # Read again as stored: a command's UPDATE went round the loaded object (which the
    # caller then sees refreshed too).
    db.refresh(round_)
    publish.round_state(round_, questionnaire_of(round_))
    if not map_is_shown(db, round_):
        publish.stop_participant_maps(round_.id)


def map_is_shown(db: Session, round_: Round) -> bool:
    """Participants see the map at a map step, or when their facilitator shows it (and in
    a self-paced round with a map step, all the time). After the end, they keep the final
    map if the round took them to a map step: it is the map they helped make."""
    display = db.get(MapDisplay, round_.id)
    open_step = current_step(round_)
    if bool(display and display.map_shown) or (open_step is not None and open_step.shows_map):
        return True
    if round_.status == live.Status.ENDED.value:
        opened = questionnaire_of(round_).steps[: round_.furthest_index + 1]
        if any(step.shows_map for step in opened):
            return True
    # A self-paced round whose questionnaire has a map step shows its map throughout.
    return db.get(SelfPaced, round_.id) is not None and any(
        step.shows_map for step in questionnaire_of(round_).steps
    )
