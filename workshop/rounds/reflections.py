"""The team's reflections on rounds and experiments: read and written."""

from __future__ import annotations

from sqlmodel import Session, select

from workshop.store.models import Reflection, utcnow


def reflection_of(db: Session, experiment_id: int, round_id: int | None) -> Reflection:
    """The reflection on a round (or on the experiment, when round_id is None); new if none."""
    query = select(Reflection).where(Reflection.experiment_id == experiment_id)
    query = query.where(
        Reflection.round_id == round_id if round_id is not None else Reflection.round_id.is_(None)
    )
    return db.exec(query).first() or Reflection(experiment_id=experiment_id, round_id=round_id)


def save(
    db: Session, reflection: Reflection, tried: str, noticed: str, change: str, who: int
) -> None:
    """Store what we tried, noticed and will change (an empty one is an empty note)."""
    reflection.tried, reflection.noticed, reflection.change = tried, noticed, change
    reflection.updated_by, reflection.updated_at = who, utcnow()
    db.add(reflection)
    db.commit()
