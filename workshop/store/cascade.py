"""What depends on what, declared once: rows that point at a row go before it, in order.

A participant's own row is never deleted (numbers and counts of a round never shift);
what they gave the round, and what is held about them, is. Each column below says whose
a row is, or what it hangs off; tests/test_cascade.py checks that every foreign key to an
answer or a participant is named here, so a new table cannot be forgotten.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import InstrumentedAttribute
from sqlmodel import Session, SQLModel, delete, select

from workshop.store.models import (
    Actor,
    ActorRating,
    Answer,
    HelpRequest,
    HiddenAnswer,
    Presence,
    Progress,
    Removal,
    Tie,
)

# The rows that hang off each table's rows and go with them: a facilitator's mark that
# hides an answer means nothing without the answer.
DEPENDANTS: dict[type[SQLModel], tuple[InstrumentedAttribute, ...]] = {
    Answer: (HiddenAnswer.answer_id,),
}

# What a participant gave the round: forgotten when they are removed with their answers,
# or erase their data.
GIVEN = (Tie.added_by, ActorRating.participant_id, Answer.participant_id)

# What the app holds about a participant besides: erased with their data.
HELD = (HelpRequest.participant_id, Presence.participant_id, Progress.participant_id)

# Pointers at a participant that outlive what they gave: the names they put on the map
# first (emptied when they erase their data, while others still use the name), and the
# record that they were removed.
KEPT = (Actor.added_by, Removal.participant_id)


def delete_rows(db: Session, table: type[SQLModel], *where: Any) -> None:
    """Delete the rows of `table` that match, after every row that depends on them."""
    for column in DEPENDANTS.get(table, ()):
        delete_rows(db, column.class_, column.in_(select(table.id).where(*where)))
    db.exec(delete(table).where(*where))


def delete_of(db: Session, participant_id: int, columns: tuple[InstrumentedAttribute, ...]) -> None:
    """Delete a participant's rows of these kinds (GIVEN, HELD, or some of them)."""
    for column in columns:
        delete_rows(db, column.class_, column == participant_id)
