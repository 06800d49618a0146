"""The forms of signing in and of accounts: sign in, set up, accept an invitation, passwords."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from facilitation.text import clean, one_line

MIN_PASSWORD = 10  # as the create-facilitator command asks


def _email(label: str, autocomplete: str = "username") -> EmailField:
    return EmailField(
        label,
        filters=[clean],
        validators=[
            DataRequired(_l("Enter your email address")),
            Regexp(
                r"^[^@\s]+@[^@\s]+$", message=_l("Write an email address like name@example.org")
            ),
            Length(max=254),
        ],
        render_kw={"autocomplete": autocomplete, "spellcheck": "false"},
    )


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


def _password() -> PasswordField:
    return PasswordField(
        _l("New password"),
        description=_l("At least 10 characters. A few words you will remember work well."),
        validators=[
            DataRequired(_l("Enter a password")),
            Length(
                min=MIN_PASSWORD,
                max=200,
                message=_l("Use a password of at least 10 characters"),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def _again() -> PasswordField:
    # Typed twice, so that a slip does not lock the person out.
    return PasswordField(
        _l("The new password again"),
        validators=[
            DataRequired(_l("Enter the password again")),
            EqualTo("password", _l("The two passwords are not the same")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def _name() -> StringField:
    return StringField(
        _l("Your name"),
        filters=[one_line],
        validators=[DataRequired(_l("Enter your name")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )


def _organisation() -> StringField:
    return StringField(
        _l("Your organisation (optional)"),
        description=_l("Participants see it, so they know who runs the session."),
        filters=[one_line],
        validators=[Optional(), Length(max=200)],
        render_kw={"autocomplete": "organization"},
    )


class NewPasswordForm(FlaskForm):
    """A new password for an account."""

    password = _password()
    again = _again()


class AccountForm(FlaskForm):
    """An invited person's new account: who they are (their team and participants see it)."""

    name = _name()
    organisation = _organisation()
    password = _password()
    again = _again()


class SetUpForm(FlaskForm):
    """The first account of a fresh install: the person setting it up."""

    name = _name()
    organisation = _organisation()
    email = _email(_l("Your email address"))
    password = _password()
    again = _again()


class ForgotForm(FlaskForm):
    """The email of the account whose password was forgotten."""

    email = _email(_l("Email address"))
