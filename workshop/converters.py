"""URL converters: database ids in URLs are bounded, so a huge number is a 404, not an error."""

from werkzeug.routing import IntegerConverter

MAX_ID = 2**63 - 1


class IdConverter(IntegerConverter):
    """A positive 64-bit database id: `<id:round_id>`."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


def is_id(value: object) -> bool:
    """Whether a value from a socket payload can be a database id."""
    return type(value) is int and 1 <= value <= MAX_ID
