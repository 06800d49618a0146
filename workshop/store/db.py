"""The database engine and sessions: SQLite in the instance folder, or DATABASE_URL."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import InterfaceError, InvalidatePoolError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session, create_engine

from workshop.store import models  # noqa: F401  (registers the tables)
from workshop.store.ending import end
from workshop.store.on_commit import AfterCommitSession

# What the database raises when it is out of reach for now: down, restarting, its
# connections cut, SQLite locked for too long, or no free connection in the pool.
UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout)


def make_engine(url: str) -> Engine:
    """An engine for this URL, tuned for a live workshop."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # A database host that does not answer at all gives up after a few seconds (the page
    # then says to try again) instead of leaving every page loading for minutes.
    waits = {} if "connect_timeout" in make_url(url).query else {"connect_timeout": 5}
    engine = create_engine(url, pool_size=10, max_overflow=20, connect_args=waits)
    _ping_after_rest(engine)
    return engine


# A connection that has rested a while may have been cut (the database restarted, a
# firewall dropped it): it is tried before a request uses it, and the pool made anew if it
# fails. SQLAlchemy's pool_pre_ping tries every time, a round trip of every request; a
# connection handed straight back to the next request in a busy room was alive a moment ago.
REST_BEFORE_PING = 2.0  # seconds


def _ping_after_rest(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def _rests(_dbapi_connection, record) -> None:
        record.info["resting_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _try_if_rested(dbapi_connection, record, _proxy) -> None:
        since = record.info.pop("resting_since", None)
        if since is None or time.monotonic() - since < REST_BEFORE_PING:
            return  # new, or in use a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise InvalidatePoolError(str(error)) from error  # every older one is made anew


def _sqlite_pragmas(connection, _record) -> None:
    # WAL lets pages read while an answer is written; synchronous=NORMAL in WAL mode
    # still survives a killed process, which is the failure a workshop server meets.
    cursor = connection.cursor()
    cursor.execute("PRAGMA busy_timeout=15000")
    _wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _wal(cursor) -> None:
    # Turning a new database to WAL needs it alone, and SQLite answers "locked" at once,
    # without waiting, while another process is making it (two starting together).
    give_up = time.monotonic() + 15
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > give_up:
                raise
        time.sleep(0.05)


def engine() -> Engine:
    """The current app's engine."""
    return current_app.extensions["roundtable.engine"]


def db() -> Session:
    """The request's session, opened on first use and closed at teardown."""
    if "db" not in g:
        g.db = AfterCommitSession(engine(), expire_on_commit=False)
    return g.db


def committed() -> bool:
    """Whether this request has committed anything so far (an error page then says so)."""
    return "db" in g and g.db.committed


def close_db(error: BaseException | None = None) -> None:
    """Close the request's session, if one was opened (`ending.end`: a request that only
    read, with no error, commits)."""
    opened = g.pop("db", None)
    if opened is not None:
        end(opened, clean=error is None)


@contextmanager
def session_scope() -> Iterator[Session]:
    """A short session for socket handlers and commands."""
    db = AfterCommitSession(engine(), expire_on_commit=False)
    clean = False
    try:
        yield db
        clean = True
    finally:
        end(db, clean)
