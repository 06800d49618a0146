"""UK GDPR: a participant downloads and erases everything held about them, and the lead
does the same for someone who asks the organisation; the record says what, never whom."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from sqlmodel import SQLModel, select

from tests.conftest import command, join, make_setup, sign_in
from tests.test_help_and_team import add_facilitator, join_team, page_of, words
from tests.test_network_steps import add_name
from tests.test_sockets import participant_socket
from workshop.store.db import session_scope
from workshop.store.models import Actor, Participant


@pytest.fixture
def mapped(app):
    """A map-your-network round: Amira and Bo named Age UK; only Amira named Shelter Cymru,
    tied it to Age UK, rated both and asked for help."""
    setup = make_setup(app, questionnaire="map-your-network")
    lead = app.test_client()
    sign_in(lead, setup.email)
    amira, bo = app.test_client(), app.test_client()
    pages = join(amira, setup, "Amira"), join(bo, setup, "Bo")
    command(lead, setup, "start")
    command(lead, setup, "next")  # face-to-face
    for name in ("Age UK", "Shelter Cymru"):
        add_name(amira, pages[0], "face-to-face", name, "organisation")
    add_name(bo, pages[1], "face-to-face", "Age UK", "organisation")
    for _ in range(3):
        command(lead, setup, "next")  # key-allies
    actors = actors_by_name(app)
    age, shelter = actors["Age UK"].id, actors["Shelter Cymru"].id
    amira.post_form(
        f"{pages[0]}/steps/key-allies", {"source": shelter, "target": age, "kind": "ally"}
    )
    command(lead, setup, "next")  # influence
    amira.post_form(f"{pages[0]}/steps/influence", {f"actor-{age}": "4", f"actor-{shelter}": "2"})
    amira.post_form(f"{pages[0]}/help", {"next": pages[0]})
    return setup, lead, (amira, bo), pages


def actors_by_name(app) -> dict[str, Actor]:
    with app.app_context(), session_scope() as db:
        return {a.name: a for a in db.exec(select(Actor))}


def everything_stored(app) -> str:
    """Every row of every table, as text: to look for a name anywhere."""
    with app.app_context(), session_scope() as db:
        rows = []
        for table in SQLModel.metadata.sorted_tables:
            rows += [repr(tuple(row)) for row in db.execute(table.select())]
        return "\n".join(rows)


def test_a_participant_downloads_everything_held_about_them(app, mapped):
    _setup, _lead, (amira, bo), (amira_page, bo_page) = mapped
    conversation = page_of(amira, amira_page)
    link = conversation.find("a", string="Your data")  # in the footer of every page of theirs
    assert link["href"] == f"{amira_page}/your-data"
    assert page_of(amira, f"{amira_page}/steps/face-to-face").find("a", string="Your data")
    page = page_of(amira, link["href"])
    text = words(page, "main")
    assert "Names that other people also added stay on the map. They are their data too." in text
    download = amira.get(page.find("a", string="Download everything about you")["href"])
    assert download.status_code == 200 and download.mimetype == "application/json"
    assert download.headers["Content-Disposition"] == 'attachment; filename="your-data.json"'
    held = json.loads(download.get_data(as_text=True))
    assert held["your_name"] == "Amira" and held["session"] == "Greenwich, March"
    assert held["joined_at"]
    by_question = {a["question"]: a["answer"] for a in held["answers"]}
    assert by_question["Who do you meet face to face?"] == ["Age UK", "Shelter Cymru"]
    assert [n["name"] for n in held["names_you_added_first"]] == ["Age UK", "Shelter Cymru"]
    assert held["ties_you_added"][0] | {"added_at": None} == {
        "from": "Shelter Cymru",
        "to": "Age UK",
        "kind": "ally",
        "added_at": None,
    }
    assert sorted(r["value"] for r in held["ratings_you_gave"]) == [2, 4]
    assert len(held["help_requests"]) == 1
    assert "Bo" not in download.get_data(as_text=True)

    # Bo's own copy holds only Bo's: the token in the link is the only way in.
    bos = json.loads(bo.get(f"{bo_page}/your-data.json").get_data(as_text=True))
    assert bos["your_name"] == "Bo" and bos["ties_you_added"] == []
    assert app.test_client().get("/p/not-a-token/your-data.json").status_code == 404


def test_a_participant_erases_everything_about_them(app, mapped):
    setup, lead, (amira, _bo), (amira_page, _bo_page) = mapped
    listening = participant_socket(app, amira_page)
    confirm = page_of(amira, f"{amira_page}/your-data/delete")
    assert "Your link will stop working. You cannot undo this." in words(confirm, "main")
    assert confirm.select_one("main form button").get_text(strip=True) == "Yes, delete everything"
    assert amira.post(f"{amira_page}/your-data/delete").status_code == 400  # no CSRF token
    assert "Amira" in everything_stored(app)

    done = amira.post_form(f"{amira_page}/your-data/delete")
    assert done.status_code == 200
    text = " ".join(done.get_data(as_text=True).split())
    assert "Everything about you is deleted" in text
    assert "Names that other people also added are still on the map." in text
    assert [e["name"] for e in listening.get_received("/participant")].count("removed") == 1

    # Nothing about her is left: not her name, answers, ties, ratings or help request.
    stored = everything_stored(app)
    assert "Amira" not in stored and "Shelter Cymru" not in stored
    actors = actors_by_name(app)
    assert set(actors) == {"Age UK"} and actors["Age UK"].added_by is None  # Bo's too
    with app.app_context(), session_scope() as db:
        from workshop.store.models import ActorRating, Answer, HelpRequest, Tie

        amira_row = db.exec(select(Participant).where(Participant.number == 1)).one()
        assert amira_row.display_name is None
        for model, column in (
            (Answer, Answer.participant_id),
            (ActorRating, ActorRating.participant_id),
            (HelpRequest, HelpRequest.participant_id),
            (Tie, Tie.added_by),
        ):
            assert db.exec(select(model).where(column == amira_row.id)).all() == []
        assert db.exec(select(Answer).where(Answer.participant_id == 2)).all()  # Bo's

    # Her link and socket no longer work; she is off the console; the record names nobody.
    assert amira.get(amira_page).status_code == 404
    assert amira.get(f"{amira_page}/your-data.json").status_code == 404
    assert not participant_socket(app, amira_page).is_connected("/participant")
    console = page_of(lead, f"/rounds/{setup.round_id}")
    assert "A participant deleted everything about them" in words(console, "main")
    assert "Amira" not in console.get_text()
    assert amira.get(f"/j/{setup.join_token}").status_code == 200  # a fresh start is allowed


def test_the_lead_exports_and_erases_on_someones_request(app, mapped):
    setup, lead, (amira, bo), (amira_page, bo_page) = mapped
    console = page_of(lead, f"/rounds/{setup.round_id}")
    links = {a.select_one(".visually-hidden").get_text(strip=True): a["href"]
             for a in console.select("a.people__data")}  # fmt: skip
    assert set(links) == {"Amira", "Bo"}
    page = page_of(lead, links["Amira"])
    assert words(page, "h1") == "Data about Amira"
    forms = {
        f.select_one("button").get_text(strip=True): f["action"] for f in page.select("main form")
    }
    assert set(forms) == {"Download their data", "Delete everything about them"}

    download = lead.post_form(forms["Download their data"])
    assert download.status_code == 200 and download.mimetype == "application/json"
    held = json.loads(download.get_data(as_text=True))
    assert held["your_name"] == "Amira" and len(held["answers"]) == 3
    console = page_of(lead, f"/rounds/{setup.round_id}")
    assert "Sam Jones downloaded a participant's data, on their request" in words(console, "main")

    erased = lead.post_form(forms["Delete everything about them"])
    assert erased.status_code == 302
    after = page_of(lead, erased.headers["Location"])
    assert "Everything about that person is deleted." in words(after, "main")
    assert "Sam Jones deleted everything about a participant, on their request" in words(
        after, "main"
    )
    assert "Amira" not in everything_stored(app)
    assert amira.get(amira_page).status_code == 404
    assert lead.get(links["Amira"]).status_code == 404  # nobody left to ask about
    assert lead.post_form(forms["Download their data"]).status_code == 404
    assert bo.get(bo_page).status_code == 200


def test_only_the_lead_handles_data_requests_and_participants_only_their_own(app, mapped):
    setup, lead, (amira, bo), (amira_page, bo_page) = mapped
    supporter = add_facilitator(app, "alex@example.org", "Alex Lee")
    join_team(lead, setup.round_id, "alex@example.org", supporter)
    assert not page_of(supporter, f"/rounds/{setup.round_id}").select("a.people__data")
    url = f"/rounds/{setup.round_id}/people/1/data"
    for client in (supporter, bo):
        assert client.get(url).status_code in (302, 404)
        assert client.post_form(f"{url}.json").status_code in (302, 404)
        assert client.post_form(f"{url}/delete").status_code in (302, 404)
    # Bo, on his own pages, can only ever reach his own data: the link names the person.
    assert bo.post_form(f"{bo_page}/your-data/delete").status_code == 200
    assert "Amira" in everything_stored(app)
    assert amira.get(f"{amira_page}/your-data").status_code == 200


def test_after_the_end_people_still_see_download_and_erase_their_data(app, mapped):
    setup, lead, (amira, _bo), (amira_page, _bo_page) = mapped
    command(lead, setup, "end")
    assert amira.get(f"{amira_page}/your-data").status_code == 200
    assert json.loads(amira.get(f"{amira_page}/your-data.json").data)["your_name"] == "Amira"
    assert amira.post_form(f"{amira_page}/your-data/delete").status_code == 200
    assert "Amira" not in everything_stored(app)


def test_someone_removed_with_their_answers_kept_can_still_get_and_erase_them(app, mapped):
    setup, lead, (_amira, bo), (_amira_page, bo_page) = mapped
    lead.post_form(f"/rounds/{setup.round_id}/people/2/remove", {"answers": "keep"})
    removed = bo.get(bo_page)
    assert removed.status_code == 410
    page = BeautifulSoup(removed.get_data(as_text=True), "html.parser")
    assert page.find("a", string="Your data")["href"] == f"{bo_page}/your-data"
    held = json.loads(bo.get(f"{bo_page}/your-data.json").data)
    assert held["your_name"] is None and held["answers"]  # kept, without his name
    assert bo.post_form(f"{bo_page}/your-data/delete").status_code == 200
    with app.app_context(), session_scope() as db:
        from workshop.store.models import Answer

        assert db.exec(select(Answer).where(Answer.participant_id == 2)).all() == []
