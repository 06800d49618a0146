"""Rows by primary key; rows found missing are remembered for the rest of a database session."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import event
from sqlmodel import Session

T = TypeVar("T")

_ABSENT = "absent rows"


def get(db: Session, model: type[T], key: Any) -> T | None:
    """`db.get`, except that a row already found missing in this session is not asked for
    again: a page asks for the same few rows of its round several times, and a missing
    row is never in the identity map."""
    absent = db.info.setdefault(_ABSENT, set())
    if (model, key) in absent:
        return None
    row = db.get(model, key)
    if row is None:
        absent.add((model, key))
    return row


def known_absent(db: Session, model: type, key: Any) -> None:
    """Note that a query (an outer join) found no row of `model` with this key."""
    db.info.setdefault(_ABSENT, set()).add((model, key))


@event.listens_for(Session, "after_flush")
def _written(db: Session, _context: Any) -> None:
    # A write may have made any of them: ask the database again from now on.
    db.info.pop(_ABSENT, None)
