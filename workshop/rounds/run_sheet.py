"""The run sheet (minutes planned and private notes per step) and the open step's time guide."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, delete, select

from facilitation.timing import EXTEND_BY, minutes_left
from workshop.realtime import publish
from workshop.rounds import team
from workshop.store import lookup
from workshop.store.models import Round, RunSheetStep, StepTimer, as_utc, utcnow
from workshop.store.on_commit import on_commit
from workshop.web.wording import RecordAction


def plan_of(db: Session, round_id: int) -> dict[str, RunSheetStep]:
    """The round's run sheet, by step id (steps nobody planned are missing)."""
    rows = db.exec(select(RunSheetStep).where(RunSheetStep.round_id == round_id))
    return {row.step_id: row for row in rows}


def save_plan(
    db: Session, round_id: int, entries: dict[str, tuple[int | None, str]], by: int
) -> None:
    """Store minutes and notes for each step given; recorded once, with who saved it."""
    kept = plan_of(db, round_id)
    for step_id, (minutes, notes) in entries.items():
        row = kept.get(step_id) or RunSheetStep(round_id=round_id, step_id=step_id)
        row.minutes, row.notes, row.updated_by, row.updated_at = minutes, notes, by, utcnow()
        db.add(row)
    team.record(db, round_id, by, RecordAction.RUN_SHEET)
    on_commit(db, publish.console_changed, round_id, "run-sheet")
    db.commit()


def timer_of(db: Session, round_: Round) -> StepTimer | None:
    """The time guide of the step open now, if there is one (an older step's is over)."""
    timer = lookup.get(db, StepTimer, round_.id)
    if timer is None or timer.step_index != round_.step_index or round_.status == "ended":
        return None
    return timer


def ends_at(timer: StepTimer) -> datetime:
    """When the guide ends, in UTC."""
    return as_utc(timer.ends_at)


def left(timer: StepTimer) -> int:
    """Whole minutes left of the guide, now."""
    return minutes_left(ends_at(timer), utcnow())


def start_timer(db: Session, round_: Round, minutes: int, by: int) -> StepTimer:
    """Show a time guide of `minutes` for the open step (replacing any other)."""
    db.exec(delete(StepTimer).where(StepTimer.round_id == round_.id))
    timer = StepTimer(
        round_id=round_.id,
        step_index=round_.step_index,
        ends_at=utcnow() + timedelta(minutes=minutes),
    )
    db.add(timer)
    team.record(db, round_.id, by, RecordAction.TIMER_START, str(minutes))
    _tell(db, round_.id)
    db.commit()
    return timer


def extend_timer(db: Session, round_: Round, by: int) -> bool:
    """Give the open step's guide EXTEND_BY more minutes (from now, if it had run out)."""
    timer = timer_of(db, round_)
    if timer is None:
        return False
    timer.ends_at = max(ends_at(timer), utcnow()) + timedelta(minutes=EXTEND_BY)
    team.record(db, round_.id, by, RecordAction.TIMER_EXTEND, str(EXTEND_BY))
    _tell(db, round_.id)
    db.commit()
    return True


def stop_timer(db: Session, round_: Round, by: int) -> None:
    """Take the time guide away."""
    db.exec(delete(StepTimer).where(StepTimer.round_id == round_.id))
    team.record(db, round_.id, by, RecordAction.TIMER_STOP)
    _tell(db, round_.id)
    db.commit()


def _tell(db: Session, round_id: int) -> None:
    on_commit(db, publish.results_changed, round_id)  # pages fetch the open step again
    on_commit(db, publish.console_changed, round_id, "timer")
