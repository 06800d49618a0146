"""Cleaning typed text: what people type is kept, invisible control characters are not."""

from __future__ import annotations

import re

# C0 controls and DEL, except tab and line breaks: they cannot be seen, break some
# databases (PostgreSQL refuses NUL in text) and are never meant. With them, what XML 1.0
# cannot hold even escaped (surrogates, U+FFFE, U+FFFF): one such name made every map file
# (GraphML, GEXF, the xlsx sheets) unreadable.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(value: str | None) -> str | None:
    r"""Text without surrounding spaces or control characters; None stays None.

    >>> clean(" Age\x00 UK\uffff ")
    'Age UK'
    """
    if not isinstance(value, str):
        return value
    return _CONTROLS.sub("", value).strip()


def without_controls(value: str) -> str:
    r"""The text with its control characters taken out, and nothing else changed: for
    writing text stored before it was cleaned into files such as XML.

    >>> without_controls("Age\ufffe UK ")
    'Age UK '
    """
    return _CONTROLS.sub("", value)


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
