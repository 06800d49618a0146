"""Forms participants fill in to join a round."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from facilitation.join_codes import new_token
from facilitation.text import one_line
from workshop.web.converters import TOKEN_PATTERN


class JoinCodeForm(FlaskForm):
    """The short code a facilitator reads out or shows."""

    code = StringField(
        _l("Session code"),
        filters=[one_line],
        description=_l("It has 6 letters and numbers, for example ACE 479."),
        validators=[DataRequired(_l("Enter the session code")), Length(max=40)],
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "class": "input input--code",
        },
    )


class JoinForm(FlaskForm):
    """A name (or none), and agreement to what is kept."""

    display_name = StringField(
        _l("Your name (optional)"),
        filters=[one_line],
        description=_l("The facilitators will see this name. Leave it empty to stay anonymous."),
        validators=[Optional(), Length(max=60, message=_l("Use 60 characters or fewer"))],
        render_kw={"autocomplete": "nickname", "spellcheck": "false"},
    )
    # One value per join page shown: posting the same page twice joins once.
    attempt = HiddenField(default=new_token, validators=[Optional(), Regexp(TOKEN_PATTERN)])
    agree = BooleanField(
        _l("I understand and I want to join"),
        validators=[
            DataRequired(
                _l("Tick the box to join. If you do not want to join, you can close this page.")
            )
        ],
    )
