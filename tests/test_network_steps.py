"""Network steps: naming actors, connecting them, rating and sorting them, and the map step."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from questionnaires.loader import load_all
from tests.conftest import CheckedClient, command, join, make_setup, sign_in
from workshop.store.db import session_scope
from workshop.store.models import Actor, ActorRating, Answer, Participant, Tie

LIBRARY = load_all()


def soup_of(client: CheckedClient, url: str) -> BeautifulSoup:
    return BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")


def add_name(client: CheckedClient, page: str, step: str, name: str, kind: str = ""):
    return client.post_form(f"{page}/steps/{step}", {"intent": "add", "name": name, "kind": kind})


def answer_from_the_page(client: CheckedClient, page: str, step_id: str, names: list[str]):
    """Answer the open step as a person would, using only the controls the page shows."""
    soup = soup_of(client, page)
    now = soup.select_one("#now")
    form = now.select_one("form[data-answer-form]")
    if form is None:
        return  # information, the map, or nothing to do
    action = form["action"]
    fields = {i["name"] for i in form.select("input, select, textarea") if i.get("name")}
    if "name" in fields:  # name actors: add each name, choosing the first kind offered
        kind = form.select_one("input[name=kind]")
        for name in names:
            response = add_name(client, page, step_id, name, kind["value"] if kind else "")
            assert response.status_code == 302, response.get_data(as_text=True)
        return
    if "source" in fields:  # connect: the first two names in the lists, the first kind
        values = [o["value"] for o in form.select("select#source option") if o["value"]]
        kind = form.select_one("input[name=kind]")
        data = {"intent": "add", "source": values[0], "target": values[1]}
        data["kind"] = kind["value"] if kind else ""
        assert client.post_form(action, data).status_code == 302
        return
    data: dict[str, str | list[str]] = {}
    for name in fields - {"csrf_token", "intent"}:
        first = form.select_one(f"input[name='{name}']")
        if first is not None and first.get("type") in ("radio", "checkbox"):
            data[name] = first["value"]
        else:
            data[name] = "Less travel, more time"
    response = client.post_form(action, data)
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.mark.parametrize("questionnaire_id", sorted(LIBRARY))
def test_every_built_in_workshop_runs_a_whole_round(app, questionnaire_id):
    setup = make_setup(app, email="kim@example.org", questionnaire=questionnaire_id)
    facilitator = app.test_client()
    sign_in(facilitator, setup.email)
    people = {"Amira": app.test_client(), "Bo": app.test_client()}
    pages = {name: join(client, setup, name) for name, client in people.items()}
    names = {"Amira": ["Disability Wales", "Brent Mencap"], "Bo": ["disability  wales", "Age UK"]}
    questionnaire = LIBRARY[questionnaire_id].questionnaire
    command(facilitator, setup, "start")
    for index, step in enumerate(questionnaire.steps):
        for name, client in people.items():
            answer_from_the_page(client, pages[name], step.id, names[name])
        live = facilitator.get(f"/rounds/{setup.round_id}/live")
        assert live.status_code == 200
        if index < len(questionnaire.steps) - 1:
            command(facilitator, setup, "next")
    command(facilitator, setup, "end")

    with app.app_context(), session_scope() as session:
        answers = session.exec(select(Answer).where(Answer.round_id == setup.round_id)).all()
        assert answers, "nobody's answers were stored"
        network_steps = [s for s in questionnaire.steps if s.type == "name-actors"]
        if not network_steps:
            return
        actors = session.exec(select(Actor).where(Actor.round_id == setup.round_id)).all()
        # The same name, written differently, is one actor; the first to name it added it.
        assert sorted(a.name for a in actors) == ["Age UK", "Brent Mencap", "Disability Wales"]
        amira = session.exec(select(Participant).where(Participant.display_name == "Amira")).one()
        shared = next(a for a in actors if a.name == "Disability Wales")
        assert shared.added_by == amira.id and shared.created_at is not None
        assert shared.kind in {k.id for k in questionnaire.codebook.actor_kinds}
        first_name_step = network_steps[0]
        assert shared.step_id == first_name_step.id and shared.layer == first_name_step.layer
        kinds = {s.type for s in questionnaire.steps}
        if "connect-actors" in kinds:
            ties = session.exec(select(Tie).where(Tie.round_id == setup.round_id)).all()
            assert ties and all(t.source_id != t.target_id for t in ties)
            assert {t.added_by for t in ties} == {p.id for p in _people(session, setup)}
        if kinds & {"rate-actors", "sort-actors"}:
            ratings = session.exec(select(ActorRating)).all()
            assert ratings and all(r.value is not None for r in ratings)


def _people(session, setup):
    return session.exec(select(Participant).where(Participant.round_id == setup.round_id)).all()
