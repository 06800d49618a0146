"""The team's reflections on rounds and experiments: read, and written with one form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlmodel import Session, select
from wtforms import TextAreaField
from wtforms.validators import Length

from facilitation.text import clean
from workshop.store.models import Reflection, utcnow

LIMIT = 5000


class ReflectionForm(FlaskForm):
    """What we tried, what we noticed, what we will change."""

    tried = TextAreaField(
        _l("What we tried"),
        filters=[clean],
        validators=[Length(max=LIMIT, message=_l("Use 5,000 characters or fewer"))],
    )
    noticed = TextAreaField(
        _l("What we noticed"),
        filters=[clean],
        validators=[Length(max=LIMIT, message=_l("Use 5,000 characters or fewer"))],
    )
    change = TextAreaField(
        _l("What we will change"),
        filters=[clean],
        validators=[Length(max=LIMIT, message=_l("Use 5,000 characters or fewer"))],
    )


def reflection_of(db: Session, experiment_id: int, round_id: int | None) -> Reflection:
    """The reflection on a round (or on the experiment, when round_id is None); new if none."""
    query = select(Reflection).where(Reflection.experiment_id == experiment_id)
    query = query.where(
        Reflection.round_id == round_id if round_id is not None else Reflection.round_id.is_(None)
    )
    return db.exec(query).first() or Reflection(experiment_id=experiment_id, round_id=round_id)


def save(db: Session, reflection: Reflection, form: ReflectionForm, who: int) -> None:
    """Store what the form says (an empty field is an empty note)."""
    reflection.tried = form.tried.data or ""
    reflection.noticed = form.noticed.data or ""
    reflection.change = form.change.data or ""
    reflection.updated_by, reflection.updated_at = who, utcnow()
    db.add(reflection)
    db.commit()
