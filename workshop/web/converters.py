"""URL converters and payload checks: only well-formed ids and tokens reach the database."""

import re

from werkzeug.routing import BaseConverter, IntegerConverter

MAX_ID = 2**63 - 1


class IdConverter(IntegerConverter):
    """A positive 64-bit database id: `<id:round_id>`."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


TOKEN_PATTERN = r"[A-Za-z0-9_-]{16,64}"  # what secrets.token_urlsafe makes


class TokenConverter(BaseConverter):
    """A join or participant token: `<token:token>`; anything else is a 404."""

    regex = TOKEN_PATTERN


class SlugConverter(BaseConverter):
    """A readable id from a questionnaire file, as in `check-in`: `<slug:questionnaire_id>`."""

    regex = r"[a-z0-9]+(?:-[a-z0-9]+)*"


def is_token(value: object) -> bool:
    """Whether a value from a socket payload can be one of our tokens."""
    return isinstance(value, str) and re.fullmatch(TOKEN_PATTERN, value) is not None


def is_id(value: object) -> bool:
    """Whether a value from a socket payload can be a database id."""
    return type(value) is int and 1 <= value <= MAX_ID
