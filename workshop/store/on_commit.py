"""Work a change asks for inside its transaction, done once after that transaction commits.

A change that should be told (to consoles, open maps, a person's pages) asks for it with
`on_commit` while it writes; the telling then happens only once the transaction is stored,
so nobody is ever told of something a restart or a rollback would lose. It happens right
after `commit()` returns, outside SQLAlchemy's commit events, because telling may read the
database (a map delta is measured against the stored map) and those events allow no SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session

_ASKED = "roundtable.asked"  # work of the open transaction, in the order asked
_DUE = "roundtable.due"  # work of the transaction that has just committed


def on_commit(db: Session, work: Callable[..., object], *args: Any) -> None:
    """Do `work(*args)` once this session's transaction commits: after `commit()` has
    stored it (so the work may read the database), never after a rollback, never twice.

    What the work raises comes out of `commit()`, after the change is stored, as it did
    when each caller told by hand right after committing."""
    db.info.setdefault(_ASKED, []).append(partial(work, *args))


def asked_for(db: Session) -> bool:
    """Whether the open transaction has asked for work once it commits."""
    return bool(db.info.get(_ASKED))


class AfterCommitSession(Session):
    """A session that does what its transaction asked for once `commit()` has stored it."""

    committed = False  # whether it has stored anything yet (an error page then says so)

    def commit(self) -> None:
        super().commit()
        # Taken before any is done: work that commits again (a map storing new positions)
        # must not find, and do, this list a second time.
        due = self.info.pop(_DUE, [])
        for work in due:
            work()


@event.listens_for(AfterCommitSession, "after_commit")
def _committed(db: AfterCommitSession) -> None:
    # Only the outermost transaction's commit fires this: savepoints never store anything.
    db.info[_DUE] = db.info.pop(_ASKED, [])
    db.committed = True


@event.listens_for(AfterCommitSession, "after_transaction_end")
def _ended(db: Session, transaction: SessionTransaction) -> None:
    # A committed transaction handed its work over above; any other end of the outermost
    # transaction (a rollback, a failed commit, the session closed) stored nothing to tell.
    if transaction.parent is None:
        db.info.pop(_ASKED, None)
