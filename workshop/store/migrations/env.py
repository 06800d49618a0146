"""Alembic's environment: the app passes its connection; the alembic command uses DATABASE_URL."""

from __future__ import annotations

import os

from alembic import context
from flask import Flask
from sqlalchemy import create_engine
from sqlmodel import SQLModel

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


def _default_url() -> str:
    # The same default as the app's (workshop/config.py): the instance folder's SQLite file.
    instance = Flask("workshop", instance_relative_config=True).instance_path
    return f"sqlite:///{os.path.join(instance, 'roundtable.db')}"


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    # A plain engine: SQLite's foreign keys stay off, as batch mode needs (see migrate.py).
    engine = create_engine(os.environ.get("DATABASE_URL") or _default_url())
    with engine.begin() as connection:
        _run(connection)
    engine.dispose()
