"""The same live round on PostgreSQL (psycopg 3), chosen by DATABASE_URL: never skipped."""

import os
import secrets

import psycopg
import pytest
from sqlmodel import select

from tests.conftest import command, join, make_app, make_setup, sign_in
from workshop.store.db import session_scope
from workshop.store.models import Answer

SERVER = os.environ.get("ROUNDTABLE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def postgres_url():
    """A new, empty database on this machine's PostgreSQL, dropped afterwards."""
    name = f"roundtable_test_{secrets.token_hex(4)}"
    with psycopg.connect(SERVER, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = SERVER.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    yield f"{base}/{name}"
    with psycopg.connect(SERVER, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_round_runs_and_survives_a_restart_on_postgres(postgres_url):
    app = make_app(postgres_url)
    assert app.extensions["roundtable.engine"].dialect.name == "postgresql"
    setup = make_setup(app)
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    participant = app.test_client()
    page = join(participant, setup, "Amira")
    command(facilitator, setup, "start")
    participant.post_form(f"{page}/steps/feeling", {"answer": "5"})
    command(facilitator, setup, "next")
    participant.post_form(f"{page}/steps/needs", {"answer": ["breaks", "captions"]})
    app.extensions["roundtable.engine"].dispose()

    restarted = make_app(postgres_url)
    assert "Question 2 of 3" in restarted.test_client().get(page).get_data(as_text=True)
    with restarted.app_context(), session_scope() as session:
        values = {a.step_id: a.value for a in session.exec(select(Answer))}
    assert values == {"feeling": 5, "needs": ["breaks", "captions"]}
    restarted.extensions["roundtable.engine"].dispose()
