"""The `roundtable` console command (also `python -m workshop`)."""

from gevent import monkey

# gevent must patch the standard library before Flask, SQLAlchemy or sockets are imported.
monkey.patch_all()

import click  # noqa: E402
from flask.cli import FlaskGroup  # noqa: E402


def _create_app():
    from workshop.app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False)
def main() -> None:
    """Roundtable: accessible, live network-mapping workshops."""


def _add_plain_commands() -> None:
    # Commands that need no app hang on the group itself (`db` must look before any app
    # starts, since starting one upgrades the database).
    from workshop.cli.db import db_group
    from workshop.cli.questionnaire import questionnaire_group

    main.add_command(questionnaire_group)
    main.add_command(db_group)


_add_plain_commands()


if __name__ == "__main__":
    main()
