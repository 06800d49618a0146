"""Alembic's environment: the app passes its connection; the alembic command uses DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

from workshop.config import database_url
from workshop.store import models  # noqa: F401  (registers the tables)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        # SQLite alters a table by copying it; batch mode writes every ALTER so that it works
        # there, and is a plain ALTER on PostgreSQL, whichever database a revision was made on.
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    # A plain engine: SQLite's foreign keys stay off, as batch mode needs (see migrate.py).
    engine = create_engine(database_url())
    with engine.begin() as connection:
        _run(connection)
    engine.dispose()
