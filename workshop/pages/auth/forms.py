"""The sign-in form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from facilitation.text import clean


class SignInForm(FlaskForm):
    """Email and password; the fields carry autocomplete hints for password managers."""

    email = EmailField(
        _l("Email address"),
        filters=[clean],
        validators=[DataRequired(_l("Enter your email address")), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
