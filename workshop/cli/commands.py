"""Console commands: create facilitators, set up the demo, serve the app."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlmodel import select

from workshop.cli.processes import serve_processes
from workshop.realtime import queue
from workshop.rounds.files import everything
from workshop.rounds.people import forget_old_connections
from workshop.store.db import session_scope
from workshop.store.models import Experiment, Facilitator, Project, Round
from workshop.web.accounts import create_facilitator, normalise_email
from workshop.web.collector import settle_after_start

DEMO_EMAIL = "demo@roundtable.example"
DEMO_PASSWORD = "demo-facilitator"


def register_commands(app: Flask) -> None:
    """Attach the commands to the app's CLI group."""
    app.cli.add_command(create_facilitator_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(serve_command)
    app.cli.add_command(export_command)


@click.command("create-facilitator")
@with_appcontext
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--organisation", default="", help="Shown to participants, so they know who runs it.")
@click.password_option()
def create_facilitator_command(email: str, name: str, organisation: str, password: str) -> None:
    """Make a facilitator account."""
    if len(password) < 10:
        raise click.UsageError("Use a password of at least 10 characters.")
    with session_scope() as db:
        taken = db.exec(
            select(Facilitator).where(Facilitator.email == normalise_email(email))
        ).first()
        if taken:
            raise click.UsageError(f"There is already a facilitator with the email {email}.")
        create_facilitator(db, email, name, password, organisation)
    click.echo(f"Created facilitator {name} <{normalise_email(email)}>.")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Create the demo facilitator and project (once), and say how to sign in."""
    with session_scope() as db:
        facilitator = db.exec(select(Facilitator).where(Facilitator.email == DEMO_EMAIL)).first()
        if facilitator is None:
            facilitator = create_facilitator(
                db, DEMO_EMAIL, "Demo Facilitator", DEMO_PASSWORD, "Roundtable demo"
            )
            project = Project(
                owner_id=facilitator.id,
                name="Net Equality (demo)",
                description="Mapping how equality groups in London connect.",
            )
            db.add(project)
            db.commit()
            db.add(
                Experiment(
                    project_id=project.id,
                    name="Local maps as a starting point",
                    description="Start from a place people know, then look at issues.",
                )
            )
            db.commit()
    click.echo(
        f"Demo facilitator: sign in with {DEMO_EMAIL} and the password {DEMO_PASSWORD}\n"
        "Then open Projects > Net Equality (demo) > Local maps as a starting point,\n"
        "and create a round. Participants join at the home page with the round's code."
    )


@click.command("serve")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--processes",
    default=1,
    show_default=True,
    type=click.IntRange(1, 32),
    help="More than 1: that many gunicorn processes on PostgreSQL and Redis, behind nginx.",
)
def serve_command(host: str, port: int, processes: int) -> None:
    """Serve Roundtable with Flask-SocketIO on gevent."""
    if processes > 1:
        current_app.extensions["roundtable.engine"].dispose()  # the children open their own
        serve_processes(current_app.config["DATABASE_URL"], host, port, processes)
        return
    forget_old_connections()
    socketio = current_app.extensions["socketio"]
    queue.listen_now(socketio)
    click.echo(f"Roundtable is running at http://{host}:{port}/ (press Ctrl+C to stop)")
    settle_after_start()
    socketio.run(current_app._get_current_object(), host=host, port=port, log_output=False)


@click.command("export")
@with_appcontext
@click.argument("round_id", type=int)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="The folder to write to (default: here).",
)
def export_command(round_id: int, out: Path) -> None:
    """Write a round's answers and map (Kumu, GraphML, GEXF, JSON, CSV) as one ZIP."""
    with session_scope() as db:
        round_ = db.get(Round, round_id)
        if round_ is None:
            raise click.UsageError(f"There is no round {round_id}.")
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"round-{round_id}.zip"
        path.write_bytes(everything(db, round_))
    click.echo(f"Wrote {path}")
