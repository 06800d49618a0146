"""Pages rendered once and served to many: what is each person's own is taken out of the
kept render, as stand-ins, and put back for each of them (their form token at least)."""

from __future__ import annotations

from flask_wtf.csrf import generate_csrf

_FORM_TOKEN = "\x00csrf\x00"  # macros' forms call the global csrf_token(): one per request


def taken_out(html: str, own: dict[str, str] | None = None) -> str:
    """The render with this request's form token, and each `own` value, as its stand-in."""
    for value, stand_in in (own or {}).items():
        html = html.replace(value, stand_in)
    return html.replace(generate_csrf(), _FORM_TOKEN)


def put_in(html: str, own: dict[str, str] | None = None) -> str:
    """A kept render with this request's form token, and each stand-in's value, put in."""
    for stand_in, value in (own or {}).items():
        html = html.replace(stand_in, value)
    return html.replace(_FORM_TOKEN, generate_csrf())
