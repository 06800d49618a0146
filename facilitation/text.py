"""Cleaning typed text: what people type is kept, invisible control characters are not."""

from __future__ import annotations

import re

# C0 controls and DEL, except tab and line breaks: they cannot be seen, break some
# databases (PostgreSQL refuses NUL in text) and are never meant.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(value: str | None) -> str | None:
    """Text without surrounding spaces or control characters; None stays None."""
    if not isinstance(value, str):
        return value
    return _CONTROLS.sub("", value).strip()


def one_line(value: str | None) -> str | None:
    """Text for a one-line field (a name, a code): cleaned, with each run of spaces, tabs and
    line breaks made one space. None stays None."""
    cleaned = clean(value)
    return " ".join(cleaned.split()) if isinstance(cleaned, str) else cleaned


def as_id(value: object) -> int | None:
    """A database id sent in a form ("42"), or None: ASCII digits only, and small enough
    for a 64-bit column ("²" and a 30-digit number are not ids)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return int(value) or None
