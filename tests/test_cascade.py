"""What depends on what is declared once (workshop/store/cascade.py): nothing is missed, and
a facilitator's mark on an answer goes with the answer, however the answer goes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlmodel import SQLModel, select

from tests.conftest import command, join, make_app, make_setup, sign_in
from tests.test_network_steps import add_name
from workshop.rounds import answers, lifecycle, people, personal_data, results, team
from workshop.store import cascade
from workshop.store.db import session_scope
from workshop.store.models import Answer, HiddenAnswer, Participant, Round


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request, database_url: str) -> Iterator[Flask]:
    """The app on each kind of database: both check foreign keys, each in its own way."""
    if request.param == "postgresql":
        database_url = request.getfixturevalue("postgres_url")
    app = make_app(database_url)
    yield app
    app.extensions["roundtable.engine"].dispose()


def pointing_at(table: str) -> set[str]:
    return {
        f"{key.parent.table.name}.{key.parent.name}"
        for each in SQLModel.metadata.tables.values()
        for key in each.foreign_keys
        if key.column.table.name == table
    }


def named(columns) -> set[str]:
    return {f"{column.class_.__table__.name}.{column.key}" for column in columns}


def test_every_reference_to_an_answer_or_a_participant_is_declared():
    """A new table pointing at answers or participants must say what happens to its rows."""
    assert pointing_at("answer") == named(cascade.DEPENDANTS[Answer])
    everything = cascade.GIVEN + cascade.HELD + cascade.KEPT
    assert pointing_at("participant") == named(everything)
    assert len(named(everything)) == len(everything)  # each said once


def hidden_marks(app) -> list[int]:
    with app.app_context(), session_scope() as db:
        return list(db.exec(select(HiddenAnswer.answer_id)))


def hide(app, answer_id: int, by: int) -> None:
    with app.app_context(), session_scope() as db:
        answer = db.get(Answer, answer_id)
        round_ = db.get(Round, answer.round_id)
        step = lifecycle.questionnaire_of(round_).step(answer.step_id)
        results.set_hidden(db, answer, True, by, step)


def test_a_hidden_answer_goes_with_the_answer_when_it_is_deleted_or_erased(app):
    setup = make_setup(app)
    with app.app_context(), session_scope() as db:
        round_ = db.get(Round, setup.round_id)
        hope = lifecycle.questionnaire_of(round_).step("hope")
        made = [people.join(db, round_, name) for name in ("Amira", "Bo")]
        given = [answers.save_answer(db, person, hope, "To listen").id for person in made]
        lead = team.team_of(db, round_)[0].facilitator_id
    for answer_id in given:
        hide(app, answer_id, lead)
    assert sorted(hidden_marks(app)) == sorted(given)

    with app.app_context(), session_scope() as db:
        amira = db.get(Participant, made[0].id)
        answers.delete_answer(db, amira, hope)
    assert hidden_marks(app) == [given[1]]
    with app.app_context(), session_scope() as db:
        round_ = db.get(Round, setup.round_id)
        personal_data.erase(db, round_, db.get(Participant, made[1].id), by=lead)
    assert hidden_marks(app) == []
    with app.app_context(), session_scope() as db:
        assert db.exec(select(Answer)).all() == []


def test_a_list_emptied_after_a_facilitator_hid_it_is_no_answer(app):
    setup = make_setup(app, questionnaire="map-your-network")
    lead = app.test_client()
    sign_in(lead, setup.email)
    amira = app.test_client()
    page = join(amira, setup, "Amira")
    command(lead, setup, "start")
    command(lead, setup, "next")  # face-to-face
    add_name(amira, page, "face-to-face", "Age UK", "organisation")
    with app.app_context(), session_scope() as db:
        (answer,) = db.exec(select(Answer)).all()
        actor_id = answer.value[0]["actor"]
        by = team.team_of(db, db.get(Round, setup.round_id))[0].facilitator_id
    hide(app, answer.id, by)
    removed = amira.post_form(f"{page}/steps/face-to-face", {"remove": actor_id})
    assert removed.status_code == 302
    assert hidden_marks(app) == []
    with app.app_context(), session_scope() as db:
        assert db.exec(select(Answer)).all() == []
