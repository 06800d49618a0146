"""A step change sends every open page for its new question at once: the question is rendered
once per language for all of them, and each person still gets their own links and form."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.conftest import command, join
from workshop.pages.participant import conversation_parts

PART = "?part=conversation"


def test_a_room_fetching_the_new_question_shares_one_render_per_language(app, setup, facilitator):
    people = [app.test_client() for _ in range(6)]
    pages = [join(person, setup, f"Person {i}") for i, person in enumerate(people)]
    people[5].get("/language/cy", query_string={"next": pages[5]})
    command(facilitator, setup, "start")
    for person, page in zip(people, pages, strict=True):
        person.get(page + PART)  # the first question, as each page's script fetches it
    person, page = people[0], pages[0]
    person.post_form(f"{page}/steps/feeling", {"answer": "4"})  # Person 0 answered it
    before = conversation_parts.RENDERS["_now.html"]

    command(facilitator, setup, "next")
    parts = [
        BeautifulSoup(p.get(page + PART).get_data(as_text=True), "html.parser")
        for p, page in zip(people, pages, strict=True)
    ]

    # One render in English and one in Welsh, for six people.
    assert conversation_parts.RENDERS["_now.html"] - before == 2
    for part, page, person in zip(parts, pages, people, strict=True):
        form = part.select_one("#now form")
        assert form["action"] == f"{page}/steps/needs"  # their own link
        token = form.select_one("[name=csrf_token]")["value"]
        answered = person.post(form["action"], data={"csrf_token": token, "answer": "breaks"})
        assert answered.status_code == 302 and "saved=needs" in answered.headers["Location"]
    # Each transcript is still the person's own: only Person 0 answered the first question.
    assert "Not answered yet" not in parts[0].select_one(".transcript").get_text()
    assert "Not answered yet" in parts[1].select_one(".transcript").get_text()
    assert parts[5].select_one("#now h1").get_text() != parts[1].select_one("#now h1").get_text()
