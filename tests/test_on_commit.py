"""Telling after commit: work a change asks for is done once it is stored, never otherwise."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, create_engine, func, select

from workshop.store.models import Facilitator
from workshop.store.on_commit import AfterCommitSession, on_commit


@pytest.fixture
def db(tmp_path) -> Iterator[AfterCommitSession]:
    engine = create_engine(f"sqlite:///{tmp_path / 'told.db'}")
    SQLModel.metadata.create_all(engine)
    with AfterCommitSession(engine, expire_on_commit=False) as db:
        yield db
    engine.dispose()


def add(db: AfterCommitSession, email: str) -> None:
    db.add(Facilitator(email=email, name="Kim", password_hash="-"))


def count(db: AfterCommitSession) -> int:
    return db.exec(select(func.count()).select_from(Facilitator)).one()


def test_work_is_done_once_after_the_commit_and_may_read_what_it_stored(db):
    told = []
    add(db, "kim@example.org")
    on_commit(db, lambda: told.append(count(db)))  # SQL: after commit() has returned
    assert told == []
    db.commit()
    assert told == [1]
    db.commit()
    add(db, "bo@example.org")
    db.commit()
    assert told == [1]  # never twice


def test_work_is_done_in_the_order_asked(db):
    told = []
    add(db, "kim@example.org")
    on_commit(db, told.append, "first")
    on_commit(db, told.append, "second")
    db.commit()
    assert told == ["first", "second"]


def test_nothing_is_told_after_a_rollback_or_a_close(db):
    told = []
    add(db, "kim@example.org")
    on_commit(db, told.append, "rolled back")
    db.rollback()
    add(db, "bo@example.org")
    on_commit(db, told.append, "closed")
    db.close()
    add(db, "sam@example.org")
    db.commit()
    assert told == []
    assert count(db) == 1


def test_a_failed_commit_tells_nothing_and_its_retry_tells_once(db):
    told = []
    add(db, "kim@example.org")
    db.commit()
    add(db, "kim@example.org")  # the same email again: the commit fails
    on_commit(db, told.append, "first try")
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()
    add(db, "bo@example.org")
    on_commit(db, told.append, "second try")
    db.commit()
    assert told == ["second try"]


def test_work_that_commits_again_is_still_done_once(db):
    told = []

    def store_more() -> None:
        told.append("stored more")
        add(db, "bo@example.org")
        on_commit(db, told.append, "told of more")
        db.commit()

    add(db, "kim@example.org")
    on_commit(db, store_more)
    db.commit()
    db.commit()
    assert told == ["stored more", "told of more"]
    assert count(db) == 2
