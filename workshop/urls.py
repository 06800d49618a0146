"""Addresses people are given to type, scan or keep: behind a proxy, ROUNDTABLE_PUBLIC_URL."""

from __future__ import annotations

from flask import current_app, url_for


def public_url(endpoint: str, **values: object) -> str:
    """The full address of a page as people outside the server reach it."""
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
