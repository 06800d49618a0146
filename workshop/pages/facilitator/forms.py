"""Forms facilitators fill in to set up projects, experiments and rounds."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from facilitation.text import clean, one_line


class ProjectForm(FlaskForm):
    """A new project."""

    name = StringField(
        _l("Project name"),
        filters=[one_line],
        validators=[DataRequired(_l("Enter a name for the project")), Length(max=120)],
    )
    description = TextAreaField(
        _l("What is the project for? (optional)"),
        validators=[Optional(), Length(max=2000)],
        filters=[clean],
    )


class ExperimentForm(FlaskForm):
    """A new experiment in a project."""

    name = StringField(
        _l("Experiment name"),
        filters=[one_line],
        description=_l("For example: Local maps as a starting point"),
        validators=[DataRequired(_l("Enter a name for the experiment")), Length(max=120)],
    )
    description = TextAreaField(
        _l("What are you trying? (optional)"),
        validators=[Optional(), Length(max=2000)],
        filters=[clean],
    )


class DateBox(StringField):
    """A date field: what is not a date is not given back as its value, as a browser's date
    box would show it empty anyway (and HTML forbids it); the error says what to write."""

    def _value(self) -> str:
        value = super()._value()
        try:
            date.fromisoformat(value)
        except ValueError:
            return ""
        return value


class RoundForm(FlaskForm):
    """A new round of an experiment, from a questionnaire."""

    questionnaire = SelectField(
        _l("Questionnaire"), validators=[DataRequired(_l("Choose a questionnaire"))]
    )
    name = StringField(
        _l("Round name (optional)"),
        filters=[one_line],
        description=_l(
            "For example: Greenwich, March. Leave empty to use the questionnaire's title."
        ),
        validators=[Optional(), Length(max=120)],
    )
    pace = RadioField(
        _l("How do people take part?"),
        choices=[
            SelectChoice("live", _l("Live: the facilitator moves everyone on together")),
            SelectChoice("self", _l("In their own time, until a closing date")),
        ],
        default="live",
        validators=[DataRequired(_l("Choose how people take part"))],
    )
    closes_on = DateBox(
        _l("Closing date, for a round in people's own time"),
        description=_l("People can answer until the end of this day. For example: 2026-12-31."),
        render_kw={"type": "date"},
    )

    joins = SelectField(
        _l("Add their answers to the results of a live round (optional)"),
        description=_l("For people who could not come: their answers count with that round's."),
        choices=[],
        validate_choice=False,
    )

    def validate_closes_on(self, field) -> None:
        """A self-paced round needs a closing day, today or later."""
        if self.pace.data != "self":
            return
        if not (field.data or "").strip():
            raise ValidationError(_l("Choose the day the round closes"))
        try:
            chosen = date.fromisoformat(field.data.strip())
        except ValueError:
            raise ValidationError(_l("Write the closing date like 2026-12-31")) from None
        if chosen < date.today():
            raise ValidationError(_l("The closing date must be today or later"))
        field.chosen = chosen


class UploadForm(FlaskForm):
    """A new round from a questionnaire file the facilitator brings."""

    file = FileField(
        _l("Questionnaire file"),
        description=_l("A .yaml file, like the ones in Roundtable's questionnaires folder."),
        validators=[
            FileRequired(_l("Choose a questionnaire file")),
            FileAllowed(["yaml", "yml"], _l("The file must be a .yaml file")),
        ],
    )
    name = StringField(
        _l("Round name (optional)"),
        filters=[one_line],
        validators=[Optional(), Length(max=120)],
    )
