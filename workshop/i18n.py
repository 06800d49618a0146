"""Choosing the interface language for each request."""

from __future__ import annotations

from flask import current_app, has_request_context, request


def select_locale() -> str:
    """The best language this person's browser asks for, among those we have."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a console command: the first language
        return languages[0]
    return request.accept_languages.best_match(languages) or languages[0]
