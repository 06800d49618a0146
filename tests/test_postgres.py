"""The same live round on PostgreSQL (psycopg 3), chosen by DATABASE_URL: never skipped."""

import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import event
from sqlmodel import select

from tests.conftest import command, join, make_app, make_setup, sign_in
from tests.test_network_steps import run_whole_round
from workshop.store.db import session_scope
from workshop.store.models import Answer, Participant


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
    with restarted.app_context(), session_scope() as db:
        values = {a.step_id: a.value for a in db.exec(select(Answer))}
    assert values == {"feeling": 5, "needs": ["breaks", "captions"]}
    restarted.extensions["roundtable.engine"].dispose()


def test_control_characters_never_reach_postgres_as_errors(postgres_url):
    """PostgreSQL refuses NUL in text: such input must be cleaned or refused, never a 500."""
    app = make_app(postgres_url)
    setup = make_setup(app)
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    visitor = app.test_client()
    for url in ("/p/%00abc", "/j/%00abc", "/p/abc%00def/steps/x", "/j/" + "a" * 20 + "%00"):
        assert visitor.get(url).status_code == 404, url
    # An invisible NUL in an email is dropped: the sign-in works as typed without it.
    assert sign_in(app.test_client(), "sam\x00@example.org").status_code == 302
    page = join(visitor, setup, "Am\x00ira\x07")
    assert "Amira" in visitor.get(page).get_data(as_text=True)
    response = facilitator.post_form("/projects", {"name": "Net\x00 Equality\x1b"})
    assert response.status_code == 302
    assert "Net Equality" in facilitator.get(response.headers["Location"]).get_data(as_text=True)
    command(facilitator, setup, "start")
    assert visitor.post_form(f"{page}/steps/feeling", {"answer": "4\x00"}).status_code == 302
    app.extensions["roundtable.engine"].dispose()


def test_a_mapping_workshop_stores_its_actors_and_ties_on_postgres(postgres_url):
    app = make_app(postgres_url)
    run_whole_round(app, "map-your-network")
    app.extensions["roundtable.engine"].dispose()


def test_a_connection_cut_while_resting_is_made_anew_before_a_page_uses_it(
    postgres_url, monkeypatch
):
    """PostgreSQL restarted overnight cuts every pooled connection: the next page must work,
    not answer 'try again'. Connections are tried after a rest (here 0.2 s) instead of before
    every request, which cost a round trip each."""
    from sqlalchemy import create_engine, text

    from workshop.store import db as store

    monkeypatch.setattr(store, "REST_BEFORE_PING", 0.2)
    app = make_app(postgres_url)
    setup = make_setup(app)
    participant = app.test_client()
    page = join(participant, setup, "Amira")
    assert participant.get(page).status_code == 200  # a connection now rests in the pool
    database = app.extensions["roundtable.engine"].url.database
    cutter = create_engine(postgres_url.rsplit("/", 1)[0] + "/postgres")
    with cutter.connect() as db:
        cut = db.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": database},
        ).scalar()
    cutter.dispose()
    assert cut >= 1
    time.sleep(0.3)
    for _ in range(3):
        response = participant.get(page)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
    app.extensions["roundtable.engine"].dispose()


def test_pages_that_only_read_keep_postgres_prepared_statements(postgres_url):
    """Issue 16: psycopg prepares a statement after its fifth use on a connection, and
    forgets them all at a ROLLBACK, which ended every page that only read: so PostgreSQL
    planned every query of every page again (the participant's visit: 0.86 ms to plan,
    0.05 ms to run). Such pages now end with COMMIT; pages that wrote are unchanged."""
    app = make_app(postgres_url)
    setup = make_setup(app)
    participant = app.test_client()
    page = join(participant, setup, "Amira")
    for _ in range(8):
        assert participant.get(page).status_code == 200
    engine = app.extensions["roundtable.engine"]
    with engine.connect() as connection:
        prepared = connection.exec_driver_sql("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in prepared]
    assert engine.pool.checkedin() == 1  # one connection served every page: the one asked
    assert any("FROM participant JOIN round" in s for s in statements), statements
    engine.dispose()


def test_people_joining_at_once_in_two_places_never_clash_on_postgres(postgres_url):
    """Issue 16: each join read the round's highest number and added one, so joins made at
    once in two processes picked the same number; the database refused one, and it tried
    again. At 1,000 people on two processes half of all joins clashed at least once, and
    one in a thousand still clashed after 20 tries: an error page. A join now waits its
    turn on the round's row, so none is refused."""
    app = make_app(postgres_url)
    setup = make_setup(app)
    clashes: list[str] = []

    def refused(context) -> None:
        clashes.append(str(context.original_exception).splitlines()[0])

    engine = app.extensions["roundtable.engine"]
    event.listen(engine, "handle_error", refused)
    with ThreadPoolExecutor(8) as pool:
        pages = list(pool.map(lambda n: join(app.test_client(), setup, f"P{n}"), range(64)))
    event.remove(engine, "handle_error", refused)
    assert len(set(pages)) == 64
    with app.app_context(), session_scope() as db:
        numbers = db.exec(select(Participant.number).where(Participant.round_id == setup.round_id))
        assert sorted(numbers) == list(range(1, 65))
    assert clashes == []
    engine.dispose()
