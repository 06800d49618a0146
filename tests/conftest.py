"""Fixtures: an app on a fresh database, clients that check every page, signed-in facilitators."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.pages import check_page, is_full_page
from tests.redis_server import redis_server  # noqa: F401  (a fixture for every test file)
from workshop.app import create_app
from workshop.store.db import session_scope
from workshop.store.models import Experiment, Project, Round
from workshop.web.accounts import create_facilitator

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"
POSTGRES = os.environ.get(
    "ROUNDTABLE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)


class CheckedClient(FlaskClient):
    """A test client that checks every whole page it receives against the house rules."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if is_full_page(response):
            check_page(response.get_data(as_text=True), str(args[0] if args else ""))
        assert b"Traceback" not in response.data
        return response

    def csrf_token(self) -> str:
        """A CSRF token for this client's session, taken from a page as a browser would."""
        html = self.get("/").get_data(as_text=True)
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    def post_form(self, url: str, data: dict | None = None, **kwargs):
        """Post a form the way a browser does, with this session's CSRF token."""
        return self.post(url, data={"csrf_token": self.csrf_token(), **(data or {})}, **kwargs)


def make_app(database_url: str, **extra) -> Flask:
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "NODE_MODULES": ROOT / "node_modules",
            # Generous: no test trips over a limit by accident (test_limits sets low ones).
            "JOIN_LIMIT": "10000 per minute",
            "ANSWER_LIMIT": "10000 per minute",
            **extra,
        }
    )
    app.test_client_class = CheckedClient
    return app


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'roundtable.db'}"


@contextmanager
def new_postgres_database() -> Iterator[str]:
    """A new, empty database on this machine's PostgreSQL, dropped afterwards."""
    name = f"roundtable_test_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty database on this machine's PostgreSQL, dropped afterwards."""
    with new_postgres_database() as url:
        yield url


@pytest.fixture
def app(database_url: str) -> Flask:
    return make_app(database_url)


@pytest.fixture
def client(app: Flask) -> CheckedClient:
    return app.test_client()


@dataclass
class Setup:
    """A facilitator with a project, an experiment and a round of a questionnaire."""

    facilitator_id: int
    email: str
    experiment_id: int
    round_id: int
    join_token: str
    join_code: str


def make_setup(
    app: Flask, email: str = "sam@example.org", questionnaire: str = "check-in"
) -> Setup:
    from workshop.rounds import lifecycle

    with app.app_context(), session_scope() as db:
        facilitator = create_facilitator(db, email, "Sam Jones", PASSWORD, "Inclusion Works")
        project = Project(owner_id=facilitator.id, name="Net Equality")
        db.add(project)
        db.commit()
        experiment = Experiment(project_id=project.id, name="Local maps first")
        db.add(experiment)
        db.commit()
        loaded = app.extensions["roundtable.questionnaires"][questionnaire]
        round_ = lifecycle.create_round(db, experiment, loaded, "Greenwich, March")
        return Setup(
            facilitator.id, email, experiment.id, round_.id, round_.join_token, round_.join_code
        )


@pytest.fixture
def setup(app: Flask) -> Setup:
    return make_setup(app)


def on_team(db, round_id: int, lead_id: int, email: str) -> None:
    """Put an account holder on a round's team as they would join it: the lead's
    invitation, taken up."""
    from workshop.rounds import team
    from workshop.web import one_time_links
    from workshop.web.accounts import account_for

    invitation = team.invite(db, db.get(Round, round_id), lead_id, email)
    link = one_time_links.find(db, one_time_links.Purpose.INVITATION, invitation.token)
    team.accept(db, link, account_for(db, email))


def sign_in(client: CheckedClient, email: str, password: str = PASSWORD):
    return client.post_form("/sign-in", {"email": email, "password": password})


@pytest.fixture
def facilitator(app: Flask, setup: Setup) -> CheckedClient:
    """A client signed in as the setup's facilitator."""
    client = app.test_client()
    response = sign_in(client, setup.email)
    assert response.status_code == 302
    return client


def join(client: CheckedClient, setup: Setup, name: str = "") -> str:
    """Join the setup's round; returns the participant's page path."""
    response = client.post_form(f"/j/{setup.join_token}", {"display_name": name, "agree": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def command(client: CheckedClient, setup: Setup, name: str):
    return client.post_form(f"/rounds/{setup.round_id}/command", {"command": name})


@pytest.fixture
def live_round(app):
    """A map-your-network round, started, with Amira and Bo at the first name-actors step."""
    setup = make_setup(app, email="kim@example.org", questionnaire="map-your-network")
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    amira, bo = app.test_client(), app.test_client()
    pages = join(amira, setup, "Amira"), join(bo, setup, "Bo")
    command(facilitator, setup, "start")
    command(facilitator, setup, "next")  # face-to-face
    return setup, facilitator, (amira, bo), pages


def round_row(app: Flask, round_id: int) -> Round:
    with app.app_context(), session_scope() as db:
        return db.get(Round, round_id)


def pytest_terminal_summary(terminalreporter) -> None:
    """What the page checkers cost in this run (browser tests only), to keep CI time in view."""
    from tests.browser import CHECK_SECONDS

    if CHECK_SECONDS:
        states = int(CHECK_SECONDS.pop("states", 0))
        spent = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in CHECK_SECONDS.items())
        terminalreporter.write_line(f"page checks: {states} page states; {spent}")
