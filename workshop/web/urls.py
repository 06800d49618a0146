"""Addresses people are given to type, scan or keep: behind a proxy, ROUNDTABLE_PUBLIC_URL."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import current_app, url_for

from workshop.web.converters import MAX_ID


def public_url(endpoint: str, **values: object) -> str:
    """The full address of a page as people outside the server reach it."""
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def same_site(path: str | None) -> str | None:
    """Only a path on this site (never "//elsewhere" or "https://..."), so links can't send
    people away. Browsers drop tabs and newlines from an address ("/\t/evil.example" goes
    to //evil.example) and read "\\" as "/", so a path with either, or with any other
    control character or space, is refused too; a newline would also break the header."""
    if (
        not path
        or not path.startswith("/")
        or path.startswith("//")
        or "\\" in path
        or any(ord(c) < 0x21 or ord(c) == 0x7F for c in path)
    ):
        return None
    parts = urlsplit(path)
    return path if not parts.scheme and not parts.netloc else None


def url_for_each(endpoint: str, field: str, **values: object) -> Callable[[int], str]:
    """`url_for(endpoint, **values, field=id)` for many ids at the cost of one (a console
    links each of hundreds of people). `field` must be the address's last id."""
    probe = str(MAX_ID)
    before, _probe, after = url_for(endpoint, **values, **{field: MAX_ID}).rpartition(probe)
    return lambda value: f"{before}{int(value)}{after}"
