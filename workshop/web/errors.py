"""Friendly error pages: never a stack trace, always a way on."""

from __future__ import annotations

from flask import Flask, current_app, g, render_template, request
from flask import session as cookie
from flask_babel import lazy_gettext as _l
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from workshop.store.db import UNAVAILABLE, close_db, committed
from workshop.web.i18n import count_words as ngettext
from workshop.web.limits import retry_after

# How long to tell browsers to wait before trying again when the database is out of reach.
RETRY_AFTER_SECONDS = 60

_TITLES = {
    400: _l("Sorry, we could not read that"),
    403: _l("You cannot see this page"),
    404: _l("Page not found"),
    405: _l("Sorry, that did not work"),
    413: _l("That was too much to send"),
    500: _l("Sorry, something went wrong on our side"),
}
_ADVICE = {
    400: _l("Go back, check what you entered and try again."),
    403: _l("If you are a facilitator, sign in with the account that runs this round."),
    404: _l("Check the link or code you were given. If you typed it, check each letter."),
    405: _l("Go back and try again."),
    413: _l("Go back and send a shorter answer."),
    500: _l("Your answers so far are safe. Wait a moment, then try again."),
}


def register(app: Flask) -> None:
    """Render our page for every HTTP error and for any unexpected exception."""
    app.register_error_handler(CSRFError, _csrf_error)
    for unavailable in UNAVAILABLE:
        app.register_error_handler(unavailable, _database_unavailable)
    app.register_error_handler(RateLimitExceeded, _too_many)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def _page(code: int, title: str | None = None, advice: str | None = None):
    shown = code if code in _TITLES else 500 if code >= 500 else 400
    return (
        render_template(
            "errors/error.html",
            title=title or _TITLES[shown],
            advice=advice or _ADVICE[shown],
        ),
        code,
    )


def _csrf_error(_error: CSRFError):
    return _page(
        400,
        _l("This form has expired"),
        _l("Go back, reload the page and send it again. Nothing you sent was saved."),
    )


def database_unavailable() -> bool:
    """Whether this request met a database it could not reach (pages then skip queries)."""
    return g.get("database_unavailable", False)


def _database_unavailable(error: Exception):
    """The database is down, restarting, or locked: what this request had begun is rolled
    back. Say so, and when to try again (rarely, a form's change was stored just before)."""
    current_app.logger.warning("Database unavailable: %s", str(error).strip().splitlines()[0][:300])
    g.database_unavailable = True
    saved_some = request.method == "POST" and committed()  # asked before the session goes
    close_db(error)
    if "_login_user" not in g:  # the sign-in could not be checked: the page skips it too
        g._login_user = current_app.login_manager.anonymous_user()
    cookie.pop("_flashes", None)  # "Added ..." said before the failure may not be true
    if saved_some:
        advice = _l("Some of it may be saved. Check, then try again in a minute.")
    else:
        advice = _l("Nothing was saved. Please try again in a minute.")
    body, code = _page(503, _l("Sorry, we cannot save or show this just now"), advice)
    return body, code, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def _too_many(error: RateLimitExceeded):
    seconds = retry_after(error)
    minutes = max(1, round(seconds / 60))
    body, code = _page(
        429,
        _l("Too many tries in a short time"),
        "{} {}".format(
            _l("What you just sent was not saved. Everything before it is safe."),
            ngettext(
                "Wait %(num)s minute, then try again.",
                "Wait %(num)s minutes, then try again.",
                minutes,
            ),
        ),
    )
    return body, code, {"Retry-After": str(seconds)}


def _http_error(error: HTTPException):
    return _page(error.code or 500)


def _unexpected(error: Exception):
    current_app.logger.exception("Unexpected error", exc_info=error)
    return _page(InternalServerError.code)
