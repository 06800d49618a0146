"""The designer's fixed forms: a new questionnaire, an uploaded file, a new step, a move."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from facilitation.text import one_line


class NewQuestionnaireForm(FlaskForm):
    """A questionnaire made from nothing, or from a copy of another."""

    title = StringField(
        _l("Title"),
        filters=[one_line],
        description=_l("For example: Who do we work with?"),
        validators=[DataRequired(_l("Enter a title")), Length(max=200)],
    )
    start_from = SelectField(_l("Start from"), validate_choice=True)
    language = SelectField(
        _l("Main language"),
        description=_l("Every text is written in this language first."),
    )


class UploadQuestionnaireForm(FlaskForm):
    """A questionnaire file to open in the designer."""

    file = FileField(
        _l("Questionnaire file"),
        description=_l("A .yaml file, like the ones you can download here."),
        validators=[
            FileRequired(_l("Choose a questionnaire file")),
            FileAllowed(["yaml", "yml"], _l("The file must be a .yaml file")),
        ],
    )


class AddStepForm(FlaskForm):
    """A new step, of one type, at a place in the questionnaire."""

    step_type = SelectField(_l("Kind of step"))
    position = SelectField(_l("Where"))


class CheckOnly(FlaskForm):
    """A form whose fields the page reads itself: this checks it came from our page."""


__all__ = ["AddStepForm", "CheckOnly", "NewQuestionnaireForm", "UploadQuestionnaireForm"]
