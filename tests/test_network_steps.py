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
    run_whole_round(app, questionnaire_id)


def run_whole_round(app, questionnaire_id: str) -> None:
    """Two people answer every step from the pages; what they added is stored as the map."""
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

    with app.app_context(), session_scope() as db:
        answers = db.exec(select(Answer).where(Answer.round_id == setup.round_id)).all()
        assert answers, "nobody's answers were stored"
        network_steps = [s for s in questionnaire.steps if s.type == "name-actors"]
        if not network_steps:
            return
        actors = db.exec(select(Actor).where(Actor.round_id == setup.round_id)).all()
        # The same name, written differently, is one actor; the first to name it added it.
        assert sorted(a.name for a in actors) == ["Age UK", "Brent Mencap", "Disability Wales"]
        amira = db.exec(select(Participant).where(Participant.display_name == "Amira")).one()
        shared = next(a for a in actors if a.name == "Disability Wales")
        assert shared.added_by == amira.id and shared.created_at is not None
        assert shared.kind in {k.id for k in questionnaire.codebook.actor_kinds}
        first_name_step = network_steps[0]
        assert shared.step_id == first_name_step.id and shared.layer == first_name_step.layer
        kinds = {s.type for s in questionnaire.steps}
        if "connect-actors" in kinds:
            ties = db.exec(select(Tie).where(Tie.round_id == setup.round_id)).all()
            assert ties and all(t.source_id != t.target_id for t in ties)
            assert {t.added_by for t in ties} == {p.id for p in _people(db, setup)}
        if kinds & {"rate-actors", "sort-actors"}:
            ratings = db.exec(select(ActorRating)).all()
            assert ratings and all(r.value is not None for r in ratings)


def _people(db, setup):
    return db.exec(select(Participant).where(Participant.round_id == setup.round_id)).all()


def actors_of(app, setup) -> dict[str, Actor]:
    with app.app_context(), session_scope() as db:
        rows = db.exec(select(Actor).where(Actor.round_id == setup.round_id)).all()
        return {a.name: a for a in rows}


def test_one_name_written_two_ways_is_one_actor_and_each_list_keeps_it(app, live_round):
    setup, facilitator, (amira, bo), (amira_page, bo_page) = live_round
    add_name(amira, amira_page, "face-to-face", "Inclusion London", "organisation")
    response = add_name(bo, bo_page, "face-to-face", "  inclusion   LONDON ", "group")
    page = soup_of(bo, response.headers["Location"])
    assert "Someone else named them already, as: An organisation" in page.get_text()
    assert [li.get_text(" ", strip=True) for li in page.select("#now .item-list__label")] == [
        "Inclusion London"
    ]
    again = add_name(bo, bo_page, "face-to-face", "Inclusion london", "organisation")
    assert "already on your list" in soup_of(bo, again.headers["Location"]).get_text()
    assert list(actors_of(app, setup)) == ["Inclusion London"]
    live = soup_of(facilitator, f"/rounds/{setup.round_id}/live").get_text(" ", strip=True)
    assert "2 of 2 answered" in live and "Inclusion London 2" in live


def test_mistakes_are_explained_and_what_was_typed_is_kept(app, live_round):
    setup, _facilitator, (amira, _bo), (amira_page, _bo_page) = live_round
    empty = add_name(amira, amira_page, "face-to-face", "   ", "organisation")
    assert empty.status_code == 400
    page = BeautifulSoup(empty.get_data(as_text=True), "html.parser")
    assert page.select_one(".error-summary a")["href"] == "#name"
    assert page.title.get_text().startswith("Error:")
    both = BeautifulSoup(
        add_name(amira, amira_page, "face-to-face", "", "").get_data(as_text=True), "html.parser"
    )
    links = [(a["href"], a.get_text()) for a in both.select(".error-summary a")]
    assert links == [("#name", "Write a name"), ("#kind", "Choose what kind it is")]
    assert both.select_one("#kind-error") and both.select_one("#name-error")
    no_kind = add_name(amira, amira_page, "face-to-face", "Brent Mencap", "")
    page = BeautifulSoup(no_kind.get_data(as_text=True), "html.parser")
    assert page.select_one(".error-summary a").get_text() == "Choose what kind it is"
    assert page.select_one("#name")["value"] == "Brent Mencap"  # nothing typed is lost
    for number in range(15):
        add_name(amira, amira_page, "face-to-face", f"Group {number}", "group")
    too_many = add_name(amira, amira_page, "face-to-face", "One more", "group")
    assert "You can add up to 15 here" in too_many.get_data(as_text=True)
    assert len(actors_of(app, setup)) == 15


def test_connections_are_checked_and_only_your_own_can_be_removed(app, live_round):
    setup, facilitator, (amira, bo), (amira_page, bo_page) = live_round
    for name in ("Age UK", "Shelter Cymru"):
        add_name(amira, amira_page, "face-to-face", name, "organisation")
    for _ in range(3):
        command(facilitator, setup, "next")  # key-allies (actors: everyone)
    actors = actors_of(app, setup)
    age, shelter = actors["Age UK"].id, actors["Shelter Cymru"].id
    url = f"{bo_page}/steps/key-allies"
    same = bo.post_form(url, {"source": age, "target": age, "kind": "funds"})
    assert "Choose two different names" in same.get_data(as_text=True)
    nothing = BeautifulSoup(bo.post_form(url, {}).get_data(as_text=True), "html.parser")
    assert [a["href"] for a in nothing.select(".error-summary a")] == [
        "#source",
        "#kind",
        "#target",
    ]
    elsewhere = make_setup(app, email="other@example.org", questionnaire="map-your-network")
    other = app.test_client()
    other_page = join(other, elsewhere)
    stranger = actors_of(app, setup)["Age UK"]  # an actor of Amira's round, not theirs
    refused = other.post_form(
        f"{other_page}/steps/key-allies", {"source": stranger.id, "target": shelter}
    )
    assert refused.status_code in (302, 400)  # that round has not reached the step, or refused
    added = bo.post_form(url, {"source": age, "target": shelter, "kind": "funds"})
    assert "Added: Age UK funds Shelter Cymru." in soup_of(bo, added.headers["Location"]).get_text()
    with app.app_context(), session_scope() as db:
        (tie,) = db.exec(select(Tie)).all()
        bo_row = db.exec(select(Participant).where(Participant.display_name == "Bo")).one()
        assert (tie.added_by, tie.kind, tie.step_id) == (bo_row.id, "funds", "key-allies")
    amira.post_form(f"{amira_page}/steps/key-allies", {"remove": tie.id})
    with app.app_context(), session_scope() as db:
        assert len(db.exec(select(Tie)).all()) == 1  # not Amira's to remove
    bo.post_form(url, {"remove": tie.id})
    with app.app_context(), session_scope() as db:
        assert db.exec(select(Tie)).all() == []
        assert db.exec(select(Answer).where(Answer.step_id == "key-allies")).all() == []


def test_removing_a_name_takes_your_ties_and_ratings_but_not_what_others_named(app, live_round):
    setup, facilitator, (amira, bo), (amira_page, bo_page) = live_round
    for name in ("Age UK", "Shelter Cymru", "Mind Cymru"):
        add_name(amira, amira_page, "face-to-face", name, "organisation")
    add_name(bo, bo_page, "face-to-face", "Age UK", "organisation")
    for _ in range(3):
        command(facilitator, setup, "next")  # key-allies
    actors = actors_of(app, setup)
    age, shelter = actors["Age UK"].id, actors["Shelter Cymru"].id
    amira.post_form(
        f"{amira_page}/steps/key-allies", {"source": shelter, "target": age, "kind": "ally"}
    )
    command(facilitator, setup, "next")  # influence
    amira.post_form(f"{amira_page}/steps/influence", {f"actor-{age}": "4", f"actor-{shelter}": "2"})
    with app.app_context(), session_scope() as db:
        assert {r.value for r in db.exec(select(ActorRating))} == {4, 2}
    # Amira goes back to her first list and takes Shelter Cymru off it, then Age UK.
    removed = amira.post_form(f"{amira_page}/steps/face-to-face", {"remove": shelter})
    assert removed.headers["Location"].endswith("#message")  # lands on what happened
    message = soup_of(amira, removed.headers["Location"]).select_one("#message").get_text()
    assert "Removed “Shelter Cymru” from your list, with your 2 other answers about it" in message
    amira.post_form(f"{amira_page}/steps/face-to-face", {"remove": age})
    assert set(actors_of(app, setup)) == {"Age UK", "Mind Cymru"}  # Bo still names Age UK
    with app.app_context(), session_scope() as db:
        assert db.exec(select(Tie)).all() == []
        assert db.exec(select(ActorRating)).all() == []
        influence = db.exec(select(Answer).where(Answer.step_id == "influence")).all()
        assert influence == []  # her only ratings went with the names


def test_the_map_step_lists_names_and_connections_in_words(app, live_round):
    setup, facilitator, (amira, bo), (amira_page, bo_page) = live_round
    for name in ("Age UK", "Shelter Cymru"):
        add_name(amira, amira_page, "face-to-face", name, "organisation")
    add_name(bo, bo_page, "face-to-face", "Shelter Cymru", "organisation")
    for _ in range(3):
        command(facilitator, setup, "next")
    actors = actors_of(app, setup)
    amira.post_form(
        f"{amira_page}/steps/key-allies",
        {"source": actors["Age UK"].id, "target": actors["Shelter Cymru"].id, "kind": "works-with"},
    )
    for _ in range(3):
        command(facilitator, setup, "next")  # the-map
    now = " ".join(soup_of(amira, amira_page).select_one("#now").get_text(" ").split())
    assert "2 names, 1 connection." in now
    assert "Age UK works with Shelter Cymru" in now
    # The most shared names first, so the group can see what they have in common.
    names = [
        li.get_text(" ", strip=True)
        for li in soup_of(amira, amira_page).select("#now .item-list__item")
    ]
    assert names[:2] == [
        "Shelter Cymru An organisation · named by 2 people",
        "Age UK An organisation · named by 1 person",
    ]
    # The facilitator's console shows the same map in words, to talk it through.
    console = soup_of(facilitator, f"/rounds/{setup.round_id}/live")
    assert "participants see question 7 of 8" not in console.get_text()  # not a question
    assert [
        li.get_text(" ", strip=True)
        for li in console.select("[aria-labelledby=progress-title] .item-list__item")
    ] == [*names]


def test_a_facilitator_previews_every_network_step_in_every_language(app, setup, facilitator):
    for questionnaire_id, loaded in LIBRARY.items():
        for number in range(1, len(loaded.questionnaire.steps) + 1):
            url = f"/questionnaires/{questionnaire_id}/preview/{number}"
            assert facilitator.get(url).status_code == 200, url
            assert facilitator.get(url + "?easy-read=1").status_code == 200, url
    assert facilitator.get("/questionnaires/check-in/preview/1?language=xx").status_code == 404


def test_reflections_reach_the_console_without_names(app, live_round):
    setup, facilitator, (amira, _bo), (amira_page, _bo_page) = live_round
    for _ in range(7):
        command(facilitator, setup, "next")  # gaps: a reflection
    saved = amira.post_form(f"{amira_page}/steps/gaps", {"answer": "Young carers"})
    assert saved.status_code == 302
    live = soup_of(facilitator, f"/rounds/{setup.round_id}/live")
    (answer,) = live.select(".answers li")
    assert answer.select_one(".answer-text").get_text(strip=True) == "Young carers"
    assert answer.select_one(".answers__who") is None
    assert "Amira" not in answer.get_text()


def test_nobody_to_add_is_an_answer_that_says_so(app, live_round):
    setup, facilitator, (amira, _bo), (amira_page, _bo_page) = live_round
    saved = amira.post_form(f"{amira_page}/steps/face-to-face", {"intent": "none"})
    assert "Saved: nothing to add here." in soup_of(amira, saved.headers["Location"]).get_text()
    command(facilitator, setup, "next")
    turn = soup_of(amira, amira_page).select_one("#turn-face-to-face").get_text(" ", strip=True)
    assert "You had nothing to add." in turn


def test_the_console_shows_each_names_average_rating(app, live_round):
    setup, facilitator, (amira, bo), (amira_page, bo_page) = live_round
    for name in ("Age UK", "Shelter Cymru"):
        add_name(amira, amira_page, "face-to-face", name, "organisation")
        add_name(bo, bo_page, "face-to-face", name, "organisation")
    for _ in range(4):
        command(facilitator, setup, "next")  # influence: rate actors
    actors = actors_of(app, setup)
    age, shelter = actors["Age UK"].id, actors["Shelter Cymru"].id
    amira.post_form(f"{amira_page}/steps/influence", {f"actor-{age}": "5", f"actor-{shelter}": "2"})
    bo.post_form(f"{bo_page}/steps/influence", {f"actor-{age}": "4"})
    console = soup_of(facilitator, f"/rounds/{setup.round_id}/live")
    rows = [
        [td.get_text(strip=True) for td in tr.select("td")] for tr in console.select("tbody tr")
    ]
    assert rows[:2] == [["Age UK", "4.5", "2"], ["Shelter Cymru", "2.0", "1"]]
    assert "participants see question 5 of 8" in console.get_text()


def test_names_added_after_rating_are_offered_to_rate(app, live_round):
    setup, facilitator, (amira, _bo), (amira_page, _bo_page) = live_round
    add_name(amira, amira_page, "face-to-face", "Age UK", "organisation")
    for _ in range(4):
        command(facilitator, setup, "next")  # influence: rate Amira's own names
    age = actors_of(app, setup)["Age UK"].id
    amira.post_form(f"{amira_page}/steps/influence", {f"actor-{age}": "4"})
    saved = soup_of(amira, amira_page).select_one("#now")
    assert "Your answer is saved." in saved.get_text() and saved.select_one("form") is None
    # She goes back and names one more: the rating step offers it, keeping her 4 for Age UK.
    add_name(amira, amira_page, "face-to-face", "Mind Cymru", "organisation")
    now = soup_of(amira, amira_page).select_one("#now")
    assert "New names to answer about: Mind Cymru." in now.get_text()
    assert now.select_one(f"input[name=actor-{age}][value='4']").has_attr("checked")
