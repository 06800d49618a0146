"""An action that writes several rows is one transaction: when the database fails part way
through, none of it is stored and the page says so; once it works again, all of it is."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlmodel import select, update

from tests.conftest import command, join, make_setup, sign_in
from tests.test_self_paced import create_self_paced, join_round
from tests.test_sockets import events, facilitator_socket, participant_socket
from workshop.store.db import session_scope
from workshop.store.models import (
    Actor,
    Answer,
    MapDisplay,
    Participant,
    Removal,
    Round,
    RoundEvent,
    SelfPaced,
)

NOT_SAVED = "Nothing was saved. Please try again in a minute."


@contextmanager
def writes_to(app: Flask, table: str) -> Iterator[None]:
    """Make every new row in `table` fail with a real database error, as a database that
    breaks part way through an action would (a trigger reading a table that is not there)."""
    path = app.extensions["roundtable.engine"].url.database
    database = sqlite3.connect(path, isolation_level=None)
    database.execute(
        f"CREATE TRIGGER broken BEFORE INSERT ON {table} BEGIN SELECT 1 FROM vanished; END"
    )
    try:
        yield
    finally:
        database.execute("DROP TRIGGER broken")
        database.close()


def assert_nothing_saved(response) -> None:
    assert response.status_code == 503
    assert NOT_SAVED in response.get_data(as_text=True)


@pytest.fixture
def mapped(app: Flask) -> tuple:
    """A mapping round where Amira has named Age UK (an actor, and her answer)."""
    setup = make_setup(app, questionnaire="map-your-network")
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    amira = app.test_client()
    page = join(amira, setup, "Amira")
    command(facilitator, setup, "start")
    command(facilitator, setup, "next")
    added = amira.post_form(
        f"{page}/steps/face-to-face", {"intent": "add", "name": "Age UK", "kind": "organisation"}
    )
    assert added.status_code == 302
    return setup, facilitator, amira, page


def stored(app: Flask, model) -> list:
    with app.app_context(), session_scope() as db:
        return db.exec(select(model)).all()


def test_removing_someone_and_deleting_what_they_gave_is_all_or_nothing(app, mapped):
    setup, facilitator, amira, page = mapped
    person = stored(app, Participant)[0]
    remove = f"/rounds/{setup.round_id}/people/{person.id}/remove"
    with writes_to(app, "removal"):
        assert_nothing_saved(facilitator.post_form(remove, {"answers": "delete"}))
    # Still in the round, with her name, her answer and the name she added.
    assert amira.get(page).status_code == 200
    assert [p.display_name for p in stored(app, Participant)] == ["Amira"]
    assert [a.name for a in stored(app, Actor)] == ["Age UK"]
    assert [a.step_id for a in stored(app, Answer)] == ["face-to-face"]
    assert stored(app, Removal) == []

    assert facilitator.post_form(remove, {"answers": "delete"}).status_code == 302
    assert amira.get(page).status_code == 410
    assert (stored(app, Actor), stored(app, Answer)) == ([], [])
    assert [r.participant_id for r in stored(app, Removal)] == [person.id]


def test_nobody_is_told_of_a_change_that_was_not_saved(app, mapped):
    """Consoles, open maps and the person's own pages hear of a change only once it is
    stored: a removal that fails part way tells nobody; the one that works tells each once."""
    setup, facilitator, _amira, page = mapped
    console = facilitator_socket(app, facilitator)
    for event in ("watch", "watch_map"):
        reply = console.emit(
            event, {"round": setup.round_id}, namespace="/facilitator", callback=True
        )
        assert reply == {"ok": True}
    assert facilitator.get(f"/rounds/{setup.round_id}/map/data.json").status_code == 200
    her_pages = participant_socket(app, page)
    console.get_received("/facilitator")  # her connection's "presence"
    remove = f"/rounds/{setup.round_id}/people/{stored(app, Participant)[0].id}/remove"
    with writes_to(app, "removal"):
        assert_nothing_saved(facilitator.post_form(remove, {"answers": "delete"}))
    assert console.get_received("/facilitator") == []
    assert events(her_pages, "/participant", "removed") == []

    assert facilitator.post_form(remove, {"answers": "delete"}).status_code == 302
    # Her pages are told, then their connection ends (issue 17): read what reached it.
    assert not her_pages.is_connected("/participant")
    told = [p["args"] for p in her_pages.queue if p["name"] == "removed"]
    assert told == [[{}]]
    heard = console.get_received("/facilitator")
    reasons = [e["args"][0]["reason"] for e in heard if e["name"] == "console_changed"]
    assert reasons == ["presence", "answer"]
    (change,) = [e["args"][0] for e in heard if e["name"] == "map_delta"]
    assert len(change["nodes"]["removed"]) == 1  # Age UK, which only she named


def test_tidying_the_map_is_stored_with_its_record_or_not_at_all(app, mapped):
    setup, facilitator, _amira, _page = mapped
    actor = stored(app, Actor)[0]
    tidy = f"/rounds/{setup.round_id}/map/actors/{actor.id}"
    rename = {"action": "rename", "name": "Age UK Cymru"}
    show = {"part": "map", "shown": "1"}
    with writes_to(app, "roundevent"):
        assert_nothing_saved(facilitator.post_form(tidy, rename))
        assert_nothing_saved(facilitator.post_form(f"/rounds/{setup.round_id}/map/display", show))
    assert [a.name for a in stored(app, Actor)] == ["Age UK"]
    assert stored(app, MapDisplay) == []
    assert not any(e.action.startswith(("tidy", "show")) for e in stored(app, RoundEvent))

    assert facilitator.post_form(tidy, rename).status_code == 302
    assert facilitator.post_form(f"/rounds/{setup.round_id}/map/display", show).status_code == 302
    assert [a.name for a in stored(app, Actor)] == ["Age UK Cymru"]
    assert [d.map_shown for d in stored(app, MapDisplay)] == [True]
    events = [(e.action, e.detail) for e in stored(app, RoundEvent)]
    # The record names the old name and the new (issue 15), stored as a pair.
    assert ("tidy-rename-to", '["Age UK", "Age UK Cymru"]') in events
    assert ("show-map", "") in events


def test_a_page_never_says_nothing_was_saved_when_something_was(app, setup, facilitator):
    """In people's own time, saving an answer is one commit and moving on another: when
    only the second fails, the page says the answer may be saved (it is), and sending it
    again stores it once and moves on."""
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    created = create_self_paced(facilitator, setup, tomorrow)
    round_id = int(created.headers["Location"].rsplit("/", 1)[1])
    with app.app_context(), session_scope() as db:
        token = db.get(Round, round_id).join_token
    amira = app.test_client()
    page = join_round(amira, token, "Amira")
    with writes_to(app, "progress"):
        failed = amira.post_form(f"{page}/steps/feeling", {"answer": "4"})
    assert failed.status_code == 503
    assert "Some of it may be saved. Check, then try again in a minute." in failed.get_data(
        as_text=True
    )
    assert [(a.step_id, a.value) for a in stored(app, Answer)] == [("feeling", 4)]
    assert amira.post_form(f"{page}/steps/feeling", {"answer": "4"}).status_code == 302
    assert [(a.step_id, a.value) for a in stored(app, Answer)] == [("feeling", 4)]
    assert "Is there anything that would help you take part?" in amira.get(page).get_data(
        as_text=True
    )


def test_a_round_in_peoples_own_time_is_made_whole_or_not_at_all(app, setup, facilitator):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    with writes_to(app, "selfpaced"):
        assert_nothing_saved(create_self_paced(facilitator, setup, tomorrow))
    assert [r.id for r in stored(app, Round)] == [setup.round_id]  # no live round instead
    created = create_self_paced(facilitator, setup, tomorrow)
    assert created.status_code == 302
    made = [r for r in stored(app, Round) if r.id != setup.round_id]
    assert [r.status for r in made] == ["running"]
    assert [s.round_id for s in stored(app, SelfPaced)] == [made[0].id]


def test_a_session_that_only_read_commits_and_one_that_changed_anything_stores_nothing(app):
    """Issue 16: a session that only read now ends with COMMIT (PostgreSQL then keeps its
    prepared statements). One that changed anything without committing must still store
    nothing: a change waiting to be flushed, one flushed, and one made by a statement."""
    setup = make_setup(app)
    renamed = "A name never saved"

    def name_after(change) -> str:
        with app.app_context():
            with session_scope() as db:
                change(db, db.get(Round, setup.round_id))
            with session_scope() as db:
                return db.get(Round, setup.round_id).name

    def waiting(db, round_) -> None:
        round_.name = renamed

    def flushed(db, round_) -> None:
        round_.name = renamed
        db.flush()

    def statement(db, round_) -> None:
        db.exec(update(Round).where(Round.id == round_.id).values(name=renamed))

    kept = name_after(lambda db, round_: None)
    for change in (waiting, flushed, statement):
        assert name_after(change) == kept, change.__name__
