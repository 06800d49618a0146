"""How a session ends: a transaction that only read is committed, not rolled back, so
PostgreSQL keeps the statements it has prepared."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, SessionTransaction
from sqlmodel import Session

from workshop.store.on_commit import AfterCommitSession, asked_for

# psycopg prepares a statement after its fifth use on a connection, and then PostgreSQL
# plans it no more. But it forgets every prepared statement at a ROLLBACK, and a session
# closed with its transaction open (every page that only read) ends with one. So nothing
# was ever prepared, and each query was planned again: the participant's visit (7 tables)
# took 0.86 ms to plan and 0.05 ms to run. Committing a transaction that wrote nothing
# stores nothing, as a rollback does, and keeps them.
_WROTE = "roundtable.wrote"


def end(db: Session, clean: bool = True) -> None:
    """Close the session: committing first when `clean` and its transaction only read."""
    try:
        if clean and db.in_transaction() and _only_read(db):
            db.commit()
    except SQLAlchemyError:
        pass  # the connection failed; closing rolls back what is left, as before
    finally:
        db.close()


def _only_read(db: Session) -> bool:
    """Nothing written, nothing waiting to be (commit would flush it), no work asked for."""
    changed = db.new or db.dirty or db.deleted
    return not changed and not db.info.get(_WROTE) and not asked_for(db)


@event.listens_for(AfterCommitSession, "after_flush")
def _flushed(db: Session, _context: object) -> None:
    db.info[_WROTE] = True


@event.listens_for(AfterCommitSession, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if not state.is_select:  # an UPDATE, a DELETE or plain SQL: counted as a write
        state.session.info[_WROTE] = True


@event.listens_for(AfterCommitSession, "after_transaction_end")
def _ended(db: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        db.info.pop(_WROTE, None)
