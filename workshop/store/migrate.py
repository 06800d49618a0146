"""Bring a database's tables to the newest revision with Alembic, once, at start."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from workshop.store import models  # noqa: F401  (registers the tables)

MIGRATIONS = Path(__file__).parent / "migrations"
BASELINE = "0001_baseline"  # the tables as create_all made them before Alembic
# Any fixed number: every Roundtable process on one PostgreSQL database takes this lock.
_LOCK_KEY = 0x526F756E64  # "Round"


def alembic_config(connection: Connection) -> Config:
    """Alembic's settings, in code: our migrations, run on this connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@cache
def scripts() -> ScriptDirectory:
    """The revisions, read once per process."""
    return ScriptDirectory(str(MIGRATIONS))


def head() -> str:
    """The newest revision."""
    return scripts().get_current_head()


def current(connection: Connection) -> str | None:
    """The revision the database is at; None when Alembic never touched it."""
    return MigrationContext.configure(connection).get_current_revision()


def made_before_alembic(connection: Connection) -> bool:
    """Whether the database has our tables but no record of a revision."""
    tables = set(inspect(connection).get_table_names())
    return "alembic_version" not in tables and bool(tables & set(SQLModel.metadata.tables))


def upgrade_to_head(engine: Engine) -> None:
    """Make an empty database at head, adopt one made before Alembic, upgrade any other."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode changes a table by copying it and dropping the old one, which SQLite
            # refuses while other tables point at it. Off for the migration (it cannot change
            # inside a transaction), then every reference is checked before it goes back on.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                if sqlite:
                    # Python's sqlite3 runs DDL outside any transaction unless one is open:
                    # open one, so that a failed migration leaves nothing half done. IMMEDIATE
                    # takes the write lock now, so a second process starting waits its turn.
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                _migrate(connection)
                if sqlite and (
                    broken := connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                ):
                    # Raised before the commit: the database stays as it was.
                    raise RuntimeError(f"A migration left rows pointing at nothing: {broken[:5]}")
        finally:
            if sqlite:
                connection.rollback()
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def _migrate(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        # Two processes starting at once: the second waits here, then finds head.
        # Held until this transaction ends (PostgreSQL's DDL is transactional).
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    tables = set(inspect(connection).get_table_names())
    config = alembic_config(connection)
    if "alembic_version" in tables:
        if current(connection) != head():
            command.upgrade(config, "head")
    elif tables & set(SQLModel.metadata.tables):
        # Made before Alembic: the baseline makes only the tables and indexes it lacks (none,
        # unless an older version made it), then every later revision runs.
        command.upgrade(config, "head")
    else:
        # Running every revision for each new database is slow (the tests make hundreds):
        # the models are head, as tests/test_migrations.py checks. Stamped directly, without
        # command.stamp's run of env.py: 4 ms instead of 20 on top of create_all.
        SQLModel.metadata.create_all(connection, checkfirst=False)
        MigrationContext.configure(connection).stamp(scripts(), "head")
