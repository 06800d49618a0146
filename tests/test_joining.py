"""Participants join by code or link, agree to what is kept, and wait in the lobby."""

import re

from bs4 import BeautifulSoup
from sqlmodel import select

from tests.conftest import command, join, round_row
from workshop.store.db import session_scope
from workshop.store.models import Participant


def participants(app):
    with app.app_context(), session_scope() as db:
        return db.exec(select(Participant).order_by(Participant.number)).all()


def test_code_is_case_insensitive_and_forgives_spaces(app, setup):
    client = app.test_client()
    typed = f" {setup.join_code[:3].lower()} - {setup.join_code[3:].lower()} "
    response = client.post_form("/", {"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/j/{setup.join_token}"


def test_unknown_code_gets_a_clear_error_keeping_what_was_typed(app, setup):
    client = app.test_client()
    response = client.post_form("/", {"code": "xxx-777"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "We could not find a session with that code" in html
    assert 'value="xxx-777"' in html
    assert 'href="#code"' in html


def test_empty_code_asks_for_one(app):
    html = app.test_client().post_form("/", {"code": "  "}).get_data(as_text=True)
    assert "Enter the session code" in html


def test_join_page_says_who_runs_it_and_what_is_kept(app, setup):
    html = app.test_client().get(f"/j/{setup.join_token}").get_data(as_text=True)
    assert "Sam Jones from Inclusion Works" in html
    assert "What we keep and who sees it" in html
    assert "We do not ask for your email" in html


def test_joining_needs_agreement_and_loses_nothing_typed(app, setup):
    client = app.test_client()
    response = client.post_form(f"/j/{setup.join_token}", {"display_name": "Amira"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Tick the box to join" in html
    assert 'value="Amira"' in html
    assert participants(app) == []


def test_named_and_anonymous_participants_get_numbers(app, setup):
    join(app.test_client(), setup, "Amira")
    join(app.test_client(), setup, "   ")
    people = participants(app)
    assert [(p.number, p.display_name) for p in people] == [(1, "Amira"), (2, None)]
    assert all(len(p.token) * 6 >= 128 for p in people)


def test_the_lobby_says_what_happens_next(app, setup):
    client = app.test_client()
    html = client.get(join(client, setup)).get_data(as_text=True)
    assert "Please wait for the start" in html
    assert "Sam Jones will start the session soon" in html
    assert "Check for the next question" in html


def test_without_javascript_the_waiting_words_say_what_to_do_and_checking_lands_on_the_question(
    app, setup
):
    """Issue 15: without JavaScript nothing appears by itself, so the page never says it
    might; and "Check for the next question" lands on the open question, not the page top."""
    client = app.test_client()
    page = BeautifulSoup(client.get(join(client, setup)).get_data(as_text=True), "html.parser")
    words = page.select_one("#now").get_text(" ", strip=True)
    assert "appear by itself" not in words
    assert "Press “Check for the next question” to see it." in words
    assert page.select_one(".check-next")["action"].endswith("#now")


def test_reopening_the_join_link_asks_whether_it_is_the_same_person(app, setup):
    """Issue 17 (4): on a tablet passed round a room, opening the join link again went
    straight to the last person's page for 31 days, where the next person could read or
    delete what they gave. The tablet now asks; the next person joins as themselves."""
    tablet = app.test_client()
    page = join(tablet, setup, "Amira")
    join_link = f"/j/{setup.join_token}"
    again = tablet.get(join_link)
    assert again.status_code == 200
    soup = BeautifulSoup(again.get_data(as_text=True), "html.parser")
    assert soup.h1.get_text(strip=True) == "Are you Amira?"
    assert soup.select_one("main a.button")["href"] == page  # yes: her own page
    assert "Your answers" not in soup.get_text()  # nothing of hers on this page
    assert len(participants(app)) == 1

    # "No, this is not me": the tablet forgets Amira, and the join form follows.
    response = tablet.post_form(f"{join_link}/someone-new", {})
    assert response.status_code == 302 and response.headers["Location"] == join_link
    assert "Join the session" in tablet.get(join_link).get_data(as_text=True)
    bo_page = join(tablet, setup, "Bo")
    assert bo_page != page and len(participants(app)) == 2
    assert "Are you Bo?" in tablet.get(join_link).get_data(as_text=True)
    # Amira's page is still hers, behind her own link, on any device.
    assert "Amira" in app.test_client().get(page).get_data(as_text=True)


def test_the_private_link_works_on_another_device(app, setup, facilitator):
    phone = app.test_client()
    page = join(phone, setup, "Amira")
    command(facilitator, setup, "start")
    phone.post_form(f"{page}/steps/feeling", {"answer": "2"})
    tablet = app.test_client()  # no cookies at all
    soup = BeautifulSoup(tablet.get(page).get_data(as_text=True), "html.parser")
    assert "Amira" in soup.select_one(".round-name").get_text()
    answer = soup.select_one("#now .turn__answer p").get_text(" ", strip=True)
    assert answer == "Your answer: 2 on a scale of 1 to 5"


def test_unknown_link_is_a_clear_not_found_page(app, setup):
    response = app.test_client().get("/j/not-a-real-token")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert app.test_client().get("/p/not-a-real-token").status_code == 404


def test_ended_rounds_cannot_be_joined(app, setup, facilitator):
    command(facilitator, setup, "end")
    assert round_row(app, setup.round_id).status == "ended"
    by_link = app.test_client().get(f"/j/{setup.join_token}")
    assert by_link.status_code == 410
    assert "This session has ended" in by_link.get_data(as_text=True)
    by_code = app.test_client().post_form("/", {"code": setup.join_code})
    assert by_code.status_code == 410
    late = app.test_client().post_form(f"/j/{setup.join_token}", {"agree": "y"})
    assert late.status_code == 410
    assert participants(app) == []


def attempt_on(html: str) -> str:
    return re.search(r'name="attempt"[^>]*value="([^"]+)"', html).group(1)


def test_the_same_join_page_posted_twice_joins_once(app, setup):
    """A double tap on 'Join the session' over a slow connection."""
    from concurrent.futures import ThreadPoolExecutor

    phone = app.test_client()
    attempt = attempt_on(phone.get(f"/j/{setup.join_token}").get_data(as_text=True))
    form = {"display_name": "Amira", "agree": "y", "attempt": attempt}
    first = phone.post_form(f"/j/{setup.join_token}", form)
    again = app.test_client().post_form(f"/j/{setup.join_token}", form)  # no cookie yet
    assert first.headers["Location"] == again.headers["Location"]

    tablet = app.test_client()
    form = {
        "agree": "y",
        "attempt": attempt_on(tablet.get(f"/j/{setup.join_token}").get_data(as_text=True)),
        "csrf_token": tablet.csrf_token(),
    }
    with ThreadPoolExecutor(6) as pool:  # six taps racing
        responses = list(
            pool.map(lambda _: tablet.post(f"/j/{setup.join_token}", data=form), range(6))
        )
    assert len({r.headers["Location"] for r in responses}) == 1
    assert [p.display_name for p in participants(app)] == ["Amira", None]


def test_join_forms_posted_with_an_empty_attempt_each_join(app, setup):
    """Issue 17: a second join with an empty `attempt` field matched the first's empty value
    twenty times over, then failed with a 500."""
    for name in ("Amira", "Bo"):
        person = app.test_client()
        person.get(f"/j/{setup.join_token}")
        form = {"display_name": name, "agree": "y", "attempt": ""}
        response = person.post_form(f"/j/{setup.join_token}", form)
        assert response.status_code == 302 and "/p/" in response.headers["Location"]
    assert [p.display_name for p in participants(app)] == ["Amira", "Bo"]


def test_a_room_opening_the_join_page_at_once_each_get_their_own_form(app, setup):
    """The page is rendered once for a room joining together: each person still gets their
    own attempt and form token, and the page in their own language."""
    phones = [app.test_client() for _ in range(3)]
    pages = [p.get(f"/j/{setup.join_token}").get_data(as_text=True) for p in phones]
    attempts = [attempt_on(page) for page in pages]
    tokens = [re.search(r'name="csrf_token"[^>]*value="([^"]+)"', p).group(1) for p in pages]
    assert len(set(attempts)) == 3 and len(set(tokens)) == 3
    for phone, attempt, token in zip(phones, attempts, tokens, strict=True):
        form = {"agree": "y", "attempt": attempt, "csrf_token": token}
        assert phone.post(f"/j/{setup.join_token}", data=form).status_code == 302
    assert len(participants(app)) == 3
    welsh = app.test_client()
    welsh.get("/language/cy")
    assert "Ymuno â" in welsh.get(f"/j/{setup.join_token}").get_data(as_text=True)


def test_everyone_waiting_sees_their_own_name_and_links_on_the_shared_waiting_page(app, setup):
    """The waiting page is rendered once for a room joining together: each person still
    finds their own name, private link and form token on it, and nobody else's."""
    people = {name: app.test_client() for name in ("Amira", "Bo <b>", "")}
    pages = {name: join(client, setup, name) for name, client in people.items()}
    seen = {name: people[name].get(pages[name]).get_data(as_text=True) for name in people}
    tokens = {name: page.rsplit("/", 1)[1] for name, page in pages.items()}
    kept = app.extensions["roundtable.kept"]  # the pages did come from one shared render
    assert [v for (what, _round), (_at, v) in kept.items() if what.startswith("lobby") and v[1]]
    for name, html in seen.items():
        others = [tokens[other] for other in people if other != name]
        assert tokens[name] in html and not any(token in html for token in others)
        assert f'data-participant="{tokens[name]}"' in html
        assert "You are in. Please wait for the start." in html
    assert "<bdi>Amira</bdi>" in seen["Amira"] and "Amira" not in seen["Bo <b>"]
    assert "<bdi>Bo &lt;b&gt;</bdi>" in seen["Bo <b>"]
    anonymous = re.search(r"<bdi>(Participant \d+)</bdi>", seen[""]).group(1)
    assert anonymous not in seen["Amira"]
    # The shared page says how many are here, as it changes.
    assert "3 people here." in people["Amira"].get(pages["Amira"]).get_data(as_text=True)
    join(app.test_client(), setup, "Dewi")
    assert "4 people here." in people["Bo <b>"].get(pages["Bo <b>"]).get_data(as_text=True)
    # Someone who asked for help sees that they did, on their own page only.
    asking = people["Amira"]
    asking.post_form(f"{pages['Amira']}/help", {"next": pages["Amira"]})
    assert "You asked for help at" in asking.get(pages["Amira"]).get_data(as_text=True)
    assert "You asked for help at" not in people[""].get(pages[""]).get_data(as_text=True)
    # Each form token still works: the help button of the shared page posts.
    page = people[""].get(pages[""]).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    asked = people[""].post(f"{pages['']}/help", data={"csrf_token": token, "next": pages[""]})
    assert asked.status_code == 302
