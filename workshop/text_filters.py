"""Filters applied to form input before it is checked."""


def strip(value: str | None) -> str | None:
    """Spaces around typed text never count: '  ' is empty."""
    return value.strip() if isinstance(value, str) else value
