"""A trusted room: people see who runs it and who is here, and see, change, delete and
download their own answers; the consent note says what happens to names on the map."""

from __future__ import annotations

import csv
import io

from tests.conftest import command, join
from tests.test_help_and_team import page_of, words


def test_the_join_page_says_what_happens_to_names_on_the_map(client, setup):
    page = page_of(client, f"/j/{setup.join_token}")
    kept = words(page, "main ul.list")
    assert "Names you add to the map are seen by everyone in the session." in kept
    assert "write their role instead" in kept
    assert "You can see, change or delete your answers until the session ends." in kept


def test_a_participant_deletes_their_own_answer(app, setup, facilitator):
    amira = app.test_client()
    page = join(amira, setup, "Amira")
    command(facilitator, setup, "start")
    amira.post_form(f"{page}/steps/feeling", {"answer": "4"})
    assert "1 of 1 answered" in words(page_of(facilitator, f"/rounds/{setup.round_id}"), "main")
    step = page_of(amira, f"{page}/steps/feeling")
    delete = step.select_one("form.delete-answer")
    assert words(delete, "button") == "Delete my answer"
    gone = amira.post_form(f"{page}/steps/feeling", {"intent": "delete"})
    assert gone.status_code == 302
    after = page_of(amira, page)
    assert "Your answer to “How are you feeling today?” is deleted." in words(after, "main")
    assert "0 of 1 answered" in words(page_of(facilitator, f"/rounds/{setup.round_id}"), "main")
    assert page_of(amira, f"{page}/steps/feeling").select_one("form.delete-answer") is None

    # Once the session has ended, answers stay as they are.
    amira.post_form(f"{page}/steps/feeling", {"answer": "5"})
    command(facilitator, setup, "end")
    amira.post_form(f"{page}/steps/feeling", {"intent": "delete"})
    assert "5 on a scale of 1 to 5" in words(page_of(amira, page), "main")


def test_a_participant_downloads_what_they_gave_and_nobody_elses(app, setup, facilitator):
    amira, bo = app.test_client(), app.test_client()
    amira_page, bo_page = join(amira, setup, "Amira"), join(bo, setup, "Bo")
    command(facilitator, setup, "start")
    amira.post_form(f"{amira_page}/steps/feeling", {"answer": "4"})
    command(facilitator, setup, "next")
    amira.post_form(f"{amira_page}/steps/needs", {"answer": ["breaks", "captions"]})
    bo.post_form(f"{bo_page}/steps/feeling", {"answer": "2"})
    link = page_of(amira, amira_page).find("a", string="Download a copy of your answers")
    response = amira.get(link["href"])
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows == [
        ["Question", "Your answer"],
        ["How are you feeling today?", "4"],
        ["Is there anything that would help you take part?", "Breaks; Captions or written notes"],
    ]
    assert "2" not in [row[1] for row in rows[1:]]  # Bo's answer is his alone
    assert app.test_client().get("/p/not-a-token/my-answers.csv").status_code == 404


def test_the_lead_removes_a_participant_keeping_or_deleting_what_they_gave(app, setup, facilitator):
    from sqlmodel import select

    from tests.test_sockets import participant_socket
    from workshop.store.db import session_scope
    from workshop.store.models import Answer

    amira, bo = app.test_client(), app.test_client()
    amira_page, bo_page = join(amira, setup, "Amira"), join(bo, setup, "Bo")
    command(facilitator, setup, "start")
    amira.post_form(f"{amira_page}/steps/feeling", {"answer": "4"})
    bo.post_form(f"{bo_page}/steps/feeling", {"answer": "1"})
    listening = participant_socket(app, bo_page)
    console = page_of(facilitator, f"/rounds/{setup.round_id}")
    links = {a.select_one(".visually-hidden").get_text(strip=True): a["href"]
             for a in console.select("a.people__remove")}  # fmt: skip
    assert set(links) == {"Amira", "Bo"}

    # The page asks what happens to what they gave, and says it cannot be undone.
    confirm = page_of(facilitator, links["Bo"])
    assert "You cannot undo this." in words(confirm, "main")
    refused = facilitator.post_form(links["Bo"], {})
    assert refused.status_code == 400
    assert "Choose what happens to what they gave" in refused.get_data(as_text=True)
    assert facilitator.post_form(links["Bo"], {"answers": "delete"}).status_code == 302
    # His open page is told once, then its connection ends (issue 17): read what reached it.
    assert [e["name"] for e in listening.queue].count("removed") == 1
    assert not listening.is_connected("/participant")

    # Bo's link now says plainly he is out; his answer is gone; his socket is refused.
    gone = bo.get(bo_page)
    assert gone.status_code == 410
    assert "You are no longer in this session" in gone.get_data(as_text=True)
    assert not participant_socket(app, bo_page).is_connected("/participant")
    console = page_of(facilitator, f"/rounds/{setup.round_id}")
    assert "1 of 1 answered" in words(console, "main")
    assert "Sam Jones removed Bo" in words(console, "main")

    # Amira is removed too, her answer kept (without her name).
    facilitator.post_form(links["Amira"], {"answers": "keep"})
    assert amira.get(amira_page).status_code == 410
    # Her kept answer still counts, in the progress as in the tally beside it.
    assert "1 of 1 answered" in words(page_of(facilitator, f"/rounds/{setup.round_id}"), "main")
    with app.app_context(), session_scope() as db:
        kept = db.exec(select(Answer.value).where(Answer.step_id == "feeling")).all()
    assert kept == ["4"] or kept == [4]
    assert facilitator.get(links["Amira"]).status_code == 404  # already out


def test_only_the_lead_removes_people(app, setup, facilitator):
    from tests.test_help_and_team import add_facilitator, join_team

    supporter = add_facilitator(app, "alex@example.org", "Alex Lee")
    join_team(facilitator, setup.round_id, "alex@example.org", supporter)
    amira = app.test_client()
    page = join(amira, setup, "Amira")
    url = f"/rounds/{setup.round_id}/people/1/remove"
    assert supporter.get(url).status_code == 404
    assert supporter.post_form(url, {"answers": "delete"}).status_code == 404
    assert amira.post_form(url, {"answers": "delete"}).status_code == 302  # to sign in
    assert amira.get(page).status_code == 200
    assert page_of(supporter, f"/rounds/{setup.round_id}").select_one("a.people__remove") is None
