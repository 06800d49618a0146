"""Self-paced rounds: open until a closing time, each person moving at their own pace."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session, select, update

from facilitation import live_round as live
from workshop.realtime import publish
from workshop.rounds import lifecycle
from workshop.store import lookup
from workshop.store.models import Participant, Progress, Round, SelfPaced, as_utc, utcnow
from workshop.store.on_commit import on_commit


def schedule_of(db: Session, round_id: int) -> SelfPaced | None:
    """The round's closing time if it is self-paced; None for a live round (asked of the
    database once a session: a page asks up to three times)."""
    return lookup.get(db, SelfPaced, round_id)


def closes_at(schedule: SelfPaced) -> datetime:
    """The closing time, in UTC."""
    return as_utc(schedule.closes_at)


def end_of_day(day: date, zone: str) -> datetime:
    """The last moment of a day in the time zone named `zone`, in UTC."""
    return datetime.combine(day, time.max, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def close_if_due(db: Session, round_: Round) -> None:
    """Past its closing time, a self-paced round ends (checked whenever it is used)."""
    schedule = schedule_of(db, round_.id)
    if schedule is None or round_.status == "ended" or utcnow() < closes_at(schedule):
        return
    written = db.exec(
        update(Round)
        .where(Round.id == round_.id, Round.status != "ended")
        .values(status="ended", ended_at=utcnow())
    )
    if written.rowcount:  # this request closed it, not another one just before
        on_commit(db, publish.console_changed, round_.id, "closed")
    db.commit()
    db.refresh(round_)


def state_for(db: Session, round_: Round, participant: Participant) -> live.RoundState:
    """Where this person is: the round's own state, or in a self-paced round, theirs."""
    state = lifecycle.state_of(round_)
    if schedule_of(db, round_.id) is None or state.status is live.Status.ENDED:
        return state
    progress = db.get(Progress, participant.id) or Progress(participant_id=participant.id)
    return live.RoundState(
        live.Status.RUNNING, progress.step_index, round_.step_count, progress.furthest_index
    )


def move(db: Session, round_: Round, participant: Participant, forward: bool) -> bool:
    """Go to this person's next (or previous) step; False when there is none."""
    state = state_for(db, round_, participant)
    try:
        after = live.apply(state, live.Command.NEXT if forward else live.Command.BACK)
    except live.CommandRefused:
        return False
    progress = db.get(Progress, participant.id) or Progress(participant_id=participant.id)
    progress.step_index, progress.furthest_index = after.step_index, after.furthest_index
    db.add(progress)
    on_commit(db, publish.console_changed, round_.id, "progress")
    db.commit()
    return True


def progress_of(db: Session, round_id: int) -> dict[int, int]:
    """Each person's step number (1-based) in a self-paced round, by participant id."""
    rows = db.exec(
        select(Progress)
        .join(Participant, Participant.id == Progress.participant_id)
        .where(Participant.round_id == round_id)
    )
    return {row.participant_id: row.step_index + 1 for row in rows}


def joining_rounds(db: Session, round_id: int) -> list[Round]:
    """Self-paced rounds whose answers join this round's results."""
    return list(
        db.exec(
            select(Round)
            .join(SelfPaced, SelfPaced.round_id == Round.id)
            .where(SelfPaced.joins_round_id == round_id)
            .order_by(Round.created_at)
        )
    )


def joinable_rounds(db: Session, experiment_id: int) -> list[Round]:
    """Live rounds of an experiment that a self-paced round's answers may join."""
    paced = select(SelfPaced.round_id)
    return list(
        db.exec(
            select(Round)
            .where(Round.experiment_id == experiment_id, Round.id.not_in(paced))
            .order_by(Round.created_at)
        )
    )
