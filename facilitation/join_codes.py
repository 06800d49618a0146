"""Join codes and tokens: unguessable links and short codes without look-alike characters."""

from __future__ import annotations

import re
import secrets

# No 0/O/Q/D, 1/I/L/J, 2/Z, 5/S, 8/B, U/V: letters people misread or mistype.
ALPHABET = "ACEFGHKMNPRTWXY34679"
CODE_LENGTH = 6
_SEPARATORS = re.compile(r"[\s\-_.]+")


def new_token() -> str:
    """An unguessable token for a join link or a participant: 160 bits, URL-safe."""
    return secrets.token_urlsafe(20)


def new_join_code() -> str:
    """A short code people can read aloud and type on a phone."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str | None:
    """The code a person meant, or None when it cannot be one of ours.

    Case, spaces and dashes are forgiven.
    """
    code = _SEPARATORS.sub("", typed or "").upper()
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def display_code(code: str) -> str:
    """A code split in two halves for reading aloud: 'ACE FGH'."""
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}"
