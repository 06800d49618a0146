"""The form the team writes its reflections with: on a round, or on a whole experiment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlmodel import Session
from wtforms import TextAreaField
from wtforms.validators import Length

from facilitation.text import clean
from workshop.rounds import reflections
from workshop.store.models import Reflection

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

    def save(self, db: Session, reflection: Reflection, who: int) -> None:
        """Store what the form says."""
        reflections.save(
            db,
            reflection,
            self.tried.data or "",
            self.noticed.data or "",
            self.change.data or "",
            who,
        )
