"""The app's request class: form parts without a name are dropped (no form of ours sends them),
and a place for what one request works out once."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from flask import Request as FlaskRequest


class Request(FlaskRequest):
    """A Flask request whose form and files never hold a part named None.

    A multipart body may carry a part with no name; Werkzeug keeps it under the key None,
    and code that reads every key (Flask-WTF's CSRF check does) fails on it.
    """

    @cached_property
    def memo(self) -> dict[str, Any]:
        """What this one request has already read from the database, to read it only once.
        It dies with the request, so it can never be stale for the next one."""
        return {}

    def _load_form_data(self) -> None:
        super()._load_form_data()
        for attribute in ("form", "files"):
            parts = self.__dict__.get(attribute)
            if parts is not None and None in parts:
                named = [(k, v) for k, v in parts.items(multi=True) if k is not None]
                self.__dict__[attribute] = type(parts)(named)
