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
