"""`roundtable db upgrade` and `roundtable db current`: the database's schema revision."""

from __future__ import annotations

import click

from workshop.config import database_url
from workshop.store.db import make_engine
from workshop.store.migrate import current, head, made_before_alembic, upgrade_to_head


@click.group("db")
def db_group() -> None:
    """Show or upgrade the database's tables (DATABASE_URL, or the instance folder's)."""


def _engine():
    # No app: starting one would upgrade the database before `current` could look at it.
    return make_engine(database_url())


def _describe(engine) -> str:
    with engine.connect() as connection:
        revision = current(connection)
        if revision == head():
            return f"{revision} (the newest)"
        if revision is not None:
            return f"{revision} (older than {head()}: run `roundtable db upgrade`)"
        if made_before_alembic(connection):
            return "made before migrations (`roundtable db upgrade` takes it to the newest)"
        return "empty (`roundtable db upgrade` makes the tables)"


@db_group.command("current")
def current_command() -> None:
    """Say which revision the database is at."""
    engine = _engine()
    click.echo(f"Database: {engine.url.render_as_string(hide_password=True)}")
    click.echo(f"Revision: {_describe(engine)}")
    engine.dispose()


@db_group.command("upgrade")
def upgrade_command() -> None:
    """Bring the database's tables to the newest revision (the app also does this at start)."""
    engine = _engine()
    click.echo(f"Database: {engine.url.render_as_string(hide_password=True)}")
    click.echo(f"Was at: {_describe(engine)}")
    upgrade_to_head(engine)
    click.echo(f"Now at: {_describe(engine)}")
    engine.dispose()
